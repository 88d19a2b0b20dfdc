//! Small text normalisations shared by the parsers: folding the full-width forms that Chinese input
//! methods produce (`１３８`, `Ｘ`, `．`) into their ASCII equivalents. Crate-private.

/// The offset between a full-width ASCII variant (U+FF01..=U+FF5E) and its ASCII original.
const FULL_WIDTH_OFFSET: u32 = 0xFEE0;

/// Maps a full-width ASCII variant or the ideographic space to its ASCII equivalent; any other
/// character is returned unchanged.
///
/// Chinese input methods in full-width mode type `１３８` instead of `138`; citizens should not be
/// refused for that.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - FULL_WIDTH_OFFSET).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::fold_width;

    #[test]
    fn folds_full_width_forms_to_ascii() {
        let folded: String = "１３８－ｘＸ．＋\u{3000}!"
            .chars()
            .map(fold_width)
            .collect();
        assert_eq!(folded, "138-xX.+ !");
    }

    #[test]
    fn leaves_other_characters_alone() {
        let text = "欧阳·娜娜 Zoë 1";
        let folded: String = text.chars().map(fold_width).collect();
        assert_eq!(folded, text);
    }
}

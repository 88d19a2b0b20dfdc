//! Masking of personal data for display: keep a few characters at each end, star the middle (R3).

/// The character that stands in for a hidden one.
pub const MASK_CHAR: char = '*';

/// Replaces the middle of `s` with `*`, keeping `keep_start` characters at the start and `keep_end`
/// at the end. Counts characters, not bytes, so Chinese text is masked correctly.
///
/// When the string is too short to hide anything with those margins (`len <= keep_start +
/// keep_end`), every character is masked: a masked value must never show the whole value.
///
/// ```
/// use lifelong_core::mask::mask_middle;
///
/// assert_eq!(mask_middle("13812341234", 3, 4), "138****1234");
/// assert_eq!(mask_middle("欧阳娜娜", 1, 1), "欧**娜");
/// assert_eq!(mask_middle("1234", 3, 4), "****");
/// ```
pub fn mask_middle(s: &str, keep_start: usize, keep_end: usize) -> String {
    let len = s.chars().count();
    if len <= keep_start.saturating_add(keep_end) {
        return MASK_CHAR.to_string().repeat(len);
    }
    let hidden = keep_start..len - keep_end;
    s.chars()
        .enumerate()
        .map(|(i, c)| if hidden.contains(&i) { MASK_CHAR } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask_middle;

    #[test]
    fn masks_the_middle_of_an_id_number() {
        assert_eq!(
            mask_middle("31011519800101123X", 3, 4),
            "310***********123X"
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(mask_middle("阿沛·阿旺晋美", 1, 1), "阿*****美");
        assert_eq!(mask_middle("Zoë Smith", 2, 2), "Zo*****th");
    }

    #[test]
    fn masks_everything_when_too_short() {
        assert_eq!(mask_middle("1234567", 3, 4), "*******");
        assert_eq!(mask_middle("123", 3, 4), "***");
        assert_eq!(mask_middle("王五", 1, 1), "**");
        assert_eq!(mask_middle("", 3, 4), "");
    }

    #[test]
    fn masks_one_character_when_just_long_enough() {
        assert_eq!(mask_middle("12345678", 3, 4), "123*5678");
    }

    #[test]
    fn zero_margins_mask_everything() {
        assert_eq!(mask_middle("abc", 0, 0), "***");
    }

    #[test]
    fn huge_margins_do_not_overflow() {
        assert_eq!(mask_middle("abc", usize::MAX, usize::MAX), "***");
    }
}

//! Turns the bytes of a text upload into UTF-8, refusing binary content and lossy decodings.
//!
//! A UTF-8 byte-order mark means UTF-8; `FF FE` and `FE FF` mean UTF-16 little/big endian. With
//! no mark, valid UTF-8 is taken as it is (borrowed, no copy); anything else is decoded as
//! GB18030, a superset of the GBK that Excel on Chinese Windows writes for "CSV" — unless it is
//! mostly valid UTF-8 with a few broken bytes, which GB18030 would decode into nonsense. A
//! decoding that would need a replacement character is refused as `Encoding`; NUL and other
//! control characters (C0 other than tab, CR and LF; DEL; C1) are refused as `NotText`.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::FileError;

/// The text of `bytes`, without any byte-order mark.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return borrowed_utf8(body)?.ok_or(FileError::Encoding);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_with(UTF_16LE, body);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_with(UTF_16BE, body);
    }
    match borrowed_utf8(bytes)? {
        Some(text) => Ok(text),
        None if looks_like_damaged_utf8(bytes) => Err(FileError::Encoding),
        None => decode_with(GB18030, bytes),
    }
}

/// Whether text that is not valid UTF-8 is still mostly UTF-8 (a stray Latin-1 byte, a cut
/// character): GB18030 would decode it "successfully" into nonsense. Chinese text in GBK forms
/// a valid UTF-8 sequence about once for every six invalid ones; damaged UTF-8 the other way
/// round.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid >= 2 * invalid
}

/// The bytes as UTF-8 text without copying, `None` when they are not UTF-8.
fn borrowed_utf8(bytes: &[u8]) -> Result<Option<Cow<'_, str>>, FileError> {
    if has_ascii_control(bytes) {
        return Err(FileError::NotText);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(None);
    };
    if has_c1_control(text) {
        return Err(FileError::NotText);
    }
    Ok(Some(Cow::Borrowed(text)))
}

fn decode_with<'a>(encoding: &'static Encoding, body: &[u8]) -> Result<Cow<'a, str>, FileError> {
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(FileError::Encoding)?;
    if has_ascii_control(text.as_bytes()) || has_c1_control(&text) {
        return Err(FileError::NotText);
    }
    Ok(Cow::Owned(text.into_owned()))
}

fn has_ascii_control(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
}

/// U+0080 to U+009F, which UTF-8 writes as `C2 80` to `C2 9F`.
fn has_c1_control(text: &str) -> bool {
    let mut rest = text.as_bytes();
    while let Some(at) = rest.iter().position(|&b| b == 0xC2) {
        if rest.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b)) {
            return true;
        }
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&pair);
        }
        out
    }

    #[test]
    fn long_gbk_text_is_not_mistaken_for_damaged_utf8() {
        const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会\
            可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起\
            小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样";
        let chars: Vec<char> = COMMON.chars().collect();
        let mut text = String::from("姓名,身份证号码,地址\r\n");
        let mut seed = 7u32;
        for _ in 0..300 {
            for _ in 0..12 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push(chars[(seed >> 16) as usize % chars.len()]);
            }
            text.push_str(",11010519491231002X,北京市\r\n");
        }
        let gbk = GB18030.encode(&text).0.into_owned();
        assert!(!looks_like_damaged_utf8(&gbk));
        assert_eq!(decode(&gbk).as_deref(), Ok(text.as_str()));
    }

    #[test]
    fn decodes_or_refuses() {
        let gbk = GB18030.encode("姓名,身份证号码").0.into_owned();
        let cases: Vec<(&str, Vec<u8>, Result<&str, FileError>)> = vec![
            ("plain utf-8", "姓名,x".into(), Ok("姓名,x")),
            ("utf-8 bom", b"\xEF\xBB\xBFa,b".to_vec(), Ok("a,b")),
            ("utf-16le", utf16("姓名\tb", false), Ok("姓名\tb")),
            ("utf-16be", utf16("姓名;b", true), Ok("姓名;b")),
            ("gb18030", gbk, Ok("姓名,身份证号码")),
            ("nul", b"a,\0b".to_vec(), Err(FileError::NotText)),
            ("escape", b"a,\x1bb".to_vec(), Err(FileError::NotText)),
            ("c1 in utf-8", "a\u{85}b".into(), Err(FileError::NotText)),
            (
                "nul in utf-16",
                utf16("a\0", false),
                Err(FileError::NotText),
            ),
            (
                "odd utf-16",
                b"\xFF\xFEa".to_vec(),
                Err(FileError::Encoding),
            ),
            (
                "bad utf-8 after bom",
                b"\xEF\xBB\xBF\xFF".to_vec(),
                Err(FileError::Encoding),
            ),
            (
                "not gb18030",
                b"a\xFF\xFFb".to_vec(),
                Err(FileError::Encoding),
            ),
        ];
        for (name, bytes, expected) in cases {
            let got = decode(&bytes);
            assert_eq!(got.as_deref().map_err(Clone::clone), expected, "{name}");
        }
    }
}

//! Turns the bytes of a text upload into UTF-8, refusing binary content and lossy decodings.
//!
//! A UTF-8 byte-order mark means UTF-8; `FF FE` and `FE FF` mean UTF-16 little/big endian. With
//! no mark, valid UTF-8 is taken as it is (borrowed, no copy); anything else is decoded as
//! GB18030, a superset of the GBK that Excel on Chinese Windows writes for "CSV". A decoding that
//! would need a replacement character is refused as `Encoding`; NUL and other control characters
//! (C0 other than tab, CR and LF; DEL; C1) are refused as `NotText`.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::FileError;

/// The text of `bytes`, without any byte-order mark.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if has_ascii_control(body) {
            return Err(FileError::NotText);
        }
        let text = std::str::from_utf8(body).map_err(|_| FileError::Encoding)?;
        return checked(Cow::Borrowed(text));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_with(UTF_16LE, body);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_with(UTF_16BE, body);
    }
    if has_ascii_control(bytes) {
        return Err(FileError::NotText);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => checked(Cow::Borrowed(text)),
        // Neither GBK nor GB18030 uses bytes below 0x30 inside a character, so the control
        // check above holds for them too.
        Err(_) => decode_with(GB18030, bytes),
    }
}

fn decode_with<'a>(encoding: &'static Encoding, body: &[u8]) -> Result<Cow<'a, str>, FileError> {
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(FileError::Encoding)?;
    checked(Cow::Owned(text.into_owned()))
}

/// Refuses text holding control characters.
fn checked(text: Cow<'_, str>) -> Result<Cow<'_, str>, FileError> {
    let bytes = text.as_bytes();
    let has_c1 = bytes
        .windows(2)
        .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]));
    if has_c1 || has_ascii_control(bytes) {
        return Err(FileError::NotText);
    }
    Ok(text)
}

fn has_ascii_control(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
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

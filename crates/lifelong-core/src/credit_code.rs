//! The unified social credit code (统一社会信用代码, GB 32100-2015), the identity of every
//! institution: parsing, normalising and the check character. Rule R2.
//!
//! Only the alphabet, the length and the check character are verified. The structure inside the
//! code (registration authority, organisation type, area code, organisation code) is not, because
//! codes issued under older practice do not always follow it and the check character already
//! catches every single-character typing error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::{Explain, Lang};
use crate::text::fold_width;

/// Number of characters in a credit code.
pub const LENGTH: usize = 18;

/// Number of characters covered by the check character.
const BODY_LENGTH: usize = 17;

/// The 31 characters a credit code may use, in value order: digits and upper-case letters
/// without I, O, Z, S and V.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The modulus of the check, the size of the alphabet.
const MODULUS: u32 = 31;

/// GB 32100 weights of the first 17 characters (3^i mod 31).
const WEIGHTS: [u32; BODY_LENGTH] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid unified social credit code, stored upper-case. Not personal data, so it displays in
/// full.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// Why a text is not a valid credit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Nothing but whitespace was given.
    #[error("the credit code is empty")]
    Empty,
    /// Not 18 characters.
    #[error("a credit code must have 18 characters")]
    Length,
    /// A character outside the code alphabet.
    #[error("a credit code uses only digits and the letters A-Y without I, O, S, V and Z")]
    Characters,
    /// The 18th character does not match the first 17 (GB 32100).
    #[error("the credit code's check character does not match")]
    Checksum,
}

impl CreditCode {
    /// Parses a credit code: trims whitespace, folds full-width characters and upper-cases letters.
    ///
    /// ```
    /// use lifelong_core::credit_code::{CreditCode, CreditCodeError};
    ///
    /// let code = CreditCode::parse(" 9144030071526726xg ").unwrap();
    /// assert_eq!(code.as_str(), "9144030071526726XG");
    /// assert_eq!(CreditCode::parse("9144030071526726XA"), Err(CreditCodeError::Checksum));
    /// ```
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code: String = input
            .trim()
            .chars()
            .map(|c| fold_width(c).to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        if code.chars().count() != LENGTH {
            return Err(CreditCodeError::Length);
        }
        if !code.chars().all(|c| value_of(c).is_some()) {
            return Err(CreditCodeError::Characters);
        }
        // All 18 characters are ASCII, so byte 17 is a character boundary.
        let (body, check) = code.split_at(BODY_LENGTH);
        if check_char(body) != check.chars().next() {
            return Err(CreditCodeError::Checksum);
        }
        Ok(Self(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Computes the GB 32100 check character for the first 17 characters of a credit code, or `None`
/// if `first17` is not exactly 17 characters of [`ALPHABET`] (upper-case).
///
/// ```
/// assert_eq!(lifelong_core::credit_code::check_char("91310000132200821"), Some('H'));
/// assert_eq!(lifelong_core::credit_code::check_char("9131000013220082I"), None);
/// ```
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != BODY_LENGTH {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * weight;
    }
    char_of((MODULUS - sum % MODULUS) % MODULUS)
}

/// The value of an alphabet character (its position in [`ALPHABET`]).
fn value_of(c: char) -> Option<u32> {
    let position = ALPHABET.find(c)?;
    u32::try_from(position).ok()
}

fn char_of(value: u32) -> Option<char> {
    let index = usize::try_from(value).ok()?;
    ALPHABET.as_bytes().get(index).map(|&b| char::from(b))
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    /// Deserialising validates like [`CreditCode::parse`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Explain for CreditCodeError {
    fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "credit_code_empty",
            CreditCodeError::Length => "credit_code_length",
            CreditCodeError::Characters => "credit_code_characters",
            CreditCodeError::Checksum => "credit_code_checksum",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            CreditCodeError::Empty => (
                "请输入统一社会信用代码",
                "Please enter the unified social credit code.",
            ),
            CreditCodeError::Length => (
                "统一社会信用代码应为18位，请核对后重新输入",
                "A unified social credit code has 18 characters. Please check it and try again.",
            ),
            CreditCodeError::Characters => (
                "统一社会信用代码只含数字和大写字母（不含I、O、S、V、Z），请核对后重新输入",
                "A unified social credit code has only digits and capital letters (never I, O, S, V or Z). Please check it and try again.",
            ),
            CreditCodeError::Checksum => (
                "统一社会信用代码校验位不正确，请核对后重新输入",
                "The unified social credit code does not add up: one of its characters is wrong. Please check it and try again.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests;

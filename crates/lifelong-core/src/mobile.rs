//! Mainland China mobile numbers (手机号码): parsing what people actually type (spaces, hyphens,
//! country prefixes, full-width digits) into 11 digits, and masking them for display (R3).
//!
//! A [`Mobile`] is personal data: its `Debug` is masked, it has no `Display`, and the full value is
//! only available through [`Mobile::expose`].

use std::fmt;
use std::str::FromStr;

use crate::lang::{Explain, Lang};
use crate::mask::mask_middle;
use crate::text::fold_width;

/// Number of digits of a mainland mobile number.
pub const LENGTH: usize = 11;

/// A valid mainland mobile number: 11 ASCII digits starting `13`–`19`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

/// Why a text is not a valid mainland mobile number. Carries no part of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MobileError {
    /// Nothing but whitespace and separators was given.
    #[error("the mobile number is empty")]
    Empty,
    /// Something other than digits, spaces, hyphens and a country code.
    #[error("a mobile number has only digits, spaces and hyphens")]
    Characters,
    /// Not 11 digits.
    #[error("a mainland mobile number has 11 digits")]
    Length,
    /// Not starting with 13 to 19, or another country's code.
    #[error("a mainland mobile number starts with 13 to 19")]
    Prefix,
}

impl Mobile {
    /// Parses a mainland mobile number. Spaces and hyphens are ignored, full-width digits folded,
    /// and a leading `+86`, `0086` or `86` removed.
    ///
    /// ```
    /// use lifelong_core::mobile::Mobile;
    ///
    /// let mobile = Mobile::parse("+86 138-1234-5678").unwrap();
    /// assert_eq!(mobile.expose(), "13812345678");
    /// assert_eq!(mobile.masked(), "138****5678");
    /// ```
    pub fn parse(input: &str) -> Result<Self, MobileError> {
        let compact: String = input
            .chars()
            .map(fold_width)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(MobileError::Empty);
        }
        let digits = strip_country_prefix(&compact);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            // A `+` left over means another country's code.
            return Err(if digits.starts_with('+') {
                MobileError::Prefix
            } else {
                MobileError::Characters
            });
        }
        if digits.len() != LENGTH {
            return Err(MobileError::Length);
        }
        if !matches!(digits.as_bytes(), [b'1', b'3'..=b'9', ..]) {
            return Err(MobileError::Prefix);
        }
        Ok(Self(digits.to_owned()))
    }

    /// The full number. This is the only way to get it: call it to send a message, to store or to
    /// show it to its owner. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The number masked for display: first 3 and last 4 digits, e.g. `138****1234`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

/// Removes China's country code. `+86` and `0086` are unambiguous; a bare `86` is only taken as
/// the country code when exactly 11 digits follow.
fn strip_country_prefix(compact: &str) -> &str {
    if let Some(rest) = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
    {
        return rest;
    }
    match compact.strip_prefix("86") {
        Some(rest) if rest.len() == LENGTH => rest,
        _ => compact,
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mobile").field(&self.masked()).finish()
    }
}

impl FromStr for Mobile {
    type Err = MobileError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Explain for MobileError {
    fn code(&self) -> &'static str {
        match self {
            MobileError::Empty => "mobile_empty",
            MobileError::Characters => "mobile_characters",
            MobileError::Length => "mobile_length",
            MobileError::Prefix => "mobile_prefix",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            MobileError::Empty => ("请输入手机号码", "Please enter your mobile number."),
            MobileError::Characters => (
                "手机号码只能包含数字，请核对后重新输入",
                "A mobile number has only digits. Please check it and try again.",
            ),
            MobileError::Length => (
                "手机号码应为11位数字，请核对后重新输入",
                "A mobile number has 11 digits. Please check it and try again.",
            ),
            MobileError::Prefix => (
                "请输入以13至19开头的中国大陆手机号码",
                "Please enter a mainland China mobile number starting with 13 to 19.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_plain_numbers() {
        for first_two in ["13", "14", "15", "16", "17", "18", "19"] {
            let number = format!("{first_two}812345678");
            assert_eq!(Mobile::parse(&number).unwrap().expose(), number);
        }
    }

    #[test]
    fn strips_separators_and_country_prefixes() {
        for input in [
            " 138 1234 5678 ",
            "138-1234-5678",
            "+8613812345678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "008613812345678",
            "8613812345678",
            "１３８１２３４５６７８",
            "＋８６\u{3000}１３８１２３４５６７８",
        ] {
            assert_eq!(
                Mobile::parse(input).unwrap().expose(),
                "13812345678",
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_each_kind_of_error() {
        assert_eq!(Mobile::parse(""), Err(MobileError::Empty));
        assert_eq!(Mobile::parse(" - "), Err(MobileError::Empty));
        assert_eq!(Mobile::parse("138.1234.5678"), Err(MobileError::Characters));
        assert_eq!(Mobile::parse("138123456７a"), Err(MobileError::Characters));
        assert_eq!(Mobile::parse("(021)12345678"), Err(MobileError::Characters));
        assert_eq!(Mobile::parse("1381234567"), Err(MobileError::Length));
        assert_eq!(Mobile::parse("138123456789"), Err(MobileError::Length));
        assert_eq!(Mobile::parse("+86138123456789"), Err(MobileError::Length));
        assert_eq!(Mobile::parse("12812345678"), Err(MobileError::Prefix));
        assert_eq!(Mobile::parse("02112345678"), Err(MobileError::Prefix));
        assert_eq!(Mobile::parse("+85291234567"), Err(MobileError::Prefix));
        assert_eq!(Mobile::parse("86138123456"), Err(MobileError::Prefix));
        assert_eq!(Mobile::parse("+8602112345678"), Err(MobileError::Prefix));
    }

    #[test]
    fn r3_masks_and_debug_hides_the_number() {
        let mobile = Mobile::parse("13812341234").unwrap();
        assert_eq!(mobile.masked(), "138****1234");
        let debug = format!("{mobile:?}");
        assert_eq!(debug, r#"Mobile("138****1234")"#);
    }

    #[test]
    fn errors_explain_themselves_with_distinct_codes() {
        let all = [
            MobileError::Empty,
            MobileError::Characters,
            MobileError::Length,
            MobileError::Prefix,
        ];
        let mut codes: Vec<_> = all.iter().map(Explain::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("mobile_")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for error in all {
            assert!(!error.message(Lang::Zh).is_empty());
            assert!(error.message(Lang::En).is_ascii());
        }
    }

    proptest! {
        #[test]
        fn any_mainland_number_in_any_common_format_parses(
            number in "1[3-9][0-9]{9}",
            prefix in prop::sample::select(vec!["", "+86", "+86 ", "0086", "86"]),
            grouped in any::<bool>(),
        ) {
            let body = if grouped {
                format!("{} {} {}", &number[..3], &number[3..7], &number[7..])
            } else {
                number.clone()
            };
            let parsed = Mobile::parse(&format!("{prefix}{body}")).unwrap();
            prop_assert_eq!(parsed.expose(), number.as_str());
        }
    }
}

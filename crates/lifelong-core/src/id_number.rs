//! The resident ID number (公民身份号码, GB 11643-1999) and the permit numbers that share its shape:
//! parsing and normalising them, the check character, what the number tells (birth date, gender,
//! kind of document), and masking it for display. Rules R1 and R3.
//!
//! An [`IdNumber`] is personal data: its `Debug` is masked, it has no `Display`, and the full value
//! is only available through [`IdNumber::expose`].
//!
//! # Area codes
//!
//! Only the first two digits (the province-level part of the area code) are checked, against the
//! fixed list of province-level codes rather than the full GB/T 2260 table, because county codes
//! change every year and old numbers stay valid for life:
//!
//! - `11–15, 21–23, 31–37, 41–46, 50–54, 61–65`: mainland provinces, a resident ID card;
//! - `81, 82, 83`: Hong Kong, Macao and Taiwan residents' residence permits;
//! - `9x`: foreigners' permanent residence ID cards (2023 format). Only the leading `9` is checked;
//!   the digits after it are not constrained, so no genuine card is refused.
//!
//! Taiwan's own code `71` is refused: Taiwan residents hold `83` permits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Month, OffsetDateTime};

use crate::lang::{Explain, Lang};
use crate::mask::mask_middle;
use crate::text::fold_width;

/// Number of characters in an ID number.
pub const LENGTH: usize = 18;

/// Number of characters covered by the check character.
const BODY_LENGTH: usize = 17;

/// Number of characters of the area code (地址码).
const AREA_CODE_LENGTH: usize = 6;

/// Where the birth date (YYYYMMDD) sits in the number.
const BIRTH_DATE_RANGE: std::ops::Range<usize> = 6..14;

/// Position of the sequence digit whose parity gives the gender.
const GENDER_DIGIT_INDEX: usize = 16;

/// GB 11643 weights of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; BODY_LENGTH] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character, indexed by the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Birth dates before this are refused as typing errors.
const EARLIEST_BIRTH_DATE: Date = date!(1900 - 01 - 01);

/// A valid ID number: 18 characters, a known province-level area code, a real birth date that is
/// not in the future, and a correct GB 11643 check character. Stored normalised (upper-case `X`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    number: String,
    birth_date: Date,
    gender: Gender,
    kind: IdKind,
}

/// Gender as encoded in the sequence digit (odd: male, even: female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Odd sequence digit.
    Male,
    /// Even sequence digit.
    Female,
}

/// Which document an ID number of this shape belongs to, read from its first digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// A mainland resident ID card (居民身份证).
    Resident,
    /// A Hong Kong, Macao or Taiwan resident's residence permit (港澳台居民居住证), area 81/82/83.
    ResidencePermit,
    /// A foreigner's permanent residence ID card (外国人永久居留身份证), leading 9.
    ForeignPermanent,
}

/// Why a text is not a valid ID number. Carries no part of the input, so it is safe to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Nothing but whitespace was given.
    #[error("the ID number is empty")]
    Empty,
    /// Not 18 characters.
    #[error("an ID number must have 18 characters")]
    Length,
    /// Not 17 digits followed by a digit or `X`.
    #[error("an ID number must be 17 digits followed by a digit or X")]
    Characters,
    /// The 18th character does not match the first 17 (GB 11643).
    #[error("the ID number's check character does not match")]
    Checksum,
    /// The birth date is not a real date, or is before 1900.
    #[error("the ID number's birth date is not a real date after 1900")]
    BirthDate,
    /// The birth date is after today.
    #[error("the ID number's birth date is in the future")]
    FutureBirthDate,
    /// The first two digits are not a known province-level code.
    #[error("the ID number's area code is not a known province-level code")]
    AreaCode,
}

impl IdNumber {
    /// Parses an ID number, judging "not in the future" against today's date in UTC.
    ///
    /// This is the only place in the domain core that reads the clock; use [`IdNumber::parse_on`]
    /// where the date must be controlled.
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        Self::parse_on(input, OffsetDateTime::now_utc().date())
    }

    /// Parses an ID number as of `today`.
    ///
    /// Surrounding whitespace is trimmed, full-width digits are folded to ASCII and a lower-case
    /// `x` is read as `X`.
    ///
    /// ```
    /// use lifelong_core::id_number::{IdNumber, IdNumberError};
    /// use time::macros::date;
    ///
    /// let today = date!(2025 - 06 - 01);
    /// let id = IdNumber::parse_on(" 34052419800101001x ", today).unwrap();
    /// assert_eq!(id.expose(), "34052419800101001X");
    /// assert_eq!(id.masked(), "340***********001X");
    /// assert_eq!(
    ///     IdNumber::parse_on("340524198001010013", today),
    ///     Err(IdNumberError::Checksum)
    /// );
    /// ```
    pub fn parse_on(input: &str, today: Date) -> Result<Self, IdNumberError> {
        let number = normalise(input);
        check_shape(&number)?;
        let kind = kind_of_area(&number[..2]).ok_or(IdNumberError::AreaCode)?;
        let birth_date = birth_date_of(&number[BIRTH_DATE_RANGE])
            .filter(|date| *date >= EARLIEST_BIRTH_DATE)
            .ok_or(IdNumberError::BirthDate)?;
        if birth_date > today {
            return Err(IdNumberError::FutureBirthDate);
        }
        let (body, check) = number.split_at(BODY_LENGTH);
        if check_char(body) != check.chars().next() {
            return Err(IdNumberError::Checksum);
        }
        // check_shape has made sure the number is 18 ASCII characters, so indexing is in bounds.
        let gender = gender_of(number.as_bytes()[GENDER_DIGIT_INDEX]);
        Ok(Self {
            number,
            birth_date,
            gender,
            kind,
        })
    }

    /// The full, unmasked number. This is the only way to get it: call it only to encrypt, hash
    /// or verify the number, or to show it to someone permitted to see it (an audited reveal, R3).
    /// Never log it.
    pub fn expose(&self) -> &str {
        &self.number
    }

    /// The number masked for display: first 3 and last 4 characters, e.g. `310***********123X`.
    pub fn masked(&self) -> String {
        mask_middle(&self.number, 3, 4)
    }

    /// The 6-digit area code (地址码) at the start of the number.
    pub fn area_code(&self) -> &str {
        // The number is 18 ASCII characters, so this byte range is always in bounds.
        &self.number[..AREA_CODE_LENGTH]
    }

    /// The birth date encoded in the number.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The gender encoded in the sequence digit.
    pub fn gender(&self) -> Gender {
        self.gender
    }

    /// Which kind of document the number belongs to.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// Age in full years (周岁) on `date`; 0 for a date before the birth date. A person born on
    /// 29 February turns a year older on 1 March in common years.
    pub fn age_on(&self, date: Date) -> u32 {
        full_years_between(self.birth_date, date)
    }
}

/// Computes the GB 11643 check character for the first 17 digits of an ID number, or `None` if
/// `first17` is not exactly 17 ASCII digits.
///
/// ```
/// assert_eq!(lifelong_core::id_number::check_char("34052419800101001"), Some('X'));
/// assert_eq!(lifelong_core::id_number::check_char("3405241980"), None);
/// ```
pub fn check_char(first17: &str) -> Option<char> {
    let digits = first17.as_bytes();
    if digits.len() != BODY_LENGTH || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).map(|&c| char::from(c))
}

fn normalise(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| fold_width(c).to_ascii_uppercase())
        .collect()
}

fn check_shape(number: &str) -> Result<(), IdNumberError> {
    if number.is_empty() {
        return Err(IdNumberError::Empty);
    }
    if number.chars().count() != LENGTH {
        return Err(IdNumberError::Length);
    }
    // 18 characters are at least 18 bytes, so the split is in bounds.
    let (body, check) = number.as_bytes().split_at(BODY_LENGTH);
    let body_ok = body.iter().all(u8::is_ascii_digit);
    let check_ok = matches!(check, [b'0'..=b'9' | b'X']);
    if body_ok && check_ok {
        Ok(())
    } else {
        Err(IdNumberError::Characters)
    }
}

fn kind_of_area(first_two: &str) -> Option<IdKind> {
    match first_two.parse::<u8>().ok()? {
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 => Some(IdKind::Resident),
        81..=83 => Some(IdKind::ResidencePermit),
        90..=99 => Some(IdKind::ForeignPermanent),
        _ => None,
    }
}

fn birth_date_of(yyyymmdd: &str) -> Option<Date> {
    let year = yyyymmdd.get(0..4)?.parse().ok()?;
    let month = Month::try_from(yyyymmdd.get(4..6)?.parse::<u8>().ok()?).ok()?;
    let day = yyyymmdd.get(6..8)?.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

fn gender_of(sequence_digit: u8) -> Gender {
    if (sequence_digit - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    }
}

fn full_years_between(birth: Date, on: Date) -> u32 {
    let mut years = on.year() - birth.year();
    if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl FromStr for IdNumber {
    type Err = IdNumberError;

    /// Same as [`IdNumber::parse`] (reads today's date).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Gender {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// Label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Gender::Male => lang.pick("男", "Male"),
            Gender::Female => lang.pick("女", "Female"),
        }
    }
}

impl IdKind {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Resident => "resident",
            IdKind::ResidencePermit => "residence_permit",
            IdKind::ForeignPermanent => "foreign_permanent",
        }
    }

    /// Name of the document for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            IdKind::Resident => lang.pick("居民身份证", "Resident ID card"),
            IdKind::ResidencePermit => lang.pick(
                "港澳台居民居住证",
                "Residence permit for Hong Kong, Macao and Taiwan residents",
            ),
            IdKind::ForeignPermanent => {
                lang.pick("外国人永久居留身份证", "Foreign permanent resident ID card")
            }
        }
    }
}

impl Explain for IdNumberError {
    fn code(&self) -> &'static str {
        match self {
            IdNumberError::Empty => "id_number_empty",
            IdNumberError::Length => "id_number_length",
            IdNumberError::Characters => "id_number_characters",
            IdNumberError::Checksum => "id_number_checksum",
            IdNumberError::BirthDate => "id_number_birth_date",
            IdNumberError::FutureBirthDate => "id_number_future_birth_date",
            IdNumberError::AreaCode => "id_number_area_code",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            IdNumberError::Empty => ("请输入身份证号码", "Please enter your ID number."),
            IdNumberError::Length => (
                "身份证号码应为18位，请核对后重新输入",
                "An ID number has 18 characters. Please check it and try again.",
            ),
            IdNumberError::Characters => (
                "身份证号码前17位应为数字，最后一位为数字或字母X，请核对后重新输入",
                "An ID number is 17 digits followed by a digit or the letter X. Please check it and try again.",
            ),
            IdNumberError::Checksum => (
                "身份证号码校验位不正确，请核对后重新输入",
                "The ID number does not add up: one of its characters is wrong. Please check it and try again.",
            ),
            IdNumberError::BirthDate => (
                "身份证号码中的出生日期不正确，请核对后重新输入",
                "The birth date in the ID number is not a real date. Please check it and try again.",
            ),
            IdNumberError::FutureBirthDate => (
                "身份证号码中的出生日期晚于今天，请核对后重新输入",
                "The birth date in the ID number is after today. Please check it and try again.",
            ),
            IdNumberError::AreaCode => (
                "身份证号码开头的地区代码不正确，请核对后重新输入",
                "The ID number does not start with a valid region code. Please check it and try again.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests;

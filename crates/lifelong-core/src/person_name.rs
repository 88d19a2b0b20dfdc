//! A person's name as written on their identity document: Chinese names (including minority names
//! with a middle dot) and Latin-script names. Owns normalising what people type into one canonical
//! form and refusing what cannot be a name.
//!
//! Normalisation:
//! - surrounding whitespace is trimmed and inner whitespace runs become one space;
//! - full-width forms are folded (`Ｊｏｈｎ` → `John`);
//! - in Chinese names, every dot-like separator (`•` U+2022, `・` U+30FB, `．` U+FF0E, `‧` U+2027,
//!   `･` U+FF65, `∙` U+2219, `⋅` U+22C5 and `.`) becomes the middle dot `·` U+00B7 used on ID
//!   cards, and spaces are removed, because Chinese names on ID cards never contain spaces;
//! - in Latin names, typographic apostrophes (`’`) become `'`.
//!
//! Only Han characters (the unified ideographs with every extension, where rare name characters
//! live, and `〇`) or Latin letters (with accents, precomposed or combining) are accepted; other
//! scripts are refused because names are matched against Chinese identity documents, which write
//! every name in one of these two.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::{Explain, Lang};
use crate::text::fold_width;

/// Longest Chinese name accepted, in characters.
pub const MAX_HAN_CHARS: usize = 30;

/// Longest Latin-script name accepted, in characters.
pub const MAX_LATIN_CHARS: usize = 60;

/// The separator of minority names on ID cards (U+00B7).
pub const MIDDLE_DOT: char = '·';

/// A valid, normalised person's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

/// Why a text is not a valid name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    /// Nothing but whitespace was given.
    #[error("the name is empty")]
    Empty,
    /// More than 30 Chinese or 60 Latin characters.
    #[error("the name is too long (at most 30 Chinese or 60 Latin characters)")]
    TooLong,
    /// A character that is neither a Han character, a Latin letter nor allowed punctuation.
    #[error("the name contains characters that are not Chinese characters or Latin letters")]
    Characters,
    /// Han characters and Latin letters together.
    #[error("the name mixes Chinese characters and Latin letters")]
    MixedScripts,
    /// A dot, hyphen or apostrophe at the start or end, doubled, or not next to a letter.
    #[error("the name has a dot, hyphen or apostrophe in the wrong place")]
    Punctuation,
}

/// What a character is, as far as names are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Han,
    Latin,
    CombiningMark,
    Space,
    MiddleDot,
    Period,
    Hyphen,
    Apostrophe,
    Other,
}

/// The script of a whole name.
enum Script {
    Han,
    Latin,
}

impl PersonName {
    /// Parses and normalises a name.
    ///
    /// ```
    /// use lifelong_core::person_name::PersonName;
    ///
    /// assert_eq!(PersonName::parse(" 阿沛•阿旺晋美 ").unwrap().as_str(), "阿沛·阿旺晋美");
    /// assert_eq!(
    ///     PersonName::parse("Zoë  O’Brien-Smith").unwrap().as_str(),
    ///     "Zoë O'Brien-Smith"
    /// );
    /// assert!(PersonName::parse("张三Smith").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, PersonNameError> {
        let normalised: String = input.chars().map(normalise_char).collect();
        let collapsed = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(PersonNameError::Empty);
        }
        let name = match script_of(&collapsed)? {
            Script::Han => han_name(&collapsed)?,
            Script::Latin => latin_name(&collapsed)?,
        };
        Ok(Self(name))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn normalise_char(c: char) -> char {
    match fold_width(c) {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        '\u{2022}' | '\u{30FB}' | '\u{2027}' | '\u{FF65}' | '\u{2219}' | '\u{22C5}' => MIDDLE_DOT,
        folded => folded,
    }
}

fn class_of(c: char) -> Class {
    match c {
        _ if is_han(c) => Class::Han,
        _ if is_latin_letter(c) => Class::Latin,
        '\u{0300}'..='\u{036F}' => Class::CombiningMark,
        ' ' => Class::Space,
        MIDDLE_DOT => Class::MiddleDot,
        '.' => Class::Period,
        '-' => Class::Hyphen,
        '\'' => Class::Apostrophe,
        _ => Class::Other,
    }
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'                  // 〇, found in some names
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{20000}'..='\u{2A6DF}' // extension B
        | '\u{2A700}'..='\u{2EE5F}' // extensions C, D, E, F, I
        | '\u{30000}'..='\u{323AF}' // extensions G, H
    )
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (c.is_alphabetic()
            && matches!(c,
                '\u{00C0}'..='\u{024F}'     // Latin-1 letters, Latin Extended-A and -B
                | '\u{1E00}'..='\u{1EFF}'   // Latin Extended Additional (Vietnamese, …)
            ))
}

fn script_of(name: &str) -> Result<Script, PersonNameError> {
    let (mut han, mut latin) = (false, false);
    for c in name.chars() {
        match class_of(c) {
            Class::Han => han = true,
            Class::Latin => latin = true,
            Class::Other => return Err(PersonNameError::Characters),
            _ => {}
        }
    }
    match (han, latin) {
        (true, true) => Err(PersonNameError::MixedScripts),
        (true, false) => Ok(Script::Han),
        (false, true) => Ok(Script::Latin),
        (false, false) => Err(PersonNameError::Characters),
    }
}

/// Normalises a Chinese name: spaces dropped, every dot a middle dot, dots only between
/// characters.
fn han_name(name: &str) -> Result<String, PersonNameError> {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match class_of(c) {
            Class::Han => out.push(c),
            Class::Space => {}
            Class::MiddleDot | Class::Period => out.push(MIDDLE_DOT),
            _ => return Err(PersonNameError::Characters),
        }
    }
    if out.starts_with(MIDDLE_DOT) || out.ends_with(MIDDLE_DOT) || out.contains("··") {
        return Err(PersonNameError::Punctuation);
    }
    if out.chars().count() > MAX_HAN_CHARS {
        return Err(PersonNameError::TooLong);
    }
    Ok(out)
}

/// Checks a Latin name: accents follow letters, hyphens join letters, periods follow letters,
/// apostrophes touch a letter and no other punctuation.
fn latin_name(name: &str) -> Result<String, PersonNameError> {
    let classes: Vec<Class> = name.chars().map(class_of).collect();
    let is_letter = |i: Option<usize>| {
        i.and_then(|i| classes.get(i))
            .is_some_and(|class| matches!(class, Class::Latin | Class::CombiningMark))
    };
    let is_punctuation = |i: Option<usize>| {
        i.and_then(|i| classes.get(i))
            .is_some_and(|class| matches!(class, Class::Hyphen | Class::Period | Class::Apostrophe))
    };
    for (i, class) in classes.iter().enumerate() {
        let (before, after) = (i.checked_sub(1), Some(i + 1));
        let apostrophe_ok = (is_letter(before) || is_letter(after))
            && !is_punctuation(before)
            && !is_punctuation(after);
        match class {
            Class::Latin | Class::Space => {}
            Class::CombiningMark if is_letter(before) => {}
            Class::Hyphen if is_letter(before) && is_letter(after) => {}
            Class::Period if is_letter(before) => {}
            Class::Apostrophe if apostrophe_ok => {}
            Class::Hyphen | Class::Period | Class::Apostrophe => {
                return Err(PersonNameError::Punctuation)
            }
            _ => return Err(PersonNameError::Characters),
        }
    }
    if classes.len() > MAX_LATIN_CHARS {
        return Err(PersonNameError::TooLong);
    }
    Ok(name.to_owned())
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PersonName {
    type Err = PersonNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for PersonName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PersonName {
    /// Deserialising validates and normalises like [`PersonName::parse`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Explain for PersonNameError {
    fn code(&self) -> &'static str {
        match self {
            PersonNameError::Empty => "person_name_empty",
            PersonNameError::TooLong => "person_name_too_long",
            PersonNameError::Characters => "person_name_characters",
            PersonNameError::MixedScripts => "person_name_mixed_scripts",
            PersonNameError::Punctuation => "person_name_punctuation",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            PersonNameError::Empty => ("请输入姓名", "Please enter your name."),
            PersonNameError::TooLong => (
                "姓名太长，请按证件上的姓名填写",
                "The name is too long. Please enter it as on your ID document.",
            ),
            PersonNameError::Characters => (
                "姓名只能包含汉字或英文字母，请按证件上的姓名填写",
                "A name can only have Chinese characters or Latin letters. Please enter it as on your ID document.",
            ),
            PersonNameError::MixedScripts => (
                "姓名不能同时包含汉字和英文字母，请按证件上的姓名填写",
                "A name cannot mix Chinese characters and Latin letters. Please enter it as on your ID document.",
            ),
            PersonNameError::Punctuation => (
                "姓名中的间隔点或连字符位置不正确，请按证件上的姓名填写",
                "A dot, hyphen or apostrophe in the name is in the wrong place. Please enter it as on your ID document.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests;

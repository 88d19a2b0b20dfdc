//! Accreditation units (认证单元, R13): the smallest recognisable outcome, with its level, credit
//! value, category, industry and assessment criteria. Units are versioned data owned by the bank
//! or an institution.

use serde::{Deserialize, Serialize};

use crate::credits::Credits;
use crate::framework::{Level, Text2};
use crate::outcome::CreditCategory;
use crate::publication::{PublicationStatus, Window};

/// An accreditation unit, one version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Stable code, e.g. `U-I-0421`; versions share it.
    pub code: String,
    #[serde(default = "first_version")]
    pub version: u32,
    pub title: Text2,
    pub level: Level,
    pub credits: Credits,
    pub category: CreditCategory,
    /// Section letter of the national industry classification.
    #[serde(default)]
    pub industry: Option<char>,
    /// What a learner must show, in plain words.
    pub criteria: Text2,
    /// Who maintains it: `bank`, or an institution's unified social credit code.
    #[serde(default = "bank_owner")]
    pub owner: String,
    #[serde(default = "published")]
    pub status: PublicationStatus,
    pub window: Window,
}

pub(crate) fn first_version() -> u32 {
    1
}

fn bank_owner() -> String {
    "bank".into()
}

pub(crate) fn published() -> PublicationStatus {
    PublicationStatus::Published
}

/// Why a unit code or a unit is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("a code is 2–40 letters, digits, '-', '_' or '.'")]
    BadCode,
    #[error("a unit needs a title in Chinese")]
    Untitled,
    #[error("a unit is worth more than zero credits")]
    NoCredits,
}

/// Checks a code of a unit, standard, rule, programme or course: 2–40 characters of ASCII
/// letters, digits, `-`, `_` and `.`.
pub fn valid_code(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Unit {
    pub fn validate(&self) -> Result<(), UnitError> {
        if !valid_code(&self.code) {
            return Err(UnitError::BadCode);
        }
        if self.title.zh.trim().is_empty() {
            return Err(UnitError::Untitled);
        }
        if self.credits.is_zero() {
            return Err(UnitError::NoCredits);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_plain() {
        assert!(valid_code("U-I-0421"));
        assert!(valid_code("OU.CS_101"));
        assert!(!valid_code("U"));
        assert!(!valid_code("单元1"));
        assert!(!valid_code("a b"));
        assert!(!valid_code(&"x".repeat(41)));
    }
}

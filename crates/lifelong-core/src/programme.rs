//! Programmes (专业/培养方案) of institutions and their courses, and the conversion rules the
//! bank publishes for them (R16–R22). Programmes, rules and caps are data; the engine that
//! applies them is [`crate::conversion`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::credits::Credits;
use crate::framework::{Level, Text2};
use crate::outcome::{CreditCategory, OutcomeKind};
use crate::publication::{PublicationStatus, Window};
use crate::unit::{first_version, published};

/// A course of a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The institution's course code, unique within the programme.
    pub code: String,
    pub title: Text2,
    pub credits: Credits,
    pub level: Level,
    #[serde(default = "academic")]
    pub category: CreditCategory,
    /// Part of the compulsory credits (the base of the conversion cap, R18).
    #[serde(default)]
    pub compulsory: bool,
    /// Course design, social survey, graduation project or thesis: never exempted (R19).
    #[serde(default)]
    pub capstone: bool,
}

fn academic() -> CreditCategory {
    CreditCategory::Academic
}

/// What a cap is a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapBasis {
    /// The programme's compulsory credits (the national open university's practice).
    #[default]
    CompulsoryCredits,
    /// All the credits the award needs.
    AwardCredits,
}

/// A cap on the credits converted from one kind of source (R18), e.g. 40% from self-study exams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCap {
    pub kinds: Vec<OutcomeKind>,
    pub percent: Decimal,
    #[serde(default)]
    pub basis: CapBasis,
}

/// The caps of a programme (R18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionCaps {
    /// Converted credits at most this percentage of `basis` (default 35% of compulsory credits).
    pub percent: Decimal,
    #[serde(default)]
    pub basis: CapBasis,
    #[serde(default)]
    pub per_source: Vec<SourceCap>,
}

/// Why a programme's caps are not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapsError {
    #[error("the cap on converted credits must be a percentage from 0 to 100")]
    Total,
    #[error("limit by source {0} must be a percentage from 0 to 100")]
    Source(usize),
}

impl ConversionCaps {
    /// Checks that every cap is a percentage from 0 to 100 (R18). Limits by source are
    /// numbered from 1 in the error.
    pub fn validate(&self) -> Result<(), CapsError> {
        let in_range = |p: Decimal| p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED;
        if !in_range(self.percent) {
            return Err(CapsError::Total);
        }
        match self.per_source.iter().position(|s| !in_range(s.percent)) {
            Some(i) => Err(CapsError::Source(i + 1)),
            None => Ok(()),
        }
    }
}

impl Default for ConversionCaps {
    fn default() -> Self {
        ConversionCaps {
            percent: Decimal::from(35),
            basis: CapBasis::CompulsoryCredits,
            per_source: Vec::new(),
        }
    }
}

/// A programme of an institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub code: String,
    /// The receiving institution's unified social credit code.
    pub institution: String,
    pub title: Text2,
    pub level: Level,
    /// Credits needed for the award.
    pub award_credits: Credits,
    pub courses: Vec<Course>,
    #[serde(default)]
    pub caps: ConversionCaps,
}

impl Programme {
    /// The sum of the compulsory courses' credits.
    pub fn compulsory_credits(&self) -> Credits {
        self.courses
            .iter()
            .filter(|c| c.compulsory)
            .map(|c| c.credits)
            .sum()
    }

    /// The credits a cap with `basis` and `percent` allows.
    pub fn cap_limit(&self, basis: CapBasis, percent: Decimal) -> Credits {
        let base = match basis {
            CapBasis::CompulsoryCredits => self.compulsory_credits(),
            CapBasis::AwardCredits => self.award_credits,
        };
        base.percent(percent)
    }

    pub fn course(&self, code: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.code == code)
    }
}

/// What a conversion rule accepts as the substituting outcome. Every condition set must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RuleSource {
    /// The outcome must be recognised against this accreditation unit.
    pub unit_code: Option<String>,
    /// Kinds of outcome accepted; empty means any.
    pub kinds: Vec<OutcomeKind>,
    pub certificate_code: Option<String>,
    /// Certificate level this or higher (1 is highest).
    pub certificate_level_at_least: Option<u8>,
    /// The source's course code.
    pub course_code: Option<String>,
    /// The vouching institution (unified social credit code).
    pub source: Option<String>,
    pub min_score: Option<Decimal>,
}

/// A conversion rule (转换规则), one version: an outcome matching `accepts` may replace
/// `course_code` of `programme_code` (R16, R17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionRule {
    pub code: String,
    #[serde(default = "first_version")]
    pub version: u32,
    pub title: Text2,
    pub programme_code: String,
    /// The course exempted.
    pub course_code: String,
    pub accepts: RuleSource,
    /// How many years after completion the outcome may still be converted (R22); none = no limit.
    #[serde(default)]
    pub valid_years: Option<u32>,
    #[serde(default = "published")]
    pub status: PublicationStatus,
    pub window: Window,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r18_cap_is_35_percent_of_compulsory_credits_by_default() {
        let course = |code: &str, credits: u32, compulsory: bool| Course {
            code: code.into(),
            title: Text2::new(code, code),
            credits: Credits::whole(credits),
            level: Level::new(6).unwrap(),
            category: CreditCategory::Academic,
            compulsory,
            capstone: false,
        };
        let p = Programme {
            code: "P1".into(),
            institution: "X".into(),
            title: Text2::new("p", "p"),
            level: Level::new(6).unwrap(),
            award_credits: Credits::whole(80),
            courses: vec![
                course("A", 40, true),
                course("B", 20, true),
                course("C", 20, false),
            ],
            caps: ConversionCaps::default(),
        };
        assert_eq!(p.compulsory_credits(), Credits::whole(60));
        assert_eq!(
            p.cap_limit(p.caps.basis, p.caps.percent),
            Credits::whole(21)
        );
        assert_eq!(
            p.cap_limit(CapBasis::AwardCredits, Decimal::from(50)),
            Credits::whole(40)
        );
    }

    #[test]
    fn r18_caps_are_percentages_from_0_to_100() {
        let source = |percent: i64| SourceCap {
            kinds: vec![OutcomeKind::SelfStudyExam],
            percent: Decimal::from(percent),
            basis: CapBasis::AwardCredits,
        };
        let caps = |percent: i64, per_source: Vec<SourceCap>| ConversionCaps {
            percent: Decimal::from(percent),
            basis: CapBasis::CompulsoryCredits,
            per_source,
        };
        assert_eq!(ConversionCaps::default().validate(), Ok(()));
        assert_eq!(caps(0, vec![source(100)]).validate(), Ok(()));
        assert_eq!(caps(101, vec![]).validate(), Err(CapsError::Total));
        assert_eq!(caps(-1, vec![]).validate(), Err(CapsError::Total));
        assert_eq!(
            caps(35, vec![source(40), source(150)]).validate(),
            Err(CapsError::Source(2))
        );
    }
}

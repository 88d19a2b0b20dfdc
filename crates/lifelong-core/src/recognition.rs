//! Recognition (认定, R16, R23): placing an outcome against an accreditation unit under a
//! published recognition standard. A standard is data — which outcomes it matches (kind,
//! certificate code and level, course and institution, hours, result) and how many credits it
//! grants. [`recognise`] is a pure function: standards in, a decision with its explanation out.
//!
//! When several standards match, the one granting the most credits wins (ties: the lower code),
//! so a learner is never given less than a published standard allows.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::credits::{CreditPolicy, Credits, StudyHours};
use crate::framework::{Level, Text2};
use crate::lang::{Explain, Lang};
use crate::outcome::{CreditCategory, Outcome, OutcomeKind};
use crate::publication::{in_force, PublicationStatus, Window};
use crate::unit::{first_version, published, Unit};

/// Which outcomes a standard matches. Every condition that is set must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchCriteria {
    /// Kinds of outcome accepted; empty means any.
    pub kinds: Vec<OutcomeKind>,
    /// The certificate's name code must be this one.
    pub certificate_code: Option<String>,
    /// The certificate's level must be this or higher (level 1 is the highest).
    pub certificate_level_at_least: Option<u8>,
    /// The source's course code must be this one.
    pub course_code: Option<String>,
    /// The vouching institution (unified social credit code) must be this one.
    pub source: Option<String>,
    pub min_hours: Option<StudyHours>,
    /// Minimum score out of 100.
    pub min_score: Option<Decimal>,
    /// The outcome must be a pass (true unless said otherwise).
    #[serde(default = "yes")]
    pub require_pass: bool,
}

fn yes() -> bool {
    true
}

/// How many credits a recognition grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditBasis {
    /// The unit's credit value.
    #[default]
    Unit,
    /// The outcome's study hours converted by the credit policy (R14), at most the unit's value.
    Hours,
    /// The credits the source awarded, at most the unit's value.
    Deposited,
}

/// A recognition standard (认定标准), one version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecognitionStandard {
    pub code: String,
    #[serde(default = "first_version")]
    pub version: u32,
    pub title: Text2,
    /// The unit an outcome is placed against.
    pub unit_code: String,
    #[serde(default)]
    pub criteria: MatchCriteria,
    #[serde(default)]
    pub basis: CreditBasis,
    #[serde(default = "published")]
    pub status: PublicationStatus,
    pub window: Window,
}

/// Why a standard did not match an outcome. Serialised with its `code` and values, for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Miss {
    /// The standard is not published or not in force on the day.
    StandardNotInForce {
        #[serde(with = "crate::publication::day")]
        on: Date,
    },
    /// The unit the standard points at is missing or not in force.
    UnitNotInForce {
        unit: String,
    },
    KindNotAccepted {
        kind: OutcomeKind,
    },
    CertificateDiffers {
        required: String,
    },
    CertificateLevelTooLow {
        required: u8,
        actual: Option<u8>,
    },
    CourseDiffers {
        required: String,
    },
    SourceDiffers,
    TooFewHours {
        required: StudyHours,
        actual: Option<StudyHours>,
    },
    ScoreTooLow {
        required: Decimal,
        actual: Option<Decimal>,
    },
    NotPassed,
    /// Everything matched, but the basis gives no credits (e.g. no hours on record).
    NoCredits,
}

impl Explain for Miss {
    fn code(&self) -> &'static str {
        match self {
            Miss::StandardNotInForce { .. } => "standard_not_in_force",
            Miss::UnitNotInForce { .. } => "unit_not_in_force",
            Miss::KindNotAccepted { .. } => "kind_not_accepted",
            Miss::CertificateDiffers { .. } => "certificate_differs",
            Miss::CertificateLevelTooLow { .. } => "certificate_level_too_low",
            Miss::CourseDiffers { .. } => "course_differs",
            Miss::SourceDiffers => "source_differs",
            Miss::TooFewHours { .. } => "too_few_hours",
            Miss::ScoreTooLow { .. } => "score_too_low",
            Miss::NotPassed => "not_passed",
            Miss::NoCredits => "no_credits",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let none = lang.pick("无", "none");
        match self {
            Miss::StandardNotInForce { on } => match lang {
                Lang::Zh => format!("该认定标准在 {on} 未生效。"),
                Lang::En => format!("The standard was not in force on {on}."),
            },
            Miss::UnitNotInForce { unit } => match lang {
                Lang::Zh => format!("认证单元 {unit} 不存在或未生效。"),
                Lang::En => format!("Unit {unit} does not exist or is not in force."),
            },
            Miss::KindNotAccepted { kind } => match lang {
                Lang::Zh => format!("该标准不认定“{}”类成果。", kind.label(lang)),
                Lang::En => format!(
                    "The standard does not recognise outcomes of kind “{}”.",
                    kind.label(lang)
                ),
            },
            Miss::CertificateDiffers { required } => match lang {
                Lang::Zh => format!("证书代码须为 {required}。"),
                Lang::En => format!("The certificate code must be {required}."),
            },
            Miss::CertificateLevelTooLow { required, actual } => {
                let actual = actual.map_or(none.to_owned(), |a| a.to_string());
                match lang {
                    Lang::Zh => format!("证书等级须为{required}级或更高，实际为 {actual}。"),
                    Lang::En => format!(
                        "The certificate must be level {required} or higher; it is {actual}."
                    ),
                }
            }
            Miss::CourseDiffers { required } => match lang {
                Lang::Zh => format!("课程代码须为 {required}。"),
                Lang::En => format!("The course code must be {required}."),
            },
            Miss::SourceDiffers => lang
                .pick(
                    "成果须由标准指定的机构出具。",
                    "The outcome must come from the institution the standard names.",
                )
                .to_owned(),
            Miss::TooFewHours { required, actual } => {
                let actual = actual.map_or(none.to_owned(), |a| a.to_string());
                match lang {
                    Lang::Zh => format!("学时须不少于 {required}，实际为 {actual}。"),
                    Lang::En => {
                        format!("At least {required} study hours are needed; it has {actual}.")
                    }
                }
            }
            Miss::ScoreTooLow { required, actual } => {
                let actual = actual.map_or(none.to_owned(), |a| a.normalize().to_string());
                match lang {
                    Lang::Zh => format!("成绩须不低于 {}，实际为 {actual}。", required.normalize()),
                    Lang::En => format!(
                        "A score of at least {} is needed; it is {actual}.",
                        required.normalize()
                    ),
                }
            }
            Miss::NotPassed => lang
                .pick("该成果未合格。", "The outcome is not a pass.")
                .to_owned(),
            Miss::NoCredits => lang
                .pick(
                    "按该标准计算的学分为零。",
                    "The standard grants no credits for it.",
                )
                .to_owned(),
        }
    }
}

/// A standard that matched, and what it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recognised {
    pub standard_code: String,
    pub standard_version: u32,
    pub unit_code: String,
    pub unit_version: u32,
    pub credits: Credits,
    pub category: CreditCategory,
    pub level: Level,
}

/// One standard considered and why it did not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Considered {
    pub standard_code: String,
    pub standard_version: u32,
    pub misses: Vec<Miss>,
}

/// The decision for one outcome (R23): the standard applied, if any, and every other standard
/// of the same kind considered with the reasons it did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecognitionDecision {
    pub outcome_id: String,
    #[serde(with = "crate::publication::day")]
    pub on: Date,
    pub recognised: Option<Recognised>,
    pub considered: Vec<Considered>,
}

impl RecognitionDecision {
    /// The decision in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        match (&self.recognised, lang) {
            (Some(r), Lang::Zh) => format!(
                "依据认定标准 {}（第{}版）认定为认证单元 {}，{} 学分（{}，第{}级）。",
                r.standard_code,
                r.standard_version,
                r.unit_code,
                r.credits,
                r.category.label(lang),
                r.level
            ),
            (Some(r), Lang::En) => format!(
                "Recognised under standard {} (version {}) as unit {}: {} credits ({}, level {}).",
                r.standard_code,
                r.standard_version,
                r.unit_code,
                r.credits,
                r.category.label(lang),
                r.level
            ),
            (None, Lang::Zh) if self.considered.is_empty() => "没有适用于该成果的认定标准。".into(),
            (None, Lang::En) if self.considered.is_empty() => {
                "No recognition standard applies to this outcome.".into()
            }
            (None, _) => {
                let reasons: Vec<String> = self
                    .considered
                    .iter()
                    .map(|c| {
                        let why: Vec<String> = c.misses.iter().map(|m| m.message(lang)).collect();
                        format!("{}: {}", c.standard_code, why.join(" "))
                    })
                    .collect();
                format!(
                    "{} {}",
                    lang.pick("未能认定。", "Not recognised."),
                    reasons.join("; ")
                )
            }
        }
    }
}

fn check_criteria(c: &MatchCriteria, o: &Outcome, misses: &mut Vec<Miss>) {
    if !c.kinds.is_empty() && !c.kinds.contains(&o.kind) {
        misses.push(Miss::KindNotAccepted { kind: o.kind });
    }
    if let Some(code) = &c.certificate_code {
        if o.certificate_code.as_deref().map(str::trim) != Some(code.as_str()) {
            misses.push(Miss::CertificateDiffers {
                required: code.clone(),
            });
        }
    }
    if let Some(required) = c.certificate_level_at_least {
        if o.certificate_level.is_none_or(|l| l > required) {
            misses.push(Miss::CertificateLevelTooLow {
                required,
                actual: o.certificate_level,
            });
        }
    }
    if let Some(code) = &c.course_code {
        if o.course_code.as_deref().map(str::trim) != Some(code.as_str()) {
            misses.push(Miss::CourseDiffers {
                required: code.clone(),
            });
        }
    }
    if let Some(source) = &c.source {
        if o.source.as_deref() != Some(source.as_str()) {
            misses.push(Miss::SourceDiffers);
        }
    }
    if let Some(min) = c.min_hours {
        if o.hours.is_none_or(|h| h < min) {
            misses.push(Miss::TooFewHours {
                required: min,
                actual: o.hours,
            });
        }
    }
    if let Some(min) = c.min_score {
        if o.score.is_none_or(|s| s < min) {
            misses.push(Miss::ScoreTooLow {
                required: min,
                actual: o.score,
            });
        }
    }
    if c.require_pass && !o.passed {
        misses.push(Miss::NotPassed);
    }
}

fn credits_granted(basis: CreditBasis, unit: &Unit, o: &Outcome, policy: &CreditPolicy) -> Credits {
    let value = match basis {
        CreditBasis::Unit => unit.credits,
        CreditBasis::Hours => o.hours.map_or(Credits::ZERO, |h| policy.credits_for(h)),
        CreditBasis::Deposited => o.credits.unwrap_or(Credits::ZERO),
    };
    value.min(unit.credits)
}

/// Finds the version of a unit in force on a day.
pub trait UnitLookup {
    /// The newest version of unit `code` in force on `on`.
    fn unit_in_force(&self, code: &str, on: Date) -> Option<&Unit>;
}

impl UnitLookup for [Unit] {
    fn unit_in_force(&self, code: &str, on: Date) -> Option<&Unit> {
        self.iter()
            .filter(|u| u.code == code && in_force(u.status, &u.window, on))
            .max_by_key(|u| u.version)
    }
}

impl UnitLookup for Vec<Unit> {
    fn unit_in_force(&self, code: &str, on: Date) -> Option<&Unit> {
        self.as_slice().unit_in_force(code, on)
    }
}

/// Standards and units indexed for recognising many outcomes: only the standards that could
/// concern an outcome (its kind, its certificate or course code) are tried, and units are
/// found by code. Gives the same decisions as [`recognise`] over all standards, without the
/// noise of standards about other certificates in the explanation.
#[derive(Debug, Clone, Default)]
pub struct StandardIndex {
    standards: Vec<RecognitionStandard>,
    /// Standards naming a certificate or course code, by that code.
    by_code: std::collections::HashMap<String, Vec<usize>>,
    /// The other standards.
    open: Vec<usize>,
    units: std::collections::HashMap<String, Vec<Unit>>,
}

impl StandardIndex {
    pub fn new(standards: Vec<RecognitionStandard>, units: Vec<Unit>) -> Self {
        let mut by_code: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        let mut open = Vec::new();
        for (i, s) in standards.iter().enumerate() {
            match (&s.criteria.certificate_code, &s.criteria.course_code) {
                (Some(code), _) | (None, Some(code)) => {
                    by_code.entry(code.clone()).or_default().push(i)
                }
                (None, None) => open.push(i),
            }
        }
        let mut by_unit: std::collections::HashMap<String, Vec<Unit>> =
            std::collections::HashMap::new();
        for u in units {
            by_unit.entry(u.code.clone()).or_default().push(u);
        }
        StandardIndex {
            standards,
            by_code,
            open,
            units: by_unit,
        }
    }

    pub fn standards(&self) -> &[RecognitionStandard] {
        &self.standards
    }

    /// The unit `code` at `version`, if known.
    pub fn unit(&self, code: &str, version: u32) -> Option<&Unit> {
        self.units.get(code)?.iter().find(|u| u.version == version)
    }

    /// Recognises `outcome` under the standards that could concern it.
    pub fn recognise(
        &self,
        outcome: &Outcome,
        on: Date,
        policy: &CreditPolicy,
    ) -> RecognitionDecision {
        let codes = [
            outcome.certificate_code.as_deref(),
            outcome.course_code.as_deref(),
        ];
        let mut picked: Vec<usize> = codes
            .iter()
            .flatten()
            .filter_map(|c| self.by_code.get(c.trim()))
            .flatten()
            .copied()
            .collect();
        picked.extend(self.open.iter().copied());
        picked.sort_unstable();
        picked.dedup();
        let relevant = picked
            .into_iter()
            .map(|i| &self.standards[i])
            .filter(|s| s.criteria.kinds.is_empty() || s.criteria.kinds.contains(&outcome.kind));
        recognise(outcome, relevant, self, on, policy)
    }
}

impl UnitLookup for StandardIndex {
    fn unit_in_force(&self, code: &str, on: Date) -> Option<&Unit> {
        self.units
            .get(code)?
            .iter()
            .filter(|u| in_force(u.status, &u.window, on))
            .max_by_key(|u| u.version)
    }
}

/// Recognises `outcome` on `on` under the best matching standard in force, or explains why none
/// applies. `units` are looked up by code and must be in force on the day as well.
pub fn recognise<'a>(
    outcome: &Outcome,
    standards: impl IntoIterator<Item = &'a RecognitionStandard>,
    units: &(impl UnitLookup + ?Sized),
    on: Date,
    policy: &CreditPolicy,
) -> RecognitionDecision {
    let mut best: Option<Recognised> = None;
    let mut considered = Vec::new();
    for s in standards {
        let mut misses = Vec::new();
        if !in_force(s.status, &s.window, on) {
            misses.push(Miss::StandardNotInForce { on });
        }
        let unit = units.unit_in_force(&s.unit_code, on);
        check_criteria(&s.criteria, outcome, &mut misses);
        let Some(unit) = unit else {
            misses.push(Miss::UnitNotInForce {
                unit: s.unit_code.clone(),
            });
            considered.push(Considered {
                standard_code: s.code.clone(),
                standard_version: s.version,
                misses,
            });
            continue;
        };
        let credits = credits_granted(s.basis, unit, outcome, policy);
        if misses.is_empty() && credits.is_zero() {
            misses.push(Miss::NoCredits);
        }
        if !misses.is_empty() {
            considered.push(Considered {
                standard_code: s.code.clone(),
                standard_version: s.version,
                misses,
            });
            continue;
        }
        let candidate = Recognised {
            standard_code: s.code.clone(),
            standard_version: s.version,
            unit_code: unit.code.clone(),
            unit_version: unit.version,
            credits,
            category: unit.category,
            level: unit.level,
        };
        let better = match &best {
            None => true,
            Some(b) => {
                (
                    candidate.credits,
                    std::cmp::Reverse(&candidate.standard_code),
                ) > (b.credits, std::cmp::Reverse(&b.standard_code))
            }
        };
        if better {
            best = Some(candidate);
        }
    }
    // Only standards that could have concerned this kind of outcome are worth explaining.
    considered.retain(|c| {
        !c.misses
            .iter()
            .any(|m| matches!(m, Miss::KindNotAccepted { .. }))
    });
    RecognitionDecision {
        outcome_id: outcome.id.clone(),
        on,
        recognised: best,
        considered,
    }
}

#[cfg(test)]
mod tests;

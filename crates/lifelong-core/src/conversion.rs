//! Conversion (学分转换, R11, R16–R23): whether outcomes a learner holds may replace courses of a
//! programme, under the conversion rules the bank publishes. Everything here is a pure function:
//! the programme, the rules and the learner's outcomes go in; a decision with its explanation
//! comes out, machine-readable (serde) and in plain words (`summary`, `message`).
//!
//! * [`plan`] finds the best set of exemptions for a learner: the most exempted credits, each
//!   outcome used once, each course exempted once, every cap respected. It is solved exactly by
//!   branch and bound (see `search`), because a greedy choice can miss a better combination.
//! * [`decide`] checks the pairs a learner applied for (or an institution accepts), in order,
//!   against eligibility and the cumulative caps.
//!
//! Where the domain rules are silent this module chooses as a careful bank would, and says so:
//! a course the learner already passed is not exempted (`course_already_passed`); an outcome
//! valid for N years may be converted up to the day before the N-th anniversary of its
//! completion; when several rule versions accept an outcome, the one with no objection is cited
//! (ties: the lower code, then the newer version); a per-source cap that names no kinds limits
//! nothing; prior exemptions count toward the caps at the credits recorded for them.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::credits::Credits;
use crate::framework::{Level, Text2};
use crate::outcome::{CreditCategory, Outcome, OutcomeKind};
use crate::programme::{CapBasis, ConversionRule, Programme};

mod check;
mod decide;
mod plan;
mod refusal;
mod search;
mod summary;

pub use decide::decide;
pub use plan::plan;
pub use refusal::Refusal;

/// The grade recorded for an exempted course (R20).
pub const EXEMPT_GRADE: &str = "免考";

/// Nodes the planner's search visits by default before settling for the best plan found.
pub const DEFAULT_SEARCH_BUDGET: u64 = 2_000_000;

/// What the bank recognised an outcome as (R16): the unit, and the credits, level and category
/// the recognition granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecognitionRef {
    pub unit_code: String,
    pub credits: Credits,
    pub level: Level,
    pub category: CreditCategory,
}

/// An outcome the learner holds, with its recognition if the bank recognised it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub outcome: Outcome,
    #[serde(default)]
    pub recognition: Option<RecognitionRef>,
}

impl Candidate {
    /// An outcome the bank has not recognised.
    pub fn unrecognised(outcome: Outcome) -> Candidate {
        Candidate {
            outcome,
            recognition: None,
        }
    }

    /// An outcome with its recognition.
    pub fn recognised(outcome: Outcome, recognition: RecognitionRef) -> Candidate {
        Candidate {
            outcome,
            recognition: Some(recognition),
        }
    }

    /// The credits that count: the recognition's if recognised, else the outcome's own.
    pub fn credits(&self) -> Option<Credits> {
        match &self.recognition {
            Some(r) => Some(r.credits),
            None => self.outcome.credits,
        }
    }

    /// The level that counts: the recognition's if recognised, else the outcome's own.
    pub fn level(&self) -> Option<Level> {
        match &self.recognition {
            Some(r) => Some(r.level),
            None => self.outcome.level,
        }
    }

    /// The credit category that counts: the recognition's if recognised, else the outcome's.
    pub fn category(&self) -> CreditCategory {
        match &self.recognition {
            Some(r) => r.category,
            None => self.outcome.category,
        }
    }
}

/// An exemption the learner already holds in the programme. It counts toward the caps, and
/// blocks both its course and its outcome (R21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorExemption {
    pub course_code: String,
    pub outcome_id: String,
    /// The exempted course's credits, as recorded.
    pub credits: Credits,
    /// The kind of the outcome used, for the per-source caps.
    pub kind: OutcomeKind,
}

/// How the bank runs conversion: data, with defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConversionPolicy {
    /// Years after completion an outcome of a kind may still be converted (R22). Kinds not
    /// listed never expire (the default: none listed). A rule's own `valid_years` overrides it.
    pub validity_years: BTreeMap<OutcomeKind, u32>,
    /// Nodes the planner's search may visit before it settles for the best plan found.
    pub search_budget: u64,
}

impl Default for ConversionPolicy {
    fn default() -> Self {
        ConversionPolicy {
            validity_years: BTreeMap::new(),
            search_budget: DEFAULT_SEARCH_BUDGET,
        }
    }
}

/// Everything a conversion decision depends on, for one learner and one programme.
#[derive(Debug, Clone)]
pub struct ConversionCase<'a> {
    pub programme: &'a Programme,
    /// Conversion rules, every version; only those of this programme are looked at.
    pub rules: &'a [ConversionRule],
    /// The learner's outcomes. Ids are unique; a repeated id is ignored after its first use.
    pub candidates: &'a [Candidate],
    /// Exemptions the learner already holds in this programme.
    pub prior: &'a [PriorExemption],
    /// Outcome ids a partner region's bank has already used (R21).
    pub consumed_elsewhere: HashSet<String>,
    /// Codes of the programme's courses the learner has already passed: never exempted.
    pub passed_courses: HashSet<String>,
    /// The application day: rules must be in force on it (R17), validity counts to it (R22).
    pub on: Date,
    pub policy: ConversionPolicy,
}

impl<'a> ConversionCase<'a> {
    /// A case with no prior exemptions, nothing consumed elsewhere, no passed courses and the
    /// default policy.
    pub fn new(
        programme: &'a Programme,
        rules: &'a [ConversionRule],
        candidates: &'a [Candidate],
        on: Date,
    ) -> ConversionCase<'a> {
        ConversionCase {
            programme,
            rules,
            candidates,
            prior: &[],
            consumed_elsewhere: HashSet::new(),
            passed_courses: HashSet::new(),
            on,
            policy: ConversionPolicy::default(),
        }
    }
}

/// A rule version cited by a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleRef {
    pub code: String,
    pub version: u32,
}

/// One exemption: `course_code` is recorded with its own credits and the grade 免考 (R20),
/// replaced by `outcome_id` under the cited rule (R17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedExemption {
    pub course_code: String,
    pub course_title: Text2,
    pub outcome_id: String,
    pub outcome_title: String,
    /// The outcome's kind, for the per-source caps.
    pub kind: OutcomeKind,
    pub rule_code: String,
    pub rule_version: u32,
    /// The replaced course's credits.
    pub credits: Credits,
    /// Always [`EXEMPT_GRADE`].
    pub grade: String,
}

impl From<&PlannedExemption> for PriorExemption {
    fn from(e: &PlannedExemption) -> PriorExemption {
        PriorExemption {
            course_code: e.course_code.clone(),
            outcome_id: e.outcome_id.clone(),
            credits: e.credits,
            kind: e.kind,
        }
    }
}

/// Why an outcome does not replace a course, with what the explanation names (R23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub outcome_id: String,
    pub outcome_title: String,
    /// The course concerned; none when the reason is about the outcome alone.
    pub course_code: Option<String>,
    pub course_title: Option<Text2>,
    /// The conversion rule the reason is under, if one applied.
    pub rule: Option<RuleRef>,
    pub reason: Refusal,
    /// The domain rule behind the reason (`R19` …).
    pub domain_rule: &'static str,
}

/// A cap and how much of it is used (R18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapUse {
    /// `total`, or `source:` and the kinds it limits (`source:self_study_exam`).
    pub cap: String,
    /// The outcome kinds it limits; empty for the total cap, which limits every kind.
    pub kinds: Vec<OutcomeKind>,
    pub percent: Decimal,
    pub basis: CapBasis,
    pub limit: Credits,
    /// Used by the learner's prior exemptions.
    pub used_before: Credits,
    /// Used after this plan or decision (prior and new together).
    pub used_now: Credits,
}

/// The best set of exemptions for a learner in a programme, and why nothing more is possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversionPlan {
    pub programme_code: String,
    #[serde(with = "crate::publication::day")]
    pub on: Date,
    /// In the programme's course order.
    pub exemptions: Vec<PlannedExemption>,
    /// The credits the new exemptions replace.
    pub total: Credits,
    /// Every candidate outcome left unused, and every eligible pair left out, with the reason.
    pub refusals: Vec<Refused>,
    pub caps: Vec<CapUse>,
    /// Whether the search finished; if not, the plan is the best found within the budget.
    pub exhaustive: bool,
    /// Search nodes visited.
    pub nodes: u64,
}

/// A pair a learner applied for: this outcome to replace this course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionRequest {
    pub outcome_id: String,
    pub course_code: String,
}

impl ExemptionRequest {
    /// A request for `outcome_id` to replace `course_code`.
    pub fn new(outcome_id: impl Into<String>, course_code: impl Into<String>) -> Self {
        ExemptionRequest {
            outcome_id: outcome_id.into(),
            course_code: course_code.into(),
        }
    }
}

/// The answer to one requested pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Accepted {
        exemption: PlannedExemption,
    },
    /// At least one reason; `rule` is the rule the reasons are under, if one applied.
    Refused {
        rule: Option<RuleRef>,
        reasons: Vec<Refusal>,
    },
}

/// One requested pair and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairDecision {
    pub outcome_id: String,
    pub outcome_title: Option<String>,
    pub course_code: String,
    pub course_title: Option<Text2>,
    pub verdict: Verdict,
}

impl PairDecision {
    /// Whether the pair was accepted.
    pub fn accepted(&self) -> bool {
        matches!(self.verdict, Verdict::Accepted { .. })
    }
}

/// The decision on a list of requested pairs, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversionDecision {
    pub programme_code: String,
    #[serde(with = "crate::publication::day")]
    pub on: Date,
    pub decisions: Vec<PairDecision>,
    pub caps: Vec<CapUse>,
}

impl ConversionDecision {
    /// The exemptions accepted, in the order requested.
    pub fn accepted(&self) -> impl Iterator<Item = &PlannedExemption> {
        self.decisions.iter().filter_map(|d| match &d.verdict {
            Verdict::Accepted { exemption } => Some(exemption),
            Verdict::Refused { .. } => None,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests;

//! Eligibility of one (outcome, course) pair and the caps (R11, R17–R22): the checks that do not
//! depend on which other exemptions are chosen, and the cap arithmetic that does.

use std::collections::HashMap;

use time::{Date, Month};

use super::{Candidate, CapUse, ConversionCase, PriorExemption, Refusal};
use crate::credits::Credits;
use crate::outcome::{CreditCategory, OutcomeKind};
use crate::programme::{CapBasis, ConversionRule, Course, RuleSource};
use crate::publication::in_force;

/// A cap with its limit and what the prior exemptions already use of it.
#[derive(Debug, Clone)]
pub(super) struct Cap {
    pub code: String,
    /// Empty for the total cap, which covers every kind.
    pub kinds: Vec<OutcomeKind>,
    pub total: bool,
    pub percent: rust_decimal::Decimal,
    pub basis: CapBasis,
    pub limit: Credits,
    pub used_before: Credits,
}

impl Cap {
    /// Whether exemptions by outcomes of `kind` count against this cap.
    pub fn covers(&self, kind: OutcomeKind) -> bool {
        self.total || self.kinds.contains(&kind)
    }

    /// The refusal when `used` plus `credits` goes past the limit.
    pub fn breach(&self, used: Credits, credits: Credits) -> Option<Refusal> {
        let would_be = used + credits;
        (would_be > self.limit).then(|| Refusal::CapExceeded {
            cap: self.code.clone(),
            kinds: self.kinds.clone(),
            percent: self.percent,
            basis: self.basis,
            limit: self.limit,
            used,
            would_be,
        })
    }

    /// The cap's use for a report, given what is used now.
    pub fn usage(&self, used_now: Credits) -> CapUse {
        CapUse {
            cap: self.code.clone(),
            kinds: self.kinds.clone(),
            percent: self.percent,
            basis: self.basis,
            limit: self.limit,
            used_before: self.used_before,
            used_now,
        }
    }
}

/// The reasons a pair is refused, before any choice among pairs: about the outcome alone, the
/// course alone, and under the rule that fits best.
#[derive(Debug, Clone, Default)]
pub(super) struct PairCheck<'c> {
    /// The rule cited; none when no rule for the course accepts the outcome.
    pub rule: Option<&'c ConversionRule>,
    pub course: Vec<Refusal>,
    pub under_rule: Vec<Refusal>,
}

impl PairCheck<'_> {
    /// Whether the pair passes every check apart from the outcome's own and the caps.
    pub fn clear(&self) -> bool {
        self.rule.is_some() && self.course.is_empty() && self.under_rule.is_empty()
    }
}

/// Evaluates pairs for one case. Built once per case; lookups by code are hashed.
pub(super) struct Evaluator<'c> {
    pub case: &'c ConversionCase<'c>,
    rules_by_course: HashMap<&'c str, Vec<&'c ConversionRule>>,
    prior_by_outcome: HashMap<&'c str, &'c PriorExemption>,
    prior_by_course: HashMap<&'c str, &'c PriorExemption>,
    pub caps: Vec<Cap>,
}

impl<'c> Evaluator<'c> {
    pub fn new(case: &'c ConversionCase<'c>) -> Evaluator<'c> {
        let programme = case.programme;
        let mut rules_by_course: HashMap<&str, Vec<&ConversionRule>> = HashMap::new();
        for rule in case
            .rules
            .iter()
            .filter(|r| r.programme_code == programme.code)
        {
            rules_by_course
                .entry(rule.course_code.as_str())
                .or_default()
                .push(rule);
        }
        let mut prior_by_outcome = HashMap::new();
        let mut prior_by_course = HashMap::new();
        for p in case.prior {
            prior_by_outcome.entry(p.outcome_id.as_str()).or_insert(p);
            prior_by_course.entry(p.course_code.as_str()).or_insert(p);
        }
        let caps_data = &programme.caps;
        let mut caps = vec![Cap {
            code: "total".to_owned(),
            kinds: Vec::new(),
            total: true,
            percent: caps_data.percent,
            basis: caps_data.basis,
            limit: programme.cap_limit(caps_data.basis, caps_data.percent),
            used_before: Credits::ZERO,
        }];
        for source in &caps_data.per_source {
            let kinds: Vec<&str> = source.kinds.iter().map(|k| k.as_str()).collect();
            caps.push(Cap {
                code: format!("source:{}", kinds.join("+")),
                kinds: source.kinds.clone(),
                total: false,
                percent: source.percent,
                basis: source.basis,
                limit: programme.cap_limit(source.basis, source.percent),
                used_before: Credits::ZERO,
            });
        }
        for cap in &mut caps {
            cap.used_before = case
                .prior
                .iter()
                .filter(|p| cap.covers(p.kind))
                .map(|p| p.credits)
                .sum();
        }
        Evaluator {
            case,
            rules_by_course,
            prior_by_outcome,
            prior_by_course,
            caps,
        }
    }

    /// Reasons about the outcome alone: not a pass, consumed elsewhere, already used (R21).
    pub fn outcome_reasons(&self, c: &Candidate) -> Vec<Refusal> {
        let mut reasons = Vec::new();
        let id = c.outcome.id.as_str();
        if !c.outcome.passed {
            reasons.push(Refusal::NotPassed);
        }
        if self.case.consumed_elsewhere.contains(id) {
            reasons.push(Refusal::ConsumedElsewhere);
        }
        if let Some(p) = self.prior_by_outcome.get(id) {
            reasons.push(Refusal::OutcomeAlreadyUsed {
                course: p.course_code.clone(),
            });
        }
        reasons
    }

    /// Reasons about the course alone: capstone (R19), already exempt (R21), already passed.
    fn course_reasons(&self, course: &Course) -> Vec<Refusal> {
        let mut reasons = Vec::new();
        if course.capstone {
            reasons.push(Refusal::Capstone);
        }
        if let Some(p) = self.prior_by_course.get(course.code.as_str()) {
            reasons.push(Refusal::CourseAlreadyExempt {
                outcome: p.outcome_id.clone(),
            });
        }
        if self.case.passed_courses.contains(&course.code) {
            reasons.push(Refusal::CourseAlreadyPassed);
        }
        reasons
    }

    /// Whether a rule for `course` accepts the candidate at all, whatever its window.
    pub fn any_rule_accepts(&self, c: &Candidate, course: &Course) -> bool {
        self.rules_by_course
            .get(course.code.as_str())
            .is_some_and(|rules| rules.iter().any(|r| accepts(&r.accepts, c)))
    }

    /// Checks the pair. Course reasons are given only when some rule accepts the outcome, so a
    /// capstone is not reported against every outcome the learner holds.
    pub fn check(&self, c: &Candidate, course: &Course) -> PairCheck<'c> {
        let Some(rules) = self.rules_by_course.get(course.code.as_str()) else {
            return PairCheck::default();
        };
        let best = rules
            .iter()
            .filter(|r| accepts(&r.accepts, c))
            .map(|r| (*r, self.rule_reasons(c, course, r)))
            .min_by(|(a, ra), (b, rb)| {
                (ra.len(), &a.code, std::cmp::Reverse(a.version)).cmp(&(
                    rb.len(),
                    &b.code,
                    std::cmp::Reverse(b.version),
                ))
            });
        match best {
            None => PairCheck::default(),
            Some((rule, under_rule)) => PairCheck {
                rule: Some(rule),
                course: self.course_reasons(course),
                under_rule,
            },
        }
    }

    /// Reasons under one rule that accepts the outcome: R17, R11, R20, R22.
    fn rule_reasons(&self, c: &Candidate, course: &Course, rule: &ConversionRule) -> Vec<Refusal> {
        let mut reasons = Vec::new();
        let on = self.case.on;
        if !in_force(rule.status, &rule.window, on) {
            reasons.push(Refusal::RuleNotInForce {
                rule: rule.code.clone(),
                version: rule.version,
                on,
            });
        }
        if c.category() == CreditCategory::Leisure && course.category == CreditCategory::Academic {
            reasons.push(Refusal::LeisureIntoAcademic);
        }
        let level = c.level();
        if level.is_none_or(|l| l < course.level) {
            reasons.push(Refusal::LevelTooLow {
                required: course.level,
                actual: level,
            });
        }
        let credits = c.credits();
        if credits.is_none_or(|x| x < course.credits) {
            reasons.push(Refusal::CreditsTooLow {
                required: course.credits,
                actual: credits,
            });
        }
        let years = rule.valid_years.or_else(|| {
            self.case
                .policy
                .validity_years
                .get(&c.outcome.kind)
                .copied()
        });
        if let Some(last) = years.and_then(|y| last_valid_day(c.outcome.completed_on, y)) {
            if on > last {
                reasons.push(Refusal::Expired {
                    last_valid_day: last,
                });
            }
        }
        reasons
    }
}

/// Whether an outcome is what a rule accepts. Every condition that is set must hold.
pub(super) fn accepts(src: &RuleSource, c: &Candidate) -> bool {
    let o = &c.outcome;
    let same = |required: &Option<String>, actual: &Option<String>| {
        required
            .as_deref()
            .is_none_or(|r| actual.as_deref().map(str::trim) == Some(r.trim()))
    };
    let unit_ok = src.unit_code.as_deref().is_none_or(|u| {
        c.recognition
            .as_ref()
            .is_some_and(|r| r.unit_code.trim() == u.trim())
    });
    unit_ok
        && (src.kinds.is_empty() || src.kinds.contains(&o.kind))
        && same(&src.certificate_code, &o.certificate_code)
        && src
            .certificate_level_at_least
            .is_none_or(|req| o.certificate_level.is_some_and(|l| l <= req))
        && same(&src.course_code, &o.course_code)
        && same(&src.source, &o.source)
        && src
            .min_score
            .is_none_or(|min| o.score.is_some_and(|s| s >= min))
}

/// The last day an outcome completed on `completed` may be converted when it is valid for
/// `years`: the day before the anniversary (a 29 February anniversary falls on 1 March). `None`
/// when that lies beyond the calendar, i.e. never.
pub(super) fn last_valid_day(completed: Date, years: u32) -> Option<Date> {
    let year = completed.year().checked_add(i32::try_from(years).ok()?)?;
    let anniversary = Date::from_calendar_date(year, completed.month(), completed.day())
        .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
        .ok()?;
    anniversary.previous_day()
}

//! Builders for conversion and qualification tests: courses, programmes, outcomes, rules, and a
//! `Scenario` that owns everything a `ConversionCase` borrows.

use std::collections::HashSet;

use rust_decimal::Decimal;
use time::Date;

use crate::conversion::{
    decide, plan, Candidate, ConversionCase, ConversionDecision, ConversionPlan, ConversionPolicy,
    ExemptionRequest, PriorExemption, RecognitionRef,
};
use crate::credits::Credits;
use crate::framework::{Level, Text2};
use crate::outcome::{CreditCategory, LearningMode, Outcome, OutcomeKind};
use crate::programme::{ConversionCaps, ConversionRule, Course, Programme, RuleSource};
use crate::publication::{PublicationStatus, Window};

/// The receiving institution (a valid unified social credit code).
pub(crate) const INSTITUTION: &str = "91310000132200821H";

pub(crate) fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

pub(crate) fn cr(text: &str) -> Credits {
    Credits::parse(text).unwrap()
}

pub(crate) fn level(n: u8) -> Level {
    Level::new(n).unwrap()
}

pub(crate) fn course(code: &str, title: &str, credits: &str, lvl: u8, compulsory: bool) -> Course {
    Course {
        code: code.into(),
        title: Text2::new(title, code),
        credits: cr(credits),
        level: level(lvl),
        category: CreditCategory::Academic,
        compulsory,
        capstone: false,
    }
}

pub(crate) fn capstone(code: &str, title: &str, credits: &str) -> Course {
    Course {
        capstone: true,
        ..course(code, title, credits, 6, true)
    }
}

pub(crate) fn programme(courses: Vec<Course>, award: &str) -> Programme {
    Programme {
        code: "P-CS".into(),
        institution: INSTITUTION.into(),
        title: Text2::new("计算机科学与技术", "Computer Science and Technology"),
        level: level(6),
        award_credits: cr(award),
        courses,
        caps: ConversionCaps::default(),
    }
}

/// A passed outcome of `kind`, level 6, 4 credits, completed on 2024-06-30, category and
/// class by kind.
pub(crate) fn outcome(id: &str, kind: OutcomeKind) -> Outcome {
    Outcome {
        id: id.into(),
        title: format!("成果{id}"),
        kind,
        class: kind.default_class(),
        category: kind.default_category(),
        industry: Some('I'),
        level: Some(level(6)),
        mode: LearningMode::SelfStudy,
        completed_on: day(2024, 6, 30),
        hours: None,
        credits: Some(cr("4")),
        score: Some(Decimal::from(75)),
        passed: true,
        certificate_code: None,
        certificate_level: None,
        course_code: None,
        source: None,
    }
}

pub(crate) fn with_course_code(mut o: Outcome, code: &str) -> Outcome {
    o.course_code = Some(code.into());
    o
}

pub(crate) fn recognised(o: Outcome, unit: &str, credits: &str, lvl: u8) -> Candidate {
    let category = o.category;
    Candidate::recognised(
        o,
        RecognitionRef {
            unit_code: unit.into(),
            credits: cr(credits),
            level: level(lvl),
            category,
        },
    )
}

/// A published rule of `P-CS`, in force from 2025-01-01, with no end.
pub(crate) fn rule(code: &str, course_code: &str, accepts: RuleSource) -> ConversionRule {
    ConversionRule {
        code: code.into(),
        version: 1,
        title: Text2::new(code, code),
        programme_code: "P-CS".into(),
        course_code: course_code.into(),
        accepts,
        valid_years: None,
        status: PublicationStatus::Published,
        window: Window::new(day(2025, 1, 1), None).unwrap(),
    }
}

pub(crate) fn accepts_course_code(code: &str) -> RuleSource {
    RuleSource {
        course_code: Some(code.into()),
        ..RuleSource::default()
    }
}

pub(crate) fn accepts_unit(unit: &str) -> RuleSource {
    RuleSource {
        unit_code: Some(unit.into()),
        ..RuleSource::default()
    }
}

pub(crate) fn prior(
    course: &str,
    outcome: &str,
    credits: &str,
    kind: OutcomeKind,
) -> PriorExemption {
    PriorExemption {
        course_code: course.into(),
        outcome_id: outcome.into(),
        credits: cr(credits),
        kind,
    }
}

/// Everything a case borrows, owned, so tests can change any part and run the engines.
#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    pub programme: Programme,
    pub rules: Vec<ConversionRule>,
    pub candidates: Vec<Candidate>,
    pub prior: Vec<PriorExemption>,
    pub consumed: HashSet<String>,
    pub passed: HashSet<String>,
    pub on: Date,
    pub policy: ConversionPolicy,
}

impl Scenario {
    pub fn new(
        programme: Programme,
        rules: Vec<ConversionRule>,
        candidates: Vec<Candidate>,
    ) -> Self {
        Scenario {
            programme,
            rules,
            candidates,
            prior: Vec::new(),
            consumed: HashSet::new(),
            passed: HashSet::new(),
            on: day(2026, 3, 1),
            policy: ConversionPolicy::default(),
        }
    }

    pub fn case(&self) -> ConversionCase<'_> {
        ConversionCase {
            programme: &self.programme,
            rules: &self.rules,
            candidates: &self.candidates,
            prior: &self.prior,
            consumed_elsewhere: self.consumed.clone(),
            passed_courses: self.passed.clone(),
            on: self.on,
            policy: self.policy.clone(),
        }
    }

    pub fn plan(&self) -> ConversionPlan {
        plan(&self.case())
    }

    pub fn decide(&self, pairs: &[(&str, &str)]) -> ConversionDecision {
        let requests: Vec<ExemptionRequest> = pairs
            .iter()
            .map(|(o, c)| ExemptionRequest::new(*o, *c))
            .collect();
        decide(&self.case(), &requests)
    }

    pub fn candidate_mut(&mut self, id: &str) -> &mut Candidate {
        self.candidates
            .iter_mut()
            .find(|c| c.outcome.id == id)
            .unwrap()
    }
}

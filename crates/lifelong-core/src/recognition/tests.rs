//! Recognition (R16, R23): table-driven cases of what a standard matches and why not, which
//! standard wins, and that every decision explains itself in both languages.

use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

use super::*;
use crate::credits::CreditPolicy;
use crate::outcome::{LearningMode, OutcomeClass};

fn window() -> Window {
    Window::new(date!(2024 - 01 - 01), None).unwrap()
}

fn unit(code: &str, credits: u32, level: u8) -> Unit {
    Unit {
        code: code.into(),
        version: 1,
        title: Text2::new(code, code),
        level: Level::new(level).unwrap(),
        credits: Credits::whole(credits),
        category: CreditCategory::Vocational,
        industry: None,
        criteria: Text2::new("c", "c"),
        owner: "bank".into(),
        status: PublicationStatus::Published,
        window: window(),
    }
}

fn standard(
    code: &str,
    unit: &str,
    criteria: MatchCriteria,
    basis: CreditBasis,
) -> RecognitionStandard {
    RecognitionStandard {
        code: code.into(),
        version: 1,
        title: Text2::new(code, code),
        unit_code: unit.into(),
        criteria,
        basis,
        status: PublicationStatus::Published,
        window: window(),
    }
}

fn electrician(level: u8) -> Outcome {
    Outcome {
        id: "o-1".into(),
        title: "电工".into(),
        kind: OutcomeKind::SkillCertificate,
        class: OutcomeClass::NonFormal,
        category: CreditCategory::Vocational,
        industry: Some('D'),
        level: None,
        mode: LearningMode::Classroom,
        completed_on: date!(2025 - 06 - 30),
        hours: Some(StudyHours::whole(40)),
        credits: None,
        score: Some(Decimal::from(82)),
        passed: true,
        certificate_code: Some("6-31-01-03".into()),
        certificate_level: Some(level),
        course_code: None,
        source: Some("X".into()),
    }
}

fn cert_criteria(at_least: u8) -> MatchCriteria {
    MatchCriteria {
        kinds: vec![OutcomeKind::SkillCertificate],
        certificate_code: Some("6-31-01-03".into()),
        certificate_level_at_least: Some(at_least),
        require_pass: true,
        ..Default::default()
    }
}

fn units() -> Vec<Unit> {
    vec![
        unit("U-5", 2, 3),
        unit("U-4", 4, 4),
        unit("U-3", 5, 5),
        unit("U-H", 8, 4),
    ]
}

fn standards() -> Vec<RecognitionStandard> {
    vec![
        standard("RS-5", "U-5", cert_criteria(5), CreditBasis::Unit),
        standard("RS-4", "U-4", cert_criteria(4), CreditBasis::Unit),
        standard("RS-3", "U-3", cert_criteria(3), CreditBasis::Unit),
    ]
}

const ON: time::Date = date!(2026 - 11 - 23);

#[test]
fn r16_the_most_generous_matching_standard_wins() {
    let policy = CreditPolicy::default();
    let cases = [
        (5, Some("RS-5"), "2"),
        (4, Some("RS-4"), "4"),
        (3, Some("RS-3"), "5"),
        (1, Some("RS-3"), "5"),
    ];
    for (level, standard, credits) in cases {
        let d = recognise(&electrician(level), &standards(), &units(), ON, &policy);
        let r = d.recognised.as_ref();
        assert_eq!(
            r.map(|r| r.standard_code.as_str()),
            standard,
            "level {level}"
        );
        assert_eq!(
            r.map(|r| r.credits.to_string()).as_deref(),
            Some(credits),
            "level {level}"
        );
    }
}

#[test]
fn r16_each_unmet_condition_is_named() {
    let policy = CreditPolicy::default();
    type Change = fn(&mut Outcome);
    let cases: [(Change, &str); 5] = [
        (
            |o| o.certificate_code = Some("6-18-02-04".into()),
            "certificate_differs",
        ),
        (
            |o| o.certificate_level = Some(5),
            "certificate_level_too_low",
        ),
        (|o| o.certificate_level = None, "certificate_level_too_low"),
        (|o| o.passed = false, "not_passed"),
        (
            |o| o.kind = OutcomeKind::VocationalCertificate,
            "kind_not_accepted",
        ),
    ];
    let only_rs4 = vec![standards().remove(1)];
    for (change, code) in cases {
        let mut o = electrician(4);
        change(&mut o);
        let d = recognise(&o, &only_rs4, &units(), ON, &policy);
        assert!(d.recognised.is_none(), "{code}");
        if code == "kind_not_accepted" {
            assert!(
                d.considered.is_empty(),
                "standards of other kinds are not worth explaining"
            );
        } else {
            let codes: Vec<&str> = d.considered[0].misses.iter().map(Explain::code).collect();
            assert!(codes.contains(&code), "{code}: {codes:?}");
        }
    }
}

#[test]
fn r17_standards_and_units_must_be_in_force() {
    let policy = CreditPolicy::default();
    let mut s = standards();
    for st in &mut s {
        st.window = Window::new(date!(2024 - 01 - 01), Some(date!(2025 - 12 - 31))).unwrap();
    }
    let d = recognise(&electrician(4), &s, &units(), ON, &policy);
    assert!(d.recognised.is_none());
    assert!(d
        .considered
        .iter()
        .all(|c| c.misses.iter().any(|m| m.code() == "standard_not_in_force")));
    let mut drafts = standards();
    drafts[1].status = PublicationStatus::Draft;
    let d = recognise(&electrician(4), &drafts, &units(), ON, &policy);
    assert_eq!(
        d.recognised.unwrap().standard_code,
        "RS-5",
        "a draft never applies"
    );
    let d = recognise(
        &electrician(4),
        &standards(),
        [unit("U-5", 2, 3)].as_slice(),
        ON,
        &policy,
    );
    assert_eq!(d.recognised.unwrap().standard_code, "RS-5");
}

#[test]
fn r14_hours_based_credits_are_capped_at_the_unit_value() {
    let policy = CreditPolicy::default();
    let by_hours = vec![standard(
        "RS-H",
        "U-H",
        MatchCriteria {
            kinds: vec![OutcomeKind::SkillCertificate],
            min_hours: Some(StudyHours::whole(8)),
            require_pass: true,
            ..Default::default()
        },
        CreditBasis::Hours,
    )];
    let mut o = electrician(4);
    o.hours = Some(StudyHours::whole(40)); // 2.5 credits
    assert_eq!(
        recognise(&o, &by_hours, &units(), ON, &policy)
            .recognised
            .unwrap()
            .credits
            .to_string(),
        "2.5"
    );
    o.hours = Some(StudyHours::whole(400)); // 25, capped at 8
    assert_eq!(
        recognise(&o, &by_hours, &units(), ON, &policy)
            .recognised
            .unwrap()
            .credits
            .to_string(),
        "8"
    );
    o.hours = Some(StudyHours::whole(6));
    let d = recognise(&o, &by_hours, &units(), ON, &policy);
    assert_eq!(d.considered[0].misses[0].code(), "too_few_hours");
}

#[test]
fn r23_every_decision_explains_itself_in_both_languages() {
    let policy = CreditPolicy::default();
    let yes = recognise(&electrician(4), &standards(), &units(), ON, &policy);
    assert!(yes.summary(Lang::Zh).contains("RS-4") && yes.summary(Lang::En).contains("unit U-4"));
    let mut o = electrician(4);
    o.score = Some(Decimal::from(50));
    let scored = vec![standard(
        "RS-S",
        "U-4",
        MatchCriteria {
            min_score: Some(Decimal::from(60)),
            require_pass: true,
            ..Default::default()
        },
        CreditBasis::Unit,
    )];
    let no = recognise(&o, &scored, &units(), ON, &policy);
    assert!(no.summary(Lang::Zh).contains("60") && no.summary(Lang::En).contains("at least 60"));
    let json = serde_json::to_value(&no).unwrap();
    assert_eq!(json["considered"][0]["misses"][0]["code"], "score_too_low");
    let none = recognise(&o, &[], &units(), ON, &policy);
    assert!(!none.summary(Lang::Zh).is_empty());
}

proptest! {
    /// Whatever the outcome, a recognition never grants more than its unit is worth, and
    /// never recognises a failed outcome under a standard that requires a pass.
    #[test]
    fn r16_never_more_than_the_unit_and_never_a_fail(level in 1u8..=5, passed: bool, hours in 0u32..1000) {
        let mut o = electrician(level);
        o.passed = passed;
        o.hours = Some(StudyHours::whole(hours));
        let d = recognise(&o, &standards(), &units(), ON, &CreditPolicy::default());
        if let Some(r) = d.recognised {
            prop_assert!(passed);
            let unit = units().into_iter().find(|u| u.code == r.unit_code).unwrap();
            prop_assert!(r.credits <= unit.credits);
        }
    }
}

proptest! {
    /// The index decides exactly as trying every standard does.
    #[test]
    fn the_index_decides_as_the_full_search_does(level in 1u8..=5, code in 0usize..3, kind in 0usize..3) {
        let mut o = electrician(level);
        o.certificate_code = Some(["6-31-01-03", "6-18-02-04", "X"][code].into());
        o.kind = [OutcomeKind::SkillCertificate, OutcomeKind::VocationalCertificate, OutcomeKind::Training][kind];
        let policy = CreditPolicy::default();
        let full = recognise(&o, &standards(), units().as_slice(), ON, &policy);
        let index = StandardIndex::new(standards(), units());
        prop_assert_eq!(index.recognise(&o, ON, &policy).recognised, full.recognised);
    }
}

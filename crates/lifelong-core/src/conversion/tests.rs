use rust_decimal::Decimal;

use super::*;
use crate::lang::{Explain, Lang};
use crate::programme::{ConversionCaps, SourceCap};
use crate::publication::{PublicationStatus, Window};
use fixtures::*;

pub(crate) mod fixtures;
mod props;
pub(crate) mod worked;

/// Five courses, 24 compulsory credits (cap 35% = 8.4), one self-study pass `O-1` that rule
/// `R-MATH` accepts for `C-MATH`; `R-THESIS` would accept it for the capstone.
fn base() -> Scenario {
    let programme = programme(
        vec![
            course("C-MATH", "高等数学", "4", 6, true),
            course("C-DS", "数据结构", "4", 6, true),
            course("C-OS", "操作系统", "10", 6, true),
            capstone("C-THESIS", "毕业设计", "6"),
            course("C-ELEC", "电子商务", "3", 6, false),
        ],
        "40",
    );
    let rules = vec![
        rule("R-MATH", "C-MATH", accepts_course_code("00020")),
        rule("R-THESIS", "C-THESIS", accepts_course_code("00020")),
    ];
    let o1 = with_course_code(outcome("O-1", OutcomeKind::SelfStudyExam), "00020");
    Scenario::new(programme, rules, vec![Candidate::unrecognised(o1)])
}

type Row = (
    &'static str,
    (&'static str, &'static str),
    &'static str,
    fn(&mut Scenario),
);

fn refusal_rows() -> Vec<Row> {
    vec![
        ("no_rule", ("O-1", "C-MATH"), "O-1", |s| {
            s.candidate_mut("O-1").outcome.course_code = Some("99999".into());
        }),
        ("rule_not_in_force", ("O-1", "C-MATH"), "2026-03-01", |s| {
            s.rules[0].window = Window::new(day(2025, 1, 1), Some(day(2025, 12, 31))).unwrap();
        }),
        ("rule_not_in_force", ("O-1", "C-MATH"), "R-MATH", |s| {
            s.rules[0].status = PublicationStatus::Draft;
        }),
        ("capstone", ("O-1", "C-THESIS"), "R-THESIS", |s| {
            s.rules.retain(|r| r.code != "R-MATH")
        }),
        ("level_too_low", ("O-1", "C-MATH"), "5", |s| {
            s.candidate_mut("O-1").outcome.level = Some(level(5));
        }),
        ("level_too_low", ("O-1", "C-MATH"), "6", |s| {
            s.candidate_mut("O-1").outcome.level = None
        }),
        ("credits_too_low", ("O-1", "C-MATH"), "3", |s| {
            s.candidate_mut("O-1").outcome.credits = Some(cr("3"));
        }),
        ("credits_too_low", ("O-1", "C-MATH"), "4", |s| {
            s.candidate_mut("O-1").outcome.credits = None;
        }),
        ("leisure_into_academic", ("O-1", "C-MATH"), "R-MATH", |s| {
            s.candidate_mut("O-1").outcome.category = CreditCategory::Leisure;
        }),
        ("outcome_already_used", ("O-1", "C-MATH"), "C-DS", |s| {
            s.prior
                .push(prior("C-DS", "O-1", "4", OutcomeKind::SelfStudyExam));
        }),
        ("consumed_elsewhere", ("O-1", "C-MATH"), "O-1", |s| {
            s.consumed.insert("O-1".into());
        }),
        ("course_already_exempt", ("O-1", "C-MATH"), "O-9", |s| {
            s.prior
                .push(prior("C-MATH", "O-9", "4", OutcomeKind::CourseCredit));
        }),
        ("course_already_passed", ("O-1", "C-MATH"), "C-MATH", |s| {
            s.passed.insert("C-MATH".into());
        }),
        ("expired", ("O-1", "C-MATH"), "2025-06-29", |s| {
            s.policy
                .validity_years
                .insert(OutcomeKind::SelfStudyExam, 1);
        }),
        ("not_passed", ("O-1", "C-MATH"), "O-1", |s| {
            s.candidate_mut("O-1").outcome.passed = false
        }),
        ("cap_exceeded", ("O-1", "C-MATH"), "8.4", |s| {
            s.prior
                .push(prior("C-OS", "O-9", "10", OutcomeKind::CourseCredit));
        }),
        ("cap_exceeded", ("O-1", "C-MATH"), "2.4", |s| {
            s.programme.caps.per_source.push(SourceCap {
                kinds: vec![OutcomeKind::SelfStudyExam],
                percent: Decimal::from(10),
                basis: Default::default(),
            });
        }),
        ("unknown_outcome", ("O-404", "C-MATH"), "O-404", |_| {}),
        ("unknown_course", ("O-1", "C-404"), "C-404", |_| {}),
    ]
}

#[test]
fn r23_every_refusal_is_explained_with_its_rule_outcome_course_and_limit() {
    let clean = base().plan();
    assert_eq!(
        clean.exemptions.len(),
        1,
        "the base scenario converts: {clean:?}"
    );
    for (code, (outcome_id, course_code), mention, change) in refusal_rows() {
        let mut s = base();
        change(&mut s);
        let decision = s.decide(&[(outcome_id, course_code)]);
        let d = &decision.decisions[0];
        let Verdict::Refused { rule, reasons } = &d.verdict else {
            panic!("{code}: expected a refusal, got {d:?}");
        };
        assert!(
            reasons.iter().any(|r| r.code() == code),
            "{code}: got {reasons:?}"
        );
        let (zh, en) = (d.summary(Lang::Zh), d.summary(Lang::En));
        assert!(
            zh.contains(mention) && en.contains(mention),
            "{code}: {zh} / {en}"
        );
        assert_ne!(zh, en);
        if let Some(rule) = rule {
            assert!(
                zh.contains(&rule.code) && en.contains(&rule.code),
                "{code}: {zh}"
            );
        } else {
            assert!(
                matches!(code, "no_rule" | "unknown_outcome" | "unknown_course"),
                "{code}"
            );
        }
        if code.starts_with("unknown") {
            continue;
        }
        // The plan gives the same reason for the unused outcome, naming what the decision named.
        let plan = s.plan();
        assert!(plan.exemptions.is_empty(), "{code}: {plan:?}");
        let r = plan.refusals.iter().find(|r| r.reason.code() == code);
        let r = r.unwrap_or_else(|| panic!("{code}: not in {:?}", plan.refusals));
        assert_eq!(r.outcome_id, "O-1");
        assert_eq!(r.domain_rule, r.reason.domain_rule());
        for lang in [Lang::Zh, Lang::En] {
            let text = r.message(lang);
            assert!(
                text.contains("O-1") && text.contains(mention),
                "{code}: {text}"
            );
            if let Some(rule) = &r.rule {
                assert!(text.contains(&rule.code), "{code}: {text}");
            }
        }
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["reason"]["code"], code);
    }
}

#[test]
fn r23_every_reason_has_a_code_a_domain_rule_and_two_languages() {
    let reasons = vec![
        Refusal::NoRule,
        Refusal::RuleNotInForce {
            rule: "R".into(),
            version: 2,
            on: day(2026, 3, 1),
        },
        Refusal::Capstone,
        Refusal::LevelTooLow {
            required: level(6),
            actual: None,
        },
        Refusal::CreditsTooLow {
            required: cr("4"),
            actual: Some(cr("3")),
        },
        Refusal::LeisureIntoAcademic,
        Refusal::OutcomeAlreadyUsed { course: "C".into() },
        Refusal::ConsumedElsewhere,
        Refusal::CourseAlreadyExempt {
            outcome: "O".into(),
        },
        Refusal::CourseAlreadyPassed,
        Refusal::Expired {
            last_valid_day: day(2025, 6, 29),
        },
        Refusal::NotPassed,
        Refusal::CapExceeded {
            cap: "source:self_study_exam".into(),
            kinds: vec![OutcomeKind::SelfStudyExam],
            percent: Decimal::from(40),
            basis: Default::default(),
            limit: cr("18.4"),
            used: cr("16"),
            would_be: cr("20"),
        },
        Refusal::UnknownOutcome,
        Refusal::UnknownCourse,
    ];
    for r in &reasons {
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["code"], r.code());
        let (zh, en) = (r.message(Lang::Zh), r.message(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{}", r.code());
        assert!(r.domain_rule().starts_with('R'));
    }
    let cap = &reasons[12];
    assert!(cap.message(Lang::Zh).contains("自学考试") && cap.message(Lang::Zh).contains("18.4"));
    assert!(cap
        .message(Lang::En)
        .starts_with("The cap on credits converted from"));
}

#[test]
fn r19_capstone_is_never_exempt() {
    let mut s = base();
    s.rules.retain(|r| r.code == "R-THESIS");
    s.candidate_mut("O-1").outcome.credits = Some(cr("8"));
    assert!(s.plan().exemptions.is_empty());
    let d = s.decide(&[("O-1", "C-THESIS")]);
    assert!(!d.decisions[0].accepted());
}

#[test]
fn r20_exemption_records_the_course_credits_and_the_grade_exempt() {
    let mut s = base();
    s.candidate_mut("O-1").outcome.credits = Some(cr("6.5"));
    let plan = s.plan();
    let e = &plan.exemptions[0];
    assert_eq!(
        (e.course_code.as_str(), e.credits, e.grade.as_str()),
        ("C-MATH", cr("4"), "免考")
    );
    assert_eq!((e.rule_code.as_str(), e.rule_version), ("R-MATH", 1));
    assert_eq!(plan.total, cr("4"));
    assert!(plan.summary(Lang::Zh).contains("免考") && plan.summary(Lang::En).contains("R-MATH"));
}

#[test]
fn r20_a_recognised_outcome_counts_with_the_recognitions_level_and_credits() {
    let mut s = base();
    let mut o = outcome("O-2", OutcomeKind::SkillCertificate);
    (o.credits, o.level) = (None, None);
    s.candidates = vec![recognised(o, "U-I-0421", "4", 6)];
    s.rules = vec![rule("R-UNIT", "C-MATH", accepts_unit("U-I-0421"))];
    assert_eq!(s.plan().exemptions[0].outcome_id, "O-2");
    s.candidates[0].recognition.as_mut().unwrap().unit_code = "U-OTHER".into();
    assert_eq!(s.plan().refusals[0].reason, Refusal::NoRule);
}

#[test]
fn r17_the_version_in_force_on_the_application_day_is_cited() {
    let mut s = base();
    let mut v1 = s.rules[0].clone();
    v1.window = v1.window.closed_before(day(2026, 1, 1));
    v1.status = PublicationStatus::Superseded;
    let mut v2 = s.rules[0].clone();
    (v2.version, v2.window) = (2, Window::new(day(2026, 1, 1), None).unwrap());
    s.rules = vec![v1, v2];
    assert_eq!(s.plan().exemptions[0].rule_version, 2);
    s.on = day(2025, 6, 1);
    assert_eq!(s.plan().exemptions[0].rule_version, 1);
    s.on = day(2024, 12, 31);
    let plan = s.plan();
    assert!(plan.exemptions.is_empty());
    assert!(matches!(
        plan.refusals[0].reason,
        Refusal::RuleNotInForce { .. }
    ));
}

#[test]
fn r17_rules_of_other_programmes_do_not_apply() {
    let mut s = base();
    for r in &mut s.rules {
        r.programme_code = "P-OTHER".into();
    }
    assert_eq!(s.plan().refusals[0].reason, Refusal::NoRule);
}

#[test]
fn r22_a_rules_validity_overrides_the_policy_and_counts_to_the_day_before_the_anniversary() {
    let mut s = base();
    s.policy
        .validity_years
        .insert(OutcomeKind::SelfStudyExam, 1);
    assert!(s.plan().exemptions.is_empty());
    s.rules[0].valid_years = Some(2);
    s.on = day(2026, 6, 29);
    assert_eq!(
        s.plan().exemptions.len(),
        1,
        "valid through the day before the anniversary"
    );
    s.on = day(2026, 6, 30);
    assert!(s.plan().exemptions.is_empty());
    assert_eq!(
        check::last_valid_day(day(2024, 2, 29), 1),
        Some(day(2025, 2, 28))
    );
    assert_eq!(
        check::last_valid_day(day(2020, 3, 1), 3),
        Some(day(2023, 2, 28))
    );
}

#[test]
fn r22_formal_outcomes_never_expire_by_default() {
    let mut s = base();
    s.candidate_mut("O-1").outcome.completed_on = day(1990, 1, 1);
    assert_eq!(s.plan().exemptions.len(), 1);
}

#[test]
fn r21_decide_uses_an_outcome_once_and_a_course_once() {
    let mut s = base();
    s.rules
        .push(rule("R-DS", "C-DS", accepts_course_code("00020")));
    let o2 = with_course_code(outcome("O-2", OutcomeKind::SelfStudyExam), "00020");
    s.candidates.push(Candidate::unrecognised(o2));
    let d = s.decide(&[
        ("O-1", "C-MATH"),
        ("O-1", "C-DS"),
        ("O-2", "C-MATH"),
        ("O-2", "C-DS"),
    ]);
    let codes: Vec<Vec<&str>> = d
        .decisions
        .iter()
        .map(|d| match &d.verdict {
            Verdict::Accepted { .. } => vec!["accepted"],
            Verdict::Refused { reasons, .. } => reasons.iter().map(|r| r.code()).collect(),
        })
        .collect();
    assert_eq!(
        codes,
        [
            vec!["accepted"],
            vec!["outcome_already_used"],
            vec!["course_already_exempt"],
            vec!["accepted"]
        ]
    );
    assert_eq!(d.accepted().count(), 2);
    assert_eq!(d.caps[0].used_now, cr("8"));
}

#[test]
fn r18_decide_counts_the_caps_cumulatively_in_the_order_given() {
    let mut s = base();
    s.rules
        .push(rule("R-DS", "C-DS", accepts_course_code("00020")));
    s.rules
        .push(rule("R-ELEC", "C-ELEC", accepts_course_code("00020")));
    for id in ["O-2", "O-3"] {
        let o = with_course_code(outcome(id, OutcomeKind::SelfStudyExam), "00020");
        s.candidates.push(Candidate::unrecognised(o));
    }
    // 4 + 3 = 7 fits under 8.4; a further 4 would make 11.
    let d = s.decide(&[("O-1", "C-ELEC"), ("O-2", "C-MATH"), ("O-3", "C-DS")]);
    assert!(d.decisions[0].accepted() && d.decisions[1].accepted());
    let Verdict::Refused { reasons, .. } = &d.decisions[2].verdict else {
        panic!()
    };
    assert_eq!(
        reasons[0],
        Refusal::CapExceeded {
            cap: "total".into(),
            kinds: vec![],
            percent: Decimal::from(35),
            basis: Default::default(),
            limit: cr("8.4"),
            used: cr("7"),
            would_be: cr("11"),
        }
    );
    assert!(d.summary(Lang::Zh).contains("转换学分总上限"));
}

/// Greedy takes the 6-credit course and then nothing fits; the best is 4 + 4.
#[test]
fn r18_the_plan_beats_greedy_when_a_large_course_blocks_a_better_combination() {
    let mut s = base();
    s.programme.courses = vec![
        course("A", "A", "6", 6, true),
        course("B", "B", "4", 6, true),
        course("C", "C", "4", 6, true),
    ];
    s.programme.caps = ConversionCaps {
        percent: Decimal::from(10),
        basis: crate::programme::CapBasis::AwardCredits,
        per_source: vec![],
    };
    s.programme.award_credits = cr("80");
    s.rules = ["A", "B", "C"]
        .iter()
        .map(|c| rule(&format!("R-{c}"), c, accepts_course_code("00020")))
        .collect();
    s.candidates = (1..=3)
        .map(|i| {
            let mut o = with_course_code(
                outcome(&format!("O-{i}"), OutcomeKind::SelfStudyExam),
                "00020",
            );
            o.credits = Some(cr("6"));
            Candidate::unrecognised(o)
        })
        .collect();
    let plan = s.plan();
    let courses: Vec<&str> = plan
        .exemptions
        .iter()
        .map(|e| e.course_code.as_str())
        .collect();
    assert_eq!(courses, ["B", "C"]);
    assert_eq!((plan.total, plan.exhaustive), (cr("8"), true));
    let left = plan
        .refusals
        .iter()
        .find(|r| r.outcome_id == "O-3" && r.course_code.as_deref() == Some("A"))
        .unwrap();
    assert!(matches!(left.reason, Refusal::CapExceeded { .. }));
}

/// O-1 fits A and B, O-2 only A: taking O-1 for A would leave B empty.
#[test]
fn r21_the_plan_matches_outcomes_to_courses_to_use_them_all() {
    let mut s = base();
    s.programme.caps.percent = Decimal::from(100);
    s.rules = vec![
        rule("R-A1", "C-MATH", accepts_course_code("X1")),
        rule("R-A2", "C-MATH", accepts_course_code("X2")),
        rule("R-B1", "C-DS", accepts_course_code("X1")),
    ];
    s.candidates = vec![
        Candidate::unrecognised(with_course_code(
            outcome("O-1", OutcomeKind::SelfStudyExam),
            "X1",
        )),
        Candidate::unrecognised(with_course_code(
            outcome("O-2", OutcomeKind::SelfStudyExam),
            "X2",
        )),
    ];
    let plan = s.plan();
    let pairs: Vec<(&str, &str)> = plan
        .exemptions
        .iter()
        .map(|e| (e.outcome_id.as_str(), e.course_code.as_str()))
        .collect();
    assert_eq!(pairs, [("O-2", "C-MATH"), ("O-1", "C-DS")]);
    assert!(plan.refusals.is_empty(), "{:?}", plan.refusals);
}

#[test]
fn r18_ties_go_to_the_lower_course_code_then_the_lower_outcome_id() {
    let mut s = base();
    s.rules
        .push(rule("R-DS", "C-DS", accepts_course_code("00020")));
    let o0 = with_course_code(outcome("O-0", OutcomeKind::SelfStudyExam), "00020");
    s.candidates.push(Candidate::unrecognised(o0));
    s.programme.caps.percent = Decimal::from(20); // 4.8: room for one course
    let plan = s.plan();
    assert_eq!(plan.exemptions[0].course_code, "C-DS");
    assert_eq!(plan.exemptions[0].outcome_id, "O-0");
    assert_eq!(plan, s.plan(), "the plan is deterministic");
}

#[test]
fn r18_a_plan_cut_short_by_its_budget_says_so_and_still_keeps_the_caps() {
    let mut s = base();
    s.policy.search_budget = 1;
    let plan = s.plan();
    assert!(!plan.exhaustive);
    assert!(plan.caps.iter().all(|c| c.used_now <= c.limit));
    assert!(plan.summary(Lang::En).contains("best plan found"));
}

#[test]
fn a_passed_course_is_not_exempted_and_prior_exemptions_count_toward_the_caps() {
    let mut s = base();
    s.prior
        .push(prior("C-ELEC", "O-8", "3", OutcomeKind::SelfStudyExam));
    let plan = s.plan();
    assert_eq!(plan.caps[0].used_before, cr("3"));
    assert_eq!(plan.caps[0].used_now, cr("7"));
    s.passed.insert("C-MATH".into());
    assert!(s.plan().exemptions.is_empty());
}

#[test]
fn plans_and_decisions_serialise_for_machines() {
    let plan = base().plan();
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["exemptions"][0]["grade"], "免考");
    assert_eq!(json["exemptions"][0]["credits"], "4");
    assert_eq!(json["caps"][0]["cap"], "total");
    assert_eq!(json["on"], "2026-03-01");
    let d = base().decide(&[("O-1", "C-OS")]);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["decisions"][0]["verdict"]["verdict"], "refused");
    assert_eq!(
        json["decisions"][0]["verdict"]["reasons"][0]["code"],
        "no_rule"
    );
}

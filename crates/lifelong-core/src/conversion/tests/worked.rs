//! A worked example: an open university's 计算机科学与技术 (undergraduate) programme with 15
//! courses and a 毕业设计 capstone, the default 35% cap and a 40% cap on self-study exams, and a
//! learner with a dozen outcomes of every sort.

use rust_decimal::Decimal;

use super::fixtures::*;
use crate::conversion::{Candidate, ExemptionRequest, Refusal, Verdict};
use crate::lang::{Explain, Lang};
use crate::outcome::{CreditCategory, OutcomeKind};
use crate::programme::{RuleSource, SourceCap};

pub(crate) fn open_university_cs() -> Scenario {
    let mut programme = programme(
        vec![
            course("CS101", "计算机应用基础", "3", 5, true),
            course("CS102", "高等数学", "4", 6, true),
            course("CS103", "离散数学", "4", 6, true),
            course("CS104", "C语言程序设计", "4", 6, true),
            course("CS105", "数据结构", "4", 6, true),
            course("CS106", "操作系统", "4", 6, true),
            course("CS107", "计算机网络", "4", 6, true),
            course("CS108", "数据库原理", "4", 6, true),
            course("CS109", "软件工程", "3", 6, true),
            course("CS110", "大学英语", "4", 5, true),
            course("CS201", "Web开发技术", "3", 6, false),
            course("CS202", "Python程序设计", "3", 6, false),
            course("CS203", "信息安全", "3", 6, false),
            course("CS204", "人工智能导论", "2", 6, false),
            capstone("CS299", "毕业设计", "8"),
        ],
        "55",
    );
    // 46 compulsory credits: the total cap is 16.1, the self-study cap 18.4.
    programme.caps.per_source.push(SourceCap {
        kinds: vec![OutcomeKind::SelfStudyExam],
        percent: Decimal::from(40),
        basis: Default::default(),
    });

    let self_study = |id: &str, title: &str, code: &str, credits: &str| {
        let mut o = with_course_code(outcome(id, OutcomeKind::SelfStudyExam), code);
        o.title = title.into();
        o.credits = Some(cr(credits));
        Candidate::unrecognised(o)
    };
    let certified =
        |id: &str, kind: OutcomeKind, title: &str, unit: &str, credits: &str, lvl: u8| {
            let mut o = outcome(id, kind);
            o.title = title.into();
            (o.credits, o.level) = (None, None);
            recognised(o, unit, credits, lvl)
        };
    let mut programmer = certified(
        "O-06",
        OutcomeKind::SkillCertificate,
        "计算机程序设计员（四级）",
        "U-I-0421",
        "4",
        6,
    );
    programmer.outcome.certificate_code = Some("4-04-05-01".into());
    programmer.outcome.certificate_level = Some(4);
    let mut old_training = certified(
        "O-09",
        OutcomeKind::Training,
        "网络安全培训",
        "U-I-0700",
        "3",
        6,
    );
    old_training.outcome.completed_on = day(2015, 9, 1);
    let mut failed = self_study("O-13", "离散数学（自考）", "02324", "4");
    failed.outcome.passed = false;
    let mut thesis = outcome("O-11", OutcomeKind::CourseCredit);
    (thesis.title, thesis.credits) = ("毕业设计（外校）".into(), Some(cr("8")));
    thesis.source = Some("OTHER-UNIVERSITY".into());
    let mut calligraphy = certified(
        "O-08",
        OutcomeKind::ElderlyCourse,
        "书法（老年大学）",
        "U-R-0101",
        "2",
        4,
    );
    calligraphy.recognition.as_mut().unwrap().category = CreditCategory::Leisure;

    let candidates = vec![
        self_study("O-01", "高等数学（工本）", "00023", "5"),
        self_study("O-02", "数据结构（自考）", "02331", "4"),
        self_study("O-03", "操作系统（自考）", "02326", "4"),
        programmer,
        certified(
            "O-07",
            OutcomeKind::VocationalCertificate,
            "软件设计师",
            "U-I-0502",
            "5",
            6,
        ),
        calligraphy,
        old_training,
        self_study("O-10", "英语（二）", "00015", "4"),
        Candidate::unrecognised(thesis),
        certified(
            "O-12",
            OutcomeKind::Training,
            "Web前端开发培训",
            "U-I-0610",
            "3",
            6,
        ),
        failed,
    ];

    let by_code = |code: &str| accepts_course_code(code);
    let mut expiring = rule("CR-CS-203", "CS203", accepts_unit("U-I-0700"));
    expiring.valid_years = Some(5);
    let rules = vec![
        rule("CR-CS-102", "CS102", by_code("00023")),
        rule("CR-CS-103", "CS103", by_code("02324")),
        rule("CR-CS-105", "CS105", by_code("02331")),
        rule("CR-CS-106", "CS106", by_code("02326")),
        rule("CR-CS-110", "CS110", by_code("00015")),
        // The C course needs the certificate at level 3 or higher; Python takes level 4 too.
        rule(
            "CR-CS-104",
            "CS104",
            RuleSource {
                certificate_level_at_least: Some(3),
                ..accepts_unit("U-I-0421")
            },
        ),
        rule(
            "CR-CS-202",
            "CS202",
            RuleSource {
                certificate_level_at_least: Some(4),
                ..accepts_unit("U-I-0421")
            },
        ),
        rule("CR-CS-109", "CS109", accepts_unit("U-I-0502")),
        rule("CR-CS-201", "CS201", accepts_unit("U-I-0610")),
        expiring,
        // A badly drafted rule: the engine still refuses leisure credits (R11).
        rule("CR-CS-204", "CS204", accepts_unit("U-R-0101")),
        rule(
            "CR-CS-299",
            "CS299",
            RuleSource {
                source: Some("OTHER-UNIVERSITY".into()),
                ..RuleSource::default()
            },
        ),
    ];
    let mut s = Scenario::new(programme, rules, candidates);
    s.prior
        .push(prior("CS101", "O-00", "3", OutcomeKind::CourseCredit));
    s.consumed.insert("O-10".into());
    s
}

#[test]
fn worked_example_open_university_computer_science() {
    let s = open_university_cs();
    assert_eq!(s.programme.compulsory_credits(), cr("46"));
    let plan = s.plan();
    assert!(plan.exhaustive);

    // Room left under the total cap: 16.1 - 3 = 13.1. Three 4-credit courses make 12; one
    // 4-credit course and three 3-credit ones make 13, the best there is.
    let pairs: Vec<(&str, &str)> = plan
        .exemptions
        .iter()
        .map(|e| (e.course_code.as_str(), e.outcome_id.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("CS102", "O-01"),
            ("CS109", "O-07"),
            ("CS201", "O-12"),
            ("CS202", "O-06")
        ]
    );
    assert_eq!(plan.total, cr("13"));
    assert!(plan.exemptions.iter().all(|e| e.grade == "免考"));
    let caps: Vec<(&str, _, _, _)> = plan
        .caps
        .iter()
        .map(|c| (c.cap.as_str(), c.limit, c.used_before, c.used_now))
        .collect();
    assert_eq!(
        caps,
        [
            ("total", cr("16.1"), cr("3"), cr("16")),
            ("source:self_study_exam", cr("18.4"), cr("0"), cr("4")),
        ]
    );

    // Greedy, largest course first, would stop at 12.
    assert_eq!(greedy_total(&s), cr("12"));

    let reasons: Vec<(&str, Option<&str>, &str)> = plan
        .refusals
        .iter()
        .map(|r| {
            (
                r.outcome_id.as_str(),
                r.course_code.as_deref(),
                r.reason.code(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("O-02", Some("CS105"), "cap_exceeded"),
            ("O-03", Some("CS106"), "cap_exceeded"),
            ("O-08", Some("CS204"), "leisure_into_academic"),
            ("O-08", Some("CS204"), "level_too_low"),
            ("O-09", Some("CS203"), "expired"),
            ("O-10", None, "consumed_elsewhere"),
            ("O-11", Some("CS299"), "capstone"),
            ("O-13", None, "not_passed"),
        ]
    );
    let expired = &plan.refusals[4];
    assert_eq!(
        expired.reason,
        Refusal::Expired {
            last_valid_day: day(2020, 8, 31)
        }
    );
    assert!(expired.message(Lang::Zh).contains("CR-CS-203"));
    let cap = plan.refusals[0].message(Lang::Zh);
    assert!(
        cap.contains("16.1") && cap.contains("20") && cap.contains("数据结构"),
        "{cap}"
    );

    let zh = plan.summary(Lang::Zh);
    assert!(
        zh.contains("可免修 4 门课程，共 13 学分") && zh.contains("CR-CS-102"),
        "{zh}"
    );
    let en = plan.summary(Lang::En);
    assert!(
        en.contains("4 course(s) can be exempted, 13 credits") && en.contains("16.1"),
        "{en}"
    );
}

#[test]
fn worked_example_the_institution_decides_an_application_in_order() {
    let s = open_university_cs();
    // The learner asks for the self-study courses first: they fit, and the cap then refuses
    // the software-engineering exemption the plan would have given.
    let d = s.decide(&[
        ("O-02", "CS105"),
        ("O-03", "CS106"),
        ("O-01", "CS102"),
        ("O-07", "CS109"),
        ("O-06", "CS104"),
    ]);
    let accepted: Vec<bool> = d.decisions.iter().map(|x| x.accepted()).collect();
    assert_eq!(accepted, [true, true, true, false, false]);
    let Verdict::Refused { reasons, .. } = &d.decisions[3].verdict else {
        panic!()
    };
    assert_eq!(reasons[0].code(), "cap_exceeded");
    let Verdict::Refused { rule, reasons } = &d.decisions[4].verdict else {
        panic!()
    };
    assert_eq!(
        (rule, reasons.as_slice()),
        (&None, [Refusal::NoRule].as_slice())
    );
    assert_eq!(d.caps[0].used_now, cr("15"));
    assert_eq!(d.caps[1].used_now, cr("12"));
    let text = d.summary(Lang::Zh);
    assert!(
        text.contains("不同意") && text.contains("软件工程"),
        "{text}"
    );

    // The plan's own pairs, as the institution's acceptance, all pass.
    let requests: Vec<ExemptionRequest> = s
        .plan()
        .exemptions
        .iter()
        .map(|e| ExemptionRequest::new(e.outcome_id.clone(), e.course_code.clone()))
        .collect();
    let pairs: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.outcome_id.as_str(), r.course_code.as_str()))
        .collect();
    assert!(s.decide(&pairs).decisions.iter().all(|x| x.accepted()));
}

/// Largest course first (then code), lowest outcome id first, as long as the caps allow.
fn greedy_total(s: &Scenario) -> crate::credits::Credits {
    let mut courses: Vec<&str> = s
        .programme
        .courses
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    courses.sort_by_key(|code| {
        let c = s.programme.course(code).unwrap();
        (std::cmp::Reverse(c.credits), c.code.clone())
    });
    let mut taken: Vec<(String, String)> = Vec::new();
    for code in courses {
        let mut ids: Vec<&str> = s.candidates.iter().map(|c| c.outcome.id.as_str()).collect();
        ids.sort_unstable();
        for id in ids {
            if taken.iter().any(|(o, _)| o == id) {
                continue;
            }
            let mut pairs: Vec<(&str, &str)> = taken
                .iter()
                .map(|(o, c)| (o.as_str(), c.as_str()))
                .collect();
            pairs.push((id, code));
            if s.decide(&pairs).decisions.iter().all(|d| d.accepted()) {
                taken.push((id.to_owned(), code.to_owned()));
                break;
            }
        }
    }
    taken
        .iter()
        .map(|(_, c)| s.programme.course(c).unwrap().credits)
        .sum()
}

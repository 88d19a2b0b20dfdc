use proptest::prelude::*;

use super::*;
use crate::conversion::tests::fixtures::*;
use crate::conversion::tests::worked::open_university_cs;
use crate::outcome::OutcomeKind;

/// A passed course of the programme's own institution.
fn passed(id: &str, course_code: &str) -> Outcome {
    let mut o = with_course_code(outcome(id, OutcomeKind::CourseCredit), course_code);
    o.source = Some(INSTITUTION.into());
    o
}

fn small_programme() -> Programme {
    let mut p = programme(
        vec![
            course("A1", "A1", "4", 6, true),
            course("A2", "A2", "4", 5, true),
            course("E1", "E1", "2", 6, false),
            course("E2", "E2", "3", 6, false),
            course("E3", "E3", "3", 6, false),
            capstone("T1", "毕业设计", "6"),
        ],
        "20",
    );
    p.courses[4].category = CreditCategory::Vocational;
    p
}

#[test]
fn r20_courses_are_completed_exempt_or_missing_and_count_their_own_credits() {
    let p = small_programme();
    let mut elsewhere = passed("O-3", "E1");
    elsewhere.source = Some("ANOTHER".into());
    let mut failed = passed("O-4", "E2");
    failed.passed = false;
    let mut big = passed("O-1", "A1");
    big.credits = Some(cr("9"));
    let completed = vec![
        big,
        passed("O-2", "T1"),
        elsewhere,
        failed,
        passed("O-5", "A2"),
    ];
    let exemptions = vec![
        prior("A2", "X-1", "4", OutcomeKind::SelfStudyExam), // completed wins
        prior("E3", "X-2", "3", OutcomeKind::SkillCertificate),
        prior("NOPE", "X-3", "3", OutcomeKind::SkillCertificate), // not in the programme
    ];
    let a = audit(&p, &completed, &exemptions);
    let status: Vec<(&str, CourseStatus, Option<&str>)> = a
        .courses
        .iter()
        .map(|c| (c.code.as_str(), c.status, c.outcome_id.as_deref()))
        .collect();
    use CourseStatus::*;
    assert_eq!(
        status,
        [
            ("A1", Completed, Some("O-1")),
            ("A2", Completed, Some("O-5")),
            ("E1", Missing, None),
            ("E2", Missing, None),
            ("E3", Exempt, Some("X-2")),
            ("T1", Completed, Some("O-2")),
        ]
    );
    assert_eq!(
        (a.earned, a.converted, a.missing),
        (cr("14"), cr("3"), cr("3"))
    );
    assert!(a.compulsory_missing.is_empty());
    assert!(!a.awardable);
    assert_eq!(a.next, ["E2"], "one 3-credit elective reaches 20");
    let by: Vec<Credits> = a.by_category.iter().map(|c| c.credits).collect();
    assert_eq!(by, [cr("14"), cr("3"), cr("0")]);
    assert!(a.summary(Lang::Zh).contains("还差 3 学分") && a.summary(Lang::En).contains("E2"));
}

#[test]
fn next_lists_missing_compulsory_courses_lower_level_first_then_electives_by_credits() {
    let p = small_programme();
    let a = audit::<PriorExemption>(&p, &[], &[]);
    assert_eq!(a.compulsory_missing, ["A1", "A2", "T1"]);
    // A2 (level 5) before A1 and T1 (level 6, by code); 14 credits, then E2 and E3 reach 20.
    assert_eq!(a.next, ["A2", "A1", "T1", "E2", "E3"]);
    assert!(!a.awardable);
    let all: Vec<Outcome> = p
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| passed(&format!("O{i}"), &c.code))
        .collect();
    let done = audit::<PriorExemption>(&p, &all, &[]);
    assert!(done.awardable && done.next.is_empty() && done.missing.is_zero());
    assert_eq!(done.earned, cr("22"));
}

#[test]
fn r19_a_programme_with_its_capstone_missing_is_not_awardable() {
    let p = small_programme();
    let completed: Vec<Outcome> = ["A1", "A2", "E1", "E2", "E3"]
        .iter()
        .enumerate()
        .map(|(i, c)| passed(&format!("O{i}"), c))
        .collect();
    let mut extra = p.clone();
    extra.courses.push(course("E4", "E4", "10", 6, false));
    let with_e4 = [completed.clone(), vec![passed("O9", "E4")]].concat();
    let a = audit::<PriorExemption>(&extra, &with_e4, &[]);
    assert!(a.missing.is_zero());
    assert_eq!(a.compulsory_missing, ["T1"]);
    assert!(!a.awardable);
    assert_eq!(a.next, ["T1"]);
}

#[test]
fn r18_what_if_shows_the_credits_an_extra_outcome_would_gain() {
    let s = open_university_cs();
    // The learner passed Python at the university itself; the plan cannot exempt it any more.
    let completed = vec![passed("O-50", "CS202")];
    let mut ai = outcome("O-20", OutcomeKind::OnlineCourse);
    (ai.title, ai.credits, ai.level) = ("人工智能导论（慕课）".into(), None, None);
    ai.category = CreditCategory::Vocational;
    let extra = recognised(ai, "U-I-0900", "2", 6);
    let mut s2 = s.clone();
    s2.rules.push(crate::conversion::tests::fixtures::rule(
        "CR-CS-204B",
        "CS204",
        accepts_unit("U-I-0900"),
    ));
    let w = what_if(&s2.case(), &completed, &extra);
    // Before: CS202 is passed, so O-06 has nothing to replace; three 4-credit courses make 12
    // of the 13.1 left. With 2 more credits on offer, 4 + 4 + 3 + 2 = 13 is better, so the
    // better plan swaps 操作系统 for 软件工程 and 人工智能导论.
    assert_eq!(
        (w.before.total, w.after.total, w.credits_gained),
        (cr("12"), cr("13"), cr("1"))
    );
    assert_eq!(w.newly_exempt, ["CS109", "CS204"]);
    assert_eq!(w.no_longer_exempt, ["CS106"]);
    assert_eq!(w.audit_before.converted, cr("15"));
    assert_eq!(w.audit_after.converted, cr("16"));
    assert_eq!(w.audit_before.earned, cr("3"));
    assert!(w
        .before
        .refusals
        .iter()
        .any(|r| r.outcome_id == "O-06"
            && r.reason == crate::conversion::Refusal::CourseAlreadyPassed));
    assert!(
        w.summary(Lang::Zh).contains("可多免修 1 学分"),
        "{}",
        w.summary(Lang::Zh)
    );
    // An outcome no rule accepts changes nothing.
    let nothing = what_if(
        &s.case(),
        &completed,
        &recognised(outcome("O-21", OutcomeKind::Award), "U-X", "2", 6),
    );
    assert!(nothing.credits_gained.is_zero() && nothing.newly_exempt.is_empty());
    assert!(nothing.summary(Lang::En).contains("would not add"));
}

/// A deterministic stream of pseudo-random numbers (no dependency needed for a test).
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

fn cohort(n: usize) -> Vec<(String, Vec<Outcome>, Vec<PriorExemption>)> {
    let codes: Vec<String> = open_university_cs()
        .programme
        .courses
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let mut seed = 42u64;
    (0..n)
        .map(|l| {
            let outcomes: Vec<Outcome> = (0..10)
                .map(|k| {
                    let code = &codes[(lcg(&mut seed) % codes.len() as u64) as usize];
                    let mut o = passed(&format!("L{l}-{k}"), code);
                    o.passed = !lcg(&mut seed).is_multiple_of(10);
                    if lcg(&mut seed).is_multiple_of(8) {
                        o.source = Some("ELSEWHERE".into());
                    }
                    o
                })
                .collect();
            let exemptions = (0..(lcg(&mut seed) % 3))
                .map(|k| {
                    let code = &codes[(lcg(&mut seed) % codes.len() as u64) as usize];
                    prior(code, &format!("X{l}-{k}"), "4", OutcomeKind::SelfStudyExam)
                })
                .collect();
            (format!("L{l}"), outcomes, exemptions)
        })
        .collect()
}

#[test]
fn cohort_audit_of_20000_learners_matches_the_single_audit() {
    let programme = open_university_cs().programme;
    let learners = cohort(20_000);
    let rows = audit_cohort(&programme, &learners);
    assert_eq!(rows.len(), 20_000);
    for (row, (id, outcomes, exemptions)) in rows.iter().zip(&learners).step_by(97) {
        let a = audit(&programme, outcomes, exemptions);
        assert_eq!(&row.learner_id, id);
        assert_eq!(
            row.tally,
            AuditTally {
                earned: a.earned,
                converted: a.converted,
                missing: a.missing,
                compulsory_missing: u32::try_from(a.compulsory_missing.len()).unwrap(),
                awardable: a.awardable,
            }
        );
    }
    let awardable = rows.iter().filter(|r| r.tally.awardable).count();
    assert!(awardable < rows.len());
    assert!(rows
        .iter()
        .all(|r| r.tally.earned + r.tally.converted + r.tally.missing >= programme.award_credits));
    let json = serde_json::to_value(&rows[0]).unwrap();
    assert!(json["earned"].is_string() && json["learner_id"] == "L0");
}

/// `cargo test --release -p lifelong-core -- --ignored cohort_timing --nocapture`
#[test]
#[ignore = "timing, run by hand in release mode"]
fn cohort_timing_100000_learners() {
    let programme = open_university_cs().programme;
    let learners = cohort(100_000);
    let start = std::time::Instant::now();
    let rows = audit_cohort(&programme, &learners);
    let took = start.elapsed();
    println!("audit_cohort: {} learners in {took:?}", rows.len());
    assert!(took < std::time::Duration::from_secs(5));
}

proptest! {
    #[test]
    fn audit_arithmetic_adds_up(
        done in prop::collection::vec(
            (0usize..15, any::<bool>(), prop::bool::weighted(0.8)),
            0..20,
        ),
        exempt in prop::collection::vec(0usize..16, 0..6),
        award in 1u32..80,
    ) {
        let mut programme = open_university_cs().programme;
        programme.award_credits = Credits::whole(award);
        let codes: Vec<String> = programme.courses.iter().map(|c| c.code.clone()).collect();
        let completed: Vec<Outcome> = done
            .iter()
            .enumerate()
            .map(|(i, (j, ours, ok))| {
                let mut o = passed(&format!("O{i}"), &codes[*j]);
                o.passed = *ok;
                if !ours {
                    o.source = Some("ELSEWHERE".into());
                }
                o
            })
            .collect();
        let exemptions: Vec<PriorExemption> = exempt
            .iter()
            .map(|j| {
                let code = codes.get(*j).map_or("NONE", |c| c.as_str());
                prior(code, &format!("X{j}"), "1", OutcomeKind::Training)
            })
            .collect();
        let a = audit(&programme, &completed, &exemptions);
        let sum = |s: CourseStatus| -> Credits {
            a.courses.iter().filter(|c| c.status == s).map(|c| c.credits).sum()
        };
        prop_assert_eq!(a.earned, sum(CourseStatus::Completed));
        prop_assert_eq!(a.converted, sum(CourseStatus::Exempt));
        let total = a.earned + a.converted;
        prop_assert_eq!(total + a.missing, total.max(programme.award_credits));
        let all: Credits = programme.courses.iter().map(|c| c.credits).sum();
        prop_assert_eq!(a.earned + a.converted + sum(CourseStatus::Missing), all);
        let categories: Credits = a.by_category.iter().map(|c| c.credits).sum();
        prop_assert_eq!(categories, total);
        prop_assert_eq!(a.awardable, a.compulsory_missing.is_empty() && a.missing.is_zero());
        let tally = ProgrammeIndex::new(&programme).tally_of(&completed, &exemptions);
        prop_assert_eq!(
            (tally.earned, tally.converted, tally.missing, tally.awardable),
            (a.earned, a.converted, a.missing, a.awardable)
        );
        // Taking `next` would complete every compulsory course and reach the award if it can.
        let next: Credits = a.next.iter().map(|c| programme.course(c).unwrap().credits).sum();
        prop_assert!(total + next >= programme.award_credits.min(all));
    }
}

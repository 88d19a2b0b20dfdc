//! Property tests of the conversion engine on random programmes, rules and outcomes.

use std::collections::HashSet;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::super::search::{solve, Problem};
use super::fixtures::*;
use crate::conversion::{
    decide, plan, Candidate, CapUse, ConversionPlan, PlannedExemption, Verdict,
};
use crate::credits::Credits;
use crate::outcome::{CreditCategory, OutcomeKind};
use crate::programme::SourceCap;

const KINDS: [OutcomeKind; 4] = [
    OutcomeKind::SelfStudyExam,
    OutcomeKind::SkillCertificate,
    OutcomeKind::CourseCredit,
    OutcomeKind::Training,
];

fn half_credits(halves: u32) -> Credits {
    Credits::from_units(i64::from(halves) * 50).unwrap()
}

type CourseSpec = (u32, u8, bool, bool);
type OutcomeSpec = (usize, u32, u8, bool, bool, u8);

#[allow(clippy::too_many_arguments)]
fn build(
    courses: Vec<CourseSpec>,
    outcomes: Vec<OutcomeSpec>,
    rules: Vec<(usize, u8)>,
    (total_percent, on_award): (u32, bool),
    source_percent: Option<u32>,
    priors: Vec<(usize, u32, usize, usize)>,
    consumed: Vec<usize>,
    requests: Vec<(usize, usize)>,
) -> (Scenario, Vec<(String, String)>) {
    let n = courses.len();
    let courses = courses
        .into_iter()
        .enumerate()
        .map(|(j, (halves, lvl, compulsory, cap))| {
            let mut c = course(
                &format!("C{j}"),
                &format!("课程{j}"),
                "1",
                lvl,
                compulsory || cap,
            );
            c.credits = half_credits(halves);
            c.capstone = cap;
            c
        })
        .collect();
    let mut programme = programme(courses, "60");
    programme.caps.percent = Decimal::from(total_percent);
    if on_award {
        programme.caps.basis = crate::programme::CapBasis::AwardCredits;
    }
    if let Some(p) = source_percent {
        programme.caps.per_source.push(SourceCap {
            kinds: vec![OutcomeKind::SelfStudyExam],
            percent: Decimal::from(p),
            basis: Default::default(),
        });
    }
    let m = outcomes.len();
    let candidates = outcomes
        .into_iter()
        .enumerate()
        .map(|(i, (kind, halves, lvl, passed, leisure, tag))| {
            let mut o =
                with_course_code(outcome(&format!("O{i}"), KINDS[kind]), &format!("T{tag}"));
            (o.credits, o.level, o.passed) = (Some(half_credits(halves)), Some(level(lvl)), passed);
            if leisure {
                o.category = CreditCategory::Leisure;
            }
            Candidate::unrecognised(o)
        })
        .collect();
    let rules = rules
        .into_iter()
        .enumerate()
        .map(|(k, (j, tag))| {
            rule(
                &format!("R{k}"),
                &format!("C{}", j % n),
                accepts_course_code(&format!("T{tag}")),
            )
        })
        .collect();
    let mut s = Scenario::new(programme, rules, candidates);
    for (k, (j, halves, kind, who)) in priors.into_iter().enumerate() {
        let outcome_id = if who < m {
            format!("O{who}")
        } else {
            format!("P{k}")
        };
        s.prior
            .push(prior(&format!("C{}", j % n), &outcome_id, "1", KINDS[kind]));
        if let Some(p) = s.prior.last_mut() {
            p.credits = half_credits(halves);
        }
    }
    s.consumed = consumed
        .into_iter()
        .filter(|i| *i < m)
        .map(|i| format!("O{i}"))
        .collect();
    let requests = requests
        .into_iter()
        .map(|(i, j)| (format!("O{}", i % m.max(1)), format!("C{}", j % n)))
        .collect();
    (s, requests)
}

fn scenario() -> impl Strategy<Value = (Scenario, Vec<(String, String)>)> {
    (
        prop::collection::vec(
            (2u32..=10, 5u8..=7, any::<bool>(), prop::bool::weighted(0.1)),
            1..8,
        ),
        prop::collection::vec(
            (
                0usize..4,
                4u32..=14,
                6u8..=7,
                prop::bool::weighted(0.9),
                prop::bool::weighted(0.1),
                0u8..3,
            ),
            0..8,
        ),
        prop::collection::vec((0usize..8, 0u8..3), 0..20),
        (20u32..=150, any::<bool>()),
        prop::option::of(5u32..=100),
        prop::collection::vec((0usize..8, 2u32..=8, 0usize..4, 0usize..12), 0..3),
        prop::collection::vec(0usize..8, 0..2),
        prop::collection::vec((0usize..8, 0usize..8), 0..10),
    )
        .prop_map(|(c, o, r, t, sp, p, x, q)| build(c, o, r, t, sp, p, x, q))
}

/// Instances where only matching and caps constrain: every outcome passes and is big enough,
/// so the plan's optimality is what the properties test.
fn dense() -> impl Strategy<Value = (Scenario, Vec<(String, String)>)> {
    (
        prop::collection::vec((2u32..=10, 5u8..=6, any::<bool>(), Just(false)), 2..10),
        prop::collection::vec(
            (
                0usize..4,
                Just(14u32),
                Just(7u8),
                Just(true),
                Just(false),
                0u8..4,
            ),
            1..9,
        ),
        prop::collection::vec((0usize..10, 0u8..4), 4..24),
        (10u32..=60, any::<bool>()),
        prop::option::of(5u32..=40),
        prop::collection::vec((0usize..10, 2u32..=6, 0usize..4, Just(99usize)), 0..2),
    )
        .prop_map(|(c, o, r, t, sp, p)| build(c, o, r, t, sp, p, vec![], vec![]))
}

/// Every cap's figures are right, and no new exemption goes past a cap (R18).
fn caps_hold(
    s: &Scenario,
    new: &[&PlannedExemption],
    caps: &[CapUse],
) -> Result<(), TestCaseError> {
    prop_assert_eq!(caps.len(), 1 + s.programme.caps.per_source.len());
    for cap in caps {
        let covers = |k: OutcomeKind| cap.kinds.is_empty() || cap.kinds.contains(&k);
        let before: Credits = s
            .prior
            .iter()
            .filter(|p| covers(p.kind))
            .map(|p| p.credits)
            .sum();
        let added: Credits = new
            .iter()
            .filter(|e| covers(e.kind))
            .map(|e| e.credits)
            .sum();
        prop_assert_eq!(cap.limit, s.programme.cap_limit(cap.basis, cap.percent));
        prop_assert_eq!(cap.used_before, before);
        prop_assert_eq!(cap.used_now, before + added);
        prop_assert!(added.is_zero() || cap.used_now <= cap.limit, "{:?}", cap);
    }
    Ok(())
}

/// No outcome used twice, no course exempted twice, none already used or exempted (R21).
fn used_once(s: &Scenario, new: &[&PlannedExemption]) -> Result<(), TestCaseError> {
    let mut outcomes: HashSet<&str> = s.prior.iter().map(|p| p.outcome_id.as_str()).collect();
    let mut courses: HashSet<&str> = s.prior.iter().map(|p| p.course_code.as_str()).collect();
    for e in new {
        prop_assert!(
            outcomes.insert(&e.outcome_id),
            "outcome {} twice",
            e.outcome_id
        );
        prop_assert!(
            courses.insert(&e.course_code),
            "course {} twice",
            e.course_code
        );
        prop_assert!(!s.consumed.contains(&e.outcome_id));
    }
    Ok(())
}

fn planned(p: &ConversionPlan) -> Vec<&PlannedExemption> {
    p.exemptions.iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn r18_cap_is_never_exceeded((s, requests) in scenario()) {
        let p = s.plan();
        prop_assert!(p.exhaustive);
        caps_hold(&s, &planned(&p), &p.caps)?;
        let refs: Vec<(&str, &str)> =
            requests.iter().map(|(o, c)| (o.as_str(), c.as_str())).collect();
        let d = s.decide(&refs);
        let accepted: Vec<&PlannedExemption> = d.accepted().collect();
        caps_hold(&s, &accepted, &d.caps)?;
        // Whatever a decision accepts is a feasible plan, so the plan is at least as good.
        let decided: Credits = accepted.iter().map(|e| e.credits).sum();
        prop_assert!(decided <= p.total, "decide {} > plan {}", decided, p.total);
    }

    #[test]
    fn r21_no_outcome_is_used_twice_and_no_course_exempted_twice((s, requests) in scenario()) {
        let p = s.plan();
        used_once(&s, &planned(&p))?;
        let capstone = |e: &PlannedExemption| s.programme.course(&e.course_code).unwrap().capstone;
        prop_assert!(!p.exemptions.iter().any(capstone));
        let refs: Vec<(&str, &str)> =
            requests.iter().map(|(o, c)| (o.as_str(), c.as_str())).collect();
        let d = s.decide(&refs);
        used_once(&s, &d.accepted().collect::<Vec<_>>())?;
    }

    #[test]
    fn r18_removing_an_outcome_never_increases_the_converted_credits((s, _r) in scenario()) {
        let total = s.plan().total;
        for i in 0..s.candidates.len() {
            let mut fewer = s.clone();
            fewer.candidates.remove(i);
            let less = fewer.plan();
            prop_assert!(less.total <= total, "without O{}: {} > {}", i, less.total, total);
        }
    }

    #[test]
    fn r18_removing_an_outcome_never_increases_the_credits_of_a_dense_case((s, _r) in dense()) {
        let p = s.plan();
        prop_assert!(p.exhaustive);
        caps_hold(&s, &planned(&p), &p.caps)?;
        used_once(&s, &planned(&p))?;
        for i in 0..s.candidates.len() {
            let mut fewer = s.clone();
            fewer.candidates.remove(i);
            let less = fewer.plan();
            prop_assert!(less.total <= p.total, "without O{}: {} > {}", i, less.total, p.total);
        }
    }

    #[test]
    fn r17_every_planned_exemption_passes_decide_on_its_own((s, _r) in scenario()) {
        let p = s.plan();
        for e in &p.exemptions {
            let d = s.decide(&[(e.outcome_id.as_str(), e.course_code.as_str())]);
            match &d.decisions[0].verdict {
                Verdict::Accepted { exemption } => prop_assert_eq!(exemption, e),
                Verdict::Refused { reasons, .. } => {
                    prop_assert!(false, "{:?} refused: {:?}", e, reasons)
                }
            }
        }
    }

    #[test]
    fn r23_every_unused_outcome_is_explained((s, _r) in scenario()) {
        let p = s.plan();
        let used: HashSet<&str> = p.exemptions.iter().map(|e| e.outcome_id.as_str()).collect();
        for c in &s.candidates {
            let id = c.outcome.id.as_str();
            let explained = p.refusals.iter().any(|r| r.outcome_id == id);
            prop_assert!(used.contains(id) || explained, "{} unexplained", id);
        }
    }

    #[test]
    fn r18_the_search_finds_the_optimum(p in problem()) {
        let solution = solve(&p);
        prop_assert!(solution.exhaustive);
        prop_assert_eq!(solution.total, brute_force(&p));
        let mut head = p.headroom.clone();
        let (mut courses, mut outcomes) = (HashSet::new(), HashSet::new());
        let mut total = 0;
        for &k in &solution.chosen {
            let (c, o) = p.pairs[k];
            prop_assert!(courses.insert(c) && outcomes.insert(o));
            for &cap in &p.outcome_caps[o] {
                head[cap] -= p.weights[c];
                prop_assert!(head[cap] >= 0);
            }
            total += p.weights[c];
        }
        prop_assert_eq!(total, solution.total);
    }
}

fn problem() -> impl Strategy<Value = Problem> {
    (1usize..7, 1usize..7).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(1i64..=8, n),
            prop::collection::vec(prop::bool::weighted(0.4), m),
            prop::collection::vec((0..n, 0..m), 0..(n * m + 1)),
            (0i64..=30, 0i64..=20),
        )
            .prop_map(move |(w, capped, pairs, (h0, h1))| Problem {
                weights: w.iter().map(|x| x * 50).collect(),
                outcome_caps: capped
                    .iter()
                    .map(|c| if *c { vec![0, 1] } else { vec![0] })
                    .collect(),
                headroom: vec![h0 * 50, h1 * 50],
                global_cap: Some(0),
                pairs,
                budget: 1_000_000,
            })
    })
}

fn brute_force(p: &Problem) -> i64 {
    fn go(p: &Problem, c: usize, used: &mut [bool], head: &mut [i64]) -> i64 {
        if c == p.weights.len() {
            return 0;
        }
        let mut best = go(p, c + 1, used, head);
        let w = p.weights[c];
        for &(pc, o) in &p.pairs {
            if pc != c || used[o] || !p.outcome_caps[o].iter().all(|&k| head[k] >= w) {
                continue;
            }
            used[o] = true;
            p.outcome_caps[o].iter().for_each(|&k| head[k] -= w);
            best = best.max(w + go(p, c + 1, used, head));
            p.outcome_caps[o].iter().for_each(|&k| head[k] += w);
            used[o] = false;
        }
        best
    }
    go(
        p,
        0,
        &mut vec![false; p.outcome_caps.len()],
        &mut p.headroom.clone(),
    )
}

#[test]
fn r18_plan_and_decide_agree_on_a_fixed_random_case() {
    // A larger case than the properties use: 20 courses, 16 outcomes, two caps.
    let courses: Vec<CourseSpec> = (0..20)
        .map(|j| (2 + (j * 7 % 9), 6, j % 3 != 0, j == 19))
        .collect();
    let outcomes: Vec<OutcomeSpec> = (0..16)
        .map(|i| (i % 4, 4 + (i as u32 % 8), 6, true, false, (i % 5) as u8))
        .collect();
    let rules: Vec<(usize, u8)> = (0..40).map(|k| (k * 3 % 20, (k % 5) as u8)).collect();
    let (s, _) = build(
        courses,
        outcomes,
        rules,
        (35, false),
        Some(20),
        vec![],
        vec![],
        vec![],
    );
    let p = plan(&s.case());
    assert!(p.exhaustive, "{} nodes", p.nodes);
    let requests: Vec<crate::conversion::ExemptionRequest> = p
        .exemptions
        .iter()
        .map(|e| {
            crate::conversion::ExemptionRequest::new(e.outcome_id.clone(), e.course_code.clone())
        })
        .collect();
    let d = decide(&s.case(), &requests);
    assert!(d.decisions.iter().all(|x| x.accepted()));
    assert_eq!(d.caps, p.caps);
}

/// 60-course programmes with up to 45 outcomes and tight caps: the search must finish well
/// inside the default budget (the worst of these takes about 40,000 nodes).
#[test]
fn r18_programmes_of_sixty_courses_are_solved_exactly_within_the_budget() {
    let mut seed = 7u64;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    for _ in 0..100 {
        let n = 60usize;
        let tags = 3 + next(10);
        let courses: Vec<CourseSpec> = (0..n)
            .map(|j| (2 + next(9) as u32, 6, j % 4 != 0, j == 59))
            .collect();
        let outcomes: Vec<OutcomeSpec> = (0..(5 + next(40)))
            .map(|_| (next(4) as usize, 14, 7, true, false, next(tags) as u8))
            .collect();
        let rules: Vec<(usize, u8)> = (0..(10 + next(60)))
            .map(|_| (next(n as u64) as usize, next(tags) as u8))
            .collect();
        let total = (5 + next(40) as u32, false);
        let source = (next(2) == 0).then(|| 1 + next(30) as u32);
        let (s, _) = build(
            courses,
            outcomes,
            rules,
            total,
            source,
            vec![],
            vec![],
            vec![],
        );
        let p = s.plan();
        assert!(p.exhaustive && p.nodes < 200_000, "{} nodes", p.nodes);
        assert!(p.caps.iter().all(|c| c.used_now <= c.limit));
    }
}

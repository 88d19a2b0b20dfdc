//! [`plan`]: the best set of exemptions for one learner in one programme, with the reason for
//! every outcome left unused and every eligible pair left out.

use std::collections::HashSet;

use super::check::{Evaluator, PairCheck};
use super::search::{self, Problem};
use super::{
    Candidate, ConversionCase, ConversionPlan, PlannedExemption, Refusal, Refused, RuleRef,
    EXEMPT_GRADE,
};
use crate::credits::Credits;
use crate::programme::{ConversionRule, Course};

/// The best set of exemptions for the learner: the most exempted credits such that each outcome
/// is used at most once, each course exempted at most once, and no cap is exceeded (R18, R21).
/// The search is exact (see the `search` module) unless `policy.search_budget` runs out, which
/// the plan reports as `exhaustive: false`. Ties go to the larger course, then the lower course
/// code, then the lower outcome id.
///
/// ```
/// use lifelong_core::conversion::{plan, ConversionCase};
/// # use lifelong_core::programme::{Programme, ConversionCaps};
/// # use lifelong_core::framework::{Level, Text2};
/// # use lifelong_core::credits::Credits;
/// # let programme = Programme {
/// #     code: "P".into(), institution: "X".into(), title: Text2::new("p", "p"),
/// #     level: Level::new(6).unwrap(), award_credits: Credits::whole(80), courses: vec![],
/// #     caps: ConversionCaps::default(),
/// # };
/// let case = ConversionCase::new(&programme, &[], &[], time::macros::date!(2026 - 03 - 01));
/// let plan = plan(&case);
/// assert!(plan.exemptions.is_empty() && plan.exhaustive);
/// ```
pub fn plan(case: &ConversionCase<'_>) -> ConversionPlan {
    let ev = Evaluator::new(case);
    let candidates = unique_by_id(case.candidates);
    let mut courses: Vec<(usize, &Course)> = case.programme.courses.iter().enumerate().collect();
    courses.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    courses.dedup_by(|a, b| a.1.code == b.1.code);

    let outcome_reasons: Vec<Vec<Refusal>> =
        candidates.iter().map(|c| ev.outcome_reasons(c)).collect();
    let checks: Vec<Vec<(usize, PairCheck<'_>)>> = candidates
        .iter()
        .map(|c| {
            courses
                .iter()
                .enumerate()
                .filter(|(_, (_, course))| ev.any_rule_accepts(c, course))
                .map(|(j, (_, course))| (j, ev.check(c, course)))
                .collect()
        })
        .collect();

    let mut problem = Problem {
        weights: courses.iter().map(|(_, c)| c.credits.units()).collect(),
        outcome_caps: candidates
            .iter()
            .map(|c| {
                let kind = c.outcome.kind;
                ev.caps
                    .iter()
                    .enumerate()
                    .filter(|(_, cap)| cap.covers(kind))
                    .map(|(k, _)| k)
                    .collect()
            })
            .collect(),
        headroom: ev
            .caps
            .iter()
            .map(|c| c.limit.units() - c.used_before.units())
            .collect(),
        global_cap: Some(0),
        pairs: Vec::new(),
        budget: case.policy.search_budget,
    };
    let mut pair_rules: Vec<&ConversionRule> = Vec::new();
    for (i, list) in checks.iter().enumerate() {
        if !outcome_reasons[i].is_empty() {
            continue;
        }
        for (j, check) in list {
            if let (true, Some(rule)) = (check.clear(), check.rule) {
                problem.pairs.push((*j, i));
                pair_rules.push(rule);
            }
        }
    }
    let solution = search::solve(&problem);

    // Apply the solution, then add any pair that still fits (only zero-credit courses can,
    // after an exhaustive search), so every pair left out has a reason.
    let mut taken: Vec<Option<usize>> = vec![None; courses.len()];
    let mut used: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut usage: Vec<Credits> = ev.caps.iter().map(|c| c.used_before).collect();
    let mut chosen: Vec<(usize, usize, &ConversionRule)> = Vec::new();
    let fill: Vec<usize> = (0..problem.pairs.len()).collect();
    for p in solution.chosen.iter().copied().chain(fill) {
        let (j, i) = problem.pairs[p];
        let course = courses[j].1;
        let kind = candidates[i].outcome.kind;
        let fits =
            ev.caps.iter().zip(&usage).all(|(cap, used)| {
                !cap.covers(kind) || cap.breach(*used, course.credits).is_none()
            });
        if taken[j].is_some() || used[i].is_some() || !fits {
            continue;
        }
        taken[j] = Some(i);
        used[i] = Some(j);
        for (cap, u) in ev.caps.iter().zip(usage.iter_mut()) {
            if cap.covers(kind) {
                *u += course.credits;
            }
        }
        chosen.push((j, i, pair_rules[p]));
    }
    chosen.sort_by_key(|(j, _, _)| courses[*j].0);
    let exemptions: Vec<PlannedExemption> = chosen
        .iter()
        .map(|(j, i, rule)| exemption(candidates[*i], courses[*j].1, rule))
        .collect();

    let mut refusals = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if let Some(j_used) = used[i] {
            let used_for = &courses[j_used].1.code;
            for (j, check) in &checks[i] {
                if check.clear() && taken[*j].is_none() {
                    let reason = Refusal::OutcomeAlreadyUsed {
                        course: used_for.clone(),
                    };
                    refusals.push(refused(c, Some(courses[*j].1), check.rule, reason));
                }
            }
            continue;
        }
        for reason in &outcome_reasons[i] {
            refusals.push(refused(c, None, None, reason.clone()));
        }
        if checks[i].is_empty() {
            refusals.push(refused(c, None, None, Refusal::NoRule));
        }
        for (j, check) in &checks[i] {
            let course = courses[*j].1;
            let mut reasons: Vec<Refusal> = check
                .course
                .iter()
                .chain(&check.under_rule)
                .cloned()
                .collect();
            if reasons.is_empty() && outcome_reasons[i].is_empty() {
                if let Some(other) = taken[*j] {
                    let outcome = candidates[other].outcome.id.clone();
                    reasons.push(Refusal::CourseAlreadyExempt { outcome });
                } else {
                    let kind = c.outcome.kind;
                    reasons.extend(
                        ev.caps
                            .iter()
                            .zip(&usage)
                            .filter(|(cap, _)| cap.covers(kind))
                            .filter_map(|(cap, used)| cap.breach(*used, course.credits)),
                    );
                }
            }
            for reason in reasons {
                refusals.push(refused(c, Some(course), check.rule, reason));
            }
        }
    }

    ConversionPlan {
        programme_code: case.programme.code.clone(),
        on: case.on,
        total: exemptions.iter().map(|e| e.credits).sum(),
        exemptions,
        refusals,
        caps: ev
            .caps
            .iter()
            .zip(&usage)
            .map(|(cap, used)| cap.usage(*used))
            .collect(),
        exhaustive: solution.exhaustive,
        nodes: solution.nodes,
    }
}

/// The candidates, first of each id, ordered by id (the search's tie order).
pub(super) fn unique_by_id(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut seen = HashSet::new();
    let mut list: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| seen.insert(c.outcome.id.as_str()))
        .collect();
    list.sort_by(|a, b| a.outcome.id.cmp(&b.outcome.id));
    list
}

/// The exemption of `course` by `c` under `rule`, recorded with the course's credits (R20).
pub(super) fn exemption(c: &Candidate, course: &Course, rule: &ConversionRule) -> PlannedExemption {
    PlannedExemption {
        course_code: course.code.clone(),
        course_title: course.title.clone(),
        outcome_id: c.outcome.id.clone(),
        outcome_title: c.outcome.title.clone(),
        kind: c.outcome.kind,
        rule_code: rule.code.clone(),
        rule_version: rule.version,
        credits: course.credits,
        grade: EXEMPT_GRADE.to_owned(),
    }
}

/// A cited rule.
pub(super) fn rule_ref(rule: &ConversionRule) -> RuleRef {
    RuleRef {
        code: rule.code.clone(),
        version: rule.version,
    }
}

fn refused(
    c: &Candidate,
    course: Option<&Course>,
    rule: Option<&ConversionRule>,
    reason: Refusal,
) -> Refused {
    Refused {
        outcome_id: c.outcome.id.clone(),
        outcome_title: c.outcome.title.clone(),
        course_code: course.map(|x| x.code.clone()),
        course_title: course.map(|x| x.title.clone()),
        rule: rule.map(rule_ref),
        domain_rule: reason.domain_rule(),
        reason,
    }
}

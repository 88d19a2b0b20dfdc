//! [`decide`]: the answer to the pairs a learner applied for, or that the receiving institution
//! accepts (R16), each checked in the order given against eligibility and the caps so far.

use std::collections::HashMap;

use super::check::Evaluator;
use super::plan::{exemption, rule_ref};
use super::{ConversionCase, ConversionDecision, ExemptionRequest, PairDecision, Refusal, Verdict};
use crate::credits::Credits;

/// Decides each requested pair in order. A pair is accepted when a rule in force accepts the
/// outcome for the course, every eligibility check passes, neither the outcome nor the course
/// is used by a prior exemption or an earlier pair of this request, and no cap would be
/// exceeded counting the prior exemptions and the pairs accepted before it (R17–R22).
pub fn decide(case: &ConversionCase<'_>, requests: &[ExemptionRequest]) -> ConversionDecision {
    let ev = Evaluator::new(case);
    let mut usage: Vec<Credits> = ev.caps.iter().map(|c| c.used_before).collect();
    let mut outcome_used: HashMap<&str, &str> = HashMap::new();
    let mut course_taken: HashMap<&str, &str> = HashMap::new();
    let mut decisions = Vec::with_capacity(requests.len());

    for req in requests {
        let candidate = case
            .candidates
            .iter()
            .find(|c| c.outcome.id == req.outcome_id);
        let course = case.programme.course(&req.course_code);
        let (Some(c), Some(course)) = (candidate, course) else {
            let mut reasons = Vec::new();
            if candidate.is_none() {
                reasons.push(Refusal::UnknownOutcome);
            }
            if course.is_none() {
                reasons.push(Refusal::UnknownCourse);
            }
            decisions.push(PairDecision {
                outcome_id: req.outcome_id.clone(),
                outcome_title: candidate.map(|c| c.outcome.title.clone()),
                course_code: req.course_code.clone(),
                course_title: course.map(|c| c.title.clone()),
                verdict: Verdict::Refused {
                    rule: None,
                    reasons,
                },
            });
            continue;
        };

        let check = ev.check(c, course);
        let mut reasons = ev.outcome_reasons(c);
        if let Some(other) = outcome_used.get(c.outcome.id.as_str()) {
            reasons.push(Refusal::OutcomeAlreadyUsed {
                course: (*other).to_owned(),
            });
        }
        reasons.extend(check.course.iter().cloned());
        if let Some(other) = course_taken.get(course.code.as_str()) {
            reasons.push(Refusal::CourseAlreadyExempt {
                outcome: (*other).to_owned(),
            });
        }
        if check.rule.is_none() {
            reasons.push(Refusal::NoRule);
        }
        reasons.extend(check.under_rule.iter().cloned());
        if reasons.is_empty() {
            let kind = c.outcome.kind;
            reasons.extend(
                ev.caps
                    .iter()
                    .zip(&usage)
                    .filter(|(cap, _)| cap.covers(kind))
                    .filter_map(|(cap, used)| cap.breach(*used, course.credits)),
            );
        }

        let verdict = match (check.rule, reasons.is_empty()) {
            (Some(rule), true) => {
                for (cap, u) in ev.caps.iter().zip(usage.iter_mut()) {
                    if cap.covers(c.outcome.kind) {
                        *u += course.credits;
                    }
                }
                outcome_used.insert(&c.outcome.id, &course.code);
                course_taken.insert(&course.code, &c.outcome.id);
                Verdict::Accepted {
                    exemption: exemption(c, course, rule),
                }
            }
            (rule, _) => Verdict::Refused {
                rule: rule.map(rule_ref),
                reasons,
            },
        };
        decisions.push(PairDecision {
            outcome_id: req.outcome_id.clone(),
            outcome_title: Some(c.outcome.title.clone()),
            course_code: req.course_code.clone(),
            course_title: Some(course.title.clone()),
            verdict,
        });
    }

    ConversionDecision {
        programme_code: case.programme.code.clone(),
        on: case.on,
        decisions,
        caps: ev
            .caps
            .iter()
            .zip(&usage)
            .map(|(cap, used)| cap.usage(*used))
            .collect(),
    }
}

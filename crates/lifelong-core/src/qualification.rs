//! Qualification audit (毕业审核) and planning: which courses of a programme a learner has
//! completed, which are exempt (R20), what is missing for the award, and what to take next;
//! "what if" a learner earned one more outcome; and the same audit for a whole cohort, fast.
//!
//! A course is *completed* when a passed outcome carries its code and comes from the
//! programme's own institution; *exempt* when an exemption names it (a completed course stays
//! completed); otherwise *missing*. Courses count with their own credits, never the outcome's.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::conversion::{
    plan, Candidate, ConversionCase, ConversionPlan, PlannedExemption, PriorExemption,
};
use crate::credits::Credits;
use crate::framework::{Level, Text2};
use crate::lang::Lang;
use crate::outcome::{CreditCategory, Outcome};
use crate::programme::Programme;

/// An exemption as the audit needs it: which course, by which outcome.
pub trait ExemptionRecord {
    /// The exempted course.
    fn course_code(&self) -> &str;
    /// The outcome that replaced it.
    fn outcome_id(&self) -> &str;
}

impl ExemptionRecord for PriorExemption {
    fn course_code(&self) -> &str {
        &self.course_code
    }
    fn outcome_id(&self) -> &str {
        &self.outcome_id
    }
}

impl ExemptionRecord for PlannedExemption {
    fn course_code(&self) -> &str {
        &self.course_code
    }
    fn outcome_id(&self) -> &str {
        &self.outcome_id
    }
}

/// Where a course stands for the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseStatus {
    Completed,
    Exempt,
    Missing,
}

/// One course of the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseAudit {
    pub code: String,
    pub title: Text2,
    pub credits: Credits,
    pub level: Level,
    pub category: CreditCategory,
    pub compulsory: bool,
    pub capstone: bool,
    pub status: CourseStatus,
    /// The outcome that completed it, or the one its exemption used.
    pub outcome_id: Option<String>,
}

/// Credits of one category, completed or exempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryCredits {
    pub category: CreditCategory,
    pub credits: Credits,
}

/// The audit of one learner against one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationAudit {
    pub programme_code: String,
    pub award_credits: Credits,
    /// In the programme's order.
    pub courses: Vec<CourseAudit>,
    /// Credits of completed courses.
    pub earned: Credits,
    /// Credits of exempt courses.
    pub converted: Credits,
    /// What the award still needs: `award_credits - earned - converted`, or zero.
    pub missing: Credits,
    /// Codes of compulsory courses neither completed nor exempt.
    pub compulsory_missing: Vec<String>,
    /// Completed and exempt credits by category, every category listed.
    pub by_category: Vec<CategoryCredits>,
    /// All compulsory courses completed or exempt, and enough credits.
    pub awardable: bool,
    /// What to take next: missing compulsory courses (lower level first, then code), then
    /// electives by credits descending until the award's credits would be reached.
    pub next: Vec<String>,
}

/// The audit's figures without the detail, for a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuditTally {
    pub earned: Credits,
    pub converted: Credits,
    pub missing: Credits,
    pub compulsory_missing: u32,
    pub awardable: bool,
}

/// One learner of a cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortRow {
    pub learner_id: String,
    #[serde(flatten)]
    pub tally: AuditTally,
}

/// A course's standing while auditing, borrowing the outcome id that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark<'o> {
    Missing,
    Completed(&'o str),
    Exempt(&'o str),
}

/// A programme prepared for auditing many learners: course codes are looked up by hash, and
/// nothing is allocated per learner beyond the result.
#[derive(Debug, Clone)]
pub struct ProgrammeIndex<'p> {
    programme: &'p Programme,
    by_code: HashMap<&'p str, usize>,
}

impl<'p> ProgrammeIndex<'p> {
    /// Indexes the programme's courses by code (the first of a repeated code counts).
    pub fn new(programme: &'p Programme) -> ProgrammeIndex<'p> {
        let mut by_code = HashMap::with_capacity(programme.courses.len());
        for (i, c) in programme.courses.iter().enumerate() {
            by_code.entry(c.code.as_str()).or_insert(i);
        }
        ProgrammeIndex { programme, by_code }
    }

    /// The programme indexed.
    pub fn programme(&self) -> &'p Programme {
        self.programme
    }

    /// The index of the course a passed outcome of the programme's institution completes.
    fn completes(&self, o: &Outcome) -> Option<usize> {
        if !o.passed || o.source.as_deref() != Some(self.programme.institution.as_str()) {
            return None;
        }
        self.by_code.get(o.course_code.as_deref()?.trim()).copied()
    }

    /// Codes of the courses these outcomes complete.
    pub fn passed_courses(&self, completed: &[Outcome]) -> HashSet<String> {
        completed
            .iter()
            .filter_map(|o| self.completes(o))
            .filter_map(|i| self.programme.courses.get(i))
            .map(|c| c.code.clone())
            .collect()
    }

    fn mark<'o, E: ExemptionRecord>(
        &self,
        completed: &'o [Outcome],
        exemptions: &'o [E],
        marks: &mut Vec<Mark<'o>>,
    ) {
        marks.clear();
        marks.resize(self.programme.courses.len(), Mark::Missing);
        for o in completed {
            if let Some(m) = self.completes(o).and_then(|i| marks.get_mut(i)) {
                if !matches!(m, Mark::Completed(_)) {
                    *m = Mark::Completed(&o.id);
                }
            }
        }
        for e in exemptions {
            let i = self.by_code.get(e.course_code().trim()).copied();
            if let Some(m) = i.and_then(|i| marks.get_mut(i)) {
                if *m == Mark::Missing {
                    *m = Mark::Exempt(e.outcome_id());
                }
            }
        }
    }

    fn tally(&self, marks: &[Mark<'_>]) -> AuditTally {
        let mut earned = Credits::ZERO;
        let mut converted = Credits::ZERO;
        let mut compulsory_missing = 0u32;
        for (course, mark) in self.programme.courses.iter().zip(marks) {
            match mark {
                Mark::Completed(_) => earned += course.credits,
                Mark::Exempt(_) => converted += course.credits,
                Mark::Missing if course.compulsory => compulsory_missing += 1,
                Mark::Missing => {}
            }
        }
        let award = self.programme.award_credits;
        AuditTally {
            earned,
            converted,
            missing: award.saturating_sub(earned + converted),
            compulsory_missing,
            awardable: compulsory_missing == 0 && earned + converted >= award,
        }
    }

    /// The figures of one learner's audit, without the detail.
    pub fn tally_of<E: ExemptionRecord>(
        &self,
        completed: &[Outcome],
        exemptions: &[E],
    ) -> AuditTally {
        let mut marks = Vec::new();
        self.mark(completed, exemptions, &mut marks);
        self.tally(&marks)
    }

    /// The full audit of one learner.
    pub fn audit<E: ExemptionRecord>(
        &self,
        completed: &[Outcome],
        exemptions: &[E],
    ) -> QualificationAudit {
        let mut marks = Vec::new();
        self.mark(completed, exemptions, &mut marks);
        let tally = self.tally(&marks);
        let p = self.programme;
        let courses: Vec<CourseAudit> = p
            .courses
            .iter()
            .zip(&marks)
            .map(|(c, m)| {
                let (status, outcome_id) = match m {
                    Mark::Completed(id) => (CourseStatus::Completed, Some((*id).to_owned())),
                    Mark::Exempt(id) => (CourseStatus::Exempt, Some((*id).to_owned())),
                    Mark::Missing => (CourseStatus::Missing, None),
                };
                CourseAudit {
                    code: c.code.clone(),
                    title: c.title.clone(),
                    credits: c.credits,
                    level: c.level,
                    category: c.category,
                    compulsory: c.compulsory,
                    capstone: c.capstone,
                    status,
                    outcome_id,
                }
            })
            .collect();
        let missing: Vec<&CourseAudit> = courses
            .iter()
            .filter(|c| c.status == CourseStatus::Missing)
            .collect();
        let by_category = CreditCategory::ALL
            .iter()
            .map(|&category| CategoryCredits {
                category,
                credits: courses
                    .iter()
                    .filter(|c| c.category == category && c.status != CourseStatus::Missing)
                    .map(|c| c.credits)
                    .sum(),
            })
            .collect();

        let mut compulsory: Vec<&CourseAudit> =
            missing.iter().copied().filter(|c| c.compulsory).collect();
        compulsory.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
        let mut electives: Vec<&CourseAudit> =
            missing.iter().copied().filter(|c| !c.compulsory).collect();
        electives.sort_by(|a, b| {
            (std::cmp::Reverse(a.credits), &a.code).cmp(&(std::cmp::Reverse(b.credits), &b.code))
        });
        let mut reached = tally.earned + tally.converted;
        let mut next = Vec::new();
        for c in compulsory {
            reached += c.credits;
            next.push(c.code.clone());
        }
        for c in electives {
            if reached >= p.award_credits {
                break;
            }
            reached += c.credits;
            next.push(c.code.clone());
        }

        QualificationAudit {
            programme_code: p.code.clone(),
            award_credits: p.award_credits,
            compulsory_missing: missing
                .iter()
                .filter(|c| c.compulsory)
                .map(|c| c.code.clone())
                .collect(),
            courses,
            earned: tally.earned,
            converted: tally.converted,
            missing: tally.missing,
            by_category,
            awardable: tally.awardable,
            next,
        }
    }
}

/// Audits one learner: `completed` are the learner's outcomes, `exemptions` those held or
/// planned ([`PriorExemption`] or [`PlannedExemption`]).
pub fn audit<E: ExemptionRecord>(
    programme: &Programme,
    completed: &[Outcome],
    exemptions: &[E],
) -> QualificationAudit {
    ProgrammeIndex::new(programme).audit(completed, exemptions)
}

/// Audits a cohort against one programme: the figures per learner, in the order given. The
/// programme is indexed once, and the per-learner work allocates nothing but the learner's id.
pub fn audit_cohort(
    programme: &Programme,
    learners: &[(String, Vec<Outcome>, Vec<PriorExemption>)],
) -> Vec<CohortRow> {
    let index = ProgrammeIndex::new(programme);
    let mut marks = Vec::with_capacity(programme.courses.len());
    learners
        .iter()
        .map(|(learner_id, outcomes, exemptions)| {
            index.mark(outcomes, exemptions, &mut marks);
            CohortRow {
                learner_id: learner_id.clone(),
                tally: index.tally(&marks),
            }
        })
        .collect()
}

/// What one more outcome would change: the plan and the audit without it and with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    pub before: ConversionPlan,
    pub after: ConversionPlan,
    pub audit_before: QualificationAudit,
    pub audit_after: QualificationAudit,
    /// Exempted credits gained (never negative: the plan is optimal).
    pub credits_gained: Credits,
    /// Courses exempt with the extra outcome and not without it.
    pub newly_exempt: Vec<String>,
    /// Courses exempt without it that the better plan with it exempts no longer.
    pub no_longer_exempt: Vec<String>,
}

/// Plans and audits the case as it is and with `extra` added, so a page can show the
/// difference. Courses the learner completed (by `completed`) are not exempted in either plan.
pub fn what_if(case: &ConversionCase<'_>, completed: &[Outcome], extra: &Candidate) -> WhatIf {
    let index = ProgrammeIndex::new(case.programme);
    let mut base = case.clone();
    base.passed_courses.extend(index.passed_courses(completed));
    let before = plan(&base);
    let mut with_extra = case.candidates.to_vec();
    with_extra.push(extra.clone());
    let after = plan(&ConversionCase {
        candidates: &with_extra,
        ..base.clone()
    });

    let held = |p: &ConversionPlan| -> Vec<PriorExemption> {
        case.prior
            .iter()
            .cloned()
            .chain(p.exemptions.iter().map(PriorExemption::from))
            .collect()
    };
    let codes = |p: &ConversionPlan| -> HashSet<String> {
        p.exemptions.iter().map(|e| e.course_code.clone()).collect()
    };
    let (was, now) = (codes(&before), codes(&after));
    let order = |set: &HashSet<String>, other: &HashSet<String>| -> Vec<String> {
        case.programme
            .courses
            .iter()
            .filter(|c| set.contains(&c.code) && !other.contains(&c.code))
            .map(|c| c.code.clone())
            .collect()
    };
    WhatIf {
        audit_before: index.audit(completed, &held(&before)),
        audit_after: index.audit(completed, &held(&after)),
        credits_gained: after.total.saturating_sub(before.total),
        newly_exempt: order(&now, &was),
        no_longer_exempt: order(&was, &now),
        before,
        after,
    }
}

impl QualificationAudit {
    /// Completed and exempt credits together.
    pub fn total(&self) -> Credits {
        self.earned + self.converted
    }

    /// The audit in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        let title = |code: &String| {
            self.courses
                .iter()
                .find(|c| &c.code == code)
                .map_or(code.clone(), |c| c.title.get(lang).to_owned())
        };
        let list = |codes: &[String]| -> String {
            let names: Vec<String> = codes.iter().map(title).collect();
            names.join(lang.pick("、", ", "))
        };
        let mut parts = vec![match lang {
            Lang::Zh => format!(
                "已修得 {} 学分，免修 {} 学分；毕业需 {} 学分，还差 {} 学分。",
                self.earned, self.converted, self.award_credits, self.missing
            ),
            Lang::En => format!(
                "{} credits earned and {} exempted; the award needs {}, {} still to go.",
                self.earned, self.converted, self.award_credits, self.missing
            ),
        }];
        if !self.compulsory_missing.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("尚未完成的必修课：{}。", list(&self.compulsory_missing)),
                Lang::En => format!(
                    "Compulsory courses still to do: {}.",
                    list(&self.compulsory_missing)
                ),
            });
        }
        parts.push(
            if self.awardable {
                lang.pick("已满足毕业要求。", "The award's requirements are met.")
            } else {
                lang.pick(
                    "尚未满足毕业要求。",
                    "The award's requirements are not yet met.",
                )
            }
            .to_owned(),
        );
        if !self.next.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("建议接下来修读：{}。", list(&self.next)),
                Lang::En => format!("Take next: {}.", list(&self.next)),
            });
        }
        parts.join(lang.pick("", " "))
    }
}

impl WhatIf {
    /// The difference in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        if self.credits_gained.is_zero() && self.newly_exempt.is_empty() {
            return lang
                .pick(
                    "这项成果不会增加可免修的学分。",
                    "This outcome would not add exempted credits.",
                )
                .to_owned();
        }
        let sep = lang.pick("、", ", ");
        match lang {
            Lang::Zh => format!(
                "取得这项成果后，可多免修 {} 学分（新增免修：{}），还差 {} 学分。",
                self.credits_gained,
                self.newly_exempt.join(sep),
                self.audit_after.missing
            ),
            Lang::En => format!(
                "With this outcome, {} more credits can be exempted (newly exempt: {}); {} credits \
                 still to go.",
                self.credits_gained,
                self.newly_exempt.join(sep),
                self.audit_after.missing
            ),
        }
    }
}

#[cfg(test)]
mod tests;

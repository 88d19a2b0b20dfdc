//! The receiving institution's side of conversion (R16): the queue of applications into its
//! programmes, one application with the engine's current verdict on each pair, the decision,
//! and the cohort audit of its learners. Only the programme's own institution sees or decides
//! an application; to anyone else it does not exist.
//!
//! A decision re-runs the engine on the application date (R17) with the exemptions the learner
//! holds now, so an application decided after another cannot take a cap past its limit (R18);
//! a pair that fails now is refused with its reason. The accepted pairs are recorded as
//! exemptions with the course's own credits and the grade 免考 (R20), each with an archive entry,
//! in one transaction with the decision; of two deciders at once exactly one wins.

use std::collections::{HashMap, HashSet};

use lifelong_core::conversion::{decide, ExemptionRequest, PlannedExemption};
use lifelong_core::framework::Text2;
use lifelong_core::programme::Programme;
use lifelong_core::qualification::{audit_cohort, CohortRow};
use lifelong_core::role::Permission;
use lifelong_core::Lang;
use lifelong_store::{
    Account, AccountFilter, AccountId, ApplicationId, ApplicationStatus, ConversionApplication,
    ConversionVerdict, Cursor, ExemptionId, NewExemption, OutcomeId, Page, StoredProgramme,
};
use time::{Date, OffsetDateTime};

use super::{ConversionRecord, PairRecord, Words};
use crate::actor::Actor;
use crate::bank::entries::exemption_entry;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

/// An application in the queue.
#[derive(Debug, Clone)]
pub struct ConversionQueueItem {
    pub application: ConversionApplication,
    pub overdue: bool,
}

/// One application as the institution sees it.
#[derive(Debug, Clone)]
pub struct ConversionReview {
    pub application: ConversionApplication,
    pub programme: Programme,
    pub learner: Account,
    /// The engine's verdict on every requested pair now, on the application date.
    pub current: ConversionRecord,
    /// What the engine said when the learner applied.
    pub at_application: Option<ConversionRecord>,
    /// The decision, once decided.
    pub decision: Option<ConversionRecord>,
    pub overdue: bool,
}

/// The cohort audit of one programme: one row per member learner.
#[derive(Debug, Clone)]
pub struct CohortAudit {
    pub programme: Programme,
    pub rows: Vec<(Account, CohortRow)>,
}

fn overdue(a: &ConversionApplication, today: Date) -> bool {
    a.status == ApplicationStatus::Pending && a.due_on < today
}

fn course_title(programme: &Programme, code: &str) -> Option<Text2> {
    programme.course(code).map(|c| c.title.clone())
}

impl App {
    /// The institution behind a deciding actor.
    fn deciding_institution<'a>(
        &self,
        actor: &'a Actor,
    ) -> AppResult<&'a lifelong_store::InstitutionId> {
        actor.require(Permission::DecideConversions)?;
        actor.own_institution()
    }

    /// An application into one of the actor's institution's programmes; `NotFound` otherwise.
    async fn own_application(
        &self,
        actor: &Actor,
        id: &ApplicationId,
    ) -> AppResult<ConversionApplication> {
        let institution = self.deciding_institution(actor)?;
        let application = self.store.conversion_application(id).await?;
        if &application.institution_id != institution {
            return Err(AppError::NotFound);
        }
        Ok(application)
    }

    /// A programme of the actor's institution; `NotFound` otherwise.
    async fn own_programme(&self, actor: &Actor, code: &str) -> AppResult<StoredProgramme> {
        let institution = self.deciding_institution(actor)?;
        let programme = self.store.programme(code).await?;
        if &programme.institution_id != institution {
            return Err(AppError::NotFound);
        }
        Ok(programme)
    }

    /// The programmes of the actor's institution.
    pub async fn own_programmes(&self, actor: &Actor) -> AppResult<Vec<StoredProgramme>> {
        let institution = self.deciding_institution(actor)?;
        Ok(self.store.programmes(Some(institution)).await?)
    }

    /// The applications into the institution's programmes, oldest due first; of one status
    /// when given.
    pub async fn conversion_queue(
        &self,
        actor: &Actor,
        status: Option<ApplicationStatus>,
        cursor: &Cursor,
    ) -> AppResult<Page<ConversionQueueItem>> {
        let institution = self.deciding_institution(actor)?;
        let today = OffsetDateTime::now_utc().date();
        let page = self
            .store
            .conversion_queue(institution, status, cursor)
            .await?;
        Ok(page.map(|application| ConversionQueueItem {
            overdue: overdue(&application, today),
            application,
        }))
    }

    /// One application with the engine's current verdicts; looking at it is audited.
    pub async fn conversion_review(
        &self,
        actor: &Actor,
        id: &ApplicationId,
    ) -> AppResult<ConversionReview> {
        let application = self.own_application(actor, id).await?;
        let stored = self.store.programme(&application.programme_code).await?;
        let rules = self.store.rules(Some(&application.programme_code)).await?;
        let record = self
            .learner_record(&application.account_id, &application.programme_code)
            .await?;
        let case = record.case(&stored, &rules, application.applied_on);
        let current = ConversionRecord::from_decision(&decide(&case, &application.requested));
        let learner = self.store.account(&application.account_id).await?;
        self.store
            .append_audit(actor.audit("conversion.view", "conversion_application", id.as_str()))
            .await?;
        let today = OffsetDateTime::now_utc().date();
        Ok(ConversionReview {
            at_application: ConversionRecord::read(&application.explanation),
            decision: application
                .decision
                .as_deref()
                .and_then(ConversionRecord::read),
            overdue: overdue(&application, today),
            programme: stored.programme,
            learner,
            current,
            application,
        })
    }

    /// The institution decides: the pairs in `accept` (among those requested) are checked
    /// again on the application date and recorded if they still pass; every other pair is
    /// refused, with `reason` (required when the institution refuses any pair itself).
    /// `version` is the one the decider saw: `Conflict("already_decided")` if anyone decided
    /// in between.
    pub async fn decide_conversion(
        &self,
        actor: &Actor,
        id: &ApplicationId,
        version: i64,
        accept: &[ExemptionRequest],
        reason: &str,
    ) -> AppResult<ConversionApplication> {
        let application = self.own_application(actor, id).await?;
        if application.status != ApplicationStatus::Pending || application.version != version {
            return Err(AppError::Conflict("already_decided"));
        }
        let reason = reason.trim();
        let chosen: HashSet<(&str, &str)> = accept
            .iter()
            .map(|p| (p.outcome_id.as_str(), p.course_code.as_str()))
            .collect();
        let (checked, declined): (Vec<&ExemptionRequest>, Vec<&ExemptionRequest>) = application
            .requested
            .iter()
            .partition(|p| chosen.contains(&(p.outcome_id.as_str(), p.course_code.as_str())));
        if !declined.is_empty() && reason.is_empty() {
            return Err(AppError::Invalid(vec![FieldError::text(
                "reason",
                "reason_required",
                "不同意的课程须填写理由，申请人可见。",
                "Give a reason for the courses refused; the applicant reads it.",
            )]));
        }
        if reason.chars().count() > 1000 {
            return Err(AppError::Invalid(vec![FieldError::text(
                "reason",
                "reason_too_long",
                "理由不能超过1000个字。",
                "The reason cannot be longer than 1000 characters.",
            )]));
        }
        let stored = self.store.programme(&application.programme_code).await?;
        let rules = self.store.rules(Some(&application.programme_code)).await?;
        let record = self
            .learner_record(&application.account_id, &application.programme_code)
            .await?;
        let case = record.case(&stored, &rules, application.applied_on);
        let checked: Vec<ExemptionRequest> = checked.into_iter().cloned().collect();
        let engine = decide(&case, &checked);
        let titles: HashMap<&str, &str> = record
            .outcomes
            .iter()
            .map(|o| (o.id.as_str(), o.title.as_str()))
            .collect();
        let mut result = ConversionRecord::from_decision(&engine);
        result.reason = (!reason.is_empty()).then(|| reason.to_owned());
        for p in &declined {
            let title = titles.get(p.outcome_id.as_str()).copied();
            let course = course_title(&stored.programme, &p.course_code);
            result.pairs.push(PairRecord {
                outcome_id: p.outcome_id.clone(),
                course_code: p.course_code.clone(),
                accepted: false,
                refused_by: Some("institution".to_owned()),
                reasons: vec!["refused_by_institution".to_owned()],
                rule: None,
                words: Words::of(|l| declined_words(p, title, course.as_ref(), reason, l)),
            });
        }
        // Keep the pairs in the order the learner asked for them.
        let order: HashMap<(&str, &str), usize> = application
            .requested
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.outcome_id.as_str(), p.course_code.as_str()), i))
            .collect();
        result.pairs.sort_by_key(|p| {
            order
                .get(&(p.outcome_id.as_str(), p.course_code.as_str()))
                .copied()
                .unwrap_or(usize::MAX)
        });
        let today = OffsetDateTime::now_utc().date();
        let exemptions = engine
            .accepted()
            .map(|e| {
                new_exemption(
                    &stored.programme,
                    &application,
                    e,
                    titles_of(&titles, e),
                    today,
                )
            })
            .collect::<AppResult<Vec<_>>>()?;
        let audit = actor
            .audit("conversion.decide", "conversion_application", id.as_str())
            .with_detail(serde_json::json!({
                "programme": application.programme_code,
                "accepted": exemptions.len(),
                "refused": application.requested.len() - exemptions.len(),
            }));
        let verdict = ConversionVerdict {
            decision: result.to_json()?,
            decided_by: actor.user.clone(),
            exemptions,
        };
        Ok(self
            .store
            .decide_conversion(id, version, verdict, audit)
            .await?)
    }

    /// The cohort audit of one of the institution's programmes: every member learner's
    /// earned, converted and missing credits, and whether the award's requirements are met.
    pub async fn cohort_audit(&self, actor: &Actor, programme: &str) -> AppResult<CohortAudit> {
        let stored = self.own_programme(actor, programme).await?;
        let institution = stored.institution_id.clone();
        let mut accounts = Vec::new();
        let mut cursor = Cursor::new(None, Some(Cursor::MAX_LIMIT));
        loop {
            let filter = AccountFilter {
                institution: Some(institution.clone()),
                ..Default::default()
            };
            let page = self.store.list_accounts(&filter, &cursor).await?;
            accounts.extend(page.items);
            match page.next {
                Some(next) => cursor = Cursor::new(Some(next), Some(Cursor::MAX_LIMIT)),
                None => break,
            }
        }
        let mut held: HashMap<AccountId, Vec<lifelong_core::conversion::PriorExemption>> =
            HashMap::new();
        for e in self.store.exemptions_in_programme(programme).await? {
            held.entry(e.account_id.clone())
                .or_default()
                .push(e.prior());
        }
        // One read of the institution's accepted deposits, grouped by learner.
        let mut completed: HashMap<AccountId, Vec<lifelong_core::outcome::Outcome>> =
            HashMap::new();
        for (account, outcome) in self.store.accepted_deposits_of(&institution).await? {
            completed.entry(account).or_default().push(outcome);
        }
        let learners: Vec<_> = accounts
            .iter()
            .map(|a| {
                (
                    a.id.to_string(),
                    completed.remove(&a.id).unwrap_or_default(),
                    held.remove(&a.id).unwrap_or_default(),
                )
            })
            .collect();
        let rows = audit_cohort(&stored.programme, &learners);
        let audit = actor
            .audit("conversion.cohort_audit", "programme", programme)
            .with_detail(serde_json::json!({ "learners": rows.len() }));
        self.store.append_audit(audit).await?;
        Ok(CohortAudit {
            programme: stored.programme,
            rows: accounts.into_iter().zip(rows).collect(),
        })
    }
}

fn titles_of<'a>(titles: &HashMap<&str, &'a str>, e: &PlannedExemption) -> &'a str {
    titles.get(e.outcome_id.as_str()).copied().unwrap_or("")
}

fn declined_words(
    p: &ExemptionRequest,
    title: Option<&str>,
    course: Option<&Text2>,
    reason: &str,
    lang: Lang,
) -> String {
    let outcome = match title {
        Some(t) => format!("“{t}”（{}）", p.outcome_id),
        None => p.outcome_id.clone(),
    };
    let course = match course {
        Some(c) => format!("“{}”（{}）", c.get(lang), p.course_code),
        None => p.course_code.clone(),
    };
    match lang {
        Lang::Zh => format!("机构不同意以成果{outcome}免修课程{course}：{reason}"),
        Lang::En => {
            format!("Refused by the institution: outcome {outcome} for course {course}: {reason}")
        }
    }
}

fn new_exemption(
    programme: &Programme,
    application: &ConversionApplication,
    e: &PlannedExemption,
    outcome_title: &str,
    today: Date,
) -> AppResult<NewExemption> {
    let category = programme
        .course(&e.course_code)
        .map(|c| c.category)
        .unwrap_or(lifelong_core::outcome::CreditCategory::Academic);
    Ok(NewExemption {
        id: ExemptionId::new(),
        course_code: e.course_code.clone(),
        outcome_id: OutcomeId::from_db(e.outcome_id.clone()),
        outcome_kind: e.kind,
        rule_code: e.rule_code.clone(),
        rule_version: e.rule_version,
        credits: e.credits,
        entry: exemption_entry(
            programme,
            &application.id,
            e,
            outcome_title,
            category,
            today,
        )?,
    })
}

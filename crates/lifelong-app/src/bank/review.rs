//! The review queue (R15): deposits that wait and learners' applications, oldest due first,
//! with what is overdue standing out; and a reviewer's decision — accept (into the archive,
//! recognised under the standards in force), reject with a reason, or ask for more evidence.
//! Two reviewers deciding at once: exactly one wins; the other is told.

use lifelong_core::review::{OutcomeStatus, ReviewAction};
use lifelong_core::role::Permission;
use lifelong_store::{
    Cursor, Evidence, OutcomeDecision, OutcomeId, Page, QueueFilter, ReviewEvent, StoredOutcome,
};
use time::{Date, OffsetDateTime};

use super::deposit::{source_of, Recogniser};
use super::entries::outcome_entry;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::App;

/// An item of the queue with what a reviewer needs to see.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub outcome: StoredOutcome,
    pub overdue: bool,
}

/// One outcome under review, with its evidence and history.
#[derive(Debug, Clone)]
pub struct ReviewCase {
    pub outcome: StoredOutcome,
    pub evidence: Vec<Evidence>,
    pub events: Vec<ReviewEvent>,
    pub overdue: bool,
    /// What recognition accepting it would give now, in plain words (R23).
    pub recognition_preview: String,
}

fn overdue(o: &StoredOutcome, today: Date) -> bool {
    o.status.is_open() && o.due_on.is_some_and(|d| d < today)
}

impl App {
    /// The review queue. `overdue_only` lists items past their due date.
    pub async fn review_queue(
        &self,
        actor: &Actor,
        overdue_only: bool,
        cursor: &Cursor,
    ) -> AppResult<Page<QueueItem>> {
        actor.require(Permission::ReviewOutcomes)?;
        let today = OffsetDateTime::now_utc().date();
        let filter = QueueFilter {
            due_by: overdue_only.then(|| today.previous_day().unwrap_or(today)),
            ..Default::default()
        };
        let page = self.store.review_queue(&filter, cursor).await?;
        Ok(page.map(|outcome| QueueItem {
            overdue: overdue(&outcome, today),
            outcome,
        }))
    }

    /// One item for a reviewer; looking at it is audited, as it is a learner's record.
    pub async fn review_case(
        &self,
        actor: &Actor,
        id: &OutcomeId,
        lang: lifelong_core::Lang,
    ) -> AppResult<ReviewCase> {
        actor.require(Permission::ReviewOutcomes)?;
        let outcome = self.store.outcome(id).await?;
        let recogniser = Recogniser::load(self).await?;
        let decision = recogniser.decide(&outcome.outcome);
        self.store
            .append_audit(actor.audit("outcome.view", "outcome", id.as_str()))
            .await?;
        Ok(ReviewCase {
            evidence: self.store.evidence_of(id).await?,
            events: self.store.review_events(id).await?,
            overdue: overdue(&outcome, recogniser.today),
            recognition_preview: decision.summary(lang),
            outcome,
        })
    }

    /// A reviewer's decision. `version` is the one the reviewer saw: if anyone decided in
    /// between, this is `Conflict("already_decided")` and nothing changes.
    pub async fn decide_outcome(
        &self,
        actor: &Actor,
        id: &OutcomeId,
        version: i64,
        action: ReviewAction,
        note: &str,
    ) -> AppResult<StoredOutcome> {
        actor.require(Permission::ReviewOutcomes)?;
        let outcome = self.store.outcome(id).await?;
        let note = note.trim();
        let to = outcome.status.review(action, note).map_err(|e| match e {
            lifelong_core::review::ReviewError::AlreadyDecided => {
                AppError::Conflict("already_decided")
            }
            other => AppError::field("note", &other),
        })?;
        let (entry, recognition) = if to == OutcomeStatus::Accepted {
            let source = match &outcome.institution_id {
                Some(i) => Some(source_of(&self.store.institution(i).await?)),
                None => None,
            };
            let entry = outcome_entry(
                id,
                &outcome.outcome,
                outcome.origin,
                source,
                outcome.external_id.as_deref(),
            )?;
            let recogniser = Recogniser::load(self).await?;
            (Some(entry), recogniser.recognise(id, &outcome.outcome)?)
        } else {
            (None, None)
        };
        let audit = actor
            .audit("outcome.decide", "outcome", id.as_str())
            .with_detail(serde_json::json!({
                "action": action.as_str(), "recognised": recognition.is_some()
            }));
        let decision = OutcomeDecision {
            to,
            note: note.to_owned(),
            decided_by: actor.user.clone(),
            entry,
            recognition,
        };
        Ok(self
            .store
            .decide_outcome(id, version, decision, audit)
            .await?)
    }
}

impl App {
    /// One piece of evidence, opened, for a reviewer; the download is audited.
    pub async fn evidence_content(
        &self,
        actor: &Actor,
        id: &lifelong_store::EvidenceId,
    ) -> AppResult<(Evidence, Vec<u8>)> {
        actor.require(Permission::ReviewOutcomes)?;
        let (meta, sealed) = self.store.evidence(id).await?;
        let content = self
            .vault
            .open(&sealed)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .append_audit(actor.audit("evidence.download", "evidence", id.as_str()))
            .await?;
        Ok((meta, content.to_vec()))
    }
}

impl App {
    /// Revokes an accepted outcome (R8): it and its recognition no longer count; revocation
    /// entries naming the reversed entries are appended to the archive; nothing is erased.
    pub async fn revoke_outcome(
        &self,
        actor: &Actor,
        id: &OutcomeId,
        reason: &str,
    ) -> AppResult<StoredOutcome> {
        actor.require(Permission::ReviewOutcomes)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field(
                "note",
                &lifelong_core::review::ReviewError::ReasonRequired,
            ));
        }
        let outcome = self.store.outcome(id).await?;
        let (OutcomeStatus::Accepted, Some(entry)) = (outcome.status, &outcome.entry_id) else {
            return Err(AppError::Conflict("not_accepted"));
        };
        let year = Some(time::OffsetDateTime::now_utc().year());
        let title = &outcome.outcome.title;
        let mut entries = vec![super::entries::revocation_entry(
            entry,
            lifelong_core::archive::EntryKind::Outcome,
            id,
            title,
            reason,
            year,
        )?];
        if let Some(r) = self
            .store
            .recognitions_of(&outcome.account_id)
            .await?
            .into_iter()
            .find(|r| &r.outcome_id == id)
        {
            entries.push(super::entries::revocation_entry(
                &r.entry_id,
                lifelong_core::archive::EntryKind::Recognition,
                id,
                title,
                reason,
                year,
            )?);
        }
        let audit = actor.audit("outcome.revoke", "outcome", id.as_str());
        Ok(self
            .store
            .revoke_outcome(id, reason, actor.user.as_ref(), entries, audit)
            .await?)
    }
}

//! The credit bank's records and store traits: the catalog (framework, units, standards,
//! programmes, conversion rules, calendar), outcomes with their review, recognitions, and the
//! lifelong archive. Records speak domain types from `lifelong-core`.

use async_trait::async_trait;
use lifelong_core::archive::{BrokenLink, EntryKind};
use lifelong_core::calendar::WorkCalendar;
use lifelong_core::catalog::Catalog;
use lifelong_core::credits::Credits;
use lifelong_core::framework::{Framework, Level, LevelMapping};
use lifelong_core::outcome::{CreditCategory, Outcome, OutcomeKind};
use lifelong_core::programme::{ConversionRule, Programme};
use lifelong_core::publication::Window;
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::review::{OutcomeOrigin, OutcomeStatus};
use lifelong_core::unit::Unit;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::ids::*;
use crate::page::{Cursor, Page};
use crate::records::NewAudit;
use crate::StoreResult;

// ---------------------------------------------------------------------------------------------
// Catalog

/// Which kind of versioned catalog item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Versioned {
    Unit,
    Standard,
    Rule,
}

impl Versioned {
    pub fn as_str(self) -> &'static str {
        match self {
            Versioned::Unit => "unit",
            Versioned::Standard => "standard",
            Versioned::Rule => "rule",
        }
    }
}

/// What an import of a catalog did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub added: u32,
    /// Items already present with the same content.
    pub unchanged: u32,
}

/// A programme as stored, with the institution that owns it.
#[derive(Debug, Clone)]
pub struct StoredProgramme {
    pub programme: Programme,
    pub institution_id: InstitutionId,
    pub updated_at: OffsetDateTime,
}

/// The credit bank's maintained data.
#[async_trait]
pub trait CatalogStore {
    /// Adds or replaces a framework; `default` makes it the one levels refer to.
    async fn put_framework(
        &self,
        framework: &Framework,
        default: bool,
        audit: NewAudit,
    ) -> StoreResult<()>;
    /// The default framework, if one is set.
    async fn default_framework(&self) -> StoreResult<Option<Framework>>;
    async fn frameworks(&self) -> StoreResult<Vec<Framework>>;
    /// Adds or replaces the mapping of `mapping.from_framework`'s levels onto
    /// `mapping.to_framework` (R12). `NotFound` when the framework mapped onto is not stored.
    async fn put_level_mapping(&self, mapping: &LevelMapping, audit: NewAudit) -> StoreResult<()>;
    /// Every level mapping, ordered by the other framework's code.
    async fn level_mappings(&self) -> StoreResult<Vec<LevelMapping>>;

    /// Adds every item of `catalog` that is not present. A published version that exists with
    /// different content is `Conflict("published_version_immutable")`; nothing is written then.
    /// Programmes name their institution by credit code: `NotFound` when it is unknown.
    async fn import_catalog(&self, catalog: &Catalog, audit: NewAudit)
        -> StoreResult<ImportCounts>;

    /// Saves a draft unit: a new code or version, or a change to an existing draft.
    /// `Conflict("published_version_immutable")` for a published one.
    async fn save_unit(&self, unit: &Unit, audit: NewAudit) -> StoreResult<()>;
    async fn save_standard(
        &self,
        standard: &RecognitionStandard,
        audit: NewAudit,
    ) -> StoreResult<()>;
    async fn save_rule(&self, rule: &ConversionRule, audit: NewAudit) -> StoreResult<()>;

    /// Publishes a draft with its window. The code's earlier published version, if any, is
    /// superseded: its window closes the day before this one starts.
    /// `Conflict("not_a_draft")` when it is not a draft.
    async fn publish(
        &self,
        what: Versioned,
        code: &str,
        version: u32,
        window: Window,
        audit: NewAudit,
    ) -> StoreResult<()>;

    /// Units, newest version last; `query` matches code or Chinese title.
    async fn units(&self, query: Option<&str>) -> StoreResult<Vec<Unit>>;
    async fn standards(&self) -> StoreResult<Vec<RecognitionStandard>>;
    /// Conversion rules, all versions; of one programme when given.
    async fn rules(&self, programme: Option<&str>) -> StoreResult<Vec<ConversionRule>>;

    /// Saves a programme (new or changed). Its `institution` names the owner by credit code.
    async fn save_programme(&self, programme: &Programme, audit: NewAudit) -> StoreResult<()>;
    async fn programme(&self, code: &str) -> StoreResult<StoredProgramme>;
    /// Programmes, of one institution when given.
    async fn programmes(
        &self,
        institution: Option<&InstitutionId>,
    ) -> StoreResult<Vec<StoredProgramme>>;

    async fn calendar(&self) -> StoreResult<WorkCalendar>;
    /// Sets a day as worked (`Some(true)`), off (`Some(false)`), or back to the weekday rule.
    async fn set_calendar_day(
        &self,
        day: Date,
        working: Option<bool>,
        note: &str,
        audit: NewAudit,
    ) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// Archive

/// An archive entry to append. The store gives it its sequence number, time and hashes.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: EntryId,
    pub kind: EntryKind,
    pub reverses: Option<EntryId>,
    /// Canonical JSON of what the entry records.
    pub body: String,
    /// Copies of the body's fields, for filtering.
    pub year: Option<i32>,
    pub category: Option<CreditCategory>,
    pub outcome_kind: Option<OutcomeKind>,
}

/// An archive entry as stored.
#[derive(Debug, Clone)]
pub struct ArchiveEntry {
    pub id: EntryId,
    pub account_id: AccountId,
    pub seq: u64,
    pub kind: EntryKind,
    pub reverses: Option<EntryId>,
    pub recorded_at: OffsetDateTime,
    pub year: Option<i32>,
    pub category: Option<CreditCategory>,
    pub outcome_kind: Option<OutcomeKind>,
    pub body: String,
    pub hash: [u8; 32],
}

/// Which entries of an archive to show.
#[derive(Debug, Clone, Default)]
pub struct ArchiveFilter {
    pub year: Option<i32>,
    pub category: Option<CreditCategory>,
    pub outcome_kind: Option<OutcomeKind>,
    pub kind: Option<EntryKind>,
}

/// What a full verification of every chain found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub chains: u64,
    pub entries: u64,
    /// The first broken link of each broken chain.
    pub broken: Vec<BrokenLink>,
}

/// A learner's credits in one category, from recognitions that stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryCredits {
    pub category: CreditCategory,
    pub credits: Credits,
}

/// The lifelong archive.
#[async_trait]
pub trait ArchiveStore {
    /// A page of a learner's entries, newest first. The cursor is the sequence number.
    async fn archive_page(
        &self,
        account: &AccountId,
        filter: &ArchiveFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<ArchiveEntry>>;
    /// All of a learner's entries, oldest first (for download).
    async fn archive_all(&self, account: &AccountId) -> StoreResult<Vec<ArchiveEntry>>;
    async fn archive_entry(&self, id: &EntryId) -> StoreResult<ArchiveEntry>;
    /// Appends entries to one learner's chain, in one transaction, with the audit record.
    async fn append_entries(
        &self,
        account: &AccountId,
        entries: Vec<NewEntry>,
        audit: NewAudit,
    ) -> StoreResult<Vec<ArchiveEntry>>;
    /// Recomputes every chain and compares it with the stored hashes and heads (R8).
    async fn verify_archive(&self) -> StoreResult<VerifyReport>;
    /// Credits by category from a learner's standing recognitions.
    async fn credit_totals(&self, account: &AccountId) -> StoreResult<Vec<CategoryCredits>>;
}

// ---------------------------------------------------------------------------------------------
// Outcomes, review, recognition

/// A recognition to record with an outcome that counts.
#[derive(Debug, Clone)]
pub struct NewRecognition {
    pub id: RecognitionId,
    pub certificate_no: String,
    pub standard_code: String,
    pub standard_version: u32,
    pub unit_code: String,
    pub unit_version: u32,
    pub credits: Credits,
    pub category: CreditCategory,
    pub level: Level,
    pub recognised_on: Date,
    /// The engine's decision as JSON (R23).
    pub explanation: String,
    /// The archive entry recording it.
    pub entry: NewEntry,
}

/// A piece of evidence, sealed by the caller.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub id: EvidenceId,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub sealed: Vec<u8>,
}

/// Evidence as listed (without content).
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub outcome_id: OutcomeId,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// An outcome to record: a deposit or an application.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub id: OutcomeId,
    pub account_id: AccountId,
    pub institution_id: Option<InstitutionId>,
    pub external_id: Option<String>,
    pub origin: OutcomeOrigin,
    pub status: OutcomeStatus,
    pub outcome: Outcome,
    /// When a decision is due (R15), for items that wait for review.
    pub due_on: Option<Date>,
    /// For an outcome that counts at once: its archive entry, and its recognition if any.
    pub entry: Option<NewEntry>,
    pub recognition: Option<NewRecognition>,
    pub evidence: Vec<NewEvidence>,
}

/// An outcome as stored.
#[derive(Debug, Clone)]
pub struct StoredOutcome {
    pub id: OutcomeId,
    pub account_id: AccountId,
    pub institution_id: Option<InstitutionId>,
    pub external_id: Option<String>,
    pub origin: OutcomeOrigin,
    pub status: OutcomeStatus,
    pub outcome: Outcome,
    pub submitted_at: OffsetDateTime,
    pub due_on: Option<Date>,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<UserId>,
    pub decision_note: Option<String>,
    pub entry_id: Option<EntryId>,
    pub version: i64,
}

/// One message of a batched deposit ([`OutcomeStore::deposit_outcome_batches`]).
#[derive(Debug)]
pub enum DepositBatch {
    /// More outcomes to record.
    Rows(Vec<NewOutcome>),
    /// The last batch has been sent: commit.
    End,
}

/// What a deposit of many outcomes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DepositCounts {
    /// Outcomes recorded.
    pub created: u32,
    /// Of those, outcomes that counted at once.
    pub accepted: u32,
    /// Outcomes whose (institution, external id) was already deposited: left as they were.
    pub unchanged: u32,
}

/// A reviewer's decision on an outcome.
#[derive(Debug, Clone)]
pub struct OutcomeDecision {
    pub to: OutcomeStatus,
    pub note: String,
    pub decided_by: Option<UserId>,
    /// For an accepted outcome: its archive entry and recognition.
    pub entry: Option<NewEntry>,
    pub recognition: Option<NewRecognition>,
}

/// Which items of the review queue to list.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only these statuses; empty means the open ones (pending, more evidence).
    pub statuses: Vec<OutcomeStatus>,
    /// Only items due on or before this day.
    pub due_by: Option<Date>,
    pub origin: Option<OutcomeOrigin>,
}

/// A recognition as stored.
#[derive(Debug, Clone, Serialize)]
pub struct StoredRecognition {
    pub id: RecognitionId,
    pub account_id: AccountId,
    pub outcome_id: OutcomeId,
    pub certificate_no: String,
    pub standard_code: String,
    pub standard_version: u32,
    pub unit_code: String,
    pub unit_version: u32,
    pub credits: Credits,
    pub category: CreditCategory,
    pub level: Level,
    #[serde(with = "lifelong_core::publication::day")]
    pub recognised_on: Date,
    pub explanation: String,
    pub entry_id: EntryId,
    /// Set when a reviewer revoked it (R8: by a later archive entry).
    pub revoked: bool,
}

/// A step in an outcome's review, for the learner to follow.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub action: String,
    pub note: String,
}

/// Outcomes, their review and recognition.
#[async_trait]
pub trait OutcomeStore {
    /// Records outcomes in one transaction: those that count at once are appended to their
    /// learners' archives with their recognitions. An (institution, external id) already
    /// deposited is left alone and counted as unchanged; so is a repeat inside `outcomes`.
    /// With `upload`, the deposit confirms that outcomes upload, in the same transaction:
    /// `Conflict("upload_already_committed")` the second time.
    async fn deposit_outcomes(
        &self,
        outcomes: Vec<NewOutcome>,
        upload: Option<&UploadId>,
        audit: NewAudit,
    ) -> StoreResult<DepositCounts>;
    /// [`deposit_outcomes`](Self::deposit_outcomes) fed in batches, so that a caller can build
    /// the next batch while the store writes this one, and never holds them all. Everything is
    /// one transaction, committed when [`DepositBatch::End`] arrives; if the sender goes away
    /// without sending it, nothing is written and the answer is `Conflict("deposit_abandoned")`.
    async fn deposit_outcome_batches(
        &self,
        batches: tokio::sync::mpsc::Receiver<DepositBatch>,
        upload: Option<&UploadId>,
        audit: NewAudit,
    ) -> StoreResult<DepositCounts>;
    async fn outcome(&self, id: &OutcomeId) -> StoreResult<StoredOutcome>;
    /// The external ids among `ids` the institution has deposited.
    async fn deposited_external_ids(
        &self,
        institution: &InstitutionId,
        ids: &[&str],
    ) -> StoreResult<std::collections::HashSet<String>>;
    /// The outcome an institution deposited under an external id, if any.
    async fn outcome_by_external_id(
        &self,
        institution: &InstitutionId,
        external_id: &str,
    ) -> StoreResult<Option<StoredOutcome>>;
    /// Every accepted outcome an institution deposited, with its learner, in one read (for
    /// cohort audits: a programme's completed courses are its own institution's deposits).
    async fn accepted_deposits_of(
        &self,
        institution: &InstitutionId,
    ) -> StoreResult<Vec<(AccountId, Outcome)>>;
    /// A learner's outcomes, newest completion first.
    async fn outcomes_of(&self, account: &AccountId) -> StoreResult<Vec<StoredOutcome>>;
    /// The review queue, oldest due first. The cursor is the outcome id.
    async fn review_queue(
        &self,
        filter: &QueueFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<StoredOutcome>>;
    /// Applies a decision if the outcome is still at `version`; otherwise
    /// `Conflict("already_decided")` (two reviewers at once: exactly one wins).
    async fn decide_outcome(
        &self,
        id: &OutcomeId,
        version: i64,
        decision: OutcomeDecision,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome>;
    /// Adds evidence to an open outcome, putting it back in the queue.
    async fn add_evidence(
        &self,
        id: &OutcomeId,
        evidence: Vec<NewEvidence>,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome>;
    /// Revokes an accepted outcome and its recognition, appending `entries` (the revocations
    /// that name the reversed entries) to the learner's chain, in one transaction.
    /// `Conflict("not_accepted")` when it is not (or no longer) accepted.
    async fn revoke_outcome(
        &self,
        id: &OutcomeId,
        note: &str,
        decided_by: Option<&UserId>,
        entries: Vec<NewEntry>,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome>;
    async fn evidence_of(&self, outcome: &OutcomeId) -> StoreResult<Vec<Evidence>>;
    /// One piece of evidence with its sealed content.
    async fn evidence(&self, id: &EvidenceId) -> StoreResult<(Evidence, Vec<u8>)>;
    async fn review_events(&self, outcome: &OutcomeId) -> StoreResult<Vec<ReviewEvent>>;
    async fn recognitions_of(&self, account: &AccountId) -> StoreResult<Vec<StoredRecognition>>;
    async fn recognition(&self, id: &RecognitionId) -> StoreResult<StoredRecognition>;
    async fn recognition_by_certificate(
        &self,
        certificate_no: &str,
    ) -> StoreResult<StoredRecognition>;
}

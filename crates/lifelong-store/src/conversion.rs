//! Conversion (学分转换, R16–R23) as stored: a learner's application to have outcomes replace
//! courses of a programme, the receiving institution's decision on it, and the exemptions
//! (免修免考) the decision grants. One course is exempted once and one outcome used once per
//! learner and programme (R21): the database's unique constraints hold the line even when two
//! decisions race.

use std::fmt;

use async_trait::async_trait;
use lifelong_core::conversion::{ExemptionRequest, PriorExemption};
use lifelong_core::credits::Credits;
use lifelong_core::outcome::OutcomeKind;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::bank::NewEntry;
use crate::ids::{AccountId, ApplicationId, EntryId, InstitutionId, OutcomeId, UserId};
use crate::page::{Cursor, Page};
use crate::records::NewAudit;
use crate::StoreResult;

/// An exemption's identifier (UUIDv7 text, like the others).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExemptionId(String);

impl ExemptionId {
    /// A new, time-ordered identifier.
    pub fn new() -> Self {
        ExemptionId(uuid::Uuid::now_v7().to_string())
    }
    /// Wraps text read from the database without re-checking it.
    pub fn from_db(text: String) -> Self {
        ExemptionId(text)
    }
    /// The canonical text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ExemptionId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ExemptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ExemptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExemptionId({})", self.0)
    }
}

/// Where a conversion application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Waiting for the receiving institution.
    Pending,
    /// Decided: some pairs accepted (exemptions recorded), the rest refused with reasons.
    Decided,
}

impl ApplicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "pending",
            ApplicationStatus::Decided => "decided",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(ApplicationStatus::Pending),
            "decided" => Some(ApplicationStatus::Decided),
            _ => None,
        }
    }

    /// The status in plain words.
    pub fn label(self, lang: lifelong_core::Lang) -> &'static str {
        match self {
            ApplicationStatus::Pending => lang.pick("待机构审核", "Waiting for the institution"),
            ApplicationStatus::Decided => lang.pick("已决定", "Decided"),
        }
    }
}

/// A conversion application to record (status `pending`).
#[derive(Debug, Clone)]
pub struct NewConversionApplication {
    pub id: ApplicationId,
    pub account_id: AccountId,
    pub programme_code: String,
    /// The programme's institution, which decides.
    pub institution_id: InstitutionId,
    /// The application date: rules must be in force on it (R17).
    pub applied_on: Date,
    /// When the institution's decision is due.
    pub due_on: Date,
    pub requested: Vec<ExemptionRequest>,
    /// The engine's decision on the application date, as JSON (R23).
    pub explanation: String,
}

/// A conversion application as stored.
#[derive(Debug, Clone)]
pub struct ConversionApplication {
    pub id: ApplicationId,
    pub account_id: AccountId,
    pub programme_code: String,
    pub institution_id: InstitutionId,
    pub status: ApplicationStatus,
    pub applied_on: Date,
    pub due_on: Date,
    pub requested: Vec<ExemptionRequest>,
    /// JSON, as given when applying.
    pub explanation: String,
    /// JSON, once decided.
    pub decision: Option<String>,
    pub submitted_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<UserId>,
    pub version: i64,
}

/// An exemption to record with a decision: the course recorded with its own credits and the
/// grade 免考 (R20), replaced by the outcome under the cited rule (R17).
#[derive(Debug, Clone)]
pub struct NewExemption {
    pub id: ExemptionId,
    pub course_code: String,
    pub outcome_id: OutcomeId,
    pub outcome_kind: OutcomeKind,
    pub rule_code: String,
    pub rule_version: u32,
    /// The replaced course's credits.
    pub credits: Credits,
    /// The archive entry recording it.
    pub entry: NewEntry,
}

/// An institution's decision on an application.
#[derive(Debug, Clone)]
pub struct ConversionVerdict {
    /// The decision as JSON: each pair's verdict and explanation (R23).
    pub decision: String,
    pub decided_by: Option<UserId>,
    /// The exemptions granted; none when every pair is refused.
    pub exemptions: Vec<NewExemption>,
}

/// An exemption as stored.
#[derive(Debug, Clone, Serialize)]
pub struct StoredExemption {
    pub id: ExemptionId,
    pub account_id: AccountId,
    pub programme_code: String,
    pub course_code: String,
    pub outcome_id: OutcomeId,
    pub outcome_kind: OutcomeKind,
    pub rule_code: String,
    pub rule_version: u32,
    pub credits: Credits,
    pub application_id: ApplicationId,
    pub entry_id: EntryId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl StoredExemption {
    /// The exemption as the conversion engine counts it (caps, R21).
    pub fn prior(&self) -> PriorExemption {
        PriorExemption {
            course_code: self.course_code.clone(),
            outcome_id: self.outcome_id.to_string(),
            credits: self.credits,
            kind: self.outcome_kind,
        }
    }
}

/// Conversion applications, decisions and exemptions.
#[async_trait]
pub trait ConversionStore {
    /// Records an application. `Conflict("application_open")` when the learner already has a
    /// pending application in the programme; nothing is written then.
    async fn create_conversion_application(
        &self,
        new: NewConversionApplication,
        audit: NewAudit,
    ) -> StoreResult<ConversionApplication>;

    async fn conversion_application(
        &self,
        id: &ApplicationId,
    ) -> StoreResult<ConversionApplication>;

    /// A learner's applications, newest first; of one programme when given.
    async fn conversion_applications_of(
        &self,
        account: &AccountId,
        programme: Option<&str>,
    ) -> StoreResult<Vec<ConversionApplication>>;

    /// The applications into an institution's programmes, oldest due first (then by id); of
    /// one status when given. The cursor is `due_on|id` of the last item.
    async fn conversion_queue(
        &self,
        institution: &InstitutionId,
        status: Option<ApplicationStatus>,
        cursor: &Cursor,
    ) -> StoreResult<Page<ConversionApplication>>;

    /// Decides a pending application still at `version`, in one transaction: the application
    /// becomes `decided`, the exemptions are recorded, their entries appended to the learner's
    /// archive, and the audit record written. `Conflict("already_decided")` when it is no
    /// longer pending at that version (two deciders at once: exactly one wins);
    /// `Conflict("outcome_already_used")` when an exemption's course or outcome is already
    /// taken in the programme (R21). Nothing is written on a conflict.
    async fn decide_conversion(
        &self,
        id: &ApplicationId,
        version: i64,
        verdict: ConversionVerdict,
        audit: NewAudit,
    ) -> StoreResult<ConversionApplication>;

    /// A learner's exemptions, oldest first; in one programme when given.
    async fn exemptions_of(
        &self,
        account: &AccountId,
        programme: Option<&str>,
    ) -> StoreResult<Vec<StoredExemption>>;

    /// Every learner's exemptions in a programme (for the cohort audit).
    async fn exemptions_in_programme(&self, programme: &str) -> StoreResult<Vec<StoredExemption>>;
}

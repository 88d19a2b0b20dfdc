//! The records the store reads and writes, in domain types. `New*` records are what callers
//! hand in; the others are what comes back.

use lifelong_core::account::{AccountOrigin, AccountStatus};
use lifelong_core::consent::ConsentKind;
use lifelong_core::credit_code::CreditCode;
use lifelong_core::id_number::Gender;
use lifelong_core::institution::{InstitutionKind, InstitutionStatus};
use lifelong_core::person_name::PersonName;
use lifelong_core::role::Role;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::ids::{AccountId, ConsentId, InstitutionId, TokenId, UploadId, UserId};

/// A new institution.
#[derive(Debug, Clone)]
pub struct NewInstitution {
    pub id: InstitutionId,
    pub credit_code: CreditCode,
    pub name_zh: String,
    pub name_en: String,
    pub kind: InstitutionKind,
    /// GB/T 2260 code of the district (e.g. `310104`).
    pub district_code: String,
    /// Deposits from a trusted institution count at once (rule R15).
    pub trusted: bool,
}

/// An institution as stored.
#[derive(Debug, Clone)]
pub struct Institution {
    pub id: InstitutionId,
    pub credit_code: CreditCode,
    pub name_zh: String,
    pub name_en: String,
    pub kind: InstitutionKind,
    pub district_code: String,
    pub status: InstitutionStatus,
    pub trusted: bool,
    pub created_at: OffsetDateTime,
}

/// Changes an administrator makes to an institution. The credit code never changes.
#[derive(Debug, Clone)]
pub struct InstitutionPatch {
    pub name_zh: String,
    pub name_en: String,
    pub kind: InstitutionKind,
    pub district_code: String,
    pub status: InstitutionStatus,
    pub trusted: bool,
}

/// A piece of personal data as it is kept: sealed (encrypted), a blind index for lookups and
/// uniqueness, and the masked form for display (rule R3).
#[derive(Debug, Clone)]
pub struct SealedPii {
    pub sealed: Vec<u8>,
    pub index: String,
    pub masked: String,
}

/// A learning account to open.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub id: AccountId,
    pub name: PersonName,
    pub id_number: SealedPii,
    pub birth_date: Date,
    pub gender: Gender,
    pub mobile: Option<SealedPii>,
    pub origin: AccountOrigin,
    /// The institution that opened it, which also becomes a member link.
    pub opened_by: Option<InstitutionId>,
    /// Consents given when the account is opened (rule R4), recorded with it.
    pub consents: Vec<NewConsent>,
}

/// A learning account as stored. Personal data appears only masked.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub name: PersonName,
    pub id_number_masked: String,
    pub birth_date: Date,
    pub gender: Gender,
    pub mobile_masked: Option<String>,
    pub status: AccountStatus,
    pub verified_at: Option<OffsetDateTime>,
    pub origin: AccountOrigin,
    pub opened_by: Option<InstitutionId>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Which accounts to list.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub status: Option<AccountStatus>,
    /// Only accounts linked to this institution.
    pub institution: Option<InstitutionId>,
    /// Only the account with this ID-number blind index.
    pub id_index: Option<String>,
}

/// A consent being given (rule R4).
#[derive(Debug, Clone)]
pub struct NewConsent {
    pub kind: ConsentKind,
    /// The purpose shown to the person when they agreed, kept as they saw it.
    pub purpose: String,
    /// For guardian consent: the guardian's name.
    pub guardian_name: Option<String>,
}

/// A consent record; withdrawn consents stay, with the time of withdrawal.
#[derive(Debug, Clone)]
pub struct Consent {
    pub id: ConsentId,
    pub account_id: AccountId,
    pub kind: ConsentKind,
    pub purpose: String,
    pub guardian_name: Option<String>,
    pub granted_at: OffsetDateTime,
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// How a single account opening by an institution ended.
#[derive(Debug, Clone)]
pub enum Opened {
    /// A new account was created.
    Created(Account),
    /// The person already had an account (one person, one account: rule R5); it is now
    /// linked to the institution.
    Existing(Account),
}

/// What a bulk opening did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BulkOpenOutcome {
    /// New accounts created.
    pub created: u32,
    /// People who already had an account, now linked to the institution.
    pub linked: u32,
    /// People already linked to the institution: nothing to do.
    pub unchanged: u32,
}

/// A new user who signs in.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    /// The sign-in name, already normalised (lower-case for staff; a mobile blind index for
    /// learners, who sign in with their mobile number).
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<InstitutionId>,
    pub account_id: Option<AccountId>,
    /// Argon2id PHC string; `None` for a user who cannot sign in with a password yet.
    pub password_hash: Option<String>,
}

/// A user as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<InstitutionId>,
    pub account_id: Option<AccountId>,
    pub active: bool,
    pub password_hash: Option<String>,
    pub failed_logins: u32,
    pub locked_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// Changes an administrator makes to a user.
#[derive(Debug, Clone)]
pub struct UserPatch {
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<InstitutionId>,
    pub active: bool,
}

/// A signed-in session. Only the hash of the cookie's token is kept.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: UserId,
    pub expires_at: OffsetDateTime,
}

/// A new API token. Only its hash is kept; the token itself is shown once.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub id: TokenId,
    pub institution_id: InstitutionId,
    pub name: String,
    pub token_hash: String,
    /// The first characters of the token, so people can tell tokens apart.
    pub prefix: String,
    pub created_by: Option<UserId>,
}

/// An API token as stored (without its hash).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: TokenId,
    pub institution_id: InstitutionId,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    Denied,
    Failed,
}

impl AuditOutcome {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Failed => "failed",
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ok" => Some(AuditOutcome::Ok),
            "denied" => Some(AuditOutcome::Denied),
            "failed" => Some(AuditOutcome::Failed),
            _ => None,
        }
    }
}

/// One audit record to append. It must never hold personal data in plain text: targets are
/// identifiers, details are codes and counts.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub actor: Option<UserId>,
    pub actor_role: Option<Role>,
    /// For API calls: the institution whose token was used.
    pub via_institution: Option<InstitutionId>,
    /// A stable dotted name, e.g. `account.verify`, `account.reveal_id_number`.
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub outcome: AuditOutcome,
    pub detail: serde_json::Value,
    pub request_id: Option<String>,
}

impl NewAudit {
    /// The same record with another target (for actions that create what they act on).
    pub fn with_target(mut self, kind: &str, id: &str) -> Self {
        self.target_kind = kind.to_owned();
        self.target_id = id.to_owned();
        self
    }

    /// The same record with a detail object.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// An audit record as stored, with its sequence number.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
    pub actor_role: Option<Role>,
    pub via_institution: Option<InstitutionId>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub outcome: AuditOutcome,
    pub detail: serde_json::Value,
    pub request_id: Option<String>,
}

/// Which audit records to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    /// Actions starting with this text (`account.` for all account actions).
    pub action_prefix: Option<String>,
    pub target_id: Option<String>,
}

/// The state of a bulk upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadStatus {
    /// Checked, nothing written yet.
    Checked,
    /// Confirmed and written.
    Committed,
}

impl UploadStatus {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadStatus::Checked => "checked",
            UploadStatus::Committed => "committed",
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "checked" => Some(UploadStatus::Checked),
            "committed" => Some(UploadStatus::Committed),
            _ => None,
        }
    }
}

/// What a bulk upload is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadPurpose {
    /// Opening learning accounts.
    Accounts,
    /// Depositing learners' outcomes.
    Outcomes,
}

impl UploadPurpose {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadPurpose::Accounts => "accounts",
            UploadPurpose::Outcomes => "outcomes",
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "accounts" => Some(UploadPurpose::Accounts),
            "outcomes" => Some(UploadPurpose::Outcomes),
            _ => None,
        }
    }
}

/// A file uploaded for bulk account opening or deposit, kept sealed until it is confirmed.
#[derive(Debug, Clone)]
pub struct NewUpload {
    pub id: UploadId,
    pub purpose: UploadPurpose,
    pub institution_id: InstitutionId,
    pub uploaded_by: Option<UserId>,
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub file_sha256: String,
    /// The file's content, sealed by the vault: it holds ID numbers.
    pub sealed_content: Vec<u8>,
    pub rows: u32,
}

/// A bulk upload as stored.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: UploadId,
    pub purpose: UploadPurpose,
    pub institution_id: InstitutionId,
    pub uploaded_by: Option<UserId>,
    pub file_name: String,
    pub file_sha256: String,
    pub rows: u32,
    pub status: UploadStatus,
    pub outcome: Option<BulkOpenOutcome>,
    pub created_at: OffsetDateTime,
    pub committed_at: Option<OffsetDateTime>,
}

/// A response kept for an `Idempotency-Key`, replayed when the same request comes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// What the store knows of an idempotency key when a request arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// First time: the key is now reserved for this request.
    Claimed,
    /// Done before with the same request: replay this.
    Replay(StoredResponse),
    /// Another request with the key is still running.
    InProgress,
    /// The key was used before for a different request.
    Mismatch,
}

//! The store traits. Each covers one area; [`Store`] is all of them, and is what the web
//! layer holds (`Arc<dyn Store>`).

use std::collections::HashSet;

use async_trait::async_trait;
use lifelong_core::account::AccountStatus;
use time::OffsetDateTime;

use crate::ids::{AccountId, ConsentId, InstitutionId, TokenId, UploadId, UserId};
use crate::page::{Cursor, Page};
use crate::records::*;
use crate::StoreResult;

/// Institutions.
#[async_trait]
pub trait InstitutionStore {
    /// Creates an institution; `Conflict("institution_exists")` when the credit code is taken.
    async fn create_institution(
        &self,
        new: NewInstitution,
        audit: NewAudit,
    ) -> StoreResult<Institution>;
    /// Applies an administrator's changes.
    async fn update_institution(
        &self,
        id: &InstitutionId,
        patch: InstitutionPatch,
        audit: NewAudit,
    ) -> StoreResult<Institution>;
    async fn institution(&self, id: &InstitutionId) -> StoreResult<Institution>;
    async fn list_institutions(&self, cursor: &Cursor) -> StoreResult<Page<Institution>>;
}

/// Learning accounts, their consents and their links to institutions.
#[async_trait]
pub trait AccountStore {
    /// A citizen's own registration: the account with its consents and the user who signs in,
    /// in one transaction. `Conflict("account_exists")` when the person has an account (R5),
    /// `Conflict("login_taken")` when the mobile number is already a login.
    async fn register_learner(
        &self,
        account: NewAccount,
        user: NewUser,
        audit: NewAudit,
    ) -> StoreResult<(Account, User)>;

    /// An institution opens one account. When the person already has one it is linked to the
    /// institution and returned as [`Opened::Existing`].
    async fn open_account(&self, account: NewAccount, audit: NewAudit) -> StoreResult<Opened>;

    async fn account(&self, id: &AccountId) -> StoreResult<Account>;

    /// The ID-number blind indexes among `indexes` that already have an account.
    async fn existing_id_indexes(&self, indexes: &[String]) -> StoreResult<HashSet<String>>;

    /// The accounts holding these ID-number blind indexes, as (index, account id).
    async fn account_ids_by_index(
        &self,
        indexes: &[String],
    ) -> StoreResult<Vec<(String, AccountId)>>;

    /// Whether the account is linked to the institution.
    async fn is_member(
        &self,
        institution: &InstitutionId,
        account: &AccountId,
    ) -> StoreResult<bool>;

    async fn list_accounts(
        &self,
        filter: &AccountFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<Account>>;

    /// Moves an account from `from` to `to`; `Conflict("account_state_changed")` when it is no
    /// longer in `from` (two reviewers at once: exactly one wins). `verified` stamps the time of
    /// real-name verification.
    async fn change_account_status(
        &self,
        id: &AccountId,
        from: AccountStatus,
        to: AccountStatus,
        verified: bool,
        audit: NewAudit,
    ) -> StoreResult<Account>;

    /// The sealed ID number, for a permitted reveal; the audit record is written first, in the
    /// same transaction, so no reveal goes unrecorded.
    async fn reveal_id_number(&self, id: &AccountId, audit: NewAudit) -> StoreResult<Vec<u8>>;

    async fn consents(&self, account: &AccountId) -> StoreResult<Vec<Consent>>;
    async fn grant_consent(
        &self,
        account: &AccountId,
        consent: NewConsent,
        audit: NewAudit,
    ) -> StoreResult<Consent>;
    /// Withdraws a consent; `Conflict("consent_already_withdrawn")` when it was.
    async fn withdraw_consent(
        &self,
        account: &AccountId,
        id: &ConsentId,
        audit: NewAudit,
    ) -> StoreResult<Consent>;
}

/// Bulk account opening from files.
#[async_trait]
pub trait UploadStore {
    /// Keeps a checked upload until it is confirmed.
    async fn save_upload(&self, upload: NewUpload, audit: NewAudit) -> StoreResult<Upload>;
    /// The upload and its sealed content.
    async fn upload(&self, id: &UploadId) -> StoreResult<(Upload, Vec<u8>)>;
    async fn list_uploads(
        &self,
        institution: &InstitutionId,
        cursor: &Cursor,
    ) -> StoreResult<Page<Upload>>;
    /// Opens all the accounts of a confirmed upload, or none: people who already have an
    /// account are linked instead. `Conflict("upload_already_committed")` on a second confirm.
    async fn commit_upload(
        &self,
        id: &UploadId,
        accounts: Vec<NewAccount>,
        audit: NewAudit,
    ) -> StoreResult<BulkOpenOutcome>;
}

/// Users, sessions and API tokens.
#[async_trait]
pub trait UserStore {
    /// `Conflict("login_taken")` when the login exists.
    async fn create_user(&self, user: NewUser, audit: NewAudit) -> StoreResult<User>;
    async fn user(&self, id: &UserId) -> StoreResult<User>;
    async fn user_by_login(&self, login: &str) -> StoreResult<Option<User>>;
    /// The learner user of an account, if the account has one.
    async fn user_of_account(&self, account: &AccountId) -> StoreResult<Option<User>>;
    async fn list_users(&self, cursor: &Cursor) -> StoreResult<Page<User>>;
    /// Applies an administrator's changes; a user made inactive loses its sessions.
    async fn update_user(
        &self,
        id: &UserId,
        patch: UserPatch,
        audit: NewAudit,
    ) -> StoreResult<User>;
    async fn set_password(
        &self,
        id: &UserId,
        password_hash: &str,
        audit: NewAudit,
    ) -> StoreResult<()>;

    /// Counts a failed sign-in; at `max_failures` the user is locked until `lock_until`.
    /// Returns the updated user.
    async fn record_login_failure(
        &self,
        id: &UserId,
        max_failures: u32,
        lock_until: OffsetDateTime,
        audit: NewAudit,
    ) -> StoreResult<User>;
    /// Clears the failure count after a successful sign-in, and creates the session.
    async fn record_login_success(&self, session: NewSession, audit: NewAudit) -> StoreResult<()>;
    /// The active user of an unexpired session.
    async fn session_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Removes expired sessions; returns how many.
    async fn purge_sessions(&self, now: OffsetDateTime) -> StoreResult<u64>;

    async fn create_token(&self, token: NewApiToken, audit: NewAudit) -> StoreResult<ApiToken>;
    /// The unrevoked token with this hash, marking it used (at most once a minute).
    async fn use_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<ApiToken>>;
    async fn list_tokens(&self, institution: &InstitutionId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes a token of `institution`; `NotFound` for another institution's token.
    async fn revoke_token(
        &self,
        institution: &InstitutionId,
        id: &TokenId,
        audit: NewAudit,
    ) -> StoreResult<ApiToken>;
}

/// The audit log.
#[async_trait]
pub trait AuditStore {
    /// Appends a record on its own (refusals, sign-ins): writes carry theirs.
    async fn append_audit(&self, audit: NewAudit) -> StoreResult<()>;
    /// Newest first.
    async fn list_audit(
        &self,
        filter: &AuditFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<AuditEntry>>;
}

/// `Idempotency-Key` bookkeeping for API POSTs.
#[async_trait]
pub trait IdempotencyStore {
    /// Claims `key` within `scope` (an institution) for a request with `request_hash`.
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim>;
    /// Keeps the response of a claimed key for replay.
    async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: StoredResponse,
    ) -> StoreResult<()>;
    /// Releases a claimed key whose request failed, so it may be tried again.
    async fn release_idempotency_key(&self, scope: &str, key: &str) -> StoreResult<()>;
}

/// Everything a backend provides.
#[async_trait]
pub trait Store:
    InstitutionStore
    + AccountStore
    + UploadStore
    + UserStore
    + AuditStore
    + IdempotencyStore
    + crate::bank::CatalogStore
    + crate::bank::ArchiveStore
    + crate::bank::OutcomeStore
    + crate::conversion::ConversionStore
    + crate::xapi::XapiStore
    + Send
    + Sync
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;
    /// True when no institution and no user exists yet (a new database).
    async fn is_empty(&self) -> StoreResult<bool>;
    /// The value sealed with the master key when the database first met one, if any.
    async fn key_check(&self) -> StoreResult<Option<Vec<u8>>>;
    /// Keeps the key-check value unless one exists; returns whether this one was kept.
    async fn init_key_check(&self, sealed: Vec<u8>) -> StoreResult<bool>;
}

//! The learning record store's storage interface: client credentials, statements (written in
//! jobs, read by id or by filter keys), documents (state and profiles) with compare-and-set,
//! activities' definitions and attachments.
//!
//! The store knows nothing of xAPI's rules: the app validates and prepares each statement (its
//! JSON, comparison digest, filter keys, voiding target) with `lifelong-xapi`, and the store
//! keeps them, orders them, applies voiding and StatementRef inheritance, and answers queries
//! as ranges over filter keys.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::ids::{AccountId, EntryId, InstitutionId, UserId};
use crate::records::NewAudit;
use crate::{NewEntry, StoreResult};

/// A learning platform's client credential: a public key and a secret shown once.
#[derive(Debug, Clone)]
pub struct NewXapiCredential {
    pub id: Uuid,
    pub institution_id: InstitutionId,
    pub label: String,
    pub key: String,
    /// SHA-256 of the secret, hex. The secret is random (256 bits), so a fast hash is enough.
    pub secret_sha256: String,
    pub created_by: Option<UserId>,
}

/// A credential as stored, without its secret.
#[derive(Debug, Clone)]
pub struct XapiCredential {
    pub id: Uuid,
    pub institution_id: InstitutionId,
    /// The institution's small integer key under which its statements are kept.
    pub tenant: i64,
    pub label: String,
    pub key: String,
    pub secret_sha256: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    /// Statements stored with this credential.
    pub statements: i64,
}

/// One statement ready to keep.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub id: Uuid,
    /// The statement's JSON object text without its closing `}`; the store appends `stored`
    /// (and `timestamp` when `needs_timestamp`) and closes it.
    pub head: String,
    pub needs_timestamp: bool,
    /// The target when this is a voiding statement.
    pub voids: Option<Uuid>,
    /// The StatementRef target (voiding or not): this statement also matches every filter its
    /// target matches.
    pub target: Option<Uuid>,
    /// Digest of the statement's comparable form: same id and same digest is the same statement.
    pub comparison: [u8; 32],
    /// The statement's own filter keys (agents, activities, verb, registration).
    pub keys: Vec<i64>,
    /// Activity definitions it carries, as `(activity IRI, definition JSON)`.
    pub definitions: Vec<(String, String)>,
    /// Archive entries for a Lifelong learner this statement is about.
    pub entries: Vec<(AccountId, NewEntry)>,
}

/// An attachment's content, stored once per SHA-256.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha2: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Statements a client sent in one request, stored all or none.
#[derive(Debug, Clone)]
pub struct StatementJob {
    pub tenant: i64,
    pub credential: Uuid,
    pub statements: Vec<NewStatement>,
    pub attachments: Vec<NewAttachment>,
}

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Stored: for each statement, whether it was new (`false`: the same statement was already
    /// stored, nothing written for it).
    Stored {
        new: Vec<bool>,
        stored: OffsetDateTime,
    },
    /// A statement id is already used for a different statement: nothing was written.
    Conflict(Uuid),
}

/// One statement as read back.
#[derive(Debug, Clone)]
pub struct StoredStatement {
    pub seq: i64,
    pub body: String,
    pub voided: bool,
    pub stored: OffsetDateTime,
}

/// Which statements a query wants. Every key must match; `None` bounds are open.
#[derive(Debug, Clone, Default)]
pub struct StatementFilter {
    pub tenant: i64,
    pub keys: Vec<i64>,
    /// Stored strictly after (µs since the epoch).
    pub since: Option<i64>,
    /// Stored at or before (µs since the epoch).
    pub until: Option<i64>,
    pub ascending: bool,
    pub limit: u32,
    /// Continue after this sequence number (exclusive), in the query's direction.
    pub after_seq: Option<i64>,
    /// The newest sequence number the first page could see: later statements are left to a
    /// new query, so pages never shift.
    pub upto_seq: Option<i64>,
}

/// A page of statements: their JSON texts joined by commas (an array's inside), and where to
/// go on.
#[derive(Debug, Clone, Default)]
pub struct StatementPage {
    pub joined: String,
    pub count: usize,
    /// The last sequence number on the page when more follow.
    pub more_after: Option<i64>,
    /// The newest sequence number the query saw (first page) or was given.
    pub upto_seq: i64,
}

/// Which document resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    State,
    ActivityProfile,
    AgentProfile,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::State => "state",
            DocumentKind::ActivityProfile => "activity_profile",
            DocumentKind::AgentProfile => "agent_profile",
        }
    }
}

/// Where a document lives; empty strings stand for "not part of this kind's key".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentScope {
    pub tenant: i64,
    pub kind: DocumentKind,
    pub activity: String,
    /// The agent's IFI key.
    pub agent: String,
    pub registration: String,
}

/// A stored document.
#[derive(Debug, Clone)]
pub struct Document {
    pub content_type: String,
    pub content: Vec<u8>,
    pub etag: String,
    pub updated: OffsetDateTime,
}

/// A refused request, kept for the institution's console.
#[derive(Debug, Clone)]
pub struct XapiRefusal {
    pub at: OffsetDateTime,
    pub credential: Uuid,
    pub method: String,
    pub resource: String,
    pub status: u16,
    pub code: String,
    /// The message in English and in Chinese.
    pub message: String,
    pub message_zh: String,
}

/// The learning record store's storage.
#[async_trait]
pub trait XapiStore {
    /// Stores a credential (and gives its institution a tenant key if it has none).
    async fn create_xapi_credential(
        &self,
        credential: NewXapiCredential,
        audit: NewAudit,
    ) -> StoreResult<XapiCredential>;
    /// The credential with this public key, revoked or not.
    async fn xapi_credential_by_key(&self, key: &str) -> StoreResult<Option<XapiCredential>>;
    async fn xapi_credentials(
        &self,
        institution: &InstitutionId,
    ) -> StoreResult<Vec<XapiCredential>>;
    /// Revokes an institution's credential. `NotFound` if it is not theirs; `Conflict
    /// ("already_revoked")` the second time.
    async fn revoke_xapi_credential(
        &self,
        institution: &InstitutionId,
        id: Uuid,
        audit: NewAudit,
    ) -> StoreResult<()>;

    /// Stores a job: all of its statements or, on a conflict, none. Jobs are committed in
    /// groups; each is answered on its own.
    async fn store_statements(&self, job: StatementJob) -> StoreResult<JobOutcome>;
    /// One statement by id within a tenant, voided or not.
    async fn statement(&self, tenant: i64, id: Uuid) -> StoreResult<Option<StoredStatement>>;
    /// A page of statements matching a filter, voided ones left out.
    async fn statements(&self, filter: &StatementFilter) -> StoreResult<StatementPage>;
    /// The newest `limit` statements of a tenant (voided included), for the console.
    async fn recent_statements(&self, tenant: i64, limit: u32)
        -> StoreResult<Vec<StoredStatement>>;
    /// Attachments by SHA-256: `(sha2, content_type, content)`.
    async fn attachments(&self, sha2: &[String]) -> StoreResult<Vec<(String, String, Vec<u8>)>>;
    /// The latest definition of an activity a tenant's statements carried.
    async fn activity_definition(&self, tenant: i64, iri: &str) -> StoreResult<Option<String>>;

    /// One document.
    async fn document(&self, scope: &DocumentScope, id: &str) -> StoreResult<Option<Document>>;
    /// The ids of a scope's documents updated after `since`.
    async fn document_ids(
        &self,
        scope: &DocumentScope,
        since: Option<OffsetDateTime>,
    ) -> StoreResult<Vec<String>>;
    /// Compare-and-set: writes `new` (or deletes when `None`) only if the document's current
    /// ETag is `expected` (`None`: the document must not exist). Returns whether it wrote.
    async fn put_document_if(
        &self,
        scope: &DocumentScope,
        id: &str,
        expected: Option<&str>,
        new: Option<Document>,
    ) -> StoreResult<bool>;
    /// Deletes every document of a scope (State DELETE without `stateId`).
    async fn delete_documents(&self, scope: &DocumentScope) -> StoreResult<u64>;

    /// Keeps a refused request for the console (the newest 200 per tenant are kept).
    async fn record_xapi_refusal(&self, tenant: i64, refusal: XapiRefusal) -> StoreResult<()>;
    /// The newest refusals of a tenant.
    async fn xapi_refusals(&self, tenant: i64, limit: u32) -> StoreResult<Vec<XapiRefusal>>;
    /// The archive entry a stored statement wrote for a learner, if any (to revoke it when the
    /// statement is voided).
    async fn statement_entry(
        &self,
        tenant: i64,
        id: Uuid,
    ) -> StoreResult<Option<(AccountId, EntryId)>>;
    /// The tenant key of an institution, if it ever had a credential.
    async fn xapi_tenant(&self, institution: &InstitutionId) -> StoreResult<Option<i64>>;
}

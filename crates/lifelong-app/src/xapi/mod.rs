//! The learning record store's use cases: client credentials (issued, revoked, checked with a
//! short cache), statements (stored with their filter keys, voiding, attachments and
//! signatures; read by id or by query), documents (state and profiles with their
//! preconditions), and the mapping of statements about Lifelong learners into their archives.
//!
//! xAPI's own rules live in `lifelong-xapi`; this module applies them with the store, the
//! credit bank's mapping rules and the institution's tenancy.

mod clients;
mod console;
mod documents;
mod keys;
mod learning;
mod statements;

pub use clients::{ClientCache, IssuedCredential, XapiClient};
pub use console::{RefusalLine, StatementLine, XapiConsole};
pub use documents::{DocumentAddress, DocumentRead};
pub use keys::{filter_key, KeyKind};
pub use learning::{ActivityBody, LearningRules, VerbRule};
pub use statements::{StatementQuery, StatementsAnswer, StoredAnswer};

use serde::{Deserialize, Serialize};

/// Settings of the learning record store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct XapiSettings {
    /// The home page in an actor's `account` that names a Lifelong learner by account id, and
    /// under which `/xapi/clients` names a credential in `authority`.
    pub home_page: String,
    /// Most statements on one page of a query (`limit=0` asks for this many).
    pub max_limit: u32,
    /// Largest request body or multipart body, in bytes.
    pub max_body_bytes: usize,
    /// Largest single attachment, in bytes.
    pub max_attachment_bytes: usize,
    /// How long a checked credential is trusted before its row is read again, in milliseconds
    /// (a revocation through this process holds at once).
    pub credential_cache_ms: u64,
    /// Which statements become learning activity in a learner's archive.
    pub learning: LearningRules,
}

impl Default for XapiSettings {
    fn default() -> Self {
        XapiSettings {
            home_page: "https://lifelong.sh.cn".into(),
            max_limit: 500,
            max_body_bytes: 32 * 1024 * 1024,
            max_attachment_bytes: 16 * 1024 * 1024,
            credential_cache_ms: 1_000,
            learning: LearningRules::default(),
        }
    }
}

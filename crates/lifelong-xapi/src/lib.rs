//! xAPI — the Experience API, versions 1.0.3 and 2.0 (IEEE 9274.1.1) — as pure functions.
//!
//! This crate owns what the specification says about data and requests, independent of any
//! transport or storage: which version a request speaks ([`version`]), the errors and their
//! HTTP statuses ([`error`]), statement validation and normalisation, statement comparison,
//! query formats, document rules, multipart bodies and signed statements. The web layer maps
//! HTTP onto it; the store keeps what it prepares. It does no IO.

mod activity;
pub mod agent;
pub mod alternate;
pub mod compare;
mod context;
pub mod document;
pub mod duration;
pub mod error;
pub mod format;
pub mod iri;
mod json;
mod language;
pub mod multipart;
mod path;
mod result;
pub mod signature;
pub mod statement;
pub mod timestamp;
pub mod version;

pub use agent::{agent_filter_key, ifi_key};
pub use compare::same_statement;
pub use duration::duration_seconds;
pub use error::{Status, XapiError};
pub use format::{activity_ids, format_canonical, format_canonical_with, format_ids};
pub use iri::validate_iri;
pub use result::{AttachmentRef, SIGNATURE_USAGE};
pub use statement::{parse_statements, prepare, Context, Prepared, VOIDED};
pub use timestamp::{format_timestamp, parse_timestamp};
pub use version::Version;

#[cfg(test)]
mod fuzz_tests;

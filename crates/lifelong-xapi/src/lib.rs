//! xAPI — the Experience API, versions 1.0.3 and 2.0 (IEEE 9274.1.1) — as pure functions.
//!
//! This crate owns what the specification says about data and requests, independent of any
//! transport or storage: which version a request speaks ([`version`]), the errors and their
//! HTTP statuses ([`error`]), statement validation and normalisation, statement comparison,
//! query formats, document rules, multipart bodies and signed statements. The web layer maps
//! HTTP onto it; the store keeps what it prepares. It does no IO.

pub mod error;
pub mod version;

pub use error::{Status, XapiError};
pub use version::Version;

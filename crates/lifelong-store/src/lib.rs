//! The storage interface of Lifelong: the traits every backend implements, in domain types;
//! the records they read and write; [`StoreError`]; and, behind the `conformance` feature, the
//! one test suite every backend must pass.
//!
//! Every method that writes takes the [`NewAudit`] record of the action and writes it in the
//! same transaction, so nothing is changed without a trace and no trace is left of a change
//! that did not happen.

mod bank;
mod conversion;
mod error;
mod ids;
mod page;
mod records;
mod traits;
mod xapi;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use bank::*;
pub use conversion::*;
pub use error::StoreError;
pub use ids::{
    AccountId, ApplicationId, ConsentId, EntryId, EvidenceId, InstitutionId, OutcomeId,
    RecognitionId, TokenId, UploadId, UserId,
};
pub use page::{Cursor, Page};
pub use records::*;
pub use traits::*;
pub use xapi::*;

/// The result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

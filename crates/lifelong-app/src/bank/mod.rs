//! The credit bank's use cases: the catalog, deposits (one by one and from files), the review
//! queue, recognition, and the learner's archive.

pub mod application;
pub mod archive;
mod catalog;
pub mod conversion;
mod deposit;
pub mod deposit_file;
pub mod entries;
mod framework;
mod level_mapping;
pub mod outcome_input;
pub mod review;
pub(crate) mod standards_cache;

pub use application::EvidenceFile;
pub use archive::{archive_csv, ArchiveExport, ArchiveItem};
pub use conversion::decision::{CohortAudit, ConversionQueueItem, ConversionReview};
pub use conversion::{ConversionPreview, ConversionRecord, PairRecord, WhatIfInput, Words};
pub use deposit::{DepositInput, Deposited};
pub use deposit_file::{DepositReport, OUTCOME_SCHEMA};
pub use entries::{EntryBody, ExemptionBody, OutcomeBody, RecognitionBody, Source};
pub use outcome_input::OutcomeInput;
pub use review::{QueueItem, ReviewCase};

//! The Lifelong domain core: types that validate themselves on construction, the rules of the
//! credit bank, and decisions with explanations. It knows no HTTP, SQL or async runtime.

pub mod account;
pub mod archive;
pub mod calendar;
pub mod catalog;
pub mod consent;
pub mod conversion;
pub mod credit_code;
pub mod credits;
pub mod district;
pub mod framework;
pub mod id_number;
pub mod institution;
pub mod lang;
pub mod mask;
pub mod mobile;
pub mod outcome;
pub mod person_name;
pub mod programme;
pub mod publication;
pub mod qualification;
pub mod recognition;
pub mod review;
pub mod role;
mod text;
pub mod unit;

pub use lang::{Explain, Lang};

//! The Lifelong domain core: types that validate themselves on construction, the rules of the
//! credit bank, and decisions with explanations. It knows no HTTP, SQL or async runtime.

pub mod account;
pub mod consent;
pub mod credit_code;
pub mod district;
pub mod id_number;
pub mod institution;
pub mod lang;
pub mod mask;
pub mod mobile;
pub mod person_name;
pub mod role;
mod text;

pub use lang::{Explain, Lang};

//! Reading uploads end to end through the public API: CSV encodings and shapes, real workbooks,
//! templates read back, limits, refusals, and property tests that no input panics.

// Fixture helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod csv_cases;
mod properties;
mod templates;
mod timing;
mod xlsx_cases;

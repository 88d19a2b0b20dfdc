//! Integration tests of the `lifelong` binary and its library: the demo data set loaded into a
//! fresh store, and the real binary started on a free port. One test binary for the crate.

// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
mod demo_data;

//! Web integration tests: requests through the whole router, in process, over a fresh store;
//! one test binds a real port. The PostgreSQL leg runs where `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod api;
mod application;
mod authz;
mod bank;
mod bank_edit;
mod console_xapi;
mod conversion;
mod outcomes;
mod pages;
mod real_port;
mod snapshots_test;
mod support;
mod xapi;
mod xapi_conformance;

//! `lifelong archive verify` (R8: recompute every hash chain, report the first broken link of
//! each) and `lifelong bank import FILE` (load a catalog file as the credit bank).

use std::time::Instant;

use anyhow::{bail, Context as _};
use lifelong_app::Actor;
use lifelong_core::role::Role;

use crate::app_error;
use crate::cli::{ImportArgs, StoreArgs};
use crate::config::Env;
use crate::platform::Platform;

/// Verifies every chain; fails when one is broken.
pub async fn verify(args: &StoreArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.overrides(), env)?;
    let platform = Platform::open(&config, config.app.clone()).await?;
    let started = Instant::now();
    let report = platform.app.verify_archive(&Actor::system()).await;
    platform.close().await;
    let report = report
        .map_err(app_error)
        .context("could not verify the archive")?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Verified {} archive entries in {} chains in {seconds:.1} s ({:.0} entries/s).",
        report.entries,
        report.chains,
        report.entries as f64 / seconds.max(1e-9)
    );
    if report.broken.is_empty() {
        println!("Every chain is intact.");
        return Ok(());
    }
    for b in &report.broken {
        println!(
            "BROKEN: account {} at entry {}{}: {}",
            b.account,
            b.seq,
            if b.entry_id.is_empty() {
                String::new()
            } else {
                format!(" ({})", b.entry_id)
            },
            b.reason.describe()
        );
    }
    bail!(
        "{} of {} chains are broken",
        report.broken.len(),
        report.chains
    )
}

/// Imports a catalog file as the credit bank.
pub async fn import_catalog(args: &ImportArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.store.overrides(), env)?;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("could not read {}", args.file.display()))?;
    let platform = Platform::open(&config, config.app.clone()).await?;
    let bank = Actor::system_as(Role::Reviewer);
    let result = platform.app.import_catalog(&bank, &text).await;
    platform.close().await;
    let counts = result
        .map_err(app_error)
        .with_context(|| format!("could not import {}", args.file.display()))?;
    println!(
        "Imported {}: {} items added, {} already present.",
        args.file.display(),
        counts.added,
        counts.unchanged
    );
    Ok(())
}

//! `lifelong backup --to FILE`: a consistent copy of the SQLite database, written while the
//! server keeps running (SQLite's `VACUUM INTO`). PostgreSQL has its own tools.

use std::time::Instant;

use anyhow::{bail, Context as _};

use crate::cli::BackupArgs;
use crate::config::Env;

/// Writes the backup.
pub async fn run(args: &BackupArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.store.overrides(), env)?;
    let url = config.database_url()?;
    if !url.is_sqlite() {
        bail!(
            "`lifelong backup` copies SQLite databases; back up PostgreSQL with its own tools, \
             e.g. `pg_dump --format=custom --file=lifelong.dump DBNAME`"
        );
    }
    let target = std::path::absolute(&args.to)
        .with_context(|| format!("could not resolve the path {}", args.to.display()))?;
    if target.exists() {
        bail!(
            "the backup target {} already exists; choose a new file name (a backup never \
             overwrites)",
            target.display()
        );
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            bail!("the folder {} does not exist", parent.display());
        }
    }
    let default_file = config.data_dir.join("lifelong.db");
    if config.uses_default_database() && !default_file.exists() {
        bail!(
            "there is no database at {} to back up",
            default_file.display()
        );
    }
    let store = crate::platform::connect(&config).await?;
    let started = Instant::now();
    let result = store.backup_to(&target).await;
    store.close().await;
    result
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("could not write the backup to {}", target.display()))?;
    let bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    tracing::info!(target = %target.display(), bytes, "backup written");
    println!(
        "Backup written to {} ({:.1} MiB in {:.1} s).",
        target.display(),
        bytes as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64()
    );
    println!(
        "The master key is not in the backup: keep a copy of {} (or of LIFELONG_MASTER_KEY) \
         apart from it; without the key the personal data in the backup cannot be read.",
        config.key_file().display()
    );
    Ok(())
}

//! `lifelong migrate`: applies the database's pending migrations and reports.

use anyhow::Context as _;
use lifelong_store_sql::{Backend, SqlStore};

use crate::cli::StoreArgs;
use crate::config::Env;

/// Applies the migrations.
pub async fn run(args: &StoreArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.overrides(), env)?;
    let url = config.database_url()?;
    let engine = Backend::from_url(url.expose())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("unsupported database URL {url}"))?;
    if config.uses_default_database() {
        crate::platform::create_dir(&config.data_dir)?;
    }
    SqlStore::migrate(url.expose())
        .await
        .with_context(|| format!("could not migrate the database {url}"))?;
    tracing::info!(database = %url, "migrations applied");
    println!(
        "The {} database {url} is up to date: every migration is applied.",
        engine.name()
    );
    Ok(())
}

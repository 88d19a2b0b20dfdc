//! The commands of `lifelong`, one module each. This module builds the configuration, starts
//! logging and the async runtime, and dispatches.

mod admin;
mod archive;
mod backup;
mod bench;
mod bench_deposit;
mod bench_xapi;
mod config;
mod demo;
mod migrate;
mod serve;

use anyhow::Context as _;

use crate::cli::{AdminCommand, ArchiveCommand, BankCommand, BenchCommand, Command, ConfigCommand};
use crate::config::{Config, Env, Overrides};

/// Runs one command to completion.
pub fn run(command: Command, env: &Env) -> anyhow::Result<()> {
    match command {
        Command::Config(ConfigCommand::PrintDefault) => config::print_default(),
        Command::Config(ConfigCommand::Show(args)) => config::show(&args.overrides(), env),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("could not start the async runtime")?;
            runtime.block_on(run_async(command, env))
        }
    }
}

async fn run_async(command: Command, env: &Env) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(&args, env).await,
        Command::Demo(args) => demo::run(&args, env).await,
        Command::Migrate(args) => migrate::run(&args, env).await,
        Command::Backup(args) => backup::run(&args, env).await,
        Command::Admin(AdminCommand::CreateUser(args)) => admin::create_user(&args, env).await,
        Command::Bench(BenchCommand::BulkOpen(args)) => bench::bulk_open(&args, env).await,
        Command::Bench(BenchCommand::Deposit(args)) => bench_deposit::deposit(&args, env).await,
        Command::Bench(BenchCommand::Xapi(args)) => bench_xapi::xapi(&args, env).await,
        Command::Archive(ArchiveCommand::Verify(args)) => archive::verify(&args, env).await,
        Command::Bank(BankCommand::Import(args)) => archive::import_catalog(&args, env).await,
        Command::Config(ConfigCommand::PrintDefault) => config::print_default(),
        Command::Config(ConfigCommand::Show(args)) => config::show(&args.overrides(), env),
    }
}

/// Loads the configuration and starts logging; reports what the loader noticed.
pub(crate) fn prepare(flags: &Overrides, env: &Env) -> anyhow::Result<Config> {
    let loaded = Config::load(flags, env)?;
    crate::logging::init(&loaded.config.log)?;
    if let Some(file) = &loaded.file {
        tracing::info!(file = %file.display(), "configuration file read");
    }
    for warning in &loaded.warnings {
        tracing::warn!("{warning}");
    }
    Ok(loaded.config)
}

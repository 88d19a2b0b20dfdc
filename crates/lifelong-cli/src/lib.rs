//! The library behind the `lifelong` binary: configuration, the commands, the demo data set and
//! the benchmarks. `main.rs` only parses the command line and calls [`run`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod logging;
pub mod platform;
pub mod synthetic;

use lifelong_core::{Explain, Lang};

/// Runs a parsed command line to completion.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    let env = config::process_env();
    commands::run(cli.command, &env)
}

/// An application error as the CLI reports it: its stable code and its English message, with
/// the row errors of a refused bulk file.
pub fn app_error(error: lifelong_app::AppError) -> anyhow::Error {
    let mut text = format!("{} ({})", error.message(Lang::En), error.code());
    if let lifelong_app::AppError::BulkHasErrors(report) = &error {
        for e in report.errors.iter().take(10) {
            text.push_str(&format!(
                "\n  row {}{}: {}",
                e.row,
                e.column
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default(),
                e.message
            ));
        }
    }
    anyhow::anyhow!(text)
}

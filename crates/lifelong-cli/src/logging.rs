//! Logging: `tracing` events written to standard error as text or JSON lines, filtered by the
//! configured `EnvFilter` directives. Standard output is kept for what a command prints on
//! purpose (the address, the demo logins, reports), so it can be read by scripts.
//!
//! Events are sentences with fields and never carry personal data; that is the callers' duty,
//! and the application services keep it.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// Installs the global subscriber. A second call (in tests) leaves the first one in place.
pub fn init(config: &LogConfig) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&config.filter).map_err(|e| {
        anyhow::anyhow!(
            "invalid log filter {:?} (log.filter / LIFELONG_LOG): {e}",
            config.filter
        )
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _already_installed = match config.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    Ok(())
}

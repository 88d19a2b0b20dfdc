//! `lifelong config print-default` and `lifelong config show`.

use std::io::Write;

use anyhow::Context as _;

use crate::config::{Config, Env, Loaded, Overrides, DEFAULT_TOML};

/// Prints the documented default configuration.
pub fn print_default() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(DEFAULT_TOML.as_bytes())
        .and_then(|()| out.flush())
        .context("could not write to standard output")
}

/// Prints the configuration in effect after every layer, secrets hidden, with the database and
/// key file it resolves to.
pub fn show(flags: &Overrides, env: &Env) -> anyhow::Result<()> {
    let loaded = Config::load(flags, env)?;
    let text = describe(&loaded)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("could not write to standard output")
}

fn describe(loaded: &Loaded) -> anyhow::Result<String> {
    let config = &loaded.config;
    let mut text = match &loaded.file {
        Some(file) => format!(
            "# Read from {}, then the environment and flags.\n",
            file.display()
        ),
        None => "# No configuration file: defaults, then the environment and flags.\n".to_owned(),
    };
    for warning in &loaded.warnings {
        text.push_str(&format!("# Warning: {warning}\n"));
    }
    text.push_str(&format!("# Database: {}\n", config.database_url()?));
    match &config.master_key {
        Some(_) => text.push_str("# Master key: given in the configuration (hidden)\n"),
        None => text.push_str(&format!("# Key file: {}\n", config.key_file().display())),
    }
    text.push_str(&config.to_redacted_toml()?);
    Ok(text)
}

//! The one typed [`Config`] of the binary, built once in `main` and passed down.
//!
//! Layers, later wins: built-in defaults → an optional TOML file (`--config FILE` or
//! `LIFELONG_CONFIG`) → `LIFELONG_*` environment variables → command-line flags. Unknown keys in
//! the file are an error that names the key; unknown `LIFELONG_*` variables are reported as
//! warnings. Secrets are wrapped so that `Debug` (and `config show`) never print them.
//!
//! The loader takes the environment as a map rather than reading the process environment, so
//! tests can exercise every layer without racing each other.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, Context as _};
use lifelong_app::Settings;
use lifelong_web::WebConfig;
use serde::{Deserialize, Serialize, Serializer};

/// The documented defaults, printed by `lifelong config print-default`.
pub const DEFAULT_TOML: &str = include_str!("config/default.toml");

/// The environment variable that names the configuration file.
pub const CONFIG_ENV: &str = "LIFELONG_CONFIG";

/// The environment variable an operator sets to give `admin create-user` a password.
pub const NEW_PASSWORD_ENV: &str = "LIFELONG_NEW_PASSWORD";

/// The environment, as a map (the process environment in `main`, a literal map in tests).
pub type Env = BTreeMap<String, String>;

/// The process environment (variables that are not valid Unicode are skipped).
pub fn process_env() -> Env {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// A secret value: `Debug` and serialisation never show it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: call only to use it, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

/// A database URL. A PostgreSQL URL may hold a password, so `Debug`, `Display` and
/// serialisation show it with the password replaced by `***`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL.
    pub fn new(url: impl Into<String>) -> Self {
        DatabaseUrl(url.into())
    }

    /// The URL itself, to connect with.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether this is a SQLite URL.
    pub fn is_sqlite(&self) -> bool {
        self.0.starts_with("sqlite:")
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return url.clone();
        };
        let rest = &url[scheme_end..];
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let Some(at) = rest[..authority_end].rfind('@') else {
            return url.clone();
        };
        match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => url.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Serialize for DatabaseUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.redacted())
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event, for people.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl FromStr for LogFormat {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => bail!("log format must be \"text\" or \"json\", not {other:?}"),
        }
    }
}

/// The `[log]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// Which events to log, in `tracing-subscriber`'s `EnvFilter` syntax.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Text,
            filter: "info,sqlx=warn".to_owned(),
        }
    }
}

/// SQLite's durability setting, as written in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    /// Every acknowledged write survives a power cut (the default).
    #[default]
    Full,
    /// Faster; the last commits may be lost on a power cut (never on a crash of the process).
    Normal,
}

impl FromStr for SqliteSynchronous {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(SqliteSynchronous::Full),
            "normal" => Ok(SqliteSynchronous::Normal),
            other => bail!("sqlite_synchronous must be \"full\" or \"normal\", not {other:?}"),
        }
    }
}

/// The `[database]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Connections for reads (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    pub sqlite_synchronous: SqliteSynchronous,
    /// How long a SQLite connection waits for a lock, in seconds.
    pub busy_timeout_secs: u64,
    /// SQLite page cache of each reading connection, in MiB.
    pub sqlite_read_cache_mib: u32,
    /// SQLite page cache of the writing connection, in MiB (used as bulk writes need it).
    pub sqlite_write_cache_mib: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            max_connections: 8,
            sqlite_synchronous: SqliteSynchronous::Full,
            busy_timeout_secs: 10,
            sqlite_read_cache_mib: 64,
            sqlite_write_cache_mib: 512,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the web server listens on.
    pub listen: SocketAddr,
    /// Folder of the SQLite database and the key file.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `<data_dir>/lifelong.db`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<DatabaseUrl>,
    /// The master key file; default: `<data_dir>/keys/master.key`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
    /// The master key as 64 hex characters, instead of a key file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_key: Option<Secret>,
    pub log: LogConfig,
    pub database: DatabaseConfig,
    pub web: WebConfig,
    pub app: Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            key_file: None,
            master_key: None,
            log: LogConfig::default(),
            database: DatabaseConfig::default(),
            web: WebConfig::default(),
            app: Settings::default(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

/// A loaded configuration and what the loader noticed on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// Things worth a warning once logging is up (e.g. unknown `LIFELONG_*` variables).
    pub warnings: Vec<String>,
}

/// The environment variables the loader reads, and what each sets.
pub const ENV_KEYS: &[(&str, &str)] = &[
    (CONFIG_ENV, "the configuration file"),
    ("LIFELONG_LISTEN", "listen"),
    ("LIFELONG_DATA_DIR", "data_dir"),
    ("LIFELONG_DATABASE_URL", "database_url"),
    ("LIFELONG_KEY_FILE", "key_file"),
    ("LIFELONG_MASTER_KEY", "master_key"),
    ("LIFELONG_LOG_FORMAT", "log.format"),
    ("LIFELONG_LOG", "log.filter"),
    ("LIFELONG_DB_MAX_CONNECTIONS", "database.max_connections"),
    ("LIFELONG_SQLITE_SYNCHRONOUS", "database.sqlite_synchronous"),
    ("LIFELONG_PUBLIC_URL", "web.public_url"),
    (NEW_PASSWORD_ENV, "the password of `admin create-user`"),
];

impl Config {
    /// Parses a configuration file's text; missing keys take their defaults, unknown keys are
    /// an error naming the key.
    pub fn from_toml(text: &str) -> anyhow::Result<Config> {
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))
    }

    /// Builds the configuration from every layer.
    pub fn load(flags: &Overrides, env: &Env) -> anyhow::Result<Loaded> {
        let file = flags
            .config
            .clone()
            .or_else(|| non_empty(env, CONFIG_ENV).map(PathBuf::from));
        let mut config = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("could not read the configuration file {}", path.display())
                })?;
                Config::from_toml(&text)
                    .with_context(|| format!("invalid configuration file {}", path.display()))?
            }
            None => Config::default(),
        };
        let warnings = config.apply_env(env)?;
        config.apply_flags(flags);
        Ok(Loaded {
            config,
            file,
            warnings,
        })
    }

    /// Applies the `LIFELONG_*` variables; returns warnings about unknown ones.
    pub fn apply_env(&mut self, env: &Env) -> anyhow::Result<Vec<String>> {
        let var = |key: &str| non_empty(env, key);
        let context = |key: &str| format!("invalid environment variable {key}");
        if let Some(v) = var("LIFELONG_LISTEN") {
            self.listen = parse_addr(v).with_context(|| context("LIFELONG_LISTEN"))?;
        }
        if let Some(v) = var("LIFELONG_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = var("LIFELONG_DATABASE_URL") {
            self.database_url = Some(DatabaseUrl::new(v));
        }
        if let Some(v) = var("LIFELONG_KEY_FILE") {
            self.key_file = Some(PathBuf::from(v));
        }
        if let Some(v) = var("LIFELONG_MASTER_KEY") {
            self.master_key = Some(Secret::new(v));
        }
        if let Some(v) = var("LIFELONG_LOG_FORMAT") {
            self.log.format = v.parse().with_context(|| context("LIFELONG_LOG_FORMAT"))?;
        }
        if let Some(v) = var("LIFELONG_LOG") {
            self.log.filter = v.to_owned();
        }
        if let Some(v) = var("LIFELONG_DB_MAX_CONNECTIONS") {
            self.database.max_connections = v
                .trim()
                .parse()
                .with_context(|| context("LIFELONG_DB_MAX_CONNECTIONS"))?;
        }
        if let Some(v) = var("LIFELONG_SQLITE_SYNCHRONOUS") {
            self.database.sqlite_synchronous = v
                .parse()
                .with_context(|| context("LIFELONG_SQLITE_SYNCHRONOUS"))?;
        }
        if let Some(v) = var("LIFELONG_PUBLIC_URL") {
            self.web.public_url = v.to_owned();
        }
        Ok(env
            .keys()
            .filter(|k| k.starts_with("LIFELONG_"))
            .filter(|k| !ENV_KEYS.iter().any(|(known, _)| known == k))
            .map(|k| format!("ignored unknown environment variable {k}"))
            .collect())
    }

    /// Applies the command-line flags.
    pub fn apply_flags(&mut self, flags: &Overrides) {
        if let Some(listen) = flags.listen {
            self.listen = listen;
        }
        if let Some(dir) = &flags.data_dir {
            self.data_dir = dir.clone();
        }
        if let Some(url) = &flags.database_url {
            self.database_url = Some(DatabaseUrl::new(url.clone()));
        }
    }

    /// The database URL: the one configured, or the SQLite file `<data_dir>/lifelong.db`.
    pub fn database_url(&self) -> anyhow::Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => Ok(url.clone()),
            None => sqlite_url(&self.data_dir.join("lifelong.db")),
        }
    }

    /// Whether the database is the default SQLite file in the data folder.
    pub fn uses_default_database(&self) -> bool {
        self.database_url.is_none()
    }

    /// The key file: the one configured, or `<data_dir>/keys/master.key`.
    pub fn key_file(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys").join("master.key"))
    }

    /// How to open the store.
    pub fn connect_options(&self) -> anyhow::Result<lifelong_store_sql::ConnectOptions> {
        let mut opts = lifelong_store_sql::ConnectOptions::new(self.database_url()?.expose());
        opts.max_connections = self.database.max_connections.max(1);
        opts.synchronous = match self.database.sqlite_synchronous {
            SqliteSynchronous::Full => lifelong_store_sql::Synchronous::Full,
            SqliteSynchronous::Normal => lifelong_store_sql::Synchronous::Normal,
        };
        opts.busy_timeout = std::time::Duration::from_secs(self.database.busy_timeout_secs);
        opts.read_cache_mib = self.database.sqlite_read_cache_mib.max(1);
        opts.write_cache_mib = self.database.sqlite_write_cache_mib.max(1);
        Ok(opts)
    }

    /// The effective configuration as TOML, secrets redacted (`lifelong config show`).
    pub fn to_redacted_toml(&self) -> anyhow::Result<String> {
        toml::to_string(self).context("could not write the configuration as TOML")
    }
}

/// The `sqlite://` URL of a database file (made absolute; `%`, `?` and `#` escaped, which is
/// how sqlx reads file names).
pub fn sqlite_url(file: &Path) -> anyhow::Result<DatabaseUrl> {
    let absolute = std::path::absolute(file)
        .with_context(|| format!("could not resolve the path {}", file.display()))?;
    let Some(text) = absolute.to_str() else {
        bail!(
            "the database path {} is not valid UTF-8",
            absolute.display()
        );
    };
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    Ok(DatabaseUrl::new(format!("sqlite://{escaped}?mode=rwc")))
}

fn non_empty<'a>(env: &'a Env, key: &str) -> Option<&'a str> {
    env.get(key)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

fn parse_addr(text: &str) -> anyhow::Result<SocketAddr> {
    text.trim()
        .parse()
        .with_context(|| format!("{text:?} is not an address such as 127.0.0.1:8080"))
}

#[cfg(test)]
mod tests;

//! The command line: every command and flag of `lifelong`, as clap derives.
//!
//! Flags are the last layer of the configuration (see [`crate::config`]); environment
//! variables are read by the configuration loader, not by clap, so that one place decides
//! precedence.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Overrides;

const ENV_HELP: &str = "\
Configuration layers, later wins: defaults → TOML file (--config or LIFELONG_CONFIG) → \
LIFELONG_* environment variables (LIFELONG_LISTEN, LIFELONG_DATA_DIR, LIFELONG_DATABASE_URL, \
LIFELONG_KEY_FILE, LIFELONG_MASTER_KEY, LIFELONG_LOG_FORMAT, LIFELONG_LOG, LIFELONG_PUBLIC_URL, \
LIFELONG_DB_MAX_CONNECTIONS, LIFELONG_SQLITE_SYNCHRONOUS) → flags. \
`lifelong config print-default` prints every key with its meaning.";

/// Lifelong (终身学习服务平台): a city's lifelong-learning platform with a credit bank.
#[derive(Debug, Parser)]
#[command(name = "lifelong", version, after_long_help = ENV_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Run the web server with demo data, loaded on first start into an empty database.
    Demo(DemoArgs),
    /// Apply the database migrations and report.
    Migrate(StoreArgs),
    /// Show the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write an online backup of the SQLite database while the server runs.
    Backup(BackupArgs),
    /// Administrative tasks on the database.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The lifelong archive.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// The credit bank's catalog.
    #[command(subcommand)]
    Bank(BankCommand),
    /// Benchmarks.
    #[command(subcommand)]
    Bench(BenchCommand),
}

/// `lifelong archive …`
#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Recompute every learner's hash chain and report the first broken link of each (R8).
    /// Exits with status 1 when any chain is broken.
    Verify(StoreArgs),
}

/// `lifelong bank …`
#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Import a catalog file (TOML: units, standards, programmes, rules). Items already present
    /// with the same content are left alone; a changed published version is refused. All or
    /// nothing.
    Import(ImportArgs),
}

/// The flags of `bank import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The catalog file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where the configuration and the database are.
#[derive(Debug, Clone, Default, Args)]
pub struct StoreArgs {
    /// The TOML configuration file [env: LIFELONG_CONFIG].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder of the SQLite database and the key file [env: LIFELONG_DATA_DIR] [default: ./data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://… or postgres://… [env: LIFELONG_DATABASE_URL] [default: <data-dir>/lifelong.db].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// The flags as configuration overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            listen: None,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
    }
}

/// The flags of `serve`.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 0.0.0.0:8080; port 0 picks a free port
    /// [env: LIFELONG_LISTEN] [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub store: StoreArgs,
}

impl ServeArgs {
    /// The flags as configuration overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            listen: self.listen,
            ..self.store.overrides()
        }
    }
}

/// The flags of `demo`.
#[derive(Debug, Clone, Default, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Seed of the demo data generator (the same seed gives the same people).
    #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// `lifelong config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the default configuration as a documented TOML file.
    PrintDefault,
    /// Print the configuration in effect after every layer, secrets hidden.
    Show(ServeArgs),
}

/// The flags of `backup`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The backup file to write; must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `lifelong admin …`
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff user, e.g. the first administrator of a new database. The password is
    /// read from LIFELONG_NEW_PASSWORD, or else from standard input.
    CreateUser(CreateUserArgs),
}

/// The flags of `admin create-user`.
#[derive(Debug, Clone, Args)]
pub struct CreateUserArgs {
    /// Sign-in name: 3–32 lower-case letters, digits, `.`, `_` or `-`, starting with a letter.
    #[arg(long)]
    pub login: String,
    /// administrator, reviewer, regulator, analyst, institution_operator or
    /// institution_manager.
    #[arg(long)]
    pub role: String,
    /// The institution of institution staff: its id, or its unified social credit code.
    #[arg(long, value_name = "ID|CODE")]
    pub institution: Option<String>,
    /// The name shown in the interface [default: the login].
    #[arg(long, value_name = "NAME")]
    pub display_name: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `lifelong bench …`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Time bulk account opening: generate a file, check it, commit it.
    BulkOpen(BulkOpenArgs),
    /// Time bulk outcome deposits (check and commit, with recognition and archive chains),
    /// then one learner's archive page (p50/p99) and the verification of every chain.
    Deposit(DepositBenchArgs),
    /// Time the learning record store over HTTP: batch POSTs, single POSTs from concurrent
    /// clients, and GET by agent over the statements loaded first.
    Xapi(XapiBenchArgs),
}

/// The flags of `bench xapi`.
#[derive(Debug, Clone, Args)]
pub struct XapiBenchArgs {
    /// Statements loaded before the timed steps (through the application, not over HTTP).
    #[arg(long, default_value_t = 100_000)]
    pub statements: usize,
    /// Actors the statements are spread over [default: one per hundred statements].
    #[arg(long)]
    pub agents: Option<usize>,
    /// Statements per batch POST.
    #[arg(long, default_value_t = 100)]
    pub batch: usize,
    /// Batch POSTs to time.
    #[arg(long, default_value_t = 200)]
    pub batches: usize,
    /// Single-statement POSTs to time.
    #[arg(long, default_value_t = 5_000)]
    pub singles: usize,
    /// Concurrent clients for the POST steps.
    #[arg(long, default_value_t = 8)]
    pub clients: usize,
    /// GET-by-agent queries to time.
    #[arg(long, default_value_t = 2_000)]
    pub gets: usize,
    /// The `limit` of each GET by agent.
    #[arg(long, default_value_t = 100)]
    pub get_limit: usize,
    #[command(flatten)]
    pub target: BenchTarget,
}

/// The flags of `bench deposit`.
#[derive(Debug, Clone, Args)]
pub struct DepositBenchArgs {
    /// Outcome rows in the generated file.
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    /// Learners the rows are spread over [default: one per ten rows].
    #[arg(long)]
    pub learners: Option<usize>,
    /// How many archive pages to time.
    #[arg(long, default_value_t = 2_000)]
    pub pages: usize,
    /// How many files of `--rows` rows to deposit one after the other (the archive grows by
    /// about 2 × rows × batches entries).
    #[arg(long, default_value_t = 1)]
    pub batches: usize,
    /// Deposit each file in one call, as the API's `dry_run=false` does (checked once), instead
    /// of a dry run followed by a confirmation (checked twice).
    #[arg(long)]
    pub direct: bool,
    #[command(flatten)]
    pub target: BenchTarget,
}

/// The file format of a bulk-opening benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

/// The flags of `bench bulk-open`.
#[derive(Debug, Clone, Args)]
pub struct BulkOpenArgs {
    /// Data rows in the generated file.
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    #[command(flatten)]
    pub target: BenchTarget,
}

/// Where and how a benchmark runs.
#[derive(Debug, Clone, Args)]
pub struct BenchTarget {
    /// The file format of the generated upload.
    #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
    pub format: FileFormat,
    /// Seed of the generator [default: from the clock, printed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// The database to run against. Only this flag counts (not the configuration), so a
    /// benchmark never writes to the configured database by accident. Default: a new SQLite
    /// database in a temporary folder. Use a throw-away PostgreSQL database.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where to create the temporary SQLite database (e.g. on the disk to measure)
    /// [default: the system's temporary folder].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The TOML configuration file, for [database] and [log] settings [env: LIFELONG_CONFIG].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

//! Opening the database: choosing the engine from the URL, connection pools, SQLite pragmas,
//! and migrations.

use std::str::FromStr;
use std::time::Duration;

use lifelong_store::{StoreError, StoreResult};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{ConnectOptions as _, Executor};

use crate::SqlStore;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the engine from a database URL (`sqlite:` or `postgres:`/`postgresql:`).
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Backend(
                "the database URL must start with sqlite: or postgres:".into(),
            ))
        }
    }

    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// SQLite's durability setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Every commit is on disk before it is acknowledged (the default).
    #[default]
    Full,
    /// Commits survive a crash of the process but the last ones may be lost on power failure.
    Normal,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub url: String,
    /// Connections for reads (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    pub synchronous: Synchronous,
    /// How long a SQLite connection waits for a lock before giving up.
    pub busy_timeout: Duration,
    /// SQLite page cache of each reading connection, in MiB.
    pub read_cache_mib: u32,
    /// SQLite page cache of the one writing connection, in MiB. A bulk deposit touches many
    /// pages in one transaction; a cache that holds them saves spilling them to the WAL and
    /// reading them back. Pages are allocated only as they are used.
    pub write_cache_mib: u32,
}

impl ConnectOptions {
    /// Defaults for `url`.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions {
            url: url.into(),
            max_connections: 8,
            synchronous: Synchronous::Full,
            busy_timeout: Duration::from_secs(10),
            read_cache_mib: 64,
            write_cache_mib: 512,
        }
    }
}

fn sqlite_pragmas(opts: &ConnectOptions, cache_mib: u32) -> String {
    let sync = match opts.synchronous {
        Synchronous::Full => "FULL",
        Synchronous::Normal => "NORMAL",
    };
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = {}; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{};",
        opts.busy_timeout.as_millis(),
        u64::from(cache_mib.max(1)) * 1024
    )
}

fn pool_options(opts: &ConnectOptions, max: u32, cache_mib: u32) -> AnyPoolOptions {
    let pragmas = match Backend::from_url(&opts.url) {
        Ok(Backend::Sqlite) => Some(sqlite_pragmas(opts, cache_mib)),
        _ => None,
    };
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _meta| {
            let pragmas = pragmas.clone();
            Box::pin(async move {
                if let Some(p) = pragmas {
                    conn.execute(sqlx::raw_sql(&p)).await?;
                }
                Ok(())
            })
        })
}

impl SqlStore {
    /// Applies the engine's pending migrations. Safe to run again; creates a SQLite file that
    /// does not exist yet.
    pub async fn migrate(url: &str) -> StoreResult<()> {
        match Backend::from_url(url)? {
            Backend::Sqlite => {
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .map_err(crate::codec::backend)?
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
                let mut conn = opts.connect().await.map_err(crate::codec::backend)?;
                SQLITE_MIGRATIONS
                    .run(&mut conn)
                    .await
                    .map_err(migrate_error)?;
            }
            Backend::Postgres => {
                let opts = sqlx::postgres::PgConnectOptions::from_str(url)
                    .map_err(crate::codec::backend)?;
                let mut conn = opts.connect().await.map_err(crate::codec::backend)?;
                POSTGRES_MIGRATIONS
                    .run(&mut conn)
                    .await
                    .map_err(migrate_error)?;
            }
        }
        Ok(())
    }

    /// Migrates, then opens the pools.
    pub async fn connect(opts: &ConnectOptions) -> StoreResult<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(&opts.url)?;
        Self::migrate(&opts.url).await?;
        let read = pool_options(opts, opts.max_connections.max(1), opts.read_cache_mib)
            .connect(&opts.url)
            .await
            .map_err(crate::codec::backend)?;
        let write = match backend {
            Backend::Sqlite => pool_options(opts, 1, opts.write_cache_mib)
                .connect(&opts.url)
                .await
                .map_err(crate::codec::backend)?,
            Backend::Postgres => read.clone(),
        };
        Ok(SqlStore {
            read,
            write,
            backend,
            xapi: Default::default(),
        })
    }
}

fn migrate_error(e: sqlx::migrate::MigrateError) -> StoreError {
    StoreError::Backend(format!("migration failed: {e}"))
}

//! The SQL store: one implementation of the [`lifelong_store`] traits that runs on two engines.
//!
//! * **SQLite** (embedded, the default): a file in the data folder, WAL mode, foreign keys on,
//!   `synchronous=FULL` so that an acknowledged write survives a power cut. Reads use a pool of
//!   connections; writes go through a single connection, so writers queue in the process
//!   instead of failing with `SQLITE_BUSY`.
//! * **PostgreSQL**, when a city outgrows one machine: one pool for everything.
//!
//! Queries are written once, with `$n` placeholders that both engines accept, through sqlx's
//! `Any` driver; values are stored in the same text and integer forms on both (see
//! [`codec`]). Each engine has its own migrations (`migrations/sqlite`, `migrations/postgres`),
//! applied with the engine's native driver. Every multi-statement write is one transaction.

mod account;
mod archive;
mod audit;
mod catalog;
pub mod codec;
mod connect;
mod conversion;
mod framework;
mod idempotency;
mod institution;
mod outcome;
#[cfg(feature = "testing")]
pub mod testing;
mod upload;
mod user;
mod xapi;

pub use connect::{Backend, ConnectOptions, Synchronous};

use async_trait::async_trait;
use lifelong_store::{Store, StoreError, StoreResult};
use sqlx::AnyPool;

/// The store over SQLite or PostgreSQL.
#[derive(Clone)]
pub struct SqlStore {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    /// The statement writer of the learning record store, started on first use.
    xapi: std::sync::Arc<tokio::sync::OnceCell<tokio::sync::mpsc::Sender<xapi::WriterRequest>>>,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// Which engine this store runs on.
    pub fn engine(&self) -> Backend {
        self.backend
    }

    /// Closes all connections, waiting for those in use.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Writes a consistent copy of a SQLite database to `dest` while the server keeps running
    /// (`VACUUM INTO`). PostgreSQL has its own tools (`pg_dump`); asking here is an error.
    pub async fn backup_to(&self, dest: &std::path::Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Backend(
                "online backup is for SQLite; use pg_dump".into(),
            ));
        }
        if dest.exists() {
            return Err(StoreError::Conflict("backup_target_exists"));
        }
        let path = dest
            .to_str()
            .ok_or_else(|| StoreError::Backend("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.write)
            .await
            .map_err(codec::backend)?;
        Ok(())
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend.name()
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(codec::backend)?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let row: (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM institutions) + (SELECT COUNT(*) FROM users)",
        )
        .fetch_one(&self.read)
        .await
        .map_err(codec::backend)?;
        Ok(row.0 == 0)
    }

    async fn key_check(&self) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT sealed FROM key_check WHERE id = 1")
            .fetch_optional(&self.read)
            .await
            .map_err(codec::backend)?;
        Ok(row.map(|(sealed,)| sealed))
    }

    async fn init_key_check(&self, sealed: Vec<u8>) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO key_check (id, sealed, created_at) VALUES (1, $1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(sealed)
        .bind(codec::ts(time::OffsetDateTime::now_utc()))
        .execute(&self.write)
        .await
        .map_err(codec::backend)?;
        Ok(done.rows_affected() == 1)
    }
}

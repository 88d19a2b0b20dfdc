//! Fresh stores for tests: a SQLite file in a temporary folder, or a new PostgreSQL database
//! created from `TEST_DATABASE_URL` and dropped when the test ends.

// Test support: failing loudly is its job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ops::Deref;

use crate::{ConnectOptions, SqlStore};

/// A store that cleans up after itself.
pub struct TestStore {
    store: SqlStore,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Database { admin_url: String, name: String },
}

impl TestStore {
    /// The store itself.
    pub fn store(&self) -> &SqlStore {
        &self.store
    }

    /// Runs SQL straight on the database, around the store, as someone with access to the
    /// database files could: for tests that tamper with data and check it is caught.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(sql).execute(&self.store.write).await?;
        Ok(done.rows_affected())
    }

    /// Its database URL (for starting a server process against it).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Deref for TestStore {
    type Target = dyn lifelong_store::Store;
    fn deref(&self) -> &Self::Target {
        &self.store
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Cleanup::Database { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside any async context we can rely on: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    use sqlx::{ConnectOptions as _, Executor};
                    let opts: sqlx::postgres::PgConnectOptions = admin_url.parse().unwrap();
                    if let Ok(mut conn) = opts.connect().await {
                        let _ = conn
                            .execute(
                                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                            )
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A fresh SQLite store in a temporary folder.
pub async fn fresh_sqlite() -> Option<TestStore> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let store = SqlStore::connect(&ConnectOptions::new(url.clone()))
        .await
        .unwrap();
    Some(TestStore {
        store,
        url,
        cleanup: Cleanup::Dir(dir),
    })
}

/// A fresh PostgreSQL database, or `None` when `TEST_DATABASE_URL` is not set.
pub async fn fresh_postgres() -> Option<TestStore> {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    use sqlx::{ConnectOptions as _, Executor};
    let name = format!("lifelong_t_{}", uuid::Uuid::new_v4().simple());
    let opts: sqlx::postgres::PgConnectOptions = admin_url
        .parse()
        .expect("TEST_DATABASE_URL is a postgres URL");
    let mut conn = opts.connect().await.expect("connect to TEST_DATABASE_URL");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let url = database_url(&admin_url, &name);
    let mut connect = ConnectOptions::new(url.clone());
    connect.max_connections = 4;
    let store = SqlStore::connect(&connect)
        .await
        .expect("connect to the test database");
    Some(TestStore {
        store,
        url,
        cleanup: Cleanup::Database { admin_url, name },
    })
}

/// The admin URL with its database name replaced.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::database_url("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            super::database_url("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
    }
}

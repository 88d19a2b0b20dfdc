//! Assembling the running platform from a [`Config`]: the data folder, the store (migrated on
//! connect), the master key and vault, and the [`App`] on top.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use lifelong_app::{App, Settings};
use lifelong_store::Store;
use lifelong_store_sql::SqlStore;
use lifelong_vault::{MasterKey, Vault};

use crate::config::Config;

/// The store and the application over it.
pub struct Platform {
    /// The concrete store, for what only it can do (backup, closing).
    pub store: Arc<SqlStore>,
    pub app: App,
}

impl Platform {
    /// Opens the platform: creates the data folder, connects to the database (which applies
    /// pending migrations) and loads the master key, creating it on the first start of an
    /// empty database.
    pub async fn open(config: &Config, settings: Settings) -> anyhow::Result<Platform> {
        let store = Arc::new(connect(config).await?);
        let key = master_key(config, store.as_ref()).await?;
        let app = App::new(store.clone(), Arc::new(Vault::new(&key)), settings);
        app.check_master_key().await.map_err(|e| {
            anyhow::anyhow!(
                "{e}; start with the key file or LIFELONG_MASTER_KEY this database was created with"
            )
        })?;
        app.seed_defaults()
            .await
            .map_err(|e| anyhow::anyhow!("could not seed the default framework: {e}"))?;
        Ok(Platform { store, app })
    }

    /// Closes the database connections.
    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Creates the data folder (when the default SQLite database lives there) and connects.
pub async fn connect(config: &Config) -> anyhow::Result<SqlStore> {
    let url = config.database_url()?;
    if config.uses_default_database() {
        create_dir(&config.data_dir)?;
    }
    let opts = config.connect_options()?;
    let store = SqlStore::connect(&opts)
        .await
        .with_context(|| format!("could not open the database {url}"))?;
    tracing::info!(database = %url, engine = store.engine().name(), "database opened and migrated");
    Ok(store)
}

/// Creates a folder and its parents.
pub fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("could not create the data folder {}", dir.display()))
}

/// The master key: from the configuration, or from the key file, created on first start.
///
/// A missing key file next to a database that already holds data is refused rather than
/// replaced: a new key could not read the data sealed with the old one.
async fn master_key(config: &Config, store: &SqlStore) -> anyhow::Result<MasterKey> {
    if let Some(secret) = &config.master_key {
        return MasterKey::from_hex(secret.expose())
            .context("invalid master key (master_key / LIFELONG_MASTER_KEY)");
    }
    let path = config.key_file();
    if !path.exists()
        && !store
            .is_empty()
            .await
            .context("could not read the database")?
    {
        bail!(
            "the database already holds data but the key file {} does not exist; restore the \
             key file from your backup (a new key could not read the data sealed with the old one)",
            path.display()
        );
    }
    let (key, created) = MasterKey::load_or_create(&path)
        .with_context(|| format!("could not load the master key from {}", path.display()))?;
    if created {
        tracing::info!(key_file = %path.display(), "created a new master key file");
        tracing::warn!(
            key_file = %path.display(),
            "BACK UP THE MASTER KEY FILE NOW and keep the copy apart from the database backups: \
             personal data is encrypted with it, and without it that data can never be read again"
        );
    }
    Ok(key)
}

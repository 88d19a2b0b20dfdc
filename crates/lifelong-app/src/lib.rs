//! Application services: every use case of the platform as one method of [`App`], which
//! checks the actor's permission, validates input into domain types, seals personal data,
//! and calls the store with the audit record of the action. The web layer and the CLI both
//! stand on this; neither talks to the store for a write on its own.

mod accounts;
mod actor;
pub mod bank;
mod bulk;
mod error;
mod identity;
mod institutions;
pub mod password;
pub mod secret;
mod settings;
mod users;
pub mod xapi;

use std::sync::Arc;

use lifelong_store::Store;
use lifelong_vault::Vault;

pub use accounts::{OpenAccountInput, RegistrationInput};
pub use actor::Actor;
pub use bulk::{BulkReport, ACCOUNT_SCHEMA};
pub use error::{AppError, AppResult, FieldError};
pub use identity::learner_login;
pub use institutions::InstitutionInput;
pub use settings::{PasswordCost, Settings};
pub use users::{SignedIn, UserInput};

/// The application: the store, the vault and the settings. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub vault: Arc<Vault>,
    pub settings: Arc<Settings>,
    /// The recognition standards and units, indexed once and shared until the catalog changes.
    standards: Arc<bank::standards_cache::StandardsCache>,
    /// Checked xAPI client credentials, briefly trusted.
    xapi_clients: Arc<xapi::ClientCache>,
}

/// What the key-check value holds.
const KEY_CHECK: &[u8] = b"lifelong key check v1";

impl App {
    /// Assembles the application.
    pub fn new(store: Arc<dyn Store>, vault: Arc<Vault>, settings: Settings) -> Self {
        App {
            store,
            vault,
            settings: Arc::new(settings),
            standards: Arc::default(),
            xapi_clients: Arc::default(),
        }
    }

    /// Makes sure the master key in use is the one the database's personal data is sealed
    /// with: the first start keeps a value sealed with it, every later start must open it.
    /// Run before serving, so a wrong key is refused before it seals anything.
    pub async fn check_master_key(&self) -> AppResult<()> {
        let stored = match self.store.key_check().await? {
            Some(sealed) => sealed,
            None => {
                let sealed = self
                    .vault
                    .seal(KEY_CHECK)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                if self.store.init_key_check(sealed).await? {
                    return Ok(());
                }
                self.store
                    .key_check()
                    .await?
                    .ok_or(AppError::Internal("key check vanished".into()))?
            }
        };
        match self.vault.open(&stored) {
            Ok(plain) if plain.as_slice() == KEY_CHECK => Ok(()),
            _ => Err(AppError::Internal(
                "the master key does not match the one this database's personal data is sealed with".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lifelong_store_sql::testing::fresh_sqlite;
    use lifelong_vault::MasterKey;

    #[tokio::test]
    async fn r3_a_different_master_key_is_refused() {
        let store = fresh_sqlite().await.unwrap();
        let shared: Arc<dyn Store> = Arc::new(store.store().clone());
        let key = MasterKey::generate();
        let first = App::new(
            shared.clone(),
            Arc::new(Vault::new(&key)),
            Settings::default(),
        );
        first.check_master_key().await.unwrap();
        first.check_master_key().await.unwrap();
        let same = App::new(
            shared.clone(),
            Arc::new(Vault::new(&key)),
            Settings::default(),
        );
        same.check_master_key().await.unwrap();
        let other = App::new(
            shared,
            Arc::new(Vault::new(&MasterKey::generate())),
            Settings::default(),
        );
        assert!(matches!(
            other.check_master_key().await,
            Err(AppError::Internal(_))
        ));
    }
}

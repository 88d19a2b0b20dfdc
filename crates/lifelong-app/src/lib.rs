//! Application services: every use case of the platform as one method of [`App`], which
//! checks the actor's permission, validates input into domain types, seals personal data,
//! and calls the store with the audit record of the action. The web layer and the CLI both
//! stand on this; neither talks to the store for a write on its own.

mod accounts;
mod actor;
mod bulk;
mod error;
mod identity;
mod institutions;
pub mod password;
pub mod secret;
mod settings;
mod users;

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
}

impl App {
    /// Assembles the application.
    pub fn new(store: Arc<dyn Store>, vault: Arc<Vault>, settings: Settings) -> Self {
        App {
            store,
            vault,
            settings: Arc::new(settings),
        }
    }
}

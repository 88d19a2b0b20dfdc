//! The rules and limits that are data, not code: each has a documented default and is set
//! from the `[app]` section of the configuration.

use lifelong_core::consent::ConsentPolicy;
use lifelong_core::credits::CreditPolicy;
use serde::{Deserialize, Serialize};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordCost {
    /// Memory in KiB (OWASP's minimum for Argon2id is 19 MiB).
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        PasswordCost {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordCost {
    /// The cheapest cost Argon2 allows: for tests only.
    pub fn for_tests() -> Self {
        PasswordCost {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        }
    }
}

/// Rules and limits of the application.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// How long a sign-in lasts, in hours.
    pub session_hours: u32,
    /// Failed sign-ins in a row before the user is locked out.
    pub max_login_failures: u32,
    /// How long a lock-out lasts, in minutes.
    pub lockout_minutes: u32,
    /// The shortest password accepted.
    pub min_password_length: usize,
    pub password_cost: PasswordCost,
    /// Largest bulk-opening file, in bytes.
    pub bulk_max_bytes: usize,
    /// Most data rows in one bulk-opening file.
    pub bulk_max_rows: usize,
    /// Rule R4: the age under which a guardian's consent is needed.
    pub consent: ConsentPolicy,
    /// Rule R14: study hours per credit and rounding.
    pub credit: CreditPolicy,
    /// Rule R15: working days within which a review decision is due.
    pub review_days: u32,
    /// Largest outcome-deposit file, in bytes.
    pub deposit_max_bytes: usize,
    /// Most data rows in one outcome-deposit file.
    pub deposit_max_rows: usize,
    /// Largest evidence file a learner may upload, in bytes.
    pub evidence_max_bytes: usize,
    /// Most evidence files on one application.
    pub evidence_max_files: usize,
    /// The learning record store.
    pub xapi: crate::xapi::XapiSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_hours: 12,
            max_login_failures: 5,
            lockout_minutes: 15,
            min_password_length: 8,
            password_cost: PasswordCost::default(),
            bulk_max_bytes: 32 * 1024 * 1024,
            bulk_max_rows: 100_000,
            consent: ConsentPolicy::default(),
            credit: CreditPolicy::default(),
            review_days: 15,
            deposit_max_bytes: 256 * 1024 * 1024,
            deposit_max_rows: 1_000_000,
            evidence_max_bytes: 10 * 1024 * 1024,
            evidence_max_files: 5,
            xapi: crate::xapi::XapiSettings::default(),
        }
    }
}

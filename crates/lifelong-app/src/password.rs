//! Passwords: Argon2id hashes in PHC form, computed off the async runtime because they are
//! deliberately slow.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};
use crate::settings::PasswordCost;

fn argon2(cost: PasswordCost) -> AppResult<Argon2<'static>> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password (on a blocking thread).
pub async fn hash(password: String, cost: PasswordCost) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2(cost)?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

/// Checks a password against a stored hash (on a blocking thread). A missing hash is checked
/// against a throw-away one, so that an unknown user costs as much time as a known one.
pub async fn verify(
    password: String,
    stored: Option<String>,
    cost: PasswordCost,
) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let argon = argon2(cost)?;
        match stored.as_deref().map(PasswordHash::new) {
            Some(Ok(parsed)) => Ok(argon.verify_password(password.as_bytes(), &parsed).is_ok()),
            Some(Err(_)) => Ok(false),
            None => {
                let salt = SaltString::generate(&mut OsRng);
                let _ = argon.hash_password(password.as_bytes(), &salt);
                Ok(false)
            }
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let cost = PasswordCost::for_tests();
        let h1 = hash("correct horse".into(), cost).await.unwrap();
        let h2 = hash("correct horse".into(), cost).await.unwrap();
        assert!(h1.starts_with("$argon2id$"));
        assert_ne!(h1, h2, "salted");
        assert!(verify("correct horse".into(), Some(h1.clone()), cost)
            .await
            .unwrap());
        assert!(!verify("wrong".into(), Some(h1), cost).await.unwrap());
        assert!(!verify("x".into(), None, cost).await.unwrap());
        assert!(!verify("x".into(), Some("garbage".into()), cost)
            .await
            .unwrap());
    }
}

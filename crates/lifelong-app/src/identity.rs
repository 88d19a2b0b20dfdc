//! Turning validated personal data into what the store keeps: sealed, indexed and masked
//! (rule R3), and the learner's login key.

use lifelong_core::id_number::IdNumber;
use lifelong_core::mobile::Mobile;
use lifelong_store::SealedPii;
use lifelong_vault::Vault;

use crate::error::{AppError, AppResult};

/// Blind-index domain of ID numbers.
pub(crate) const ID_NUMBER: &str = "id_number";
/// Blind-index domain of mobile numbers.
pub(crate) const MOBILE: &str = "mobile";

/// The blind index of an ID number.
pub(crate) fn id_index(vault: &Vault, id: &IdNumber) -> String {
    vault.blind_index(ID_NUMBER, id.expose())
}

/// An ID number as the store keeps it.
pub(crate) fn seal_id_number(vault: &Vault, id: &IdNumber) -> AppResult<SealedPii> {
    Ok(SealedPii {
        sealed: vault
            .seal(id.expose().as_bytes())
            .map_err(|e| AppError::Internal(e.to_string()))?,
        index: id_index(vault, id),
        masked: id.masked(),
    })
}

/// A mobile number as the store keeps it.
pub(crate) fn seal_mobile(vault: &Vault, mobile: &Mobile) -> AppResult<SealedPii> {
    Ok(SealedPii {
        sealed: vault
            .seal(mobile.expose().as_bytes())
            .map_err(|e| AppError::Internal(e.to_string()))?,
        index: vault.blind_index(MOBILE, mobile.expose()),
        masked: mobile.masked(),
    })
}

/// A learner's login: learners sign in with their mobile number, which the users table
/// holds only as a keyed hash.
pub fn learner_login(vault: &Vault, mobile: &Mobile) -> String {
    format!("mobile:{}", vault.blind_index(MOBILE, mobile.expose()))
}

//! The vault: how personal data is kept at rest (rule R3).
//!
//! * **Sealing** — AES-256-GCM with a fresh random 96-bit nonce per value. A sealed value is
//!   `version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`; the version byte leaves room for
//!   key rotation.
//! * **Blind indexes** — HMAC-SHA-256 under a separate key, over a domain label and the value,
//!   so the database can enforce "one person, one account" (R5) and look a person up by ID
//!   number or mobile without ever holding either in plain text.
//! * **The key file** — 32 random bytes, hex encoded, created on first start with owner-only
//!   permissions. Both working keys are derived from it with HKDF-SHA-256, so one secret is
//!   all an operator has to back up.

use std::fmt;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const KEY_LEN: usize = 32;

/// What can go wrong with keys or sealed values.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the key must be 32 bytes written as 64 hexadecimal characters")]
    BadKey,
    #[error("the key file {path} could not be read or created: {source}")]
    KeyFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the key file {path} is readable by other users; make it owner-only (chmod 600)")]
    KeyFilePermissions { path: String },
    #[error("a sealed value is damaged or was sealed with another key")]
    Unseal,
    #[error("the value is too large to seal")]
    Seal,
}

/// The master secret. `Debug` never shows it.
#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; KEY_LEN]>);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        MasterKey(bytes)
    }

    /// Parses the hex form used in key files and configuration.
    pub fn from_hex(text: &str) -> Result<Self, VaultError> {
        let mut decoded = Zeroizing::new(hex::decode(text.trim()).map_err(|_| VaultError::BadKey)?);
        if decoded.len() != KEY_LEN {
            return Err(VaultError::BadKey);
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&decoded);
        decoded.zeroize();
        Ok(MasterKey(bytes))
    }

    /// The hex form, for writing a key file.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// Reads the key file at `path`, or creates it (owner-only) with a new random key when it
    /// does not exist. Returns the key and whether it was created.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), VaultError> {
        let key_err = |source| VaultError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                check_owner_only(path)?;
                Ok((MasterKey::from_hex(&text)?, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(key_err)?;
                }
                let key = MasterKey::generate();
                let mut file = create_owner_only(path).map_err(key_err)?;
                file.write_all(key.to_hex().as_bytes()).map_err(key_err)?;
                file.write_all(b"\n").map_err(key_err)?;
                file.sync_all().map_err(key_err)?;
                Ok((key, true))
            }
            Err(e) => Err(key_err(e)),
        }
    }
}

#[cfg(unix)]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn check_owner_only(path: &Path) -> Result<(), VaultError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|source| VaultError::KeyFile {
        path: path.display().to_string(),
        source,
    })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(VaultError::KeyFilePermissions {
            path: path.display().to_string(),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path) -> Result<(), VaultError> {
    Ok(())
}

/// Seals and indexes personal data. Cheap to clone behind an `Arc`.
pub struct Vault {
    cipher: Aes256Gcm,
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Vault(…)")
    }
}

impl Vault {
    /// Derives the sealing and indexing keys from the master key.
    pub fn new(master: &MasterKey) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"lifelong-vault-v1"), master.0.as_ref());
        let mut seal_key = Zeroizing::new([0u8; KEY_LEN]);
        let mut index_key = Zeroizing::new([0u8; KEY_LEN]);
        // Expanding 32 bytes from SHA-256 HKDF cannot fail (limit is 255 × 32).
        let _ = hk.expand(b"seal", seal_key.as_mut());
        let _ = hk.expand(b"blind-index", index_key.as_mut());
        let cipher = Aes256Gcm::new(seal_key.as_ref().into());
        Vault { cipher, index_key }
    }

    /// Encrypts `plain` with a fresh nonce. Fails only for inputs beyond AES-GCM's limit.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut out = Vec::with_capacity(1 + NONCE_LEN + plain.len() + 16);
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain)
            .map_err(|_| VaultError::Seal)?;
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts a value sealed by [`Vault::seal`] under the same master key.
    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != SEAL_VERSION {
            return Err(VaultError::Unseal);
        }
        let (nonce, ct) = sealed[1..].split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Unseal)
    }

    /// Decrypts a sealed UTF-8 string.
    pub fn open_string(&self, sealed: &[u8]) -> Result<Zeroizing<String>, VaultError> {
        let bytes = self.open(sealed)?;
        String::from_utf8(bytes.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Unseal)
    }

    /// A keyed hash of `value` within `domain` (e.g. `"id_number"`), as 64 hex characters.
    /// Equal inputs give equal indexes; without the key nothing can be learnt from one.
    pub fn blind_index(&self, domain: &str, value: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(self.index_key.as_ref()) else {
            return String::new();
        };
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::new(&MasterKey::from_hex(&"ab".repeat(32)).unwrap())
    }

    #[test]
    fn seal_round_trips_and_never_repeats() {
        let v = vault();
        let a = v.seal(b"34052419800101001X").unwrap();
        let b = v.seal(b"34052419800101001X").unwrap();
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.windows(18).any(|w| w == b"34052419800101001X"));
        assert_eq!(v.open(&a).unwrap().as_slice(), b"34052419800101001X");
        assert_eq!(v.open_string(&b).unwrap().as_str(), "34052419800101001X");
    }

    #[test]
    fn tampered_or_foreign_values_do_not_open() {
        let v = vault();
        let mut sealed = v.seal(b"secret").unwrap();
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(matches!(v.open(&sealed), Err(VaultError::Unseal)));
        let other = Vault::new(&MasterKey::generate());
        assert!(other.open(&v.seal(b"secret").unwrap()).is_err());
        assert!(v.open(b"short").is_err());
    }

    #[test]
    fn blind_index_is_keyed_and_domain_separated() {
        let v = vault();
        let a = v.blind_index("id_number", "34052419800101001X");
        assert_eq!(a, v.blind_index("id_number", "34052419800101001X"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, v.blind_index("mobile", "34052419800101001X"));
        let other = Vault::new(&MasterKey::generate());
        assert_ne!(a, other.blind_index("id_number", "34052419800101001X"));
    }

    #[test]
    fn key_file_is_created_owner_only_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/master.key");
        let (k1, created) = MasterKey::load_or_create(&path).unwrap();
        assert!(created);
        let (k2, created) = MasterKey::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(k1.to_hex().as_str(), k2.to_hex().as_str());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(
                MasterKey::load_or_create(&path),
                Err(VaultError::KeyFilePermissions { .. })
            ));
        }
    }

    #[test]
    fn bad_keys_are_refused_and_debug_hides_them() {
        assert!(MasterKey::from_hex("abcd").is_err());
        assert!(MasterKey::from_hex(&"zz".repeat(32)).is_err());
        let k = MasterKey::generate();
        assert_eq!(format!("{k:?}"), "MasterKey(…)");
    }
}

//! Client credentials of learning platforms: issued and revoked by an institution's managers,
//! checked on every xAPI request. A key names the credential; the secret (256 random bits) is
//! shown once and kept as SHA-256. Checked credentials are trusted for a short while
//! (`credential_cache_ms`) so a request costs one hash and a map lookup; revoking through this
//! process drops the cached entry at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lifelong_store::{InstitutionId, NewXapiCredential, XapiCredential};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{secret, Actor, App, AppError, AppResult, FieldError};

/// An authenticated learning platform.
#[derive(Debug, Clone)]
pub struct XapiClient {
    pub credential: Uuid,
    pub institution: InstitutionId,
    pub tenant: i64,
    pub key: String,
    pub label: String,
    /// The agent set as every stored statement's `authority`.
    pub authority: Value,
}

/// A new credential with its secret, shown once.
#[derive(Debug, Clone)]
pub struct IssuedCredential {
    pub credential: XapiCredential,
    pub secret: String,
}

/// Checked credentials, by key.
#[derive(Debug, Default)]
pub struct ClientCache {
    entries: Mutex<HashMap<String, (String, XapiClient, Instant)>>,
}

impl ClientCache {
    fn get(&self, key: &str, max_age: Duration) -> Option<(String, XapiClient)> {
        let entries = self.entries.lock().ok()?;
        let (digest, client, at) = entries.get(key)?;
        (at.elapsed() < max_age).then(|| (digest.clone(), client.clone()))
    }

    fn put(&self, digest: String, client: XapiClient) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(client.key.clone(), (digest, client, Instant::now()));
        }
    }

    fn forget(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

impl App {
    /// The agent that stands for a credential in `authority`.
    fn authority_of(&self, credential: &XapiCredential) -> Value {
        json!({
            "objectType": "Agent",
            "name": credential.label,
            "account": {
                "homePage": format!("{}/xapi/clients", self.settings.xapi.home_page.trim_end_matches('/')),
                "name": credential.key,
            }
        })
    }

    fn client_of(&self, credential: &XapiCredential) -> XapiClient {
        XapiClient {
            credential: credential.id,
            institution: credential.institution_id.clone(),
            tenant: credential.tenant,
            key: credential.key.clone(),
            label: credential.label.clone(),
            authority: self.authority_of(credential),
        }
    }

    /// Checks a key and secret from HTTP Basic authentication. Unknown, wrong and revoked
    /// credentials are all `Unauthenticated`, saying no more.
    pub async fn authenticate_xapi(&self, key: &str, secret: &str) -> AppResult<XapiClient> {
        let digest = secret::digest(secret);
        let max_age = Duration::from_millis(self.settings.xapi.credential_cache_ms);
        if let Some((kept, client)) = self.xapi_clients.get(key, max_age) {
            return if secret::same(kept.as_bytes(), digest.as_bytes()) {
                Ok(client)
            } else {
                Err(AppError::Unauthenticated)
            };
        }
        let Some(credential) = self.store.xapi_credential_by_key(key).await? else {
            return Err(AppError::Unauthenticated);
        };
        if credential.revoked_at.is_some()
            || !secret::same(credential.secret_sha256.as_bytes(), digest.as_bytes())
        {
            self.xapi_clients.forget(key);
            return Err(AppError::Unauthenticated);
        }
        let client = self.client_of(&credential);
        self.xapi_clients
            .put(credential.secret_sha256, client.clone());
        Ok(client)
    }

    /// Who may manage an institution's credentials: the same people as its API tokens.
    pub(super) fn credential_scope(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
    ) -> AppResult<()> {
        self.token_scope(actor, institution)
    }

    /// Issues a credential for one of the institution's learning platforms; the secret is in
    /// the answer and nowhere else.
    pub async fn issue_xapi_credential(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
        label: &str,
    ) -> AppResult<IssuedCredential> {
        self.credential_scope(actor, institution)?;
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 60 {
            return Err(AppError::Invalid(vec![FieldError::text(
                "label",
                "credential_label_invalid",
                "请为凭据填写 1–60 个字符的名称，如所接入的学习平台。",
                "Name the credential (1–60 characters), e.g. after the learning platform.",
            )]));
        }
        self.store.institution(institution).await?;
        let id = Uuid::now_v7();
        let key = format!("lx_{}", &secret::new_token("")[..20]);
        let secret = secret::new_token("");
        let audit = actor.audit("xapi.credential.create", "xapi_credential", &id.to_string());
        let credential = self
            .store
            .create_xapi_credential(
                NewXapiCredential {
                    id,
                    institution_id: institution.clone(),
                    label: label.to_owned(),
                    key,
                    secret_sha256: secret::digest(&secret),
                    created_by: actor.user.clone(),
                },
                audit,
            )
            .await?;
        Ok(IssuedCredential { credential, secret })
    }

    /// An institution's credentials, newest first.
    pub async fn xapi_credentials(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
    ) -> AppResult<Vec<XapiCredential>> {
        self.credential_scope(actor, institution)?;
        Ok(self.store.xapi_credentials(institution).await?)
    }

    /// Revokes a credential: it stops working at once in this process (and within
    /// `credential_cache_ms` in others).
    pub async fn revoke_xapi_credential(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
        id: Uuid,
    ) -> AppResult<()> {
        self.credential_scope(actor, institution)?;
        let audit = actor.audit("xapi.credential.revoke", "xapi_credential", &id.to_string());
        let key = self
            .store
            .xapi_credentials(institution)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| c.key);
        self.store
            .revoke_xapi_credential(institution, id, audit)
            .await?;
        if let Some(key) = key {
            self.xapi_clients.forget(&key);
        }
        Ok(())
    }
}

//! Settings of the web layer, set from the `[web]` section of the configuration.

use serde::{Deserialize, Serialize};

/// Web settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// The address people use to reach the server. Cookies are marked `Secure` when it is
    /// `https://`.
    pub public_url: String,
    /// Longest time one request may take, in seconds.
    pub request_timeout_secs: u64,
    /// Largest request body, in bytes (uploads included).
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: "http://127.0.0.1:8080".to_owned(),
            request_timeout_secs: 60,
            max_body_bytes: 40 * 1024 * 1024,
        }
    }
}

impl WebConfig {
    /// Whether cookies must be `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

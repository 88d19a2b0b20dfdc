//! TEMPORARY stand-in for `lifelong-web` while that crate is being written: the same public
//! `WebConfig` and `serve`, answering 200 to every request. Removed once the web crate builds.

use std::future::Future;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Web settings (a copy of `lifelong_web::WebConfig`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    pub public_url: String,
    pub request_timeout_secs: u64,
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

/// Answers 200 to everything until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    _app: lifelong_app::App,
    _config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => {
                let (mut stream, _) = accepted?;
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = stream.read(&mut buf).await;
                    let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                        .await;
                });
            }
        }
    }
}

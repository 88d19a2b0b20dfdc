//! `lifelong serve`: the web server, until Ctrl-C or SIGTERM, then a graceful stop that lets
//! requests in flight finish and closes the database.

use std::net::SocketAddr;

use anyhow::Context as _;
use lifelong_web::WebConfig;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::config::{Config, Env};
use crate::platform::Platform;

/// Runs the server.
pub async fn run(args: &ServeArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.overrides(), env)?;
    let platform = Platform::open(&config, config.app.clone()).await?;
    let listener = bind(&config).await?;
    announce(&listener)?;
    serve(listener, &platform, config.web.clone()).await
}

/// Binds the configured address.
pub async fn bind(config: &Config) -> anyhow::Result<TcpListener> {
    TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.listen))
}

/// Prints the one line that says where the server is, and returns the address.
pub fn announce(listener: &TcpListener) -> anyhow::Result<SocketAddr> {
    let addr = listener
        .local_addr()
        .context("could not read the listening address")?;
    println!("listening on http://{addr}");
    tracing::info!(%addr, "listening");
    Ok(addr)
}

/// Serves until a shutdown signal, then closes the store.
pub async fn serve(
    listener: TcpListener,
    platform: &Platform,
    config: WebConfig,
) -> anyhow::Result<()> {
    let result =
        lifelong_web::serve(listener, platform.app.clone(), config, shutdown_signal()).await;
    platform.close().await;
    result.context("the web server stopped with an error")?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. A signal that cannot be listened for is logged and never
/// fires, rather than stopping the server at once.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

//! The web layer of Lifelong: the JSON API under `/api/v1` (institution systems, bearer
//! tokens), the server-rendered pages (citizens, institution staff, reviewers,
//! administrators), and operations endpoints (`/healthz`, `/readyz`, `/metrics`).
//!
//! Handlers are thin: they extract, call [`lifelong_app::App`], and answer. Authorisation is
//! checked in the application services for every action, and again at the edge by the
//! extractors that establish who is asking.

mod api;
mod auth;
mod config;
mod error;
mod i18n;
mod middleware;
mod ops;
mod pages;
mod state;
mod xapi;

pub use config::WebConfig;
pub use state::AppState;

use std::future::Future;

use axum::Router;
use lifelong_app::App;

/// The whole application as one router.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState::new(app, config);
    let routes = Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router(&state))
        .nest("/xapi", xapi::router())
        .merge(ops::router())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::localize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .with_state(state.clone());
    middleware::apply(routes, &state.config)
}

/// Serves until `shutdown` completes, then stops taking connections and finishes the requests
/// in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app, config);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

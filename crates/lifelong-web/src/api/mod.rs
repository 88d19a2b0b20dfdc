//! (in progress)
use axum::Router;
use crate::state::AppState;
pub fn router(_s: &AppState) -> Router<AppState> { Router::new() }

//! Bearer tokens of institution systems. The [`authenticate`] middleware turns a valid
//! `Authorization: Bearer ll_…` into an [`Actor`] in the request's extensions; [`ApiActor`]
//! hands it to handlers.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lifelong_app::{Actor, AppError};

use crate::error::ApiError;
use crate::middleware::request_id;
use crate::state::AppState;

/// The institution system making an API call.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .map(ApiActor)
            .ok_or(ApiError(AppError::Unauthenticated))
    }
}

/// Checks the bearer token; refuses the request with 401 when it is missing or not valid.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return ApiError(AppError::Unauthenticated).into_response();
    };
    match state.app.token_actor(&token).await {
        Ok(actor) => {
            let actor = actor.with_request_id(request_id(request.headers()));
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        Err(e) => ApiError(e).into_response(),
    }
}

//! `Idempotency-Key` on API POSTs. The first request with a key claims it; its answer is kept
//! and replayed to any retry with the same key and the same request (method, path, query and
//! body). The same key with a different request is refused (422); a retry while the first is
//! still running is told to wait (409). A failure on our side (5xx) releases the key so the
//! request may be tried again. Keys are scoped to the institution.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lifelong_app::{secret, Actor, AppError};
use lifelong_store::{IdempotencyClaim, StoredResponse};
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::state::AppState;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The middleware (after authentication, so the institution is known).
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request
        .headers()
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return next.run(request).await;
    };
    if key.is_empty() || key.len() > 255 {
        return ApiError(AppError::Invalid(vec![lifelong_app::FieldError::text(
            "Idempotency-Key",
            "idempotency_key_invalid",
            "Idempotency-Key 须为 1–255 个字符。",
            "The Idempotency-Key must be 1–255 characters.",
        )]))
        .into_response();
    }
    let Some(scope) = request
        .extensions()
        .get::<Actor>()
        .and_then(|a| a.institution.clone())
    else {
        return next.run(request).await;
    };
    let scope = scope.to_string();
    let lang = crate::i18n::request_lang(request.headers());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, state.config.max_body_bytes).await else {
        return ApiError(AppError::File(lifelong_import::FileError::TooLarge {
            max_bytes: state.config.max_body_bytes,
            found: 0,
        }))
        .into_response();
    };
    let mut fingerprint = Vec::with_capacity(bytes.len() + 128);
    fingerprint.extend_from_slice(parts.method.as_str().as_bytes());
    fingerprint.push(0);
    fingerprint.extend_from_slice(parts.uri.to_string().as_bytes());
    fingerprint.push(0);
    fingerprint.extend_from_slice(&bytes);
    let request_hash = secret::digest_bytes(&fingerprint);

    let claim = state
        .app
        .store
        .claim_idempotency_key(&scope, &key, &request_hash, OffsetDateTime::now_utc())
        .await;
    match claim {
        Err(e) => return ApiError(e.into()).into_response(),
        Ok(IdempotencyClaim::Replay(stored)) => return replay(stored),
        Ok(IdempotencyClaim::InProgress) => {
            return ApiError(AppError::Conflict("request_in_progress")).into_response()
        }
        Ok(IdempotencyClaim::Mismatch) => {
            return ApiError(AppError::Conflict("idempotency_key_reused")).into_response()
        }
        Ok(IdempotencyClaim::Claimed) => {}
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    if status.is_server_error()
        || response
            .extensions()
            .get::<crate::error::DeferredApiError>()
            .is_some_and(|e| matches!(*e.0, AppError::Internal(_)))
    {
        if let Err(e) = state.app.store.release_idempotency_key(&scope, &key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return response;
    }
    // Errors are written by the localizing layer further out; keep the final body by
    // rendering it here in the language of the request that made it.
    let (mut parts, body) = response.into_parts();
    let body_bytes = match parts.extensions.remove::<crate::error::DeferredApiError>() {
        Some(err) => {
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            serde_json::to_vec(&crate::error::error_body(&err.0, lang))
                .unwrap_or_default()
                .into()
        }
        None => to_bytes(body, usize::MAX).await.unwrap_or_default(),
    };
    let stored = StoredResponse {
        status: status.as_u16(),
        body: body_bytes.to_vec(),
    };
    if let Err(e) = state
        .app
        .store
        .complete_idempotency_key(&scope, &key, stored)
        .await
    {
        tracing::warn!(error = %e, "could not keep an idempotent response");
    }
    Response::from_parts(parts, Body::from(body_bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let status =
        axum::http::StatusCode::from_u16(stored.status).unwrap_or(axum::http::StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
        .headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

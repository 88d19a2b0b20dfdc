//! How refusals and failures reach the client.
//!
//! Handlers return `Result<_, ApiError>` (JSON routes) or `Result<_, PageError>` (HTML
//! routes) and use `?` on [`AppError`]s freely. Neither knows the request's language, so each
//! leaves its error in the response's extensions, and the [`localize`] middleware — which
//! does know it — writes the body: `{"error":{"code","message"}}` for the API, an error page
//! for the web. One table, [`status_of`], maps every error to its HTTP status.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lifelong_app::AppError;
use lifelong_core::{Explain, Lang};
use lifelong_import::FileError;
use serde_json::json;

use crate::i18n::request_lang;
use crate::state::AppState;

/// The HTTP status of each error: the single place this is decided.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::Locked => StatusCode::TOO_MANY_REQUESTS,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Conflict("idempotency_key_reused") => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict("csrf_failed") => StatusCode::FORBIDDEN,
        AppError::Conflict("form_invalid" | "body_unreadable") => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) | AppError::AccountState(_) => StatusCode::CONFLICT,
        AppError::File(FileError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::File(_) | AppError::BulkHasErrors(_) | AppError::DepositHasErrors(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Xapi(e) => {
            StatusCode::from_u16(e.status.code()).unwrap_or(StatusCode::BAD_REQUEST)
        }
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error of a JSON route.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<lifelong_store::StoreError> for ApiError {
    fn from(e: lifelong_store::StoreError) -> Self {
        ApiError(e.into())
    }
}

/// Marks a response whose JSON error body is still to be written.
#[derive(Clone)]
pub(crate) struct DeferredApiError(pub Arc<AppError>);

/// Marks a response whose HTML error page is still to be written.
#[derive(Clone)]
pub(crate) struct DeferredPageError(pub Arc<AppError>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        if status.is_server_error() {
            tracing::error!(error = %self.0, "request failed");
        }
        let mut response = status.into_response();
        if matches!(self.0, AppError::Unauthenticated) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
            .extensions_mut()
            .insert(DeferredApiError(Arc::new(self.0)));
        response
    }
}

/// An error of an HTML route: rendered as an error page (or, when not signed in, a redirect
/// to the sign-in page).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<lifelong_store::StoreError> for PageError {
    fn from(e: lifelong_store::StoreError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        if status.is_server_error() {
            tracing::error!(error = %self.0, "page failed");
        }
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(DeferredPageError(Arc::new(self.0)));
        response
    }
}

/// The JSON body of an error, in `lang`.
pub fn error_body(error: &AppError, lang: Lang) -> serde_json::Value {
    let mut body = json!({ "code": error.code(), "message": error.message(lang) });
    match error {
        AppError::Invalid(fields) => {
            body["fields"] = fields
                .iter()
                .map(|f| json!({ "field": f.field, "code": f.code, "message": f.message(lang) }))
                .collect();
        }
        AppError::BulkHasErrors(report) => {
            body["report"] = serde_json::to_value(report).unwrap_or_default();
        }
        AppError::DepositHasErrors(report) => {
            body["report"] = serde_json::to_value(report).unwrap_or_default();
        }
        _ => {}
    }
    json!({ "error": body })
}

/// A JSON error response without an [`AppError`] (malformed bodies, unknown routes).
pub fn plain_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Writes deferred error bodies in the request's language.
pub async fn localize(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = request_lang(request.headers());
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if let Some(DeferredApiError(error)) = response.extensions_mut().remove::<DeferredApiError>() {
        let status = response.status();
        let mut out = (status, axum::Json(error_body(&error, lang))).into_response();
        for (name, value) in response.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                out.headers_mut().insert(name.clone(), value.clone());
            }
        }
        return out;
    }
    if let Some(DeferredPageError(error)) = response.extensions_mut().remove::<DeferredPageError>()
    {
        return crate::pages::error_page(&state, &error, lang, &path, response.status());
    }
    response
}

//! CSRF protection of forms: a random token in a `SameSite=Strict` cookie (made on first
//! visit) must come back in the form's `csrf` field, and a cross-site `Origin` is refused.
//! This double-submit pattern protects signed-out forms (registration, sign-in) the same way
//! as signed-in ones.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use lifelong_app::{secret, AppError};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::PageError;
use crate::i18n::cookie;
use crate::state::AppState;

/// The CSRF cookie's name.
pub const CSRF_COOKIE: &str = "ll_csrf";

/// The CSRF token to put in this request's forms.
#[derive(Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or(CsrfToken(String::new())))
    }
}

/// Makes sure every visitor has a CSRF cookie, and makes its token available to handlers.
pub async fn ensure_cookie(mut request: Request, next: Next) -> Response {
    let existing = cookie(request.headers(), CSRF_COOKIE)
        .filter(|t| t.len() >= 32)
        .map(str::to_owned);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (secret::new_token(""), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if fresh {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    origin.split_once("://").map(|(_, rest)| rest) == Some(host)
}

/// Checks a submitted token against the cookie (in constant time) and the `Origin`.
pub fn verify(headers: &HeaderMap, submitted: &str) -> Result<(), PageError> {
    let expected = cookie(headers, CSRF_COOKIE).unwrap_or("");
    let equal = !expected.is_empty() && secret::same(expected.as_bytes(), submitted.as_bytes());
    if equal && same_origin(headers) {
        Ok(())
    } else {
        tracing::info!("form refused: CSRF token missing or wrong");
        Err(PageError(AppError::Conflict("csrf_failed")))
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| PageError(AppError::Conflict("body_unreadable")))?;
        let field: CsrfField = serde_urlencoded_from(&bytes)?;
        verify(&headers, &field.csrf)?;
        let value: T = serde_urlencoded_from(&bytes)?;
        Ok(CsrfForm(value))
    }
}

fn serde_urlencoded_from<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PageError> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| {
        tracing::info!(error = %e, "form refused: fields do not decode");
        PageError(AppError::Conflict("form_invalid"))
    })
}

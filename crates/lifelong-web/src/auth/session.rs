//! Session cookies. The cookie holds a random token; the database keeps only its hash. The
//! cookie is `HttpOnly`, `SameSite=Lax`, and `Secure` when the public URL is https.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use lifelong_app::{Actor, AppError};
use lifelong_store::User;
use time::OffsetDateTime;

use crate::error::PageError;
use crate::i18n::cookie;
use crate::middleware::request_id;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ll_session";

/// The signed-in user, if any.
pub struct Viewer(pub Option<User>);

/// A signed-in user; pages that need one answer "sign in first" otherwise.
pub struct SignedIn {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CachedViewer>() {
            return Ok(Viewer(user.0.clone()));
        }
        let user = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) if !token.is_empty() => state.app.session_user(token).await?,
            _ => None,
        };
        parts.extensions.insert(CachedViewer(user.clone()));
        Ok(Viewer(user))
    }
}

/// The viewer, looked up once per request.
#[derive(Clone)]
struct CachedViewer(Option<User>);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Viewer(user) = Viewer::from_request_parts(parts, state).await?;
        let user = user.ok_or(PageError(AppError::Unauthenticated))?;
        let actor = Actor::of_user(&user).with_request_id(request_id(&parts.headers));
        Ok(SignedIn { actor })
    }
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, expires: OffsetDateTime, secure: bool) -> HeaderValue {
    let max_age = (expires - OffsetDateTime::now_utc()).whole_seconds().max(0);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("ll_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session token of the request, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty())
}

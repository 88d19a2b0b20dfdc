//! The server-rendered pages: the layout every page shares ([`Chrome`]), the error page,
//! static assets, and the router of every page area.

mod admin;
mod application;
mod archive;
mod bank;
mod console;
mod console_xapi;
mod conversion;
mod deposit;
mod learner;
mod public;
mod review;
mod review_outcomes;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lifelong_app::AppError;
use lifelong_core::role::{Permission, Role};
use lifelong_core::{Explain, Lang};
use lifelong_store::User;

use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::i18n::{cookie, request_lang, Texts, TEXT_SIZE_COOKIE};
use crate::state::AppState;

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(learner::router())
        .merge(console::router())
        .merge(console_xapi::router())
        .merge(review::router())
        .merge(admin::router())
        .merge(application::router())
        .merge(archive::router())
        .merge(bank::router())
        .merge(deposit::router())
        .merge(review_outcomes::router())
        .merge(conversion::router())
        .route(
            "/static/app.css",
            get(|| async {
                asset(
                    "text/css; charset=utf-8",
                    include_str!("../../static/app.css"),
                )
            }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/app.js"),
                )
            }),
        )
        .layer(axum::middleware::from_fn(crate::auth::csrf::ensure_cookie))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// `?done=…`: which action just succeeded, for the notice on the page it redirected to.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
}

/// `?cursor=…`: where a paged list continues.
#[derive(serde::Deserialize, Default)]
pub struct CursorQuery {
    #[serde(default)]
    pub cursor: Option<String>,
}

/// One link of the navigation bar.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout needs: language, texts, the signed-in user, navigation, preferences and
/// the CSRF token for forms.
pub struct Chrome {
    pub lang: Lang,
    pub t: &'static Texts,
    pub title: String,
    pub user: Option<User>,
    pub role_label: &'static str,
    pub nav: Vec<NavLink>,
    pub large_text: bool,
    pub csrf: String,
    /// The current path, for "come back here" links (language switch, sign-in).
    pub path: String,
}

impl Chrome {
    /// The `lang` attribute of the page.
    pub fn lang_tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// The page's language (a copy, for passing to domain `label` methods in templates).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The code of the other language (the switch's target).
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        }
    }
}

/// The page context of a request, before the title is known.
pub struct Page {
    pub lang: Lang,
    pub user: Option<User>,
    large_text: bool,
    csrf: String,
    path: String,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Viewer(user) = Viewer::from_request_parts(parts, state).await?;
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state)
            .await
            .unwrap_or(CsrfToken(String::new()));
        Ok(Page {
            lang: request_lang(&parts.headers),
            user,
            large_text: cookie(&parts.headers, TEXT_SIZE_COOKIE) == Some("large"),
            csrf,
            path: parts.uri.path().to_owned(),
        })
    }
}

impl Page {
    /// The layout context for a page titled `title`.
    pub fn chrome(&self, title: &str) -> Chrome {
        let t = Texts::get(self.lang);
        let role = self.user.as_ref().map(|u| u.role);
        Chrome {
            lang: self.lang,
            t,
            title: title.to_owned(),
            user: self.user.clone(),
            role_label: role.map(|r| r.label(self.lang)).unwrap_or(""),
            nav: nav_for(role, t, &self.path),
            large_text: self.large_text,
            csrf: self.csrf.clone(),
            path: self.path.clone(),
        }
    }

    /// The texts of the layout.
    pub fn t(&self) -> &'static Texts {
        Texts::get(self.lang)
    }
}

/// The navigation links a role sees.
fn nav_for(role: Option<Role>, t: &'static Texts, path: &str) -> Vec<NavLink> {
    let mut links: Vec<(&'static str, &'static str)> = vec![("/", t.nav_home)];
    if let Some(role) = role {
        if role.permits(Permission::ViewOwnAccount) {
            links.push(("/me", t.nav_my_account));
            links.push(("/me/archive", t.nav_archive));
        }
        if role.permits(Permission::ApplyForCredit) {
            links.push(("/me/conversion", t.nav_conversion));
        }
        if role.permits(Permission::OpenAccounts) {
            links.push(("/console", t.nav_console));
        }
        if role.permits(Permission::DepositOutcomes) {
            links.push(("/console/outcomes", t.nav_deposit));
        }
        if role.permits(Permission::DecideConversions) {
            links.push(("/console/conversions", t.nav_conversions));
        }
        if role.permits(Permission::ReviewAccounts) || role.permits(Permission::FreezeAccounts) {
            links.push(("/review", t.nav_review));
        }
        if role.permits(Permission::ReviewOutcomes) {
            links.push(("/review/outcomes", t.nav_outcome_review));
        }
        if role.permits(Permission::ManageInstitutions)
            || role.permits(Permission::ViewInstitution) && !role.is_institution_staff()
        {
            links.push(("/admin/institutions", t.nav_institutions));
        }
        if role.permits(Permission::ManageUsers) {
            links.push(("/admin/users", t.nav_users));
        }
        if role.permits(Permission::ReadAudit) {
            links.push(("/admin/audit", t.nav_audit));
        }
    }
    links.push(("/bank", t.nav_bank));
    // The current link is the longest one the path starts with ("/me/archive" over "/me").
    let current = links
        .iter()
        .map(|(href, _)| *href)
        .filter(|href| {
            if *href == "/" {
                path == "/"
            } else {
                path == *href || path.starts_with(&format!("{href}/"))
            }
        })
        .max_by_key(|href| href.len());
    links
        .into_iter()
        .map(|(href, label)| NavLink {
            href,
            label,
            current: Some(href) == current,
        })
        .collect()
}

/// Renders a template, or a plain 500 when it cannot be.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// The file format of a downloadable upload template.
#[derive(Debug, Clone, Copy)]
pub enum TemplateFormat {
    Xlsx,
    Csv,
}

/// An upload template (`{stem}-template.xlsx|csv`) with the schema's headers in `lang` and
/// example rows, as a download.
pub fn template_download(
    schema: &lifelong_import::Schema,
    lang: Lang,
    examples: &[&[&str]],
    format: TemplateFormat,
    stem: &str,
) -> Result<Response, PageError> {
    let (content_type, extension, bytes) = match format {
        TemplateFormat::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            lifelong_import::template_xlsx(schema, lang, examples).map_err(AppError::File)?,
        ),
        TemplateFormat::Csv => (
            "text/csv; charset=utf-8",
            "csv",
            lifelong_import::template_csv(schema, lang, examples),
        ),
    };
    let disposition = format!("attachment; filename=\"{stem}-template.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// A form shown again after a refusal, with the refusal's status (422, 409, …).
pub fn refused(template: &impl Template, error: &AppError) -> Response {
    let mut response = render(template);
    *response.status_mut() = crate::error::status_of(error);
    response
}

/// A field's error message, for forms re-shown with their errors.
pub struct FieldMessage {
    pub field: &'static str,
    pub message: String,
}

/// The messages of a refused form, by field; other refusals as one general message.
pub fn form_errors(error: &AppError, lang: Lang) -> Vec<FieldMessage> {
    match error {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| FieldMessage {
                field: f.field,
                message: f.message(lang).to_owned(),
            })
            .collect(),
        other => vec![FieldMessage {
            field: "",
            message: other.message(lang),
        }],
    }
}

/// Whether an error should be shown on the form (rather than as an error page).
pub fn is_form_error(error: &AppError) -> bool {
    !matches!(
        error,
        AppError::Internal(_) | AppError::Forbidden | AppError::Unauthenticated
    )
}

/// Looks up the message for one field among a form's errors.
pub fn error_for<'a>(errors: &'a [FieldMessage], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    code: &'static str,
    message: String,
}

/// The error page, or a redirect to sign in for pages that need it.
pub fn error_page(
    state: &AppState,
    error: &AppError,
    lang: Lang,
    path: &str,
    status: StatusCode,
) -> Response {
    let _ = state;
    if matches!(error, AppError::Unauthenticated) {
        let next = urlencode(path);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let page = Page {
        lang,
        user: None,
        large_text: false,
        csrf: String::new(),
        path: path.to_owned(),
    };
    let t = page.t();
    let template = ErrorPage {
        chrome: page.chrome(t.error_title),
        status: status.as_u16(),
        code: error.code(),
        message: error.message(lang),
    };
    let mut response = render(&template);
    *response.status_mut() = status;
    response
}

/// The page for unknown paths (JSON under `/api/`).
pub async fn not_found(page: Page) -> Response {
    if page.path.starts_with("/api/") {
        return crate::error::ApiError(AppError::NotFound).into_response();
    }
    PageError(AppError::NotFound).into_response()
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s[2..].to_owned())
        .unwrap_or_default()
}

/// Only local paths may be redirect targets (no open redirects).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

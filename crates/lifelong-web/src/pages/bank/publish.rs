//! Publishing a draft (reviewers, R17): from a start date, until an optional end date; the
//! code's published version is superseded the day before the new one starts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::publication::day;
use lifelong_core::role::Permission;
use serde::Deserialize;

use super::manage::{
    draft_key, manage_page, versioned_from, Attempt, ManageState, ManageTexts, Problem,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::{form_errors, is_form_error, FieldMessage, Page};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

fn field(field: &'static str, message: &str) -> FieldMessage {
    FieldMessage {
        field,
        message: message.to_owned(),
    }
}

/// `POST /bank/publish/{what}/{code}/{version}`: publishes a draft from a date.
pub async fn publish(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path((what, code, version)): Path<(String, String, u32)>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let m = ManageTexts::get(page.lang);
    let kind = versioned_from(&what).ok_or(PageError(AppError::NotFound))?;
    let key = draft_key(kind.as_str(), &code, version);
    let mut errors = Vec::new();
    let from = match form.from.trim() {
        "" => {
            errors.push(field("from", m.from_required));
            None
        }
        text => day::parse(text).or_else(|| {
            errors.push(field("from", m.bad_date));
            None
        }),
    };
    let until = match form.until.trim() {
        "" => None,
        text => day::parse(text).or_else(|| {
            errors.push(field("until", m.bad_date));
            None
        }),
    };
    let refused = |errors: Vec<FieldMessage>, status: StatusCode| {
        let problems = errors
            .iter()
            .map(|e| Problem {
                anchor: if e.field.is_empty() {
                    format!("draft-{key}")
                } else {
                    format!("{}-{key}", e.field)
                },
                message: e.message.clone(),
            })
            .collect();
        let extra = ManageState {
            problems,
            attempt: Some(Attempt {
                key: key.clone(),
                from: form.from.clone(),
                until: form.until.clone(),
                errors,
            }),
            ..Default::default()
        };
        let (state, page) = (&state, &page);
        async move { manage_page(state, page, extra, status).await }
    };
    let Some(from) = from.filter(|_| errors.is_empty()) else {
        return refused(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let superseding = state.app.published_version(kind, &code).await?.is_some();
    match state
        .app
        .publish(&signed.actor, kind, &code, version, from, until)
        .await
    {
        Ok(()) => {
            tracing::info!(
                what = kind.as_str(),
                version,
                "catalog draft published from the web"
            );
            let done = if superseding {
                "superseded"
            } else {
                "published"
            };
            Ok(Redirect::to(&format!("/bank/manage?done={done}")).into_response())
        }
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let status = crate::error::status_of(&e);
            refused(form_errors(&e, page.lang), status).await
        }
        Err(e) => Err(e.into()),
    }
}

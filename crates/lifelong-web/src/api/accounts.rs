//! Accounts through the API: open one (idempotent), list the institution's, read one.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use lifelong_app::{AppError, OpenAccountInput};
use lifelong_core::account::AccountStatus;
use lifelong_store::{AccountFilter, AccountId, Cursor, Opened};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::dto::{AccountBody, AccountPage, ErrorBody, OpenedBody};
use super::JsonBody;
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::i18n::request_lang;
use crate::state::AppState;

/// The body of `POST /api/v1/accounts`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenAccountRequest {
    #[schema(example = "张三")]
    pub name: String,
    #[schema(example = "11010519491231002X")]
    pub id_number: String,
    #[schema(example = "13800138000")]
    pub mobile: Option<String>,
    /// Needed for a learner under 14 (the guardian who consented).
    pub guardian_name: Option<String>,
}

/// Opens a learning account for a learner of the institution. When the person already has
/// an account it is linked to the institution and returned with `created: false` (200).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = OpenAccountRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and body replay the first answer.")),
    responses((status = 201, body = OpenedBody), (status = 200, body = OpenedBody),
        (status = 422, body = ErrorBody, description = "Invalid fields"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn open_account(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: axum::http::HeaderMap,
    JsonBody(body): JsonBody<OpenAccountRequest>,
) -> Result<(StatusCode, Json<OpenedBody>), ApiError> {
    let input = OpenAccountInput {
        name: body.name,
        id_number: body.id_number,
        mobile: body.mobile,
        guardian_name: body.guardian_name,
    };
    let opened = state
        .app
        .open_account(&actor, input, request_lang(&headers))
        .await?;
    Ok(match opened {
        Opened::Created(a) => (
            StatusCode::CREATED,
            Json(OpenedBody {
                created: true,
                account: a.into(),
            }),
        ),
        Opened::Existing(a) => (
            StatusCode::OK,
            Json(OpenedBody {
                created: false,
                account: a.into(),
            }),
        ),
    })
}

/// Query of account lists.
#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Page size, 1–500 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `registered`, `verified`, `frozen` or `closed`.
    pub status: Option<String>,
}

/// The institution's learners' accounts, oldest first.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(ListQuery),
    responses((status = 200, body = AccountPage), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_accounts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<ListQuery>,
) -> Result<Json<AccountPage>, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(AccountStatus::parse(s).ok_or(AppError::Invalid(vec![
            lifelong_app::FieldError::text(
                "status",
                "status_invalid",
                "状态应为 registered、verified、frozen 或 closed。",
                "The status must be registered, verified, frozen or closed.",
            ),
        ]))?),
        None => None,
    };
    let filter = AccountFilter {
        status,
        ..Default::default()
    };
    let page = state
        .app
        .list_accounts(&actor, filter, None, &Cursor::new(q.cursor, q.limit))
        .await?;
    Ok(Json(page.into()))
}

/// One account of the institution's learners.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, body = AccountBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_account(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<AccountBody>, ApiError> {
    let id = AccountId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(Json(state.app.account(&actor, &id).await?.into()))
}

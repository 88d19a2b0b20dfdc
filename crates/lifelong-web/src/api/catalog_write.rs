//! Writing the catalog through the API. The bank's catalog — units, recognition standards,
//! conversion rules, the framework — is maintained by the bank's reviewers, so an institution
//! token is refused (403) before its body is even read. An institution may keep its own
//! programmes: `PUT /api/v1/programmes/{code}` for a programme naming its credit code.

use axum::extract::{Path, State};
use axum::Json;
use lifelong_app::{AppError, FieldError};
use lifelong_core::framework::Framework;
use lifelong_core::programme::{ConversionRule, Programme};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use serde::de::DeserializeOwned;

use super::dto::ErrorBody;
use super::JsonBody;
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::state::AppState;

/// Reads a catalog item from a JSON body that passed the permission check.
fn read<T: DeserializeOwned>(body: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|e| {
        ApiError(AppError::Invalid(vec![FieldError::text(
            "body",
            "json_fields_invalid",
            &format!("请求体的字段有误：{e}"),
            &format!("The request body's fields are not valid: {e}"),
        )]))
    })
}

fn saved(item: impl serde::Serialize) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "saved": item }))
}

/// Saves a draft accreditation unit (the bank's reviewers only).
#[utoipa::path(post, path = "/api/v1/units", tag = "catalog", request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn save_unit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    actor.require(Permission::ManageCatalog)?;
    let unit: Unit = read(body)?;
    state.app.save_unit(&actor, &unit).await?;
    Ok(saved(&unit))
}

/// Saves a draft recognition standard (the bank's reviewers only).
#[utoipa::path(post, path = "/api/v1/standards", tag = "catalog", request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn save_standard(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    actor.require(Permission::ManageCatalog)?;
    let standard: RecognitionStandard = read(body)?;
    state.app.save_standard(&actor, &standard).await?;
    Ok(saved(&standard))
}

/// Saves a draft conversion rule (the bank's reviewers only).
#[utoipa::path(post, path = "/api/v1/rules", tag = "catalog", request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn save_rule(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    actor.require(Permission::ManageCatalog)?;
    let rule: ConversionRule = read(body)?;
    state.app.save_rule(&actor, &rule).await?;
    Ok(saved(&rule))
}

/// Replaces the default qualifications framework (the bank's reviewers only).
#[utoipa::path(put, path = "/api/v1/framework", tag = "catalog", request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn save_framework(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    actor.require(Permission::ManageCatalog)?;
    let framework: Framework = read(body)?;
    state.app.save_framework(&actor, &framework).await?;
    Ok(saved(&framework))
}

/// Adds or changes one of the institution's own programmes: `institution` must be the
/// token's credit code, and the code in the path the programme's.
#[utoipa::path(put, path = "/api/v1/programmes/{code}", tag = "catalog", request_body = Object,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn save_own_programme(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    actor.require(Permission::DecideConversions)?;
    let programme: Programme = read(body)?;
    if programme.code != code {
        return Err(ApiError(AppError::Invalid(vec![FieldError::text(
            "code",
            "code_mismatch",
            "请求体中的专业编码与路径中的不一致。",
            "The programme code in the body differs from the one in the path.",
        )])));
    }
    state.app.save_own_programme(&actor, &programme).await?;
    Ok(saved(&programme))
}

//! The credit bank's published catalog through the API: the framework and the level mappings
//! onto it, units, recognition standards, programmes and conversion rules. Read-only here; the
//! bank maintains them on its pages and with `lifelong bank import`.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::ErrorBody;
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::state::AppState;

/// The default qualifications framework: levels with knowledge, skill and competence descriptors.
#[utoipa::path(get, path = "/api/v1/framework", tag = "catalog",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn framework(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        serde_json::to_value(state.app.framework().await?).unwrap_or_default(),
    ))
}

/// The level mappings onto the default framework (R12): for each other framework (the EQF,
/// Guangdong's …) its code, name and `pairs` of `[their level, our level]`, lowest first. They
/// are guidance for people placing a qualification, not recognition decisions.
#[utoipa::path(get, path = "/api/v1/framework/mappings", tag = "catalog",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn level_mappings(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Result<Json<serde_json::Value>, ApiError> {
    let items = state.app.level_mappings().await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

/// Query of the unit list.
#[derive(Deserialize, IntoParams)]
pub struct UnitQuery {
    /// Part of a code or Chinese title.
    pub q: Option<String>,
}

/// Accreditation units, every version.
#[utoipa::path(get, path = "/api/v1/units", tag = "catalog", params(UnitQuery),
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn units(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
    Query(q): Query<UnitQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let units = state.app.units(q.q.as_deref()).await?;
    Ok(Json(serde_json::json!({ "items": units })))
}

/// Recognition standards, every version.
#[utoipa::path(get, path = "/api/v1/standards", tag = "catalog",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn standards(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        serde_json::json!({ "items": state.app.standards().await? }),
    ))
}

/// Programmes with their courses and caps.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "catalog",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn programmes(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
) -> Result<Json<serde_json::Value>, ApiError> {
    let items: Vec<_> = state
        .app
        .programmes()
        .await?
        .into_iter()
        .map(|p| p.programme)
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}

/// One programme with its conversion rules (every version).
#[utoipa::path(get, path = "/api/v1/programmes/{code}", tag = "catalog",
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn programme(
    State(state): State<AppState>,
    ApiActor(_actor): ApiActor,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = state.app.programme(&code).await?;
    let rules = state.app.conversion_rules(Some(&code)).await?;
    Ok(Json(
        serde_json::json!({ "programme": p.programme, "rules": rules }),
    ))
}

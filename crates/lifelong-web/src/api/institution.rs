//! `GET /api/v1/institution`: the institution the token belongs to.

use axum::extract::State;
use axum::Json;

use super::dto::{ErrorBody, InstitutionBody};
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::state::AppState;

/// The token's institution.
#[utoipa::path(get, path = "/api/v1/institution", tag = "institution",
    responses((status = 200, body = InstitutionBody), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_institution(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<InstitutionBody>, ApiError> {
    let id = actor.own_institution()?.clone();
    Ok(Json(state.app.institution(&actor, &id).await?.into()))
}

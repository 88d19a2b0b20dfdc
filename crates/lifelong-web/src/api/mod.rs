//! The JSON API under `/api/v1`, for institution systems. Every route but the OpenAPI
//! document needs a bearer token; POSTs honour `Idempotency-Key`. Lists page by cursor
//! (`?limit=&cursor=` → `next_cursor`). Errors are `{"error":{"code","message"}}` in the
//! request's language.

mod accounts;
mod catalog;
mod catalog_write;
mod conversion;
mod dto;
mod idempotency;
mod institution;
mod openapi;
mod outcomes;
mod uploads;

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_core::Lang;

use crate::error::plain_error;
use crate::state::AppState;

/// The API routes.
pub fn router(state: &AppState) -> Router<AppState> {
    let protected = Router::new()
        .route("/institution", get(institution::get_institution))
        .route(
            "/accounts",
            post(accounts::open_account).get(accounts::list_accounts),
        )
        .route("/accounts/{id}", get(accounts::get_account))
        .route("/accounts/bulk", post(uploads::bulk_open))
        .route("/uploads", get(uploads::list_uploads))
        .route("/uploads/{id}/commit", post(uploads::commit_upload))
        .route("/outcomes", post(outcomes::deposit))
        .route("/outcomes/{id}", get(outcomes::get_outcome))
        .route("/outcomes/bulk", post(outcomes::bulk_deposit))
        .route(
            "/outcomes/uploads/{id}/commit",
            post(outcomes::commit_upload),
        )
        .route(
            "/framework",
            get(catalog::framework).put(catalog_write::save_framework),
        )
        .route("/units", get(catalog::units).post(catalog_write::save_unit))
        .route(
            "/standards",
            get(catalog::standards).post(catalog_write::save_standard),
        )
        .route("/rules", post(catalog_write::save_rule))
        .route(
            "/units/{code}/{version}/publish",
            post(catalog_write::publish_unit),
        )
        .route(
            "/standards/{code}/{version}/publish",
            post(catalog_write::publish_standard),
        )
        .route(
            "/rules/{code}/{version}/publish",
            post(catalog_write::publish_rule),
        )
        .route("/framework/mappings", get(catalog::level_mappings))
        .route("/programmes", get(catalog::programmes))
        .route(
            "/programmes/{code}",
            get(catalog::programme).put(catalog_write::save_own_programme),
        )
        .route("/programmes/{code}/audit", get(conversion::cohort_audit))
        .route("/conversions", get(conversion::list_conversions))
        .route("/conversions/{id}", get(conversion::get_conversion))
        .route(
            "/conversions/{id}/decide",
            post(conversion::decide_conversion),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::idempotency,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::api::authenticate,
        ));
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .merge(protected)
        .fallback(|| async { crate::error::ApiError(lifelong_app::AppError::NotFound) })
}

/// A JSON body whose syntax errors answer in the API's error format.
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = crate::i18n::request_lang(req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                let (status, code) = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => (
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "json_content_type_required",
                    ),
                    JsonRejection::JsonDataError(_) => {
                        (StatusCode::UNPROCESSABLE_ENTITY, "json_fields_invalid")
                    }
                    _ => (StatusCode::BAD_REQUEST, "json_invalid"),
                };
                let message = match lang {
                    Lang::Zh => format!("请求体不是有效的 JSON：{}", rejection.body_text()),
                    Lang::En => format!(
                        "The request body is not valid JSON: {}",
                        rejection.body_text()
                    ),
                };
                Err(plain_error(status, code, &message).into_response())
            }
        }
    }
}

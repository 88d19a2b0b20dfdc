//! Bulk opening through the API: send the file's bytes (CSV or .xlsx) as the body; a dry run
//! answers with the report and an `upload_id` to confirm, or commit at once.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use lifelong_app::AppError;
use lifelong_store::{Cursor, UploadId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::{BulkReportBody, ErrorBody, UploadBody, UploadPage};
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::i18n::request_lang;
use crate::state::AppState;

/// Query of `POST /api/v1/accounts/bulk`.
#[derive(Deserialize, IntoParams)]
pub struct BulkQuery {
    /// `true` (default): check only and keep the file for confirmation. `false`: open the
    /// accounts now if the file has no errors.
    pub dry_run: Option<bool>,
    /// The file's name, for the institution's records.
    pub file_name: Option<String>,
}

/// Opens accounts in bulk from a CSV (UTF-8, UTF-16 or GB18030) or .xlsx body. All or none:
/// a file with any row error opens nothing and answers 422 with the report.
#[utoipa::path(post, path = "/api/v1/accounts/bulk", tag = "accounts", params(BulkQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe.")),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The file: CSV or .xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet). Columns: name, id_number; optional mobile, guardian_name (Chinese headers accepted)."),
    responses((status = 200, body = BulkReportBody, description = "Dry run"), (status = 201, body = BulkReportBody, description = "Committed"),
        (status = 422, body = ErrorBody, description = "Bad file, or rows with errors (the report is in error.report)"),
        (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn bulk_open(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Query(q): Query<BulkQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<BulkReportBody>), ApiError> {
    let lang = request_lang(&headers);
    let name = q.file_name.unwrap_or_else(|| "api-upload".to_owned());
    if q.dry_run.unwrap_or(true) {
        let report = state
            .app
            .check_bulk_file(&actor, &name, &body, lang)
            .await?;
        let status = if report.error_count > 0 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        Ok((status, Json(report.into())))
    } else {
        let report = state
            .app
            .open_accounts_from_file(&actor, &name, &body, lang)
            .await?;
        Ok((StatusCode::CREATED, Json(report.into())))
    }
}

/// Confirms a dry-run upload: opens all its accounts, or none.
#[utoipa::path(post, path = "/api/v1/uploads/{id}/commit", tag = "accounts",
    params(("id" = String, Path, description = "upload_id from the dry run")),
    responses((status = 201, body = BulkReportBody), (status = 409, body = ErrorBody, description = "Already committed"),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn commit_upload(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<BulkReportBody>), ApiError> {
    let id = UploadId::parse(&id).ok_or(AppError::NotFound)?;
    let report = state
        .app
        .commit_bulk_file(&actor, &id, request_lang(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}

/// Query of upload lists.
#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The institution's uploads, newest first.
#[utoipa::path(get, path = "/api/v1/uploads", tag = "accounts", params(PageQuery),
    responses((status = 200, body = UploadPage)), security(("bearer" = [])))]
pub async fn list_uploads(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<PageQuery>,
) -> Result<Json<UploadPage>, ApiError> {
    let page = state
        .app
        .list_uploads(&actor, &Cursor::new(q.cursor, q.limit))
        .await?;
    Ok(Json(UploadPage {
        items: page.items.into_iter().map(UploadBody::from).collect(),
        next_cursor: page.next,
    }))
}

//! Outcomes through the API (R7, R15): deposit one (idempotent by `external_id` and by
//! `Idempotency-Key`), read one, deposit a file in bulk with a dry run, and confirm it.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use lifelong_app::bank::{DepositInput, DepositReport, Deposited, OutcomeInput};
use lifelong_app::AppError;
use lifelong_store::{OutcomeId, StoredOutcome, UploadId};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ErrorBody, RowErrorBody};
use super::JsonBody;
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::i18n::request_lang;
use crate::state::AppState;

/// Reads a JSON string, number or boolean as its text.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(serde_json::Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected a string or a number, not {other}"
        ))),
    }
}

/// The body of `POST /api/v1/outcomes`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepositRequest {
    /// The learner's resident ID number; the learner must have a learning account.
    #[schema(example = "11010519491231002X")]
    pub id_number: String,
    /// The institution's own record id. Depositing it again returns the first record (200).
    #[schema(example = "CERT-2025-000123")]
    pub external_id: Option<String>,
    #[schema(example = "电工（四级）")]
    pub title: String,
    /// `course_credit`, `diploma`, `vocational_certificate`, `skill_certificate`,
    /// `exam_certificate`, `self_study_exam`, `training`, `community_course`, `elderly_course`,
    /// `enterprise_training`, `online_course`, `award`, `volunteering` or `activity`.
    #[schema(example = "skill_certificate")]
    pub kind: String,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(example = "2025-06-30")]
    pub completed_on: String,
    /// `formal`, `non_formal` or `informal` (default by kind).
    pub class: Option<String>,
    /// `academic`, `vocational` or `leisure` (default by kind).
    pub category: Option<String>,
    /// Industry section letter A–T.
    pub industry: Option<String>,
    /// Framework level 1–10.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<u8>)]
    pub level: Option<String>,
    /// `classroom`, `online`, `blended`, `workplace`, `team`, `experience`, `walk`, `self_study`.
    pub mode: Option<String>,
    /// Study hours, exact to one decimal (`"32"` or `32`).
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>, example = "32")]
    pub hours: Option<String>,
    /// Credits the institution awarded, exact to two decimals.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>, example = "2.5")]
    pub credits: Option<String>,
    /// Score on the assessment's own scale.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>, example = "86.5")]
    pub score: Option<String>,
    /// Whether the learner passed (default true).
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<bool>)]
    pub passed: Option<String>,
    /// Certificate name code, e.g. an occupation code.
    #[schema(example = "6-31-01-03")]
    pub certificate_code: Option<String>,
    /// Certificate level 1 (highest) to 5.
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<u8>, example = 4)]
    pub certificate_level: Option<String>,
    pub course_code: Option<String>,
}

impl From<DepositRequest> for DepositInput {
    fn from(r: DepositRequest) -> Self {
        DepositInput {
            id_number: r.id_number,
            external_id: r.external_id,
            outcome: OutcomeInput {
                title: r.title,
                kind: r.kind,
                class: r.class,
                category: r.category,
                industry: r.industry,
                level: r.level,
                mode: r.mode,
                completed_on: r.completed_on,
                hours: r.hours,
                credits: r.credits,
                score: r.score,
                passed: r.passed,
                certificate_code: r.certificate_code,
                certificate_level: r.certificate_level,
                course_code: r.course_code,
            },
        }
    }
}

/// A deposited outcome.
#[derive(Serialize, ToSchema)]
pub struct DepositedOutcomeBody {
    pub id: String,
    pub account_id: String,
    pub external_id: Option<String>,
    /// `pending`, `more_evidence`, `accepted`, `rejected` or `revoked`.
    pub status: String,
    /// When a decision is due, for outcomes waiting for review.
    pub due_on: Option<String>,
    /// The archive entry, once it counts.
    pub entry_id: Option<String>,
    /// The outcome as recorded.
    #[schema(value_type = Object)]
    pub outcome: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: time::OffsetDateTime,
}

impl From<StoredOutcome> for DepositedOutcomeBody {
    fn from(o: StoredOutcome) -> Self {
        DepositedOutcomeBody {
            id: o.id.to_string(),
            account_id: o.account_id.to_string(),
            external_id: o.external_id,
            status: o.status.as_str().to_owned(),
            due_on: o.due_on.map(lifelong_core::publication::day::format),
            entry_id: o.entry_id.map(|e| e.to_string()),
            outcome: serde_json::to_value(&o.outcome).unwrap_or_default(),
            submitted_at: o.submitted_at,
        }
    }
}

/// The answer to a deposit.
#[derive(Serialize, ToSchema)]
pub struct DepositAnswer {
    /// False when the external id had been deposited before (nothing changed).
    pub created: bool,
    pub outcome: DepositedOutcomeBody,
}

/// Deposits one outcome of a learner. From a trusted institution it counts at once (and is
/// recognised under the standards in force); otherwise it waits for a reviewer.
#[utoipa::path(post, path = "/api/v1/outcomes", tag = "outcomes",
    request_body = DepositRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe.")),
    responses((status = 201, body = DepositAnswer), (status = 200, body = DepositAnswer, description = "Deposited before"),
        (status = 422, body = ErrorBody, description = "Invalid fields, or unknown learner"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn deposit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    JsonBody(body): JsonBody<DepositRequest>,
) -> Result<(StatusCode, Json<DepositAnswer>), ApiError> {
    let input: DepositInput = body.into();
    Ok(match state.app.deposit_outcome(&actor, &input).await? {
        Deposited::Created(o) => (
            StatusCode::CREATED,
            Json(DepositAnswer {
                created: true,
                outcome: o.into(),
            }),
        ),
        Deposited::Existing(o) => (
            StatusCode::OK,
            Json(DepositAnswer {
                created: false,
                outcome: o.into(),
            }),
        ),
    })
}

/// One outcome the institution deposited.
#[utoipa::path(get, path = "/api/v1/outcomes/{id}", tag = "outcomes",
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 200, body = DepositedOutcomeBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_outcome(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<DepositedOutcomeBody>, ApiError> {
    let id = OutcomeId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(Json(state.app.deposited_outcome(&actor, &id).await?.into()))
}

/// Query of `POST /api/v1/outcomes/bulk`.
#[derive(Deserialize, IntoParams)]
pub struct BulkQuery {
    /// `true` (default): check only and keep the file for confirmation. `false`: deposit now
    /// if the file has no errors.
    pub dry_run: Option<bool>,
    pub file_name: Option<String>,
}

/// What a deposit file's check found, or what its confirmation did.
#[derive(Serialize, ToSchema)]
pub struct DepositReportBody {
    pub upload_id: Option<String>,
    pub file_name: String,
    pub format: String,
    pub rows: usize,
    pub to_deposit: usize,
    pub to_accept: usize,
    pub to_recognise: usize,
    pub already_deposited: usize,
    pub error_count: usize,
    pub errors: Vec<RowErrorBody>,
    pub ignored_headers: Vec<String>,
    /// After confirmation: `{created, accepted, unchanged}`.
    #[schema(value_type = Option<Object>)]
    pub outcome: Option<serde_json::Value>,
}

impl From<DepositReport> for DepositReportBody {
    fn from(r: DepositReport) -> Self {
        DepositReportBody {
            upload_id: r.upload_id.map(|u| u.to_string()),
            file_name: r.file_name,
            format: r.format.extension().to_owned(),
            rows: r.rows,
            to_deposit: r.to_deposit,
            to_accept: r.to_accept,
            to_recognise: r.to_recognise,
            already_deposited: r.already_deposited,
            error_count: r.error_count,
            errors: r
                .errors
                .into_iter()
                .map(|e| RowErrorBody {
                    row: e.row,
                    column: e.column,
                    code: e.code,
                    message: e.message,
                })
                .collect(),
            ignored_headers: r.ignored_headers,
            outcome: r.outcome.and_then(|o| serde_json::to_value(o).ok()),
        }
    }
}

/// Deposits outcomes from a CSV or .xlsx body. All or none: a file with any row error
/// deposits nothing and answers 422 with the report. Rows already deposited are left alone.
#[utoipa::path(post, path = "/api/v1/outcomes/bulk", tag = "outcomes", params(BulkQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe.")),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "Columns: id_number, external_id, title, kind, completed_on; optional hours, credits, score, passed, certificate_code, certificate_level, course_code, level, category, class, industry, mode (Chinese headers accepted)."),
    responses((status = 200, body = DepositReportBody, description = "Dry run"), (status = 201, body = DepositReportBody, description = "Deposited"),
        (status = 422, body = ErrorBody, description = "Bad file, or rows with errors (the report is in error.report)")),
    security(("bearer" = [])))]
pub async fn bulk_deposit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Query(q): Query<BulkQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<DepositReportBody>), ApiError> {
    let lang = request_lang(&headers);
    let name = q.file_name.unwrap_or_else(|| "api-upload".to_owned());
    if q.dry_run.unwrap_or(true) {
        let report = state
            .app
            .check_deposit_upload(&actor, &name, &body, lang)
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
            .deposit_outcomes_from_file(&actor, &name, &body, lang)
            .await?;
        Ok((StatusCode::CREATED, Json(report.into())))
    }
}

/// Confirms a dry-run deposit file: deposits every row, or none.
#[utoipa::path(post, path = "/api/v1/outcomes/uploads/{id}/commit", tag = "outcomes",
    params(("id" = String, Path, description = "upload_id from the dry run")),
    responses((status = 201, body = DepositReportBody), (status = 409, body = ErrorBody, description = "Already committed"),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn commit_upload(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DepositReportBody>), ApiError> {
    let id = UploadId::parse(&id).ok_or(AppError::NotFound)?;
    let report = state
        .app
        .commit_deposit_upload(&actor, &id, request_lang(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}

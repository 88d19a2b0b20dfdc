//! Conversion through the API, for the receiving institution's systems (R16–R23): the
//! applications into its programmes, one with the engine's current verdict on each pair, the
//! decision (with the `version` read, so a second decision is 409 `already_decided`), and the
//! cohort audit of a programme. Another institution's applications and programmes are 404.

use axum::extract::{Path, Query, State};
use axum::Json;
use lifelong_app::bank::{ConversionRecord, ConversionReview};
use lifelong_app::AppError;
use lifelong_core::conversion::ExemptionRequest;
use lifelong_store::{ApplicationId, ApplicationStatus, ConversionApplication, Cursor};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::ErrorBody;
use super::JsonBody;
use crate::auth::api::ApiActor;
use crate::error::ApiError;
use crate::state::AppState;

/// A conversion application.
#[derive(Serialize, ToSchema)]
pub struct ConversionApplicationBody {
    pub id: String,
    pub account_id: String,
    pub programme_code: String,
    /// `pending` or `decided`.
    pub status: String,
    /// The application date; the rules in force on it apply (R17).
    pub applied_on: String,
    pub due_on: String,
    pub overdue: bool,
    /// The pairs asked for: `{outcome_id, course_code}`.
    #[schema(value_type = Vec<Object>)]
    pub requested: Vec<ExemptionRequest>,
    /// Send it back with a decision.
    pub version: i64,
    /// The engine's answer on the application date, as recorded then.
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<ConversionRecord>,
    /// The decision, once decided: each pair's verdict, reasons and words (R23).
    #[schema(value_type = Option<Object>)]
    pub decision: Option<ConversionRecord>,
}

impl ConversionApplicationBody {
    fn of(a: ConversionApplication, overdue: bool) -> Self {
        ConversionApplicationBody {
            id: a.id.to_string(),
            account_id: a.account_id.to_string(),
            programme_code: a.programme_code,
            status: a.status.as_str().to_owned(),
            applied_on: lifelong_core::publication::day::format(a.applied_on),
            due_on: lifelong_core::publication::day::format(a.due_on),
            overdue,
            requested: a.requested,
            version: a.version,
            explanation: ConversionRecord::read(&a.explanation),
            decision: a.decision.as_deref().and_then(ConversionRecord::read),
        }
    }
}

/// A page of applications.
#[derive(Serialize, ToSchema)]
pub struct ConversionPage {
    pub items: Vec<ConversionApplicationBody>,
    pub next_cursor: Option<String>,
}

/// One application with the engine's verdicts now.
#[derive(Serialize, ToSchema)]
pub struct ConversionReviewBody {
    pub application: ConversionApplicationBody,
    /// Each requested pair checked again on the application date, counting the exemptions
    /// the learner holds now.
    #[schema(value_type = Object)]
    pub current: ConversionRecord,
}

impl From<ConversionReview> for ConversionReviewBody {
    fn from(r: ConversionReview) -> Self {
        ConversionReviewBody {
            application: ConversionApplicationBody::of(r.application, r.overdue),
            current: r.current,
        }
    }
}

/// Query of the application list.
#[derive(Deserialize, IntoParams)]
pub struct ConversionQuery {
    /// `pending` (default) or `decided`; `all` for both.
    pub status: Option<String>,
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Applications into the institution's programmes, oldest due first.
#[utoipa::path(get, path = "/api/v1/conversions", tag = "conversion", params(ConversionQuery),
    responses((status = 200, body = ConversionPage), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_conversions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<ConversionQuery>,
) -> Result<Json<ConversionPage>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => Some(ApplicationStatus::Pending),
        Some("all") => None,
        Some(s) => Some(ApplicationStatus::parse(s).ok_or(AppError::Invalid(vec![
            lifelong_app::FieldError::text(
                "status",
                "status_invalid",
                "状态须为 pending、decided 或 all。",
                "status must be pending, decided or all.",
            ),
        ]))?),
    };
    let page = state
        .app
        .conversion_queue(&actor, status, &Cursor::new(q.cursor, q.limit))
        .await?;
    Ok(Json(ConversionPage {
        items: page
            .items
            .into_iter()
            .map(|i| ConversionApplicationBody::of(i.application, i.overdue))
            .collect(),
        next_cursor: page.next,
    }))
}

fn parse_id(id: &str) -> Result<ApplicationId, ApiError> {
    Ok(ApplicationId::parse(id).ok_or(AppError::NotFound)?)
}

/// One application with the engine's current verdict on each pair.
#[utoipa::path(get, path = "/api/v1/conversions/{id}", tag = "conversion",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, body = ConversionReviewBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_conversion(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ConversionReviewBody>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(state.app.conversion_review(&actor, &id).await?.into()))
}

/// A pair to accept.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairBody {
    pub outcome_id: String,
    pub course_code: String,
}

/// The body of a decision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    /// The application's `version` as read.
    pub version: i64,
    /// The pairs to accept; every other requested pair is refused.
    #[serde(default)]
    pub accept: Vec<PairBody>,
    /// Needed when any requested pair is not accepted; the applicant reads it.
    #[serde(default)]
    pub reason: String,
}

/// Decides an application: the accepted pairs are checked again on the application date and
/// recorded as exemptions (grade 免考) in the learner's archive if they still pass; the rest
/// are refused with the reason. 409 `already_decided` when it was decided meanwhile.
#[utoipa::path(post, path = "/api/v1/conversions/{id}/decide", tag = "conversion",
    params(("id" = String, Path, description = "Application id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe.")),
    request_body = DecideRequest,
    responses((status = 200, body = ConversionApplicationBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already_decided or outcome_already_used"),
        (status = 422, body = ErrorBody, description = "reason_required")),
    security(("bearer" = [])))]
pub async fn decide_conversion(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecideRequest>,
) -> Result<Json<ConversionApplicationBody>, ApiError> {
    let id = parse_id(&id)?;
    let accept: Vec<ExemptionRequest> = body
        .accept
        .into_iter()
        .map(|p| ExemptionRequest::new(p.outcome_id, p.course_code))
        .collect();
    let decided = state
        .app
        .decide_conversion(&actor, &id, body.version, &accept, &body.reason)
        .await?;
    Ok(Json(ConversionApplicationBody::of(decided, false)))
}

/// One learner's figures in the cohort audit.
#[derive(Serialize, ToSchema)]
pub struct CohortRowBody {
    pub account_id: String,
    pub name: String,
    pub earned: String,
    pub converted: String,
    pub missing: String,
    pub compulsory_missing: u32,
    pub awardable: bool,
}

/// The cohort audit of a programme.
#[derive(Serialize, ToSchema)]
pub struct CohortBody {
    pub programme_code: String,
    pub award_credits: String,
    pub items: Vec<CohortRowBody>,
}

/// The qualification audit of every learner of the institution against one of its programmes.
#[utoipa::path(get, path = "/api/v1/programmes/{code}/audit", tag = "conversion",
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = CohortBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn cohort_audit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
) -> Result<Json<CohortBody>, ApiError> {
    let audit = state.app.cohort_audit(&actor, &code).await?;
    Ok(Json(CohortBody {
        programme_code: audit.programme.code.clone(),
        award_credits: audit.programme.award_credits.to_string(),
        items: audit
            .rows
            .into_iter()
            .map(|(account, row)| CohortRowBody {
                account_id: account.id.to_string(),
                name: account.name.to_string(),
                earned: row.tally.earned.to_string(),
                converted: row.tally.converted.to_string(),
                missing: row.tally.missing.to_string(),
                compulsory_missing: row.tally.compulsory_missing,
                awardable: row.tally.awardable,
            })
            .collect(),
    }))
}

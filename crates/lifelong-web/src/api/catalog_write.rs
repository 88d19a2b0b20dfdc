//! Writing the catalog through the API. The bank's catalog — units, recognition standards,
//! conversion rules, the framework — is maintained by the bank's reviewers: saving drafts and
//! publishing them with an effective window (`POST /api/v1/{units,standards,rules}/{code}/
//! {version}/publish`). An institution token is refused (403) before its body is even read.
//! An institution may keep its own programmes: `PUT /api/v1/programmes/{code}` for a
//! programme naming its credit code (programmes have no versions: that change applies at once).

use axum::extract::{Path, State};
use axum::Json;
use lifelong_app::{Actor, AppError, FieldError};
use lifelong_core::framework::Framework;
use lifelong_core::programme::{ConversionRule, Programme};
use lifelong_core::publication::day;
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_store::Versioned;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

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

/// The window a draft is published with.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The first day in force, `YYYY-MM-DD`. The code's published version, if any, is
    /// superseded: its window closes the day before.
    #[schema(example = "2026-09-01")]
    pub from: Option<String>,
    /// The last day in force, `YYYY-MM-DD`; none for no end.
    #[serde(default)]
    pub until: Option<String>,
}

/// A version just published.
#[derive(Serialize, ToSchema)]
pub struct PublishedBody {
    /// `unit`, `standard` or `rule`.
    pub what: &'static str,
    pub code: String,
    pub version: u32,
    /// The first day in force.
    pub from: String,
    /// The last day in force, if any.
    pub until: Option<String>,
    /// The version this one superseded, if one was published.
    pub superseded: Option<u32>,
}

/// A day of the publication window, or the refusal naming `field`.
fn window_day(field: &'static str, text: &str) -> Result<Date, ApiError> {
    day::parse(text.trim()).ok_or_else(|| {
        ApiError(AppError::Invalid(vec![FieldError::text(
            field,
            "date_invalid",
            "日期须为“年-月-日”，例如 2026-09-01。",
            "A date is year-month-day, for example 2026-09-01.",
        )]))
    })
}

/// Publishes draft `version` of `code` with the window in `body` (the bank's reviewers only).
async fn publish(
    state: &AppState,
    actor: &Actor,
    what: Versioned,
    (code, version): (String, String),
    body: serde_json::Value,
) -> Result<Json<PublishedBody>, ApiError> {
    actor.require(Permission::ManageCatalog)?;
    // Not a version number: no such version (a JSON 404, not the router's plain 400).
    let version: u32 = version.parse().map_err(|_| ApiError(AppError::NotFound))?;
    let request: PublishRequest = read(body)?;
    let from = match request.from.as_deref() {
        Some(text) => window_day("from", text)?,
        None => {
            return Err(ApiError(AppError::Invalid(vec![FieldError::text(
                "from",
                "from_required",
                "请填写生效日期 from。",
                "The start date `from` is required.",
            )])))
        }
    };
    let until = match request.until.as_deref() {
        Some(text) => Some(window_day("until", text)?),
        None => None,
    };
    let superseded = state.app.published_version(what, &code).await?;
    state
        .app
        .publish(actor, what, &code, version, from, until)
        .await?;
    tracing::info!(
        what = what.as_str(),
        version,
        "catalog draft published through the API"
    );
    Ok(Json(PublishedBody {
        what: what.as_str(),
        code,
        version,
        from: day::format(from),
        until: until.map(day::format),
        superseded,
    }))
}

/// Publishes a draft accreditation unit (the bank's reviewers only): 404 when there is no such
/// version, 409 `not_a_draft` when it is not a draft, 422 for a missing, malformed or inverted
/// window.
#[utoipa::path(post, path = "/api/v1/units/{code}/{version}/publish", tag = "catalog",
    params(("code" = String, Path, description = "Unit code"), ("version" = u32, Path, description = "The draft's version")),
    request_body = PublishRequest,
    responses((status = 200, body = PublishedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_a_draft"),
        (status = 422, body = ErrorBody, description = "from_required, date_invalid or window_inverted")),
    security(("bearer" = [])))]
pub async fn publish_unit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(key): Path<(String, String)>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<PublishedBody>, ApiError> {
    publish(&state, &actor, Versioned::Unit, key, body).await
}

/// Publishes a draft recognition standard (the bank's reviewers only); answers as for units.
#[utoipa::path(post, path = "/api/v1/standards/{code}/{version}/publish", tag = "catalog",
    params(("code" = String, Path, description = "Standard code"), ("version" = u32, Path, description = "The draft's version")),
    request_body = PublishRequest,
    responses((status = 200, body = PublishedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_a_draft"),
        (status = 422, body = ErrorBody, description = "from_required, date_invalid or window_inverted")),
    security(("bearer" = [])))]
pub async fn publish_standard(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(key): Path<(String, String)>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<PublishedBody>, ApiError> {
    publish(&state, &actor, Versioned::Standard, key, body).await
}

/// Publishes a draft conversion rule (the bank's reviewers only); answers as for units.
#[utoipa::path(post, path = "/api/v1/rules/{code}/{version}/publish", tag = "catalog",
    params(("code" = String, Path, description = "Rule code"), ("version" = u32, Path, description = "The draft's version")),
    request_body = PublishRequest,
    responses((status = 200, body = PublishedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_a_draft"),
        (status = 422, body = ErrorBody, description = "from_required, date_invalid or window_inverted")),
    security(("bearer" = [])))]
pub async fn publish_rule(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(key): Path<(String, String)>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<PublishedBody>, ApiError> {
    publish(&state, &actor, Versioned::Rule, key, body).await
}

#[cfg(test)]
mod tests {
    // API tokens act for institutions, so a reviewer's publication is tested by calling the
    // handler's work directly with a reviewer; the refusal of tokens is tested through HTTP.
    use std::sync::Arc;

    use lifelong_app::{App, Settings};
    use lifelong_core::framework::{Level, Text2};
    use lifelong_core::outcome::CreditCategory;
    use lifelong_core::publication::{PublicationStatus, Window};
    use lifelong_core::role::Role;
    use lifelong_core::Explain;
    use lifelong_store_sql::testing::fresh_sqlite;
    use lifelong_vault::{MasterKey, Vault};
    use serde_json::json;

    use super::*;
    use crate::config::WebConfig;

    fn unit(version: u32) -> Unit {
        Unit {
            code: "U-API-1".into(),
            version,
            title: Text2::new("单元", "Unit"),
            level: Level::new(3).unwrap(),
            credits: lifelong_core::credits::Credits::whole(2),
            category: CreditCategory::Vocational,
            industry: None,
            criteria: Text2::new("要求", "Criteria"),
            owner: "bank".into(),
            status: PublicationStatus::Draft,
            window: Window::new(day::parse("2026-01-01").unwrap(), None).unwrap(),
        }
    }

    fn code_of(result: Result<Json<PublishedBody>, ApiError>) -> &'static str {
        match result {
            Ok(_) => "ok",
            Err(ApiError(e)) => e.code(),
        }
    }

    #[tokio::test]
    async fn publishing_answers_with_the_window_and_refuses_with_stable_codes() {
        let store = fresh_sqlite().await.unwrap();
        let shared: Arc<dyn lifelong_store::Store> = Arc::new(store.store().clone());
        let vault = Arc::new(Vault::new(&MasterKey::generate()));
        let app = App::new(shared, vault, Settings::default());
        let state = AppState::new(app, WebConfig::default());
        let reviewer = Actor::system_as(Role::Reviewer);
        state.app.save_unit(&reviewer, &unit(1)).await.unwrap();
        let key = |version: &str| ("U-API-1".to_owned(), version.to_owned());

        let first = publish(
            &state,
            &reviewer,
            Versioned::Unit,
            key("1"),
            json!({"from": "2026-01-01"}),
        )
        .await
        .unwrap();
        assert_eq!(
            serde_json::to_value(&first.0).unwrap(),
            json!({"what": "unit", "code": "U-API-1", "version": 1, "from": "2026-01-01",
                "until": null, "superseded": null})
        );

        state.app.save_unit(&reviewer, &unit(2)).await.unwrap();
        let refusals = [
            ("1", json!({"from": "2026-09-01"}), "not_a_draft"),
            ("9", json!({"from": "2026-09-01"}), "not_found"),
            ("x", json!({"from": "2026-09-01"}), "not_found"),
            ("2", json!({"until": "2026-09-01"}), "from_required"),
            ("2", json!({"from": "2026-13-01"}), "date_invalid"),
            (
                "2",
                json!({"from": "2026-09-01", "until": "soon"}),
                "date_invalid",
            ),
            (
                "2",
                json!({"from": "2026-09-01", "until": "2026-08-01"}),
                "window_inverted",
            ),
            (
                "2",
                json!({"from": "2026-09-01", "to": "x"}),
                "json_fields_invalid",
            ),
        ];
        for (version, body, code) in refusals {
            let answer = publish(&state, &reviewer, Versioned::Unit, key(version), body).await;
            assert_eq!(code_of(answer), code, "version {version}");
        }
        // An institution's token is refused before its body is read.
        let institution = Actor::system_as(Role::InstitutionOperator);
        let answer = publish(
            &state,
            &institution,
            Versioned::Unit,
            key("2"),
            json!("not a window"),
        )
        .await;
        assert_eq!(code_of(answer), "forbidden");

        let second = publish(
            &state,
            &reviewer,
            Versioned::Unit,
            key("2"),
            json!({"from": "2026-09-01", "until": "2027-08-31"}),
        )
        .await
        .unwrap();
        assert_eq!(second.0.superseded, Some(1));
        assert_eq!(second.0.until.as_deref(), Some("2027-08-31"));
        let versions = state.app.units(Some("U-API-1")).await.unwrap();
        assert_eq!(versions[0].status, PublicationStatus::Superseded);
        assert_eq!(
            versions[0].window.until,
            day::parse("2026-08-31"),
            "closed the day before"
        );
        assert_eq!(versions[1].status, PublicationStatus::Published);
    }
}

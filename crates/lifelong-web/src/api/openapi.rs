//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{accounts, catalog, catalog_write, conversion, dto, institution, outcomes, uploads};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An institution's API token (ll_…)"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Lifelong API", description = "The credit bank's API for institution systems. Errors are {\"error\":{\"code\",\"message\"}} with messages in the Accept-Language of the request (zh or en). POSTs accept an Idempotency-Key header. Lists page by cursor."),
    paths(institution::get_institution, accounts::open_account, accounts::list_accounts, accounts::get_account,
        uploads::bulk_open, uploads::commit_upload, uploads::list_uploads,
        outcomes::deposit, outcomes::get_outcome, outcomes::bulk_deposit, outcomes::commit_upload,
        catalog::framework, catalog::level_mappings, catalog::units, catalog::standards, catalog::programmes,
        catalog::programme,
        catalog_write::save_unit, catalog_write::save_standard, catalog_write::save_rule,
        catalog_write::publish_unit, catalog_write::publish_standard, catalog_write::publish_rule,
        catalog_write::save_framework, catalog_write::save_own_programme,
        conversion::list_conversions, conversion::get_conversion, conversion::decide_conversion, conversion::cohort_audit),
    components(schemas(dto::ErrorBody, dto::ErrorDetail, dto::FieldErrorBody, dto::InstitutionBody, dto::AccountBody,
        dto::OpenedBody, dto::AccountPage, dto::BulkReportBody, dto::RowErrorBody, dto::OutcomeBody, dto::UploadBody,
        dto::UploadPage, accounts::OpenAccountRequest, outcomes::DepositRequest, outcomes::DepositAnswer,
        outcomes::DepositedOutcomeBody, outcomes::DepositReportBody,
        conversion::ConversionApplicationBody, conversion::ConversionPage, conversion::ConversionReviewBody,
        conversion::PairBody, conversion::DecideRequest, conversion::CohortRowBody, conversion::CohortBody,
        catalog_write::PublishRequest, catalog_write::PublishedBody)),
    modifiers(&BearerAuth),
    tags((name = "institution"), (name = "accounts"), (name = "outcomes"), (name = "catalog"), (name = "conversion"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

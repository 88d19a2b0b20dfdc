//! What the API sends and receives: stable JSON shapes with OpenAPI schemas, mapped from the
//! store's records. Personal data appears only masked.

use lifelong_app::BulkReport;
use lifelong_store::{Account, Institution, Page, Upload};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// An error answer: `{"error": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `id_number_checksum`.
    #[schema(example = "id_number_checksum")]
    pub code: String,
    /// A message in the request's language (`Accept-Language`).
    pub message: String,
    /// For invalid input: one entry per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldErrorBody>>,
}

/// One invalid field.
#[derive(Serialize, ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// An institution.
#[derive(Serialize, ToSchema)]
pub struct InstitutionBody {
    pub id: String,
    pub credit_code: String,
    pub name_zh: String,
    pub name_en: String,
    /// One of `university`, `open_university`, `vocational_college`, `community_college`,
    /// `community_school`, `elderly_university`, `training_institution`, `enterprise`,
    /// `regional_bank`.
    pub kind: String,
    pub district_code: String,
    /// `active`, `suspended` or `closed`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<Institution> for InstitutionBody {
    fn from(i: Institution) -> Self {
        InstitutionBody {
            id: i.id.to_string(),
            credit_code: i.credit_code.to_string(),
            name_zh: i.name_zh,
            name_en: i.name_en,
            kind: i.kind.as_str().to_owned(),
            district_code: i.district_code,
            status: i.status.as_str().to_owned(),
            created_at: i.created_at,
        }
    }
}

/// A learning account, with personal data masked.
#[derive(Serialize, ToSchema)]
pub struct AccountBody {
    pub id: String,
    pub name: String,
    /// Masked: first 3 and last 4 characters.
    #[schema(example = "310***********123X")]
    pub id_number_masked: String,
    #[schema(example = "1980-01-01")]
    pub birth_date: String,
    /// `male` or `female`.
    pub gender: String,
    pub mobile_masked: Option<String>,
    /// `registered`, `verified`, `frozen` or `closed`.
    pub status: String,
    /// `self_registered`, `institution` or `single_sign_on`.
    pub origin: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<Account> for AccountBody {
    fn from(a: Account) -> Self {
        AccountBody {
            id: a.id.to_string(),
            name: a.name.as_str().to_owned(),
            id_number_masked: a.id_number_masked,
            birth_date: a.birth_date.to_string(),
            gender: match a.gender {
                lifelong_core::id_number::Gender::Male => "male",
                lifelong_core::id_number::Gender::Female => "female",
            }
            .to_owned(),
            mobile_masked: a.mobile_masked,
            status: a.status.as_str().to_owned(),
            origin: a.origin.as_str().to_owned(),
            created_at: a.created_at,
        }
    }
}

/// Opening one account: the account and whether it was new.
#[derive(Serialize, ToSchema)]
pub struct OpenedBody {
    /// False when the person already had an account, which is now linked to the institution.
    pub created: bool,
    pub account: AccountBody,
}

/// A page of accounts.
#[derive(Serialize, ToSchema)]
pub struct AccountPage {
    pub items: Vec<AccountBody>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page<Account>> for AccountPage {
    fn from(p: Page<Account>) -> Self {
        AccountPage {
            items: p.items.into_iter().map(Into::into).collect(),
            next_cursor: p.next,
        }
    }
}

/// One row-level problem of a bulk file.
#[derive(Serialize, ToSchema)]
pub struct RowErrorBody {
    /// The row number as seen in Excel (the header is row 1).
    pub row: usize,
    /// The column's key (`name`, `id_number`, `mobile`, `guardian_name`).
    pub column: Option<String>,
    pub code: String,
    pub message: String,
}

/// What bulk opening found and did.
#[derive(Serialize, ToSchema)]
pub struct BulkReportBody {
    /// Confirm with `POST /api/v1/uploads/{upload_id}/commit`; absent when the file has errors.
    pub upload_id: Option<String>,
    pub file_name: String,
    /// `csv` or `xlsx`.
    pub format: String,
    pub rows: usize,
    pub to_create: usize,
    pub to_link: usize,
    pub error_count: usize,
    /// The first 1,000 row errors.
    pub errors: Vec<RowErrorBody>,
    pub ignored_headers: Vec<String>,
    /// Present once committed.
    pub outcome: Option<OutcomeBody>,
}

/// What a committed bulk opening did.
#[derive(Serialize, ToSchema)]
pub struct OutcomeBody {
    pub created: u32,
    pub linked: u32,
    pub unchanged: u32,
}

impl From<BulkReport> for BulkReportBody {
    fn from(r: BulkReport) -> Self {
        BulkReportBody {
            upload_id: r.upload_id.map(|u| u.to_string()),
            file_name: r.file_name,
            format: r.format.extension().to_owned(),
            rows: r.rows,
            to_create: r.to_create,
            to_link: r.to_link,
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
            outcome: r.outcome.map(|o| OutcomeBody {
                created: o.created,
                linked: o.linked,
                unchanged: o.unchanged,
            }),
        }
    }
}

/// A bulk upload.
#[derive(Serialize, ToSchema)]
pub struct UploadBody {
    pub id: String,
    pub file_name: String,
    pub file_sha256: String,
    pub rows: u32,
    /// `checked` (waiting for confirmation) or `committed`.
    pub status: String,
    pub outcome: Option<OutcomeBody>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<Upload> for UploadBody {
    fn from(u: Upload) -> Self {
        UploadBody {
            id: u.id.to_string(),
            file_name: u.file_name,
            file_sha256: u.file_sha256,
            rows: u.rows,
            status: u.status.as_str().to_owned(),
            outcome: u.outcome.map(|o| OutcomeBody {
                created: o.created,
                linked: o.linked,
                unchanged: o.unchanged,
            }),
            created_at: u.created_at,
        }
    }
}

/// A page of uploads.
#[derive(Serialize, ToSchema)]
pub struct UploadPage {
    pub items: Vec<UploadBody>,
    pub next_cursor: Option<String>,
}

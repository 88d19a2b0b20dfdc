//! Bulk account opening from an .xlsx or CSV file: a dry run that reports every row-level
//! problem (row, column, reason) and what would be created, then a confirmation that opens all
//! the accounts or none. The file is kept sealed between the two steps, and re-checked at
//! confirmation, because the world may have changed in between.
//!
//! One person, one account (R5): a person who already has an account is linked to the
//! institution rather than opened again, so uploading the same file twice creates nothing
//! twice. The same ID number twice in one file is a row error.

use std::collections::HashMap;

use lifelong_core::account::AccountOrigin;
use lifelong_core::consent::ConsentKind;
use lifelong_core::role::Permission;
use lifelong_core::Lang;
use lifelong_import::{Column, Limits, RowError, Schema, Table};
use lifelong_store::{
    BulkOpenOutcome, Cursor, NewAccount, NewUpload, Page, Upload, UploadId, UploadStatus,
};
use serde::Serialize;

use crate::accounts::Person;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::identity::id_index;
use crate::{secret, App};

/// The columns of an account-opening file.
pub const ACCOUNT_SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "name",
            aliases: &["姓名", "学员姓名", "full name"],
            required: true,
            label_zh: "姓名",
            label_en: "Name",
        },
        Column {
            key: "id_number",
            aliases: &[
                "身份证号码",
                "身份证号",
                "证件号码",
                "公民身份号码",
                "id",
                "id no",
                "id number",
            ],
            required: true,
            label_zh: "身份证号码",
            label_en: "ID number",
        },
        Column {
            key: "mobile",
            aliases: &["手机号码", "手机号", "手机", "联系电话", "phone"],
            required: false,
            label_zh: "手机号码",
            label_en: "Mobile",
        },
        Column {
            key: "guardian_name",
            aliases: &["监护人", "监护人姓名", "guardian"],
            required: false,
            label_zh: "监护人姓名",
            label_en: "Guardian name",
        },
    ],
};

/// How many row errors a report lists in full; the count covers all of them.
const MAX_LISTED_ERRORS: usize = 1000;

/// What a dry run found (and, after confirmation, what was done).
#[derive(Debug, Clone, Serialize)]
pub struct BulkReport {
    /// The upload to confirm; present only when the file has no errors.
    pub upload_id: Option<UploadId>,
    pub file_name: String,
    pub format: lifelong_import::Format,
    /// Data rows read.
    pub rows: usize,
    /// New accounts that would be opened.
    pub to_create: usize,
    /// People who already have an account, who would be linked to the institution.
    pub to_link: usize,
    /// Row-level problems (the first thousand).
    pub errors: Vec<RowError>,
    pub error_count: usize,
    /// Headers that match no column and were ignored.
    pub ignored_headers: Vec<String>,
    /// Set after confirmation.
    pub outcome: Option<BulkOpenOutcome>,
}

struct Checked {
    report: BulkReport,
    accounts: Vec<NewAccount>,
}

impl App {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.settings.bulk_max_bytes,
            max_rows: self.settings.bulk_max_rows,
        }
    }

    /// Reads and validates every row; builds (but does not write) the accounts.
    async fn check_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<Checked> {
        let table = Table::read(bytes, &ACCOUNT_SCHEMA, &self.limits())?;
        let mut errors: Vec<RowError> = table.row_errors(lang);
        let mut people = Vec::with_capacity(table.len());
        let mut first_row_of: HashMap<String, usize> = HashMap::with_capacity(table.len());
        for row in table.rows() {
            let mut field_errors = Vec::new();
            let person = Person::parse(
                row.get("name"),
                row.get("id_number"),
                Some(row.get("mobile")),
                Some(row.get("guardian_name")),
                &mut field_errors,
            );
            for f in &field_errors {
                errors.push(RowError {
                    row: row.number(),
                    column: Some(f.field.to_owned()),
                    code: f.code.to_owned(),
                    message: f.message(lang).to_owned(),
                });
            }
            let Some(person) = person else { continue };
            let index = id_index(&self.vault, &person.id_number);
            if let Some(first) = first_row_of.get(&index) {
                errors.push(RowError {
                    row: row.number(),
                    column: Some("id_number".into()),
                    code: "duplicate_in_file".into(),
                    message: match lang {
                        Lang::Zh => format!("与第 {first} 行的身份证号码重复。"),
                        Lang::En => format!("The same ID number as row {first}."),
                    },
                });
                continue;
            }
            first_row_of.insert(index, row.number());
            let consents = match self.consents_for(
                &person,
                &[ConsentKind::PersonalInfo, ConsentKind::SensitiveIdNumber],
                lang,
            ) {
                Ok(c) => c,
                Err(f) => {
                    errors.push(RowError {
                        row: row.number(),
                        column: Some(f.field.to_owned()),
                        code: f.code.to_owned(),
                        message: f.message(lang).to_owned(),
                    });
                    continue;
                }
            };
            people.push((person, consents));
        }
        errors.sort_by_key(|e| e.row);
        let indexes: Vec<String> = first_row_of.keys().cloned().collect();
        let existing = self.store.existing_id_indexes(&indexes).await?;
        let to_link = existing.len();
        let accounts = if errors.is_empty() {
            people
                .into_iter()
                .map(|(p, c)| self.new_account(&p, c, AccountOrigin::Institution, actor))
                .collect::<AppResult<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let error_count = errors.len();
        errors.truncate(MAX_LISTED_ERRORS);
        let report = BulkReport {
            upload_id: None,
            file_name: file_name.to_owned(),
            format: table.format(),
            rows: table.len(),
            to_create: first_row_of.len().saturating_sub(to_link),
            to_link,
            errors,
            error_count,
            ignored_headers: table.ignored_headers().to_vec(),
            outcome: None,
        };
        Ok(Checked { report, accounts })
    }

    /// The dry run: checks the file and, when it has no errors, keeps it (sealed) for
    /// confirmation. Nothing else is written.
    pub async fn check_bulk_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<BulkReport> {
        actor.require(Permission::OpenAccounts)?;
        let institution = actor.own_institution()?.clone();
        let checked = self.check_file(actor, file_name, bytes, lang).await?;
        let mut report = checked.report;
        if report.error_count == 0 && report.rows > 0 {
            let upload = NewUpload {
                purpose: lifelong_store::UploadPurpose::Accounts,
                id: UploadId::new(),
                institution_id: institution,
                uploaded_by: actor.user.clone(),
                file_name: file_name.chars().take(200).collect(),
                file_sha256: secret::digest_bytes(bytes),
                sealed_content: self
                    .vault
                    .seal(bytes)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                rows: u32::try_from(report.rows).unwrap_or(u32::MAX),
            };
            let audit = actor
                .audit("accounts.bulk_check", "upload", upload.id.as_str())
                .with_detail(serde_json::json!({ "rows": report.rows, "to_create": report.to_create, "to_link": report.to_link }));
            report.upload_id = Some(self.store.save_upload(upload, audit).await?.id);
        }
        Ok(report)
    }

    /// The confirmation: re-checks the kept file and opens all its accounts, or none.
    pub async fn commit_bulk_file(
        &self,
        actor: &Actor,
        id: &UploadId,
        lang: Lang,
    ) -> AppResult<BulkReport> {
        actor.require(Permission::OpenAccounts)?;
        let institution = actor.own_institution()?;
        let (upload, sealed) = self.store.upload(id).await?;
        if &upload.institution_id != institution {
            return Err(AppError::NotFound);
        }
        if upload.status == UploadStatus::Committed {
            return Err(AppError::Conflict("upload_already_committed"));
        }
        let bytes = self
            .vault
            .open(&sealed)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let checked = self
            .check_file(actor, &upload.file_name, &bytes, lang)
            .await?;
        let mut report = checked.report;
        if report.error_count > 0 {
            return Err(AppError::BulkHasErrors(Box::new(report)));
        }
        let audit = actor.audit("accounts.bulk_commit", "upload", id.as_str());
        let outcome = self
            .store
            .commit_upload(id, checked.accounts, audit)
            .await?;
        tracing::info!(upload = %id, created = outcome.created, linked = outcome.linked, "bulk opening committed");
        report.upload_id = Some(id.clone());
        report.outcome = Some(outcome);
        Ok(report)
    }

    /// Checks and, when clean, commits in one call (the API's `dry_run=false`). A file with
    /// errors is refused whole.
    pub async fn open_accounts_from_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<BulkReport> {
        let report = self.check_bulk_file(actor, file_name, bytes, lang).await?;
        match &report.upload_id {
            Some(id) => self.commit_bulk_file(actor, id, lang).await,
            None if report.error_count > 0 => Err(AppError::BulkHasErrors(Box::new(report))),
            None => Ok(report),
        }
    }

    /// An institution's uploads, newest first.
    pub async fn list_uploads(&self, actor: &Actor, cursor: &Cursor) -> AppResult<Page<Upload>> {
        actor.require(Permission::ViewInstitutionAccounts)?;
        Ok(self
            .store
            .list_uploads(actor.own_institution()?, cursor)
            .await?)
    }
}

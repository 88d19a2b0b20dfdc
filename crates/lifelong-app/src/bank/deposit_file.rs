//! Depositing outcomes from an .xlsx or CSV file: a dry run that reports every row-level
//! problem (unknown learner, bad field, an external id twice in the file) and what would
//! happen, then a confirmation that deposits every row or none. The file is kept sealed between
//! the two steps and checked again on confirmation. Rows whose external id the institution has
//! deposited before are left alone, so uploading a file twice deposits nothing twice.

use std::collections::HashMap;

use lifelong_core::id_number::IdNumber;
use lifelong_core::review::{initial_status, OutcomeOrigin, OutcomeStatus};
use lifelong_core::Lang;
use lifelong_import::{Column, Limits, RowError, Schema, Table};
use lifelong_store::{
    DepositBatch, DepositCounts, NewOutcome, NewUpload, UploadId, UploadPurpose, UploadStatus,
};
use serde::Serialize;

use super::deposit::Recogniser;
use super::outcome_input::OutcomeInput;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::identity::id_index;
use crate::{secret, App};

macro_rules! col {
    ($key:literal, $required:literal, $zh:literal, $en:literal, [$($alias:literal),*]) => {
        Column { key: $key, aliases: &[$($alias),*], required: $required, label_zh: $zh, label_en: $en }
    };
}

/// The columns of an outcome-deposit file.
pub const OUTCOME_SCHEMA: Schema = Schema {
    columns: &[
        col!(
            "id_number",
            true,
            "身份证号码",
            "ID number",
            ["身份证号", "证件号码", "公民身份号码", "id no"]
        ),
        col!(
            "external_id",
            true,
            "机构记录编号",
            "Record id",
            [
                "记录编号",
                "成绩编号",
                "证书编号",
                "external id",
                "record no"
            ]
        ),
        col!(
            "title",
            true,
            "成果名称",
            "Title",
            ["课程名称", "证书名称", "培训名称", "name of outcome"]
        ),
        col!("kind", true, "成果类型", "Kind", ["类型", "type"]),
        col!(
            "completed_on",
            true,
            "完成日期",
            "Completed on",
            ["获得日期", "发证日期", "date"]
        ),
        col!("hours", false, "学时", "Hours", ["study hours"]),
        col!("credits", false, "学分", "Credits", []),
        col!("score", false, "成绩", "Score", ["分数"]),
        col!("passed", false, "是否合格", "Passed", ["合格", "pass"]),
        col!(
            "certificate_code",
            false,
            "证书代码",
            "Certificate code",
            ["职业代码"]
        ),
        col!(
            "certificate_level",
            false,
            "证书等级",
            "Certificate level",
            ["等级"]
        ),
        col!("course_code", false, "课程代码", "Course code", []),
        col!("level", false, "框架级别", "Framework level", ["级别"]),
        col!("category", false, "学分类别", "Credit category", ["类别"]),
        col!("class", false, "成果性质", "Class", []),
        col!("industry", false, "行业门类", "Industry", ["行业"]),
        col!("mode", false, "学习方式", "Mode", ["方式"]),
    ],
};

/// How many row errors a report lists in full; the count covers all of them.
const MAX_LISTED_ERRORS: usize = 1000;

/// What a dry run of a deposit file found (and, after confirmation, what was done).
#[derive(Debug, Clone, Serialize)]
pub struct DepositReport {
    /// The upload to confirm; present only when the file has no errors.
    pub upload_id: Option<UploadId>,
    pub file_name: String,
    pub format: lifelong_import::Format,
    pub rows: usize,
    /// Rows that would be deposited (not deposited before).
    pub to_deposit: usize,
    /// Of those, how many count at once (trusted institution) and how many are recognised.
    pub to_accept: usize,
    pub to_recognise: usize,
    /// Rows whose external id was deposited before: left alone.
    pub already_deposited: usize,
    pub errors: Vec<RowError>,
    pub error_count: usize,
    pub ignored_headers: Vec<String>,
    /// Set after confirmation.
    pub outcome: Option<DepositCounts>,
}

/// A file whose rows passed their checks: what the report says, and the rows to deposit.
struct Checked {
    report: DepositReport,
    institution: lifelong_store::Institution,
    recogniser: Recogniser,
    calendar: lifelong_core::calendar::WorkCalendar,
    /// Rows not deposited before, in file order; empty when the file has errors.
    rows: Vec<ValidRow>,
}

/// One row ready to deposit.
struct ValidRow {
    account: lifelong_store::AccountId,
    external: String,
    outcome: lifelong_core::outcome::Outcome,
}

/// Rows built into records and handed to the store at a time: the next batch is built while the
/// store writes this one, and at most a few batches are held at once.
const DEPOSIT_BATCH_ROWS: usize = 10_000;

fn row_error(row: usize, column: &str, code: &str, message: String) -> RowError {
    RowError {
        row,
        column: Some(column.to_owned()),
        code: code.to_owned(),
        message,
    }
}

impl App {
    fn deposit_limits(&self) -> Limits {
        Limits {
            max_bytes: self.settings.deposit_max_bytes,
            max_rows: self.settings.deposit_max_rows,
        }
    }

    async fn check_deposit_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<Checked> {
        let institution = self.depositing_institution(actor).await?;
        let table = Table::read(bytes, &OUTCOME_SCHEMA, &self.deposit_limits())?;
        let recogniser = Recogniser::load(self).await?;
        let today = recogniser.today;
        let mut errors: Vec<RowError> = table.row_errors(lang);
        let mut first_row_of: HashMap<&str, usize> = HashMap::with_capacity(table.len());
        let mut parsed = Vec::with_capacity(table.len());
        for row in table.rows() {
            let n = row.number();
            let input = OutcomeInput {
                title: row.get("title").to_owned(),
                kind: row.get("kind").to_owned(),
                class: Some(row.get("class").to_owned()),
                category: Some(row.get("category").to_owned()),
                industry: Some(row.get("industry").to_owned()),
                level: Some(row.get("level").to_owned()),
                mode: Some(row.get("mode").to_owned()),
                completed_on: row.get("completed_on").to_owned(),
                hours: Some(row.get("hours").to_owned()),
                credits: Some(row.get("credits").to_owned()),
                score: Some(row.get("score").to_owned()),
                passed: Some(row.get("passed").to_owned()),
                certificate_code: Some(row.get("certificate_code").to_owned()),
                certificate_level: Some(row.get("certificate_level").to_owned()),
                course_code: Some(row.get("course_code").to_owned()),
            };
            let outcome = input.parse(today).map_err(|fields| {
                for f in fields {
                    errors.push(row_error(n, f.field, f.code, f.message(lang).to_owned()));
                }
            });
            let id_number = IdNumber::parse(row.get("id_number")).map_err(|e| {
                use lifelong_core::Explain;
                errors.push(row_error(n, "id_number", e.code(), e.message(lang)));
            });
            let external = row.get("external_id").trim();
            if external.is_empty() || external.chars().count() > 64 {
                errors.push(row_error(
                    n,
                    "external_id",
                    "external_id_invalid",
                    lang.pick(
                        "请填写机构记录编号（不超过64个字符）。",
                        "Give the record id (at most 64 characters).",
                    )
                    .into(),
                ));
                continue;
            }
            if let Some(first) = first_row_of.get(external) {
                errors.push(row_error(
                    n,
                    "external_id",
                    "duplicate_in_file",
                    match lang {
                        Lang::Zh => format!("与第 {first} 行的机构记录编号重复。"),
                        Lang::En => format!("The same record id as row {first}."),
                    },
                ));
                continue;
            }
            first_row_of.insert(external, n);
            if let (Ok(outcome), Ok(id_number)) = (outcome, id_number) {
                parsed.push((
                    n,
                    id_index(&self.vault, &id_number),
                    external.to_owned(),
                    outcome,
                ));
            }
        }
        // One lookup per learner, not per row.
        let mut indexes: Vec<String> = parsed.iter().map(|(_, i, _, _)| i.clone()).collect();
        indexes.sort_unstable();
        indexes.dedup();
        let accounts = self.accounts_by_index(&indexes).await?;
        let externals: Vec<&str> = parsed.iter().map(|(_, _, e, _)| e.as_str()).collect();
        let deposited = self
            .store
            .deposited_external_ids(&institution.id, &externals)
            .await?;
        drop(externals);
        let calendar = self.store.calendar().await?;
        let mut rows = Vec::with_capacity(parsed.len());
        let mut already = 0;
        for (n, index, external, outcome) in parsed {
            let Some(account) = accounts.get(&index) else {
                errors.push(row_error(
                    n,
                    "id_number",
                    "unknown_learner",
                    lang.pick(
                        "此身份证号码尚未开通学习账户。",
                        "No learning account has this ID number.",
                    )
                    .into(),
                ));
                continue;
            };
            if deposited.contains(&external) {
                already += 1;
                continue;
            }
            if errors.is_empty() {
                rows.push(ValidRow {
                    account: account.clone(),
                    external,
                    outcome,
                });
            }
        }
        errors.sort_by_key(|e| e.row);
        let error_count = errors.len();
        errors.truncate(MAX_LISTED_ERRORS);
        if error_count > 0 {
            rows.clear();
        }
        // What depositing would do, without building the records yet.
        let counts =
            initial_status(OutcomeOrigin::Deposit, institution.trusted) == OutcomeStatus::Accepted;
        let to_recognise = if counts {
            rows.iter()
                .filter(|r| recogniser.decide(&r.outcome).recognised.is_some())
                .count()
        } else {
            0
        };
        let report = DepositReport {
            upload_id: None,
            file_name: file_name.chars().take(200).collect(),
            format: table.format(),
            rows: table.len(),
            to_deposit: rows.len(),
            to_accept: if counts { rows.len() } else { 0 },
            to_recognise,
            already_deposited: already,
            errors,
            error_count,
            ignored_headers: table.ignored_headers().to_vec(),
            outcome: None,
        };
        Ok(Checked {
            report,
            institution,
            recogniser,
            calendar,
            rows,
        })
    }

    /// Keeps a checked file (sealed) as an upload to confirm.
    async fn keep_deposit_upload(
        &self,
        actor: &Actor,
        bytes: &[u8],
        report: &DepositReport,
    ) -> AppResult<UploadId> {
        let upload = NewUpload {
            id: UploadId::new(),
            purpose: UploadPurpose::Outcomes,
            institution_id: actor.own_institution()?.clone(),
            uploaded_by: actor.user.clone(),
            file_name: report.file_name.clone(),
            file_sha256: secret::digest_bytes(bytes),
            sealed_content: self
                .vault
                .seal(bytes)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            rows: u32::try_from(report.rows).unwrap_or(u32::MAX),
        };
        let audit = actor.audit("outcomes.bulk_check", "upload", upload.id.as_str()).with_detail(serde_json::json!({
            "rows": report.rows, "to_deposit": report.to_deposit, "already_deposited": report.already_deposited
        }));
        Ok(self.store.save_upload(upload, audit).await?.id)
    }

    /// Builds the checked rows into records batch by batch and hands each batch to the store
    /// while the next is built; the store writes them all in one transaction, confirming
    /// `upload`.
    async fn store_deposits(
        &self,
        actor: &Actor,
        checked: Checked,
        upload: &UploadId,
    ) -> AppResult<DepositCounts> {
        let audit = actor
            .audit("outcomes.bulk_commit", "upload", upload.as_str())
            .with_detail(serde_json::json!({
                "to_deposit": checked.report.to_deposit
            }));
        let (sender, batches) = tokio::sync::mpsc::channel(2);
        let store = self.store.clone();
        let upload_id = upload.clone();
        let writer = tokio::spawn(async move {
            store
                .deposit_outcome_batches(batches, Some(&upload_id), audit)
                .await
        });
        let Checked {
            institution,
            recogniser,
            calendar,
            rows,
            ..
        } = checked;
        let mut built: AppResult<()> = Ok(());
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: AppResult<Vec<NewOutcome>> = rows
                .by_ref()
                .take(DEPOSIT_BATCH_ROWS)
                .map(|r| {
                    self.new_deposit(
                        &institution,
                        r.account,
                        Some(r.external),
                        r.outcome,
                        &recogniser,
                        &calendar,
                    )
                })
                .collect();
            match batch {
                Ok(batch) => {
                    // The store stopped (it failed): its answer says why.
                    if sender.send(DepositBatch::Rows(batch)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    built = Err(e);
                    break;
                }
            }
        }
        if built.is_ok() {
            // If the store already failed, its answer says why.
            let _ = sender.send(DepositBatch::End).await;
        }
        // Without `End`, the store rolls everything back.
        drop(sender);
        let written = writer
            .await
            .map_err(|e| AppError::Internal(format!("deposit writer: {e}")))?;
        built?;
        Ok(written?)
    }

    /// The dry run: checks the file and, when it has no errors, keeps it (sealed) for
    /// confirmation. Nothing else is written.
    pub async fn check_deposit_upload(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<DepositReport> {
        let mut report = self
            .check_deposit_file(actor, file_name, bytes, lang)
            .await?
            .report;
        if report.error_count == 0 && report.rows > 0 {
            report.upload_id = Some(self.keep_deposit_upload(actor, bytes, &report).await?);
        }
        Ok(report)
    }

    /// The confirmation: checks the kept file again and deposits every row, or none.
    pub async fn commit_deposit_upload(
        &self,
        actor: &Actor,
        id: &UploadId,
        lang: Lang,
    ) -> AppResult<DepositReport> {
        let institution = self.depositing_institution(actor).await?;
        let (upload, sealed) = self.store.upload(id).await?;
        if upload.institution_id != institution.id || upload.purpose != UploadPurpose::Outcomes {
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
            .check_deposit_file(actor, &upload.file_name, &bytes, lang)
            .await?;
        drop(bytes);
        self.finish_deposit(actor, checked, id).await
    }

    /// Deposits a checked file's rows, confirming `upload`, and completes the report.
    async fn finish_deposit(
        &self,
        actor: &Actor,
        checked: Checked,
        upload: &UploadId,
    ) -> AppResult<DepositReport> {
        if checked.report.error_count > 0 {
            return Err(AppError::DepositHasErrors(Box::new(checked.report)));
        }
        let mut report = checked.report.clone();
        let counts = self.store_deposits(actor, checked, upload).await?;
        tracing::info!(upload = %upload, created = counts.created, accepted = counts.accepted, unchanged = counts.unchanged, "outcome deposit committed");
        report.upload_id = Some(upload.clone());
        report.outcome = Some(counts);
        Ok(report)
    }

    /// Checks and, when clean, deposits in one call (the API's `dry_run=false`): the file is
    /// checked once and kept as a confirmed upload, like a dry run confirmed at once.
    pub async fn deposit_outcomes_from_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        lang: Lang,
    ) -> AppResult<DepositReport> {
        let checked = self
            .check_deposit_file(actor, file_name, bytes, lang)
            .await?;
        if checked.report.error_count > 0 {
            return Err(AppError::DepositHasErrors(Box::new(checked.report)));
        }
        if checked.report.rows == 0 {
            return Ok(checked.report);
        }
        let upload = self
            .keep_deposit_upload(actor, bytes, &checked.report)
            .await?;
        self.finish_deposit(actor, checked, &upload).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_each_header_once() {
        OUTCOME_SCHEMA.check().unwrap();
    }
}

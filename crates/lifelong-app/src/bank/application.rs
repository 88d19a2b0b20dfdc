//! A learner's own application for recognition (R6, R15, R16): an outcome no institution
//! deposited — a skill certificate, a course taken elsewhere — with evidence files. Only a
//! verified account may apply. Evidence must be a PDF, JPEG or PNG whose content is what its
//! name and type claim, within the size limit; it is kept sealed with its SHA-256. The
//! application waits in the review queue; when the reviewer asks for more evidence the learner
//! adds files and it goes back in the queue.

use lifelong_core::review::{OutcomeOrigin, OutcomeStatus};
use lifelong_core::role::Permission;
use lifelong_store::{EvidenceId, NewEvidence, NewOutcome, OutcomeId, ReviewEvent, StoredOutcome};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::outcome_input::OutcomeInput;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

/// An uploaded evidence file as received.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub file_name: String,
    /// The content type the browser claimed.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The kinds of evidence accepted, told by their first bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// The type a file's name claims, by its extension.
fn by_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    match ext.as_str() {
        "pdf" => Some("application/pdf"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        _ => None,
    }
}

fn evidence_error(code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::text("evidence", code, zh, en)
}

impl App {
    /// Checks and seals evidence files: every file a PDF, JPEG or PNG that is what it claims.
    fn seal_evidence(
        &self,
        files: &[EvidenceFile],
        at_least_one: bool,
    ) -> Result<Vec<NewEvidence>, FieldError> {
        let files: Vec<&EvidenceFile> = files
            .iter()
            .filter(|f| !f.bytes.is_empty() || !f.file_name.is_empty())
            .collect();
        if files.is_empty() && at_least_one {
            return Err(evidence_error(
                "evidence_required",
                "请上传至少一份证明材料（PDF、JPG 或 PNG）。",
                "Upload at least one piece of evidence (PDF, JPG or PNG).",
            ));
        }
        if files.len() > self.settings.evidence_max_files {
            let n = self.settings.evidence_max_files;
            return Err(evidence_error(
                "evidence_too_many",
                &format!("最多上传 {n} 份证明材料。"),
                &format!("Upload at most {n} files."),
            ));
        }
        let mut sealed = Vec::with_capacity(files.len());
        for f in files {
            if f.bytes.is_empty() {
                return Err(evidence_error(
                    "evidence_empty",
                    &format!("文件“{}”是空的。", f.file_name),
                    &format!("The file “{}” is empty.", f.file_name),
                ));
            }
            if f.bytes.len() > self.settings.evidence_max_bytes {
                let mib = self.settings.evidence_max_bytes / (1024 * 1024);
                return Err(evidence_error(
                    "evidence_too_large",
                    &format!("文件“{}”超过 {mib} MB。", f.file_name),
                    &format!("The file “{}” is larger than {mib} MB.", f.file_name),
                ));
            }
            let Some(actual) = sniff(&f.bytes) else {
                return Err(evidence_error(
                    "evidence_type_unsupported",
                    &format!("文件“{}”不是 PDF、JPG 或 PNG。", f.file_name),
                    &format!("The file “{}” is not a PDF, JPG or PNG.", f.file_name),
                ));
            };
            let claimed_ext = by_extension(&f.file_name);
            let claimed_type = f
                .content_type
                .split(';')
                .next()
                .map(str::trim)
                .filter(|t| !t.is_empty() && *t != "application/octet-stream");
            let claimed_type =
                claimed_type.map(|t| if t == "image/jpg" { "image/jpeg" } else { t });
            if claimed_ext != Some(actual) || claimed_type.is_some_and(|t| t != actual) {
                return Err(evidence_error(
                    "evidence_type_mismatch",
                    &format!("文件“{}”的内容与其名称或类型不符。", f.file_name),
                    &format!(
                        "The content of “{}” is not what its name or type says.",
                        f.file_name
                    ),
                ));
            }
            let name: String = f
                .file_name
                .chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect();
            sealed.push(NewEvidence {
                id: EvidenceId::new(),
                file_name: name,
                content_type: actual.to_owned(),
                size: f.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&f.bytes)),
                sealed: self.vault.seal(&f.bytes).map_err(|_| {
                    evidence_error(
                        "evidence_unreadable",
                        "文件无法保存。",
                        "The file could not be stored.",
                    )
                })?,
            });
        }
        Ok(sealed)
    }

    /// A learner applies for recognition of an outcome, with evidence (R6, R15).
    pub async fn apply_for_recognition(
        &self,
        actor: &Actor,
        input: &OutcomeInput,
        files: &[EvidenceFile],
    ) -> AppResult<StoredOutcome> {
        actor.require(Permission::ApplyForCredit)?;
        let account_id = actor.account.clone().ok_or(AppError::Forbidden)?;
        let account = self.store.account(&account_id).await?;
        account.status.check_may_apply()?;
        let today = OffsetDateTime::now_utc().date();
        let mut errors = Vec::new();
        let outcome = input
            .parse(today)
            .map_err(|mut e| errors.append(&mut e))
            .ok();
        let evidence = self
            .seal_evidence(files, true)
            .map_err(|e| errors.push(e))
            .ok();
        let (Some(mut outcome), Some(evidence), true) = (outcome, evidence, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let id = OutcomeId::new();
        outcome.id = id.to_string();
        let calendar = self.store.calendar().await?;
        let new = NewOutcome {
            id: id.clone(),
            account_id,
            institution_id: None,
            external_id: None,
            origin: OutcomeOrigin::Application,
            status: OutcomeStatus::Pending,
            outcome,
            due_on: Some(calendar.due_date(today, self.settings.review_days)),
            entry: None,
            recognition: None,
            evidence,
        };
        let audit = actor
            .audit("outcome.apply", "outcome", id.as_str())
            .with_detail(serde_json::json!({ "evidence": new.evidence.len() }));
        self.store.deposit_outcomes(vec![new], None, audit).await?;
        Ok(self.store.outcome(&id).await?)
    }

    /// One of the learner's own applications, with its history.
    pub async fn my_application(
        &self,
        actor: &Actor,
        id: &OutcomeId,
    ) -> AppResult<(
        StoredOutcome,
        Vec<lifelong_store::Evidence>,
        Vec<ReviewEvent>,
    )> {
        actor.require(Permission::ViewOwnAccount)?;
        let outcome = self.store.outcome(id).await?;
        if actor.account.as_ref() != Some(&outcome.account_id) {
            return Err(AppError::NotFound);
        }
        Ok((
            outcome,
            self.store.evidence_of(id).await?,
            self.store.review_events(id).await?,
        ))
    }

    /// Adds evidence to one's own open application; it goes back in the queue.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        id: &OutcomeId,
        files: &[EvidenceFile],
    ) -> AppResult<StoredOutcome> {
        actor.require(Permission::ApplyForCredit)?;
        let outcome = self.store.outcome(id).await?;
        if actor.account.as_ref() != Some(&outcome.account_id) {
            return Err(AppError::NotFound);
        }
        if !outcome.status.is_open() {
            return Err(AppError::Conflict("not_open"));
        }
        let evidence = self
            .seal_evidence(files, true)
            .map_err(|e| AppError::Invalid(vec![e]))?;
        let audit = actor.audit("outcome.add_evidence", "outcome", id.as_str());
        Ok(self.store.add_evidence(id, evidence, audit).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(by_extension("证书.JPG"), Some("image/jpeg"));
        assert_eq!(by_extension("证书.exe"), None);
    }
}

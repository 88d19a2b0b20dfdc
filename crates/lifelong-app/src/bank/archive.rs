//! The learner's lifelong archive (R7–R9): pages with filters, credits by category, the
//! whole archive as JSON or CSV for download, and verification of every chain (R8).
//! A learner sees their own; a reviewer may see any, and that access is audited.

use lifelong_core::role::Permission;
use lifelong_store::{
    AccountId, ArchiveEntry, ArchiveFilter, CategoryCredits, Cursor, Page, StoredRecognition,
    VerifyReport,
};
use serde::Serialize;

use super::entries::EntryBody;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::App;

/// An archive entry as shown and exported: stored fields, the body read back, the hash.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveItem {
    pub id: String,
    pub seq: u64,
    pub kind: lifelong_core::archive::EntryKind,
    pub reverses: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: time::OffsetDateTime,
    pub body: EntryBody,
    /// SHA-256 of the entry, chained from the previous one (hex).
    pub hash: String,
}

impl From<ArchiveEntry> for ArchiveItem {
    fn from(e: ArchiveEntry) -> Self {
        ArchiveItem {
            id: e.id.to_string(),
            seq: e.seq,
            kind: e.kind,
            reverses: e.reverses.map(|r| r.to_string()),
            recorded_at: e.recorded_at,
            body: EntryBody::read(e.kind, &e.body),
            hash: hex::encode(e.hash),
        }
    }
}

/// A whole archive, as downloaded.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveExport {
    pub account_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: time::OffsetDateTime,
    pub credits: Vec<CategoryCredits>,
    pub entries: Vec<ArchiveItem>,
}

impl App {
    /// Checks that `actor` may read `account`'s archive; a reviewer's reading is audited.
    async fn may_read_archive(
        &self,
        actor: &Actor,
        account: &AccountId,
        action: &str,
    ) -> AppResult<()> {
        if actor.account.as_ref() == Some(account) && actor.can(Permission::ViewOwnAccount) {
            return Ok(());
        }
        if actor.can(Permission::ReviewOutcomes) {
            self.store
                .append_audit(actor.audit(action, "account", account.as_str()))
                .await?;
            return Ok(());
        }
        self.store
            .append_audit(actor.denied(action, "account", account.as_str()))
            .await?;
        Err(AppError::Forbidden)
    }

    /// A page of an archive, newest first.
    pub async fn archive_page(
        &self,
        actor: &Actor,
        account: &AccountId,
        filter: &ArchiveFilter,
        cursor: &Cursor,
    ) -> AppResult<Page<ArchiveItem>> {
        self.may_read_archive(actor, account, "archive.view")
            .await?;
        Ok(self
            .store
            .archive_page(account, filter, cursor)
            .await?
            .map(ArchiveItem::from))
    }

    /// Credits by category, and the recognitions they come from.
    pub async fn credit_summary(
        &self,
        actor: &Actor,
        account: &AccountId,
    ) -> AppResult<(Vec<CategoryCredits>, Vec<StoredRecognition>)> {
        self.may_read_archive(actor, account, "archive.credits")
            .await?;
        Ok((
            self.store.credit_totals(account).await?,
            self.store.recognitions_of(account).await?,
        ))
    }

    /// The whole archive, oldest first, for download (R9).
    pub async fn export_archive(
        &self,
        actor: &Actor,
        account: &AccountId,
    ) -> AppResult<ArchiveExport> {
        self.may_read_archive(actor, account, "archive.export")
            .await?;
        let entries = self
            .store
            .archive_all(account)
            .await?
            .into_iter()
            .map(ArchiveItem::from)
            .collect();
        Ok(ArchiveExport {
            account_id: account.to_string(),
            exported_at: time::OffsetDateTime::now_utc(),
            credits: self.store.credit_totals(account).await?,
            entries,
        })
    }

    /// Recomputes every chain of every learner (R8).
    pub async fn verify_archive(&self, actor: &Actor) -> AppResult<VerifyReport> {
        actor.require(Permission::VerifyArchive)?;
        let report = self.store.verify_archive().await?;
        let audit = actor
            .audit("archive.verify", "archive", "*")
            .with_detail(serde_json::json!({
                "chains": report.chains, "entries": report.entries, "broken": report.broken.len()
            }));
        self.store.append_audit(audit).await?;
        Ok(report)
    }
}

/// The archive as CSV (UTF-8 with a byte-order mark so Excel reads Chinese): one line per entry.
pub fn archive_csv(export: &ArchiveExport, lang: lifelong_core::Lang) -> String {
    let mut out = String::from("\u{feff}");
    let header = match lang {
        lifelong_core::Lang::Zh => "序号,记录时间,类型,名称,类别,学分,学时,成绩,是否合格,完成日期,出具机构,哈希\n",
        lifelong_core::Lang::En => "seq,recorded_at,kind,title,category,credits,hours,score,passed,completed_on,source,hash\n",
    };
    out.push_str(header);
    for e in &export.entries {
        let (title, category, credits, hours, score, passed, completed, source) = match &e.body {
            EntryBody::Outcome(o) => (
                o.title.clone(),
                o.category.label(lang).to_owned(),
                o.credits.map(|c| c.to_string()).unwrap_or_default(),
                o.hours.map(|h| h.to_string()).unwrap_or_default(),
                o.score
                    .map(|s| s.normalize().to_string())
                    .unwrap_or_default(),
                lang.pick(
                    if o.passed { "是" } else { "否" },
                    if o.passed { "yes" } else { "no" },
                )
                .to_owned(),
                lifelong_core::publication::day::format(o.completed_on),
                o.source
                    .as_ref()
                    .map(|s| lang.pick(&s.name_zh, &s.name_en).to_owned())
                    .unwrap_or_default(),
            ),
            EntryBody::Recognition(r) => (
                format!("{} → {} {}", r.title, r.unit_code, r.unit_title),
                r.category.label(lang).to_owned(),
                r.credits.to_string(),
                String::new(),
                String::new(),
                String::new(),
                lifelong_core::publication::day::format(r.recognised_on),
                r.certificate_no.clone(),
            ),
            EntryBody::Exemption(x) => (
                x.title.clone(),
                lifelong_core::outcome::CreditCategory::Academic
                    .label(lang)
                    .to_owned(),
                x.credits.to_string(),
                String::new(),
                x.grade.clone(),
                String::new(),
                lifelong_core::publication::day::format(x.decided_on),
                format!("{} {}", x.programme_code, x.programme_title),
            ),
            EntryBody::Activity(a) => (
                a.title.clone(),
                String::new(),
                String::new(),
                a.hours.clone().unwrap_or_default(),
                a.score
                    .map(|s| format!("{:.0}%", s * 100.0))
                    .unwrap_or_default(),
                a.success
                    .map(|ok| {
                        lang.pick(if ok { "是" } else { "否" }, if ok { "yes" } else { "no" })
                    })
                    .unwrap_or_default()
                    .to_owned(),
                a.at.get(..10).unwrap_or(&a.at).to_owned(),
                a.platform.clone(),
            ),
            EntryBody::Revocation(r) => (
                r.title.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                r.reason.clone(),
            ),
            EntryBody::Other(_) => (
                e.body.title(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        let cells = [
            e.seq.to_string(),
            e.recorded_at.to_string(),
            e.kind.label(lang).to_owned(),
            title,
            category,
            credits,
            hours,
            score,
            passed,
            completed,
            source,
            e.hash.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A CSV cell, quoted when needed; a leading formula character is defused for spreadsheets.
fn csv_cell(text: &str) -> String {
    let mut t = text.to_owned();
    if t.starts_with(['=', '+', '-', '@']) {
        t.insert(0, '\'');
    }
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

/// A recognition certificate as anyone may verify it: no personal data beyond a masked name.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateCheck {
    pub certificate_no: String,
    pub holder_masked: String,
    pub unit_code: String,
    pub unit_title: String,
    pub standard_code: String,
    pub standard_version: u32,
    pub credits: lifelong_core::credits::Credits,
    pub category: lifelong_core::outcome::CreditCategory,
    pub level: lifelong_core::framework::Level,
    #[serde(with = "lifelong_core::publication::day")]
    pub recognised_on: time::Date,
    /// False when the recognition has since been revoked.
    pub valid: bool,
}

/// A recognition with the outcome it recognised, for the certificate page.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub recognition: StoredRecognition,
    pub holder_name: String,
    pub outcome_title: String,
    pub unit_title: String,
    /// The engine's explanation in plain words (R23).
    pub explanation: String,
}

impl App {
    /// A learner's outcomes that do not count (yet): under review, rejected or revoked.
    pub async fn my_open_outcomes(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<lifelong_store::StoredOutcome>> {
        actor.require(Permission::ViewOwnAccount)?;
        let account = actor.account.as_ref().ok_or(AppError::Forbidden)?;
        Ok(self
            .store
            .outcomes_of(account)
            .await?
            .into_iter()
            .filter(|o| o.status != lifelong_core::review::OutcomeStatus::Accepted)
            .collect())
    }

    /// A recognition certificate, for its holder or a reviewer.
    pub async fn certificate(
        &self,
        actor: &Actor,
        id: &lifelong_store::RecognitionId,
        lang: lifelong_core::Lang,
    ) -> AppResult<Certificate> {
        let recognition = self.store.recognition(id).await?;
        self.may_read_archive(actor, &recognition.account_id, "recognition.view")
            .await?;
        let account = self.store.account(&recognition.account_id).await?;
        let outcome = self.store.outcome(&recognition.outcome_id).await?;
        let unit_title = self
            .store
            .units(Some(&recognition.unit_code))
            .await?
            .into_iter()
            .find(|u| u.code == recognition.unit_code && u.version == recognition.unit_version)
            .map(|u| u.title.get(lang).to_owned())
            .unwrap_or_default();
        // Told in the viewer's language from the recorded facts; the engine's full decision
        // is kept as JSON in `recognition.explanation`.
        let explanation = match lang {
            lifelong_core::Lang::Zh => format!(
                "依据认定标准 {}（第{}版），认定为认证单元 {}（第{}版），{} 学分。",
                recognition.standard_code,
                recognition.standard_version,
                recognition.unit_code,
                recognition.unit_version,
                recognition.credits
            ),
            lifelong_core::Lang::En => format!(
                "Recognised under standard {} (version {}) as unit {} (version {}): {} credits.",
                recognition.standard_code,
                recognition.standard_version,
                recognition.unit_code,
                recognition.unit_version,
                recognition.credits
            ),
        };
        Ok(Certificate {
            holder_name: account.name.as_str().to_owned(),
            outcome_title: outcome.outcome.title,
            unit_title,
            explanation,
            recognition,
        })
    }

    /// Anyone (an employer) may check a certificate number; the holder's name is masked.
    pub async fn check_certificate(&self, certificate_no: &str) -> AppResult<CertificateCheck> {
        let no = certificate_no.trim().to_ascii_uppercase();
        if no.is_empty() || no.len() > 40 {
            return Err(AppError::NotFound);
        }
        let r = self.store.recognition_by_certificate(&no).await?;
        let account = self.store.account(&r.account_id).await?;
        let unit_title = self
            .store
            .units(Some(&r.unit_code))
            .await?
            .into_iter()
            .find(|u| u.code == r.unit_code && u.version == r.unit_version)
            .map(|u| u.title.zh)
            .unwrap_or_default();
        let name = account.name.as_str();
        let chars = name.chars().count();
        Ok(CertificateCheck {
            certificate_no: r.certificate_no.clone(),
            holder_masked: lifelong_core::mask::mask_middle(name, 1, usize::from(chars > 2)),
            unit_code: r.unit_code.clone(),
            unit_title,
            standard_code: r.standard_code.clone(),
            standard_version: r.standard_version,
            credits: r.credits,
            category: r.category,
            level: r.level,
            recognised_on: r.recognised_on,
            valid: !r.revoked,
        })
    }
}

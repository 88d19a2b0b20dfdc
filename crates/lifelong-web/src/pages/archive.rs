//! The learner's lifelong archive (R7–R9): every entry with its content, mode, time, result,
//! credits and source, filtered by year, category and kind; credits by category; outcomes
//! still under review; downloads as JSON and CSV; printable recognition certificates; and the
//! public check of a certificate number for employers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lifelong_app::bank::archive::{Certificate, CertificateCheck};
use lifelong_app::bank::{archive_csv, ArchiveItem, EntryBody};
use lifelong_app::AppError;
use lifelong_core::archive::EntryKind;
use lifelong_core::outcome::{CreditCategory, OutcomeKind};
use lifelong_store::{
    ArchiveFilter, CategoryCredits, Cursor, RecognitionId, StoredOutcome, StoredRecognition,
};
use serde::Deserialize;

use super::{render, Chrome, Page};
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(ArchiveTexts {
    title: "我的终身学习档案" | "My lifelong learning archive",
    lead: "这里记录您的每一项学习成果和学分认定。档案只增不改：更正或撤销也会作为新记录留存，每条记录都有哈希链防篡改。" | "Every learning outcome and recognition of yours is recorded here. The archive is never edited: corrections and revocations are new entries too, and every entry is chained by hash so that tampering shows.",
    credits_heading: "累计学分" | "Credits accumulated",
    recognitions_heading: "学分认定" | "Recognitions",
    certificate: "认定证书" | "Certificate",
    pending_heading: "审核中的成果" | "Outcomes under review",
    due: "预计审核截止" | "Decision due",
    entries_heading: "档案记录" | "Archive entries",
    filter: "筛选" | "Filter",
    year: "年份" | "Year",
    category: "类别" | "Category",
    outcome_kind: "成果类型" | "Kind of outcome",
    entry_kind: "记录类型" | "Kind of entry",
    all: "全部" | "All",
    apply: "筛选" | "Apply",
    apply_link: "申请学分认定" | "Apply for recognition",
    download_json: "下载档案（JSON）" | "Download (JSON)",
    download_csv: "下载档案（CSV，可用 Excel 打开）" | "Download (CSV, opens in Excel)",
    print: "打印" | "Print",
    completed_on: "完成日期" | "Completed",
    hours: "学时" | "Hours",
    credits: "学分" | "Credits",
    score: "成绩" | "Score",
    passed: "合格" | "Passed",
    not_passed: "未合格" | "Not passed",
    source: "出具机构" | "Vouched for by",
    mode: "学习方式" | "Mode",
    level: "级别" | "Level",
    recorded: "记录时间" | "Recorded",
    hash: "哈希" | "Hash",
    unit: "认证单元" | "Unit",
    standard: "认定标准" | "Standard",
    none: "档案中还没有记录。学习成果由机构存入，或由您申请认定后入档。" | "Nothing in the archive yet. Institutions deposit your outcomes, or you apply for recognition.",
    more: "更早的记录" | "Older entries",
    newest: "回到最新" | "Back to the newest",
    cert_title: "学分认定证书" | "Certificate of recognition",
    cert_holder: "持有人" | "Holder",
    cert_no: "证书编号" | "Certificate number",
    cert_outcome: "学习成果" | "Learning outcome",
    cert_on: "认定日期" | "Recognised on",
    cert_issuer: "上海市终身教育学分银行" | "Shanghai Lifelong Education Credit Bank",
    cert_verify: "用人单位可在本平台“证书核验”页面输入证书编号核验。" | "Employers can check this number on the platform's certificate check page.",
    check_title: "学分认定证书核验" | "Check a certificate of recognition",
    check_lead: "输入证书编号，核验学分银行是否出具过该证书。为保护个人信息，持有人姓名部分隐去。" | "Enter a certificate number to check that the credit bank issued it. The holder's name is partly hidden to protect personal data.",
    check_no: "证书编号" | "Certificate number",
    check: "核验" | "Check",
    check_ok: "该证书真实有效。" | "This certificate is genuine and valid.",
    check_revoked: "该证书由学分银行出具，但已被撤销，不再有效。" | "The credit bank issued this certificate, but it has been revoked and is no longer valid.",
    revoked_reason: "撤销理由" | "Reason for revocation",
    programme: "专业" | "Programme",
    grade: "成绩" | "Grade",
    replaced_by: "替代成果" | "Replaced by",
    rule: "转换规则" | "Conversion rule",
    check_missing: "未找到该编号的证书，请核对后重试。" | "No certificate has this number. Check it and try again.",
    activity_verb: "学习情况" | "Done",
    activity_result: "结果" | "Result",
    activity_at: "学习时间" | "When",
    platform: "学习平台" | "Learning platform",
    activity_voided: "学习平台已作废这条学习活动记录，它不再计入档案。" | "The learning platform voided this activity record; it no longer counts.",
});

/// Archive routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/archive", get(archive))
        .route("/me/archive.json", get(download_json))
        .route("/me/archive.csv", get(download_csv))
        .route("/recognitions/{id}", get(certificate))
        .route("/verify/recognition", get(check_certificate))
}

#[derive(Deserialize, Default)]
struct ArchiveQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, rename = "type")]
    entry_type: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

impl ArchiveQuery {
    fn filter(&self) -> ArchiveFilter {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        ArchiveFilter {
            year: text(&self.year).and_then(|y| y.parse().ok()),
            category: text(&self.category)
                .as_deref()
                .and_then(CreditCategory::parse),
            outcome_kind: text(&self.kind).as_deref().and_then(OutcomeKind::parse),
            kind: text(&self.entry_type).as_deref().and_then(EntryKind::parse),
        }
    }

    /// The filter part of the query, for the "older entries" link.
    fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("year", self.year.as_deref()),
            ("category", self.category.as_deref()),
            ("kind", self.kind.as_deref()),
            ("type", self.entry_type.as_deref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "archive.html")]
struct ArchivePage {
    chrome: Chrome,
    a: &'static ArchiveTexts,
    credits: Vec<CategoryCredits>,
    recognitions: Vec<StoredRecognition>,
    pending: Vec<StoredOutcome>,
    entries: Vec<ArchiveItem>,
    next: Option<String>,
    first: bool,
    query: ArchiveQuery,
    filter_query: String,
    years: Vec<i32>,
    categories: &'static [CreditCategory],
    kinds: &'static [OutcomeKind],
    entry_kinds: &'static [EntryKind],
}

impl ArchivePage {
    fn selected(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }
}

/// A day as `YYYY-MM-DD`.
pub(crate) fn day(d: &time::Date) -> String {
    lifelong_core::publication::day::format(*d)
}

fn own_account(signed: &SignedIn) -> Result<lifelong_store::AccountId, PageError> {
    signed
        .actor
        .account
        .clone()
        .ok_or(PageError(AppError::Forbidden))
}

async fn archive(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<ArchiveQuery>,
) -> Result<Response, PageError> {
    let account = own_account(&signed)?;
    let a = ArchiveTexts::get(page.lang);
    let first = q.cursor.is_none();
    let entries = state
        .app
        .archive_page(
            &signed.actor,
            &account,
            &q.filter(),
            &Cursor::new(q.cursor.clone(), Some(20)),
        )
        .await?;
    let (credits, recognitions) = state.app.credit_summary(&signed.actor, &account).await?;
    let pending = state.app.my_open_outcomes(&signed.actor).await?;
    let this_year = time::OffsetDateTime::now_utc().year();
    Ok(render(&ArchivePage {
        chrome: page.chrome(a.title),
        a,
        credits,
        recognitions,
        pending,
        entries: entries.items,
        next: entries.next,
        first,
        filter_query: q.filter_query(),
        query: q,
        years: (this_year - 30..=this_year).rev().collect(),
        categories: CreditCategory::ALL,
        kinds: OutcomeKind::ALL,
        entry_kinds: EntryKind::ALL,
    }))
}

async fn download_json(
    State(state): State<AppState>,
    signed: SignedIn,
) -> Result<Response, PageError> {
    let account = own_account(&signed)?;
    let export = state.app.export_archive(&signed.actor, &account).await?;
    let body = serde_json::to_string_pretty(&export)
        .map_err(|e| PageError(AppError::Internal(e.to_string())))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lifelong-archive.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

async fn download_csv(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    let account = own_account(&signed)?;
    let export = state.app.export_archive(&signed.actor, &account).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lifelong-archive.csv\"",
            ),
        ],
        archive_csv(&export, page.lang),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    chrome: Chrome,
    a: &'static ArchiveTexts,
    c: Certificate,
}

async fn certificate(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = RecognitionId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let a = ArchiveTexts::get(page.lang);
    let c = state.app.certificate(&signed.actor, &id, page.lang).await?;
    Ok(render(&CertificatePage {
        chrome: page.chrome(a.cert_title),
        a,
        c,
    }))
}

#[derive(Deserialize, Default)]
struct CheckQuery {
    #[serde(default)]
    no: Option<String>,
}

#[derive(Template)]
#[template(path = "certificate_check.html")]
struct CheckPage {
    chrome: Chrome,
    a: &'static ArchiveTexts,
    no: String,
    found: Option<CertificateCheck>,
    missing: bool,
}

async fn check_certificate(
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<CheckQuery>,
) -> Result<Response, PageError> {
    let a = ArchiveTexts::get(page.lang);
    let no = q.no.unwrap_or_default().trim().to_owned();
    let (found, missing) = if no.is_empty() {
        (None, false)
    } else {
        match state.app.check_certificate(&no).await {
            Ok(c) => (Some(c), false),
            Err(AppError::NotFound) => (None, true),
            Err(e) => return Err(e.into()),
        }
    };
    let mut response = render(&CheckPage {
        chrome: page.chrome(a.check_title),
        a,
        no,
        found,
        missing,
    });
    if missing {
        *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    }
    Ok(response)
}

/// What a template needs of an entry's body.
pub(crate) fn outcome_of(item: &ArchiveItem) -> Option<&lifelong_app::bank::OutcomeBody> {
    match &item.body {
        EntryBody::Outcome(o) => Some(o),
        _ => None,
    }
}

/// The learning activity an entry records, if it is one.
pub(crate) fn activity_of(item: &ArchiveItem) -> Option<&lifelong_app::xapi::ActivityBody> {
    match &item.body {
        EntryBody::Activity(x) => Some(x),
        _ => None,
    }
}

/// A scaled xAPI score (−1 to 1) as a percentage.
pub(crate) fn percent(scaled: &f64) -> String {
    format!("{:.0}%", scaled * 100.0)
}

/// An xAPI timestamp in Shanghai time, or as sent when it does not read as RFC 3339.
pub(crate) fn instant(at: &str) -> String {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map(|t| super::learner::when(&t))
        .unwrap_or_else(|_| at.to_owned())
}

/// The exemption an entry records, if it is one.
pub(crate) fn exemption_of(
    item: &ArchiveItem,
) -> Option<&lifelong_app::bank::entries::ExemptionBody> {
    match &item.body {
        EntryBody::Exemption(x) => Some(x),
        _ => None,
    }
}

/// The revocation of an entry, if it is one.
pub(crate) fn revocation_of(
    item: &ArchiveItem,
) -> Option<&lifelong_app::bank::entries::RevocationBody> {
    match &item.body {
        EntryBody::Revocation(r) => Some(r),
        _ => None,
    }
}

/// The recognition of an entry, if it is one.
pub(crate) fn recognition_of(item: &ArchiveItem) -> Option<&lifelong_app::bank::RecognitionBody> {
    match &item.body {
        EntryBody::Recognition(r) => Some(r),
        _ => None,
    }
}

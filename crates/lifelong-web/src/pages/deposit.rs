//! Depositing outcomes in the institution console (R7, R15): one outcome on a form, or a file
//! checked row by row (dry run) and then confirmed, all rows or none; templates to fill in.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::bank::{DepositInput, DepositReport, Deposited, OUTCOME_SCHEMA};
use lifelong_app::AppError;
use lifelong_core::outcome::{CreditCategory, LearningMode, OutcomeKind};
use lifelong_core::role::Permission;
use lifelong_core::Explain;
use lifelong_store::{Cursor, Upload, UploadId, UploadPurpose};
use serde::Deserialize;

use super::console::read_upload;
use super::{form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(DepositTexts {
    title: "存入学习成果" | "Deposit learning outcomes",
    lead: "为本机构学员存入学习成果。可信机构存入的成果立即计入学员的终身学习档案，并按现行认定标准自动认定学分；其他成果由学分银行审核后入档（一般 15 个工作日内）。同一“机构记录编号”只会存入一次。" | "Deposit your learners' outcomes. From a trusted institution they count at once in the learner's lifelong archive and are recognised under the standards in force; otherwise the credit bank reviews them first (usually within 15 working days). A record id is only ever deposited once.",
    single_heading: "存入一项成果" | "Deposit one outcome",
    id_number: "学员身份证号码" | "Learner's ID number",
    external_id: "机构记录编号" | "Your record id",
    external_id_hint: "本机构系统中该成绩或证书的编号，用于防止重复存入。" | "The id of this result or certificate in your own system; it prevents depositing twice.",
    outcome_title: "成果名称" | "Title",
    kind: "成果类型" | "Kind",
    completed_on: "完成日期" | "Completed on",
    hours: "学时" | "Study hours",
    credits: "学分" | "Credits",
    score: "成绩" | "Score",
    passed: "是否合格" | "Passed",
    yes: "合格" | "Passed",
    no: "不合格" | "Not passed",
    certificate_code: "证书代码" | "Certificate code",
    certificate_level: "证书等级（1 最高）" | "Certificate level (1 is highest)",
    course_code: "课程代码" | "Course code",
    category: "学分类别" | "Credit category",
    by_kind: "按成果类型默认" | "Default for the kind",
    mode: "学习方式" | "Mode of learning",
    deposit: "存入" | "Deposit",
    done_accepted: "已存入，并已计入学员档案。" | "Deposited; it now counts in the learner's archive.",
    done_pending: "已存入，等待学分银行审核。" | "Deposited; it waits for the credit bank's review.",
    done_existing: "该机构记录编号此前已存入，未重复存入。" | "This record id had been deposited before; nothing was deposited twice.",
    bulk_heading: "批量存入（Excel / CSV）" | "Deposit in bulk (Excel / CSV)",
    bulk_lead: "上传文件后系统先逐行检查，列出所有问题；确认后才存入，要么全部存入，要么一项也不存入。此前已存入的记录编号会被跳过。" | "Every row is checked first and every problem listed; nothing is deposited until you confirm, and then all rows or none are. Record ids deposited before are skipped.",
    bulk_file: "选择文件" | "Choose a file",
    bulk_check: "检查文件" | "Check the file",
    template_xlsx: "下载 Excel 模板" | "Download the Excel template",
    template_csv: "下载 CSV 模板" | "Download the CSV template",
    report_title: "存入文件检查结果" | "Deposit file check",
    rows: "数据行数" | "Data rows",
    to_deposit: "将存入" | "To deposit",
    to_accept: "其中立即入档" | "Of which count at once",
    to_recognise: "其中可自动认定学分" | "Of which recognised",
    already: "此前已存入（跳过）" | "Deposited before (skipped)",
    errors: "错误" | "Errors",
    row: "行" | "Row",
    column: "列" | "Column",
    reason: "原因" | "Reason",
    more_errors: "只列出前 1000 处错误。" | "Only the first 1,000 errors are listed.",
    fix_and_retry: "文件中有错误，未存入任何成果。请按上表修改后重新上传。" | "The file has errors; nothing has been deposited. Correct the rows listed and upload again.",
    ignored_headers: "以下列无法识别，已忽略：" | "These columns were not recognised and were ignored:",
    confirm: "确认存入" | "Confirm and deposit",
    confirm_question: "确认存入这些学习成果吗？" | "Deposit these outcomes?",
    committed: "已完成存入。" | "Done.",
    created: "已存入" | "Deposited",
    accepted: "立即入档" | "Counted at once",
    unchanged: "跳过（此前已存入）" | "Skipped (deposited before)",
    empty_file: "文件中没有数据行。" | "The file has no data rows.",
    back: "返回成果存入" | "Back to deposits",
    uploads_heading: "最近的存入文件" | "Recent deposit files",
    file: "文件" | "File",
    status: "状态" | "Status",
    waiting: "待确认" | "Waiting for confirmation",
    optional: "选填" | "optional",
});

/// Deposit routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/outcomes", get(deposit_page).post(deposit_one))
        .route("/console/outcomes/bulk", post(check_file))
        .route("/console/outcomes/uploads/{id}/commit", post(commit_file))
        .route("/console/outcomes/template.xlsx", get(template_xlsx))
        .route("/console/outcomes/template.csv", get(template_csv))
}

/// The single-deposit form as typed (checkboxes and selects arrive as text).
#[derive(Deserialize, Default, Clone)]
struct DepositForm {
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    completed_on: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    credits: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    passed: String,
    #[serde(default)]
    certificate_code: String,
    #[serde(default)]
    certificate_level: String,
    #[serde(default)]
    course_code: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    mode: String,
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned()).filter(|t| !t.trim().is_empty())
}

impl DepositForm {
    fn input(&self) -> DepositInput {
        DepositInput {
            id_number: self.id_number.clone(),
            external_id: some(&self.external_id),
            outcome: lifelong_app::bank::OutcomeInput {
                title: self.title.clone(),
                kind: self.kind.clone(),
                completed_on: self.completed_on.clone(),
                hours: some(&self.hours),
                credits: some(&self.credits),
                score: some(&self.score),
                passed: some(&self.passed),
                certificate_code: some(&self.certificate_code),
                certificate_level: some(&self.certificate_level),
                course_code: some(&self.course_code),
                category: some(&self.category),
                mode: some(&self.mode),
                ..Default::default()
            },
        }
    }
}

#[derive(Template)]
#[template(path = "deposit.html")]
struct DepositPage {
    chrome: Chrome,
    d: &'static DepositTexts,
    form: DepositForm,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
    uploads: Vec<Upload>,
    kinds: &'static [OutcomeKind],
    categories: &'static [CreditCategory],
    modes: &'static [LearningMode],
}

async fn show(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    form: DepositForm,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
) -> Result<DepositPage, PageError> {
    signed.actor.require(Permission::DepositOutcomes)?;
    let d = DepositTexts::get(page.lang);
    let uploads = state
        .app
        .list_uploads(&signed.actor, &Cursor::new(None, Some(30)))
        .await
        .map(|p| {
            p.items
                .into_iter()
                .filter(|u| u.purpose == UploadPurpose::Outcomes)
                .take(10)
                .collect()
        })
        .unwrap_or_default();
    Ok(DepositPage {
        chrome: page.chrome(d.title),
        d,
        form,
        errors,
        notice,
        uploads,
        kinds: OutcomeKind::ALL,
        categories: CreditCategory::ALL,
        modes: LearningMode::ALL,
    })
}

async fn deposit_page(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let d = DepositTexts::get(page.lang);
    let notice = match q.done.as_deref() {
        Some("accepted") => Some(d.done_accepted),
        Some("pending") => Some(d.done_pending),
        Some("existing") => Some(d.done_existing),
        _ => None,
    };
    let form = DepositForm {
        passed: "true".into(),
        ..Default::default()
    };
    Ok(render(
        &show(&state, &page, &signed, form, Vec::new(), notice).await?,
    ))
}

async fn deposit_one(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<DepositForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .deposit_outcome(&signed.actor, &form.input())
        .await
    {
        Ok(Deposited::Created(o)) if o.entry_id.is_some() => {
            Ok(Redirect::to("/console/outcomes?done=accepted").into_response())
        }
        Ok(Deposited::Created(_)) => {
            Ok(Redirect::to("/console/outcomes?done=pending").into_response())
        }
        Ok(Deposited::Existing(_)) => {
            Ok(Redirect::to("/console/outcomes?done=existing").into_response())
        }
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            let mut response = render(&show(&state, &page, &signed, form, errors, None).await?);
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "deposit_report.html")]
struct ReportPage {
    chrome: Chrome,
    d: &'static DepositTexts,
    report: DepositReport,
    committed: bool,
}

impl ReportPage {
    fn column_label(&self, key: &Option<String>) -> &'static str {
        key.as_deref()
            .and_then(|k| OUTCOME_SCHEMA.column(k))
            .map(|c| c.label().pick(self.chrome.lang))
            .unwrap_or("")
    }
}

fn report_page(page: &Page, report: DepositReport, committed: bool) -> Response {
    let d = DepositTexts::get(page.lang);
    let status = if report.error_count > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = render(&ReportPage {
        chrome: page.chrome(d.report_title),
        d,
        report,
        committed,
    });
    *response.status_mut() = status;
    response
}

async fn check_file(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (name, bytes) = read_upload(&headers, multipart).await?;
    match state
        .app
        .check_deposit_upload(&signed.actor, &name, &bytes, page.lang)
        .await
    {
        Ok(report) => Ok(report_page(&page, report, false)),
        Err(e @ AppError::File(_)) => {
            let errors = vec![FieldMessage {
                field: "file",
                message: e.message(page.lang),
            }];
            let mut response =
                render(&show(&state, &page, &signed, DepositForm::default(), errors, None).await?);
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn commit_file(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = UploadId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    match state
        .app
        .commit_deposit_upload(&signed.actor, &id, page.lang)
        .await
    {
        Ok(report) => Ok(report_page(&page, report, true)),
        Err(AppError::DepositHasErrors(report)) => Ok(report_page(&page, *report, false)),
        Err(e) => Err(e.into()),
    }
}

/// The example row of the templates (a published test ID number, never a real person's).
const EXAMPLE: [&str; 17] = [
    "11010519491231002X",
    "CERT-2025-0001",
    "电工（四级）",
    "skill_certificate",
    "2025-06-30",
    "",
    "",
    "",
    "合格",
    "6-31-01-03",
    "4",
    "",
    "",
    "",
    "",
    "",
    "",
];

async fn template_xlsx(page: Page, signed: SignedIn) -> Result<Response, PageError> {
    signed.actor.require(Permission::DepositOutcomes)?;
    super::template_download(
        &OUTCOME_SCHEMA,
        page.lang,
        &[&EXAMPLE],
        super::TemplateFormat::Xlsx,
        "outcomes",
    )
}

async fn template_csv(page: Page, signed: SignedIn) -> Result<Response, PageError> {
    signed.actor.require(Permission::DepositOutcomes)?;
    super::template_download(
        &OUTCOME_SCHEMA,
        page.lang,
        &[&EXAMPLE],
        super::TemplateFormat::Csv,
        "outcomes",
    )
}

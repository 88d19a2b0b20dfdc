//! The institution console: the institution's profile, bulk account opening (upload, dry
//! run with row-level errors, confirm), opening one account, the accounts it holds, its
//! uploads, and — for managers — its API tokens. Learning platforms (xAPI) have their own
//! page, in `console_xapi`.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::{AppError, BulkReport, OpenAccountInput, ACCOUNT_SCHEMA};
use lifelong_core::role::Permission;
use lifelong_core::Explain;
use lifelong_store::{
    Account, AccountFilter, ApiToken, Cursor, Institution, Opened, TokenId, Upload, UploadId,
};
use serde::Deserialize;

use super::learner::when;
use super::{form_errors, is_form_error, render, Chrome, CursorQuery, FieldMessage, Page};
use crate::auth::csrf::{self, CsrfForm};
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(ConsoleTexts {
    title: "机构工作台" | "Institution console",
    credit_code: "统一社会信用代码" | "Unified social credit code",
    kind: "机构类型" | "Kind",
    district: "所在区" | "District",
    bulk_heading: "批量开通学习账户" | "Open learning accounts in bulk",
    bulk_lead: "上传 Excel（.xlsx）或 CSV 文件。系统会先逐行检查，列出所有问题和将要开通的账户；您确认后才会开通，且要么全部开通，要么一个也不开通。已有账户的学员不会重复开户，只会关联到本机构。" | "Upload an Excel (.xlsx) or CSV file. Every row is checked first, listing all problems and the accounts that would be opened; nothing is opened until you confirm, and then all or none are. Learners who already have an account are not opened again, only linked to your institution.",
    bulk_file: "选择文件" | "Choose a file",
    bulk_file_hint: "列：姓名、身份证号码（必填），手机号码、监护人姓名（选填）。未满 14 周岁的学员须填写监护人姓名。" | "Columns: name, ID number (required); mobile, guardian name (optional). Learners under 14 need a guardian's name.",
    bulk_check: "检查文件" | "Check the file",
    template_xlsx: "下载 Excel 模板" | "Download the Excel template",
    template_csv: "下载 CSV 模板" | "Download the CSV template",
    report_title: "文件检查结果" | "File check",
    rows: "数据行数" | "Data rows",
    to_create: "将新开账户" | "New accounts to open",
    to_link: "已有账户、将关联到本机构" | "Existing accounts to link",
    errors: "错误" | "Errors",
    ignored_headers: "以下列无法识别，已忽略：" | "These columns were not recognised and were ignored:",
    row: "行" | "Row",
    column: "列" | "Column",
    reason: "原因" | "Reason",
    more_errors: "只列出前 1000 处错误。" | "Only the first 1,000 errors are listed.",
    fix_and_retry: "文件中有错误，未开通任何账户。请按上表修改后重新上传。" | "The file has errors; no account has been opened. Correct the rows listed and upload again.",
    confirm: "确认开通" | "Confirm and open",
    confirm_question: "确认开通这些学习账户吗？" | "Open these learning accounts?",
    upload_again: "重新上传" | "Upload another file",
    committed: "已完成开通。" | "Done.",
    created: "新开账户" | "Accounts opened",
    linked: "关联已有账户" | "Existing accounts linked",
    unchanged: "原已关联" | "Already linked",
    empty_file: "文件中没有数据行。" | "The file has no data rows.",
    guardian_label: "监护人姓名（未满 14 周岁须填写）" | "Guardian's name (needed under 14)",
    single_heading: "开通单个学习账户" | "Open one learning account",
    open: "开通" | "Open account",
    opened_new: "已开通学习账户。" | "The learning account has been opened.",
    opened_existing: "此人已有学习账户，已关联到本机构。" | "This person already had a learning account; it is now linked to your institution.",
    accounts_heading: "本机构学员账户" | "Your learners' accounts",
    view_accounts: "查看全部学员账户" | "See all learners' accounts",
    uploads_heading: "最近的批量文件" | "Recent bulk files",
    file: "文件" | "File",
    tokens_heading: "接口令牌（API）" | "API tokens",
    tokens_lead: "本机构的学习平台或教务系统用令牌调用接口（/api/v1）。令牌只在创建时显示一次，请妥善保存；不再使用时请立即撤销。" | "Your learning platform or student system calls the API (/api/v1) with a token. A token is shown only once when created; keep it safe, and revoke it as soon as it is no longer used.",
    token_name: "令牌名称" | "Token name",
    token_name_hint: "例如所使用的系统名称。" | "For example, the system that will use it.",
    token_create: "创建令牌" | "Create token",
    token_new: "新令牌（只显示这一次）：" | "New token (shown only this once):",
    token_copy: "复制" | "Copy",
    token_prefix: "前缀" | "Prefix",
    token_last_used: "最近使用" | "Last used",
    token_revoke: "撤销" | "Revoke",
    token_revoke_confirm: "撤销后使用该令牌的系统将立即无法访问，确定吗？" | "Systems using this token will lose access at once. Revoke it?",
    token_revoked: "已撤销" | "Revoked",
    never: "从未" | "Never",
    xapi_heading: "学习平台接入（xAPI）" | "Learning platforms (xAPI)",
    xapi_lead: "本机构的在线学习平台可按 xAPI 标准报送学员的学习记录，计入学员的终身学习档案。在这里查看接入方式、平台最近报送的记录和被拒绝的请求；机构管理员可创建和撤销接入凭据。" | "Your online learning platforms can send learners' records by the xAPI standard into their lifelong learning archives. See here how to connect, what the platforms sent lately and which requests were refused; managers issue and revoke the credentials.",
    xapi_open: "管理学习平台接入" | "Open learning platforms",
});

/// Console routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console", get(console))
        .route("/console/bulk", post(check_bulk))
        .route("/console/uploads/{id}/commit", post(commit_bulk))
        .route("/console/template.xlsx", get(template_xlsx))
        .route("/console/template.csv", get(template_csv))
        .route("/console/accounts", get(accounts).post(open_account))
        .route("/console/tokens", post(create_token))
        .route("/console/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "console.html")]
struct ConsolePage {
    chrome: Chrome,
    c: &'static ConsoleTexts,
    institution: Institution,
    uploads: Vec<Upload>,
    tokens: Option<Vec<ApiToken>>,
    new_token: Option<String>,
    form: OpenAccountInput,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

impl ConsolePage {
    fn district(&self) -> &'static str {
        lifelong_core::district::District::by_code(&self.institution.district_code)
            .map(|d| d.name(self.chrome.lang))
            .unwrap_or("")
    }
}

#[derive(Default)]
struct ConsoleState {
    form: OpenAccountInput,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
    new_token: Option<String>,
}

async fn console_page(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    extra: ConsoleState,
) -> Result<Response, PageError> {
    let c = ConsoleTexts::get(page.lang);
    let institution_id = signed.actor.own_institution()?.clone();
    let institution = state
        .app
        .institution(&signed.actor, &institution_id)
        .await?;
    let uploads = state
        .app
        .list_uploads(&signed.actor, &Cursor::new(None, Some(10)))
        .await?
        .items;
    let tokens = if signed.actor.can(Permission::ManageInstitutionTokens) {
        Some(
            state
                .app
                .list_tokens(&signed.actor, &institution_id)
                .await?,
        )
    } else {
        None
    };
    Ok(render(&ConsolePage {
        chrome: page.chrome(c.title),
        c,
        institution,
        uploads,
        tokens,
        new_token: extra.new_token,
        form: extra.form,
        errors: extra.errors,
        notice: extra.notice,
    }))
}

/// The console again after a refusal, with the refusal's status.
async fn console_refusal(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    extra: ConsoleState,
    error: &AppError,
) -> Result<Response, PageError> {
    let mut response = console_page(state, page, signed, extra).await?;
    *response.status_mut() = crate::error::status_of(error);
    Ok(response)
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    opened: Option<String>,
}

async fn console(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::OpenAccounts)?;
    let c = ConsoleTexts::get(page.lang);
    let notice = match q.opened.as_deref() {
        Some("new") => Some(c.opened_new),
        Some("existing") => Some(c.opened_existing),
        _ => None,
    };
    console_page(
        &state,
        &page,
        &signed,
        ConsoleState {
            notice,
            ..Default::default()
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "console_report.html")]
struct ReportPage {
    chrome: Chrome,
    c: &'static ConsoleTexts,
    report: BulkReport,
    committed: bool,
}

impl ReportPage {
    fn column_label(&self, key: &Option<String>) -> &'static str {
        key.as_deref()
            .and_then(|k| ACCOUNT_SCHEMA.column(k))
            .map(|c| c.label().pick(self.chrome.lang))
            .unwrap_or("")
    }
}

/// Reads the multipart upload: the CSRF token and the file.
pub(crate) async fn read_upload(
    headers: &HeaderMap,
    mut multipart: Multipart,
) -> Result<(String, Vec<u8>), PageError> {
    let mut csrf_token = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let bad = |_| PageError(AppError::Conflict("form_invalid"));
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf_token = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            _ => {}
        }
    }
    csrf::verify(headers, &csrf_token)?;
    file.ok_or(PageError(AppError::File(lifelong_import::FileError::Empty)))
}

async fn check_bulk(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (name, bytes) = read_upload(&headers, multipart).await?;
    let c = ConsoleTexts::get(page.lang);
    match state
        .app
        .check_bulk_file(&signed.actor, &name, &bytes, page.lang)
        .await
    {
        Ok(report) => {
            let status = if report.error_count > 0 {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let mut response = render(&ReportPage {
                chrome: page.chrome(c.report_title),
                c,
                report,
                committed: false,
            });
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e @ AppError::File(_)) => {
            let errors = vec![FieldMessage {
                field: "file",
                message: e.message(page.lang),
            }];
            console_refusal(
                &state,
                &page,
                &signed,
                ConsoleState {
                    errors,
                    ..Default::default()
                },
                &e,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn commit_bulk(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = UploadId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let c = ConsoleTexts::get(page.lang);
    match state
        .app
        .commit_bulk_file(&signed.actor, &id, page.lang)
        .await
    {
        Ok(report) => Ok(render(&ReportPage {
            chrome: page.chrome(c.report_title),
            c,
            report,
            committed: true,
        })),
        Err(AppError::BulkHasErrors(report)) => {
            let mut response = render(&ReportPage {
                chrome: page.chrome(c.report_title),
                c,
                report: *report,
                committed: false,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn template_xlsx(page: Page, signed: SignedIn) -> Result<Response, PageError> {
    signed.actor.require(Permission::OpenAccounts)?;
    super::template_download(
        &ACCOUNT_SCHEMA,
        page.lang,
        &[],
        super::TemplateFormat::Xlsx,
        "accounts",
    )
}

async fn template_csv(page: Page, signed: SignedIn) -> Result<Response, PageError> {
    signed.actor.require(Permission::OpenAccounts)?;
    super::template_download(
        &ACCOUNT_SCHEMA,
        page.lang,
        &[],
        super::TemplateFormat::Csv,
        "accounts",
    )
}

#[derive(Template)]
#[template(path = "console_accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    c: &'static ConsoleTexts,
    accounts: Vec<Account>,
    next: Option<String>,
    first: bool,
}

async fn accounts(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<CursorQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ViewInstitutionAccounts)?;
    let c = ConsoleTexts::get(page.lang);
    let first = q.cursor.is_none();
    let result = state
        .app
        .list_accounts(
            &signed.actor,
            AccountFilter::default(),
            None,
            &Cursor::new(q.cursor, Some(50)),
        )
        .await?;
    Ok(render(&AccountsPage {
        chrome: page.chrome(c.accounts_heading),
        c,
        accounts: result.items,
        next: result.next,
        first,
    }))
}

async fn open_account(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<OpenAccountInput>,
) -> Result<Response, PageError> {
    match state
        .app
        .open_account(&signed.actor, form.clone(), page.lang)
        .await
    {
        Ok(Opened::Created(_)) => Ok(Redirect::to("/console?opened=new").into_response()),
        Ok(Opened::Existing(_)) => Ok(Redirect::to("/console?opened=existing").into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            console_refusal(
                &state,
                &page,
                &signed,
                ConsoleState {
                    form,
                    errors,
                    ..Default::default()
                },
                &e,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let institution = signed.actor.own_institution()?.clone();
    match state
        .app
        .create_token(&signed.actor, &institution, &form.name)
        .await
    {
        Ok((_, plain)) => {
            let mut response = console_page(
                &state,
                &page,
                &signed,
                ConsoleState {
                    new_token: Some(plain),
                    ..Default::default()
                },
            )
            .await?;
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            console_refusal(
                &state,
                &page,
                &signed,
                ConsoleState {
                    errors,
                    ..Default::default()
                },
                &e,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = TokenId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let institution = signed.actor.own_institution()?.clone();
    state
        .app
        .revoke_token(&signed.actor, &institution, &id)
        .await?;
    Ok(Redirect::to("/console#tokens").into_response())
}

/// Shown in templates: when a token was last used.
pub(crate) fn last_used(token: &ApiToken, never: &'static str) -> String {
    token
        .last_used_at
        .as_ref()
        .map(when)
        .unwrap_or_else(|| never.to_owned())
}

//! [`AppError`]: everything a use case can refuse or fail with, each with a stable code and
//! a message in the person's language. The web layer maps each to an HTTP status; the CLI
//! prints the message.

use lifelong_core::{Explain, Lang};
use lifelong_import::FileError;
use lifelong_store::StoreError;

use crate::bulk::BulkReport;

/// The result of a use case.
pub type AppResult<T> = Result<T, AppError>;

/// One invalid input field, explained in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The input field's name, e.g. `id_number`.
    pub field: &'static str,
    pub code: &'static str,
    #[serde(skip)]
    zh: String,
    #[serde(skip)]
    en: String,
}

impl FieldError {
    /// A field error from any domain error.
    pub fn new(field: &'static str, error: &dyn Explain) -> Self {
        FieldError {
            field,
            code: error.code(),
            zh: error.message(Lang::Zh),
            en: error.message(Lang::En),
        }
    }

    /// A field error with its own texts.
    pub fn text(field: &'static str, code: &'static str, zh: &str, en: &str) -> Self {
        FieldError {
            field,
            code,
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Some input fields are invalid; nothing was written.
    #[error("invalid input: {}", .0.iter().map(|f| f.code).collect::<Vec<_>>().join(", "))]
    Invalid(Vec<FieldError>),
    /// No valid session or token.
    #[error("not signed in")]
    Unauthenticated,
    /// Wrong login or password (deliberately not saying which).
    #[error("wrong login or password")]
    InvalidCredentials,
    /// Too many failed sign-ins.
    #[error("locked after repeated failed sign-ins")]
    Locked,
    /// The actor's role or scope does not allow this.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule refused it; the code says which.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The account is not in a state that allows this (rule R6).
    #[error("account state: {0}")]
    AccountState(#[from] lifelong_core::account::AccountError),
    /// An uploaded file cannot be read.
    #[error("file: {0}")]
    File(#[from] FileError),
    /// A bulk file has row errors: nothing was written; the report says which rows.
    #[error("the file has {} row errors", .0.error_count)]
    BulkHasErrors(Box<BulkReport>),
    /// An outcome-deposit file has row errors: nothing was written.
    #[error("the file has {} row errors", .0.error_count)]
    DepositHasErrors(Box<crate::bank::DepositReport>),
    /// A learning record store request the xAPI specification refuses, with its status.
    #[error("xapi: {0}")]
    Xapi(Box<lifelong_xapi::XapiError>),
    /// Anything else: logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A single invalid field.
    pub fn field(field: &'static str, error: &dyn Explain) -> Self {
        AppError::Invalid(vec![FieldError::new(field, error)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(code) => AppError::Conflict(code),
            other => AppError::Internal(other.to_string()),
        }
    }
}

fn conflict_message(code: &str, lang: Lang) -> String {
    let (zh, en) = match code {
        "account_exists" => (
            "此身份证号码已开通学习账户，一人只能有一个账户。",
            "An account already exists for this ID number: one person, one account.",
        ),
        "login_taken" => (
            "此登录名或手机号码已被使用。",
            "This login or mobile number is already in use.",
        ),
        "institution_exists" => (
            "此统一社会信用代码的机构已存在。",
            "An institution with this unified social credit code already exists.",
        ),
        "account_state_changed" => (
            "该账户刚被他人处理，请刷新后再试。",
            "Someone else has just changed this account; reload and try again.",
        ),
        "consent_already_withdrawn" => {
            ("该授权已撤回。", "This consent has already been withdrawn.")
        }
        "upload_already_committed" => (
            "该文件已确认导入，不会重复开户。",
            "This file has already been confirmed; nothing is opened twice.",
        ),
        "idempotency_key_reused" => (
            "此幂等键已用于另一个不同的请求。",
            "This Idempotency-Key was already used for a different request.",
        ),
        "request_in_progress" => (
            "相同的请求正在处理中，请稍后再试。",
            "The same request is still being processed; try again shortly.",
        ),
        "csrf_failed" => ("页面已过期或来源不明，请刷新页面后重新提交。", "This page has expired or the form came from elsewhere; reload the page and submit again."),
        "form_invalid" | "body_unreadable" => ("提交的表单内容无法识别，请刷新页面后重试。", "The form could not be read; reload the page and try again."),
        "already_decided" => ("该事项刚被其他审核员处理，结论已生效，请刷新后查看。", "Another reviewer has just decided this item; reload to see the decision."),
        "application_open" => ("您已有一份该专业的转换申请在办理中，请等待结论后再申请。", "You already have an application for this programme in progress; wait for its decision first."),
        "outcome_already_used" => ("该成果已在本专业用于转换，一项成果在同一专业只能使用一次。", "This outcome has already been used for a conversion in this programme; an outcome is used once per programme."),
        "refused_by_institution" => ("接收院校未同意该项转换。", "The receiving institution refused this conversion."),
        "not_accepted" => ("只有已入档的成果可以撤销。", "Only an outcome that counts can be revoked."),
        "not_open" => ("该事项已结束，不能再补充材料。", "This item is closed; no more evidence can be added."),
        "outcome_exists" => ("该机构记录编号已存入，不会重复存入。", "This record id has already been deposited; nothing is deposited twice."),
        "published_version_immutable" => ("已发布的版本不能修改，请新建一个版本。", "A published version cannot be changed; create a new version."),
        "not_a_draft" => ("只有草稿可以发布。", "Only a draft can be published."),
        "archive_changed" => ("档案刚有新记录写入，请重试。", "The archive has just changed; please try again."),
        "recognition_exists" => ("该成果已认定。", "This outcome has already been recognised."),
        "backup_target_exists" => ("备份目标文件已存在。", "The backup target already exists."),
        "already_revoked" => ("该凭据已撤销。", "This credential has already been revoked."),
        "credential_key_taken" => ("凭据标识重复，请重试。", "The credential key is taken; please try again."),
        _ => (
            "操作与现有数据冲突。",
            "The request conflicts with existing data.",
        ),
    };
    lang.pick(zh, en).to_owned()
}

impl Explain for AppError {
    fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(fields) if fields.len() == 1 => fields[0].code,
            AppError::Invalid(_) => "invalid_input",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Locked => "account_locked",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict(code) => code,
            AppError::AccountState(e) => e.code(),
            AppError::File(e) => e.code(),
            AppError::BulkHasErrors(_) | AppError::DepositHasErrors(_) => "file_has_row_errors",
            AppError::Xapi(e) => e.code(),
            AppError::Internal(_) => "internal_error",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let text = |zh: &str, en: &str| lang.pick(zh, en).to_owned();
        match self {
            AppError::Invalid(fields) if fields.len() == 1 => fields[0].message(lang).to_owned(),
            AppError::Invalid(fields) => match lang {
                Lang::Zh => format!("有 {} 项填写有误，请逐项修改：{}", fields.len(), fields.iter().map(|f| f.message(lang)).collect::<Vec<_>>().join(" ")),
                Lang::En => format!("{} fields need correcting: {}", fields.len(), fields.iter().map(|f| f.message(lang)).collect::<Vec<_>>().join(" ")),
            },
            AppError::Unauthenticated => text("请先登录。", "Please sign in first."),
            AppError::InvalidCredentials => text("登录名或密码不正确。", "The login or password is not correct."),
            AppError::Locked => text(
                "连续登录失败次数过多，账户已暂时锁定，请稍后再试。",
                "Too many failed sign-ins: the account is locked for a while. Please try again later.",
            ),
            AppError::Forbidden => text("您没有权限进行此操作。", "You are not allowed to do this."),
            AppError::NotFound => text("未找到所请求的内容。", "What you asked for was not found."),
            AppError::Conflict(code) => conflict_message(code, lang),
            AppError::AccountState(e) => e.message(lang),
            AppError::File(e) => e.message(lang),
            AppError::BulkHasErrors(report) => match lang {
                Lang::Zh => format!("文件中有 {} 处错误，未开通任何账户。请修改后重新上传。", report.error_count),
                Lang::En => format!("The file has {} errors; no account was opened. Correct it and upload again.", report.error_count),
            },
            AppError::DepositHasErrors(report) => match lang {
                Lang::Zh => format!("文件中有 {} 处错误，未存入任何成果。请修改后重新上传。", report.error_count),
                Lang::En => format!("The file has {} errors; no outcome was deposited. Correct it and upload again.", report.error_count),
            },
            AppError::Xapi(e) => e.message(lang),
            AppError::Internal(_) => text("系统内部错误，请稍后再试。", "Something went wrong on our side. Please try again later."),
        }
    }
}

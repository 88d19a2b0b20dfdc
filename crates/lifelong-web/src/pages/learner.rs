//! The learner's own pages: the learning account with its (masked) personal data and
//! status, consents with withdrawal (R4), the audited reveal of their own ID number (R3),
//! and changing one's password (every signed-in user).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::AppError;
use lifelong_core::account::AccountStatus;
use lifelong_core::consent::ConsentKind;
use lifelong_core::Lang;
use lifelong_store::{Account, Consent, ConsentId};
use serde::Deserialize;

use super::{form_errors, is_form_error, refused, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(LearnerTexts {
    title: "我的学习账户" | "My learning account",
    account_heading: "账户信息" | "Account",
    account_id: "账户编号" | "Account number",
    birth_date: "出生日期" | "Date of birth",
    opened_on: "开户时间" | "Opened",
    origin: "开户方式" | "Opened by",
    verified_on: "实名认证时间" | "Verified",
    reveal: "显示完整号码" | "Show the full number",
    reveal_note: "出于安全考虑，完整号码只显示这一次，查看记录会写入审计日志。" | "For your safety the full number is shown this once, and the viewing is recorded in the audit log.",
    status_registered: "已注册，等待实名认证。实名认证通过后，才能申请学习成果认定和学分转换。" | "Registered, waiting for real-name verification. Once verified you can apply for recognition and credit conversion.",
    status_verified: "已实名认证，可以申请学习成果认定和学分转换。" | "Verified: you can apply for recognition and credit conversion.",
    status_frozen: "账户已冻结，如有疑问请联系学分银行管理中心。" | "The account is frozen. If you have questions, contact the credit bank.",
    status_closed: "账户已注销。" | "The account is closed.",
    consents_heading: "我的授权" | "My consents",
    consents_lead: "您可以随时撤回授权；撤回后平台将停止相应的处理，但已有的学习记录仍依法保存。" | "You can withdraw a consent at any time; the platform then stops that processing, while existing records are kept as the law requires.",
    consent_kind: "授权事项" | "Consent",
    consent_purpose: "用途" | "Purpose",
    granted_at: "同意时间" | "Given",
    withdrawn_at: "撤回时间" | "Withdrawn",
    withdraw: "撤回" | "Withdraw",
    withdraw_confirm: "确定撤回这项授权吗？" | "Withdraw this consent?",
    grant_again: "重新同意" | "Consent again",
    not_given: "未授权" | "Not given",
    guardian: "监护人" | "Guardian",
    done_withdrawn: "已撤回授权。" | "The consent has been withdrawn.",
    done_granted: "已记录您的同意。" | "Your consent has been recorded.",
    password_title: "修改密码" | "Change password",
    current_password: "当前密码" | "Current password",
    new_password: "新密码" | "New password",
    new_password_hint: "至少 8 个字符。修改后需要重新登录。" | "At least 8 characters. You will sign in again afterwards.",
    new_password_confirm: "再次输入新密码" | "New password again",
});

/// Learner routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/reveal", post(reveal))
        .route("/me/consents/{id}/withdraw", post(withdraw))
        .route("/me/consents/grant", post(grant))
        .route("/password", get(password_form).post(change_password))
}

/// One consent kind with its current record, for the consents table.
struct ConsentRow {
    kind: ConsentKind,
    label: &'static str,
    record: Option<Consent>,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    chrome: Chrome,
    l: &'static LearnerTexts,
    account: Account,
    revealed: Option<String>,
    consents: Vec<ConsentRow>,
    history: Vec<Consent>,
    notice: Option<&'static str>,
}

impl MePage {
    fn status_text(&self) -> &'static str {
        match self.account.status {
            AccountStatus::Registered => self.l.status_registered,
            AccountStatus::Verified => self.l.status_verified,
            AccountStatus::Frozen => self.l.status_frozen,
            AccountStatus::Closed => self.l.status_closed,
        }
    }

    fn consent_label(&self, c: &Consent) -> &'static str {
        c.kind.label(self.chrome.lang)
    }
}

/// A timestamp for people: `YYYY-MM-DD HH:MM` in Beijing time.
pub(crate) fn when(t: &time::OffsetDateTime) -> String {
    let local = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

async fn load_me(
    state: &AppState,
    signed: &SignedIn,
    lang: Lang,
) -> Result<(Account, Vec<ConsentRow>, Vec<Consent>), PageError> {
    let account_id = signed
        .actor
        .account
        .clone()
        .ok_or(PageError(AppError::Forbidden))?;
    let account = state.app.account(&signed.actor, &account_id).await?;
    let history = state.app.own_consents(&signed.actor).await?;
    let kinds = [
        ConsentKind::PersonalInfo,
        ConsentKind::SensitiveIdNumber,
        ConsentKind::Guardian,
    ];
    let consents = kinds
        .into_iter()
        .filter_map(|kind| {
            let record = history
                .iter()
                .rev()
                .find(|c| c.kind == kind && c.withdrawn_at.is_none())
                .cloned();
            // Guardian consent is shown only where one was ever given.
            if kind == ConsentKind::Guardian && !history.iter().any(|c| c.kind == kind) {
                return None;
            }
            Some(ConsentRow {
                kind,
                label: kind.label(lang),
                record,
            })
        })
        .collect();
    Ok((account, consents, history))
}

async fn me(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let l = LearnerTexts::get(page.lang);
    let (account, consents, history) = load_me(&state, &signed, page.lang).await?;
    let notice = match q.done.as_deref() {
        Some("withdrawn") => Some(l.done_withdrawn),
        Some("granted") => Some(l.done_granted),
        _ => None,
    };
    Ok(render(&MePage {
        chrome: page.chrome(l.title),
        l,
        account,
        revealed: None,
        consents,
        history,
        notice,
    }))
}

#[derive(Deserialize)]
struct Empty {}

async fn reveal(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let l = LearnerTexts::get(page.lang);
    let account_id = signed
        .actor
        .account
        .clone()
        .ok_or(PageError(AppError::Forbidden))?;
    let revealed = state
        .app
        .reveal_id_number(&signed.actor, &account_id)
        .await?;
    let (account, consents, history) = load_me(&state, &signed, page.lang).await?;
    let mut response = render(&MePage {
        chrome: page.chrome(l.title),
        l,
        account,
        revealed: Some(revealed),
        consents,
        history,
        notice: None,
    });
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

async fn withdraw(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = ConsentId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    state.app.withdraw_consent(&signed.actor, &id).await?;
    Ok(Redirect::to("/me?done=withdrawn").into_response())
}

#[derive(Deserialize)]
struct GrantForm {
    kind: String,
}

async fn grant(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let kind = ConsentKind::parse(&form.kind)
        .filter(|k| *k != ConsentKind::Guardian)
        .ok_or(PageError(AppError::NotFound))?;
    state
        .app
        .grant_consent(&signed.actor, kind, page.lang)
        .await?;
    Ok(Redirect::to("/me?done=granted").into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    l: &'static LearnerTexts,
    errors: Vec<FieldMessage>,
}

async fn password_form(page: Page, _signed: SignedIn) -> Response {
    let l = LearnerTexts::get(page.lang);
    render(&PasswordPage {
        chrome: page.chrome(l.password_title),
        l,
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .change_password(
            &signed.actor,
            &form.current_password,
            &form.new_password,
            &form.new_password_confirm,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/login?changed=1").into_response()),
        Err(e) if is_form_error(&e) => {
            let l = LearnerTexts::get(page.lang);
            Ok(refused(
                &PasswordPage {
                    chrome: page.chrome(l.password_title),
                    l,
                    errors: form_errors(&e, page.lang),
                },
                &e,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

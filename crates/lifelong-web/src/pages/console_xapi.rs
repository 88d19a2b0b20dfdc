//! The institution console's learning-platform page (xAPI): how a platform connects to the
//! learning record store, the credentials it uses (issued with the secret shown once, listed,
//! revoked — for managers), and what the platforms sent: the newest statements and the
//! newest refused requests.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::xapi::{IssuedCredential, XapiConsole};
use lifelong_app::AppError;
use lifelong_core::Lang;
use lifelong_store::XapiCredential;
use serde::Deserialize;
use uuid::Uuid;

use super::learner::when;
use super::{form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(XapiTexts {
    title: "学习平台接入（xAPI）" | "Learning platforms (xAPI)",
    lead: "本机构的在线学习平台（如 Moodle、网络课堂）可按 xAPI 标准把学员的学习记录报送到本平台的学习记录库（LRS）。学员完成、通过、参加的学习活动会记入其终身学习档案；平台作废的记录会在档案中撤销。" | "Your online learning platforms (Moodle, an online classroom, …) can send learners' records to this platform's learning record store (LRS) by the xAPI standard. Activities learners complete, pass or attend go into their lifelong learning archives; records a platform voids are revoked there.",
    back: "返回机构工作台" | "Back to the institution console",
    connect_heading: "接入方式" | "How to connect",
    endpoint: "LRS 地址" | "LRS endpoint",
    auth: "认证方式" | "Authentication",
    auth_hint: "HTTP Basic 认证：用户名填“密钥”，密码填“密码”。每个请求须带请求头 X-Experience-API-Version（1.0.3 或 2.0.0）。" | "HTTP Basic authentication: the key is the user name and the secret the password. Every request carries the header X-Experience-API-Version (1.0.3 or 2.0.0).",
    learner_actor: "学员的标识" | "Naming a learner",
    learner_actor_hint: "要记入学员档案，声明的 actor 须用学习账户编号标识，且学员须为本机构学员：" | "To reach a learner's archive, a statement's actor names the learner by learning account id, and the learner must be one of yours:",
    counted_verbs: "计入档案的动词" | "Verbs that count",
    requires_success: "须 result.success 为 true" | "needs result.success true",
    credentials_heading: "接入凭据" | "Credentials",
    credentials_lead: "每个学习平台用一组凭据（密钥和密码）。密码只在创建时显示一次，请妥善保存；平台停用或密码可能泄露时，请立即撤销。" | "Each learning platform uses one credential (a key and a secret). The secret is shown only once when it is issued; keep it safe, and revoke the credential as soon as the platform stops or the secret may have leaked.",
    issued: "新凭据（密码只显示这一次，请立即复制保存）：" | "New credential (the secret is shown only this once; copy it now):",
    key: "密钥（key）" | "Key",
    secret: "密码（secret）" | "Secret",
    copy: "复制" | "Copy",
    label: "凭据名称" | "Credential name",
    label_hint: "例如所接入的学习平台名称。" | "For example, the learning platform that will use it.",
    issue: "创建凭据" | "Issue credential",
    last_used: "最近使用" | "Last used",
    statements: "已存声明" | "Statements stored",
    revoke: "撤销" | "Revoke",
    revoke_confirm: "撤销后使用该凭据的学习平台将立即无法报送，确定吗？" | "The learning platform using this credential will be refused at once. Revoke it?",
    revoked: "已撤销" | "Revoked",
    revoked_notice: "凭据已撤销。" | "The credential has been revoked.",
    active: "有效" | "Active",
    never: "从未" | "Never",
    managers_only: "凭据由机构管理员管理。" | "Credentials are managed by your institution's managers.",
    recent_heading: "最近收到的声明" | "Statements received lately",
    recent_lead: "最新 20 条。学员姓名和标识已部分隐去。" | "The newest 20. Learners' names and identifiers are partly hidden.",
    stored: "存储时间" | "Stored",
    actor: "学员" | "Learner",
    verb: "动作" | "Verb",
    object: "学习活动" | "Activity",
    platform: "学习平台" | "Platform",
    voided: "已作废" | "Voided",
    refusals_heading: "最近被拒绝的请求" | "Requests refused lately",
    refusals_lead: "最新 20 条，便于排查学习平台的报送问题。" | "The newest 20, to help find what a platform sends wrong.",
    at: "时间" | "Time",
    method: "方法" | "Method",
    resource: "资源" | "Resource",
    code: "代码" | "Code",
    message: "说明" | "Message",
});

/// Routes of the learning-platform page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/xapi", get(xapi_page))
        .route("/console/xapi/credentials", post(issue_credential))
        .route(
            "/console/xapi/credentials/{id}/revoke",
            post(revoke_credential),
        )
}

#[derive(Template)]
#[template(path = "console_xapi.html")]
struct XapiPage {
    chrome: Chrome,
    c: &'static XapiTexts,
    console: XapiConsole,
    endpoint: String,
    actor_example: String,
    verbs: String,
    issued: Option<IssuedCredential>,
    label: String,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

#[derive(Default)]
struct PageState {
    issued: Option<IssuedCredential>,
    label: String,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

/// Shown in the template: when a credential was last used.
pub(crate) fn last_used(credential: &XapiCredential, never: &'static str) -> String {
    credential
        .last_used_at
        .as_ref()
        .map(when)
        .unwrap_or_else(|| never.to_owned())
}

/// The verbs that count, in the page's language.
fn counted_verbs(state: &AppState, lang: Lang, c: &XapiTexts) -> String {
    state
        .app
        .settings
        .xapi
        .learning
        .verbs
        .iter()
        .map(|v| {
            let name = lang.pick(&v.name_zh, &v.name_en);
            if v.requires_success {
                format!("{name}（{}）", c.requires_success)
            } else {
                name.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

async fn xapi_view(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    extra: PageState,
) -> Result<Response, PageError> {
    let c = XapiTexts::get(page.lang);
    let institution = signed.actor.own_institution()?;
    let console = state
        .app
        .xapi_console(&signed.actor, institution, page.lang)
        .await?;
    let home_page = state.app.settings.xapi.home_page.trim_end_matches('/');
    let actor_example = serde_json::json!({
        "account": { "homePage": home_page, "name": page.lang.pick("学习账户编号", "learning account id") }
    })
    .to_string();
    Ok(render(&XapiPage {
        chrome: page.chrome(c.title),
        c,
        console,
        endpoint: format!("{}/xapi", state.config.public_url.trim_end_matches('/')),
        actor_example,
        verbs: counted_verbs(state, page.lang, c),
        issued: extra.issued,
        label: extra.label,
        errors: extra.errors,
        notice: extra.notice,
    }))
}

/// The page again after a refusal, with the refusal's status.
async fn xapi_refusal(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    extra: PageState,
    error: &AppError,
) -> Result<Response, PageError> {
    let mut response = xapi_view(state, page, signed, extra).await?;
    *response.status_mut() = crate::error::status_of(error);
    Ok(response)
}

async fn xapi_page(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let c = XapiTexts::get(page.lang);
    let notice = match q.done.as_deref() {
        Some("revoked") => Some(c.revoked_notice),
        _ => None,
    };
    xapi_view(
        &state,
        &page,
        &signed,
        PageState {
            notice,
            ..Default::default()
        },
    )
    .await
}

#[derive(Deserialize)]
struct LabelForm {
    #[serde(default)]
    label: String,
}

async fn issue_credential(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<LabelForm>,
) -> Result<Response, PageError> {
    let institution = signed.actor.own_institution()?.clone();
    match state
        .app
        .issue_xapi_credential(&signed.actor, &institution, &form.label)
        .await
    {
        Ok(issued) => {
            let mut response = xapi_view(
                &state,
                &page,
                &signed,
                PageState {
                    issued: Some(issued),
                    ..Default::default()
                },
            )
            .await?;
            // The secret is on this page only: no cache may keep it.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            xapi_refusal(
                &state,
                &page,
                &signed,
                PageState {
                    label: form.label,
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
struct Empty {}

async fn revoke_credential(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = Uuid::parse_str(&id).map_err(|_| PageError(AppError::NotFound))?;
    let institution = signed.actor.own_institution()?.clone();
    match state
        .app
        .revoke_xapi_credential(&signed.actor, &institution, id)
        .await
    {
        Ok(()) => Ok(Redirect::to("/console/xapi?done=revoked#credentials").into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            xapi_refusal(
                &state,
                &page,
                &signed,
                PageState {
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

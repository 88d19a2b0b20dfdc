//! Pages anyone can open: the home page, sign-in and sign-out, registration, and the
//! language and text-size preferences.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lifelong_app::{AppError, RegistrationInput};
use lifelong_core::role::{Permission, Role};
use serde::Deserialize;

use super::{
    error_for, form_errors, is_form_error, refused, render, safe_next, Chrome, FieldMessage, Page,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{clear_session_cookie, session_cookie, session_token};
use crate::error::PageError;
use crate::i18n::{LANG_COOKIE, TEXT_SIZE_COOKIE};
use crate::middleware::request_id;
use crate::state::AppState;
use crate::texts;

texts!(PublicTexts {
    home_title: "首页" | "Home",
    home_lead: "一个实名学习账户，记录您一生的学习：学历课程、职业与技能证书、培训、社区与老年大学课程、线上学习。学分银行为您认定、积累和转换学习成果。" | "One real-name learning account records everything you learn, for life: degree courses, vocational and skill certificates, training, community and elderly-university courses, online learning. The credit bank recognises, accumulates and converts your learning outcomes.",
    home_citizen: "市民" | "Citizens",
    home_citizen_text: "注册学习账户，随时查看自己的终身学习档案。" | "Open a learning account and see your lifelong learning archive at any time.",
    home_institution: "院校与机构" | "Schools and institutions",
    home_institution_text: "为学员批量开通学习账户，存入学习成果。" | "Open learning accounts for your learners in bulk and deposit their outcomes.",
    home_staff: "工作人员" | "Staff",
    home_staff_text: "审核、管理与监督人员请登录后进入各自的工作台。" | "Reviewers, administrators and regulators: sign in to reach your console.",
    home_go: "进入" | "Go to",
    login_title: "登录" | "Sign in",
    login_name: "手机号码或登录名" | "Mobile number or login",
    login_name_hint: "市民请用注册时的手机号码登录。" | "Citizens sign in with the mobile number they registered.",
    password: "密码" | "Password",
    no_account: "还没有学习账户？" | "No learning account yet?",
    register_title: "注册学习账户" | "Open a learning account",
    register_lead: "请如实填写。一人只能开通一个学习账户；身份证号码加密保存，页面上只显示部分号码。" | "Please fill in your real details. Each person can have one learning account; your ID number is stored encrypted and only shown partly.",
    name_hint: "与身份证上的姓名一致；少数民族姓名中的间隔号可输入“·”。" | "As on your ID card; for names with a middle dot, type “·”.",
    id_hint: "18 位，最后一位可能是 X。" | "18 characters; the last may be X.",
    mobile_hint: "用于登录。" | "You will sign in with it.",
    password_hint: "至少 8 个字符。" | "At least 8 characters.",
    password_confirm: "再次输入密码" | "Password again",
    consents_heading: "个人信息授权" | "Consent to use your personal information",
    consent_personal: "我同意平台为建立学习账户和终身学习档案处理我的个人信息。" | "I agree that the platform processes my personal information to keep my learning account and archive.",
    consent_sensitive: "我单独同意平台处理我的身份证号码（敏感个人信息），仅用于实名认证和“一人一户”。" | "I separately agree that the platform processes my ID number (sensitive personal information), only for real-name verification and one account per person.",
    guardian_name: "监护人姓名" | "Guardian's name",
    guardian_hint: "未满 14 周岁的学习者，须由监护人同意并填写监护人姓名。" | "Learners under 14 need their guardian's consent: enter the guardian's name.",
    register_submit: "注册" | "Register",
    password_changed: "密码已修改，请用新密码登录。" | "Password changed. Sign in with the new password.",
    registered_notice: "注册成功，请用手机号码和密码登录。" | "Registered. Sign in with your mobile number and password.",
});

/// Public routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/login", get(login_form).post(login))
        .route("/logout", axum::routing::post(logout))
        .route("/register", get(register_form).post(register))
        .route("/prefs/lang", get(set_lang))
        .route("/prefs/text", get(set_text_size))
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    chrome: Chrome,
    p: &'static PublicTexts,
    console: Option<(&'static str, &'static str)>,
}

/// Where a signed-in role works.
pub(crate) fn home_of(role: Role, t: &'static crate::i18n::Texts) -> (&'static str, &'static str) {
    if role.permits(Permission::ViewOwnAccount) {
        ("/me", t.nav_my_account)
    } else if role.permits(Permission::OpenAccounts) {
        ("/console", t.nav_console)
    } else if role.permits(Permission::ReviewAccounts) {
        ("/review", t.nav_review)
    } else if role.permits(Permission::ManageInstitutions)
        || role.permits(Permission::ViewInstitution)
    {
        ("/admin/institutions", t.nav_institutions)
    } else {
        ("/", t.nav_home)
    }
}

async fn index(page: Page) -> Response {
    let p = PublicTexts::get(page.lang);
    let console = page.user.as_ref().map(|u| home_of(u.role, page.t()));
    render(&IndexPage {
        chrome: page.chrome(p.home_title),
        p,
        console,
    })
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
    registered: Option<String>,
    changed: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    p: &'static PublicTexts,
    login: String,
    next: String,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

async fn login_form(page: Page, Query(q): Query<NextQuery>) -> Response {
    let p = PublicTexts::get(page.lang);
    render(&LoginPage {
        chrome: page.chrome(p.login_title),
        p,
        login: String::new(),
        next: safe_next(q.next.as_deref()).to_owned(),
        errors: Vec::new(),
        notice: if q.changed.is_some() {
            Some(p.password_changed)
        } else if q.registered.is_some() {
            Some(p.registered_notice)
        } else {
            None
        },
    })
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .sign_in(&form.login, &form.password, request_id(&headers))
        .await
    {
        Ok(signed) => {
            let target = match form.next.as_deref() {
                Some(n) if n != "/" && n.starts_with('/') => safe_next(Some(n)).to_owned(),
                _ => home_of(signed.user.role, page.t()).0.to_owned(),
            };
            let cookie = session_cookie(
                &signed.session_token,
                signed.expires_at,
                state.config.secure_cookies(),
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
        }
        Err(e) if is_form_error(&e) || matches!(e, AppError::InvalidCredentials) => {
            let p = PublicTexts::get(page.lang);
            let status = crate::error::status_of(&e);
            let mut response = render(&LoginPage {
                chrome: page.chrome(p.login_title),
                p,
                login: form.login.chars().take(64).collect(),
                next: safe_next(form.next.as_deref()).to_owned(),
                errors: form_errors(&e, page.lang),
                notice: None,
            });
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    if let Some(token) = session_token(&headers) {
        state.app.sign_out(token).await?;
    }
    Ok((
        [(header::SET_COOKIE, clear_session_cookie())],
        Redirect::to("/"),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    p: &'static PublicTexts,
    form: RegistrationInput,
    errors: Vec<FieldMessage>,
}

impl RegisterPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn register_form(page: Page) -> Response {
    let p = PublicTexts::get(page.lang);
    render(&RegisterPage {
        chrome: page.chrome(p.register_title),
        p,
        form: RegistrationInput::default(),
        errors: Vec::new(),
    })
}

async fn register(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<RegistrationInput>,
) -> Result<Response, PageError> {
    match state
        .app
        .register(form.clone(), page.lang, request_id(&headers))
        .await
    {
        Ok(_) => Ok(Redirect::to("/login?registered=1").into_response()),
        Err(e) if is_form_error(&e) => {
            let p = PublicTexts::get(page.lang);
            let errors = form_errors(&e, page.lang);
            // Never send secrets back into the page.
            let form = RegistrationInput {
                password: String::new(),
                password_confirm: String::new(),
                ..form
            };
            Ok(refused(
                &RegisterPage {
                    chrome: page.chrome(p.register_title),
                    p,
                    form,
                    errors,
                },
                &e,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    to: String,
    next: Option<String>,
}

fn preference(name: &str, value: &str, next: Option<&str>) -> Response {
    let cookie = HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""));
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(safe_next(next)),
    )
        .into_response()
}

async fn set_lang(Query(q): Query<LangQuery>) -> Response {
    let code = lifelong_core::Lang::from_code(&q.to)
        .unwrap_or_default()
        .code();
    preference(LANG_COOKIE, code, q.next.as_deref())
}

#[derive(Deserialize)]
struct TextQuery {
    size: String,
    next: Option<String>,
}

async fn set_text_size(Query(q): Query<TextQuery>) -> Response {
    let size = if q.size == "large" {
        "large"
    } else {
        "standard"
    };
    preference(TEXT_SIZE_COOKIE, size, q.next.as_deref())
}

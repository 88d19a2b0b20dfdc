//! Staff users (工作人员): the list with a create form, and one user's edit form (name, role,
//! institution, whether they may sign in). Learners register themselves and are not managed
//! here. Only administrators reach these pages; the application checks it on every call.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lifelong_app::{Actor, AppError, UserInput};
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{Cursor, User, UserId};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::review::{institution_name, utc, Choice};
use crate::pages::{
    form_errors, is_form_error, refused, render, urlencode, Chrome, CursorQuery, FieldMessage, Page,
};
use crate::state::AppState;
use crate::texts;

texts!(UserTexts {
    list_title: "用户" | "Staff users",
    list_lead: "审核员、管理员、监管人员和机构工作人员的登录账号。市民自己注册，不在这里管理。" | "Sign-in accounts of reviewers, administrators, regulators and institution staff. Citizens register themselves and are not managed here.",
    table_caption: "工作人员列表" | "Staff user list",
    login: "登录名" | "Login",
    login_hint: "3–32 位小写字母、数字或 . _ -，以字母开头；创建后不能修改。" | "3–32 lower-case letters, digits or . _ -, starting with a letter; it cannot be changed later.",
    display_name: "显示名称" | "Display name",
    display_name_hint: "页面上显示的姓名或称呼。" | "The name shown on pages.",
    role: "角色" | "Role",
    choose_role: "请选择角色" | "Choose a role",
    institution: "所属机构" | "Institution",
    institution_none: "不属于机构" | "No institution",
    institution_hint: "机构经办人和机构管理员必须选择所属机构；其他角色不选。" | "Institution operators and managers must belong to an institution; other roles belong to none.",
    active: "启用" | "Active",
    active_label: "启用：可以登录" | "Active: may sign in",
    active_hint: "停用后，该用户不能再登录。" | "Once deactivated, the user can no longer sign in.",
    password: "初始密码" | "Initial password",
    password_hint: "至少 8 个字符。请通过安全的方式告诉本人，并提醒其登录后立即修改。" | "At least 8 characters. Tell the person in a safe way and ask them to change it after signing in.",
    create_heading: "新增工作人员" | "Add a staff user",
    create_submit: "创建用户" | "Add the user",
    detail_title: "修改用户" | "Change a user",
    back_to_list: "返回用户列表" | "Back to the user list",
    colon: "：" | ": ",
    locked_until: "因多次登录失败锁定至" | "Locked after failed sign-ins until",
    done_created: "用户已创建。" | "The user has been added.",
    done_updated: "修改已保存。" | "The changes have been saved.",
});

/// User routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{id}", get(show_user).post(update_user))
}

/// How many institutions the institution select offers.
const INSTITUTION_CHOICES: u32 = 500;

/// The institutions staff may belong to, by id, with their names in `lang`.
async fn institution_names(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
) -> Result<Vec<(String, String)>, AppError> {
    let cursor = Cursor::new(None, Some(INSTITUTION_CHOICES));
    let found = state.app.list_institutions(actor, &cursor).await?;
    Ok(found
        .items
        .iter()
        .map(|inst| (inst.id.to_string(), institution_name(inst, lang).to_owned()))
        .collect())
}

/// The role and institution selects, with the form's values selected.
struct FormChoices {
    roles: Vec<Choice>,
    institutions: Vec<Choice>,
}

impl FormChoices {
    fn of(
        role: &str,
        institution: &str,
        institutions: Vec<(String, String)>,
        lang: Lang,
        u: &UserTexts,
    ) -> Self {
        let roles = std::iter::once(("", u.choose_role)).chain(
            Role::ALL
                .iter()
                .filter(|r| **r != Role::Learner)
                .map(|r| (r.as_str(), r.label(lang))),
        );
        let none = (String::new(), u.institution_none.to_owned());
        FormChoices {
            roles: Choice::list(roles, role),
            institutions: Choice::list(std::iter::once(none).chain(institutions), institution),
        }
    }
}

/// A staff user as a list row.
struct UserRow {
    id: String,
    login: String,
    display_name: String,
    role: &'static str,
    institution: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct ListPage {
    chrome: Chrome,
    u: &'static UserTexts,
    rows: Vec<UserRow>,
    next: Option<String>,
    paged: bool,
    form: UserInput,
    choices: FormChoices,
    errors: Vec<FieldMessage>,
}

impl ListPage {
    fn has_error(&self, field: &str) -> bool {
        crate::pages::error_for(&self.errors, field).is_some()
    }
}

/// The list page, with the create form holding `form` (never its password) and `errors`.
async fn list_page(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    cursor: Option<String>,
    form: UserInput,
    errors: Vec<FieldMessage>,
) -> Result<ListPage, AppError> {
    let cursor = Cursor::new(cursor, None);
    let paged = cursor.after.is_some();
    let found = state.app.list_users(actor, &cursor).await?;
    let institutions = institution_names(state, actor, page.lang).await?;
    let names: HashMap<&str, &str> = institutions
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let rows = found
        .items
        .iter()
        .map(|user| UserRow {
            id: user.id.to_string(),
            login: user.login.clone(),
            display_name: user.display_name.clone(),
            role: user.role.label(page.lang),
            institution: user
                .institution_id
                .as_ref()
                .map(|i| {
                    names
                        .get(i.as_str())
                        .map_or_else(|| i.to_string(), |n| (*n).to_owned())
                })
                .unwrap_or_default(),
            active: user.active,
        })
        .collect();
    let u = UserTexts::get(page.lang);
    let institution = form.institution_id.clone().unwrap_or_default();
    let choices = FormChoices::of(&form.role, &institution, institutions, page.lang, u);
    Ok(ListPage {
        chrome: page.chrome(u.list_title),
        u,
        rows,
        next: found
            .next
            .map(|next| format!("/admin/users?cursor={}", urlencode(&next))),
        paged,
        form: UserInput {
            password: None,
            ..form
        },
        choices,
        errors,
    })
}

async fn list_users(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Query(q): Query<CursorQuery>,
) -> Result<Response, PageError> {
    let form = UserInput::default();
    let view = list_page(&state, &page, &actor, q.cursor, form, Vec::new()).await?;
    Ok(render(&view))
}

async fn create_user(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    CsrfForm(form): CsrfForm<UserInput>,
) -> Result<Response, PageError> {
    match state.app.create_user(&actor, form.clone()).await {
        Ok(created) => {
            let to = format!("/admin/users/{}?done=created", created.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            let view = list_page(&state, &page, &actor, None, form, errors).await?;
            Ok(refused(&view, &e))
        }
        Err(e) => Err(e.into()),
    }
}

/// The edit form. Every field may be missing: a missing one is refused like an empty one.
#[derive(Debug, Clone, Default, Deserialize)]
struct UserForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    institution_id: Option<String>,
    /// A checkbox: present when ticked.
    #[serde(default)]
    active: Option<String>,
}

impl UserForm {
    fn of(user: &User) -> Self {
        UserForm {
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            institution_id: user.institution_id.as_ref().map(|i| i.to_string()),
            active: user.active.then(|| "on".to_owned()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct DetailPage {
    chrome: Chrome,
    u: &'static UserTexts,
    id: String,
    login: String,
    created: String,
    locked_until: Option<String>,
    form: UserForm,
    choices: FormChoices,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

impl DetailPage {
    fn has_error(&self, field: &str) -> bool {
        crate::pages::error_for(&self.errors, field).is_some()
    }
}

fn parse_user_id(text: &str) -> Result<UserId, AppError> {
    UserId::parse(text).ok_or(AppError::NotFound)
}

/// A staff user's page; `form` holds a refused edit, else the user's values. Learners are
/// not staff: their page does not exist here.
async fn detail_page(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: &UserId,
    form: Option<(UserForm, Vec<FieldMessage>)>,
) -> Result<DetailPage, AppError> {
    let user = state.app.user(actor, id).await?;
    if user.role == Role::Learner {
        return Err(AppError::NotFound);
    }
    let institutions = institution_names(state, actor, page.lang).await?;
    let u = UserTexts::get(page.lang);
    let (form, errors) = form.unwrap_or_else(|| (UserForm::of(&user), Vec::new()));
    let institution = form.institution_id.clone().unwrap_or_default();
    let choices = FormChoices::of(&form.role, &institution, institutions, page.lang, u);
    let now = time::OffsetDateTime::now_utc();
    Ok(DetailPage {
        chrome: page.chrome(u.detail_title),
        u,
        id: user.id.to_string(),
        login: user.login.clone(),
        created: utc(user.created_at),
        locked_until: user.locked_until.filter(|t| *t > now).map(utc),
        form,
        choices,
        errors,
        notice: None,
    })
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn show_user(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_user_id(&id)?;
    let mut view = detail_page(&state, &page, &actor, &id, None).await?;
    view.notice = match q.done.as_deref() {
        Some("created") => Some(view.u.done_created),
        Some("updated") => Some(view.u.done_updated),
        _ => None,
    };
    Ok(render(&view))
}

async fn update_user(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<Response, PageError> {
    let id = parse_user_id(&id)?;
    let input = UserInput {
        // The login never changes; the application keeps the stored one.
        login: String::new(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        institution_id: form.institution_id.clone(),
        password: None,
        active: form.active.clone(),
    };
    match state.app.update_user(&actor, &id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=updated")).into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let errors = form_errors(&e, page.lang);
            let view = detail_page(&state, &page, &actor, &id, Some((form, errors))).await?;
            Ok(refused(&view, &e))
        }
        Err(e) => Err(e.into()),
    }
}

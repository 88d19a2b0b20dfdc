//! Institutions (机构): the list with a create form, one institution's edit form, and its API
//! tokens — issued with the token shown once, listed by prefix, revoked at once.
//!
//! Administrators manage all of this. Regulators see the list and each institution read-only;
//! an institution's own staff may open their institution's page, and its managers handle its
//! tokens there. The application decides each of these; the pages show only the forms the
//! viewer may use.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::{Actor, AppError, InstitutionInput};
use lifelong_core::district::DISTRICTS;
use lifelong_core::institution::{InstitutionKind, InstitutionStatus};
use lifelong_core::role::Permission;
use lifelong_core::Lang;
use lifelong_store::{ApiToken, Cursor, Institution, InstitutionId, TokenId};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::review::{institution_name, no_store, utc, utc_or, Choice};
use crate::pages::{
    form_errors, is_form_error, refused, render, urlencode, Chrome, CursorQuery, DoneQuery,
    FieldMessage, Page,
};
use crate::state::AppState;
use crate::texts;

texts!(InstitutionTexts {
    list_title: "机构" | "Institutions",
    list_lead: "在平台上开户、存入学习成果和调用接口的院校与机构。" | "The schools and institutions that open accounts, deposit outcomes and use the API on the platform.",
    read_only: "您可以查看机构信息，但不能修改。" | "You can view institutions but not change them.",
    table_caption: "机构列表" | "Institution list",
    col_name: "机构名称" | "Name",
    kind: "机构类型" | "Kind",
    district: "所在区" | "District",
    credit_code: "统一社会信用代码" | "Unified social credit code",
    trusted: "可信机构" | "Trusted",
    create_heading: "新增机构" | "Add an institution",
    credit_code_hint: "18 位，见机构的登记证书或营业执照；创建后不能修改。" | "18 characters, as on the registration certificate or business licence; it cannot be changed later.",
    name_zh: "中文名称" | "Chinese name",
    name_en: "英文名称" | "English name",
    name_en_hint: "英文页面上显示；可以不填。" | "Shown on English pages; may be left empty.",
    choose: "请选择" | "Choose one",
    trusted_label: "可信机构：存入的学习成果无需审核即可计入" | "Trusted: outcomes it deposits count without review",
    create_submit: "创建机构" | "Add the institution",
    detail_title: "机构详情" | "Institution",
    back_to_list: "返回机构列表" | "Back to the institution list",
    edit_heading: "修改机构信息" | "Change the institution's details",
    credit_code_fixed: "统一社会信用代码不能修改。" | "The unified social credit code cannot be changed.",
    tokens_heading: "接口令牌" | "API tokens",
    tokens_lead: "机构的系统用令牌调用平台接口。令牌只在创建时显示一次，平台只保存它的摘要。" | "The institution's systems call the platform's API with a token. A token is shown only when it is made; the platform keeps only a digest of it.",
    tokens_caption: "该机构的接口令牌" | "This institution's API tokens",
    token_name: "令牌名称" | "Token name",
    token_name_hint: "例如使用它的系统名称，便于日后区分。" | "For example the system that will use it, so you can tell tokens apart later.",
    token_prefix: "令牌开头" | "Starts with",
    token_last_used: "最近使用" | "Last used",
    token_never_used: "从未使用" | "Never",
    token_state: "状态" | "State",
    token_active: "有效" | "Active",
    token_revoked: "已撤销" | "Revoked",
    token_create: "创建令牌" | "Make a token",
    revoke: "撤销" | "Revoke",
    colon: "：" | ": ",
    revoke_confirm: "确定撤销此令牌吗？使用它的系统将立即无法调用接口。" | "Revoke this token? Systems using it will be refused at once.",
    new_token_heading: "新令牌（只显示这一次）" | "New token (shown this once)",
    new_token_warning: "请立即复制，交给对方系统的管理人员保存。离开本页后无法再次查看；遗失后只能撤销并重新创建。" | "Copy it now and hand it to whoever runs the system. It cannot be shown again after you leave this page; if it is lost, revoke it and make a new one.",
    copy: "复制令牌" | "Copy the token",
    done_created: "机构已创建。" | "The institution has been added.",
    done_updated: "修改已保存。" | "The changes have been saved.",
    done_revoked: "令牌已撤销。" | "The token has been revoked.",
    times_in_utc: "时间均为协调世界时（UTC）。" | "Times are in UTC.",
});

/// Institution routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/institutions",
            get(list_institutions).post(create_institution),
        )
        .route(
            "/admin/institutions/{id}",
            get(show_institution).post(update_institution),
        )
        .route("/admin/institutions/{id}/tokens", post(create_token))
        .route(
            "/admin/institutions/{id}/tokens/{token_id}/revoke",
            post(revoke_token),
        )
}

/// The kinds, districts and statuses a form offers, with the form's values selected.
struct FormChoices {
    kinds: Vec<Choice>,
    districts: Vec<Choice>,
    statuses: Vec<Choice>,
}

impl FormChoices {
    fn of(form: &InstitutionInput, lang: Lang, choose: &'static str) -> Self {
        let kinds = std::iter::once(("", choose)).chain(
            InstitutionKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label(lang))),
        );
        let districts =
            std::iter::once(("", choose)).chain(DISTRICTS.iter().map(|d| (d.code, d.name(lang))));
        let statuses = InstitutionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label(lang)));
        FormChoices {
            kinds: Choice::list(kinds, &form.kind),
            districts: Choice::list(districts, &form.district_code),
            statuses: Choice::list(statuses, form.status.as_deref().unwrap_or("")),
        }
    }
}

/// An institution as a list row or a page's facts.
struct InstitutionView {
    id: String,
    name: String,
    kind: &'static str,
    district: String,
    credit_code: String,
    status: &'static str,
    status_label: &'static str,
    trusted: bool,
    created: String,
}

impl InstitutionView {
    fn of(inst: &Institution, lang: Lang) -> Self {
        let district = lifelong_core::district::District::by_code(&inst.district_code)
            .map(|d| d.name(lang).to_owned())
            .unwrap_or_else(|| inst.district_code.clone());
        InstitutionView {
            id: inst.id.to_string(),
            name: institution_name(inst, lang).to_owned(),
            kind: inst.kind.label(lang),
            district,
            credit_code: inst.credit_code.to_string(),
            status: inst.status.as_str(),
            status_label: inst.status.label(lang),
            trusted: inst.trusted,
            created: utc(inst.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_institutions.html")]
struct ListPage {
    chrome: Chrome,
    i: &'static InstitutionTexts,
    rows: Vec<InstitutionView>,
    next: Option<String>,
    paged: bool,
    can_create: bool,
    form: InstitutionInput,
    choices: FormChoices,
    errors: Vec<FieldMessage>,
}

impl ListPage {
    fn has_error(&self, field: &str) -> bool {
        crate::pages::error_for(&self.errors, field).is_some()
    }
}

/// The list page, with the create form holding `form` and `errors`.
async fn list_page(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    cursor: Option<String>,
    form: InstitutionInput,
    errors: Vec<FieldMessage>,
) -> Result<ListPage, AppError> {
    let cursor = Cursor::new(cursor, None);
    let paged = cursor.after.is_some();
    let found = state.app.list_institutions(actor, &cursor).await?;
    let i = InstitutionTexts::get(page.lang);
    Ok(ListPage {
        chrome: page.chrome(i.list_title),
        i,
        rows: found
            .items
            .iter()
            .map(|inst| InstitutionView::of(inst, page.lang))
            .collect(),
        next: found
            .next
            .map(|next| format!("/admin/institutions?cursor={}", urlencode(&next))),
        paged,
        can_create: actor.can(Permission::ManageInstitutions),
        choices: FormChoices::of(&form, page.lang, i.choose),
        form,
        errors,
    })
}

async fn list_institutions(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Query(q): Query<CursorQuery>,
) -> Result<Response, PageError> {
    let form = InstitutionInput::default();
    let view = list_page(&state, &page, &actor, q.cursor, form, Vec::new()).await?;
    Ok(render(&view))
}

async fn create_institution(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    CsrfForm(form): CsrfForm<InstitutionInput>,
) -> Result<Response, PageError> {
    match state.app.create_institution(&actor, form.clone()).await {
        Ok(created) => {
            let to = format!("/admin/institutions/{}?done=created", created.id);
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

/// An API token as a row of the list.
struct TokenRow {
    id: String,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: Option<String>,
}

impl TokenRow {
    fn of(token: &ApiToken, i: &InstitutionTexts) -> Self {
        TokenRow {
            id: token.id.to_string(),
            name: token.name.clone(),
            prefix: token.prefix.clone(),
            created: utc(token.created_at),
            last_used: utc_or(token.last_used_at, i.token_never_used),
            revoked: token.revoked_at.map(utc),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_institution.html")]
struct DetailPage {
    chrome: Chrome,
    i: &'static InstitutionTexts,
    inst: InstitutionView,
    can_edit: bool,
    form: InstitutionInput,
    choices: FormChoices,
    errors: Vec<FieldMessage>,
    /// The tokens, for those who manage them.
    tokens: Option<Vec<TokenRow>>,
    token_name: String,
    token_errors: Vec<FieldMessage>,
    /// A token just made: shown this once.
    new_token: Option<String>,
    notice: Option<&'static str>,
}

impl DetailPage {
    fn has_error(&self, field: &str) -> bool {
        crate::pages::error_for(&self.errors, field).is_some()
    }

    fn token_has_error(&self) -> bool {
        crate::pages::error_for(&self.token_errors, "name").is_some()
    }
}

fn parse_institution_id(text: &str) -> Result<InstitutionId, AppError> {
    InstitutionId::parse(text).ok_or(AppError::NotFound)
}

/// The form's values for an institution as it is.
fn form_of(inst: &Institution) -> InstitutionInput {
    InstitutionInput {
        credit_code: inst.credit_code.to_string(),
        name_zh: inst.name_zh.clone(),
        name_en: inst.name_en.clone(),
        kind: inst.kind.as_str().to_owned(),
        district_code: inst.district_code.clone(),
        status: Some(inst.status.as_str().to_owned()),
        trusted: inst.trusted.then(|| "on".to_owned()),
    }
}

/// The institution's page; `form` holds a refused edit, else the institution's values.
async fn detail_page(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: &InstitutionId,
    form: Option<(InstitutionInput, Vec<FieldMessage>)>,
) -> Result<DetailPage, AppError> {
    let inst = state.app.institution(actor, id).await?;
    let tokens = if actor.can(Permission::ManageInstitutionTokens) {
        Some(state.app.list_tokens(actor, id).await?)
    } else {
        None
    };
    let i = InstitutionTexts::get(page.lang);
    let (form, errors) = form.unwrap_or_else(|| (form_of(&inst), Vec::new()));
    Ok(DetailPage {
        chrome: page.chrome(i.detail_title),
        i,
        inst: InstitutionView::of(&inst, page.lang),
        can_edit: actor.can(Permission::ManageInstitutions),
        choices: FormChoices::of(&form, page.lang, i.choose),
        form,
        errors,
        tokens: tokens.map(|list| list.iter().map(|t| TokenRow::of(t, i)).collect()),
        token_name: String::new(),
        token_errors: Vec::new(),
        new_token: None,
        notice: None,
    })
}

async fn show_institution(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_institution_id(&id)?;
    let mut view = detail_page(&state, &page, &actor, &id, None).await?;
    view.notice = match q.done.as_deref() {
        Some("created") => Some(view.i.done_created),
        Some("updated") => Some(view.i.done_updated),
        Some("token_revoked") => Some(view.i.done_revoked),
        _ => None,
    };
    Ok(render(&view))
}

async fn update_institution(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<InstitutionInput>,
) -> Result<Response, PageError> {
    let id = parse_institution_id(&id)?;
    match state
        .app
        .update_institution(&actor, &id, form.clone())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/institutions/{id}?done=updated")).into_response())
        }
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let errors = form_errors(&e, page.lang);
            let view = detail_page(&state, &page, &actor, &id, Some((form, errors))).await?;
            Ok(refused(&view, &e))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let id = parse_institution_id(&id)?;
    match state.app.create_token(&actor, &id, &form.name).await {
        Ok((_, plain)) => {
            let mut view = detail_page(&state, &page, &actor, &id, None).await?;
            view.new_token = Some(plain);
            Ok(no_store(render(&view)))
        }
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let mut view = detail_page(&state, &page, &actor, &id, None).await?;
            view.token_errors = form_errors(&e, page.lang);
            view.token_name = form.name.chars().take(60).collect();
            Ok(refused(&view, &e))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn revoke_token(
    State(state): State<AppState>,
    SignedIn { actor, .. }: SignedIn,
    Path((id, token_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = parse_institution_id(&id)?;
    let token_id = TokenId::parse(&token_id).ok_or(AppError::NotFound)?;
    state.app.revoke_token(&actor, &id, &token_id).await?;
    let to = format!("/admin/institutions/{id}?done=token_revoked");
    Ok(Redirect::to(&to).into_response())
}

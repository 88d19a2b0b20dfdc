//! The credit-bank reviewer's pages (账户审核): the list of learning accounts with a status
//! filter and a search by ID number, and one account's details with the actions its state
//! allows (verify, freeze, unfreeze) and the audited reveal of the full ID number.
//!
//! ID numbers never travel in a URL: the search is a POST, and a revealed number is shown once,
//! in the page that answers the POST, which no cache keeps. Administrators use these pages too
//! (they may freeze and reveal); the application decides what each may do.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::{Actor, App, AppError};
use lifelong_core::account::AccountStatus;
use lifelong_core::role::Permission;
use lifelong_core::{Explain, Lang};
use lifelong_store::{Account, AccountFilter, AccountId, Cursor, Institution};
use serde::Deserialize;
use time::{OffsetDateTime, UtcOffset};

use super::{form_errors, is_form_error, render, urlencode, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(ReviewTexts {
    list_title: "账户审核" | "Account review",
    list_lead: "核对学习者的身份证件后进行实名核验；发现异常时可以冻结账户。" | "Verify learners' real names against their ID documents; freeze an account when something is wrong.",
    filter_heading: "按状态筛选" | "Filter by status",
    filter_status: "账户状态" | "Account status",
    filter_all: "全部" | "All",
    filter_submit: "筛选" | "Filter",
    search_heading: "按身份证号码查找" | "Find by ID number",
    search_hint: "输入完整的 18 位号码。号码不会出现在网址中。" | "Enter all 18 characters. The number never appears in the address bar.",
    search_submit: "查找" | "Find",
    search_required: "请输入要查找的身份证号码。" | "Enter the ID number to look for.",
    search_result: "查找结果" | "Search result",
    search_not_found: "没有找到使用该身份证号码的学习账户。" | "No learning account has this ID number.",
    back_to_list: "返回账户列表" | "Back to the account list",
    table_caption: "学习账户" | "Learning accounts",
    id_masked: "身份证号码（部分隐藏）" | "ID number (partly hidden)",
    origin: "开户方式" | "Opened by way of",
    account_title: "学习账户详情" | "Learning account",
    birth_date: "出生日期" | "Date of birth",
    gender: "性别" | "Gender",
    verified_at: "实名核验时间" | "Verified on",
    not_verified: "尚未核验" | "Not yet verified",
    opened_by: "开户机构" | "Opened by institution",
    none: "—" | "—",
    colon: "：" | ": ",
    times_in_utc: "时间均为协调世界时（UTC）。" | "Times are in UTC.",
    actions_heading: "可进行的操作" | "What you can do",
    no_actions: "该账户当前状态下没有可进行的操作。" | "Nothing can be done to this account in its current state.",
    verify: "核验通过（已核对证件）" | "Verify (documents checked)",
    verify_hint: "请先核对身份证件原件与上面的姓名和号码一致。" | "First check that the ID document matches the name and number above.",
    freeze: "冻结账户" | "Freeze the account",
    freeze_confirm: "确定要冻结该账户吗？冻结后学习者不能申请认定和转换。" | "Freeze this account? The learner will not be able to apply for recognition or conversion.",
    unfreeze: "解除冻结" | "Unfreeze the account",
    reveal: "查看完整身份证号码" | "Show the full ID number",
    reveal_warning: "查看完整号码会以您的名义记入审计日志。只在核对证件确有需要时查看。" | "Seeing the full number is recorded in the audit log under your name. Only do it when checking documents requires it.",
    revealed_heading: "完整身份证号码（只显示这一次）" | "Full ID number (shown this once)",
    revealed_note: "离开或刷新本页后不再显示。请勿抄录、拍照或转发。" | "It will not be shown again after you leave or reload this page. Do not copy, photograph or forward it.",
    done_verified: "已完成实名核验。" | "The account is now verified.",
    done_frozen: "账户已冻结。" | "The account is now frozen.",
    done_unfrozen: "账户已解除冻结。" | "The account is no longer frozen.",
    changed_meanwhile: "操作未完成：" | "Nothing was changed: ",
});

/// Reviewer routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/review", get(list_accounts))
        .route("/review/search", post(search_accounts))
        .route("/review/accounts/{id}", get(show_account))
        // `verify`, `freeze`, `unfreeze`; the static `reveal` route takes precedence.
        .route("/review/accounts/{id}/{change}", post(change_account))
        .route("/review/accounts/{id}/reveal", post(reveal_id_number))
}

/// One option of a select box.
pub(super) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The options `(value, label)`, with `current` selected.
    pub(super) fn list<V: Into<String>, L: Into<String>>(
        options: impl IntoIterator<Item = (V, L)>,
        current: &str,
    ) -> Vec<Choice> {
        options
            .into_iter()
            .map(|(value, label)| {
                let value = value.into();
                let selected = value == current;
                Choice {
                    value,
                    label: label.into(),
                    selected,
                }
            })
            .collect()
    }
}

/// A time as staff pages show it: UTC, `YYYY-MM-DD HH:MM:SS`.
pub(super) fn utc(time: OffsetDateTime) -> String {
    let t = time.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Like [`utc`], with `none` for a time that has not come.
pub(super) fn utc_or(time: Option<OffsetDateTime>, none: &str) -> String {
    time.map(utc).unwrap_or_else(|| none.to_owned())
}

/// An institution's name in `lang` (its Chinese name when it has no English one).
pub(super) fn institution_name(institution: &Institution, lang: Lang) -> &str {
    match lang {
        Lang::En if !institution.name_en.is_empty() => &institution.name_en,
        _ => &institution.name_zh,
    }
}

/// Answers that hold personal data: no cache, no back-button copy.
pub(super) fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// The review pages are for those who review or freeze accounts. (Institution staff see
/// their own learners in the console instead.)
fn require_reviewer(actor: &Actor) -> Result<(), AppError> {
    if actor.can(Permission::ReviewAccounts) || actor.can(Permission::FreezeAccounts) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn parse_account_id(text: &str) -> Result<AccountId, AppError> {
    AccountId::parse(text).ok_or(AppError::NotFound)
}

/// An account as one row of the list.
struct AccountRow {
    href: String,
    name: String,
    id_masked: String,
    status: &'static str,
    status_label: &'static str,
    origin: &'static str,
    created: String,
}

impl AccountRow {
    fn of(account: &Account, lang: Lang) -> Self {
        AccountRow {
            href: format!("/review/accounts/{}", account.id),
            name: account.name.as_str().to_owned(),
            id_masked: account.id_number_masked.clone(),
            status: account.status.as_str(),
            status_label: account.status.label(lang),
            origin: account.origin.label(lang),
            created: utc(account.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ListPage {
    chrome: Chrome,
    r: &'static ReviewTexts,
    statuses: Vec<Choice>,
    /// The status filtered on (empty for all).
    status: String,
    rows: Vec<AccountRow>,
    /// The link to the next page, when there is one.
    next: Option<String>,
    /// Whether this is a later page (then a link back to the first is shown).
    paged: bool,
    /// This is the answer to a search by ID number.
    searched: bool,
    /// What was typed, shown again only when the search was refused.
    id_number: String,
    errors: Vec<FieldMessage>,
}

impl ListPage {
    fn new(chrome: Chrome, lang: Lang, status: &str) -> Self {
        let r = ReviewTexts::get(lang);
        let statuses = [
            ("", r.filter_all),
            (
                AccountStatus::Registered.as_str(),
                AccountStatus::Registered.label(lang),
            ),
            (
                AccountStatus::Verified.as_str(),
                AccountStatus::Verified.label(lang),
            ),
            (
                AccountStatus::Frozen.as_str(),
                AccountStatus::Frozen.label(lang),
            ),
        ];
        ListPage {
            chrome,
            r,
            statuses: Choice::list(statuses, status),
            status: status.to_owned(),
            rows: Vec::new(),
            next: None,
            paged: false,
            searched: false,
            id_number: String::new(),
            errors: Vec::new(),
        }
    }

    fn has_error(&self, field: &str) -> bool {
        super::error_for(&self.errors, field).is_some()
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

async fn list_accounts(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    require_reviewer(&actor)?;
    let status = q.status.as_deref().and_then(AccountStatus::parse);
    let filter = AccountFilter {
        status,
        ..AccountFilter::default()
    };
    let cursor = Cursor::new(q.cursor, None);
    let paged = cursor.after.is_some();
    let found = state
        .app
        .list_accounts(&actor, filter, None, &cursor)
        .await?;
    let status_code = status.map(AccountStatus::as_str).unwrap_or("");
    let title = ReviewTexts::get(page.lang).list_title;
    let mut view = ListPage::new(page.chrome(title), page.lang, status_code);
    view.rows = found
        .items
        .iter()
        .map(|a| AccountRow::of(a, page.lang))
        .collect();
    view.next = found.next.map(|next| {
        format!(
            "/review?status={}&cursor={}",
            urlencode(status_code),
            urlencode(&next)
        )
    });
    view.paged = paged;
    Ok(render(&view))
}

#[derive(Deserialize)]
struct SearchForm {
    #[serde(default)]
    id_number: String,
}

async fn search_accounts(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    CsrfForm(form): CsrfForm<SearchForm>,
) -> Result<Response, PageError> {
    require_reviewer(&actor)?;
    let r = ReviewTexts::get(page.lang);
    let typed = form.id_number.trim();
    let found = if typed.is_empty() {
        Err(vec![FieldMessage {
            field: "id_number",
            message: r.search_required.to_owned(),
        }])
    } else {
        let filter = AccountFilter::default();
        match state
            .app
            .list_accounts(&actor, filter, Some(typed), &Cursor::first())
            .await
        {
            Ok(found) => Ok(found),
            Err(e) if is_form_error(&e) => Err(form_errors(&e, page.lang)),
            Err(e) => return Err(e.into()),
        }
    };
    let mut view = ListPage::new(page.chrome(r.list_title), page.lang, "");
    let response = match found {
        Ok(found) => {
            view.searched = true;
            view.rows = found
                .items
                .iter()
                .map(|a| AccountRow::of(a, page.lang))
                .collect();
            render(&view)
        }
        Err(errors) => {
            view.errors = errors;
            view.id_number = typed.chars().take(18).collect();
            let mut response = render(&view);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
    };
    Ok(no_store(response))
}

/// An account as its page shows it.
struct AccountView {
    id: String,
    name: String,
    id_masked: String,
    birth_date: String,
    gender: &'static str,
    mobile: String,
    status: &'static str,
    status_label: &'static str,
    verified_at: String,
    origin: &'static str,
    opened_by: String,
    created: String,
}

#[derive(Template)]
#[template(path = "review_account.html")]
struct AccountPage {
    chrome: Chrome,
    r: &'static ReviewTexts,
    account: AccountView,
    can_verify: bool,
    can_freeze: bool,
    can_unfreeze: bool,
    can_reveal: bool,
    /// What was just done, after a redirect.
    notice: Option<&'static str>,
    /// Why an action did not happen (someone else acted first, or the state forbids it).
    warning: Option<String>,
    /// The full ID number, right after an audited reveal.
    revealed: Option<String>,
}

/// Renders an account's page with what the actor may do to it now.
async fn account_page(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: &AccountId,
) -> Result<AccountPage, AppError> {
    let account = state.app.account(actor, id).await?;
    let lang = page.lang;
    let r = ReviewTexts::get(lang);
    let opened_by = match &account.opened_by {
        // Institution names are not personal data; reviewers see which one opened it.
        Some(inst) => match state.app.store.institution(inst).await {
            Ok(found) => institution_name(&found, lang).to_owned(),
            Err(_) => inst.to_string(),
        },
        None => r.none.to_owned(),
    };
    let (verify, freeze, unfreeze) = App::account_actions(account.status);
    let view = AccountView {
        id: account.id.to_string(),
        name: account.name.as_str().to_owned(),
        id_masked: account.id_number_masked.clone(),
        birth_date: account.birth_date.to_string(),
        gender: account.gender.label(lang),
        mobile: account
            .mobile_masked
            .clone()
            .unwrap_or_else(|| r.none.to_owned()),
        status: account.status.as_str(),
        status_label: account.status.label(lang),
        verified_at: utc_or(account.verified_at, r.not_verified),
        origin: account.origin.label(lang),
        opened_by,
        created: utc(account.created_at),
    };
    Ok(AccountPage {
        chrome: page.chrome(r.account_title),
        r,
        account: view,
        can_verify: verify && actor.can(Permission::ReviewAccounts),
        can_freeze: freeze && actor.can(Permission::FreezeAccounts),
        can_unfreeze: unfreeze && actor.can(Permission::FreezeAccounts),
        can_reveal: actor.can(Permission::RevealIdNumber),
        notice: None,
        warning: None,
        revealed: None,
    })
}

async fn show_account(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require_reviewer(&actor)?;
    let id = parse_account_id(&id)?;
    let mut view = account_page(&state, &page, &actor, &id).await?;
    view.notice = match q.done.as_deref() {
        Some("verified") => Some(view.r.done_verified),
        Some("frozen") => Some(view.r.done_frozen),
        Some("unfrozen") => Some(view.r.done_unfrozen),
        _ => None,
    };
    Ok(render(&view))
}

/// A change of an account's state, as named in the URL.
#[derive(Clone, Copy)]
enum Change {
    Verify,
    Freeze,
    Unfreeze,
}

impl Change {
    fn parse(text: &str) -> Option<Change> {
        match text {
            "verify" => Some(Change::Verify),
            "freeze" => Some(Change::Freeze),
            "unfreeze" => Some(Change::Unfreeze),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

/// Verifies, freezes or unfreezes an account (`POST /review/accounts/{id}/{change}`).
async fn change_account(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path((id, change)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let change = Change::parse(&change).ok_or(PageError(AppError::NotFound))?;
    require_reviewer(&actor)?;
    let id = parse_account_id(&id)?;
    let (result, done) = match change {
        Change::Verify => (state.app.verify_account(&actor, &id).await, "verified"),
        Change::Freeze => (state.app.freeze_account(&actor, &id).await, "frozen"),
        Change::Unfreeze => (state.app.unfreeze_account(&actor, &id).await, "unfrozen"),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/review/accounts/{id}?done={done}")).into_response()),
        // Someone else acted first, or the state no longer allows it: say so on the page.
        Err(e @ (AppError::Conflict(_) | AppError::AccountState(_))) => {
            let mut view = account_page(&state, &page, &actor, &id).await?;
            view.warning = Some(format!(
                "{}{}",
                view.r.changed_meanwhile,
                e.message(page.lang)
            ));
            let mut response = render(&view);
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

async fn reveal_id_number(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = parse_account_id(&id)?;
    if let Err(e) = require_reviewer(&actor) {
        // A refused reveal is recorded, as the application does for its own refusals.
        let denied = actor.denied("account.reveal_id_number", "account", id.as_str());
        state.app.audit_denied(denied).await;
        return Err(e.into());
    }
    let mut view = account_page(&state, &page, &actor, &id).await?;
    view.revealed = Some(state.app.reveal_id_number(&actor, &id).await?);
    Ok(no_store(render(&view)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc() {
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000)
            .unwrap()
            .to_offset(UtcOffset::from_hms(8, 0, 0).unwrap());
        assert_eq!(utc(t), "2023-11-14 22:13:20");
        assert_eq!(utc_or(None, "—"), "—");
    }

    #[test]
    fn choices_mark_the_current_value() {
        let list = Choice::list([("", "All"), ("frozen", "Frozen")], "frozen");
        assert!(!list[0].selected);
        assert!(list[1].selected);
    }
}

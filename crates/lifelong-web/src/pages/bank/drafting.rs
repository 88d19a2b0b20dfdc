//! The flow every versioned catalog item's form shares (units, standards, rules, R13, R16,
//! R17): a new version prefilled from the newest one, a draft's edit page — a published
//! version is never edited: its page says why and offers a new version — and saving a draft,
//! which re-shows the form with every refusal. Each item says only what is its own
//! ([`Drafted`]): its fields, how they are read and checked, and the form's sections.

use async_trait::async_trait;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::{Actor, AppError};
use lifelong_core::publication::PublicationStatus;
use lifelong_core::role::Permission;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{
    code_version, drafted_href, locked, on_form, read_code, read_required, read_version, show_form,
    today_text, Errors, Fields, Form, FormSpec, Input, Mode, Section,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::Page;
use crate::state::AppState;

/// A versioned catalog item kept on a form.
#[async_trait]
pub trait Drafted: Sized + Send + Sync + 'static {
    /// The kind, as the maintenance page names its drafts: `unit`, `standard`, `rule`.
    const KIND: &'static str;
    /// What reading and showing the form need from the store.
    type Context: Send + Sync;

    /// Loads what the form is read against and shown with (the framework, the units …).
    async fn context(state: &AppState) -> Result<Self::Context, AppError>;
    /// Every stored version of `code`.
    async fn versions(state: &AppState, code: &str) -> Result<Vec<Self>, AppError>;
    /// Saves the item as a draft.
    async fn save(state: &AppState, actor: &Actor, item: &Self) -> Result<(), AppError>;

    /// Code, version and status.
    fn identity(&self) -> (&str, u32, PublicationStatus);
    /// Puts the item's own fields in the form (code, version and mode are put for it).
    fn put_fields(&self, fields: &mut Fields);
    /// Reads the item from the form, or says what is wrong with each field.
    fn read(fields: &Fields, context: &Self::Context, lang: Lang) -> Result<Self, Errors>;
    /// The form's sections, texts and links.
    fn form(f: &Form<'_>, mode: Mode, context: &Self::Context, lang: Lang) -> DraftForm;
    /// Where the page of a published version links: its new-version form and its own page.
    fn locked_links(&self) -> (String, String);
}

/// What an item's form shows besides what every draft form shows.
pub struct DraftForm {
    /// The heading for a new item, for a new version, and for a draft.
    pub titles: [&'static str; 3],
    pub lead: &'static str,
    pub action: &'static str,
    pub back_href: String,
    pub back_label: &'static str,
    pub sections: Vec<Section>,
}

/// The code and version inputs: the code is fixed once the item exists, the version once the
/// draft is stored.
pub fn code_and_version(f: &Form<'_>, e: &EditTexts, mode: Mode) -> Vec<Input> {
    vec![
        f.text("code", e.code, e.code_hint)
            .required()
            .readonly(mode != Mode::New),
        f.text("version", e.version, e.version_hint)
            .required()
            .readonly(mode == Mode::Edit),
    ]
}

/// The form of `T` with `fields` and `errors`, answered with `status`.
fn render<T: Drafted>(
    page: &Page,
    fields: Fields,
    errors: Errors,
    context: &T::Context,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let e = EditTexts::get(lang);
    let colon = CatalogTexts::get(lang).colon;
    let mode = Mode::of(&fields);
    let form = T::form(
        &Form {
            fields: &fields,
            errors: &errors,
        },
        mode,
        context,
        lang,
    );
    let code = fields.get("code").trim();
    let [new, version, edit] = form.titles;
    let heading = match mode {
        Mode::New => new.to_owned(),
        Mode::Version => format!("{version}{colon}{code}"),
        Mode::Edit => {
            let number = fields.get("version").trim().parse().unwrap_or(0);
            format!("{edit}{colon}{}", code_version(code, number, lang))
        }
    };
    let spec = FormSpec {
        heading,
        lead: form.lead,
        action: form.action,
        back_href: form.back_href,
        back_label: form.back_label.to_owned(),
        sections: form.sections,
        submit: e.save_draft,
        mode,
        actions: Vec::new(),
    };
    show_form(page, spec, errors, None, status)
}

/// The form's fields for a stored version, shown in `mode`.
fn fields_of<T: Drafted>(item: &T, mode: Mode) -> Fields {
    let (code, version, _) = item.identity();
    let mut fields = Fields::default();
    fields.set("mode", mode.as_str());
    fields.set("code", code);
    fields.set("version", version.to_string());
    item.put_fields(&mut fields);
    fields
}

/// The code, version and Chinese title every item's form begins with.
pub fn read_identity(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> (String, u32, String) {
    let code = read_code(fields, "code", e, errors);
    let version = read_version(fields, e, errors);
    let title_zh = read_required(fields, "title_zh", e.title_required, errors);
    (code, version, title_zh)
}

/// A new item's form with `fields` already set (200).
pub async fn show<T: Drafted>(
    state: &AppState,
    page: &Page,
    fields: Fields,
) -> Result<Response, PageError> {
    let context = T::context(state).await?;
    Ok(render::<T>(
        page,
        fields,
        Errors::default(),
        &context,
        StatusCode::OK,
    ))
}

/// The first fields of a new item: version 1 from today.
pub fn new_fields() -> Fields {
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    fields.set("version", "1");
    fields.set("from", today_text());
    fields
}

/// `GET /bank/{kind}s/{code}/new-version`: the newest version's values, numbered one higher.
pub async fn new_version<T: Drafted>(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let newest = T::versions(&state, &code)
        .await?
        .into_iter()
        .max_by_key(|x| x.identity().1)
        .ok_or(AppError::NotFound)?;
    let mut fields = fields_of(&newest, Mode::Version);
    fields.set("version", (newest.identity().1 + 1).to_string());
    fields.set("from", today_text());
    show::<T>(&state, &page, fields).await
}

/// `GET /bank/{kind}s/{code}/{version}/edit`: a draft's form; for a published version, why it
/// cannot be edited (409).
pub async fn edit<T: Drafted>(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let item = T::versions(&state, &code)
        .await?
        .into_iter()
        .find(|x| x.identity().1 == version)
        .ok_or(AppError::NotFound)?;
    let (code, _, status) = item.identity();
    if status != PublicationStatus::Draft {
        let (new_version_href, back_href) = item.locked_links();
        let what = code_version(code, version, page.lang);
        return Ok(locked(&page, what, new_version_href, back_href));
    }
    show::<T>(&state, &page, fields_of(&item, Mode::Edit)).await
}

/// `POST /bank/{kind}s`: saves the form as a draft, then sends the reviewer to publish it.
pub async fn save<T: Drafted>(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let context = T::context(&state).await?;
    let refused = |fields, errors, status| render::<T>(&page, fields, errors, &context, status);
    let item = match T::read(&fields, &context, page.lang) {
        Ok(item) => item,
        Err(errors) => return Ok(refused(fields, errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let (code, version, _) = item.identity();
    // A draft is changed from its own edit page, never overwritten by a new form.
    let existing = T::versions(&state, code)
        .await?
        .into_iter()
        .find(|x| x.identity().1 == version);
    if existing.is_some_and(|x| x.identity().2 == PublicationStatus::Draft)
        && Mode::of(&fields) != Mode::Edit
    {
        let mut errors = Errors::default();
        errors.add("version", EditTexts::get(page.lang).draft_exists);
        return Ok(refused(fields, errors, StatusCode::UNPROCESSABLE_ENTITY));
    }
    match T::save(&state, &signed.actor, &item).await {
        Ok(()) => {
            tracing::info!(what = T::KIND, version, "catalog draft saved from the web");
            Ok(Redirect::to(&drafted_href(T::KIND, code, version)).into_response())
        }
        Err(err) if on_form(&err) => {
            let errors = Errors::from_app(&err, page.lang);
            Ok(refused(fields, errors, status_of(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

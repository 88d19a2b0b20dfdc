//! Drafting accreditation units on a form (R13, reviewers): a new unit, a new version of one
//! (prefilled from its newest version), and changing a draft. A published version is never
//! edited: its edit page says why and offers a new version instead.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::credit_code::CreditCode;
use lifelong_core::framework::{Framework, Text2};
use lifelong_core::outcome::{CreditCategory, Industry, INDUSTRIES};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{
    category_options, code_version, day_text, drafted_href, level_options, locked, on_form,
    read_code, read_credits, read_from, read_level, read_required, read_version, section,
    show_form, today_text, Errors, Fields, Form, FormSpec, Mode,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::{urlencode, Page};
use crate::state::AppState;

/// The industry sections, after "no particular industry".
fn industry_options(e: &EditTexts, lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), e.industry_none.to_owned())];
    out.extend(
        INDUSTRIES
            .iter()
            .map(|i| (i.code.to_string(), format!("{} {}", i.code, i.name(lang)))),
    );
    out
}

/// The form's fields for a stored unit.
fn unit_fields(u: &Unit, mode: Mode) -> Fields {
    let mut f = Fields::default();
    f.set("mode", mode.as_str());
    f.set("code", &u.code);
    f.set("version", u.version.to_string());
    f.set("title_zh", &u.title.zh);
    f.set("title_en", &u.title.en);
    f.set("level", u.level.to_string());
    f.set("credits", u.credits.to_string());
    f.set("category", u.category.as_str());
    f.set("industry", u.industry.map(String::from).unwrap_or_default());
    f.set("criteria_zh", &u.criteria.zh);
    f.set("criteria_en", &u.criteria.en);
    f.set("owner", &u.owner);
    f.set("from", day_text(u.window.from));
    f
}

/// Reads a unit from the form, or says what is wrong with it.
fn unit_from(fields: &Fields, framework: &Framework, lang: Lang) -> Result<Unit, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = read_code(fields, "code", e, &mut errors);
    let version = read_version(fields, e, &mut errors);
    let title_zh = read_required(fields, "title_zh", e.title_required, &mut errors);
    let level = read_level(fields, "level", framework, e, &mut errors);
    let credits = read_credits(fields, "credits", e.credits_zero, lang, &mut errors);
    let category = CreditCategory::parse(fields.get("category"));
    if category.is_none() {
        errors.add("category", e.category_required);
    }
    let industry = match fields.opt("industry") {
        None => None,
        Some(text) => match Industry::by_code(&text) {
            Some(i) => Some(i.code),
            None => {
                errors.add("industry", e.industry_bad);
                None
            }
        },
    };
    let criteria_zh = read_required(fields, "criteria_zh", e.criteria_required, &mut errors);
    let owner = match fields.opt("owner") {
        None => "bank".to_owned(),
        Some(o) if o.eq_ignore_ascii_case("bank") => "bank".to_owned(),
        Some(o) => match CreditCode::parse(&o) {
            Ok(code) => code.as_str().to_owned(),
            Err(_) => {
                errors.add("owner", e.owner_bad);
                o
            }
        },
    };
    let from = read_from(fields, e, &mut errors);
    let (Some(level), Some(category), true) = (level, category, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Unit {
        code,
        version,
        title: Text2::new(title_zh, fields.get("title_en").trim()),
        level,
        credits,
        category,
        industry,
        criteria: Text2::new(criteria_zh, fields.get("criteria_en").trim()),
        owner,
        status: PublicationStatus::Draft,
        window: Window { from, until: None },
    })
}

/// The unit form with `fields` and `errors`, answered with `status`.
async fn unit_form(
    state: &AppState,
    page: &Page,
    fields: Fields,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let e = EditTexts::get(lang);
    let b = CatalogTexts::get(lang);
    let framework = state.app.framework().await?;
    let mode = Mode::of(&fields);
    let code = fields.get("code").trim().to_owned();
    let f = Form {
        fields: &fields,
        errors: &errors,
    };
    let sections = vec![
        section(
            e.section_code,
            vec![
                f.text("code", e.code, e.code_hint)
                    .required()
                    .readonly(mode != Mode::New),
                f.text("version", e.version, e.version_hint)
                    .required()
                    .readonly(mode == Mode::Edit),
            ],
        ),
        section(
            e.section_text,
            vec![
                f.text("title_zh", e.title_zh, "").required(),
                f.text("title_en", e.title_en, ""),
                f.textarea("criteria_zh", e.criteria_zh, e.criteria_hint)
                    .required(),
                f.textarea("criteria_en", e.criteria_en, ""),
            ],
        ),
        section(
            e.section_place,
            vec![
                f.select(
                    "level",
                    e.level,
                    e.level_hint,
                    level_options(&framework, e, lang),
                )
                .required(),
                f.decimal("credits", e.credits, e.credits_hint).required(),
                f.select("category", e.category, "", category_options(e, lang))
                    .required(),
                f.select("industry", e.industry, "", industry_options(e, lang)),
                f.text("owner", e.owner, e.owner_hint).required(),
                f.date("from", e.from, e.from_hint),
            ],
        ),
    ];
    let heading = match mode {
        Mode::New => e.unit_new.to_owned(),
        Mode::Version => format!("{}{}{code}", e.unit_version, b.colon),
        Mode::Edit => format!(
            "{}{}{}",
            e.unit_edit,
            b.colon,
            code_version(
                &code,
                fields.get("version").trim().parse().unwrap_or(0),
                lang
            )
        ),
    };
    let back_href = match mode {
        Mode::New => "/bank/units".to_owned(),
        _ => format!("/bank/units/{}", urlencode(&code)),
    };
    let spec = FormSpec {
        heading,
        lead: e.unit_lead,
        action: "/bank/units",
        back_href,
        back_label: b.back_units.to_owned(),
        sections,
        submit: e.save_draft,
        mode,
    };
    Ok(show_form(page, spec, errors, None, status))
}

/// Every version of unit `code`.
async fn versions(state: &AppState, code: &str) -> Result<Vec<Unit>, AppError> {
    Ok(state
        .app
        .units(Some(code))
        .await?
        .into_iter()
        .filter(|u| u.code == code)
        .collect())
}

/// `GET /bank/units/new`: an empty unit form.
pub async fn new_unit(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    fields.set("version", "1");
    fields.set("owner", "bank");
    fields.set("from", today_text());
    unit_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `GET /bank/units/{code}/new-version`: the newest version's values, numbered one higher.
pub async fn new_version(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let newest = versions(&state, &code)
        .await?
        .into_iter()
        .max_by_key(|u| u.version)
        .ok_or(AppError::NotFound)?;
    let mut fields = unit_fields(&newest, Mode::Version);
    fields.set("version", (newest.version + 1).to_string());
    fields.set("from", today_text());
    unit_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `GET /bank/units/{code}/{version}/edit`: a draft's form; for a published version, why it
/// cannot be edited (409).
pub async fn edit_unit(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let unit = versions(&state, &code)
        .await?
        .into_iter()
        .find(|u| u.version == version)
        .ok_or(AppError::NotFound)?;
    if unit.status != PublicationStatus::Draft {
        let code = urlencode(&unit.code);
        return Ok(locked(
            &page,
            code_version(&unit.code, version, page.lang),
            format!("/bank/units/{code}/new-version"),
            format!("/bank/units/{code}"),
        ));
    }
    let fields = unit_fields(&unit, Mode::Edit);
    unit_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `POST /bank/units`: saves the form as a draft, then sends the reviewer to publish it.
pub async fn save_unit(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let framework = state.app.framework().await?;
    let unit = match unit_from(&fields, &framework, page.lang) {
        Ok(unit) => unit,
        Err(errors) => {
            return unit_form(
                &state,
                &page,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    // A draft is changed from its own edit page, never overwritten by a new form.
    let existing = versions(&state, &unit.code)
        .await?
        .into_iter()
        .find(|u| u.version == unit.version);
    if existing.is_some_and(|u| u.status == PublicationStatus::Draft)
        && Mode::of(&fields) != Mode::Edit
    {
        let mut errors = Errors::default();
        errors.add("version", EditTexts::get(page.lang).draft_exists);
        return unit_form(
            &state,
            &page,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.app.save_unit(&signed.actor, &unit).await {
        Ok(()) => {
            tracing::info!(version = unit.version, "unit draft saved from the web");
            Ok(Redirect::to(&drafted_href("unit", &unit.code, unit.version)).into_response())
        }
        Err(err) if on_form(&err) => {
            let errors = Errors::from_app(&err, page.lang);
            unit_form(&state, &page, fields, errors, status_of(&err)).await
        }
        Err(err) => Err(err.into()),
    }
}

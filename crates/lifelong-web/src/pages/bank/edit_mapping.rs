//! Keeping level mappings on a form (R12, reviewers): another framework's code and name, and
//! for each of its levels, lowest first, the level of ours it maps onto. Levels the other
//! framework does not have are left empty at the end. A mapping is guidance; saving replaces
//! the mapping of that framework whole.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::framework::{Framework, Level, LevelMapping, Text2, MAX_LEVELS};
use lifelong_core::role::Permission;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{
    on_form, read_code, read_required, section, show_form, Errors, Fields, Form, FormSpec, Mode,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::Page;
use crate::state::AppState;

/// The input of the other framework's level `n`.
fn level_field(n: u8) -> String {
    format!("level_{n}")
}

/// The form's fields for a stored mapping.
fn mapping_fields(m: &LevelMapping) -> Fields {
    let mut f = Fields::default();
    f.set("mode", Mode::Edit.as_str());
    f.set("from_framework", &m.from_framework);
    f.set("from_name_zh", &m.from_name.zh);
    f.set("from_name_en", &m.from_name.en);
    for (theirs, ours) in &m.pairs {
        f.set(&level_field(theirs.get()), ours.to_string());
    }
    f
}

/// "Level 3 is empty: fill in the levels in order, from level 1", in `lang`.
fn gap(empty: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第{empty}级没有填写：请从第 1 级起连续填写，对方框架没有的等级留在最后不填。"),
        Lang::En => format!(
            "Level {empty} is empty: fill in the levels in order from level 1, leaving only the levels the other framework does not have empty at the end."
        ),
    }
}

/// Reads a mapping onto `framework` from the form, or says what is wrong with it.
fn mapping_from(
    fields: &Fields,
    framework: &Framework,
    lang: Lang,
) -> Result<LevelMapping, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = read_code(fields, "from_framework", e, &mut errors);
    if code == framework.code {
        errors.add("from_framework", e.mapping_onto_itself);
    }
    let name_zh = read_required(fields, "from_name_zh", e.name_required, &mut errors);
    let mut pairs = Vec::new();
    let mut first_empty: Option<u8> = None;
    let mut gap_told = false;
    for theirs in (1..=MAX_LEVELS).filter_map(Level::new) {
        let field = level_field(theirs.get());
        let Some(text) = fields.opt(&field) else {
            first_empty = first_empty.or(Some(theirs.get()));
            continue;
        };
        match (
            Level::parse(&text).filter(|l| framework.level(*l).is_some()),
            first_empty,
        ) {
            (None, _) => errors.add(&field, e.level_bad),
            (Some(_), Some(empty)) if !gap_told => {
                errors.add(&level_field(empty), gap(empty, lang));
                gap_told = true;
            }
            (Some(_), Some(_)) => {}
            (Some(ours), None) => pairs.push((theirs, ours)),
        }
    }
    if pairs.is_empty() && errors.0.iter().all(|x| !x.field.starts_with("level_")) {
        errors.add(&level_field(1), e.mapping_levels_required);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LevelMapping {
        from_framework: code,
        from_name: Text2::new(name_zh, fields.get("from_name_en").trim()),
        to_framework: framework.code.clone(),
        pairs,
    })
}

/// The mapping form with `fields` and `errors`, answered with `status`.
fn mapping_form(
    page: &Page,
    framework: &Framework,
    fields: Fields,
    errors: Errors,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let e = EditTexts::get(lang);
    let b = CatalogTexts::get(lang);
    let mode = Mode::of(&fields);
    let f = Form {
        fields: &fields,
        errors: &errors,
    };
    let mut ours = vec![(String::new(), e.mapping_no_level.to_owned())];
    ours.extend(framework.levels.iter().map(|l| {
        let title = format!("{} · {}", l.level, l.title.get(lang));
        (l.level.to_string(), title)
    }));
    let levels = (1..=MAX_LEVELS)
        .map(|n| {
            let label = match lang {
                Lang::Zh => format!("对方第{n}级对应"),
                Lang::En => format!("Their level {n} maps onto"),
            };
            let hint = if n == 1 { e.mapping_levels_hint } else { "" };
            f.select(&level_field(n), &label, hint, ours.clone())
        })
        .collect();
    let sections = vec![
        section(
            e.section_mapping,
            vec![
                f.text("from_framework", e.mapping_code, e.mapping_code_hint)
                    .required()
                    .readonly(mode == Mode::Edit),
                f.text("from_name_zh", e.mapping_name_zh, "").required(),
                f.text("from_name_en", e.mapping_name_en, ""),
            ],
        ),
        section(e.section_mapping_levels, levels),
    ];
    let heading = match mode {
        Mode::Edit => format!(
            "{}{}{}",
            e.mapping_edit,
            b.colon,
            fields.get("from_framework").trim()
        ),
        _ => e.mapping_new.to_owned(),
    };
    let spec = FormSpec {
        heading,
        lead: e.mapping_lead,
        action: "/bank/framework/mappings",
        back_href: "/bank#mappings".to_owned(),
        back_label: b.mappings_heading.to_owned(),
        sections,
        submit: e.save_mapping,
        mode,
        actions: Vec::new(),
    };
    show_form(page, spec, errors, None, status)
}

/// The stored mapping of framework `code` onto ours, if any.
async fn stored(state: &AppState, code: &str) -> Result<Option<LevelMapping>, AppError> {
    let all = state.app.level_mappings().await?;
    Ok(all.into_iter().find(|m| m.from_framework == code))
}

/// The mapping form with `fields` as they are (200).
async fn show(state: &AppState, page: &Page, fields: Fields) -> Result<Response, PageError> {
    let framework = state.app.framework().await?;
    let errors = Errors::default();
    Ok(mapping_form(
        page,
        &framework,
        fields,
        errors,
        StatusCode::OK,
    ))
}

/// `GET /bank/framework/mappings/new`: an empty mapping form.
pub async fn new_mapping(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    show(&state, &page, fields).await
}

/// `GET /bank/framework/mappings/{from}/edit`: a stored mapping's form.
pub async fn edit_mapping(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(from): Path<String>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mapping = stored(&state, &from).await?.ok_or(AppError::NotFound)?;
    show(&state, &page, mapping_fields(&mapping)).await
}

/// `POST /bank/framework/mappings`: saves the mapping, then shows it on the framework page.
pub async fn save_mapping(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let framework = state.app.framework().await?;
    let refused = |fields, errors, status| mapping_form(&page, &framework, fields, errors, status);
    let mapping = match mapping_from(&fields, &framework, page.lang) {
        Ok(m) => m,
        Err(errors) => return Ok(refused(fields, errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    // A new mapping never replaces one that exists: that is what its edit page is for.
    let exists = stored(&state, &mapping.from_framework).await?.is_some();
    if exists && Mode::of(&fields) != Mode::Edit {
        let mut errors = Errors::default();
        errors.add("from_framework", EditTexts::get(page.lang).mapping_exists);
        return Ok(refused(fields, errors, StatusCode::UNPROCESSABLE_ENTITY));
    }
    match state.app.save_level_mapping(&signed.actor, &mapping).await {
        Ok(()) => {
            tracing::info!(
                levels = mapping.pairs.len(),
                "level mapping saved from the web"
            );
            Ok(Redirect::to("/bank?done=mapping_saved#mappings").into_response())
        }
        Err(err) if on_form(&err) => {
            let mut errors = Errors::from_app(&err, page.lang);
            // Only the code is one input; the other checks concern the mapping as a whole.
            for x in errors.0.iter_mut().filter(|x| x.field != "from_framework") {
                x.field.clear();
            }
            Ok(refused(fields, errors, status_of(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

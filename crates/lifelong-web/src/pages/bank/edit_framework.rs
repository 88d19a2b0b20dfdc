//! Editing the qualifications framework on a form (R12, reviewers): the name, and for every
//! level its title, knowledge, skill, competence and typical qualifications in Chinese and
//! English. Each missing descriptor is marked where it is missing; the framework is checked
//! as a whole again when saved.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_core::framework::{Framework, Level, LevelDescriptor, Text2, MAX_LEVELS};
use lifelong_core::role::Permission;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{on_form, section, show_form, Errors, Fields, Form, FormSpec, Mode};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::{DoneQuery, Page};
use crate::state::AppState;

/// The descriptors of a level: field stem, and whether it must be written.
const DESCRIPTORS: [(&str, bool); 5] = [
    ("title", true),
    ("knowledge", true),
    ("skill", true),
    ("competence", true),
    ("typical", false),
];

fn name(level: usize, stem: &str, lang: &str) -> String {
    format!("l{level}_{stem}_{lang}")
}

fn text_of<'a>(d: &'a LevelDescriptor, stem: &str) -> &'a Text2 {
    match stem {
        "title" => &d.title,
        "knowledge" => &d.knowledge,
        "skill" => &d.skill,
        "competence" => &d.competence,
        _ => &d.typical,
    }
}

/// The form's fields for the stored framework.
fn framework_fields(framework: &Framework) -> Fields {
    let mut f = Fields::default();
    f.set("mode", Mode::Edit.as_str());
    f.set("code", &framework.code);
    f.set("name_zh", &framework.name.zh);
    f.set("name_en", &framework.name.en);
    for (i, d) in framework.levels.iter().enumerate() {
        for (stem, _) in DESCRIPTORS {
            let text = text_of(d, stem);
            f.set(&name(i + 1, stem, "zh"), &text.zh);
            f.set(&name(i + 1, stem, "en"), &text.en);
        }
    }
    f
}

/// How many levels the form holds.
fn level_count(fields: &Fields) -> usize {
    (1..=usize::from(MAX_LEVELS))
        .take_while(|i| fields.has(&name(*i, "title", "zh")))
        .count()
}

/// Reads the framework from the form, or says which fields are missing.
fn framework_from(fields: &Fields, lang: Lang) -> Result<Framework, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = fields.get("code").trim().to_owned();
    if code.is_empty() {
        errors.add("code", e.descriptor_required);
    }
    let name_zh = fields.get("name_zh").trim().to_owned();
    if name_zh.is_empty() {
        errors.add("name_zh", e.name_required);
    }
    let mut levels = Vec::new();
    for i in 1..=level_count(fields) {
        let mut texts = Vec::new();
        for (stem, required) in DESCRIPTORS {
            let (zh_name, en_name) = (name(i, stem, "zh"), name(i, stem, "en"));
            let zh = fields.get(&zh_name).trim().to_owned();
            let en = fields.get(&en_name).trim().to_owned();
            for (field, text) in [(&zh_name, &zh), (&en_name, &en)] {
                if required && text.is_empty() {
                    errors.add(field, e.descriptor_required);
                }
            }
            texts.push(Text2::new(zh, en));
        }
        let Some(level) = u8::try_from(i).ok().and_then(Level::new) else {
            continue;
        };
        let mut texts = texts.into_iter();
        let mut next = || texts.next().unwrap_or_default();
        levels.push(LevelDescriptor {
            level,
            title: next(),
            knowledge: next(),
            skill: next(),
            competence: next(),
            typical: next(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Framework {
        code,
        name: Text2::new(name_zh, fields.get("name_en").trim()),
        levels,
    })
}

/// The framework form with `fields` and `errors`, answered with `status`.
fn framework_form(
    page: &Page,
    fields: Fields,
    errors: Errors,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let e = EditTexts::get(page.lang);
    let b = CatalogTexts::get(page.lang);
    let f = Form {
        fields: &fields,
        errors: &errors,
    };
    let mut sections = vec![section(
        e.section_framework,
        vec![
            f.text("code", e.framework_code, "")
                .required()
                .readonly(true),
            f.text("name_zh", e.framework_name_zh, "").required(),
            f.text("name_en", e.framework_name_en, ""),
        ],
    )];
    let labels = [
        (e.title_zh, e.title_en),
        (e.knowledge_zh, e.knowledge_en),
        (e.skill_zh, e.skill_en),
        (e.competence_zh, e.competence_en),
        (e.typical_zh, e.typical_en),
    ];
    for i in 1..=level_count(&fields) {
        let mut inputs = Vec::new();
        for ((stem, required), (zh_label, en_label)) in DESCRIPTORS.iter().zip(labels) {
            for (lang, label) in [("zh", zh_label), ("en", en_label)] {
                let field = name(i, stem, lang);
                let input = if *stem == "title" {
                    f.text(&field, label, "")
                } else {
                    f.textarea(&field, label, "").rows(3)
                };
                inputs.push(if *required { input.required() } else { input });
            }
        }
        let legend = format!("{}{i}{}", e.level_prefix, e.level_suffix);
        sections.push(section(&legend, inputs));
    }
    let spec = FormSpec {
        heading: e.framework_edit.to_owned(),
        lead: e.framework_lead,
        action: "/bank/framework",
        back_href: "/bank".to_owned(),
        back_label: b.title.to_owned(),
        sections,
        submit: e.save_framework,
        mode: Mode::Edit,
    };
    show_form(page, spec, errors, notice, status)
}

/// `GET /bank/framework/edit`: the framework's form (reviewers).
pub async fn edit_framework(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let e = EditTexts::get(page.lang);
    let framework = state.app.framework().await?;
    let notice = (q.done.as_deref() == Some("saved")).then(|| e.framework_saved.to_owned());
    Ok(framework_form(
        &page,
        framework_fields(&framework),
        Errors::default(),
        notice,
        StatusCode::OK,
    ))
}

/// `POST /bank/framework`: saves the framework once every descriptor is written.
pub async fn save_framework(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let framework = match framework_from(&fields, page.lang) {
        Ok(f) => f,
        Err(errors) => {
            return Ok(framework_form(
                &page,
                fields,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    match state.app.save_framework(&signed.actor, &framework).await {
        Ok(()) => {
            tracing::info!(
                levels = framework.levels.len(),
                "framework saved from the web"
            );
            Ok(Redirect::to("/bank/framework/edit?done=saved").into_response())
        }
        Err(err) if on_form(&err) => {
            let mut errors = Errors::from_app(&err, page.lang);
            // The framework's own check names no input: show it above the form.
            for x in &mut errors.0 {
                x.field.clear();
            }
            Ok(framework_form(&page, fields, errors, None, status_of(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

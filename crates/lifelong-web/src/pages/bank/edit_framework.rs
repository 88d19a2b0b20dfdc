//! Editing the qualifications framework on a form (R12, reviewers): the name, and for every
//! level its title, knowledge, skill, competence and typical qualifications in Chinese and
//! English. A level is added at the end and the last one removed with buttons that change the
//! form, not the framework; removing a level that a unit, a programme, a course or a level
//! mapping uses is refused at once. Each missing descriptor is marked where it is missing; the
//! framework is checked as a whole again when saved.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::framework::{Framework, Level, LevelDescriptor, Text2, MAX_LEVELS};
use lifelong_core::role::Permission;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{on_form, section, show_form, Errors, Fields, Form, FormAction, FormSpec, Mode};
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

/// A use case's refusal, shown above the form: the framework's own checks name no input.
fn above_the_form(err: &AppError, lang: Lang) -> Errors {
    let mut errors = Errors::from_app(err, lang);
    for x in &mut errors.0 {
        x.field.clear();
    }
    errors
}

/// The buttons that add a level at the end and remove the last one, where allowed.
fn level_actions(levels: usize, lang: Lang) -> Vec<FormAction> {
    let mut actions = Vec::new();
    if levels < usize::from(MAX_LEVELS) {
        actions.push(FormAction {
            name: "change",
            value: "add_level",
            label: lang
                .pick("在末尾增加一级", "Add a level at the end")
                .to_owned(),
        });
    }
    if levels > 1 {
        actions.push(FormAction {
            name: "change",
            value: "remove_level",
            label: match lang {
                Lang::Zh => format!("删除最后一级（第{levels}级）"),
                Lang::En => format!("Remove the last level (level {levels})"),
            },
        });
    }
    actions
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
        actions: level_actions(level_count(&fields), page.lang),
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
    match fields.get("change") {
        "add_level" => return Ok(add_level(&page, fields)),
        "remove_level" => return remove_level(&state, &page, fields).await,
        _ => {}
    }
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
            let errors = above_the_form(&err, page.lang);
            Ok(framework_form(&page, fields, errors, None, status_of(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

/// The form with an empty level after the last one (nothing is saved yet).
fn add_level(page: &Page, mut fields: Fields) -> Response {
    let levels = level_count(&fields);
    let lang = page.lang;
    if levels >= usize::from(MAX_LEVELS) {
        let mut errors = Errors::default();
        let message = match lang {
            Lang::Zh => format!("资历框架最多 {MAX_LEVELS} 级。"),
            Lang::En => format!("A framework has at most {MAX_LEVELS} levels."),
        };
        errors.add("", message);
        return framework_form(page, fields, errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let added = levels + 1;
    for (stem, _) in DESCRIPTORS {
        fields.set(&name(added, stem, "zh"), "");
        fields.set(&name(added, stem, "en"), "");
    }
    let notice = match lang {
        Lang::Zh => format!("已在末尾增加第{added}级。请填写它的名称和各项描述，然后保存资历框架。"),
        Lang::En => format!(
            "Level {added} is added at the end. Write its title and descriptors, then save the framework."
        ),
    };
    framework_form(
        page,
        fields,
        Errors::default(),
        Some(notice),
        StatusCode::OK,
    )
}

/// The form without its last level, unless something still uses that level (nothing is saved
/// yet; saving checks again).
async fn remove_level(
    state: &AppState,
    page: &Page,
    mut fields: Fields,
) -> Result<Response, PageError> {
    let levels = level_count(&fields);
    let lang = page.lang;
    if levels <= 1 {
        let mut errors = Errors::default();
        let message = lang.pick(
            "资历框架至少要有一级。",
            "A framework keeps at least one level.",
        );
        errors.add("", message);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(framework_form(page, fields, errors, None, status));
    }
    let last = u8::try_from(levels).unwrap_or(MAX_LEVELS);
    match state.app.check_levels_removable(last).await {
        Ok(()) => {}
        Err(err) if on_form(&err) => {
            let errors = above_the_form(&err, lang);
            return Ok(framework_form(page, fields, errors, None, status_of(&err)));
        }
        Err(err) => return Err(err.into()),
    }
    for (stem, _) in DESCRIPTORS {
        fields.remove(&name(levels, stem, "zh"));
        fields.remove(&name(levels, stem, "en"));
    }
    let notice = match lang {
        Lang::Zh => format!("已从表单中删除第{levels}级。保存资历框架后生效。"),
        Lang::En => format!(
            "Level {levels} is taken off the form. It is removed when you save the framework."
        ),
    };
    Ok(framework_form(
        page,
        fields,
        Errors::default(),
        Some(notice),
        StatusCode::OK,
    ))
}

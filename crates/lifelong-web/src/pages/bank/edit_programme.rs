//! Keeping programmes on a form (R16, R18, R19, reviewers): the school, title, level, award
//! credits, the cap on converted credits and the limits by source (`source_caps`), and the
//! course list as one course per line
//! (`code | 中文名 | English | credits | level | compulsory | capstone`), each line checked
//! with its own message. Programmes have no versions: a saved change applies at once.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::credits::Credits;
use lifelong_core::framework::{Framework, Level, Text2};
use lifelong_core::outcome::CreditCategory;
use lifelong_core::programme::{ConversionCaps, Course, Programme};
use lifelong_core::role::Permission;
use lifelong_core::unit::valid_code;
use lifelong_core::{Explain, Lang};

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{
    level_options, on_form, read_code, read_credit_code, read_credits, read_level, read_percent,
    read_required, section, show_form, Errors, Fields, Form, FormSpec, Mode,
};
use super::source_caps::{
    basis_code, basis_options, put_source_caps, read_basis, read_source_caps, source_cap_sections,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::{urlencode, Page};
use crate::state::AppState;

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "y"
    } else {
        "n"
    }
}

/// A course as one line of the course list.
fn course_line(c: &Course) -> String {
    format!(
        "{} | {} | {} | {} | {} | {} | {}",
        c.code,
        c.title.zh,
        c.title.en,
        c.credits,
        c.level,
        yes_no(c.compulsory),
        yes_no(c.capstone)
    )
}

/// The form's fields for a stored programme.
fn programme_fields(p: &Programme, mode: Mode) -> Fields {
    let mut f = Fields::default();
    f.set("mode", mode.as_str());
    f.set("code", &p.code);
    f.set("institution", &p.institution);
    f.set("title_zh", &p.title.zh);
    f.set("title_en", &p.title.en);
    f.set("level", p.level.to_string());
    f.set("award_credits", p.award_credits.to_string());
    f.set("cap_percent", p.caps.percent.normalize().to_string());
    f.set("cap_basis", basis_code(p.caps.basis));
    put_source_caps(&mut f, &p.caps.per_source);
    let lines: Vec<String> = p.courses.iter().map(course_line).collect();
    f.set("courses", lines.join("\n"));
    f
}

/// "第 3 行：…" / "Line 3: …".
fn on_line(n: usize, message: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("课程清单第 {n} 行：{message}"),
        Lang::En => format!("Course list, line {n}: {message}"),
    }
}

/// Reads y/n (also yes/no, 是/否, 1/0; empty is no).
fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "y" | "yes" | "是" | "1" | "true" => Some(true),
        "n" | "no" | "否" | "0" | "false" | "" => Some(false),
        _ => None,
    }
}

/// Reads one line of the course list.
fn course_from_line(
    line: &str,
    framework: &Framework,
    old: Option<&Programme>,
    lang: Lang,
) -> Result<Course, String> {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    if !(5..=7).contains(&parts.len()) {
        return Err(match lang {
            Lang::Zh => format!("应有 5 到 7 项，用竖线 | 分隔，现在有 {} 项。", parts.len()),
            Lang::En => format!(
                "it needs 5 to 7 items separated by |, it has {}.",
                parts.len()
            ),
        });
    }
    let code = parts[0];
    if !valid_code(code) {
        return Err(lang
            .pick(
                "课程编码须为 2–40 位英文字母、数字或 - _ .。",
                "a course code is 2–40 letters, digits, '-', '_' or '.'.",
            )
            .to_owned());
    }
    if parts[1].is_empty() {
        return Err(lang
            .pick("请填写课程的中文名。", "the Chinese title is missing.")
            .to_owned());
    }
    let credits = match Credits::parse(parts[3]) {
        Ok(c) if !c.is_zero() => c,
        Ok(_) => {
            return Err(lang
                .pick("学分须大于零。", "the credits must be more than zero.")
                .to_owned())
        }
        Err(e) => {
            return Err(format!(
                "{}{}",
                lang.pick("学分：", "credits: "),
                e.message(lang)
            ))
        }
    };
    let level: Level = Level::parse(parts[4])
        .filter(|l| framework.level(*l).is_some())
        .ok_or_else(|| {
            lang.pick(
                "等级须为资历框架中的等级（1 到 10 之间的整数）。",
                "the level must be a level of the framework (a whole number from 1 to 10).",
            )
            .to_owned()
        })?;
    let yn = |i: usize| {
        flag(parts.get(i).copied().unwrap_or("")).ok_or_else(|| {
            lang.pick(
                "是否必修、是否毕业设计请填 y 或 n。",
                "compulsory and capstone take y or n.",
            )
            .to_owned()
        })
    };
    let (compulsory, capstone) = (yn(5)?, yn(6)?);
    // A course's category is not on the line: an existing course keeps its own.
    let category = old
        .and_then(|p| p.course(code))
        .map(|c| c.category)
        .unwrap_or(CreditCategory::Academic);
    Ok(Course {
        code: code.to_owned(),
        title: Text2::new(parts[1], parts[2]),
        credits,
        level,
        category,
        compulsory,
        capstone,
    })
}

/// Reads the course list: every line that is not empty or a `#` comment is a course.
fn courses_from(
    text: &str,
    framework: &Framework,
    old: Option<&Programme>,
    lang: Lang,
    errors: &mut Errors,
) -> Vec<Course> {
    let mut courses = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match course_from_line(line, framework, old, lang) {
            Ok(c) if !seen.insert(c.code.clone()) => {
                let message = match lang {
                    Lang::Zh => format!("课程编码 {} 重复。", c.code),
                    Lang::En => format!("course code {} appears twice.", c.code),
                };
                errors.add("courses", on_line(i + 1, &message, lang));
            }
            Ok(c) => courses.push(c),
            Err(message) => errors.add("courses", on_line(i + 1, &message, lang)),
        }
    }
    courses
}

/// Reads a programme from the form, or says what is wrong with it. `old` is the stored
/// programme of the same code: its courses' categories are kept.
fn programme_from(
    fields: &Fields,
    framework: &Framework,
    old: Option<&Programme>,
    lang: Lang,
) -> Result<Programme, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = read_code(fields, "code", e, &mut errors);
    let institution = read_credit_code(fields, "institution", e.institution_bad, &mut errors);
    if institution.is_none() && fields.opt("institution").is_none() {
        errors.add("institution", e.institution_bad);
    }
    let title_zh = read_required(fields, "title_zh", e.title_required, &mut errors);
    let level = read_level(fields, "level", framework, e, &mut errors);
    let award_credits = read_credits(fields, "award_credits", e.award_zero, lang, &mut errors);
    let percent = read_percent(fields, "cap_percent", e.percent_bad, &mut errors).decimal();
    let basis = read_basis(fields, "cap_basis", e, &mut errors);
    let per_source = read_source_caps(fields, e, &mut errors);
    let courses = courses_from(fields.get("courses"), framework, old, lang, &mut errors);
    if courses.is_empty() && errors.0.iter().all(|x| x.field != "courses") {
        errors.add("courses", e.courses_required);
    }
    let (Some(institution), Some(level), Some(basis), true) =
        (institution, level, basis, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(Programme {
        code,
        institution,
        title: Text2::new(title_zh, fields.get("title_en").trim()),
        level,
        award_credits,
        courses,
        caps: ConversionCaps {
            percent,
            basis,
            per_source,
        },
    })
}

/// The programme form with `fields` and `errors`, answered with `status`.
async fn programme_form(
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
    let mut sections = vec![
        section(
            e.section_code,
            vec![
                f.text("code", e.code, e.code_hint)
                    .required()
                    .readonly(mode == Mode::Edit),
                f.text("institution", e.institution, e.institution_hint)
                    .required(),
                f.text("title_zh", e.title_zh, "").required(),
                f.text("title_en", e.title_en, ""),
                f.select(
                    "level",
                    e.level,
                    e.level_hint,
                    level_options(&framework, e, lang),
                )
                .required(),
                f.decimal("award_credits", e.award_credits, e.credits_hint)
                    .required(),
            ],
        ),
        section(
            e.section_caps,
            vec![
                f.decimal("cap_percent", e.cap_percent, e.cap_percent_hint)
                    .required(),
                f.select("cap_basis", e.cap_basis, "", basis_options(e))
                    .required(),
            ],
        ),
    ];
    sections.extend(source_cap_sections(&f, e, lang));
    sections.push(section(
        e.section_courses,
        vec![f
            .textarea("courses", e.courses, e.courses_hint)
            .required()
            .rows(12)],
    ));
    let (heading, back_href) = match mode {
        Mode::Edit => (
            format!("{}{}{code}", e.programme_edit, b.colon),
            format!("/bank/programmes/{}", urlencode(&code)),
        ),
        _ => (e.programme_new.to_owned(), "/bank/programmes".to_owned()),
    };
    let spec = FormSpec {
        heading,
        lead: e.programme_lead,
        action: "/bank/programmes",
        back_href,
        back_label: b.back_programmes.to_owned(),
        sections,
        submit: e.save_programme,
        mode,
        actions: Vec::new(),
    };
    Ok(show_form(page, spec, errors, None, status))
}

/// The stored programme of `code`, if there is one.
async fn stored(state: &AppState, code: &str) -> Result<Option<Programme>, AppError> {
    match state.app.programme(code).await {
        Ok(p) => Ok(Some(p.programme)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET /bank/programmes/new`: an empty programme form.
pub async fn new_programme(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    fields.set("cap_percent", "35");
    fields.set("cap_basis", "compulsory_credits");
    programme_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `GET /bank/programmes/{code}/edit`: the programme's form.
pub async fn edit_programme(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let programme = state.app.programme(&code).await?.programme;
    let fields = programme_fields(&programme, Mode::Edit);
    programme_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `POST /bank/programmes`: saves the programme, then shows it.
pub async fn save_programme(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let e = EditTexts::get(page.lang);
    let fields = Fields::from_pairs(pairs);
    let framework = state.app.framework().await?;
    let old = stored(&state, fields.get("code").trim()).await?;
    if old.is_some() && Mode::of(&fields) != Mode::Edit {
        let mut errors = Errors::default();
        errors.add("code", e.programme_exists);
        return programme_form(
            &state,
            &page,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let programme = match programme_from(&fields, &framework, old.as_ref(), page.lang) {
        Ok(p) => p,
        Err(errors) => {
            return programme_form(
                &state,
                &page,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match state.app.save_programme(&signed.actor, &programme).await {
        Ok(()) => {
            tracing::info!(
                courses = programme.courses.len(),
                "programme saved from the web"
            );
            Ok(
                Redirect::to(&format!("/bank/programmes/{}", urlencode(&programme.code)))
                    .into_response(),
            )
        }
        // The store names an unknown school only as "not found".
        Err(AppError::NotFound) => {
            let mut errors = Errors::default();
            errors.add("institution", e.institution_unknown);
            programme_form(
                &state,
                &page,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err) if on_form(&err) => {
            let errors = Errors::from_app(&err, page.lang);
            programme_form(&state, &page, fields, errors, status_of(&err)).await
        }
        Err(err) => Err(err.into()),
    }
}

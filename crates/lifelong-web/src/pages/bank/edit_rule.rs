//! Drafting conversion rules on a form (R16, R17, R19, R22, reviewers): which outcome may
//! replace which course of a programme — the programme must exist and the course must be one
//! of its own, never a capstone. New rules, new versions (prefilled) and changes to drafts;
//! published versions are never edited.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::framework::Text2;
use lifelong_core::programme::{ConversionRule, Programme, RuleSource};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;
use serde::Deserialize;

use super::catalog::CatalogTexts;
use super::edit_texts::EditTexts;
use super::forms::{
    code_version, day_text, drafted_href, kind_options, locked, on_form, opt_text, put_kinds,
    read_certificate_level, read_code, read_credit_code, read_from, read_kinds, read_opt_code,
    read_percent, read_required, read_version, section, show_form, today_text, Errors, Fields,
    Form, FormSpec, Mode,
};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::{status_of, PageError};
use crate::pages::{urlencode, Page};
use crate::state::AppState;

/// The longest time limit a rule may set, in years.
const MAX_YEARS: u32 = 50;

/// The form's fields for a stored rule.
fn rule_fields(r: &ConversionRule, mode: Mode) -> Fields {
    let a = &r.accepts;
    let mut f = Fields::default();
    f.set("mode", mode.as_str());
    f.set("code", &r.code);
    f.set("version", r.version.to_string());
    f.set("title_zh", &r.title.zh);
    f.set("title_en", &r.title.en);
    f.set("programme_code", &r.programme_code);
    f.set("course_code", &r.course_code);
    f.set("accepts_unit", opt_text(&a.unit_code));
    put_kinds(&mut f, &a.kinds);
    f.set("certificate_code", opt_text(&a.certificate_code));
    f.set("certificate_level", opt_text(&a.certificate_level_at_least));
    f.set("accepts_course", opt_text(&a.course_code));
    f.set("source", opt_text(&a.source));
    f.set(
        "min_score",
        a.min_score
            .map(|s| s.normalize().to_string())
            .unwrap_or_default(),
    );
    f.set("valid_years", opt_text(&r.valid_years));
    f.set("from", day_text(r.window.from));
    f
}

/// "Programme P has no course C; its courses are …", in `lang`.
fn no_such_course(p: &Programme, course: &str, lang: Lang) -> String {
    let codes: Vec<&str> = p.courses.iter().map(|c| c.code.as_str()).collect();
    match lang {
        Lang::Zh => format!(
            "专业 {} 没有课程 {course}。该专业的课程编码有：{}。",
            p.code,
            codes.join("、")
        ),
        Lang::En => format!(
            "Programme {} has no course {course}. Its course codes are: {}.",
            p.code,
            codes.join(", ")
        ),
    }
}

/// Reads a rule from the form, or says what is wrong with it.
fn rule_from(
    fields: &Fields,
    units: &[Unit],
    programmes: &[Programme],
    lang: Lang,
) -> Result<ConversionRule, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = read_code(fields, "code", e, &mut errors);
    let version = read_version(fields, e, &mut errors);
    let title_zh = read_required(fields, "title_zh", e.title_required, &mut errors);
    let programme = programmes
        .iter()
        .find(|p| p.code == fields.get("programme_code").trim());
    if programme.is_none() {
        errors.add("programme_code", e.programme_required);
    }
    let course_code = fields.get("course_code").trim().to_owned();
    match (programme, course_code.is_empty()) {
        (_, true) => errors.add("course_code", e.course_required),
        (Some(p), false) => match p.course(&course_code) {
            None => errors.add("course_code", no_such_course(p, &course_code, lang)),
            Some(c) if c.capstone => errors.add("course_code", e.course_capstone),
            Some(_) => {}
        },
        (None, false) => {}
    }
    let unit_code = fields.opt("accepts_unit");
    if let Some(u) = &unit_code {
        if !units.iter().any(|x| &x.code == u) {
            errors.add("accepts_unit", e.unit_unknown);
        }
    }
    let kinds = read_kinds(fields, e, &mut errors);
    let certificate_code = read_opt_code(fields, "certificate_code", e, &mut errors);
    let certificate_level_at_least = read_certificate_level(fields, e, &mut errors);
    let accepts_course = read_opt_code(fields, "accepts_course", e, &mut errors);
    let source = read_credit_code(fields, "source", e.source_bad, &mut errors);
    let min_score = fields
        .opt("min_score")
        .map(|_| read_percent(fields, "min_score", e.score_bad, &mut errors).decimal());
    let valid_years = match fields.opt("valid_years") {
        None => None,
        Some(text) => match text.parse::<u32>() {
            Ok(y) if (1..=MAX_YEARS).contains(&y) => Some(y),
            _ => {
                errors.add("valid_years", e.years_bad);
                None
            }
        },
    };
    let from = read_from(fields, e, &mut errors);
    let (Some(programme), true) = (programme, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(ConversionRule {
        code,
        version,
        title: Text2::new(title_zh, fields.get("title_en").trim()),
        programme_code: programme.code.clone(),
        course_code,
        accepts: RuleSource {
            unit_code,
            kinds,
            certificate_code,
            certificate_level_at_least,
            course_code: accepts_course,
            source,
            min_score,
        },
        valid_years,
        status: PublicationStatus::Draft,
        window: Window { from, until: None },
    })
}

/// The rule form with `fields` and `errors`, answered with `status`.
async fn rule_form(
    state: &AppState,
    page: &Page,
    fields: Fields,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let e = EditTexts::get(lang);
    let b = CatalogTexts::get(lang);
    let mut programmes = vec![(String::new(), e.choose.to_owned())];
    programmes.extend(state.app.programmes().await?.into_iter().map(|p| {
        let title = format!("{} {}", p.programme.code, p.programme.title.get(lang));
        (p.programme.code, title)
    }));
    let mode = Mode::of(&fields);
    let code = fields.get("code").trim().to_owned();
    let programme = fields.get("programme_code").trim().to_owned();
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
                f.text("title_zh", e.title_zh, "").required(),
                f.text("title_en", e.title_en, ""),
            ],
        ),
        section(
            e.section_target,
            vec![
                f.select("programme_code", e.programme, "", programmes)
                    .required(),
                f.text("course_code", e.target_course, e.target_course_hint)
                    .required(),
            ],
        ),
        section(
            e.section_match,
            vec![
                f.text("accepts_unit", e.accepts_unit, e.accepts_unit_hint),
                f.checks("kinds", e.kinds, e.kinds_hint, kind_options(lang)),
                f.text("certificate_code", e.certificate_code, ""),
                f.text(
                    "certificate_level",
                    e.certificate_level,
                    e.certificate_level_hint,
                ),
                f.text("accepts_course", e.course_code, ""),
                f.text("source", e.source, ""),
                f.decimal("min_score", e.min_score, e.min_score_hint),
                f.text("valid_years", e.valid_years, e.valid_years_hint),
                f.date("from", e.from, e.from_hint),
            ],
        ),
    ];
    let heading = match mode {
        Mode::New => e.rule_new.to_owned(),
        Mode::Version => format!("{}{}{code}", e.rule_version, b.colon),
        Mode::Edit => format!(
            "{}{}{}",
            e.rule_edit,
            b.colon,
            code_version(
                &code,
                fields.get("version").trim().parse().unwrap_or(0),
                lang
            )
        ),
    };
    let (back_href, back_label) = if programme.is_empty() {
        ("/bank/programmes".to_owned(), b.back_programmes)
    } else {
        (
            format!("/bank/programmes/{}", urlencode(&programme)),
            b.programme,
        )
    };
    let spec = FormSpec {
        heading,
        lead: e.rule_lead,
        action: "/bank/rules",
        back_href,
        back_label: back_label.to_owned(),
        sections,
        submit: e.save_draft,
        mode,
    };
    Ok(show_form(page, spec, errors, None, status))
}

/// Every version of rule `code`.
async fn versions(state: &AppState, code: &str) -> Result<Vec<ConversionRule>, AppError> {
    Ok(state
        .app
        .conversion_rules(None)
        .await?
        .into_iter()
        .filter(|r| r.code == code)
        .collect())
}

#[derive(Deserialize, Default)]
pub struct NewRuleQuery {
    /// The programme the new rule is for, when started from its page.
    #[serde(default)]
    programme: Option<String>,
}

/// `GET /bank/rules/new?programme=`: an empty rule form.
pub async fn new_rule(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<NewRuleQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    fields.set("version", "1");
    fields.set("programme_code", q.programme.unwrap_or_default());
    fields.set("from", today_text());
    rule_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `GET /bank/rules/{code}/new-version`: the newest version's values, one higher.
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
        .max_by_key(|r| r.version)
        .ok_or(AppError::NotFound)?;
    let mut fields = rule_fields(&newest, Mode::Version);
    fields.set("version", (newest.version + 1).to_string());
    fields.set("from", today_text());
    rule_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `GET /bank/rules/{code}/{version}/edit`: a draft's form, or why a published version cannot
/// be edited (409).
pub async fn edit_rule(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let rule = versions(&state, &code)
        .await?
        .into_iter()
        .find(|r| r.version == version)
        .ok_or(AppError::NotFound)?;
    if rule.status != PublicationStatus::Draft {
        return Ok(locked(
            &page,
            code_version(&rule.code, version, page.lang),
            format!("/bank/rules/{}/new-version", urlencode(&rule.code)),
            format!("/bank/programmes/{}", urlencode(&rule.programme_code)),
        ));
    }
    let fields = rule_fields(&rule, Mode::Edit);
    rule_form(&state, &page, fields, Errors::default(), StatusCode::OK).await
}

/// `POST /bank/rules`: saves the form as a draft, then sends the reviewer to publish it.
pub async fn save_rule(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let units = state.app.units(None).await?;
    let programmes: Vec<Programme> = state
        .app
        .programmes()
        .await?
        .into_iter()
        .map(|p| p.programme)
        .collect();
    let rule = match rule_from(&fields, &units, &programmes, page.lang) {
        Ok(r) => r,
        Err(errors) => {
            return rule_form(
                &state,
                &page,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let existing = versions(&state, &rule.code)
        .await?
        .into_iter()
        .find(|r| r.version == rule.version);
    if existing.is_some_and(|r| r.status == PublicationStatus::Draft)
        && Mode::of(&fields) != Mode::Edit
    {
        let mut errors = Errors::default();
        errors.add("version", EditTexts::get(page.lang).draft_exists);
        return rule_form(
            &state,
            &page,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.app.save_rule(&signed.actor, &rule).await {
        Ok(()) => {
            tracing::info!(version = rule.version, "rule draft saved from the web");
            Ok(Redirect::to(&drafted_href("rule", &rule.code, rule.version)).into_response())
        }
        Err(err) if on_form(&err) => {
            let errors = Errors::from_app(&err, page.lang);
            rule_form(&state, &page, fields, errors, status_of(&err)).await
        }
        Err(err) => Err(err.into()),
    }
}

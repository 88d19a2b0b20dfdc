//! Drafting recognition standards on a form (R16, reviewers): which outcomes are recognised
//! as which unit — the unit must exist — and how many credits they earn. New standards, new
//! versions (prefilled) and changes to drafts; published versions are never edited.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::credits::StudyHours;
use lifelong_core::framework::Text2;
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::{CreditBasis, MatchCriteria, RecognitionStandard};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::{Explain, Lang};
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

fn basis_code(basis: CreditBasis) -> &'static str {
    match basis {
        CreditBasis::Unit => "unit",
        CreditBasis::Hours => "hours",
        CreditBasis::Deposited => "deposited",
    }
}

fn basis_options(b: &CatalogTexts) -> Vec<(String, String)> {
    [
        ("unit", b.basis_unit),
        ("hours", b.basis_hours),
        ("deposited", b.basis_deposited),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .collect()
}

/// The form's fields for a stored standard.
fn standard_fields(s: &RecognitionStandard, mode: Mode) -> Fields {
    let c = &s.criteria;
    let mut f = Fields::default();
    f.set("mode", mode.as_str());
    f.set("code", &s.code);
    f.set("version", s.version.to_string());
    f.set("title_zh", &s.title.zh);
    f.set("title_en", &s.title.en);
    f.set("unit_code", &s.unit_code);
    put_kinds(&mut f, &c.kinds);
    f.set("certificate_code", opt_text(&c.certificate_code));
    f.set("certificate_level", opt_text(&c.certificate_level_at_least));
    f.set("course_code", opt_text(&c.course_code));
    f.set("source", opt_text(&c.source));
    f.set("min_hours", opt_text(&c.min_hours));
    f.set(
        "min_score",
        c.min_score
            .map(|s| s.normalize().to_string())
            .unwrap_or_default(),
    );
    if c.require_pass {
        f.set("require_pass", "on");
    }
    f.set("basis", basis_code(s.basis));
    f.set("from", day_text(s.window.from));
    f
}

/// Reads a standard from the form, or says what is wrong with it.
fn standard_from(
    fields: &Fields,
    units: &[Unit],
    lang: Lang,
) -> Result<RecognitionStandard, Errors> {
    let e = EditTexts::get(lang);
    let mut errors = Errors::default();
    let code = read_code(fields, "code", e, &mut errors);
    let version = read_version(fields, e, &mut errors);
    let title_zh = read_required(fields, "title_zh", e.title_required, &mut errors);
    let unit_code = read_code(fields, "unit_code", e, &mut errors);
    if errors.0.iter().all(|x| x.field != "unit_code") && !units.iter().any(|u| u.code == unit_code)
    {
        errors.add("unit_code", e.unit_unknown);
    }
    let kinds = read_kinds(fields, e, &mut errors);
    let certificate_code = read_opt_code(fields, "certificate_code", e, &mut errors);
    let certificate_level_at_least = read_certificate_level(fields, e, &mut errors);
    let course_code = read_opt_code(fields, "course_code", e, &mut errors);
    let source = read_credit_code(fields, "source", e.source_bad, &mut errors);
    let min_hours = match fields.opt("min_hours") {
        None => None,
        Some(text) => match StudyHours::parse(&text) {
            Ok(h) => Some(h),
            Err(err) => {
                errors.add("min_hours", err.message(lang));
                None
            }
        },
    };
    let min_score = fields
        .opt("min_score")
        .map(|_| read_percent(fields, "min_score", e.score_bad, &mut errors).decimal());
    let basis = match fields.get("basis").trim() {
        "unit" => Some(CreditBasis::Unit),
        "hours" => Some(CreditBasis::Hours),
        "deposited" => Some(CreditBasis::Deposited),
        _ => {
            errors.add("basis", e.basis_required);
            None
        }
    };
    let from = read_from(fields, e, &mut errors);
    let (Some(basis), true) = (basis, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(RecognitionStandard {
        code,
        version,
        title: Text2::new(title_zh, fields.get("title_en").trim()),
        unit_code,
        criteria: MatchCriteria {
            kinds,
            certificate_code,
            certificate_level_at_least,
            course_code,
            source,
            min_hours,
            min_score,
            require_pass: !fields.get("require_pass").is_empty(),
        },
        basis,
        status: PublicationStatus::Draft,
        window: Window { from, until: None },
    })
}

/// The standard form with `fields` and `errors`, answered with `status`.
fn standard_form(page: &Page, fields: Fields, errors: Errors, status: StatusCode) -> Response {
    let lang = page.lang;
    let e = EditTexts::get(lang);
    let b = CatalogTexts::get(lang);
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
                f.text("title_zh", e.title_zh, "").required(),
                f.text("title_en", e.title_en, ""),
                f.text("unit_code", e.unit_code, e.unit_code_hint)
                    .required(),
            ],
        ),
        section(
            e.section_match,
            vec![
                f.checks("kinds", e.kinds, e.kinds_hint, kind_options(lang)),
                f.text("certificate_code", e.certificate_code, ""),
                f.text(
                    "certificate_level",
                    e.certificate_level,
                    e.certificate_level_hint,
                ),
                f.text("course_code", e.course_code, ""),
                f.text("source", e.source, ""),
                f.decimal("min_hours", e.min_hours, ""),
                f.decimal("min_score", e.min_score, e.min_score_hint),
                f.check("require_pass", e.require_pass, ""),
            ],
        ),
        section(
            e.section_place,
            vec![
                f.select("basis", e.basis, "", basis_options(b)).required(),
                f.date("from", e.from, e.from_hint),
            ],
        ),
    ];
    let heading = match mode {
        Mode::New => e.standard_new.to_owned(),
        Mode::Version => format!("{}{}{code}", e.standard_version, b.colon),
        Mode::Edit => format!(
            "{}{}{}",
            e.standard_edit,
            b.colon,
            code_version(
                &code,
                fields.get("version").trim().parse().unwrap_or(0),
                lang
            )
        ),
    };
    let spec = FormSpec {
        heading,
        lead: e.standard_lead,
        action: "/bank/standards",
        back_href: "/bank/standards".to_owned(),
        back_label: b.standards_title.to_owned(),
        sections,
        submit: e.save_draft,
        mode,
    };
    show_form(page, spec, errors, None, status)
}

/// Every version of standard `code`.
async fn versions(state: &AppState, code: &str) -> Result<Vec<RecognitionStandard>, AppError> {
    Ok(state
        .app
        .standards()
        .await?
        .into_iter()
        .filter(|s| s.code == code)
        .collect())
}

#[derive(Deserialize, Default)]
pub struct NewStandardQuery {
    /// The unit the new standard leads to, when started from a unit's page.
    #[serde(default)]
    unit: Option<String>,
}

/// `GET /bank/standards/new?unit=`: an empty standard form.
pub async fn new_standard(
    page: Page,
    signed: SignedIn,
    Query(q): Query<NewStandardQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = Fields::default();
    fields.set("mode", Mode::New.as_str());
    fields.set("version", "1");
    fields.set("unit_code", q.unit.unwrap_or_default());
    fields.set("require_pass", "on");
    fields.set("basis", "unit");
    fields.set("from", today_text());
    Ok(standard_form(
        &page,
        fields,
        Errors::default(),
        StatusCode::OK,
    ))
}

/// `GET /bank/standards/{code}/new-version`: the newest version's values, one higher.
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
        .max_by_key(|s| s.version)
        .ok_or(AppError::NotFound)?;
    let mut fields = standard_fields(&newest, Mode::Version);
    fields.set("version", (newest.version + 1).to_string());
    fields.set("from", today_text());
    Ok(standard_form(
        &page,
        fields,
        Errors::default(),
        StatusCode::OK,
    ))
}

/// `GET /bank/standards/{code}/{version}/edit`: a draft's form, or why a published version
/// cannot be edited (409).
pub async fn edit_standard(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let standard = versions(&state, &code)
        .await?
        .into_iter()
        .find(|s| s.version == version)
        .ok_or(AppError::NotFound)?;
    if standard.status != PublicationStatus::Draft {
        let code = urlencode(&standard.code);
        return Ok(locked(
            &page,
            code_version(&standard.code, version, page.lang),
            format!("/bank/standards/{code}/new-version"),
            format!("/bank/standards?q={code}"),
        ));
    }
    Ok(standard_form(
        &page,
        standard_fields(&standard, Mode::Edit),
        Errors::default(),
        StatusCode::OK,
    ))
}

/// `POST /bank/standards`: saves the form as a draft, then sends the reviewer to publish it.
pub async fn save_standard(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let fields = Fields::from_pairs(pairs);
    let units = state.app.units(None).await?;
    let standard = match standard_from(&fields, &units, page.lang) {
        Ok(s) => s,
        Err(errors) => {
            return Ok(standard_form(
                &page,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let existing = versions(&state, &standard.code)
        .await?
        .into_iter()
        .find(|s| s.version == standard.version);
    if existing.is_some_and(|s| s.status == PublicationStatus::Draft)
        && Mode::of(&fields) != Mode::Edit
    {
        let mut errors = Errors::default();
        errors.add("version", EditTexts::get(page.lang).draft_exists);
        return Ok(standard_form(
            &page,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    match state.app.save_standard(&signed.actor, &standard).await {
        Ok(()) => {
            tracing::info!(
                version = standard.version,
                "standard draft saved from the web"
            );
            Ok(
                Redirect::to(&drafted_href("standard", &standard.code, standard.version))
                    .into_response(),
            )
        }
        Err(err) if on_form(&err) => {
            let errors = Errors::from_app(&err, page.lang);
            Ok(standard_form(&page, fields, errors, status_of(&err)))
        }
        Err(err) => Err(err.into()),
    }
}

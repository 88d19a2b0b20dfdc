//! Drafting recognition standards on a form (R16, reviewers): which outcomes are recognised
//! as which unit — the unit must exist — and how many credits they earn. The standard's own
//! fields and checks; new versions, draft edits and saving follow [`super::drafting`].

use async_trait::async_trait;
use axum::extract::{Query, State};
use axum::response::Response;
use lifelong_app::{Actor, AppError};
use lifelong_core::credits::StudyHours;
use lifelong_core::framework::Text2;
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::{CreditBasis, MatchCriteria, RecognitionStandard};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::{Explain, Lang};
use serde::Deserialize;

use super::catalog::CatalogTexts;
use super::drafting::{code_and_version, new_fields, read_identity, show, DraftForm, Drafted};
use super::edit_texts::EditTexts;
use super::forms::{
    day_text, kind_options, opt_text, put_kinds, read_certificate_level, read_code,
    read_credit_code, read_from, read_kinds, read_opt_code, read_percent, section, Errors, Fields,
    Form, Mode,
};
use crate::auth::session::SignedIn;
use crate::error::PageError;
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

#[async_trait]
impl Drafted for RecognitionStandard {
    const KIND: &'static str = "standard";
    /// Every unit: a standard must lead to one that exists.
    type Context = Vec<Unit>;

    async fn context(state: &AppState) -> Result<Vec<Unit>, AppError> {
        state.app.units(None).await
    }

    async fn versions(state: &AppState, code: &str) -> Result<Vec<Self>, AppError> {
        let all = state.app.standards().await?;
        Ok(all.into_iter().filter(|s| s.code == code).collect())
    }

    async fn save(state: &AppState, actor: &Actor, standard: &Self) -> Result<(), AppError> {
        state.app.save_standard(actor, standard).await
    }

    fn identity(&self) -> (&str, u32, PublicationStatus) {
        (&self.code, self.version, self.status)
    }

    fn put_fields(&self, f: &mut Fields) {
        let c = &self.criteria;
        f.set("title_zh", &self.title.zh);
        f.set("title_en", &self.title.en);
        f.set("unit_code", &self.unit_code);
        put_kinds(f, &c.kinds);
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
        f.set("basis", basis_code(self.basis));
        f.set("from", day_text(self.window.from));
    }

    fn read(fields: &Fields, units: &Vec<Unit>, lang: Lang) -> Result<Self, Errors> {
        let e = EditTexts::get(lang);
        let mut errors = Errors::default();
        let (code, version, title_zh) = read_identity(fields, e, &mut errors);
        let unit_code = read_code(fields, "unit_code", e, &mut errors);
        if errors.0.iter().all(|x| x.field != "unit_code")
            && !units.iter().any(|u| u.code == unit_code)
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

    fn form(f: &Form<'_>, mode: Mode, _units: &Vec<Unit>, lang: Lang) -> DraftForm {
        let e = EditTexts::get(lang);
        let b = CatalogTexts::get(lang);
        let mut about = code_and_version(f, e, mode);
        about.extend([
            f.text("title_zh", e.title_zh, "").required(),
            f.text("title_en", e.title_en, ""),
            f.text("unit_code", e.unit_code, e.unit_code_hint)
                .required(),
        ]);
        let sections = vec![
            section(e.section_code, about),
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
        DraftForm {
            titles: [e.standard_new, e.standard_version, e.standard_edit],
            lead: e.standard_lead,
            action: "/bank/standards",
            back_href: "/bank/standards".to_owned(),
            back_label: b.standards_title,
            sections,
        }
    }

    fn locked_links(&self) -> (String, String) {
        let code = urlencode(&self.code);
        (
            format!("/bank/standards/{code}/new-version"),
            format!("/bank/standards?q={code}"),
        )
    }
}

#[derive(Deserialize, Default)]
pub struct NewStandardQuery {
    /// The unit the new standard leads to, when started from a unit's page.
    #[serde(default)]
    unit: Option<String>,
}

/// `GET /bank/standards/new?unit=`: an empty standard form.
pub async fn new_standard(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<NewStandardQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = new_fields();
    fields.set("unit_code", q.unit.unwrap_or_default());
    fields.set("require_pass", "on");
    fields.set("basis", "unit");
    show::<RecognitionStandard>(&state, &page, fields).await
}

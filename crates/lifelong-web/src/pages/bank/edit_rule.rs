//! Drafting conversion rules on a form (R16, R17, R19, R22, reviewers): which outcome may
//! replace which course of a programme — the programme must exist and the course must be one
//! of its own, never a capstone. The rule's own fields and checks; new versions, draft edits
//! and saving follow [`super::drafting`].

use async_trait::async_trait;
use axum::extract::{Query, State};
use axum::response::Response;
use lifelong_app::{Actor, AppError};
use lifelong_core::framework::Text2;
use lifelong_core::programme::{ConversionRule, Programme, RuleSource};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;
use serde::Deserialize;

use super::catalog::CatalogTexts;
use super::drafting::{code_and_version, new_fields, read_identity, show, DraftForm, Drafted};
use super::edit_texts::EditTexts;
use super::forms::{
    day_text, kind_options, opt_text, put_kinds, read_certificate_level, read_credit_code,
    read_from, read_kinds, read_opt_code, read_percent, section, Errors, Fields, Form, Mode,
};
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::{urlencode, Page};
use crate::state::AppState;

/// The longest time limit a rule may set, in years.
const MAX_YEARS: u32 = 50;

/// What a rule is checked against: the units it may name and the programmes it may target.
pub struct RuleContext {
    units: Vec<Unit>,
    programmes: Vec<Programme>,
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

#[async_trait]
impl Drafted for ConversionRule {
    const KIND: &'static str = "rule";
    type Context = RuleContext;

    async fn context(state: &AppState) -> Result<RuleContext, AppError> {
        let units = state.app.units(None).await?;
        let stored = state.app.programmes().await?;
        let programmes = stored.into_iter().map(|p| p.programme).collect();
        Ok(RuleContext { units, programmes })
    }

    async fn versions(state: &AppState, code: &str) -> Result<Vec<Self>, AppError> {
        let all = state.app.conversion_rules(None).await?;
        Ok(all.into_iter().filter(|r| r.code == code).collect())
    }

    async fn save(state: &AppState, actor: &Actor, rule: &Self) -> Result<(), AppError> {
        state.app.save_rule(actor, rule).await
    }

    fn identity(&self) -> (&str, u32, PublicationStatus) {
        (&self.code, self.version, self.status)
    }

    fn put_fields(&self, f: &mut Fields) {
        let a = &self.accepts;
        f.set("title_zh", &self.title.zh);
        f.set("title_en", &self.title.en);
        f.set("programme_code", &self.programme_code);
        f.set("course_code", &self.course_code);
        f.set("accepts_unit", opt_text(&a.unit_code));
        put_kinds(f, &a.kinds);
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
        f.set("valid_years", opt_text(&self.valid_years));
        f.set("from", day_text(self.window.from));
    }

    fn read(fields: &Fields, context: &RuleContext, lang: Lang) -> Result<Self, Errors> {
        let e = EditTexts::get(lang);
        let mut errors = Errors::default();
        let (code, version, title_zh) = read_identity(fields, e, &mut errors);
        let programme = context
            .programmes
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
            if !context.units.iter().any(|x| &x.code == u) {
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

    fn form(f: &Form<'_>, mode: Mode, context: &RuleContext, lang: Lang) -> DraftForm {
        let e = EditTexts::get(lang);
        let b = CatalogTexts::get(lang);
        let mut programmes = vec![(String::new(), e.choose.to_owned())];
        programmes.extend(context.programmes.iter().map(|p| {
            let title = format!("{} {}", p.code, p.title.get(lang));
            (p.code.clone(), title)
        }));
        let mut about = code_and_version(f, e, mode);
        about.extend([
            f.text("title_zh", e.title_zh, "").required(),
            f.text("title_en", e.title_en, ""),
        ]);
        let sections = vec![
            section(e.section_code, about),
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
        let (back_href, back_label) = match f.fields.get("programme_code").trim() {
            "" => ("/bank/programmes".to_owned(), b.back_programmes),
            programme => (
                format!("/bank/programmes/{}", urlencode(programme)),
                b.programme,
            ),
        };
        DraftForm {
            titles: [e.rule_new, e.rule_version, e.rule_edit],
            lead: e.rule_lead,
            action: "/bank/rules",
            back_href,
            back_label,
            sections,
        }
    }

    fn locked_links(&self) -> (String, String) {
        (
            format!("/bank/rules/{}/new-version", urlencode(&self.code)),
            format!("/bank/programmes/{}", urlencode(&self.programme_code)),
        )
    }
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
    let mut fields = new_fields();
    fields.set("programme_code", q.programme.unwrap_or_default());
    show::<ConversionRule>(&state, &page, fields).await
}

//! Drafting accreditation units on a form (R13, reviewers): the unit's own fields and checks.
//! New versions, draft edits and saving follow the shared flow of [`super::drafting`]; a
//! published version is never edited.

use async_trait::async_trait;
use axum::extract::State;
use axum::response::Response;
use lifelong_app::{Actor, AppError};
use lifelong_core::credit_code::CreditCode;
use lifelong_core::framework::{Framework, Text2};
use lifelong_core::outcome::{CreditCategory, Industry, INDUSTRIES};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;

use super::catalog::CatalogTexts;
use super::drafting::{code_and_version, new_fields, read_identity, show, DraftForm, Drafted};
use super::edit_texts::EditTexts;
use super::forms::{
    category_options, day_text, level_options, read_credits, read_from, read_level, read_required,
    section, Errors, Fields, Form, Mode,
};
use crate::auth::session::SignedIn;
use crate::error::PageError;
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

#[async_trait]
impl Drafted for Unit {
    const KIND: &'static str = "unit";
    type Context = Framework;

    async fn context(state: &AppState) -> Result<Framework, AppError> {
        state.app.framework().await
    }

    async fn versions(state: &AppState, code: &str) -> Result<Vec<Unit>, AppError> {
        let all = state.app.units(Some(code)).await?;
        Ok(all.into_iter().filter(|u| u.code == code).collect())
    }

    async fn save(state: &AppState, actor: &Actor, unit: &Unit) -> Result<(), AppError> {
        state.app.save_unit(actor, unit).await
    }

    fn identity(&self) -> (&str, u32, PublicationStatus) {
        (&self.code, self.version, self.status)
    }

    fn put_fields(&self, f: &mut Fields) {
        f.set("title_zh", &self.title.zh);
        f.set("title_en", &self.title.en);
        f.set("level", self.level.to_string());
        f.set("credits", self.credits.to_string());
        f.set("category", self.category.as_str());
        f.set(
            "industry",
            self.industry.map(String::from).unwrap_or_default(),
        );
        f.set("criteria_zh", &self.criteria.zh);
        f.set("criteria_en", &self.criteria.en);
        f.set("owner", &self.owner);
        f.set("from", day_text(self.window.from));
    }

    fn read(fields: &Fields, framework: &Framework, lang: Lang) -> Result<Unit, Errors> {
        let e = EditTexts::get(lang);
        let mut errors = Errors::default();
        let (code, version, title_zh) = read_identity(fields, e, &mut errors);
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

    fn form(f: &Form<'_>, mode: Mode, framework: &Framework, lang: Lang) -> DraftForm {
        let e = EditTexts::get(lang);
        let sections = vec![
            section(e.section_code, code_and_version(f, e, mode)),
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
                        level_options(framework, e, lang),
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
        let back_href = match mode {
            Mode::New => "/bank/units".to_owned(),
            _ => format!("/bank/units/{}", urlencode(f.fields.get("code").trim())),
        };
        DraftForm {
            titles: [e.unit_new, e.unit_version, e.unit_edit],
            lead: e.unit_lead,
            action: "/bank/units",
            back_href,
            back_label: CatalogTexts::get(lang).back_units,
            sections,
        }
    }

    fn locked_links(&self) -> (String, String) {
        let code = urlencode(&self.code);
        (
            format!("/bank/units/{code}/new-version"),
            format!("/bank/units/{code}"),
        )
    }
}

/// `GET /bank/units/new`: an empty unit form.
pub async fn new_unit(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let mut fields = new_fields();
    fields.set("owner", "bank");
    show::<Unit>(&state, &page, fields).await
}

//! Recognition standards (R16): what each standard accepts, against which unit, for how
//! many credits, and when it is in force.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::{CreditBasis, MatchCriteria, RecognitionStandard};
use lifelong_core::Lang;
use serde::Deserialize;

use super::catalog::{
    certificate_level_text, kinds_text, shown_units, unit_title, CatalogTexts, Condition,
};
use super::{manages_catalog, shown, status_class, window_text};
use crate::error::PageError;
use crate::pages::{render, Chrome, Page};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct StandardQuery {
    #[serde(default)]
    q: String,
}

/// A standard with what its row shows.
struct StandardRow {
    standard: RecognitionStandard,
    unit_title: String,
    conditions: Vec<Condition>,
    basis: &'static str,
}

#[derive(Template)]
#[template(path = "bank_standards.html")]
struct StandardsPage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    rows: Vec<StandardRow>,
    q: String,
    manages: bool,
}

impl StandardsPage {
    fn window(&self, window: &Window) -> String {
        window_text(window, self.chrome.lang)
    }

    fn badge(&self, status: &PublicationStatus) -> &'static str {
        status_class(*status)
    }

    fn is_draft(&self, status: &PublicationStatus) -> bool {
        *status == PublicationStatus::Draft
    }
}

/// The conditions of a standard, in words.
fn match_conditions(c: &MatchCriteria, b: &CatalogTexts, lang: Lang) -> Vec<Condition> {
    let plain = |label, value: String| Condition {
        label,
        value,
        href: None,
    };
    let mut out = vec![plain(
        b.kinds,
        if c.kinds.is_empty() {
            b.kinds_any.to_owned()
        } else {
            kinds_text(&c.kinds, lang)
        },
    )];
    if let Some(code) = &c.certificate_code {
        out.push(plain(b.certificate_code, code.clone()));
    }
    if let Some(level) = c.certificate_level_at_least {
        out.push(plain(
            b.certificate_level,
            certificate_level_text(level, lang),
        ));
    }
    if let Some(code) = &c.course_code {
        out.push(plain(b.course_code, code.clone()));
    }
    if let Some(source) = &c.source {
        out.push(plain(b.source, source.clone()));
    }
    if let Some(hours) = c.min_hours {
        out.push(plain(b.min_hours, hours.to_string()));
    }
    if let Some(score) = c.min_score {
        out.push(plain(b.min_score, score.normalize().to_string()));
    }
    if !c.require_pass {
        out.push(plain(b.pass_not_required, String::new()));
    }
    out
}

fn basis_text(basis: CreditBasis, b: &'static CatalogTexts) -> &'static str {
    match basis {
        CreditBasis::Unit => b.basis_unit,
        CreditBasis::Hours => b.basis_hours,
        CreditBasis::Deposited => b.basis_deposited,
    }
}

/// `GET /bank/standards?q=`: every standard, superseded versions marked as such.
pub async fn standards(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<StandardQuery>,
) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let drafts = manages_catalog(&page);
    let units = shown_units(&state, drafts).await?;
    let q = query.q.trim().to_lowercase();
    let rows = state
        .app
        .standards()
        .await?
        .into_iter()
        .filter(|s| shown(s.status, drafts))
        .filter(|s| {
            q.is_empty()
                || s.code.to_lowercase().contains(&q)
                || s.unit_code.to_lowercase().contains(&q)
                || s.title.zh.contains(&q)
                || s.title.en.to_lowercase().contains(&q)
        })
        .map(|s| StandardRow {
            unit_title: unit_title(&units, &s.unit_code, page.lang),
            conditions: match_conditions(&s.criteria, b, page.lang),
            basis: basis_text(s.basis, b),
            standard: s,
        })
        .collect();
    Ok(render(&StandardsPage {
        chrome: page.chrome(b.standards_title),
        b,
        rows,
        q: query.q.trim().to_owned(),
        manages: drafts,
    }))
}

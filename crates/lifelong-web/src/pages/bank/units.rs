//! Accreditation units (R13): the searchable list and every version of one unit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use lifelong_app::AppError;
use lifelong_core::framework::{Framework, Level};
use lifelong_core::outcome::{CreditCategory, Industry};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;
use serde::Deserialize;

use super::catalog::{CatalogTexts, Choice};
use super::{manages_catalog, shown, status_class, window_text};
use crate::error::PageError;
use crate::pages::{render, Chrome, Page};
use crate::state::AppState;

/// Units listed at most on one page.
const UNITS_SHOWN: usize = 200;

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    level: String,
}

#[derive(Template)]
#[template(path = "bank_units.html")]
struct UnitsPage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    framework: Framework,
    units: Vec<Unit>,
    total: usize,
    q: String,
    categories: Vec<Choice>,
    levels: Vec<Choice>,
    manages: bool,
}

/// What unit rows show, shared by the pages that list units.
trait UnitView {
    fn lang(&self) -> Lang;
    fn framework(&self) -> &Framework;

    fn level_title(&self, level: &Level) -> String {
        self.framework()
            .level(*level)
            .map(|l| l.title.get(self.lang()).to_owned())
            .unwrap_or_else(|| level.to_string())
    }

    fn industry(&self, unit: &Unit) -> &'static str {
        unit.industry
            .and_then(|c| Industry::by_code(&c.to_string()))
            .map(|i| i.name(self.lang()))
            .unwrap_or("—")
    }

    fn window(&self, window: &Window) -> String {
        window_text(window, self.lang())
    }

    fn badge(&self, status: &PublicationStatus) -> &'static str {
        status_class(*status)
    }
}

impl UnitView for UnitsPage {
    fn lang(&self) -> Lang {
        self.chrome.lang
    }
    fn framework(&self) -> &Framework {
        &self.framework
    }
}

/// `GET /bank/units?q=&category=&level=`: the searchable list of units.
pub async fn units(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let framework = state.app.framework().await?;
    let category = CreditCategory::parse(&query.category);
    let level = Level::parse(&query.level);
    let drafts = manages_catalog(&page);
    let q = query.q.trim();
    let mut found: Vec<Unit> = state
        .app
        .units(Some(q).filter(|q| !q.is_empty()))
        .await?
        .into_iter()
        .filter(|u| shown(u.status, drafts))
        .filter(|u| category.is_none_or(|c| u.category == c))
        .filter(|u| level.is_none_or(|l| u.level == l))
        .collect();
    let total = found.len();
    found.truncate(UNITS_SHOWN);
    let any = Choice {
        value: String::new(),
        label: b.any.to_owned(),
        selected: false,
    };
    let mut categories = vec![Choice {
        selected: category.is_none(),
        ..any
    }];
    categories.extend(CreditCategory::ALL.iter().map(|c| Choice {
        value: c.as_str().to_owned(),
        label: c.label(page.lang).to_owned(),
        selected: category == Some(*c),
    }));
    let mut levels = vec![Choice {
        value: String::new(),
        label: b.any.to_owned(),
        selected: level.is_none(),
    }];
    levels.extend(framework.levels.iter().map(|l| Choice {
        value: l.level.to_string(),
        label: l.title.get(page.lang).to_owned(),
        selected: level == Some(l.level),
    }));
    Ok(render(&UnitsPage {
        chrome: page.chrome(b.units_title),
        b,
        framework,
        units: found,
        total,
        q: q.to_owned(),
        categories,
        levels,
        manages: drafts,
    }))
}

#[derive(Template)]
#[template(path = "bank_unit.html")]
struct UnitPage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    framework: Framework,
    code: String,
    manages: bool,
    /// Newest first.
    versions: Vec<Unit>,
    standards: Vec<RecognitionStandard>,
}

impl UnitView for UnitPage {
    fn lang(&self) -> Lang {
        self.chrome.lang
    }
    fn framework(&self) -> &Framework {
        &self.framework
    }
}

impl UnitPage {
    fn is_draft(&self, status: &PublicationStatus) -> bool {
        *status == PublicationStatus::Draft
    }

    fn owner(&self, unit: &Unit) -> String {
        if unit.owner == "bank" {
            self.b.owner_bank.to_owned()
        } else {
            unit.owner.clone()
        }
    }
}

/// `GET /bank/units/{code}`: every version of one unit, and the standards that lead to it.
pub async fn unit(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let drafts = manages_catalog(&page);
    let mut versions: Vec<Unit> = state
        .app
        .units(Some(&code))
        .await?
        .into_iter()
        .filter(|u| u.code == code && shown(u.status, drafts))
        .collect();
    if versions.is_empty() {
        return Err(AppError::NotFound.into());
    }
    versions.sort_by_key(|u| std::cmp::Reverse(u.version));
    let standards = state
        .app
        .standards()
        .await?
        .into_iter()
        .filter(|s| s.unit_code == code && shown(s.status, drafts))
        .collect();
    let title = format!("{} {}", code, versions[0].title.get(page.lang));
    Ok(render(&UnitPage {
        chrome: page.chrome(&title),
        b,
        framework: state.app.framework().await?,
        code,
        manages: drafts,
        versions,
        standards,
    }))
}

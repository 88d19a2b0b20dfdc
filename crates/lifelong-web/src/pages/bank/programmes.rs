//! Programmes (R16–R22): the courses of each school's programme, its cap on converted
//! credits, and the conversion rules into it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use lifelong_core::credits::Credits;
use lifelong_core::framework::{Framework, Level};
use lifelong_core::programme::{CapBasis, ConversionRule, Programme, RuleSource};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::unit::Unit;
use lifelong_core::Lang;
use lifelong_store::StoredProgramme;

use super::catalog::{
    certificate_level_text, kinds_text, level_title, shown_units, unit_title, CatalogTexts,
    Condition,
};
use super::{manages_catalog, shown, status_class, window_text};
use crate::error::PageError;
use crate::pages::{render, Chrome, Page};
use crate::state::AppState;

/// A programme with what its row shows.
struct ProgrammeRow {
    programme: Programme,
    institution: String,
    level: String,
    rules: usize,
}

#[derive(Template)]
#[template(path = "bank_programmes.html")]
struct ProgrammesPage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    rows: Vec<ProgrammeRow>,
    manages: bool,
}

/// The name of a programme's school, or its credit code when it cannot be read.
async fn institution_name(state: &AppState, stored: &StoredProgramme, lang: Lang) -> String {
    match state.app.store.institution(&stored.institution_id).await {
        Ok(i) if lang == Lang::En && !i.name_en.trim().is_empty() => i.name_en,
        Ok(i) => i.name_zh,
        Err(_) => stored.programme.institution.clone(),
    }
}

/// `GET /bank/programmes`: the programmes of every school.
pub async fn programmes(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let drafts = manages_catalog(&page);
    let framework = state.app.framework().await?;
    let rules = state.app.conversion_rules(None).await?;
    let mut rows = Vec::new();
    for stored in state.app.programmes().await? {
        let code = &stored.programme.code;
        rows.push(ProgrammeRow {
            institution: institution_name(&state, &stored, page.lang).await,
            level: level_title(&framework, stored.programme.level, page.lang),
            rules: rules
                .iter()
                .filter(|r| &r.programme_code == code && shown(r.status, drafts))
                .count(),
            programme: stored.programme,
        });
    }
    Ok(render(&ProgrammesPage {
        chrome: page.chrome(b.programmes_title),
        b,
        rows,
        manages: drafts,
    }))
}

/// A conversion rule with what its row shows.
struct RuleRow {
    rule: ConversionRule,
    course: String,
    conditions: Vec<Condition>,
    validity: String,
}

#[derive(Template)]
#[template(path = "bank_programme.html")]
struct ProgrammePage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    framework: Framework,
    programme: Programme,
    institution: String,
    compulsory_credits: Credits,
    cap: String,
    source_caps: Vec<String>,
    rules: Vec<RuleRow>,
    manages: bool,
}

impl ProgrammePage {
    fn level_title(&self, level: &Level) -> String {
        level_title(&self.framework, *level, self.chrome.lang)
    }

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

/// What a cap is a share of, in words.
fn cap_base(basis: CapBasis, lang: Lang) -> &'static str {
    match basis {
        CapBasis::CompulsoryCredits => lang.pick("必修课学分", "the compulsory credits"),
        CapBasis::AwardCredits => lang.pick("毕业所需学分", "the credits for the award"),
    }
}

/// "转换学分不超过必修课学分的 35%（6.3 学分）。" (R18)
fn cap_text(p: &Programme, lang: Lang) -> String {
    let caps = &p.caps;
    let limit = p.cap_limit(caps.basis, caps.percent);
    let percent = caps.percent.normalize();
    let base = cap_base(caps.basis, lang);
    match lang {
        Lang::Zh => format!("转换学分不超过{base}的 {percent}%（{limit} 学分）。"),
        Lang::En => {
            format!("Converted credits may not exceed {percent}% of {base} ({limit} credits).")
        }
    }
}

/// "其中来自自学考试的转换学分不超过毕业所需学分的 40%（28.8 学分）。" (R18)
fn source_cap_texts(p: &Programme, lang: Lang) -> Vec<String> {
    p.caps
        .per_source
        .iter()
        .map(|cap| {
            let limit = p.cap_limit(cap.basis, cap.percent);
            let percent = cap.percent.normalize();
            let base = cap_base(cap.basis, lang);
            let kinds = kinds_text(&cap.kinds, lang);
            match lang {
                Lang::Zh => format!("其中来自“{kinds}”的转换学分不超过{base}的 {percent}%（{limit} 学分）。"),
                Lang::En => format!("Of these, credits from {kinds} may not exceed {percent}% of {base} ({limit} credits)."),
            }
        })
        .collect()
}

/// What a rule accepts, in words; the unit links to its page.
fn rule_conditions(a: &RuleSource, units: &[Unit], b: &CatalogTexts, lang: Lang) -> Vec<Condition> {
    let plain = |label, value: String| Condition {
        label,
        value,
        href: None,
    };
    let mut out = Vec::new();
    if let Some(code) = &a.unit_code {
        let title = unit_title(units, code, lang);
        out.push(Condition {
            label: b.recognised_as,
            value: if title.is_empty() {
                code.clone()
            } else {
                format!("{code} {title}")
            },
            href: Some(format!("/bank/units/{}", crate::pages::urlencode(code))),
        });
    }
    out.push(plain(
        b.kinds,
        if a.kinds.is_empty() {
            b.kinds_any.to_owned()
        } else {
            kinds_text(&a.kinds, lang)
        },
    ));
    if let Some(code) = &a.certificate_code {
        out.push(plain(b.certificate_code, code.clone()));
    }
    if let Some(level) = a.certificate_level_at_least {
        out.push(plain(
            b.certificate_level,
            certificate_level_text(level, lang),
        ));
    }
    if let Some(code) = &a.course_code {
        out.push(plain(b.course_code, code.clone()));
    }
    if let Some(source) = &a.source {
        out.push(plain(b.source, source.clone()));
    }
    if let Some(score) = a.min_score {
        out.push(plain(b.min_score, score.normalize().to_string()));
    }
    out
}

fn validity_text(years: Option<u32>, b: &CatalogTexts, lang: Lang) -> String {
    match (years, lang) {
        (None, _) => b.no_limit.to_owned(),
        (Some(y), Lang::Zh) => format!("取得成果后 {y} 年内"),
        (Some(1), Lang::En) => "Within 1 year of the outcome".to_owned(),
        (Some(y), Lang::En) => format!("Within {y} years of the outcome"),
    }
}

/// `GET /bank/programmes/{code}`: a programme's courses, caps and conversion rules.
pub async fn programme(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let drafts = manages_catalog(&page);
    let stored = state.app.programme(&code).await?;
    let institution = institution_name(&state, &stored, page.lang).await;
    let programme = stored.programme;
    let units = shown_units(&state, drafts).await?;
    let rules = state
        .app
        .conversion_rules(Some(&programme.code))
        .await?
        .into_iter()
        .filter(|r| shown(r.status, drafts))
        .map(|r| RuleRow {
            course: match programme.course(&r.course_code) {
                Some(c) => format!("{} {}", c.code, c.title.get(page.lang)),
                None => r.course_code.clone(),
            },
            conditions: rule_conditions(&r.accepts, &units, b, page.lang),
            validity: validity_text(r.valid_years, b, page.lang),
            rule: r,
        })
        .collect();
    let title = programme.title.get(page.lang).to_owned();
    Ok(render(&ProgrammePage {
        chrome: page.chrome(&title),
        b,
        framework: state.app.framework().await?,
        institution,
        compulsory_credits: programme.compulsory_credits(),
        cap: cap_text(&programme, page.lang),
        source_caps: source_cap_texts(&programme, page.lang),
        programme,
        rules,
        manages: drafts,
    }))
}

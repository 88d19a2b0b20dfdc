//! The credit bank's catalog pages (R12–R18): the qualifications framework, accreditation
//! units, recognition standards, programmes with their conversion rules — public to anyone —
//! and, for reviewers, importing a catalog file, publishing drafts and keeping the working-day
//! calendar — and maintaining catalog items one at a time on forms (`edit_*`; the versioned
//! ones share the flow of `drafting`), including the level mappings onto the framework.

mod calendar;
mod catalog;
mod drafting;
mod edit_framework;
mod edit_mapping;
mod edit_programme;
mod edit_rule;
mod edit_standard;
mod edit_texts;
mod edit_unit;
mod forms;
mod manage;
mod programmes;
mod publish;
mod source_caps;
mod standards;
mod units;

use axum::routing::{get, post};
use axum::Router;
use lifelong_core::programme::ConversionRule;
use lifelong_core::publication::{day, PublicationStatus, Window};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;

use super::Page;
use crate::state::AppState;

/// Catalog routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bank", get(catalog::framework))
        .route(
            "/bank/units",
            get(units::units).post(drafting::save::<Unit>),
        )
        .route("/bank/units/new", get(edit_unit::new_unit))
        .route("/bank/units/{code}", get(units::unit))
        .route(
            "/bank/units/{code}/new-version",
            get(drafting::new_version::<Unit>),
        )
        .route(
            "/bank/units/{code}/{version}/edit",
            get(drafting::edit::<Unit>),
        )
        .route(
            "/bank/standards",
            get(standards::standards).post(drafting::save::<RecognitionStandard>),
        )
        .route("/bank/standards/new", get(edit_standard::new_standard))
        .route(
            "/bank/standards/{code}/new-version",
            get(drafting::new_version::<RecognitionStandard>),
        )
        .route(
            "/bank/standards/{code}/{version}/edit",
            get(drafting::edit::<RecognitionStandard>),
        )
        .route("/bank/rules", post(drafting::save::<ConversionRule>))
        .route("/bank/rules/new", get(edit_rule::new_rule))
        .route(
            "/bank/rules/{code}/new-version",
            get(drafting::new_version::<ConversionRule>),
        )
        .route(
            "/bank/rules/{code}/{version}/edit",
            get(drafting::edit::<ConversionRule>),
        )
        .route(
            "/bank/programmes",
            get(programmes::programmes).post(edit_programme::save_programme),
        )
        .route("/bank/programmes/new", get(edit_programme::new_programme))
        .route("/bank/programmes/{code}", get(programmes::programme))
        .route(
            "/bank/programmes/{code}/edit",
            get(edit_programme::edit_programme),
        )
        .route("/bank/framework", post(edit_framework::save_framework))
        .route("/bank/framework/edit", get(edit_framework::edit_framework))
        .route("/bank/framework/mappings", post(edit_mapping::save_mapping))
        .route(
            "/bank/framework/mappings/new",
            get(edit_mapping::new_mapping),
        )
        .route(
            "/bank/framework/mappings/{from}/edit",
            get(edit_mapping::edit_mapping),
        )
        .route("/bank/manage", get(manage::manage))
        .route("/bank/import", post(manage::import))
        .route(
            "/bank/publish/{what}/{code}/{version}",
            post(publish::publish),
        )
        .route(
            "/bank/calendar",
            get(calendar::calendar).post(calendar::set_day),
        )
}

/// Whether the viewer maintains the catalog (and so also sees drafts).
fn manages_catalog(page: &Page) -> bool {
    page.user
        .as_ref()
        .is_some_and(|u| u.role.permits(Permission::ManageCatalog))
}

/// Whether a version is shown to this viewer: drafts apply to nothing and are only shown to
/// the people who write them.
fn shown(status: PublicationStatus, drafts: bool) -> bool {
    drafts || status != PublicationStatus::Draft
}

/// The days a version is in force, in words: "2024-01-01 起", "2024-01-01 至 2026-08-31".
pub(crate) fn window_text(window: &Window, lang: Lang) -> String {
    let from = day::format(window.from);
    match (window.until, lang) {
        (None, Lang::Zh) => format!("{from} 起"),
        (None, Lang::En) => format!("from {from}"),
        (Some(until), Lang::Zh) => format!("{from} 至 {}", day::format(until)),
        (Some(until), Lang::En) => format!("{from} to {}", day::format(until)),
    }
}

/// The CSS class of a status badge.
pub(crate) fn status_class(status: PublicationStatus) -> &'static str {
    match status {
        PublicationStatus::Draft => "checked",
        PublicationStatus::Published => "ok",
        PublicationStatus::Superseded => "superseded",
        PublicationStatus::Withdrawn => "closed",
    }
}

//! Maintaining the credit bank's catalog: the framework (seeded with the shipped default on
//! first start), units, recognition standards, programmes and conversion rules — drafted,
//! published with an effective window, superseded by new versions, never edited once published
//! — imported in bulk from a TOML catalog file, and the working-day calendar (R12–R18).

use lifelong_core::catalog::Catalog;
use lifelong_core::framework::Framework;
use lifelong_core::programme::{ConversionRule, Programme};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_store::{ImportCounts, StoredProgramme, Versioned};
use time::Date;

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

impl App {
    /// Makes sure a default framework exists — the shipped 10-level one on a new database —
    /// and, while none is stored, the shipped level mappings onto it.
    pub async fn seed_defaults(&self) -> AppResult<()> {
        if self.store.default_framework().await?.is_none() {
            let framework = Framework::shipped_default();
            let audit = Actor::system().audit("framework.seed", "framework", &framework.code);
            self.store.put_framework(&framework, true, audit).await?;
        }
        self.seed_level_mappings().await
    }

    /// The default framework (anyone may read it: it is public).
    pub async fn framework(&self) -> AppResult<Framework> {
        Ok(self
            .store
            .default_framework()
            .await?
            .unwrap_or_else(Framework::shipped_default))
    }

    /// Imports a catalog file (TOML): every item new or unchanged, or nothing.
    pub async fn import_catalog(&self, actor: &Actor, toml_text: &str) -> AppResult<ImportCounts> {
        actor.require(Permission::ManageCatalog)?;
        let catalog = Catalog::from_toml(toml_text).map_err(|e| {
            AppError::Invalid(vec![FieldError::text(
                "catalog",
                "catalog_invalid",
                &format!("目录文件有误：{e}"),
                &format!("The catalog file is not valid: {e}"),
            )])
        })?;
        self.import_catalog_data(actor, &catalog).await
    }

    /// Imports a catalog already read.
    pub async fn import_catalog_data(
        &self,
        actor: &Actor,
        catalog: &Catalog,
    ) -> AppResult<ImportCounts> {
        actor.require(Permission::ManageCatalog)?;
        catalog.validate().map_err(|e| {
            AppError::Invalid(vec![FieldError::text(
                "catalog",
                "catalog_invalid",
                &format!("目录有误：{e}"),
                &format!("The catalog is not valid: {e}"),
            )])
        })?;
        let audit = actor
            .audit("catalog.import", "catalog", "*")
            .with_detail(serde_json::json!({
                "units": catalog.units.len(), "standards": catalog.standards.len(),
                "programmes": catalog.programmes.len(), "rules": catalog.rules.len()
            }));
        let done = self.store.import_catalog(catalog, audit).await?;
        self.standards.invalidate();
        Ok(done)
    }

    pub async fn units(&self, query: Option<&str>) -> AppResult<Vec<Unit>> {
        Ok(self.store.units(query).await?)
    }

    pub async fn standards(&self) -> AppResult<Vec<RecognitionStandard>> {
        Ok(self.store.standards().await?)
    }

    pub async fn conversion_rules(
        &self,
        programme: Option<&str>,
    ) -> AppResult<Vec<ConversionRule>> {
        Ok(self.store.rules(programme).await?)
    }

    pub async fn programmes(&self) -> AppResult<Vec<StoredProgramme>> {
        Ok(self.store.programmes(None).await?)
    }

    pub async fn programme(&self, code: &str) -> AppResult<StoredProgramme> {
        Ok(self.store.programme(code).await?)
    }

    /// Saves a draft unit (a new code or a new version of one).
    pub async fn save_unit(&self, actor: &Actor, unit: &Unit) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        unit.validate().map_err(|e| {
            AppError::Invalid(vec![FieldError::text(
                "unit",
                "unit_invalid",
                &e.to_string(),
                &e.to_string(),
            )])
        })?;
        let audit = actor.audit(
            "unit.save",
            "unit",
            &format!("{}@{}", unit.code, unit.version),
        );
        self.store.save_unit(unit, audit).await?;
        self.standards.invalidate();
        Ok(())
    }

    pub async fn save_standard(
        &self,
        actor: &Actor,
        standard: &RecognitionStandard,
    ) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let audit = actor.audit(
            "standard.save",
            "standard",
            &format!("{}@{}", standard.code, standard.version),
        );
        self.store.save_standard(standard, audit).await?;
        self.standards.invalidate();
        Ok(())
    }

    pub async fn save_rule(&self, actor: &Actor, rule: &ConversionRule) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let audit = actor.audit(
            "rule.save",
            "rule",
            &format!("{}@{}", rule.code, rule.version),
        );
        Ok(self.store.save_rule(rule, audit).await?)
    }

    pub async fn save_programme(&self, actor: &Actor, programme: &Programme) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let audit = actor.audit("programme.save", "programme", &programme.code);
        Ok(self.store.save_programme(programme, audit).await?)
    }

    /// The published version of `code`, if any: the one publishing another version of it
    /// supersedes.
    pub async fn published_version(&self, what: Versioned, code: &str) -> AppResult<Option<u32>> {
        let published = PublicationStatus::Published;
        Ok(match what {
            Versioned::Unit => self
                .store
                .units(Some(code))
                .await?
                .into_iter()
                .find(|u| u.code == code && u.status == published)
                .map(|u| u.version),
            Versioned::Standard => self
                .store
                .standards()
                .await?
                .into_iter()
                .find(|s| s.code == code && s.status == published)
                .map(|s| s.version),
            Versioned::Rule => self
                .store
                .rules(None)
                .await?
                .into_iter()
                .find(|r| r.code == code && r.status == published)
                .map(|r| r.version),
        })
    }

    /// Publishes a draft from `from` (until `until`, if given), superseding the code's
    /// published version.
    pub async fn publish(
        &self,
        actor: &Actor,
        what: Versioned,
        code: &str,
        version: u32,
        from: Date,
        until: Option<Date>,
    ) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let window = Window::new(from, until).ok_or_else(|| {
            AppError::Invalid(vec![FieldError::text(
                "until",
                "window_inverted",
                "结束日期不能早于生效日期。",
                "The end date cannot be before the start date.",
            )])
        })?;
        let audit = actor.audit(
            &format!("{}.publish", what.as_str()),
            what.as_str(),
            &format!("{code}@{version}"),
        );
        self.store
            .publish(what, code, version, window, audit)
            .await?;
        // A published standard or unit applies to the next recognition.
        self.standards.invalidate();
        Ok(())
    }

    /// Sets a calendar exception (a holiday, a worked weekend day) or clears it.
    pub async fn set_calendar_day(
        &self,
        actor: &Actor,
        day: Date,
        working: Option<bool>,
        note: &str,
    ) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let audit = actor.audit(
            "calendar.set",
            "calendar",
            &lifelong_core::publication::day::format(day),
        );
        Ok(self
            .store
            .set_calendar_day(day, working, note.trim(), audit)
            .await?)
    }
}

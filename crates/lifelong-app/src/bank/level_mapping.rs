//! Level mappings (R12): another framework's levels placed onto the default framework's, as
//! guidance for people. The shipped ones (EQF, Guangdong) are seeded with the framework; the
//! bank's reviewers keep them; anyone may read them.

use lifelong_core::framework::{LevelMapping, MappingError};
use lifelong_core::role::Permission;

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

/// The refusal of a mapping that does not validate, in both languages.
fn mapping_refusal(error: &MappingError) -> AppError {
    let (field, zh, en) = match error {
        MappingError::Unnamed => (
            "from_framework",
            "等级对照须有对方框架的编码（2–40 位英文字母、数字或 - _ .）和中文名称。".to_owned(),
            "A mapping needs the other framework's code (2–40 letters, digits, '-', '_' or '.') and its Chinese name.".to_owned(),
        ),
        MappingError::OntoItself => (
            "from_framework",
            "不能把本框架对照到它自己。".to_owned(),
            "A framework is not mapped onto itself.".to_owned(),
        ),
        MappingError::OtherTarget(code) => (
            "to_framework",
            format!("等级对照只能对照到当前的资历框架，不能对照到 {code}。"),
            format!("A mapping is onto the current framework, not onto {code}."),
        ),
        MappingError::LevelsNotConsecutive => (
            "pairs",
            "对方框架的等级须从第 1 级起逐级列出，每级一次，不能有空缺。".to_owned(),
            "List the other framework's levels from level 1 up, each once, without gaps.".to_owned(),
        ),
        MappingError::UnknownLevel(level) => (
            "pairs",
            format!("对方第{level}级对应的等级不在本框架中。"),
            format!("Level {level} maps onto a level this framework does not have."),
        ),
        MappingError::Descending(level) => (
            "pairs",
            format!("对方第{level}级对应的等级低于其下一级对应的等级。"),
            format!("Level {level} maps onto a lower level than the level below it."),
        ),
    };
    AppError::Invalid(vec![FieldError::text(
        field,
        "level_mapping_invalid",
        &zh,
        &en,
    )])
}

impl App {
    /// The level mappings onto the default framework (anyone may read them). Before any is
    /// stored, the shipped ones that fit the framework.
    pub async fn level_mappings(&self) -> AppResult<Vec<LevelMapping>> {
        let framework = self.framework().await?;
        let stored = self.store.level_mappings().await?;
        if stored.is_empty() {
            return Ok(LevelMapping::shipped_defaults()
                .into_iter()
                .filter(|m| m.validate(&framework).is_ok())
                .collect());
        }
        Ok(stored
            .into_iter()
            .filter(|m| m.to_framework == framework.code)
            .collect())
    }

    /// Stores the shipped level mappings when none is stored yet (called after the
    /// framework is seeded); those that do not fit the stored framework are left out.
    pub(crate) async fn seed_level_mappings(&self) -> AppResult<()> {
        if !self.store.level_mappings().await?.is_empty() {
            return Ok(());
        }
        let Some(framework) = self.store.default_framework().await? else {
            return Ok(());
        };
        for mapping in LevelMapping::shipped_defaults() {
            if mapping.validate(&framework).is_err() {
                tracing::warn!(
                    from = %mapping.from_framework,
                    "shipped level mapping does not fit the stored framework; not seeded"
                );
                continue;
            }
            let audit = Actor::system().audit(
                "level_mapping.seed",
                "level_mapping",
                &mapping.from_framework,
            );
            self.store.put_level_mapping(&mapping, audit).await?;
        }
        Ok(())
    }

    /// Adds or replaces a mapping onto the default framework (reviewers), once it validates.
    pub async fn save_level_mapping(&self, actor: &Actor, mapping: &LevelMapping) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        let framework = self.framework().await?;
        mapping
            .validate(&framework)
            .map_err(|e| mapping_refusal(&e))?;
        let audit = actor
            .audit(
                "level_mapping.save",
                "level_mapping",
                &mapping.from_framework,
            )
            .with_detail(serde_json::json!({ "levels": mapping.pairs.len() }));
        Ok(self.store.put_level_mapping(mapping, audit).await?)
    }
}

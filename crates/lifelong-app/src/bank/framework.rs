//! Maintaining the qualifications framework one field at a time (R12), and an institution
//! keeping its own programmes (R16): the bank's reviewers change the framework; a school
//! changes only the programmes it owns, never anything of the bank's catalog.

use lifelong_core::catalog::Catalog;
use lifelong_core::framework::{Framework, FrameworkError};
use lifelong_core::programme::Programme;
use lifelong_core::role::Permission;

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

/// The refusal of a framework that does not validate, in both languages.
fn framework_refusal(error: &FrameworkError) -> AppError {
    let (zh, en) = match error {
        FrameworkError::Unnamed => (
            "资历框架须有编码和中文名称。".to_owned(),
            "The framework needs a code and a Chinese name.".to_owned(),
        ),
        FrameworkError::LevelsNotConsecutive => (
            "等级须从 1 开始连续编号，不能有空缺。".to_owned(),
            "Levels must be numbered 1, 2, 3 … without gaps.".to_owned(),
        ),
        FrameworkError::MissingDescriptor(level) => (
            format!("第{level}级的名称、知识、技能或能力描述缺少中文或英文。"),
            format!(
                "Level {level} lacks its title, knowledge, skill or competence in Chinese or English."
            ),
        ),
    };
    AppError::Invalid(vec![FieldError::text(
        "framework",
        "framework_invalid",
        &zh,
        &en,
    )])
}

impl App {
    /// Replaces the default framework with `framework` (reviewers), once it validates.
    pub async fn save_framework(&self, actor: &Actor, framework: &Framework) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        framework.validate().map_err(|e| framework_refusal(&e))?;
        let audit = actor
            .audit("framework.save", "framework", &framework.code)
            .with_detail(serde_json::json!({ "levels": framework.levels.len() }));
        Ok(self.store.put_framework(framework, true, audit).await?)
    }

    /// Saves a programme of the actor's own institution (institution staff and API tokens):
    /// the programme must name the institution by its credit code, and an existing programme
    /// of the same code must belong to it too. Anything else is `Forbidden`.
    pub async fn save_own_programme(&self, actor: &Actor, programme: &Programme) -> AppResult<()> {
        actor.require(Permission::DecideConversions)?;
        let own = actor.own_institution()?;
        let institution = self.store.institution(own).await?;
        if institution.credit_code.as_str() != programme.institution {
            return Err(AppError::Forbidden);
        }
        match self.store.programme(&programme.code).await {
            Ok(existing) if existing.institution_id != *own => return Err(AppError::Forbidden),
            Ok(_) | Err(lifelong_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let single = Catalog {
            programmes: vec![programme.clone()],
            ..Catalog::default()
        };
        single.validate().map_err(|e| {
            AppError::Invalid(vec![FieldError::text(
                "programme",
                "programme_invalid",
                &format!("专业有误：{e}"),
                &format!("The programme is not valid: {e}"),
            )])
        })?;
        let audit = actor.audit("programme.save_own", "programme", &programme.code);
        Ok(self.store.save_programme(programme, audit).await?)
    }
}

//! Maintaining the qualifications framework one field at a time (R12) — levels are added at
//! the end and removed from the end, never while something still refers to them — and an
//! institution keeping its own programmes (R16): the bank's reviewers change the framework; a
//! school changes only the programmes it owns, never anything of the bank's catalog.

use lifelong_core::catalog::Catalog;
use lifelong_core::framework::{Framework, FrameworkError, Level};
use lifelong_core::programme::Programme;
use lifelong_core::role::Permission;
use lifelong_core::Lang;

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

/// Something that refers to a level of the framework.
enum LevelUse {
    Unit { code: String, version: u32 },
    Programme { code: String },
    Course { programme: String, code: String },
    Mapping { from: String, level: Level },
}

impl LevelUse {
    fn text(&self, level: Level, lang: Lang) -> String {
        match (self, lang) {
            (LevelUse::Unit { code, version }, Lang::Zh) => {
                format!("认证单元 {code} 第{version}版（第{level}级）")
            }
            (LevelUse::Unit { code, version }, Lang::En) => {
                format!("unit {code} version {version} (level {level})")
            }
            (LevelUse::Programme { code }, Lang::Zh) => format!("专业 {code}（第{level}级）"),
            (LevelUse::Programme { code }, Lang::En) => format!("programme {code} (level {level})"),
            (LevelUse::Course { programme, code }, Lang::Zh) => {
                format!("专业 {programme} 的课程 {code}（第{level}级）")
            }
            (LevelUse::Course { programme, code }, Lang::En) => {
                format!("course {code} of programme {programme} (level {level})")
            }
            (
                LevelUse::Mapping {
                    from,
                    level: theirs,
                },
                Lang::Zh,
            ) => {
                format!("等级对照 {from}（其第{theirs}级对应第{level}级）")
            }
            (
                LevelUse::Mapping {
                    from,
                    level: theirs,
                },
                Lang::En,
            ) => {
                format!("level mapping {from} (its level {theirs} onto level {level})")
            }
        }
    }
}

/// How many uses a refusal names; the rest are counted.
const USES_NAMED: usize = 5;

/// The refusal of removing levels `from` and above while `uses` refer to them.
fn level_in_use(from: u8, last: u8, uses: &[(Level, LevelUse)]) -> AppError {
    let listed = |lang: Lang| {
        uses.iter()
            .take(USES_NAMED)
            .map(|(level, using)| using.text(*level, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", "; "))
    };
    let n = uses.len();
    let (zh_levels, en_levels) = if from == last {
        (format!("第{from}级"), format!("Level {from}"))
    } else {
        (
            format!("第{from}级到第{last}级"),
            format!("Levels {from} to {last}"),
        )
    };
    let zh = format!(
        "不能删除{zh_levels}：还有 {n} 项用到，包括{}。请先把它们改到其他等级。",
        listed(Lang::Zh)
    );
    let en = format!(
        "{en_levels} cannot be removed: {n} items still use them, including {}. Move them to another level first.",
        listed(Lang::En)
    );
    AppError::Invalid(vec![FieldError::text(
        "framework",
        "level_in_use",
        &zh,
        &en,
    )])
}

impl App {
    /// Refuses (`level_in_use`) when an accreditation unit (any version), a programme or one
    /// of its courses, or a level mapping onto the default framework refers to level `from`
    /// or above; removing those levels would leave them pointing at nothing (R12).
    pub async fn check_levels_removable(&self, from: u8) -> AppResult<()> {
        let framework = self.framework().await?;
        let last = framework.levels.last().map(|l| l.level.get()).unwrap_or(0);
        let removed = |level: Level| level.get() >= from;
        let mut uses = Vec::new();
        for u in self.store.units(None).await? {
            if removed(u.level) {
                let using = LevelUse::Unit {
                    code: u.code,
                    version: u.version,
                };
                uses.push((u.level, using));
            }
        }
        for stored in self.store.programmes(None).await? {
            let p = stored.programme;
            if removed(p.level) {
                let code = p.code.clone();
                uses.push((p.level, LevelUse::Programme { code }));
            }
            for c in p.courses.into_iter().filter(|c| removed(c.level)) {
                let programme = p.code.clone();
                let course = LevelUse::Course {
                    programme,
                    code: c.code,
                };
                uses.push((c.level, course));
            }
        }
        for m in self.level_mappings().await? {
            for (theirs, ours) in m.pairs.iter().filter(|(_, ours)| removed(*ours)) {
                let using = LevelUse::Mapping {
                    from: m.from_framework.clone(),
                    level: *theirs,
                };
                uses.push((*ours, using));
            }
        }
        if uses.is_empty() {
            Ok(())
        } else {
            Err(level_in_use(from, last.max(from), &uses))
        }
    }

    /// Replaces the default framework with `framework` (reviewers), once it validates and no
    /// level it drops is still in use.
    pub async fn save_framework(&self, actor: &Actor, framework: &Framework) -> AppResult<()> {
        actor.require(Permission::ManageCatalog)?;
        framework.validate().map_err(|e| framework_refusal(&e))?;
        let kept = framework.levels.len();
        if self.framework().await?.levels.len() > kept {
            let from = u8::try_from(kept + 1).unwrap_or(u8::MAX);
            self.check_levels_removable(from).await?;
        }
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

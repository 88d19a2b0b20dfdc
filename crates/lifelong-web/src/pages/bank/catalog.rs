//! The public catalog (R12, R13, R16–R18): the texts and helpers its pages share, and the
//! credit bank's home page with the framework's levels and the level mappings onto them.
//! Anyone may read the catalog, signed in or not; drafts are shown only to reviewers.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use lifelong_app::AppError;
use lifelong_core::framework::{Framework, Level, LevelMapping};
use lifelong_core::outcome::OutcomeKind;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;

use super::{manages_catalog, shown};
use crate::error::PageError;
use crate::pages::{render, Chrome, DoneQuery, Page};
use crate::state::AppState;
use crate::texts;

texts!(CatalogTexts {
    title: "学分银行" | "Credit bank",
    lead: "学分银行为每位市民记录、认定和积累学习成果：证书、培训、课程和各类学习经历，都可以按公开的认定标准认定为学分。这些学分可以按公开的转换规则抵免院校专业中的相应课程，让学过的内容不必再学一遍。" | "The credit bank records, recognises and adds up every citizen's learning outcomes: certificates, training, courses and other learning can be recognised as credits under published recognition standards. Under published conversion rules those credits can replace matching courses of a school's programme, so nobody has to learn the same thing twice.",
    framework_heading: "资历框架" | "Qualifications framework",
    framework_lead: "框架把学习成果分为从低到高的等级，每一级都说明学习者懂什么（知识）、会做什么（技能）以及能多独立、多负责地做事（能力）。" | "The framework sorts learning outcomes into levels, from lowest to highest. Each level says what a learner knows (knowledge), can do (skill) and how independently and responsibly they act (competence).",
    knowledge: "知识" | "Knowledge",
    skill: "技能" | "Skill",
    competence: "能力" | "Competence",
    typical: "典型资历" | "Typical qualifications",
    browse_heading: "查看目录" | "Browse the catalog",
    units_title: "认证单元" | "Accreditation units",
    units_lead: "认证单元是可以单独认定的最小学习成果，每个单元有等级、学分和类别。" | "An accreditation unit is the smallest outcome that can be recognised on its own; each has a level, a credit value and a category.",
    standards_title: "认定标准" | "Recognition standards",
    standards_lead: "认定标准说明哪些学习成果（证书、课程、培训等）可以认定为哪个认证单元，以及给多少学分。" | "A recognition standard says which outcomes (certificates, courses, training …) are recognised as which unit, and how many credits they earn.",
    programmes_title: "专业与转换规则" | "Programmes and conversion rules",
    programmes_lead: "院校专业的课程，以及哪些已认定的成果可以抵免其中的课程。" | "The courses of schools' programmes, and which recognised outcomes can replace them.",
    manage_link: "维护目录（导入与发布）" | "Maintain the catalog (import and publish)",
    publish_link: "去发布这个草稿" | "Publish this draft",
    calendar_link: "工作日历" | "Working-day calendar",
    new_unit: "新建认证单元" | "New accreditation unit",
    new_standard: "新建认定标准" | "New recognition standard",
    new_standard_for_unit: "为本单元新建认定标准" | "New standard for this unit",
    new_rule: "新建转换规则" | "New conversion rule",
    new_programme: "新建专业" | "New programme",
    edit_programme: "编辑专业" | "Edit the programme",
    edit_framework: "编辑资历框架" | "Edit the framework",
    new_version: "新版本" | "New version",
    edit_draft: "编辑草稿" | "Edit the draft",
    search_heading: "查找认证单元" | "Find units",
    search: "编码或名称" | "Code or title",
    search_hint: "例如“电工”或“U-V-D”。" | "For example “电工” or “U-V-D”.",
    category: "学分类别" | "Credit category",
    level: "等级" | "Level",
    any: "不限" | "Any",
    find: "查找" | "Find",
    found: "找到的认证单元" | "Units found",
    count_prefix: "共" | "",
    count_suffix: "条" | "found",
    limited: "只列出前 200 条，请输入更具体的条件缩小范围。" | "Only the first 200 are listed; narrow the search to see the rest.",
    nothing_found: "没有符合条件的认证单元。" | "No unit matches.",
    code: "编码" | "Code",
    version: "版本" | "Version",
    version_n_prefix: "第" | "Version ",
    version_n_suffix: "版" | "",
    name: "名称" | "Title",
    credits: "学分" | "Credits",
    industry: "行业" | "Industry",
    window: "有效期" | "In force",
    owner: "维护方" | "Maintained by",
    owner_bank: "学分银行" | "The credit bank",
    criteria: "认定要求" | "What a learner must show",
    unit_versions: "各个版本" | "Versions",
    unit_standards: "可认定为本单元的标准" | "Standards that recognise outcomes as this unit",
    back_units: "返回认证单元列表" | "Back to the units",
    back_programmes: "返回专业列表" | "Back to the programmes",
    superseded_note: "已被替代的版本仍适用于其有效期内取得的成果。" | "A superseded version still applies to outcomes achieved within its dates.",
    unit: "认证单元" | "Unit",
    matches: "认定条件" | "What it accepts",
    basis: "学分计算" | "Credits given",
    basis_unit: "按认证单元的学分" | "The unit's credit value",
    basis_hours: "按学时折算，不超过单元学分" | "From the study hours, at most the unit's value",
    basis_deposited: "按出具机构给出的学分，不超过单元学分" | "The credits the source awarded, at most the unit's value",
    kinds: "成果类型" | "Kind of outcome",
    kinds_any: "不限" | "Any",
    certificate_code: "证书代码" | "Certificate code",
    certificate_level: "证书等级" | "Certificate level",
    course_code: "课程代码" | "Course code",
    source: "出具机构（统一社会信用代码）" | "Issued by (unified social credit code)",
    min_hours: "学时不少于" | "Study hours at least",
    min_score: "成绩不低于" | "Score at least",
    pass_not_required: "不要求合格" | "A pass is not required",
    recognised_as: "须已认定为认证单元" | "Recognised as the unit",
    standards_filter: "查找认定标准" | "Find standards",
    standards_search_hint: "按编码、名称或认证单元编码查找。" | "By code, title or unit code.",
    no_standards: "没有符合条件的认定标准。" | "No standard matches.",
    programme: "专业" | "Programme",
    institution: "院校" | "School",
    award_credits: "毕业所需学分" | "Credits for the award",
    compulsory_credits: "必修课学分" | "Compulsory credits",
    courses: "课程" | "Courses",
    rules: "转换规则" | "Conversion rules",
    no_programmes: "还没有专业。" | "No programme yet.",
    cap_heading: "转换学分上限" | "Limit on converted credits",
    per_source_heading: "按来源的上限" | "Limits by source",
    compulsory: "必修" | "Compulsory",
    capstone: "毕业设计等" | "Capstone",
    capstone_note: "课程设计、社会调查、毕业设计（论文）等实践环节不能免修。" | "Course design, social surveys and graduation projects or theses can never be replaced.",
    course: "抵免课程" | "Course replaced",
    accepts: "接受的成果" | "What is accepted",
    validity: "时效" | "Time limit",
    no_limit: "不限" | "None",
    no_rules: "该专业还没有转换规则。" | "This programme has no conversion rules yet.",
    mappings_heading: "与其他资历框架的等级对照" | "Levels of other frameworks",
    mappings_lead: "下表把其他资历框架的等级对照到本框架的等级，供参考：它帮助您了解一项在别处取得的资历大致相当于本框架的哪一级，但不是认定结论；成果仍按公开的认定标准认定。" | "These tables place the levels of other frameworks onto ours, as guidance: they help you see roughly which of our levels a qualification gained elsewhere corresponds to, but they decide nothing; outcomes are still recognised under published standards.",
    mapping_theirs: "对方等级" | "Their level",
    mapping_ours: "本框架等级" | "Our level",
    mapping_level_prefix: "第" | "Level ",
    mapping_level_suffix: "级" | "",
    no_mappings: "还没有等级对照。" | "No level mapping yet.",
    new_mapping: "新增等级对照" | "Add a level mapping",
    edit_mapping: "编辑这个对照" | "Edit this mapping",
    mapping_saved: "等级对照已保存。" | "The level mapping is saved.",
    colon: "：" | ": ",
    yes: "是" | "Yes",
    no: "否" | "No",
});

/// One condition of a standard or rule, in words; `href` links to what it names.
pub struct Condition {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
}

/// An option of a filter's `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

pub(super) fn kinds_text(kinds: &[OutcomeKind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| k.label(lang))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

pub(super) fn certificate_level_text(level: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{level}级或更高（1级最高）"),
        Lang::En => format!("level {level} or higher (1 is highest)"),
    }
}

/// Every unit version this viewer may see.
pub(super) async fn shown_units(state: &AppState, drafts: bool) -> Result<Vec<Unit>, AppError> {
    Ok(state
        .app
        .units(None)
        .await?
        .into_iter()
        .filter(|u| shown(u.status, drafts))
        .collect())
}

/// The title of a unit's newest shown version, by code.
pub(super) fn unit_title(units: &[Unit], code: &str, lang: Lang) -> String {
    units
        .iter()
        .filter(|u| u.code == code)
        .max_by_key(|u| u.version)
        .map(|u| u.title.get(lang).to_owned())
        .unwrap_or_default()
}

pub(super) fn level_title(framework: &Framework, level: Level, lang: Lang) -> String {
    framework
        .level(level)
        .map(|l| l.title.get(lang).to_owned())
        .unwrap_or_else(|| level.to_string())
}

// ---------------------------------------------------------------------------------------------
// The framework

/// One row of a level mapping: their level, and ours with its title.
struct MappingRow {
    theirs: u8,
    ours: u8,
    ours_title: String,
}

/// A level mapping as the framework page shows it.
struct MappingView {
    code: String,
    name: String,
    rows: Vec<MappingRow>,
}

impl MappingView {
    fn of(m: &LevelMapping, framework: &Framework, lang: Lang) -> MappingView {
        MappingView {
            code: m.from_framework.clone(),
            name: m.from_name.get(lang).to_owned(),
            rows: m
                .pairs
                .iter()
                .map(|(theirs, ours)| MappingRow {
                    theirs: theirs.get(),
                    ours: ours.get(),
                    ours_title: level_title(framework, *ours, lang),
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "bank_index.html")]
struct IndexPage {
    chrome: Chrome,
    b: &'static CatalogTexts,
    framework: Framework,
    mappings: Vec<MappingView>,
    notice: Option<&'static str>,
    manages: bool,
}

/// `GET /bank`: what the credit bank is, the framework's levels, and the levels of other
/// frameworks mapped onto them.
pub async fn framework(
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let b = CatalogTexts::get(page.lang);
    let framework = state.app.framework().await?;
    let mappings = state
        .app
        .level_mappings()
        .await?
        .iter()
        .map(|m| MappingView::of(m, &framework, page.lang))
        .collect();
    let notice = (q.done.as_deref() == Some("mapping_saved")).then_some(b.mapping_saved);
    Ok(render(&IndexPage {
        chrome: page.chrome(b.title),
        b,
        framework,
        mappings,
        notice,
        manages: manages_catalog(&page),
    }))
}

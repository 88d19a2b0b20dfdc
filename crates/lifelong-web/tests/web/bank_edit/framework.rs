//! Adding a level to the framework and removing the last one on its form (R12): the buttons
//! change the form, saving changes the framework, and a level still in use stays.

use axum::http::StatusCode;
use lifelong_app::Actor;
use lifelong_core::role::Role;

use crate::support::{pairs, TestApp};

/// The framework form as stored, as name–value pairs.
pub(crate) async fn framework_form(t: &TestApp) -> Vec<(String, String)> {
    let framework = t.app.framework().await.unwrap();
    let mut fields: Vec<(String, String)> = vec![
        ("mode".into(), "edit".into()),
        ("code".into(), framework.code.clone()),
        ("name_zh".into(), framework.name.zh.clone()),
        ("name_en".into(), framework.name.en.clone()),
    ];
    for (i, l) in framework.levels.iter().enumerate() {
        let n = i + 1;
        for (stem, text) in [
            ("title", &l.title),
            ("knowledge", &l.knowledge),
            ("skill", &l.skill),
            ("competence", &l.competence),
            ("typical", &l.typical),
        ] {
            fields.push((format!("l{n}_{stem}_zh"), text.zh.clone()));
            fields.push((format!("l{n}_{stem}_en"), text.en.clone()));
        }
    }
    fields
}

/// Whether the page has an input named `name`.
fn has_input(body: &str, name: &str) -> bool {
    body.contains(&format!("name=\"{name}\""))
}

#[tokio::test]
async fn r12_a_level_is_added_at_the_end_and_the_last_one_removed() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t.get("/bank/framework/edit", Some(&reviewer)).await;
    assert!(form.body.contains("name=\"change\" value=\"add_level\""));
    assert!(form.body.contains("删除最后一级（第10级）"));

    // Adding a level shows an empty eleventh level; nothing is saved yet.
    let mut fields = framework_form(&t).await;
    let mut adding = fields.clone();
    adding.push(("change".into(), "add_level".into()));
    let added = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&adding))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("已在末尾增加第11级"));
    assert!(has_input(&added.body, "l11_knowledge_en"));
    assert!(added.body.contains("删除最后一级（第11级）"));
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 10);

    // Saved with a descriptor missing, the new level is refused where it is missing.
    for stem in ["title", "knowledge", "skill", "competence", "typical"] {
        for lang in ["zh", "en"] {
            let text = format!("第十一级 {stem} {lang}");
            fields.push((format!("l11_{stem}_{lang}"), text));
        }
    }
    let mut incomplete = fields.clone();
    incomplete.retain(|(n, _)| n != "l11_skill_en");
    incomplete.push(("l11_skill_en".into(), String::new()));
    let refused = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&incomplete))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#l11_skill_en\""));
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 10);

    let saved = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&fields))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let framework = t.app.framework().await.unwrap();
    assert_eq!(framework.levels.len(), 11);
    assert_eq!(framework.levels[10].skill.en, "第十一级 skill en");
    assert!(t.get("/bank", None).await.body.contains("id=\"level-11\""));

    // Removing the last level takes it off the form; saving removes it.
    let mut removing = framework_form(&t).await;
    removing.push(("change".into(), "remove_level".into()));
    let removed = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&removing))
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(removed.body.contains("已从表单中删除第11级"));
    assert!(!has_input(&removed.body, "l11_title_zh"));
    assert!(has_input(&removed.body, "l10_title_zh"));
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 11);
    let mut ten = framework_form(&t).await;
    ten.retain(|(n, _)| !n.starts_with("l11_"));
    let saved = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&ten))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 10);
}

#[tokio::test]
async fn r12_a_level_that_units_courses_or_mappings_use_is_not_removed() {
    let t = TestApp::sqlite().await;
    t.app.seed_defaults().await.unwrap();
    let toml = format!(
        r#"
[[units]]
code = "U-TOP-1"
title = {{ zh = "博士后研究", en = "Postdoctoral research" }}
level = 10
credits = "10"
category = "academic"
criteria = {{ zh = "完成研究。", en = "Completes the research." }}
window = {{ from = 2024-01-01 }}

[[programmes]]
code = "P-DR"
institution = "{}"
title = {{ zh = "博士项目", en = "Doctoral programme" }}
level = 9
award_credits = "40"
courses = [
  {{ code = "C-901", title = {{ zh = "研究方法", en = "Research methods" }}, credits = "4", level = 10, compulsory = true }},
]
"#,
        t.institution.credit_code.as_str()
    );
    t.app
        .import_catalog(&Actor::system_as(Role::Reviewer), &toml)
        .await
        .unwrap();
    let reviewer = t.session_of(Role::Reviewer).await;
    let mut removing = framework_form(&t).await;
    removing.push(("change".into(), "remove_level".into()));
    let refused = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&removing))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for named in [
        "不能删除第10级",
        "认证单元 U-TOP-1 第1版（第10级）",
        "专业 P-DR 的课程 C-901（第10级）",
        "等级对照 EQF（其第8级对应第10级）",
    ] {
        assert!(refused.body.contains(named), "{named}: {}", refused.body);
    }
    assert!(
        has_input(&refused.body, "l10_title_zh"),
        "the level stays on the form"
    );

    // Saving nine levels directly is refused the same way, in English too.
    let mut nine = framework_form(&t).await;
    nine.retain(|(n, _)| !n.starts_with("l10_"));
    let english = format!("{reviewer}; ll_lang=en");
    let refused = t
        .post_form("/bank/framework", Some(&english), &pairs(&nine))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Level 10 cannot be removed"));
    assert!(refused.body.contains("unit U-TOP-1 version 1 (level 10)"));
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 10);

    // Removing level 9 as well names the programme itself (at level 9).
    let mut eight = nine.clone();
    eight.retain(|(n, _)| !n.starts_with("l9_"));
    let refused = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&eight))
        .await;
    assert!(refused.body.contains("不能删除第9级到第10级"));
    assert!(refused.body.contains("专业 P-DR（第9级）"));
}

//! Level mappings onto the framework (R12): shown to anyone on the framework page as
//! guidance, kept by reviewers on a form, checked level by level.

use axum::http::StatusCode;
use lifelong_core::framework::Level;
use lifelong_core::role::Role;

use crate::support::{pairs, TestApp};

/// A mapping form: code, names, and our level for each of their levels.
fn mapping_form<'a>(mode: &'a str, code: &'a str, levels: &[&'a str]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("mode".to_owned(), mode.to_owned()),
        ("from_framework".to_owned(), code.to_owned()),
        ("from_name_zh".to_owned(), format!("{code} 资历框架")),
        ("from_name_en".to_owned(), format!("{code} framework")),
    ];
    for (i, ours) in levels.iter().enumerate() {
        fields.push((format!("level_{}", i + 1), (*ours).to_owned()));
    }
    fields
}

#[tokio::test]
async fn r12_the_framework_page_shows_the_shipped_mappings_as_guidance() {
    let t = TestApp::sqlite().await;
    t.app.seed_defaults().await.unwrap();
    let page = t.get("/bank", None).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "与其他资历框架的等级对照",
        "供参考",
        "欧洲资历框架",
        "广东终身教育资历框架",
        "id=\"mapping-EQF\"",
        "href=\"#level-10\"",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(
        !page.body.contains("/bank/framework/mappings/new"),
        "only reviewers are offered editing"
    );
    let english = t.get("/bank", Some("ll_lang=en")).await;
    assert!(english.body.contains("European Qualifications Framework"));
    assert!(english.body.contains("as guidance"));

    let reviewer = t.session_of(Role::Reviewer).await;
    let page = t.get("/bank", Some(&reviewer)).await;
    assert!(page.body.contains("href=\"/bank/framework/mappings/new\""));
    assert!(page
        .body
        .contains("href=\"/bank/framework/mappings/EQF/edit\""));
}

#[tokio::test]
async fn r12_a_reviewer_edits_a_mapping_and_each_bad_level_is_named() {
    let t = TestApp::sqlite().await;
    t.app.seed_defaults().await.unwrap();
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t
        .get("/bank/framework/mappings/EQF/edit", Some(&reviewer))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("<label for=\"level_12\""));
    assert!(form.body.contains("name=\"from_framework\" value=\"EQF\""));

    let eqf = ["1", "2", "3", "4", "5", "7", "8", "10"];
    let cases: [(&[&str], &str); 4] = [
        (&["1", "", "3"], "第2级没有填写"),
        (&["1", "11"], "请选择等级。"),
        (&["3", "2"], "对方第2级对应的等级低于其下一级对应的等级。"),
        (&[], "请至少为对方的第 1 级选择对应等级。"),
    ];
    for (levels, message) in cases {
        let fields = mapping_form("edit", "EQF", levels);
        let refused = t
            .post_form("/bank/framework/mappings", Some(&reviewer), &pairs(&fields))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{levels:?}"
        );
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    let stored = t.app.level_mappings().await.unwrap();
    assert_eq!(
        stored[0].map(Level::new(5).unwrap()),
        Level::new(6),
        "unchanged"
    );

    let fields = mapping_form("edit", "EQF", &eqf);
    let saved = t
        .post_form("/bank/framework/mappings", Some(&reviewer), &pairs(&fields))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/bank?done=mapping_saved#mappings");
    let mappings = t.app.level_mappings().await.unwrap();
    assert_eq!(mappings.len(), 2);
    assert_eq!(mappings[0].map(Level::new(5).unwrap()), Level::new(5));
    assert_eq!(mappings[0].from_name.zh, "EQF 资历框架");
    let page = t.get("/bank?done=mapping_saved", None).await;
    assert!(page.body.contains("等级对照已保存。"));

    // A new mapping: a code taken is refused, a new one is added; ours is not mapped onto itself.
    let taken = mapping_form("new", "GD-QF", &["3"]);
    let refused = t
        .post_form("/bank/framework/mappings", Some(&reviewer), &pairs(&taken))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("已有这个框架的等级对照"));
    let itself = mapping_form("new", "SH-LLF", &["1"]);
    let refused = t
        .post_form("/bank/framework/mappings", Some(&reviewer), &pairs(&itself))
        .await;
    assert!(refused.body.contains("不能把本框架对照到它自己。"));
    let aqf = mapping_form(
        "new",
        "AQF",
        &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
    );
    let added = t
        .post_form("/bank/framework/mappings", Some(&reviewer), &pairs(&aqf))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let codes: Vec<String> = t
        .app
        .level_mappings()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.from_framework)
        .collect();
    assert_eq!(codes, ["AQF", "EQF", "GD-QF"]);
}

#[tokio::test]
async fn r12_only_reviewers_keep_level_mappings() {
    let t = TestApp::sqlite().await;
    t.app.seed_defaults().await.unwrap();
    let fields = mapping_form("edit", "EQF", &["1"]);
    for role in Role::ALL.iter().filter(|r| **r != Role::Reviewer) {
        let session = t.session_of(*role).await;
        for path in [
            "/bank/framework/mappings/new",
            "/bank/framework/mappings/EQF/edit",
        ] {
            let answer = t.get(path, Some(&session)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        }
        let answer = t
            .post_form("/bank/framework/mappings", Some(&session), &pairs(&fields))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(t.app.level_mappings().await.unwrap()[0].pairs.len(), 8);
    let reviewer = t.session_of(Role::Reviewer).await;
    let missing = t
        .get("/bank/framework/mappings/NOPE/edit", Some(&reviewer))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

//! Maintaining the catalog one item at a time on forms (R12, R13, R16, R17, reviewers only),
//! and the API's catalog writes, which institution tokens may use for their own programmes
//! only.

use axum::http::StatusCode;
use lifelong_app::Actor;
use lifelong_core::outcome::OutcomeKind;
use lifelong_core::publication::PublicationStatus;
use lifelong_core::role::Role;

use crate::support::{pairs, TestApp};

mod api;
mod caps;
mod framework;
mod mappings;

/// The fields of a unit form.
fn unit_fields<'a>(mode: &'a str, version: &'a str, credits: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("mode", mode),
        ("code", "U-T-0001"),
        ("version", version),
        ("title_zh", "家用电器维修（初级）"),
        ("title_en", "Home appliance repair, first level"),
        ("level", "3"),
        ("credits", credits),
        ("category", "vocational"),
        ("industry", "C"),
        ("criteria_zh", "能独立排查常见家用电器故障。"),
        ("criteria_en", "Finds common appliance faults alone."),
        ("owner", "bank"),
        ("from", "2026-01-01"),
    ]
}

/// A programme of the test institution with two courses, one a capstone.
pub(crate) async fn programme(t: &TestApp) {
    let toml = format!(
        r#"
[[programmes]]
code = "P-EL"
institution = "{}"
title = {{ zh = "电气技术", en = "Electrical technology" }}
level = 6
award_credits = "60"
courses = [
  {{ code = "C-101", title = {{ zh = "电工基础", en = "Electrical Basics" }}, credits = "4", level = 4, compulsory = true }},
  {{ code = "C-199", title = {{ zh = "毕业设计", en = "Graduation Project" }}, credits = "8", level = 6, compulsory = true, capstone = true }},
]
"#,
        t.institution.credit_code.as_str()
    );
    t.app
        .import_catalog(&Actor::system_as(Role::Reviewer), &toml)
        .await
        .unwrap();
}

#[tokio::test]
async fn r13_a_unit_is_drafted_on_a_form_published_and_then_only_versioned() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t.get("/bank/units/new", Some(&reviewer)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    for field in [
        "code", "version", "title_zh", "level", "credits", "industry",
    ] {
        assert!(
            form.body.contains(&format!("<label for=\"{field}\"")),
            "{field}"
        );
    }
    assert!(form.body.contains("<option value=\"T\">"), "industries A–T");

    let saved = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("new", "1", "2"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        "/bank/manage?done=drafted#draft-unit-U-T-0001-1"
    );
    let manage = t.get("/bank/manage?done=drafted", Some(&reviewer)).await;
    assert!(manage.body.contains("草稿已保存"));
    assert!(manage.body.contains("id=\"draft-unit-U-T-0001-1\""));

    // The draft is changed on its own edit page; a new form cannot overwrite it.
    let edit = t.get("/bank/units/U-T-0001/1/edit", Some(&reviewer)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("name=\"mode\" value=\"edit\""));
    let changed = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("edit", "1", "3"),
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let again = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("new", "1", "4"),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("已有草稿"), "{}", again.body);

    let published = t
        .post_form(
            "/bank/publish/unit/U-T-0001/1",
            Some(&reviewer),
            &[("from", "2026-01-01"), ("until", "")],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );

    // Published: the edit page says why not and offers a new version; saving over it is 409.
    let locked = t.get("/bank/units/U-T-0001/1/edit", Some(&reviewer)).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    assert!(locked.body.contains("已发布的版本不能修改"));
    assert!(locked
        .body
        .contains("href=\"/bank/units/U-T-0001/new-version\""));
    let refused = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("edit", "1", "9"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused
        .body
        .contains("已发布的版本不能修改，请新建一个版本。"));

    // The unit page offers the new version; its form is prefilled, one version higher.
    let page = t.get("/bank/units/U-T-0001", Some(&reviewer)).await;
    assert!(page
        .body
        .contains("href=\"/bank/units/U-T-0001/new-version\""));
    let next = t
        .get("/bank/units/U-T-0001/new-version", Some(&reviewer))
        .await;
    assert_eq!(next.status, StatusCode::OK);
    assert!(
        next.body.contains("name=\"version\" value=\"2\""),
        "{}",
        next.body
    );
    assert!(next.body.contains("name=\"credits\" value=\"3\""));
    assert!(next.body.contains("value=\"家用电器维修（初级）\""));
    assert!(next.body.contains("<option value=\"C\" selected>"));
    let second = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("version", "2", "5"),
        )
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert_eq!(
        second.location(),
        "/bank/manage?done=drafted#draft-unit-U-T-0001-2"
    );
    let mut versions = t.app.units(Some("U-T-0001")).await.unwrap();
    versions.sort_by_key(|u| u.version);
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].status, PublicationStatus::Published);
    assert_eq!(versions[0].credits.to_string(), "3");
    assert_eq!(versions[1].status, PublicationStatus::Draft);
    assert_eq!(versions[1].credits.to_string(), "5");
    assert_eq!(versions[1].industry, Some('C'));
}

#[tokio::test]
async fn bad_input_reshows_the_unit_form_with_422_and_messages_in_both_languages() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let bad = [
        ("mode", "new"),
        ("code", "单元 1"),
        ("version", "0"),
        ("title_zh", ""),
        ("level", "11"),
        ("credits", "0"),
        ("category", ""),
        ("industry", "Z"),
        ("criteria_zh", ""),
        ("owner", "nobody"),
        ("from", "2026-13-01"),
    ];
    let zh = t.post_form("/bank/units", Some(&reviewer), &bad).await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "编码须为 2–40 位英文字母",
        "版本须为 1 到 9999 之间的整数。",
        "请填写中文名称。",
        "请选择等级。",
        "学分须大于零。",
        "请选择学分类别。",
        "请从列表中选择行业门类。",
        "请填写中文的认定要求。",
        "维护方须为 bank",
        "请按“年-月-日”填写日期",
    ] {
        assert!(zh.body.contains(message), "{message}: {}", zh.body);
    }
    assert!(
        zh.body.contains("href=\"#code\""),
        "the summary links the field"
    );
    assert!(zh.body.contains("aria-invalid=\"true\""));
    assert!(
        zh.body.contains("value=\"单元 1\""),
        "what was typed is kept"
    );

    let english = format!("{reviewer}; ll_lang=en");
    let en = t.post_form("/bank/units", Some(&english), &bad).await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(en.body.contains("Enter the Chinese title."));
    assert!(en.body.contains("Choose the credit category."));
    assert!(en.body.contains("Nothing was saved."));
    assert!(t.app.units(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn r16_a_standard_must_point_at_an_existing_unit() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let saved = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("new", "1", "2"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let form = t
        .get("/bank/standards/new?unit=U-T-0001", Some(&reviewer))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"unit_code\" value=\"U-T-0001\""));
    assert!(form.body.contains("value=\"skill_certificate\""), "kinds");
    let fields = |unit: &'static str, level: &'static str| {
        vec![
            ("mode", "new"),
            ("code", "RS-T-1"),
            ("version", "1"),
            ("title_zh", "家电维修证书"),
            ("title_en", "Appliance repair certificate"),
            ("unit_code", unit),
            ("kinds", "skill_certificate"),
            ("kinds", "vocational_certificate"),
            ("certificate_code", "4-12-01"),
            ("certificate_level", level),
            ("course_code", ""),
            ("source", ""),
            ("min_hours", ""),
            ("min_score", "60"),
            ("require_pass", "on"),
            ("basis", "unit"),
            ("from", ""),
        ]
    };
    let unknown = t
        .post_form("/bank/standards", Some(&reviewer), &fields("U-NOPE", "9"))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown
        .body
        .contains("没有这个编码的认证单元，请先新建该单元。"));
    assert!(unknown.body.contains("证书等级须为 1 到 5 之间的整数"));
    assert!(
        unknown
            .body
            .contains("value=\"vocational_certificate\" checked"),
        "ticked kinds stay ticked"
    );
    assert!(t.app.standards().await.unwrap().is_empty());

    let ok = t
        .post_form("/bank/standards", Some(&reviewer), &fields("U-T-0001", "4"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        ok.location(),
        "/bank/manage?done=drafted#draft-standard-RS-T-1-1"
    );
    let standards = t.app.standards().await.unwrap();
    assert_eq!(standards.len(), 1);
    let s = &standards[0];
    assert_eq!(s.status, PublicationStatus::Draft);
    assert_eq!(
        s.criteria.kinds,
        vec![
            OutcomeKind::SkillCertificate,
            OutcomeKind::VocationalCertificate
        ]
    );
    assert_eq!(s.criteria.certificate_level_at_least, Some(4));
    assert_eq!(
        s.criteria.min_score.map(|d| d.normalize().to_string()),
        Some("60".to_owned())
    );
    assert!(s.criteria.require_pass);

    // The standards list offers editing the draft.
    let list = t.get("/bank/standards", Some(&reviewer)).await;
    assert!(list.body.contains("href=\"/bank/standards/RS-T-1/1/edit\""));
    let edit = t
        .get("/bank/standards/RS-T-1/1/edit", Some(&reviewer))
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"skill_certificate\" checked"));
}

#[tokio::test]
async fn r17_a_rule_form_checks_programme_and_course() {
    let t = TestApp::sqlite().await;
    programme(&t).await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t
        .get("/bank/rules/new?programme=P-EL", Some(&reviewer))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<option value=\"P-EL\" selected>"));
    let fields = |programme: &'static str, course: &'static str| {
        vec![
            ("mode", "new"),
            ("code", "CR-T-1"),
            ("version", "1"),
            ("title_zh", "电工证书免修电工基础"),
            ("title_en", ""),
            ("programme_code", programme),
            ("course_code", course),
            ("accepts_unit", ""),
            ("kinds", "skill_certificate"),
            ("certificate_code", ""),
            ("certificate_level", "4"),
            ("accepts_course", ""),
            ("source", ""),
            ("min_score", ""),
            ("valid_years", "5"),
            ("from", "2026-01-01"),
        ]
    };
    let no_programme = t
        .post_form("/bank/rules", Some(&reviewer), &fields("P-NOPE", "C-101"))
        .await;
    assert_eq!(no_programme.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_programme.body.contains("请选择专业。"));
    let no_course = t
        .post_form("/bank/rules", Some(&reviewer), &fields("P-EL", "C-999"))
        .await;
    assert_eq!(no_course.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_course.body.contains("专业 P-EL 没有课程 C-999。"));
    assert!(no_course.body.contains("C-101、C-199"));
    let capstone = t
        .post_form("/bank/rules", Some(&reviewer), &fields("P-EL", "C-199"))
        .await;
    assert_eq!(capstone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(capstone.body.contains("不能免修"));
    let ok = t
        .post_form("/bank/rules", Some(&reviewer), &fields("P-EL", "C-101"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let rules = t.app.conversion_rules(Some("P-EL")).await.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].valid_years, Some(5));
    assert_eq!(rules[0].accepts.certificate_level_at_least, Some(4));
    let page = t.get("/bank/programmes/P-EL", Some(&reviewer)).await;
    assert!(page.body.contains("href=\"/bank/rules/CR-T-1/1/edit\""));
    assert!(page.body.contains("href=\"/bank/programmes/P-EL/edit\""));
}

#[tokio::test]
async fn a_programme_is_kept_on_a_form_with_its_courses_one_a_line() {
    let t = TestApp::sqlite().await;
    programme(&t).await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t.get("/bank/programmes/P-EL/edit", Some(&reviewer)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("C-101 | 电工基础 | Electrical Basics | 4 | 4 | y | n"));
    let institution = t.institution.credit_code.as_str().to_owned();
    let fields = |courses: &'static str| {
        vec![
            ("mode", "edit"),
            ("code", "P-EL"),
            ("institution", institution.as_str()),
            ("title_zh", "电气技术"),
            ("title_en", "Electrical technology"),
            ("level", "6"),
            ("award_credits", "60"),
            ("cap_percent", "30"),
            ("cap_basis", "award_credits"),
            ("courses", courses),
        ]
        .into_iter()
        .map(|(a, b)| (a, b.to_owned()))
        .collect::<Vec<_>>()
    };
    let bad = fields("C-101 | 电工基础 | Basics | 4 | 4 | y\nC-102 | 电机 | Motors | x | 6\nC-101 | 重复 | Again | 2 | 4");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let refused = t.post_form("/bank/programmes", Some(&reviewer), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("课程清单第 2 行：学分："),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("课程清单第 3 行：课程编码 C-101 重复。"));
    let good = fields("C-101 | 电工基础 | Basics | 4 | 4 | y | n\n\nC-102 | 电机 | Motors | 6 | 6 | y\nC-199 | 毕业设计 | Project | 8 | 6 | y | y");
    let good: Vec<(&str, &str)> = good.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let saved = t
        .post_form("/bank/programmes", Some(&reviewer), &good)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/bank/programmes/P-EL");
    let p = t.app.programme("P-EL").await.unwrap().programme;
    assert_eq!(p.courses.len(), 3);
    assert!(p.courses[2].capstone);
    assert_eq!(p.caps.percent.normalize().to_string(), "30");

    // A new programme may not take an existing code.
    let mut taken = good.clone();
    taken[0] = ("mode", "new");
    let exists = t
        .post_form("/bank/programmes", Some(&reviewer), &taken)
        .await;
    assert_eq!(exists.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(exists.body.contains("已有这个编码的专业"));
}

#[tokio::test]
async fn r12_the_framework_is_edited_and_validated() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let form = t.get("/bank/framework/edit", Some(&reviewer)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<label for=\"l10_competence_en\""));
    // Send the form back as it is, with one descriptor emptied and one title changed.
    let framework = t.app.framework().await.unwrap();
    let mut fields = framework::framework_form(&t).await;
    let set = |fields: &mut Vec<(String, String)>, name: &str, value: &str| {
        for (n, v) in fields.iter_mut() {
            if n == name {
                *v = value.to_owned();
            }
        }
    };
    set(&mut fields, "l4_skill_en", "  ");
    let refused = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&fields))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#l4_skill_en\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("请填写这一项。"));
    assert_eq!(t.app.framework().await.unwrap(), framework, "nothing saved");

    set(
        &mut fields,
        "l4_skill_en",
        "Carries out defined tasks alone.",
    );
    set(&mut fields, "l1_title_zh", "第一级 起步");
    let saved = t
        .post_form("/bank/framework", Some(&reviewer), &pairs(&fields))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/bank/framework/edit?done=saved");
    let bank = t.get("/bank", None).await;
    assert!(bank.body.contains("第一级 起步"));
    assert_eq!(t.app.framework().await.unwrap().levels.len(), 10);
}

#[tokio::test]
async fn non_reviewers_get_403_on_every_new_route() {
    let t = TestApp::sqlite().await;
    programme(&t).await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let saved = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("new", "1", "2"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let gets = [
        "/bank/units/new",
        "/bank/units/U-T-0001/new-version",
        "/bank/units/U-T-0001/1/edit",
        "/bank/standards/new",
        "/bank/rules/new",
        "/bank/programmes/new",
        "/bank/programmes/P-EL/edit",
        "/bank/framework/edit",
    ];
    let posts = [
        "/bank/units",
        "/bank/standards",
        "/bank/rules",
        "/bank/programmes",
        "/bank/framework",
    ];
    for role in Role::ALL.iter().filter(|r| **r != Role::Reviewer) {
        let session = t.session_of(*role).await;
        for path in gets {
            let answer = t.get(path, Some(&session)).await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "GET {path} as {}",
                role.as_str()
            );
        }
        for path in posts {
            let answer = t.post_form(path, Some(&session), &[("code", "X-1")]).await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "POST {path} as {}",
                role.as_str()
            );
        }
    }
    for path in gets {
        assert_eq!(
            t.get(path, Some(&reviewer)).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
}

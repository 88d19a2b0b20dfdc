//! The credit bank's catalog pages: the framework, units, standards and programmes for anyone;
//! importing, publishing and the working-day calendar for reviewers only (R12–R18).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use lifelong_core::role::Role;
use time::macros::date;

use crate::support::{Answer, TestApp, CSRF};

/// A small catalog: a unit with a published version and a draft second version, a leisure
/// unit, two standards, a programme of the test institution and a rule with a draft version.
const CATALOG: &str = r#"
[[units]]
code = "U-V-D-0104"
version = 1
title = { zh = "电工（四级/中级工）", en = "Electrician (level 4, intermediate)" }
level = 4
credits = "4"
category = "vocational"
industry = "D"
criteria = { zh = "取得电工（四级）职业技能等级证书，能独立从事低压电气线路的常规工作。", en = "Holds the level 4 certificate and does routine low-voltage work alone." }
window = { from = 2024-01-01 }

[[units]]
code = "U-V-D-0104"
version = 2
title = { zh = "电工（四级/中级工）2026 版", en = "Electrician (level 4), 2026 edition" }
level = 4
credits = "5"
category = "vocational"
industry = "D"
criteria = { zh = "取得电工（四级）职业技能等级证书，并能处理常见的电气故障。", en = "Holds the level 4 certificate and handles common electrical faults." }
status = "draft"
window = { from = 2026-09-01 }

[[units]]
code = "U-L-R-0001"
title = { zh = "老年书法（入门）", en = "Calligraphy for older learners (first steps)" }
level = 2
credits = "1"
category = "leisure"
industry = "R"
criteria = { zh = "完成老年大学书法入门课程。", en = "Completes the elderly-university first calligraphy course." }
window = { from = 2024-01-01 }

[[standards]]
code = "RS-ELEC-4"
title = { zh = "电工职业技能等级证书（四级及以上）", en = "Electrician skill certificate, level 4 or higher" }
unit_code = "U-V-D-0104"
criteria = { kinds = ["skill_certificate", "vocational_certificate"], certificate_code = "6-31-01-03", certificate_level_at_least = 4 }
basis = "unit"
window = { from = 2024-01-01 }

[[standards]]
code = "RS-CAL-1"
title = { zh = "老年大学书法课程", en = "Elderly-university calligraphy course" }
unit_code = "U-L-R-0001"
criteria = { kinds = ["elderly_course"], min_hours = "36", min_score = "60" }
basis = "hours"
window = { from = 2024-01-01 }

[[programmes]]
code = "CJ-DQ-GZ"
institution = "{CREDIT_CODE}"
title = { zh = "电气自动化技术（高职）", en = "Electrical Automation (higher vocational)" }
level = 6
award_credits = "60"
caps = { percent = 35, basis = "compulsory_credits", per_source = [{ kinds = ["skill_certificate"], percent = 20, basis = "award_credits" }] }
courses = [
  { code = "C-101", title = { zh = "电工基础", en = "Electrical Basics" }, credits = "4", level = 4, compulsory = true },
  { code = "C-102", title = { zh = "电机与控制", en = "Motors and Control" }, credits = "6", level = 6, compulsory = true },
  { code = "C-103", title = { zh = "智能家居", en = "Smart Homes" }, credits = "4", level = 6 },
  { code = "C-199", title = { zh = "毕业设计", en = "Graduation Project" }, credits = "8", level = 6, compulsory = true, capstone = true },
]

[[rules]]
code = "CR-DQ-01"
title = { zh = "电工四级证书免修电工基础", en = "Electrician level 4 replaces Electrical Basics" }
programme_code = "CJ-DQ-GZ"
course_code = "C-101"
accepts = { unit_code = "U-V-D-0104", kinds = ["skill_certificate"] }
valid_years = 5
window = { from = 2024-01-01 }

[[rules]]
code = "CR-DQ-01"
version = 2
title = { zh = "电工四级证书免修电工基础（2026）", en = "Electrician level 4 replaces Electrical Basics (2026)" }
programme_code = "CJ-DQ-GZ"
course_code = "C-101"
accepts = { unit_code = "U-V-D-0104", kinds = ["skill_certificate"] }
valid_years = 3
status = "draft"
window = { from = 2026-09-01 }
"#;

fn catalog(t: &TestApp) -> String {
    CATALOG.replace("{CREDIT_CODE}", t.institution.credit_code.as_str())
}

const BOUNDARY: &str = "lifelong-bank-test-boundary";

/// A part of a multipart form: name, file name (for files), content.
type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// A multipart POST with the session and a valid CSRF token among `parts`.
async fn post_multipart(t: &TestApp, path: &str, session: &str, parts: &[Part<'_>]) -> Answer {
    let mut body = Vec::new();
    let mut all: Vec<Part<'_>> = vec![("csrf", None, CSRF.as_bytes())];
    all.extend_from_slice(parts);
    for (name, file_name, content) in all {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file_name {
            Some(f) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/toml\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"))
        .header(header::ACCEPT_LANGUAGE, "zh-CN")
        .body(Body::from(body))
        .unwrap();
    t.send(request).await
}

/// Uploads the test catalog as the reviewer and returns the reviewer's session.
async fn import_catalog(t: &TestApp) -> String {
    let reviewer = t.session_of(Role::Reviewer).await;
    let text = catalog(t);
    let answer = post_multipart(
        t,
        "/bank/import",
        &reviewer,
        &[("file", Some("catalog.toml"), text.as_bytes())],
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location(),
        "/bank/manage?done=imported&added=8&unchanged=0"
    );
    reviewer
}

async fn get_en(t: &TestApp, path: &str) -> Answer {
    let request = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    t.send(request).await
}

#[tokio::test]
async fn r12_framework_page_shows_ten_levels() {
    let t = TestApp::sqlite().await;
    let page = t.get("/bank", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("id=\"level-").count(),
        10,
        "{}",
        page.body
    );
    assert!(page.body.contains("上海终身教育资历框架"));
    assert!(page.body.contains("第一级 入门"));
    assert!(page.body.contains("第十级 博士"));
    assert!(page
        .body
        .contains("能按照明确、固定的步骤完成简单、重复的任务"));
    assert!(page.body.contains("典型资历"));
    for link in ["/bank/units", "/bank/standards", "/bank/programmes"] {
        assert!(page.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(
        !page.body.contains("/bank/manage"),
        "visitors are not offered maintenance"
    );
    assert!(
        page.body.contains("aria-current=\"page\""),
        "the nav marks the bank"
    );

    let en = get_en(&t, "/bank").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Level 10: Doctorate"));
    assert!(en.body.contains("Knowledge"));

    let reviewer = t.session_of(Role::Reviewer).await;
    let page = t.get("/bank", Some(&reviewer)).await;
    assert!(page.body.contains("href=\"/bank/manage\""));
    assert!(page.body.contains("href=\"/bank/calendar\""));
}

#[tokio::test]
async fn r13_units_are_listed_searched_and_shown_to_visitors() {
    let t = TestApp::sqlite().await;
    let empty = t.get("/bank/units", None).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("没有符合条件的认证单元"));

    import_catalog(&t).await;
    let all = t.get("/bank/units", None).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("电工（四级/中级工）"));
    assert!(all.body.contains("老年书法（入门）"));
    assert!(
        all.body.contains("电力、热力、燃气及水生产和供应业"),
        "industry by name"
    );
    assert!(all.body.contains("第四级 中级"));
    assert!(all.body.contains("职业培训"));
    assert!(all.body.contains("2024-01-01 起"));
    assert!(
        !all.body.contains("2026 版"),
        "drafts are not shown to visitors"
    );

    let search = t.get("/bank/units?q=%E7%94%B5%E5%B7%A5", None).await; // q=电工
    assert!(search.body.contains("电工（四级/中级工）"));
    assert!(!search.body.contains("老年书法"));
    assert!(search.body.contains("value=\"电工\""), "the search is kept");
    let leisure = t.get("/bank/units?category=leisure", None).await;
    assert!(leisure.body.contains("老年书法"));
    assert!(!leisure.body.contains("电工（四级"));
    let level = t.get("/bank/units?level=4&category=", None).await;
    assert!(level.body.contains("电工（四级/中级工）"));
    assert!(!level.body.contains("老年书法"));

    let unit = t.get("/bank/units/U-V-D-0104", None).await;
    assert_eq!(unit.status, StatusCode::OK);
    assert!(unit.body.contains("能独立从事低压电气线路的常规工作"));
    assert!(
        unit.body.contains("RS-ELEC-4"),
        "the standard leading to it"
    );
    assert!(!unit.body.contains("2026 版"));
    let reviewer = t.session_of(Role::Reviewer).await;
    let as_reviewer = t.get("/bank/units/U-V-D-0104", Some(&reviewer)).await;
    assert!(as_reviewer.body.contains("2026 版"), "reviewers see drafts");
    assert!(as_reviewer.body.contains("草稿"));

    assert_eq!(
        t.get("/bank/units/U-NOPE", None).await.status,
        StatusCode::NOT_FOUND
    );
    let en = get_en(&t, "/bank/units").await;
    assert!(en.body.contains("Electrician (level 4, intermediate)"));
    assert!(en.body.contains("Electricity, heat, gas and water supply"));
}

#[tokio::test]
async fn r16_standards_page_shows_what_each_standard_matches() {
    let t = TestApp::sqlite().await;
    import_catalog(&t).await;
    let page = t.get("/bank/standards", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("电工职业技能等级证书（四级及以上）"));
    assert!(page.body.contains("href=\"/bank/units/U-V-D-0104\""));
    assert!(page.body.contains("职业技能等级证书、职业资格证书"));
    assert!(page.body.contains("6-31-01-03"));
    assert!(page.body.contains("4级或更高"));
    assert!(page.body.contains("老年教育课程"));
    assert!(page.body.contains("学时不少于：36"));
    assert!(page.body.contains("成绩不低于：60"));
    assert!(page.body.contains("按学时折算，不超过单元学分"));
    assert!(page.body.contains("按认证单元的学分"));
    assert!(page.body.contains("已发布"));
    assert!(!page.body.contains("2026 版"), "draft titles are not shown");

    let filtered = t.get("/bank/standards?q=RS-CAL", None).await;
    assert!(filtered.body.contains("老年大学书法课程"));
    assert!(!filtered.body.contains("电工职业技能等级证书（四级及以上）"));
}

#[tokio::test]
async fn r18_programme_page_shows_courses_the_cap_and_rules() {
    let t = TestApp::sqlite().await;
    import_catalog(&t).await;
    let list = t.get("/bank/programmes", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("电气自动化技术（高职）"));
    assert!(list.body.contains("徐汇区社区学院"), "the school by name");
    assert!(list.body.contains("href=\"/bank/programmes/CJ-DQ-GZ\""));

    let page = t.get("/bank/programmes/CJ-DQ-GZ", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Compulsory: 4 + 6 + 8 = 18 credits; 35% of that is 6.3.
    assert!(
        page.body
            .contains("转换学分不超过必修课学分的 35%（6.3 学分）"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("其中来自“职业技能等级证书”的转换学分不超过毕业所需学分的 20%（12 学分）"));
    assert!(page.body.contains("电机与控制"));
    assert!(page.body.contains("毕业设计"));
    assert!(page.body.contains("CR-DQ-01"));
    assert!(page.body.contains("C-101 电工基础"));
    assert!(page.body.contains("取得成果后 5 年内"));
    assert!(page.body.contains("href=\"/bank/units/U-V-D-0104\""));
    assert!(!page.body.contains("（2026）"), "draft rules are not shown");
    assert!(
        !page.body.contains("2026 版"),
        "nor the titles of draft units"
    );

    let en = get_en(&t, "/bank/programmes/CJ-DQ-GZ").await;
    assert!(en
        .body
        .contains("Converted credits may not exceed 35% of the compulsory credits (6.3 credits)."));
    assert_eq!(
        t.get("/bank/programmes/NOPE", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn r13_import_counts_what_is_new_and_what_is_unchanged() {
    let t = TestApp::sqlite().await;
    let reviewer = import_catalog(&t).await;
    let done = t
        .get(
            "/bank/manage?done=imported&added=8&unchanged=0",
            Some(&reviewer),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("导入完成：新增或更新 8 项"));
    assert!(done.body.contains("id=\"count-units\">3<"));

    // The same file pasted: nothing new.
    let text = catalog(&t);
    let again = post_multipart(
        &t,
        "/bank/import",
        &reviewer,
        &[("file", Some(""), b""), ("text", None, text.as_bytes())],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(
        again.location(),
        "/bank/manage?done=imported&added=0&unchanged=8"
    );
}

#[tokio::test]
async fn catalog_import_refuses_a_bad_file_with_422_and_the_message() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let dangling = r#"
[[standards]]
code = "S-1"
title = { zh = "标准", en = "Standard" }
unit_code = "U-NOPE"
window = { from = 2026-01-01 }
"#;
    let answer = post_multipart(
        &t,
        "/bank/import",
        &reviewer,
        &[("file", Some("bad.toml"), dangling.as_bytes())],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("目录文件有误") && answer.body.contains("unknown unit U-NOPE"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("id=\"error-summary\""));
    assert!(
        answer.body.contains("action=\"/bank/import\""),
        "the form again"
    );

    // Pasted text that is not TOML: refused, and what was pasted is kept.
    let answer = post_multipart(
        &t,
        "/bank/import",
        &reviewer,
        &[("text", None, "units = 3 # 单元".as_bytes())],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("目录文件有误"));
    assert!(answer.body.contains("units = 3 # 单元</textarea>"));

    // Not UTF-8, and nothing at all.
    let answer = post_multipart(
        &t,
        "/bank/import",
        &reviewer,
        &[("file", Some("gbk.toml"), &[0xb5, 0xe7, 0xb9, 0xa4, 0xff])],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("UTF-8"));
    let answer = post_multipart(&t, "/bank/import", &reviewer, &[("text", None, b"  ")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("请选择目录文件，或粘贴目录内容"));

    // A programme of a school that is not registered.
    let unknown = catalog(&t).replace(t.institution.credit_code.as_str(), "12310000425005386H");
    let answer = post_multipart(
        &t,
        "/bank/import",
        &reviewer,
        &[("file", Some("c.toml"), unknown.as_bytes())],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("尚未在平台登记"));

    // All or nothing: none of it was written.
    assert!(t.app.units(None).await.unwrap().is_empty());
    assert!(t.app.standards().await.unwrap().is_empty());
}

#[tokio::test]
async fn r13_only_reviewers_manage_the_catalog() {
    let t = TestApp::sqlite().await;
    let visitor = t.get("/bank/manage", None).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location().starts_with("/login"));

    let text = catalog(&t);
    for role in Role::ALL.iter().filter(|r| **r != Role::Reviewer) {
        let session = t.session_of(*role).await;
        for path in ["/bank/manage", "/bank/calendar"] {
            let answer = t.get(path, Some(&session)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?} GET {path}");
        }
        let import = post_multipart(
            &t,
            "/bank/import",
            &session,
            &[("file", Some("c.toml"), text.as_bytes())],
        )
        .await;
        assert_eq!(import.status, StatusCode::FORBIDDEN, "{role:?} import");
        assert!(import.body.contains("您没有权限进行此操作"));
        let publish = t
            .post_form(
                "/bank/publish/unit/U-V-D-0104/2",
                Some(&session),
                &[("from", "2026-09-01")],
            )
            .await;
        assert_eq!(publish.status, StatusCode::FORBIDDEN, "{role:?} publish");
        let calendar = t
            .post_form(
                "/bank/calendar",
                Some(&session),
                &[("day", "2026-10-01"), ("working", "off")],
            )
            .await;
        assert_eq!(calendar.status, StatusCode::FORBIDDEN, "{role:?} calendar");
    }
    assert!(t.app.units(None).await.unwrap().is_empty());
    assert!(t
        .app
        .store
        .calendar()
        .await
        .unwrap()
        .exceptions()
        .next()
        .is_none());
}

#[tokio::test]
async fn r17_publishing_supersedes_the_previous_version() {
    let t = TestApp::sqlite().await;
    let reviewer = import_catalog(&t).await;
    let manage = t.get("/bank/manage", Some(&reviewer)).await;
    assert_eq!(manage.status, StatusCode::OK);
    assert!(manage
        .body
        .contains("action=\"/bank/publish/unit/U-V-D-0104/2\""));
    assert!(manage
        .body
        .contains("action=\"/bank/publish/rule/CR-DQ-01/2\""));
    assert!(manage.body.contains("电工（四级/中级工）2026 版"));
    assert!(manage.body.contains("现行版本：第1版，2024-01-01 起"));
    assert!(
        manage
            .body
            .contains("id=\"from-unit-U-V-D-0104-2\" name=\"from\" value=\"2026-09-01\""),
        "the draft's own date is offered"
    );

    // Bad dates come back with the message and what was typed.
    let bad = t
        .post_form(
            "/bank/publish/unit/U-V-D-0104/2",
            Some(&reviewer),
            &[("from", "2026-13-01"), ("until", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("请按“年-月-日”填写日期"));
    assert!(bad.body.contains("value=\"2026-13-01\""));
    assert!(bad.body.contains("from-unit-U-V-D-0104-2-error"));
    let missing = t
        .post_form("/bank/publish/unit/U-V-D-0104/2", Some(&reviewer), &[])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("请填写生效日期"));
    let inverted = t
        .post_form(
            "/bank/publish/unit/U-V-D-0104/2",
            Some(&reviewer),
            &[("from", "2026-09-01"), ("until", "2026-01-01")],
        )
        .await;
    assert_eq!(inverted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(inverted.body.contains("结束日期不能早于生效日期"));

    let ok = t
        .post_form(
            "/bank/publish/unit/U-V-D-0104/2",
            Some(&reviewer),
            &[("from", "2026-09-01"), ("until", "")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/bank/manage?done=superseded");
    let notice = t.get(ok.location(), Some(&reviewer)).await;
    assert!(notice.body.contains("之前发布的版本已标为“已被替代”"));
    assert!(!notice
        .body
        .contains("action=\"/bank/publish/unit/U-V-D-0104/2\""));

    // Anyone sees both versions: the old one superseded up to the day before.
    let unit = t.get("/bank/units/U-V-D-0104", None).await;
    assert!(unit.body.contains("电工（四级/中级工）2026 版"));
    assert!(unit.body.contains("已被替代"));
    assert!(unit.body.contains("2024-01-01 至 2026-08-31"));
    assert!(unit.body.contains("2026-09-01 起"));
    let versions = t.app.units(Some("U-V-D-0104")).await.unwrap();
    assert_eq!(versions[0].window.until, Some(date!(2026 - 08 - 31)));

    // Published once: it cannot be published again.
    let twice = t
        .post_form(
            "/bank/publish/unit/U-V-D-0104/2",
            Some(&reviewer),
            &[("from", "2026-10-01")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("只有草稿可以发布"));

    // The rule's new version too, shown on the programme's page.
    let rule = t
        .post_form(
            "/bank/publish/rule/CR-DQ-01/2",
            Some(&reviewer),
            &[("from", "2026-09-01"), ("until", "2028-08-31")],
        )
        .await;
    assert_eq!(rule.status, StatusCode::SEE_OTHER);
    let programme = t.get("/bank/programmes/CJ-DQ-GZ", None).await;
    assert!(programme.body.contains("（2026）"));
    assert!(programme.body.contains("2026-09-01 至 2028-08-31"));
    assert!(programme.body.contains("取得成果后 3 年内"));
    assert!(programme.body.contains("已被替代"));
    let manage = t.get("/bank/manage", Some(&reviewer)).await;
    assert!(manage.body.contains("没有草稿"));

    assert_eq!(
        t.post_form(
            "/bank/publish/thing/U-V-D-0104/2",
            Some(&reviewer),
            &[("from", "2026-09-01")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn r15_calendar_days_are_added_and_cleared() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let empty = t.get("/bank/calendar", Some(&reviewer)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("还没有登记任何日期"));

    let off = t
        .post_form(
            "/bank/calendar",
            Some(&reviewer),
            &[
                ("day", "2026-10-01"),
                ("working", "off"),
                ("note", "国庆节"),
            ],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert_eq!(off.location(), "/bank/calendar?done=saved");
    let worked = t
        .post_form(
            "/bank/calendar",
            Some(&reviewer),
            &[("day", "2026-10-10"), ("working", "work"), ("note", "调休")],
        )
        .await;
    assert_eq!(worked.status, StatusCode::SEE_OTHER);
    let page = t.get("/bank/calendar?done=saved", Some(&reviewer)).await;
    assert!(page.body.contains("已登记。"));
    assert!(page.body.contains("id=\"day-2026-10-01\""));
    assert!(page.body.contains("星期四"));
    assert!(page.body.contains("id=\"day-2026-10-10\""));
    assert!(page.body.contains("星期六"));
    assert!(page.body.contains("上班（调休）"));
    let calendar = t.app.store.calendar().await.unwrap();
    assert!(!calendar.is_working_day(date!(2026 - 10 - 01)));
    assert!(calendar.is_working_day(date!(2026 - 10 - 10)));

    let cleared = t
        .post_form(
            "/bank/calendar",
            Some(&reviewer),
            &[("day", "2026-10-01"), ("working", "clear")],
        )
        .await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    assert_eq!(cleared.location(), "/bank/calendar?done=cleared");
    let page = t.get(cleared.location(), Some(&reviewer)).await;
    assert!(page.body.contains("已删除"));
    assert!(!page.body.contains("id=\"day-2026-10-01\""));
    assert!(page.body.contains("id=\"day-2026-10-10\""));
    assert!(t
        .app
        .store
        .calendar()
        .await
        .unwrap()
        .is_working_day(date!(2026 - 10 - 01)));

    // Mistakes come back with their messages.
    let bad = t
        .post_form(
            "/bank/calendar",
            Some(&reviewer),
            &[("day", "2026-02-30"), ("note", "x")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("请按“年-月-日”填写日期"));
    assert!(bad.body.contains("请选择这一天放假还是上班"));
    assert!(bad.body.contains("value=\"2026-02-30\""));
}

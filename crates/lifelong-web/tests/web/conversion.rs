//! Conversion through the pages and the API (R16–R23): the learner's preview shows what could
//! convert and why the rest cannot; the learner applies, the programme's institution decides,
//! and the learner finds the course as 免考 in the archive; another institution finds
//! nothing; through the API a decision is made once and the second answers 409.

use axum::http::StatusCode;
use lifelong_app::bank::{DepositInput, OutcomeInput};
use lifelong_app::{Actor, UserInput};
use lifelong_core::review::ReviewAction;
use lifelong_core::role::Role;
use lifelong_store::{AccountId, ConversionApplication};
use serde_json::json;

use crate::support::{id_number, TestApp, PASSWORD};

const CATALOG: &str = r#"
[[programmes]]
code = "P-DQ"
institution = "{CREDIT_CODE}"
title = { zh = "电气自动化技术", en = "Electrical Automation" }
level = 6
award_credits = "40"
courses = [
  { code = "C-101", title = { zh = "电工基础", en = "Electrical Basics" }, credits = "4", level = 4, compulsory = true },
  { code = "C-102", title = { zh = "电子技术", en = "Electronics" }, credits = "4", level = 4, compulsory = true },
  { code = "C-103", title = { zh = "电机控制", en = "Motor Control" }, credits = "8", level = 4, compulsory = true },
  { code = "C-199", title = { zh = "毕业设计", en = "Graduation Project" }, credits = "8", level = 4, compulsory = true, capstone = true },
]

[[rules]]
code = "CR-DQ-02"
title = { zh = "外校电子技术", en = "Electronics elsewhere" }
programme_code = "P-DQ"
course_code = "C-102"
accepts = { kinds = ["course_credit"], course_code = "EXT-2" }
window = { from = 2024-01-01 }

[[rules]]
code = "CR-DQ-99"
title = { zh = "毕业设计（不应免修）", en = "Graduation project (never exempted)" }
programme_code = "P-DQ"
course_code = "C-199"
accepts = { kinds = ["course_credit"], course_code = "EXT-9" }
window = { from = 2024-01-01 }
"#;

fn operator(t: &TestApp) -> Actor {
    Actor {
        role: Role::InstitutionOperator,
        institution: Some(t.institution.id.clone()),
        ..Actor::system()
    }
}

/// The learner enrolled with the institution, the programme, two accepted outcomes of the learner (EXT-2 and EXT-9), and the learner
/// verified; returns the learner's account.
async fn setup(t: &TestApp) -> AccountId {
    // The institution enrols the registered learner: a member, for the cohort audit.
    t.app
        .open_account(
            &operator(t),
            lifelong_app::OpenAccountInput {
                name: "王芳".into(),
                id_number: id_number("19800101", 1),
                mobile: None,
                guardian_name: None,
            },
            lifelong_core::Lang::Zh,
        )
        .await
        .unwrap();
    let catalog = CATALOG.replace("{CREDIT_CODE}", t.institution.credit_code.as_str());
    t.app
        .import_catalog(&Actor::system_as(Role::Reviewer), &catalog)
        .await
        .unwrap();
    for code in ["EXT-2", "EXT-9"] {
        let input = DepositInput {
            id_number: id_number("19800101", 1),
            external_id: Some(code.into()),
            outcome: OutcomeInput {
                title: format!("外校课程{code}"),
                kind: "course_credit".into(),
                completed_on: "2025-06-30".into(),
                credits: Some("4".into()),
                level: Some("5".into()),
                course_code: Some(code.into()),
                ..Default::default()
            },
        };
        let outcome = match t.app.deposit_outcome(&operator(t), &input).await.unwrap() {
            lifelong_app::bank::Deposited::Created(o)
            | lifelong_app::bank::Deposited::Existing(o) => o,
        };
        t.app
            .decide_outcome(
                &Actor::system_as(Role::Reviewer),
                &outcome.id,
                outcome.version,
                ReviewAction::Accept,
                "",
            )
            .await
            .unwrap();
    }
    let user = t
        .app
        .store
        .user_by_login(&t.app.login_key("13800138000"))
        .await
        .unwrap()
        .unwrap();
    let account = user.account_id.unwrap();
    t.app
        .verify_account(&Actor::system_as(Role::Reviewer), &account)
        .await
        .unwrap();
    account
}

async fn applications(t: &TestApp, account: &AccountId) -> Vec<ConversionApplication> {
    t.app
        .store
        .conversion_applications_of(account, Some("P-DQ"))
        .await
        .unwrap()
}

#[tokio::test]
async fn r16_r19_r20_learner_applies_institution_decides_learner_sees_exempt_in_the_archive() {
    let t = TestApp::sqlite().await;
    let account = setup(&t).await;
    let learner = t.session_of(Role::Learner).await;

    let list = t.get("/me/conversion", Some(&learner)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("/me/conversion/P-DQ"));
    let preview = t.get("/me/conversion/P-DQ", Some(&learner)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("电子技术（C-102）"),
        "a convertible course"
    );
    assert!(preview.body.contains("CR-DQ-02"), "the rule cited");
    assert!(
        preview.body.contains("一律不能免修"),
        "R19: the capstone refusal in plain words"
    );
    assert!(preview.body.contains("已用"), "the cap usage");
    let what_if = t
        .get(
            "/me/conversion/P-DQ?what_if=1&kind=course_credit&course_code=EXT-2&credits=4&level=5",
            Some(&learner),
        )
        .await;
    assert_eq!(what_if.status, StatusCode::OK);
    assert!(what_if.body.contains("what-if-result"));

    let outcomes = t.app.store.outcomes_of(&account).await.unwrap();
    let ext2 = outcomes
        .iter()
        .find(|o| o.outcome.course_code.as_deref() == Some("EXT-2"))
        .unwrap();
    let pair = format!("{}|C-102", ext2.id);
    let applied = t
        .post_form(
            "/me/conversion/P-DQ/apply",
            Some(&learner),
            &[("pair", pair.as_str())],
        )
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    let twice = t
        .post_form(
            "/me/conversion/P-DQ/apply",
            Some(&learner),
            &[("pair", pair.as_str())],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "one open application");
    let application = applications(&t, &account).await.remove(0);
    let case_path = format!("/console/conversions/{}", application.id);

    // Another institution's staff finds nothing.
    t.app
        .create_user(
            &Actor::system(),
            UserInput {
                login: "other-operator".into(),
                display_name: "other".into(),
                role: "institution_operator".into(),
                institution_id: Some(t.other_institution.id.to_string()),
                password: Some(PASSWORD.into()),
                active: None,
            },
        )
        .await
        .unwrap();
    let stranger = t.sign_in("other-operator").await;
    assert_eq!(
        t.get(&case_path, Some(&stranger)).await.status,
        StatusCode::NOT_FOUND
    );
    let version = application.version.to_string();
    let sneaky = t
        .post_form(
            &format!("{case_path}/decide"),
            Some(&stranger),
            &[("version", version.as_str()), ("accept", pair.as_str())],
        )
        .await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND);

    let staff = t.session_of(Role::InstitutionOperator).await;
    let queue = t.get("/console/conversions", Some(&staff)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&case_path));
    let case = t.get(&case_path, Some(&staff)).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.body.contains("CR-DQ-02"));
    let decided = t
        .post_form(
            &format!("{case_path}/decide"),
            Some(&staff),
            &[("version", version.as_str()), ("accept", pair.as_str())],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let late = t
        .post_form(
            &format!("{case_path}/decide"),
            Some(&staff),
            &[("version", version.as_str()), ("accept", pair.as_str())],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "already decided");

    let archive = t.get("/me/archive", Some(&learner)).await;
    assert_eq!(archive.status, StatusCode::OK);
    assert!(
        archive.body.contains("免考"),
        "the exemption in the archive"
    );
    let after = t.get("/me/conversion/P-DQ", Some(&learner)).await;
    assert!(
        after.body.contains("application-"),
        "the application listed"
    );
    let cohort = t
        .get("/console/conversions/cohort/P-DQ?format=csv", Some(&staff))
        .await;
    assert_eq!(cohort.status, StatusCode::OK);
    assert!(cohort.body.contains("王芳"));
    assert!(t
        .app
        .store
        .verify_archive()
        .await
        .unwrap()
        .broken
        .is_empty());
}

#[tokio::test]
async fn r16_the_api_decides_once_and_the_second_decision_is_409() {
    let t = TestApp::sqlite().await;
    let account = setup(&t).await;
    let learner = Actor {
        role: Role::Learner,
        account: Some(account.clone()),
        ..Actor::system()
    };
    let application = t
        .app
        .apply_for_conversion(&learner, "P-DQ", None)
        .await
        .unwrap();
    let token = t.token_of(&t.institution.id).await;
    let list = t
        .api(
            "GET",
            "/api/v1/conversions?status=pending",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["items"][0]["id"], application.id.to_string());
    let path = format!("/api/v1/conversions/{}", application.id);
    let read = t.api("GET", &path, Some(&token), None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.json()["current"]["pairs"][0]["accepted"], true);
    let other = t.token_of(&t.other_institution.id).await;
    assert_eq!(
        t.api("GET", &path, Some(&other), None).await.status,
        StatusCode::NOT_FOUND
    );

    let pair = &application.requested[0];
    let body = json!({
        "version": application.version,
        "accept": [{"outcome_id": pair.outcome_id, "course_code": pair.course_code}],
        "reason": ""
    });
    let decided = t
        .api(
            "POST",
            &format!("{path}/decide"),
            Some(&token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json()["status"], "decided");
    assert_eq!(decided.json()["decision"]["pairs"][0]["accepted"], true);
    let again = t
        .api("POST", &format!("{path}/decide"), Some(&token), Some(body))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "already_decided");

    let audit = t
        .api("GET", "/api/v1/programmes/P-DQ/audit", Some(&token), None)
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    assert_eq!(audit.json()["items"][0]["converted"], "4");
    assert_eq!(
        t.api("GET", "/api/v1/programmes/P-DQ/audit", Some(&other), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

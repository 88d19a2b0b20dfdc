//! Outcomes through the API and the pages: deposits (R7, R15) idempotent by record id, the
//! reviewer's queue with one winner, the learner's archive and downloads (R9), recognition
//! certificates and their public check (R16, R23).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use lifelong_app::Actor;
use lifelong_core::role::Role;
use serde_json::json;

use crate::support::{id_number, TestApp};

const CATALOG: &str = r#"
[[units]]
code = "U-V-D-0104"
title = { zh = "电工（四级/中级工）", en = "Electrician (level 4)" }
level = 4
credits = "4"
category = "vocational"
industry = "D"
criteria = { zh = "持有电工四级及以上证书", en = "Holds a level 4 certificate or higher" }
window = { from = 2024-01-01 }

[[standards]]
code = "RS-ELEC-4"
title = { zh = "电工四级证书认定", en = "Electrician level 4" }
unit_code = "U-V-D-0104"
window = { from = 2024-01-01 }
criteria = { kinds = ["skill_certificate"], certificate_code = "6-31-01-03", certificate_level_at_least = 4 }
"#;

fn certificate(external: &str) -> serde_json::Value {
    json!({
        "id_number": id_number("19800101", 1),
        "external_id": external,
        "title": "电工（四级）",
        "kind": "skill_certificate",
        "completed_on": "2025-06-30",
        "certificate_code": "6-31-01-03",
        "certificate_level": 4
    })
}

async fn pending_deposit(app: &TestApp, token: &str, external: &str) -> serde_json::Value {
    let answer = app
        .api(
            "POST",
            "/api/v1/outcomes",
            Some(token),
            Some(certificate(external)),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.json()
}

#[tokio::test]
async fn r15_api_deposits_are_idempotent_by_record_id_and_refuse_unknown_learners() {
    let app = TestApp::sqlite().await;
    let token = app.token_of(&app.institution.id).await;
    let first = pending_deposit(&app, &token, "CERT-1").await;
    assert_eq!(first["created"], true);
    assert_eq!(
        first["outcome"]["status"], "pending",
        "an untrusted institution's deposit waits"
    );
    assert!(first["outcome"]["due_on"].is_string());

    let again = app
        .api(
            "POST",
            "/api/v1/outcomes",
            Some(&token),
            Some(certificate("CERT-1")),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["created"], false);
    assert_eq!(again.json()["outcome"]["id"], first["outcome"]["id"]);

    let mut stranger = certificate("CERT-2");
    stranger["id_number"] = json!(id_number("19900101", 7));
    let refused = app
        .api("POST", "/api/v1/outcomes", Some(&token), Some(stranger))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["code"], "unknown_learner");

    let bad = app
        .api(
            "POST",
            "/api/v1/outcomes",
            Some(&token),
            Some(
                json!({"id_number": "123", "title": "", "kind": "x", "completed_on": "2099-01-01"}),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        fields.contains(&"id_number".to_owned()) && fields.contains(&"completed_on".to_owned()),
        "{fields:?}"
    );

    let id = first["outcome"]["id"].as_str().unwrap();
    let read = app
        .api("GET", &format!("/api/v1/outcomes/{id}"), Some(&token), None)
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["outcome"]["certificate_code"], "6-31-01-03");
    let other = app.token_of(&app.other_institution.id).await;
    let hidden = app
        .api("GET", &format!("/api/v1/outcomes/{id}"), Some(&other), None)
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::NOT_FOUND,
        "another institution's outcome is not found"
    );
}

#[tokio::test]
async fn bulk_deposits_through_the_api_are_checked_then_committed_once() {
    let app = TestApp::sqlite().await;
    let token = app.token_of(&app.institution.id).await;
    let csv = format!(
        "身份证号码,机构记录编号,成果名称,成果类型,完成日期,学时\n{},B-1,智能手机应用,community_course,2025-03-01,12\n",
        id_number("19800101", 1)
    );
    let request = |uri: &str, body: String| {
        Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::from(body))
            .unwrap()
    };
    let dry = app
        .send(request("/api/v1/outcomes/bulk", csv.clone()))
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(dry.json()["to_deposit"], 1);
    let upload = dry.json()["upload_id"].as_str().unwrap().to_owned();
    let commit = app
        .api(
            "POST",
            &format!("/api/v1/outcomes/uploads/{upload}/commit"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(commit.status, StatusCode::CREATED, "{}", commit.body);
    assert_eq!(commit.json()["outcome"]["created"], 1);
    let twice = app
        .api(
            "POST",
            &format!("/api/v1/outcomes/uploads/{upload}/commit"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let bad = format!(
        "{csv}{},B-1,重复,community_course,2025-03-01,12\n",
        id_number("19800101", 1)
    );
    let refused = app
        .send(request("/api/v1/outcomes/bulk?dry_run=false", bad))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["code"], "file_has_row_errors");
    assert_eq!(
        refused.json()["error"]["report"]["errors"][0]["code"],
        "duplicate_in_file"
    );
}

#[tokio::test]
async fn r15_r16_the_reviewer_accepts_once_and_the_learner_sees_the_recognition() {
    let app = TestApp::sqlite().await;
    app.app
        .import_catalog(&Actor::system_as(Role::Reviewer), CATALOG)
        .await
        .unwrap();
    let token = app.token_of(&app.institution.id).await;
    let deposited = pending_deposit(&app, &token, "CERT-9").await;
    let id = deposited["outcome"]["id"].as_str().unwrap();

    let reviewer = app.session_of(Role::Reviewer).await;
    let queue = app.get("/review/outcomes", Some(&reviewer)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("电工（四级）"));
    let case = app
        .get(&format!("/review/outcomes/{id}"), Some(&reviewer))
        .await;
    assert!(
        case.body.contains("U-V-D-0104"),
        "the recognition preview names the unit"
    );
    let needs_reason = app
        .post_form(
            &format!("/review/outcomes/{id}/decide"),
            Some(&reviewer),
            &[("action", "reject"), ("note", ""), ("version", "1")],
        )
        .await;
    assert_eq!(needs_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let accepted = app
        .post_form(
            &format!("/review/outcomes/{id}/decide"),
            Some(&reviewer),
            &[("action", "accept"), ("note", ""), ("version", "1")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let late = app
        .post_form(
            &format!("/review/outcomes/{id}/decide"),
            Some(&reviewer),
            &[
                ("action", "reject"),
                ("note", "迟到的结论"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(
        late.body.contains("其他审核员"),
        "the second reviewer is told"
    );

    let learner = app.session_of(Role::Learner).await;
    let archive = app.get("/me/archive", Some(&learner)).await;
    assert_eq!(archive.status, StatusCode::OK);
    assert!(archive.body.contains("电工（四级）"));
    assert!(archive.body.contains("id=\"credits-vocational\""));
    let csv = app.get("/me/archive.csv", Some(&learner)).await;
    assert!(csv.body.contains("电工（四级）") && csv.body.contains("U-V-D-0104"));
    let export = app.get("/me/archive.json", Some(&learner)).await;
    let entries = export.json()["entries"].as_array().unwrap().len();
    assert_eq!(entries, 2, "the outcome and its recognition");
    let filtered = app
        .get("/me/archive?type=recognition", Some(&learner))
        .await;
    assert!(!filtered.body.contains("id=\"entry-1\"") && filtered.body.contains("id=\"entry-2\""));

    let number = export.json()["entries"][1]["body"]["certificate_no"]
        .as_str()
        .unwrap()
        .to_owned();
    let recognition = export.json()["entries"][1]["body"]["recognition_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = app
        .get(&format!("/recognitions/{recognition}"), Some(&learner))
        .await;
    assert!(page.body.contains(&number) && page.body.contains("王芳"));
    let public = app
        .get(&format!("/verify/recognition?no={number}"), None)
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public.body.contains("王*") && !public.body.contains("王芳"),
        "the holder is masked"
    );
    let unknown = app
        .get("/verify/recognition?no=SHCB-2026-0000000000", None)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let nosy = app
        .get(
            &format!("/recognitions/{recognition}"),
            Some(&app.session_of(Role::InstitutionOperator).await),
        )
        .await;
    assert_eq!(nosy.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_console_deposit_form_shows_every_error_and_deposits() {
    let app = TestApp::sqlite().await;
    let operator = app.session_of(Role::InstitutionOperator).await;
    let page = app.get("/console/outcomes", Some(&operator)).await;
    assert_eq!(page.status, StatusCode::OK);
    let bad = app
        .post_form(
            "/console/outcomes",
            Some(&operator),
            &[
                ("id_number", "310"),
                ("title", ""),
                ("kind", "skill_certificate"),
                ("completed_on", "2025-13-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"completed_on-error\"") && bad.body.contains("id=\"title-error\"")
    );
    let learner_id = id_number("19800101", 1);
    let good = app
        .post_form(
            "/console/outcomes",
            Some(&operator),
            &[
                ("id_number", learner_id.as_str()),
                ("external_id", "F-1"),
                ("title", "插花艺术"),
                ("kind", "community_course"),
                ("completed_on", "2025-04-01"),
                ("hours", "12"),
                ("passed", "true"),
            ],
        )
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER);
    assert_eq!(good.location(), "/console/outcomes?done=pending");
    let template = app
        .get("/console/outcomes/template.csv", Some(&operator))
        .await;
    assert!(template.body.contains("机构记录编号"));
    let learner = app.session_of(Role::Learner).await;
    let archive = app.get("/me/archive", Some(&learner)).await;
    assert!(archive.body.contains("插花艺术"), "listed as under review");
}

#[tokio::test]
async fn r8_a_revocation_is_a_new_entry_and_the_credits_and_certificate_stop_counting() {
    let app = TestApp::sqlite().await;
    app.app
        .import_catalog(&Actor::system_as(Role::Reviewer), CATALOG)
        .await
        .unwrap();
    let token = app.token_of(&app.institution.id).await;
    let deposited = pending_deposit(&app, &token, "CERT-R").await;
    let id = deposited["outcome"]["id"].as_str().unwrap();
    let reviewer = app.session_of(Role::Reviewer).await;
    let accepted = app
        .post_form(
            &format!("/review/outcomes/{id}/decide"),
            Some(&reviewer),
            &[("action", "accept"), ("note", ""), ("version", "1")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let learner = app.session_of(Role::Learner).await;
    let before = app.get("/me/archive.json", Some(&learner)).await.json();
    let number = before["entries"][1]["body"]["certificate_no"]
        .as_str()
        .unwrap()
        .to_owned();

    let no_reason = app
        .post_form(
            &format!("/review/outcomes/{id}/revoke"),
            Some(&reviewer),
            &[("note", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let revoked = app
        .post_form(
            &format!("/review/outcomes/{id}/revoke"),
            Some(&reviewer),
            &[("note", "证书经核查系伪造")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let twice = app
        .post_form(
            &format!("/review/outcomes/{id}/revoke"),
            Some(&reviewer),
            &[("note", "再次撤销")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let after = app.get("/me/archive.json", Some(&learner)).await.json();
    let entries = after["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        4,
        "two entries kept, two revocations appended"
    );
    assert_eq!(entries[2]["kind"], "revocation");
    assert_eq!(entries[2]["reverses"], before["entries"][0]["id"]);
    assert_eq!(entries[3]["reverses"], before["entries"][1]["id"]);
    assert_eq!(
        after["credits"][1]["credits"], "0",
        "vocational credits no longer count"
    );
    let check = app
        .get(&format!("/verify/recognition?no={number}"), None)
        .await;
    assert!(check.body.contains("id=\"check-revoked\""));
    assert!(app
        .app
        .verify_archive(&Actor::system())
        .await
        .unwrap()
        .broken
        .is_empty());
}

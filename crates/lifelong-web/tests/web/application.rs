//! A learner's application for recognition with evidence (R6, R15): only verified accounts
//! apply; evidence must be what it claims; the reviewer asks for more; the learner adds it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use lifelong_app::Actor;
use lifelong_core::role::Role;

use crate::support::{TestApp, CSRF};

const BOUNDARY: &str = "----lifelong-test-boundary";

/// A multipart form: text fields, then files as (name, content type, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"csrf\"".into(),
        CSRF.as_bytes(),
    );
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (file, content_type, bytes) in files {
        part(format!("Content-Disposition: form-data; name=\"evidence\"; filename=\"{file}\"\r\nContent-Type: {content_type}"), bytes);
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post(app: &TestApp, path: &str, session: &str, body: Vec<u8>) -> crate::support::Answer {
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"))
        .header(header::ACCEPT_LANGUAGE, "zh-CN")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake image bytes";
const FIELDS: &[(&str, &str)] = &[
    ("title", "茶艺师（四级）"),
    ("kind", "skill_certificate"),
    ("completed_on", "2025-09-01"),
    ("certificate_code", "4-03-02-07"),
    ("certificate_level", "4"),
];

#[tokio::test]
async fn r6_r15_a_verified_learner_applies_with_evidence_and_adds_more_when_asked() {
    let app = TestApp::sqlite().await;
    let learner = app.session_of(Role::Learner).await;
    let form = app.get("/me/apply", Some(&learner)).await;
    assert_eq!(form.status, StatusCode::OK);

    let unverified = post(
        &app,
        "/me/apply",
        &learner,
        multipart(FIELDS, &[("证书.png", "image/png", PNG)]),
    )
    .await;
    assert_eq!(
        unverified.status,
        StatusCode::CONFLICT,
        "R6: only a verified account may apply"
    );

    let user = app
        .app
        .store
        .user_by_login(&app.app.login_key("13800138000"))
        .await
        .unwrap()
        .unwrap();
    let account = user.account_id.unwrap();
    app.app
        .verify_account(&Actor::system_as(Role::Reviewer), &account)
        .await
        .unwrap();

    let disguised = post(
        &app,
        "/me/apply",
        &learner,
        multipart(
            FIELDS,
            &[("证书.pdf", "application/pdf", b"MZ\x90\x00 an executable")],
        ),
    )
    .await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disguised.body.contains("不是 PDF、JPG 或 PNG"));
    let renamed = post(
        &app,
        "/me/apply",
        &learner,
        multipart(FIELDS, &[("证书.pdf", "application/pdf", PNG)]),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(renamed.body.contains("内容与其名称或类型不符"));
    let none = post(&app, "/me/apply", &learner, multipart(FIELDS, &[])).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.app
            .review_queue(
                &Actor::system_as(Role::Reviewer),
                false,
                &lifelong_store::Cursor::first()
            )
            .await
            .unwrap()
            .items
            .is_empty(),
        "nothing was written"
    );

    let ok = post(
        &app,
        "/me/apply",
        &learner,
        multipart(FIELDS, &[("证书.png", "image/png", PNG)]),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let status_page = ok.location().split('?').next().unwrap().to_owned();
    let page = app.get(&status_page, Some(&learner)).await;
    assert!(page.body.contains("待审核") && page.body.contains("证书.png"));

    let reviewer = app.session_of(Role::Reviewer).await;
    let id = status_page.rsplit('/').next().unwrap();
    let case = app
        .get(&format!("/review/outcomes/{id}"), Some(&reviewer))
        .await;
    assert!(case.body.contains("证书.png"));
    let evidence_link = case
        .body
        .split("/review/evidence/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let download = app
        .get(
            &format!("/review/evidence/{evidence_link}"),
            Some(&reviewer),
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers[header::CONTENT_TYPE], "image/png");
    assert!(
        download.body.ends_with("IHDR fake image bytes"),
        "the evidence comes back as it was uploaded"
    );
    let asked = app
        .post_form(
            &format!("/review/outcomes/{id}/decide"),
            Some(&reviewer),
            &[
                ("action", "request_evidence"),
                ("note", "请上传证书背面"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = app.get(&status_page, Some(&learner)).await;
    assert!(page.body.contains("请上传证书背面") && page.body.contains("待补充材料"));
    let added = post(
        &app,
        &format!("{status_page}/evidence"),
        &learner,
        multipart(&[], &[("背面.png", "image/png", PNG)]),
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = app.get(&status_page, Some(&learner)).await;
    assert!(
        page.body.contains("背面.png") && page.body.contains("待审核"),
        "back in the queue"
    );
    let other = app.session_of(Role::InstitutionOperator).await;
    assert_ne!(
        app.get(&status_page, Some(&other)).await.status,
        StatusCode::OK
    );
}

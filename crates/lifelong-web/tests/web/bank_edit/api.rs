//! The API's catalog writes: institution tokens never write the bank's catalog, but may keep
//! their own programmes.

use axum::http::StatusCode;
use serde_json::json;

use super::programme;
use crate::support::{credit_code, TestApp};

#[tokio::test]
async fn api_catalog_writes_are_refused_to_institution_tokens_except_their_own_programmes() {
    let t = TestApp::sqlite().await;
    programme(&t).await;
    let token = t.token_of(&t.institution.id).await;
    let unit = json!({
        "code": "U-API-1", "title": {"zh": "单元", "en": "Unit"}, "level": 3, "credits": "2",
        "category": "vocational", "criteria": {"zh": "要求", "en": "Criteria"},
        "status": "draft", "window": {"from": "2026-01-01"}
    });
    for (method, path, body) in [
        ("POST", "/api/v1/units", unit.clone()),
        ("POST", "/api/v1/standards", json!({})),
        ("POST", "/api/v1/rules", json!({})),
        ("PUT", "/api/v1/framework", json!({})),
    ] {
        let answer = t.api(method, path, Some(&token), Some(body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(answer.json()["error"]["code"], "forbidden");
    }
    assert!(t.app.units(None).await.unwrap().is_empty());

    let own = |institution: &str, title: &str| {
        json!({
            "code": "P-EL", "institution": institution,
            "title": {"zh": title, "en": "Electrical technology"}, "level": 6, "award_credits": "60",
            "courses": [{"code": "C-101", "title": {"zh": "电工基础", "en": "Basics"}, "credits": "4", "level": 4, "compulsory": true}]
        })
    };
    let code = t.institution.credit_code.as_str().to_owned();
    let answer = t
        .api(
            "PUT",
            "/api/v1/programmes/P-EL",
            Some(&token),
            Some(own(&code, "电气技术（新）")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let p = t.app.programme("P-EL").await.unwrap().programme;
    assert_eq!(p.title.zh, "电气技术（新）");
    assert_eq!(p.courses.len(), 1);

    // Another institution may neither change it nor claim it.
    let other = t.token_of(&t.other_institution.id).await;
    let other_code = t.other_institution.credit_code.as_str().to_owned();
    for body in [own(&code, "改名"), own(&other_code, "改名")] {
        let answer = t
            .api("PUT", "/api/v1/programmes/P-EL", Some(&other), Some(body))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    }
    // Nor may a school file a programme under a third school's name.
    let answer = t
        .api(
            "PUT",
            "/api/v1/programmes/P-EL",
            Some(&token),
            Some(own(&credit_code(3), "x")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // The path and the body must name the same programme.
    let answer = t
        .api(
            "PUT",
            "/api/v1/programmes/P-OTHER",
            Some(&token),
            Some(own(&code, "x")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.app.programme("P-EL").await.unwrap().programme.title.zh,
        "电气技术（新）"
    );
    let doc = t.api("GET", "/api/v1/openapi.json", None, None).await;
    assert!(doc.json()["paths"]["/api/v1/programmes/{code}"]["put"].is_object());
}

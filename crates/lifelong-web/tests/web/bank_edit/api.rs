//! The API's catalog: institution tokens never write or publish the bank's catalog, but may
//! keep their own programmes, and read the level mappings.

use axum::http::StatusCode;
use lifelong_core::publication::PublicationStatus;
use lifelong_core::role::Role;
use serde_json::json;

use super::{programme, unit_fields};
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

#[tokio::test]
async fn api_publishing_is_refused_to_institution_tokens_and_documented() {
    let t = TestApp::sqlite().await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let saved = t
        .post_form(
            "/bank/units",
            Some(&reviewer),
            &unit_fields("new", "1", "2"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let token = t.token_of(&t.institution.id).await;
    let window = json!({"from": "2026-01-01"});
    for path in [
        "/api/v1/units/U-T-0001/1/publish",
        "/api/v1/standards/RS-T-1/1/publish",
        "/api/v1/rules/CR-T-1/1/publish",
    ] {
        let answer = t
            .api("POST", path, Some(&token), Some(window.clone()))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            answer.body
        );
        assert_eq!(answer.json()["error"]["code"], "forbidden");
        // Refused before the body is read: a body that is no window is refused the same way.
        let answer = t.api("POST", path, Some(&token), Some(json!([]))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        let answer = t.api("POST", path, None, Some(window.clone())).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let units = t.app.units(Some("U-T-0001")).await.unwrap();
    assert_eq!(
        units[0].status,
        PublicationStatus::Draft,
        "nothing published"
    );

    let doc = t
        .api("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    for path in [
        "/api/v1/units/{code}/{version}/publish",
        "/api/v1/standards/{code}/{version}/publish",
        "/api/v1/rules/{code}/{version}/publish",
    ] {
        let post = &doc["paths"][path]["post"];
        assert!(post.is_object(), "{path} is documented");
        assert!(post["responses"]["409"].is_object(), "{path}: not_a_draft");
    }
    assert!(doc["components"]["schemas"]["PublishRequest"].is_object());
}

#[tokio::test]
async fn r12_the_api_lists_level_mappings_read_only() {
    let t = TestApp::sqlite().await;
    t.app.seed_defaults().await.unwrap();
    let token = t.token_of(&t.institution.id).await;
    let answer = t
        .api("GET", "/api/v1/framework/mappings", Some(&token), None)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let items = answer.json()["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(2));
    assert_eq!(items[0]["from_framework"], "EQF");
    assert_eq!(items[0]["to_framework"], "SH-LLF");
    assert_eq!(
        items[0]["from_name"]["en"],
        "European Qualifications Framework"
    );
    assert_eq!(items[0]["pairs"][7], json!([8, 10]));
    assert_eq!(items[1]["from_framework"], "GD-QF");

    let refused = t
        .api(
            "PUT",
            "/api/v1/framework/mappings",
            Some(&token),
            Some(items[0].clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    let anonymous = t.api("GET", "/api/v1/framework/mappings", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let doc = t
        .api("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert!(doc["paths"]["/api/v1/framework/mappings"]["get"].is_object());
}

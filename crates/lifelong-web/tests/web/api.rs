//! The JSON API: opening accounts, errors, idempotency, bulk files, scoping of tokens.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{id_number, TestApp};

async fn open_and_list(t: &TestApp) {
    let token = t.token_of(&t.institution.id).await;
    let body =
        json!({ "name": "李四", "id_number": id_number("19900505", 7), "mobile": "13900001111" });
    let created = t
        .api("POST", "/api/v1/accounts", Some(&token), Some(body.clone()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let v = created.json();
    assert_eq!(v["created"], true);
    let full = id_number("19900505", 7);
    assert_eq!(
        v["account"]["id_number_masked"],
        format!("310***********{}", &full[14..]),
        "R3: first 3 and last 4"
    );
    assert_eq!(v["account"]["status"], "registered");
    assert!(
        !created.body.contains(&id_number("19900505", 7)),
        "no full ID number in answers"
    );

    // The same person again: one person, one account (R5).
    let again = t
        .api("POST", "/api/v1/accounts", Some(&token), Some(body))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["created"], false);
    assert_eq!(again.json()["account"]["id"], v["account"]["id"]);

    let list = t
        .api("GET", "/api/v1/accounts?limit=1", Some(&token), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1);
    let one = t
        .api(
            "GET",
            &format!("/api/v1/accounts/{}", v["account"]["id"].as_str().unwrap()),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);

    // Another institution's token cannot see it.
    let other = t.token_of(&t.other_institution.id).await;
    let hidden = t
        .api(
            "GET",
            &format!("/api/v1/accounts/{}", v["account"]["id"].as_str().unwrap()),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn r5_api_opens_accounts_once_per_person_sqlite() {
    open_and_list(&TestApp::sqlite().await).await;
}

#[tokio::test]
async fn r5_api_opens_accounts_once_per_person_postgres() {
    if let Some(t) = TestApp::postgres().await {
        open_and_list(&t).await;
    }
}

#[tokio::test]
async fn r1_bad_input_gets_a_clear_error_in_the_requested_language() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let bad = t
        .api(
            "POST",
            "/api/v1/accounts",
            Some(&token),
            Some(json!({ "name": "李四", "id_number": "340524198001010013" })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = bad.json();
    assert_eq!(v["error"]["code"], "id_number_checksum");
    assert_eq!(v["error"]["fields"][0]["field"], "id_number");
    assert!(
        v["error"]["message"].as_str().unwrap().is_ascii(),
        "English for Accept-Language: en"
    );

    let mut zh = axum::http::Request::post("/api/v1/accounts")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("accept-language", "zh-CN,zh;q=0.9");
    zh = zh.header("x-request-id", "req-42");
    let answer = t
        .send(
            zh.body(axum::body::Body::from(
                json!({ "name": "李四", "id_number": "19991301" }).to_string(),
            ))
            .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .is_ascii(),
        "Chinese for zh"
    );
    assert_eq!(
        answer.headers.get("x-request-id").unwrap(),
        "req-42",
        "request ids are kept"
    );

    let future = t
        .api(
            "POST",
            "/api/v1/accounts",
            Some(&token),
            Some(json!({ "name": "李四", "id_number": id_number("20991231", 1) })),
        )
        .await;
    assert_eq!(
        future.json()["error"]["code"],
        "id_number_future_birth_date"
    );

    let malformed = t
        .send(
            axum::http::Request::post("/api/v1/accounts")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"]["code"], "json_invalid");

    let unknown_field = t
        .api(
            "POST",
            "/api/v1/accounts",
            Some(&token),
            Some(json!({ "name": "李四", "id_number": id_number("19900101", 2), "id": 1 })),
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_field.json()["error"]["code"], "json_fields_invalid");

    let no_token = t.api("GET", "/api/v1/accounts", None, None).await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.headers.get("www-authenticate").unwrap(), "Bearer");
    let wrong = t
        .api("GET", "/api/v1/accounts", Some("ll_not-a-real-token"), None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn idempotency_key_replays_and_refuses_reuse() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let send = |body: serde_json::Value, key: &str| {
        axum::http::Request::post("/api/v1/accounts")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("idempotency-key", key.to_owned())
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let body = json!({ "name": "赵六", "id_number": id_number("19750303", 9) });
    let first = t.send(send(body.clone(), "k-1")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = t.send(send(body.clone(), "k-1")).await;
    assert_eq!(
        second.status,
        StatusCode::CREATED,
        "the first answer is replayed"
    );
    assert_eq!(second.body, first.body);
    assert_eq!(second.headers.get("idempotent-replayed").unwrap(), "true");
    let other = t
        .send(send(
            json!({ "name": "赵六", "id_number": id_number("19750303", 10) }),
            "k-1",
        ))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.json()["error"]["code"], "idempotency_key_reused");
    // Errors are replayed too, and a refused request wrote nothing.
    let bad = json!({ "name": "赵六", "id_number": "bad" });
    let e1 = t.send(send(bad.clone(), "k-2")).await;
    let e2 = t.send(send(bad, "k-2")).await;
    assert_eq!(e1.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e1.body, e2.body);
}

fn csv(rows: &[(&str, String)]) -> String {
    let mut out = String::from("姓名,身份证号码,手机号码\n");
    for (name, id) in rows {
        out.push_str(&format!("{name},{id},\n"));
    }
    out
}

async fn bulk(t: &TestApp, token: &str, query: &str, body: Vec<u8>) -> crate::support::Answer {
    t.send(
        axum::http::Request::post(format!("/api/v1/accounts/bulk{query}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/csv")
            .header("accept-language", "en")
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

async fn bulk_journey(t: &TestApp) {
    let token = t.token_of(&t.institution.id).await;
    // Mixed good and bad rows: a row error opens nothing.
    let mixed = csv(&[
        ("甲", id_number("19600101", 11)),
        ("乙", "110105194912310021".into()),
        ("丙", id_number("19600101", 11)),
    ]);
    let report = bulk(
        t,
        &token,
        "?dry_run=true&file_name=mixed.csv",
        mixed.clone().into_bytes(),
    )
    .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = report.json();
    assert_eq!(v["error_count"], 2);
    assert_eq!(v["errors"][0]["row"], 3);
    assert_eq!(v["errors"][0]["column"], "id_number");
    assert_eq!(v["errors"][1]["code"], "duplicate_in_file");
    assert!(v["upload_id"].is_null());
    let commit_now = bulk(t, &token, "?dry_run=false", mixed.into_bytes()).await;
    assert_eq!(commit_now.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(commit_now.json()["error"]["code"], "file_has_row_errors");

    let good = csv(&[
        ("甲", id_number("19600101", 11)),
        ("乙", id_number("19600101", 12)),
        ("丙", id_number("19600101", 13)),
    ]);
    let dry = bulk(t, &token, "", good.clone().into_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let upload = dry.json()["upload_id"].as_str().unwrap().to_owned();
    assert_eq!(dry.json()["to_create"], 3);
    let before = t
        .api("GET", "/api/v1/accounts?limit=500", Some(&token), None)
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, 0, "a dry run writes no account");
    let done = t
        .api(
            "POST",
            &format!("/api/v1/uploads/{upload}/commit"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(done.json()["outcome"]["created"], 3);
    let twice = t
        .api(
            "POST",
            &format!("/api/v1/uploads/{upload}/commit"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "upload_already_committed");
    // Re-uploading the same file creates nothing twice.
    let again = bulk(t, &token, "?dry_run=false", good.into_bytes()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json()["outcome"]["created"], 0);
    assert_eq!(again.json()["outcome"]["unchanged"], 3);
    // Another institution cannot confirm this one's upload.
    let other = t.token_of(&t.other_institution.id).await;
    let foreign = t
        .api(
            "POST",
            &format!("/api/v1/uploads/{upload}/commit"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bulk_files_are_all_or_nothing_and_never_twice_sqlite() {
    bulk_journey(&TestApp::sqlite().await).await;
}

#[tokio::test]
async fn bulk_files_are_all_or_nothing_and_never_twice_postgres() {
    if let Some(t) = TestApp::postgres().await {
        bulk_journey(&t).await;
    }
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "file_empty"),
        (
            "wrong columns",
            "foo,bar\n1,2\n".as_bytes().to_vec(),
            "file_missing_header",
        ),
        (
            "missing column",
            "姓名,手机号码\n张三,13800000000\n".as_bytes().to_vec(),
            "file_missing_columns",
        ),
        (
            "binary renamed .xlsx",
            {
                let mut b = b"PK\x03\x04".to_vec();
                b.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
                b
            },
            "file_invalid_xlsx",
        ),
        (
            "binary",
            (0..4000u32).map(|i| (i * 13 % 256) as u8).collect(),
            "file_not_text",
        ),
    ];
    for (what, body, code) in cases {
        let answer = bulk(&t, &token, "", body).await;
        assert_eq!(
            answer.json()["error"]["code"],
            code,
            "{what}: {}",
            answer.body
        );
    }
    // Over the row limit (1,000 in tests; 100,000 by default).
    let mut big = String::from("姓名,身份证号码\n");
    for i in 0..1001 {
        big.push_str(&format!("张三,{}\n", id_number("19800101", i % 1000)));
    }
    let answer = bulk(&t, &token, "", big.into_bytes()).await;
    assert_eq!(answer.json()["error"]["code"], "file_too_many_rows");
}

#[tokio::test]
async fn revoked_tokens_stop_at_once_and_suspended_institutions_are_refused() {
    let t = TestApp::sqlite().await;
    let (token_record, token) = t
        .app
        .create_token(&lifelong_app::Actor::system(), &t.institution.id, "lms")
        .await
        .unwrap();
    assert_eq!(
        t.api("GET", "/api/v1/institution", Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    t.app
        .revoke_token(
            &lifelong_app::Actor::system(),
            &t.institution.id,
            &token_record.id,
        )
        .await
        .unwrap();
    assert_eq!(
        t.api("GET", "/api/v1/institution", Some(&token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let other = t.token_of(&t.other_institution.id).await;
    t.app
        .update_institution(
            &lifelong_app::Actor::system(),
            &t.other_institution.id,
            lifelong_app::InstitutionInput {
                credit_code: String::new(),
                name_zh: "静安区社区学院".into(),
                name_en: String::new(),
                kind: "community_college".into(),
                district_code: "310106".into(),
                status: Some("suspended".into()),
                trusted: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        t.api("GET", "/api/v1/institution", Some(&other), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn openapi_document_is_served_and_describes_the_routes() {
    let t = TestApp::sqlite().await;
    let doc = t.api("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let v = doc.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/accounts",
        "/api/v1/accounts/bulk",
        "/api/v1/uploads/{id}/commit",
        "/api/v1/institution",
    ] {
        assert!(v["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(v["components"]["securitySchemes"]["bearer"].is_object());
    let unknown = t.api("GET", "/api/v1/nothing-here", None, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

//! Snapshots of the API's answer shapes, with volatile fields redacted, so that a change to
//! what clients receive is always a deliberate one.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{id_number, TestApp};

#[tokio::test]
async fn error_and_account_bodies_keep_their_shape() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let invalid = t
        .api(
            "POST",
            "/api/v1/accounts",
            Some(&token),
            Some(json!({ "name": "李4", "id_number": "340524198001010013", "mobile": "12345" })),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    insta::assert_json_snapshot!("invalid_account_en", invalid.json());

    let created = t
        .api("POST", "/api/v1/accounts", Some(&token), Some(json!({ "name": "李四", "id_number": id_number("19900505", 7), "mobile": "13900001111" })))
        .await;
    insta::assert_json_snapshot!("opened_account", created.json(), {
        ".account.id" => "[id]",
        ".account.created_at" => "[time]",
    });
}

//! The console's learning-platform page and the archive's learning activity, as people use
//! them: a manager issues a credential (secret shown once) and revokes it, an operator only
//! watches, another institution cannot touch it, statements and refusals show up, and a
//! learner reads the activity a platform sent — and its voiding — in their archive.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use lifelong_app::{Actor, UserInput};
use lifelong_core::role::Role;
use serde_json::{json, Value};

use crate::support::{id_number, Answer, TestApp, PASSWORD};

/// A request to the learning record store with HTTP Basic credentials.
async fn lrs(t: &TestApp, key: &str, secret: &str, method: &str, body: Option<&Value>) -> Answer {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
    let req = Request::builder()
        .method(method)
        .uri("/xapi/statements")
        .header(header::AUTHORIZATION, format!("Basic {basic}"))
        .header("X-Experience-API-Version", "1.0.3")
        .header(header::CONTENT_TYPE, "application/json");
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    t.send(req.body(body).unwrap()).await
}

/// The text of the element with this id (`<… id="…">text<`).
fn text_of(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in the page"))
        + id.len()
        + 6;
    html[start..].split('<').next().unwrap().trim().to_owned()
}

async fn other_manager(t: &TestApp) -> String {
    t.app
        .create_user(
            &Actor::system(),
            UserInput {
                login: "manager2".into(),
                display_name: "静安管理员".into(),
                role: Role::InstitutionManager.as_str().into(),
                institution_id: Some(t.other_institution.id.to_string()),
                password: Some(PASSWORD.into()),
                active: None,
            },
        )
        .await
        .unwrap();
    t.sign_in("manager2").await
}

#[tokio::test]
async fn a_manager_issues_a_credential_and_sees_the_secret_only_once() {
    let t = TestApp::sqlite().await;
    let manager = t.session_of(Role::InstitutionManager).await;
    let console = t.get("/console", Some(&manager)).await;
    assert!(console.body.contains("href=\"/console/xapi\""));
    let page = t.get("/console/xapi", Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("学习平台接入（xAPI）"));
    assert!(page.body.contains("http://127.0.0.1:8080/xapi"));
    assert!(page.body.contains("HTTP Basic"));
    assert!(page.body.contains("action=\"/console/xapi/credentials\""));

    let empty = t
        .post_form(
            "/console/xapi/credentials",
            Some(&manager),
            &[("label", " ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("请为凭据填写"),
        "the form again, with why"
    );

    let issued = t
        .post_form(
            "/console/xapi/credentials",
            Some(&manager),
            &[("label", "校园 Moodle")],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(issued.headers[header::CACHE_CONTROL], "no-store");
    let key = text_of(&issued.body, "new-key");
    let secret = text_of(&issued.body, "new-secret");
    assert!(
        key.starts_with("lx_") && secret.len() >= 32,
        "{key} {secret}"
    );
    assert_eq!(
        lrs(&t, &key, &secret, "GET", None).await.status,
        StatusCode::OK,
        "the credential works at /xapi"
    );

    let later = t.get("/console/xapi", Some(&manager)).await;
    assert!(later.body.contains("校园 Moodle") && later.body.contains(&key));
    assert!(
        !later.body.contains(&secret) && !later.body.contains("id=\"new-secret\""),
        "the secret is never shown again"
    );
    let en = t
        .send(
            Request::get("/console/xapi")
                .header(header::COOKIE, format!("{manager}; ll_lang=en"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(en.body.contains("Learning platforms (xAPI)") && en.body.contains("Statements stored"));
}

#[tokio::test]
async fn an_operator_watches_but_cannot_issue_or_revoke() {
    let t = TestApp::sqlite().await;
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), &t.institution.id, "Moodle")
        .await
        .unwrap();
    let operator = t.session_of(Role::InstitutionOperator).await;
    let page = t.get("/console/xapi", Some(&operator)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("凭据由机构管理员管理"));
    assert!(
        !page.body.contains(&issued.credential.key),
        "no credentials listed"
    );
    assert!(!page.body.contains("action=\"/console/xapi/credentials\""));
    let issue = t
        .post_form(
            "/console/xapi/credentials",
            Some(&operator),
            &[("label", "Moodle")],
        )
        .await;
    assert_eq!(issue.status, StatusCode::FORBIDDEN);
    let revoke = t
        .post_form(
            &format!("/console/xapi/credentials/{}/revoke", issued.credential.id),
            Some(&operator),
            &[],
        )
        .await;
    assert_eq!(revoke.status, StatusCode::FORBIDDEN);
    assert_eq!(
        lrs(&t, &issued.credential.key, &issued.secret, "GET", None)
            .await
            .status,
        StatusCode::OK
    );
    let learner = t.session_of(Role::Learner).await;
    assert_eq!(
        t.get("/console/xapi", Some(&learner)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn only_the_institutions_manager_revokes_and_then_the_credential_stops_working() {
    let t = TestApp::sqlite().await;
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), &t.institution.id, "Moodle")
        .await
        .unwrap();
    let path = format!("/console/xapi/credentials/{}/revoke", issued.credential.id);
    let stranger = other_manager(&t).await;
    let theirs = t.get("/console/xapi", Some(&stranger)).await;
    assert!(!theirs.body.contains(&issued.credential.key));
    let refused = t.post_form(&path, Some(&stranger), &[]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(
        lrs(&t, &issued.credential.key, &issued.secret, "GET", None)
            .await
            .status,
        StatusCode::OK,
        "still working"
    );

    let manager = t.session_of(Role::InstitutionManager).await;
    let page = t.get("/console/xapi", Some(&manager)).await;
    assert!(page.body.contains(&format!("action=\"{path}\"")));
    assert!(page.body.contains("data-confirm="), "revoking asks first");
    let without_csrf = t
        .send(
            Request::post(path.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, manager.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);

    let revoked = t.post_form(&path, Some(&manager), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(revoked.location(), "/console/xapi?done=revoked#credentials");
    assert_eq!(
        lrs(&t, &issued.credential.key, &issued.secret, "GET", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let after = t.get("/console/xapi?done=revoked", Some(&manager)).await;
    assert!(after.body.contains("凭据已撤销。") && after.body.contains("已撤销 "));
    assert!(!after.body.contains(&format!("action=\"{path}\"")));
    let again = t.post_form(&path, Some(&manager), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("该凭据已撤销"));
}

#[tokio::test]
async fn statements_and_refusals_show_on_the_console_with_people_masked() {
    let t = TestApp::sqlite().await;
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), &t.institution.id, "网络课堂")
        .await
        .unwrap();
    let (key, secret) = (&issued.credential.key, &issued.secret);
    let statement = json!({
        "actor": { "mbox": "mailto:zhangsan@example.com", "name": "张三丰" },
        "verb": { "id": "http://adlnet.gov/expapi/verbs/attended", "display": { "en-US": "attended", "zh-CN": "参加" } },
        "object": { "id": "http://example.com/activities/tea", "definition": { "name": { "zh-CN": "茶艺入门", "en-US": "Tea basics" } } }
    });
    let stored = lrs(&t, key, secret, "POST", Some(&statement)).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let mut bad = statement.clone();
    bad["verb"]["id"] = json!("not an iri");
    let refused = lrs(&t, key, secret, "POST", Some(&bad)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let code = refused.json()["error"]["code"].as_str().unwrap().to_owned();

    let operator = t.session_of(Role::InstitutionOperator).await;
    let page = t.get("/console/xapi", Some(&operator)).await;
    assert_eq!(page.status, StatusCode::OK);
    let statements = &page.body[page.body.find("id=\"statements\"").unwrap()..];
    assert!(statements.contains("茶艺入门") && statements.contains("参加"));
    assert!(statements.contains("张*丰") && statements.contains("z*******@example.com"));
    assert!(statements.contains("网络课堂"));
    assert!(
        !page.body.contains("张三丰") && !page.body.contains("zhangsan@"),
        "people are masked"
    );
    let refusals = &page.body[page.body.find("id=\"refusals\"").unwrap()..];
    assert!(refusals.contains("<code>POST</code>") && refusals.contains("<code>statements</code>"));
    assert!(refusals.contains("<td>400</td>") && refusals.contains(&code));
    assert!(
        refusals.contains("verb.id："),
        "the refusal reads in the page's language (Chinese)"
    );

    let stranger = other_manager(&t).await;
    let theirs = t.get("/console/xapi", Some(&stranger)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        !theirs.body.contains("茶艺入门"),
        "another institution sees nothing of it"
    );
}

#[tokio::test]
async fn a_learner_reads_learning_activity_and_its_voiding_in_the_archive() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let opened = t
        .api(
            "POST",
            "/api/v1/accounts",
            Some(&token),
            Some(json!({ "name": "王芳", "id_number": id_number("19800101", 1), "mobile": "13800138000" })),
        )
        .await;
    assert!(opened.status.is_success(), "{}", opened.body);
    let account = opened.json()["account"]["id"].as_str().unwrap().to_owned();
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), &t.institution.id, "Moodle")
        .await
        .unwrap();
    let statement = json!({
        "actor": { "account": { "homePage": "https://lifelong.sh.cn", "name": account } },
        "verb": { "id": "http://adlnet.gov/expapi/verbs/passed", "display": { "en-US": "passed" } },
        "object": { "id": "http://example.com/activities/py", "definition": { "name": { "zh-CN": "Python 入门", "en-US": "Python basics" } } },
        "result": { "duration": "PT1H30M", "success": true, "score": { "scaled": 0.9 } },
        "timestamp": "2025-03-01T09:30:00Z"
    });
    let posted = lrs(
        &t,
        &issued.credential.key,
        &issued.secret,
        "POST",
        Some(&statement),
    )
    .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let id = posted.json()[0].as_str().unwrap().to_owned();

    let learner = t.session_of(Role::Learner).await;
    let archive = t.get("/me/archive", Some(&learner)).await;
    assert_eq!(archive.status, StatusCode::OK);
    let entry = &archive.body[archive.body.find("class=\"entry activity\"").unwrap()..];
    for text in [
        "学习活动",
        "Python 入门",
        "通过",
        "1.50",
        "90%",
        "Moodle",
        "2025-03-01 17:30",
    ] {
        assert!(entry.contains(text), "{text} in {entry}");
    }
    assert!(
        entry.contains("按学习时长 PT1H30M 计 1.50 小时"),
        "the rule explains it"
    );
    let en = t
        .send(
            Request::get("/me/archive")
                .header(header::COOKIE, format!("{learner}; ll_lang=en"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(en.body.contains("Learning activity") && en.body.contains(">passed<"));
    assert!(en.body.contains("1.50 hours from its duration PT1H30M"));
    let only = t.get("/me/archive?type=activity", Some(&learner)).await;
    assert!(only.body.contains("Python 入门"));
    let csv = t.get("/me/archive.csv", Some(&learner)).await;
    let line = csv
        .body
        .lines()
        .find(|l| l.contains("Python 入门"))
        .unwrap();
    assert!(line.contains("1.50") && line.contains("Moodle") && line.contains("2025-03-01"));
    let export = t.get("/me/archive.json", Some(&learner)).await;
    let activity = export.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "activity")
        .cloned()
        .unwrap();
    assert_eq!(activity["body"]["statement_id"], id.as_str());
    assert_eq!(activity["body"]["verb_en"], "passed");

    let voiding = json!({ "actor": { "mbox": "mailto:admin@example.com" }, "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
        "object": { "objectType": "StatementRef", "id": id } });
    let voided = lrs(
        &t,
        &issued.credential.key,
        &issued.secret,
        "POST",
        Some(&voiding),
    )
    .await;
    assert_eq!(voided.status, StatusCode::OK, "{}", voided.body);
    let after = t.get("/me/archive", Some(&learner)).await;
    let revocation = &after.body[after.body.find("class=\"entry revocation\"").unwrap()..];
    let revocation = &revocation[..revocation.find("</li>").unwrap()];
    assert!(
        revocation.contains("Python 入门") && revocation.contains("学习平台已作废这条学习活动记录"),
        "{revocation}"
    );
}

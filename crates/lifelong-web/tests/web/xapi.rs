//! The learning record store under `/xapi`, tested from the xAPI specification (1.0.3 and
//! 2.0): versions, authentication, statements (single, batch, PUT, conflicts, voiding,
//! queries and paging, formats, attachments), documents with concurrency, tenancy, and the
//! mapping of learning activity into a learner's archive. Test names carry the conformance
//! requirement ids (XAPI-00nnn) where one applies.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use lifelong_app::Actor;
use lifelong_store::{AccountId, InstitutionId};
use serde_json::{json, Value};

use crate::support::{id_number, send_xapi, Answer, TestApp};

struct Lrs<'a> {
    t: &'a TestApp,
    auth: String,
}

async fn client<'a>(
    t: &'a TestApp,
    institution: &InstitutionId,
) -> (Lrs<'a>, lifelong_app::xapi::IssuedCredential) {
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), institution, "Moodle")
        .await
        .unwrap();
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", issued.credential.key, issued.secret));
    (
        Lrs {
            t,
            auth: format!("Basic {basic}"),
        },
        issued,
    )
}

impl Lrs<'_> {
    async fn call(
        &self,
        method: &str,
        path: &str,
        version: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Answer {
        let body = body.map(String::into_bytes);
        send_xapi(self.t, &self.auth, method, path, version, headers, body).await
    }

    async fn post(&self, statements: &Value) -> Answer {
        self.call(
            "POST",
            "/xapi/statements",
            Some("1.0.3"),
            &[],
            Some(statements.to_string()),
        )
        .await
    }

    async fn get(&self, query: &str) -> Answer {
        self.call(
            "GET",
            &format!("/xapi/statements?{query}"),
            Some("1.0.3"),
            &[],
            None,
        )
        .await
    }
}

fn statement(actor: &str, verb: &str, activity: &str) -> Value {
    json!({
        "actor": { "mbox": format!("mailto:{actor}@example.com"), "name": actor },
        "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": { "en-US": verb } },
        "object": { "id": format!("http://example.com/activities/{activity}"),
                    "definition": { "name": { "zh-CN": format!("课程{activity}"), "en-US": activity } } }
    })
}

fn ids_of(answer: &Answer) -> Vec<String> {
    answer.json()["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn about_needs_no_credentials_and_lists_both_versions() {
    let t = TestApp::sqlite().await;
    let answer = t
        .send(Request::get("/xapi/about").body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["version"], json!(["1.0.3", "2.0.0"]));
}

#[tokio::test]
async fn xapi_00330_version_header_is_required_and_answered_per_request() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let missing = lrs.call("GET", "/xapi/statements", None, &[], None).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.headers["X-Experience-API-Version"], "2.0.0");
    assert_eq!(missing.json()["error"]["code"], "version_missing");
    let wrong = lrs
        .call("GET", "/xapi/statements", Some("1.1.0"), &[], None)
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    for (asked, answered) in [
        ("1.0.0", "1.0.3"),
        ("1.0.2", "1.0.3"),
        ("1.0.3", "1.0.3"),
        ("2.0.0", "2.0.0"),
    ] {
        let ok = lrs
            .call("GET", "/xapi/statements", Some(asked), &[], None)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{asked}: {}", ok.body);
        assert_eq!(ok.headers["X-Experience-API-Version"], answered);
        assert!(ok
            .headers
            .contains_key("X-Experience-API-Consistent-Through"));
    }
}

#[tokio::test]
async fn xapi_00334_credentials_are_checked_and_revocation_is_immediate() {
    let t = TestApp::sqlite().await;
    let anonymous = t
        .send(
            Request::get("/xapi/statements")
                .header("X-Experience-API-Version", "1.0.3")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers.contains_key(header::WWW_AUTHENTICATE));
    let (lrs, issued) = client(&t, &t.institution.id).await;
    assert_eq!(lrs.get("").await.status, StatusCode::OK);
    let wrong = Lrs {
        t: &t,
        auth: lrs.auth.replace('=', "A").chars().rev().collect(),
    };
    assert_eq!(wrong.get("").await.status, StatusCode::UNAUTHORIZED);
    t.app
        .revoke_xapi_credential(&Actor::system(), &t.institution.id, issued.credential.id)
        .await
        .unwrap();
    assert_eq!(
        lrs.get("").await.status,
        StatusCode::UNAUTHORIZED,
        "revoked: refused at once"
    );
}

#[tokio::test]
async fn statements_are_stored_with_authority_stored_and_version_set() {
    let t = TestApp::sqlite().await;
    let (lrs, issued) = client(&t, &t.institution.id).await;
    let mut s = statement("zhang", "completed", "a1");
    s["authority"] = json!({ "mbox": "mailto:forged@example.com" });
    let posted = lrs.post(&s).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let id = posted.json()[0].as_str().unwrap().to_owned();
    let got = lrs.get(&format!("statementId={id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let v = got.json();
    assert_eq!(v["id"], id.as_str());
    assert_eq!(
        v["authority"]["account"]["name"],
        issued.credential.key.as_str(),
        "the LRS sets authority"
    );
    assert_eq!(v["version"], "1.0.0");
    assert!(v["stored"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v["timestamp"], v["stored"]);
    assert!(got.headers.contains_key(header::LAST_MODIFIED));
    let unknown = lrs
        .get(&format!("statementId={}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn xapi_00121_a_batch_with_one_bad_statement_stores_nothing() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let good_id = uuid::Uuid::new_v4().to_string();
    let mut good = statement("li", "completed", "a1");
    good["id"] = json!(good_id);
    let mut bad = statement("li", "completed", "a2");
    bad["verb"]["id"] = json!("not an iri");
    let answer = lrs.post(&json!([good, bad])).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.json()["error"]["path"]
            .as_str()
            .unwrap()
            .starts_with("[1]"),
        "{}",
        answer.body
    );
    assert_eq!(
        lrs.get(&format!("statementId={good_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let dup = lrs.post(&json!([good.clone(), good.clone()])).await;
    assert_eq!(
        dup.status,
        StatusCode::BAD_REQUEST,
        "the same id twice in one batch"
    );
    let extra = lrs.post(&json!({ "actor": good["actor"], "verb": good["verb"], "object": good["object"], "extra": 1 })).await;
    assert_eq!(
        extra.status,
        StatusCode::BAD_REQUEST,
        "unknown properties are refused"
    );
}

#[tokio::test]
async fn xapi_00142_put_is_idempotent_and_a_different_statement_conflicts() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let id = uuid::Uuid::new_v4();
    let s = statement("wang", "attended", "a3");
    let lrs = &lrs;
    let put = |body: &Value, q: String| {
        let body = body.to_string();
        async move {
            lrs.call(
                "PUT",
                &format!("/xapi/statements?{q}"),
                Some("1.0.3"),
                &[],
                Some(body),
            )
            .await
        }
    };
    assert_eq!(
        put(&s, format!("statementId={id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put(&s, format!("statementId={id}")).await.status,
        StatusCode::NO_CONTENT,
        "the same again"
    );
    let other = statement("wang", "attended", "a4");
    assert_eq!(
        put(&other, format!("statementId={id}")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        lrs.get(&format!("statementId={id}")).await.json()["object"]["id"],
        "http://example.com/activities/a3"
    );
    assert_eq!(
        put(&s, String::new()).await.status,
        StatusCode::BAD_REQUEST,
        "PUT needs statementId"
    );
    let mut mismatched = s.clone();
    mismatched["id"] = json!(uuid::Uuid::new_v4().to_string());
    assert_eq!(
        put(&mismatched, format!("statementId={id}")).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn xapi_00162_voided_statements_are_hidden_but_reachable_by_voided_id() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let target = lrs.post(&statement("zhao", "completed", "v1")).await.json()[0]
        .as_str()
        .unwrap()
        .to_owned();
    let voiding = json!({
        "actor": { "mbox": "mailto:admin@example.com" },
        "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
        "object": { "objectType": "StatementRef", "id": target }
    });
    let v = lrs.post(&voiding).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let voider = v.json()[0].as_str().unwrap().to_owned();
    assert_eq!(
        lrs.get(&format!("statementId={target}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lrs.get(&format!("voidedStatementId={target}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        lrs.get(&format!("voidedStatementId={voider}")).await.status,
        StatusCode::NOT_FOUND
    );
    let agent = enc(r#"{"mbox":"mailto:zhao@example.com"}"#);
    assert_eq!(
        ids_of(&lrs.get(&format!("agent={agent}")).await),
        vec![voider.clone()],
        "the voiding statement inherits the filter"
    );
    let bad = json!({ "actor": voiding["actor"], "verb": voiding["verb"], "object": { "id": "http://example.com/x" } });
    assert_eq!(
        lrs.post(&bad).await.status,
        StatusCode::BAD_REQUEST,
        "voiding needs a StatementRef"
    );
}

#[tokio::test]
async fn queries_filter_page_and_order() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let mut posted = Vec::new();
    for i in 0..5 {
        let verb = if i % 2 == 0 { "completed" } else { "attempted" };
        posted.push(
            lrs.post(&statement("qian", verb, &format!("q{i}")))
                .await
                .json()[0]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    lrs.post(&statement("sun", "completed", "q0")).await;
    let agent = enc(r#"{"mbox":"mailto:qian@example.com"}"#);
    let all = lrs.get(&format!("agent={agent}")).await;
    assert_eq!(
        ids_of(&all),
        posted.iter().rev().cloned().collect::<Vec<_>>(),
        "newest first"
    );
    let verb = enc("http://adlnet.gov/expapi/verbs/completed");
    assert_eq!(
        ids_of(&lrs.get(&format!("agent={agent}&verb={verb}")).await).len(),
        3
    );
    let activity = enc("http://example.com/activities/q0");
    assert_eq!(
        ids_of(&lrs.get(&format!("activity={activity}")).await).len(),
        2
    );
    let asc = lrs
        .get(&format!("agent={agent}&ascending=true&limit=2"))
        .await;
    assert_eq!(ids_of(&asc), posted[..2].to_vec());
    let more = asc.json()["more"].as_str().unwrap().to_owned();
    assert!(more.starts_with("/xapi/statements?"), "{more}");
    let next = lrs.call("GET", &more, Some("1.0.3"), &[], None).await;
    assert_eq!(ids_of(&next), posted[2..4].to_vec());
    let last = lrs
        .call(
            "GET",
            next.json()["more"].as_str().unwrap(),
            Some("1.0.3"),
            &[],
            None,
        )
        .await;
    assert_eq!(ids_of(&last), posted[4..].to_vec());
    assert_eq!(last.json()["more"], "");
    assert_eq!(
        lrs.get("agent=notjson").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(lrs.get("colour=red").await.status, StatusCode::BAD_REQUEST);
    let ids = lrs
        .get(&format!("agent={agent}&format=ids&limit=1"))
        .await
        .json();
    assert!(
        ids["statements"][0]["object"].get("definition").is_none(),
        "format=ids drops definitions"
    );
}

#[tokio::test]
async fn statements_are_per_institution() {
    let t = TestApp::sqlite().await;
    let (mine, _) = client(&t, &t.institution.id).await;
    let (theirs, _) = client(&t, &t.other_institution.id).await;
    let id = mine
        .post(&statement("zhou", "completed", "t1"))
        .await
        .json()[0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        theirs.get(&format!("statementId={id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(ids_of(&theirs.get("").await).is_empty());
}

#[tokio::test]
async fn alternate_request_syntax_works_under_1_0_and_is_refused_under_2_0() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let id = uuid::Uuid::new_v4().to_string();
    let form = serde_urlencoded::to_string([
        ("statementId", id.as_str()),
        ("content", &statement("wu", "completed", "alt").to_string()),
        ("Authorization", lrs.auth.as_str()),
        ("X-Experience-API-Version", "1.0.3"),
        ("Content-Type", "application/json"),
    ])
    .unwrap();
    let req = Request::post("/xapi/statements?method=PUT")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.clone()))
        .unwrap();
    let answer = t.send(req).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.body);
    assert_eq!(
        lrs.get(&format!("statementId={id}")).await.status,
        StatusCode::OK
    );
    let v2 = form.replace("1.0.3", "2.0.0");
    let req = Request::post("/xapi/statements?method=PUT")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(v2))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn context_agents_are_2_0_only() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let mut s = statement("zheng", "completed", "c1");
    s["context"] = json!({ "contextAgents": [{ "objectType": "contextAgent", "agent": { "mbox": "mailto:t@example.com" } }] });
    assert_eq!(lrs.post(&s).await.status, StatusCode::BAD_REQUEST);
    let ok = lrs
        .call(
            "POST",
            "/xapi/statements",
            Some("2.0.0"),
            &[],
            Some(s.to_string()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.headers["X-Experience-API-Version"], "2.0.0");
}

#[tokio::test]
async fn documents_follow_etags_and_merge_json() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let agent = enc(r#"{"mbox":"mailto:feng@example.com"}"#);
    let activity = enc("http://example.com/activities/d1");
    let state =
        format!("/xapi/activities/state?activityId={activity}&agent={agent}&stateId=bookmark");
    let put = lrs
        .call(
            "PUT",
            &state,
            Some("1.0.3"),
            &[],
            Some(r#"{"page":1}"#.into()),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
    let etag = put.headers[header::ETAG].to_str().unwrap().to_owned();
    let got = lrs.call("GET", &state, Some("1.0.3"), &[], None).await;
    assert_eq!(
        (got.status, got.body.as_str()),
        (StatusCode::OK, r#"{"page":1}"#)
    );
    assert_eq!(got.headers[header::ETAG].to_str().unwrap(), etag);
    let merged = lrs
        .call(
            "POST",
            &state,
            Some("1.0.3"),
            &[],
            Some(r#"{"done":true}"#.into()),
        )
        .await;
    assert_eq!(merged.status, StatusCode::NO_CONTENT);
    let got = lrs
        .call("GET", &state, Some("1.0.3"), &[], None)
        .await
        .json();
    assert_eq!(got, json!({ "page": 1, "done": true }));
    let stale = lrs
        .call(
            "PUT",
            &state,
            Some("1.0.3"),
            &[("If-Match", &etag)],
            Some("{}".into()),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let blind_v2 = lrs
        .call("PUT", &state, Some("2.0.0"), &[], Some("{}".into()))
        .await;
    assert_eq!(
        blind_v2.status,
        StatusCode::CONFLICT,
        "2.0: a blind PUT over a State document"
    );
    let list = lrs
        .call(
            "GET",
            &format!("/xapi/activities/state?activityId={activity}&agent={agent}"),
            Some("1.0.3"),
            &[],
            None,
        )
        .await;
    assert_eq!(list.json(), json!(["bookmark"]));
    let delete = lrs.call("DELETE", &state, Some("1.0.3"), &[], None).await;
    assert_eq!(delete.status, StatusCode::NO_CONTENT);
    assert_eq!(
        lrs.call("GET", &state, Some("1.0.3"), &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let profile = format!("/xapi/activities/profile?activityId={activity}&profileId=p1");
    assert_eq!(
        lrs.call(
            "PUT",
            &profile,
            Some("1.0.3"),
            &[("If-None-Match", "*")],
            Some("{}".into())
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        lrs.call("PUT", &profile, Some("1.0.3"), &[], Some("{}".into()))
            .await
            .status,
        StatusCode::CONFLICT,
        "blind PUT over a profile"
    );
    assert_eq!(
        lrs.call(
            "PUT",
            &profile,
            Some("1.0.3"),
            &[("If-None-Match", "*")],
            Some("{}".into())
        )
        .await
        .status,
        StatusCode::PRECONDITION_FAILED
    );
    let missing = lrs
        .call(
            "GET",
            "/xapi/activities/state?stateId=x",
            Some("1.0.3"),
            &[],
            None,
        )
        .await;
    assert_eq!(
        missing.status,
        StatusCode::BAD_REQUEST,
        "activityId and agent are required"
    );
}

#[tokio::test]
async fn attachments_travel_in_multipart_both_ways() {
    let t = TestApp::sqlite().await;
    let (lrs, _) = client(&t, &t.institution.id).await;
    let content = b"certificate bytes".to_vec();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&content));
    let mut s = statement("chu", "completed", "m1");
    s["attachments"] = json!([{ "usageType": "http://example.com/usage/certificate", "display": { "en-US": "certificate" },
        "contentType": "text/plain", "length": content.len(), "sha2": sha }]);
    let mut body = Vec::new();
    body.extend_from_slice(b"--b0undary\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(s.to_string().as_bytes());
    body.extend_from_slice(format!("\r\n--b0undary\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}\r\n\r\n").as_bytes());
    body.extend_from_slice(&content);
    body.extend_from_slice(b"\r\n--b0undary--\r\n");
    let req = Request::post("/xapi/statements")
        .header(header::AUTHORIZATION, &lrs.auth)
        .header("X-Experience-API-Version", "1.0.3")
        .header(header::CONTENT_TYPE, "multipart/mixed; boundary=b0undary")
        .body(Body::from(body))
        .unwrap();
    let answer = t.send(req).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = answer.json()[0].as_str().unwrap().to_owned();
    let back = lrs.get(&format!("statementId={id}&attachments=true")).await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(back.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("multipart/mixed"));
    assert!(back.body.contains("certificate bytes") && back.body.contains(&sha));
    let without = lrs.post(&s).await;
    assert_eq!(
        without.status,
        StatusCode::BAD_REQUEST,
        "a declared attachment without its part"
    );
}

#[tokio::test]
async fn learning_activity_reaches_a_members_archive_and_voiding_revokes_it() {
    let t = TestApp::sqlite().await;
    let token = t.token_of(&t.institution.id).await;
    let opened = t
        .api("POST", "/api/v1/accounts", Some(&token), Some(json!({ "name": "李四", "id_number": id_number("19900505", 7), "mobile": "13900001111" })))
        .await;
    let account = opened.json()["account"]["id"].as_str().unwrap().to_owned();
    let (lrs, _) = client(&t, &t.institution.id).await;
    let mut s = statement("x", "completed", "course-101");
    s["actor"] = json!({ "account": { "homePage": "https://lifelong.sh.cn", "name": account } });
    s["result"] = json!({ "duration": "PT1H30M", "completion": true });
    let id = lrs.post(&s).await.json()[0].as_str().unwrap().to_owned();
    let mut attempted = s.clone();
    attempted["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/attempted");
    lrs.post(&attempted).await;
    let archive = t
        .app
        .store
        .archive_all(&AccountId::parse(&account).unwrap())
        .await
        .unwrap();
    let activities: Vec<_> = archive
        .iter()
        .filter(|e| e.kind.as_str() == "activity")
        .collect();
    assert_eq!(
        activities.len(),
        1,
        "only counted verbs become learning activity"
    );
    let body: Value = serde_json::from_str(&activities[0].body).unwrap();
    assert_eq!(
        (
            body["statement_id"].as_str(),
            body["hours"].as_str(),
            body["title"].as_str()
        ),
        (Some(id.as_str()), Some("1.50"), Some("课程course-101"))
    );
    assert!(body["rule_zh"].as_str().unwrap().contains("1.50 小时"));

    let (other, _) = client(&t, &t.other_institution.id).await;
    other
        .post(
            &s.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "id")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        )
        .await;
    let after = t
        .app
        .store
        .archive_all(&AccountId::parse(&account).unwrap())
        .await
        .unwrap();
    assert_eq!(
        after.len(),
        archive.len(),
        "an institution the learner is not a member of writes nothing"
    );

    let voiding = json!({ "actor": { "mbox": "mailto:admin@example.com" }, "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
        "object": { "objectType": "StatementRef", "id": id } });
    assert_eq!(lrs.post(&voiding).await.status, StatusCode::OK);
    let last = t
        .app
        .store
        .archive_all(&AccountId::parse(&account).unwrap())
        .await
        .unwrap();
    let revocation = last.last().unwrap();
    assert_eq!(revocation.kind.as_str(), "revocation");
    assert_eq!(
        revocation.reverses.as_ref(),
        Some(&activities[0].id),
        "R8: a revocation names the entry it reverses"
    );
}

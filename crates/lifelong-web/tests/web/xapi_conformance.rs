//! The learning record store tested from the xAPI specification beyond `xapi.rs`: HEAD, the
//! query filters (`since`/`until`, `related_agents`, `related_activities`, `registration`,
//! `limit`, `format=canonical`), StatementRef filter inheritance, late voiding targets, the
//! `/activities` and `/agents` resources, the agent profile and state documents with their
//! preconditions, 2.0 `Last-Modified` and timestamp normalisation, signed statements over
//! HTTP, and the refusals (413, wrong media type, stray parameters, statement version). Test
//! names carry the conformance requirement ids (XAPI-00nnn) where one applies; behaviour that
//! differs between 1.0.3 and 2.0 is tested under both.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use lifelong_app::Actor;
use serde_json::{json, Value};
use sha2::Digest;

use crate::support::{send_xapi, Answer, TestApp};

const V1: &str = "1.0.3";
const V2: &str = "2.0.0";

struct Lrs<'a> {
    t: &'a TestApp,
    auth: String,
    /// The credential's key: `authority.account.name` of what this client stores.
    key: String,
}

async fn client(t: &TestApp) -> Lrs<'_> {
    let issued = t
        .app
        .issue_xapi_credential(&Actor::system(), &t.institution.id, "Moodle")
        .await
        .unwrap();
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", issued.credential.key, issued.secret));
    Lrs {
        t,
        auth: format!("Basic {basic}"),
        key: issued.credential.key.clone(),
    }
}

impl Lrs<'_> {
    async fn call(
        &self,
        method: &str,
        path: &str,
        version: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Answer {
        send_xapi(
            self.t,
            &self.auth,
            method,
            path,
            Some(version),
            headers,
            body,
        )
        .await
    }

    async fn post_as(&self, version: &str, statements: &Value) -> Answer {
        self.call(
            "POST",
            "/xapi/statements",
            version,
            &[],
            Some(statements.to_string().into_bytes()),
        )
        .await
    }

    /// POSTs under 1.0.3 and answers the one id stored.
    async fn store(&self, statement: &Value) -> String {
        let answer = self.post_as(V1, statement).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()[0].as_str().unwrap().to_owned()
    }

    async fn get_as(&self, version: &str, query: &str) -> Answer {
        self.call(
            "GET",
            &format!("/xapi/statements?{query}"),
            version,
            &[],
            None,
        )
        .await
    }

    async fn ids(&self, query: &str) -> Vec<String> {
        let answer = self.get_as(V1, query).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.body);
        ids_of(&answer)
    }

    async fn document(
        &self,
        method: &str,
        path: &str,
        version: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Answer {
        self.call(
            method,
            path,
            version,
            headers,
            body.map(|b| b.as_bytes().to_vec()),
        )
        .await
    }
}

fn mbox(name: &str) -> Value {
    json!({ "mbox": format!("mailto:{name}@example.com") })
}

fn statement(actor: &str, verb: &str, activity: &str) -> Value {
    json!({
        "actor": { "mbox": format!("mailto:{actor}@example.com"), "name": actor },
        "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": { "en-US": verb, "zh-CN": format!("动词{verb}") } },
        "object": { "id": format!("http://example.com/activities/{activity}"),
                    "definition": { "name": { "zh-CN": format!("课程{activity}"), "en-US": activity } } }
    })
}

fn ids_of(answer: &Answer) -> Vec<String> {
    answer.json()["statements"]
        .as_array()
        .unwrap_or_else(|| panic!("no statements: {}", answer.body))
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_owned()
}

fn agent_param(name: &str) -> String {
    enc(&mbox(name).to_string())
}

fn assert_error(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "refusals are JSON"
    );
    assert_eq!(answer.json()["error"]["code"], code, "{}", answer.body);
}

fn http_date(answer: &Answer) -> time::OffsetDateTime {
    let text = answer
        .headers
        .get(header::LAST_MODIFIED)
        .unwrap_or_else(|| panic!("no Last-Modified: {:?}", answer.headers))
        .to_str()
        .unwrap();
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text, &format)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .assume_utc()
}

fn stored_of(statement: &Value) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(
        statement["stored"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

#[tokio::test]
async fn xapi_head_answers_like_get_without_a_body() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let id = lrs.store(&statement("he", "completed", "h1")).await;
    for version in [V1, V2] {
        let head = lrs
            .call(
                "HEAD",
                &format!("/xapi/statements?statementId={id}"),
                version,
                &[],
                None,
            )
            .await;
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty(), "HEAD has no body: {}", head.body);
        assert!(head.headers.contains_key(header::LAST_MODIFIED));
        assert!(head
            .headers
            .contains_key("X-Experience-API-Consistent-Through"));
        let query = lrs
            .call("HEAD", "/xapi/statements", version, &[], None)
            .await;
        assert_eq!(query.status, StatusCode::OK);
        assert!(query.body.is_empty());
    }
    let agent = agent_param("he");
    let activity = enc("http://example.com/activities/h1");
    let state = format!("/xapi/activities/state?activityId={activity}&agent={agent}&stateId=s");
    let put = lrs
        .document("PUT", &state, V1, &[], Some(r#"{"x":1}"#))
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    let head = lrs.document("HEAD", &state, V2, &[], None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.headers[header::ETAG], put.headers[header::ETAG]);
    let missing = lrs
        .document(
            "HEAD",
            &state.replace("stateId=s", "stateId=none"),
            V2,
            &[],
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_empty());
}

#[tokio::test]
async fn xapi_00175_00174_since_is_exclusive_and_until_inclusive() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let first = lrs.store(&statement("shi", "completed", "t1")).await;
    let second = lrs.store(&statement("shi", "completed", "t2")).await;
    let third = lrs.store(&statement("shi", "completed", "t3")).await;
    let stored = |id: String| {
        let lrs = &lrs;
        async move { lrs.get_as(V1, &format!("statementId={id}")).await.json()["stored"].clone() }
    };
    let s1 = stored(first.clone()).await;
    let s2 = stored(second.clone()).await;
    let agent = agent_param("shi");
    let since = lrs
        .ids(&format!(
            "agent={agent}&since={}",
            enc(s1.as_str().unwrap())
        ))
        .await;
    assert!(!since.contains(&first), "since is exclusive");
    assert!(since.contains(&third));
    let until = lrs
        .ids(&format!(
            "agent={agent}&until={}",
            enc(s2.as_str().unwrap())
        ))
        .await;
    assert!(until.contains(&second), "until is inclusive");
    assert!(until.contains(&first) && !until.contains(&third));
    assert!(lrs
        .ids(&format!("agent={agent}&until=2012-06-01T19:09:13.245Z"))
        .await
        .is_empty());
    assert_eq!(
        lrs.ids(&format!("agent={agent}&since=2012-06-01T19:09:13.245Z"))
            .await
            .len(),
        3
    );
    let bad = lrs.get_as(V1, "since=yesterday").await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "invalid_timestamp");
}

#[tokio::test]
async fn xapi_00176_related_agents_reach_instructor_team_authority_and_substatements() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let mut s = statement("actor1", "completed", "ra1");
    s["context"] = json!({
        "instructor": mbox("teacher"),
        "team": { "objectType": "Group", "mbox": "mailto:team@example.com", "member": [mbox("mate")] }
    });
    let with_context = lrs.store(&s).await;
    let sub = json!({
        "actor": mbox("actor2"),
        "verb": { "id": "http://example.com/verbs/planned" },
        "object": { "objectType": "SubStatement", "actor": mbox("inner"),
                    "verb": { "id": "http://example.com/verbs/visit" },
                    "object": { "id": "http://example.com/activities/ra2" } }
    });
    let with_sub = lrs.store(&sub).await;
    for (who, id) in [
        ("teacher", &with_context),
        ("team", &with_context),
        ("inner", &with_sub),
    ] {
        let agent = if who == "team" {
            enc(r#"{"objectType":"Group","mbox":"mailto:team@example.com"}"#)
        } else {
            agent_param(who)
        };
        assert!(
            lrs.ids(&format!("agent={agent}")).await.is_empty(),
            "{who}: not actor or object"
        );
        assert_eq!(
            lrs.ids(&format!("agent={agent}&related_agents=true")).await,
            vec![id.clone()],
            "{who}: related"
        );
        assert!(lrs
            .ids(&format!("agent={agent}&related_agents=false"))
            .await
            .is_empty());
    }
    let authority = enc(
        &json!({ "account": { "homePage": "https://lifelong.sh.cn/xapi/clients", "name": lrs.key } })
            .to_string(),
    );
    let by_authority = lrs
        .ids(&format!("agent={authority}&related_agents=true"))
        .await;
    assert_eq!(by_authority, vec![with_sub, with_context], "authority");
}

#[tokio::test]
async fn xapi_00177_related_activities_reach_context_activities_and_substatements() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let mut s = statement("ran", "completed", "main");
    s["context"] = json!({ "contextActivities": {
        "parent": { "id": "http://example.com/activities/parent" },
        "category": [{ "id": "http://example.com/activities/category" }] } });
    let with_context = lrs.store(&s).await;
    let sub = json!({
        "actor": mbox("ran"),
        "verb": { "id": "http://example.com/verbs/planned" },
        "object": { "objectType": "SubStatement", "actor": mbox("ran"),
                    "verb": { "id": "http://example.com/verbs/visit" },
                    "object": { "id": "http://example.com/activities/inner" } }
    });
    let with_sub = lrs.store(&sub).await;
    for (activity, id) in [
        ("parent", &with_context),
        ("category", &with_context),
        ("inner", &with_sub),
    ] {
        let iri = enc(&format!("http://example.com/activities/{activity}"));
        assert!(lrs.ids(&format!("activity={iri}")).await.is_empty());
        assert_eq!(
            lrs.ids(&format!("activity={iri}&related_activities=true"))
                .await,
            vec![id.clone()],
            "{activity}"
        );
    }
    let main = enc("http://example.com/activities/main");
    assert_eq!(
        lrs.ids(&format!("activity={main}&related_activities=true"))
            .await,
        vec![with_context.clone()],
        "the object counts as related too"
    );
    assert_error(
        &lrs.get_as(V1, "related_activities=yes").await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    );
}

#[tokio::test]
async fn xapi_00178_registration_filters_on_the_context_registration() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let registration = uuid::Uuid::new_v4().to_string();
    let mut s = statement("reg", "completed", "r1");
    s["context"] = json!({ "registration": registration });
    let registered = lrs.store(&s).await;
    lrs.store(&statement("reg", "completed", "r2")).await;
    assert_eq!(
        lrs.ids(&format!("registration={registration}")).await,
        vec![registered]
    );
    assert!(lrs
        .ids(&format!("registration={}", uuid::Uuid::new_v4()))
        .await
        .is_empty());
    assert_error(
        &lrs.get_as(V1, "registration=not-a-uuid").await,
        StatusCode::BAD_REQUEST,
        "invalid_uuid",
    );
}

#[tokio::test]
async fn xapi_00173_limit_caps_the_page_and_zero_is_the_server_maximum() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    for i in 0..3 {
        lrs.store(&statement("lim", "completed", &format!("l{i}")))
            .await;
    }
    let agent = agent_param("lim");
    let one = lrs.get_as(V1, &format!("agent={agent}&limit=1")).await;
    assert_eq!(ids_of(&one).len(), 1);
    assert!(!one.json()["more"].as_str().unwrap().is_empty());
    let all = lrs.get_as(V1, &format!("agent={agent}&limit=0")).await;
    assert_eq!(ids_of(&all).len(), 3);
    assert_eq!(all.json()["more"], "");
    assert_error(
        &lrs.get_as(V1, "limit=-1").await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    );
}

#[tokio::test]
async fn xapi_canonical_format_keeps_one_language_and_the_canonical_definition() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let first = lrs.store(&statement("can", "completed", "c1")).await;
    let get = |query: String, lang: &'static str| {
        let lrs = &lrs;
        async move {
            lrs.call(
                "GET",
                &format!("/xapi/statements?{query}"),
                V1,
                &[("Accept-Language", lang)],
                None,
            )
            .await
        }
    };
    let zh = get(format!("statementId={first}&format=canonical"), "zh-CN").await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.body);
    let v = zh.json();
    assert_eq!(v["verb"]["display"], json!({ "zh-CN": "动词completed" }));
    assert_eq!(
        v["object"]["definition"]["name"],
        json!({ "zh-CN": "课程c1" })
    );
    assert_eq!(v["actor"]["name"], "can", "agents as in exact");
    let en = get(
        format!("statementId={first}&format=canonical"),
        "en;q=0.9, zh;q=0.1",
    )
    .await;
    assert_eq!(
        en.json()["object"]["definition"]["name"],
        json!({ "en-US": "c1" })
    );
    let exact = get(format!("statementId={first}"), "zh-CN").await.json();
    assert_eq!(exact["verb"]["display"].as_object().unwrap().len(), 2);

    // A later statement names the same activity without a definition: canonical returns the
    // definition the LRS holds for it (xAPI-Communication 2.1.3, format).
    let mut bare = statement("can", "attempted", "c1");
    bare["object"] = json!({ "id": "http://example.com/activities/c1" });
    let second = lrs.store(&bare).await;
    let canonical = get(format!("statementId={second}&format=canonical"), "en-US").await;
    assert_eq!(
        canonical.json()["object"]["definition"]["name"],
        json!({ "en-US": "c1" }),
        "{}",
        canonical.body
    );
    let page = get(
        format!("agent={}&format=canonical", agent_param("can")),
        "zh-CN",
    )
    .await
    .json();
    for s in page["statements"].as_array().unwrap() {
        assert_eq!(
            s["object"]["definition"]["name"],
            json!({ "zh-CN": "课程c1" })
        );
    }
}

#[tokio::test]
async fn xapi_00162_a_statement_ref_inherits_the_filters_of_its_target() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let target = lrs.store(&statement("orig", "completed", "sr1")).await;
    let refer = |actor: &str, id: &str| {
        json!({
            "actor": mbox(actor),
            "verb": { "id": "http://example.com/verbs/commented" },
            "object": { "objectType": "StatementRef", "id": id }
        })
    };
    let comment = lrs.store(&refer("critic", &target)).await;
    let reply = lrs.store(&refer("author", &comment)).await;
    assert_eq!(
        lrs.ids(&format!("agent={}", agent_param("orig"))).await,
        vec![reply.clone(), comment.clone(), target.clone()],
        "statements that refer, directly or not, to a matching statement are returned"
    );
    let activity = enc("http://example.com/activities/sr1");
    assert_eq!(
        lrs.ids(&format!("activity={activity}")).await,
        vec![reply.clone(), comment.clone(), target.clone()]
    );
    let verb = enc("http://example.com/verbs/commented");
    assert_eq!(
        lrs.ids(&format!("verb={verb}")).await,
        vec![reply.clone(), comment.clone()],
        "the target does not match the verb"
    );
    assert_eq!(
        lrs.ids(&format!("agent={}", agent_param("critic"))).await,
        vec![reply, comment],
        "the referrer itself matches, and its referrer inherits"
    );
}

#[tokio::test]
async fn xapi_voiding_before_the_target_arrives_voids_it_when_it_does() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    for put in [false, true] {
        let target = uuid::Uuid::new_v4().to_string();
        let voiding = json!({
            "actor": mbox("admin"),
            "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
            "object": { "objectType": "StatementRef", "id": target }
        });
        let voider = lrs.store(&voiding).await;
        let mut late = statement("late", "completed", "lv1");
        late["id"] = json!(target);
        let stored = if put {
            lrs.call(
                "PUT",
                &format!("/xapi/statements?statementId={target}"),
                V2,
                &[],
                Some(late.to_string().into_bytes()),
            )
            .await
            .status
        } else {
            lrs.post_as(V1, &late).await.status
        };
        assert!(stored.is_success(), "{stored}");
        assert_eq!(
            lrs.get_as(V1, &format!("statementId={target}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "put={put}"
        );
        let voided = lrs.get_as(V1, &format!("voidedStatementId={target}")).await;
        assert_eq!(voided.status, StatusCode::OK);
        assert_eq!(voided.json()["id"], target.as_str());
        assert!(
            !lrs.ids(&format!("agent={}", agent_param("late")))
                .await
                .contains(&target),
            "not in queries"
        );
        assert_eq!(
            lrs.get_as(V1, &format!("statementId={voider}"))
                .await
                .status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn xapi_activities_resource_returns_the_definition_statements_gave() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let iri = "http://example.com/activities/def1";
    let path = format!("/xapi/activities?activityId={}", enc(iri));
    let unknown = lrs.call("GET", &path, V1, &[], None).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.json()["id"], iri);
    lrs.store(&statement("act", "completed", "def1")).await;
    for version in [V1, V2] {
        let answer = lrs.call("GET", &path, version, &[], None).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let v = answer.json();
        assert_eq!(v["objectType"], "Activity");
        assert_eq!(v["id"], iri);
        assert_eq!(v["definition"]["name"]["zh-CN"], "课程def1");
    }
    assert_error(
        &lrs.call("GET", "/xapi/activities", V1, &[], None).await,
        StatusCode::BAD_REQUEST,
        "missing_parameter",
    );
    assert_error(
        &lrs.call(
            "GET",
            "/xapi/activities?activityId=not%20an%20iri",
            V1,
            &[],
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_iri",
    );
}

#[tokio::test]
async fn xapi_agents_resource_returns_a_person() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    for version in [V1, V2] {
        let agent = enc(r#"{"objectType":"Agent","name":"Ann","mbox":"mailto:ann@example.com"}"#);
        let answer = lrs
            .call(
                "GET",
                &format!("/xapi/agents?agent={agent}"),
                version,
                &[],
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let v = answer.json();
        assert_eq!(v["objectType"], "Person");
        assert_eq!(v["mbox"], json!(["mailto:ann@example.com"]));
        assert_eq!(v["name"], json!(["Ann"]));
        assert!(v.get("account").is_none());
    }
    let two_ifis = enc(r#"{"mbox":"mailto:a@example.com","openid":"http://example.com/a"}"#);
    assert_eq!(
        lrs.call(
            "GET",
            &format!("/xapi/agents?agent={two_ifis}"),
            V1,
            &[],
            None
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn xapi_agent_profile_documents_round_trip() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let agent = agent_param("prof");
    let doc = format!("/xapi/agents/profile?agent={agent}&profileId=prefs");
    let created = lrs
        .document(
            "PUT",
            &doc,
            V1,
            &[("If-None-Match", "*")],
            Some(r#"{"theme":"dark"}"#),
        )
        .await;
    assert_eq!(created.status, StatusCode::NO_CONTENT, "{}", created.body);
    let etag = created.headers[header::ETAG].to_str().unwrap().to_owned();
    let got = lrs.document("GET", &doc, V1, &[], None).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json(), json!({ "theme": "dark" }));
    assert_eq!(got.headers[header::ETAG].to_str().unwrap(), etag);
    let list = lrs
        .document(
            "GET",
            &format!("/xapi/agents/profile?agent={agent}"),
            V1,
            &[],
            None,
        )
        .await;
    assert_eq!(list.json(), json!(["prefs"]));
    let later = lrs
        .document(
            "GET",
            &format!("/xapi/agents/profile?agent={agent}&since=2999-01-01T00:00:00Z"),
            V1,
            &[],
            None,
        )
        .await;
    assert_eq!(later.json(), json!([]));
    let merged = lrs
        .document(
            "POST",
            &doc,
            V1,
            &[("If-Match", &etag)],
            Some(r#"{"size":2}"#),
        )
        .await;
    assert_eq!(merged.status, StatusCode::NO_CONTENT, "{}", merged.body);
    assert_eq!(
        lrs.document("GET", &doc, V1, &[], None).await.json(),
        json!({ "theme": "dark", "size": 2 })
    );
    let other_agent = lrs
        .document(
            "GET",
            &format!(
                "/xapi/agents/profile?agent={}&profileId=prefs",
                agent_param("nobody")
            ),
            V1,
            &[],
            None,
        )
        .await;
    assert_eq!(other_agent.status, StatusCode::NOT_FOUND);
    assert_error(
        &lrs.document("GET", "/xapi/agents/profile?profileId=prefs", V1, &[], None)
            .await,
        StatusCode::BAD_REQUEST,
        "missing_parameter",
    );
    assert_eq!(
        lrs.document("DELETE", &doc, V1, &[], None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        lrs.document("GET", &doc, V1, &[], None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn xapi_state_is_kept_per_registration_and_deleted_as_a_set() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let agent = agent_param("st");
    let activity = enc("http://example.com/activities/st1");
    let registration = uuid::Uuid::new_v4().to_string();
    let scope = format!("/xapi/activities/state?activityId={activity}&agent={agent}");
    let with_reg = format!("{scope}&registration={registration}");
    for (base, id, body) in [
        (&scope, "a", r#"{"n":1}"#),
        (&scope, "b", r#"{"n":2}"#),
        (&with_reg, "a", r#"{"n":3}"#),
    ] {
        let put = lrs
            .document("PUT", &format!("{base}&stateId={id}"), V1, &[], Some(body))
            .await;
        assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
    }
    assert_eq!(
        lrs.document("GET", &format!("{with_reg}&stateId=a"), V1, &[], None)
            .await
            .json(),
        json!({ "n": 3 })
    );
    assert_eq!(
        lrs.document("GET", &format!("{scope}&stateId=a"), V1, &[], None)
            .await
            .json(),
        json!({ "n": 1 })
    );
    assert_eq!(
        lrs.document("GET", &with_reg, V1, &[], None).await.json(),
        json!(["a"])
    );
    assert_error(
        &lrs.document("GET", &format!("{scope}&registration=xyz"), V1, &[], None)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_uuid",
    );
    let delete_all = lrs.document("DELETE", &scope, V2, &[], None).await;
    assert_eq!(delete_all.status, StatusCode::NO_CONTENT);
    assert_eq!(
        lrs.document("GET", &scope, V1, &[], None).await.json(),
        json!([])
    );
    assert_eq!(
        lrs.document("GET", &format!("{scope}&stateId=b"), V1, &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn xapi_if_match_and_if_none_match_guard_delete_and_post() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let activity = enc("http://example.com/activities/cc1");
    let doc = format!("/xapi/activities/profile?activityId={activity}&profileId=p");
    let missing_match = lrs
        .document("POST", &doc, V1, &[("If-Match", "*")], Some(r#"{"a":1}"#))
        .await;
    assert_error(
        &missing_match,
        StatusCode::PRECONDITION_FAILED,
        "document_precondition_failed",
    );
    let created = lrs
        .document(
            "POST",
            &doc,
            V1,
            &[("If-None-Match", "*")],
            Some(r#"{"a":1}"#),
        )
        .await;
    assert_eq!(created.status, StatusCode::NO_CONTENT, "{}", created.body);
    let etag = created.headers[header::ETAG].to_str().unwrap().to_owned();
    for version in [V1, V2] {
        assert_eq!(
            lrs.document(
                "POST",
                &doc,
                version,
                &[("If-None-Match", "*")],
                Some(r#"{"b":2}"#)
            )
            .await
            .status,
            StatusCode::PRECONDITION_FAILED,
            "{version}: POST with If-None-Match * over an existing document"
        );
        assert_eq!(
            lrs.document(
                "DELETE",
                &doc,
                version,
                &[("If-Match", "\"0000000000000000000000000000000000000000\"")],
                None
            )
            .await
            .status,
            StatusCode::PRECONDITION_FAILED,
            "{version}: DELETE with a stale If-Match"
        );
        assert_eq!(
            lrs.document("DELETE", &doc, version, &[("If-None-Match", &etag)], None)
                .await
                .status,
            StatusCode::PRECONDITION_FAILED,
            "{version}: DELETE with If-None-Match naming the current tag"
        );
    }
    assert_eq!(
        lrs.document("GET", &doc, V1, &[], None).await.json(),
        json!({ "a": 1 }),
        "nothing changed"
    );
    let post_matching = lrs
        .document("POST", &doc, V2, &[("If-Match", &etag)], Some(r#"{"b":2}"#))
        .await;
    assert_eq!(post_matching.status, StatusCode::NO_CONTENT);
    let etag = post_matching.headers[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let deleted = lrs
        .document("DELETE", &doc, V2, &[("If-Match", &etag)], None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        lrs.document("GET", &doc, V1, &[], None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn xapi_2_0_last_modified_on_statements_and_documents() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let answer = lrs.post_as(V2, &statement("lm", "completed", "lm1")).await;
    let id = answer.json()[0].as_str().unwrap().to_owned();
    let got = lrs.get_as(V2, &format!("statementId={id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let stored = stored_of(&got.json());
    assert_eq!(
        http_date(&got).unix_timestamp(),
        stored.unix_timestamp(),
        "Last-Modified is stored to the second"
    );
    let voiding = json!({ "actor": mbox("lm"), "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
        "object": { "objectType": "StatementRef", "id": id } });
    lrs.post_as(V2, &voiding).await;
    let voided = lrs.get_as(V2, &format!("voidedStatementId={id}")).await;
    assert_eq!(http_date(&voided).unix_timestamp(), stored.unix_timestamp());

    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let activity = enc("http://example.com/activities/lm1");
    for doc in [
        format!(
            "/xapi/activities/state?activityId={activity}&agent={}&stateId=s",
            agent_param("lm")
        ),
        format!("/xapi/activities/profile?activityId={activity}&profileId=p"),
        format!(
            "/xapi/agents/profile?agent={}&profileId=p",
            agent_param("lm")
        ),
    ] {
        let put = lrs
            .document("PUT", &doc, V2, &[("If-None-Match", "*")], Some("{}"))
            .await;
        assert_eq!(put.status, StatusCode::NO_CONTENT, "{doc}: {}", put.body);
        let got = lrs.document("GET", &doc, V2, &[], None).await;
        let modified = http_date(&got).unix_timestamp();
        let after = time::OffsetDateTime::now_utc().unix_timestamp();
        assert!((before..=after).contains(&modified), "{doc}");
    }
}

#[tokio::test]
async fn xapi_2_0_timestamps_with_offsets_are_kept_in_utc() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let cases = [
        ("2013-05-18T05:32:34.804+08:00", "2013-05-17T21:32:34.804Z"),
        ("2008-09-15 15:53:00.601+00:00", "2008-09-15T15:53:00.601Z"),
        ("2013-05-18T05:32:34.804-0530", "2013-05-18T11:02:34.804Z"),
        ("2013-05-18T05:32:34Z", "2013-05-18T05:32:34.000Z"),
    ];
    for (sent, kept) in cases {
        let mut s = statement("ts", "completed", "ts1");
        s["timestamp"] = json!(sent);
        let answer = lrs.post_as(V2, &s).await;
        assert_eq!(answer.status, StatusCode::OK, "{sent}: {}", answer.body);
        let id = answer.json()[0].as_str().unwrap().to_owned();
        let got = lrs.get_as(V2, &format!("statementId={id}")).await.json();
        assert_eq!(got["timestamp"], kept, "{sent}");
        assert!(got["stored"].as_str().unwrap().ends_with('Z'));
    }
    let mut spaced = statement("ts", "completed", "ts1");
    spaced["timestamp"] = json!("2008-09-15 15:53:00.601+00:00");
    assert_error(
        &lrs.post_as(V1, &spaced).await,
        StatusCode::BAD_REQUEST,
        "invalid_timestamp",
    );
    for version in [V1, V2] {
        let mut negative_zero = statement("ts", "completed", "ts1");
        negative_zero["timestamp"] = json!("2008-09-15T15:53:00.601-00:00");
        assert_eq!(
            lrs.post_as(version, &negative_zero).await.status,
            StatusCode::BAD_REQUEST,
            "{version}"
        );
    }
}

/// A multipart/mixed body: the statements, then each `(content type, bytes)` part.
fn multipart(statements: &Value, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(b"--xapiboundary\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(statements.to_string().as_bytes());
    for (content_type, bytes) in parts {
        let sha = hex::encode(sha2::Sha256::digest(bytes));
        body.extend_from_slice(
            format!(
                "\r\n--xapiboundary\r\nContent-Type: {content_type}\r\n\
                 Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
    }
    body.extend_from_slice(b"\r\n--xapiboundary--\r\n");
    body
}

/// A compact JWS, RS256, over `payload`.
fn jws(payload: &Value, key: &rsa::RsaPrivateKey) -> String {
    use rsa::signature::{SignatureEncoding, Signer};
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let input = format!(
        "{}.{}",
        url.encode(json!({ "alg": "RS256" }).to_string()),
        url.encode(payload.to_string())
    );
    let signature = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone())
        .sign(input.as_bytes())
        .to_vec();
    format!("{input}.{}", url.encode(signature))
}

fn signed(statement: &Value, jws: &str) -> Value {
    let mut posted = statement.clone();
    posted["attachments"] = json!([{
        "usageType": "http://adlnet.gov/expapi/attachments/signature",
        "display": { "en-US": "signature" },
        "contentType": "application/octet-stream",
        "length": jws.len(),
        "sha2": hex::encode(sha2::Sha256::digest(jws.as_bytes())),
    }]);
    posted
}

#[tokio::test]
async fn xapi_00115_signed_statements_are_checked_against_their_payload() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let mut original = statement("signer", "completed", "sig1");
    original["id"] = json!(uuid::Uuid::new_v4().to_string());
    let send = |body: Vec<u8>, version: &'static str| {
        let lrs = &lrs;
        async move {
            lrs.call(
                "POST",
                "/xapi/statements",
                version,
                &[("Content-Type", "multipart/mixed; boundary=xapiboundary")],
                Some(body),
            )
            .await
        }
    };
    let good = jws(&original, &key);
    let posted = signed(&original, &good);
    let accepted = send(
        multipart(&posted, &[("application/octet-stream", good.as_bytes())]),
        V1,
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let back = lrs
        .get_as(
            V1,
            &format!(
                "statementId={}&attachments=true",
                original["id"].as_str().unwrap()
            ),
        )
        .await;
    assert!(
        back.body.contains(&good),
        "the signature is returned with it"
    );

    let mut other = original.clone();
    other["id"] = json!(uuid::Uuid::new_v4().to_string());
    let mut tampered = other.clone();
    tampered["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/failed");
    let wrong = jws(&tampered, &key);
    for version in [V1, V2] {
        let refused = send(
            multipart(
                &signed(&other, &wrong),
                &[("application/octet-stream", wrong.as_bytes())],
            ),
            version,
        )
        .await;
        assert_error(
            &refused,
            StatusCode::BAD_REQUEST,
            "signature_statement_mismatch",
        );
    }
    let not_jws = b"this is not a signature".as_slice();
    let mut garbled = other.clone();
    garbled["attachments"] = signed(&other, "this is not a signature")["attachments"].clone();
    let refused = send(
        multipart(&garbled, &[("application/octet-stream", not_jws)]),
        V1,
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        lrs.get_as(
            V1,
            &format!("statementId={}", other["id"].as_str().unwrap())
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "nothing stored"
    );
}

#[tokio::test]
async fn xapi_an_oversized_body_is_413() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let limit = t.app.settings.xapi.max_body_bytes;
    let mut s = statement("big", "completed", "b1");
    s["result"] = json!({ "extensions": { "http://example.com/ext/blob": "x".repeat(limit) } });
    let answer = lrs.post_as(V1, &s).await;
    assert_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    assert!(answer.headers.contains_key("X-Experience-API-Version"));
}

#[tokio::test]
async fn xapi_statements_in_another_media_type_are_400() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let body = statement("ct", "completed", "ct1").to_string().into_bytes();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
    ] {
        let answer = lrs
            .call(
                "POST",
                "/xapi/statements",
                V1,
                &[("Content-Type", content_type)],
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{content_type}: {}",
            answer.body
        );
        assert!(answer.json()["error"]["code"].is_string());
    }
    let charset = lrs
        .call(
            "POST",
            "/xapi/statements",
            V1,
            &[("Content-Type", "application/json; charset=utf-8")],
            Some(body),
        )
        .await;
    assert_eq!(
        charset.status,
        StatusCode::OK,
        "parameters on the media type are fine"
    );
}

#[tokio::test]
async fn xapi_a_post_of_statements_with_parameters_is_400() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let body = statement("qp", "completed", "qp1").to_string().into_bytes();
    for query in [
        format!("statementId={}", uuid::Uuid::new_v4()),
        "colour=red".to_owned(),
    ] {
        let answer = lrs
            .call(
                "POST",
                &format!("/xapi/statements?{query}"),
                V2,
                &[],
                Some(body.clone()),
            )
            .await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "unknown_parameter");
    }
    assert!(lrs
        .ids(&format!("agent={}", agent_param("qp")))
        .await
        .is_empty());
}

#[tokio::test]
async fn xapi_00142_the_same_statement_posted_twice_is_stored_once() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let mut s = statement("twice", "completed", "tw1");
    let id = uuid::Uuid::new_v4().to_string();
    s["id"] = json!(id);
    for version in [V1, V2, V1] {
        let answer = lrs.post_as(version, &s).await;
        assert_eq!(answer.status, StatusCode::OK, "{version}: {}", answer.body);
        assert_eq!(answer.json(), json!([id]));
    }
    let mut reordered = s.clone();
    reordered["timestamp"] = json!("2020-01-01T08:00:00+08:00");
    assert_eq!(
        lrs.post_as(V1, &reordered).await.status,
        StatusCode::CONFLICT,
        "a different statement under the same id"
    );
    assert_eq!(
        lrs.ids(&format!("agent={}", agent_param("twice"))).await,
        vec![id.clone()]
    );
    let batch = lrs
        .post_as(V1, &json!([s, statement("twice", "attempted", "tw2")]))
        .await;
    assert_eq!(batch.status, StatusCode::OK, "{}", batch.body);
    assert_eq!(batch.json()[0], id.as_str());
    assert_eq!(
        lrs.ids(&format!("agent={}", agent_param("twice")))
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn xapi_00101_statement_version_2_0_0_needs_a_2_0_request() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let mut s = statement("ver", "completed", "v1");
    s["version"] = json!("2.0.0");
    assert_error(
        &lrs.post_as(V1, &s).await,
        StatusCode::BAD_REQUEST,
        "invalid_statement_version",
    );
    let answer = lrs.post_as(V2, &s).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = answer.json()[0].as_str().unwrap().to_owned();
    assert_eq!(
        lrs.get_as(V2, &format!("statementId={id}")).await.json()["version"],
        "2.0.0"
    );
    let defaulted = lrs.post_as(V2, &statement("ver", "completed", "v2")).await;
    let id = defaulted.json()[0].as_str().unwrap().to_owned();
    assert_eq!(
        lrs.get_as(V2, &format!("statementId={id}")).await.json()["version"],
        "2.0.0"
    );
    for bad in ["1.1.0", "0.9.5", "two"] {
        s["version"] = json!(bad);
        assert_eq!(
            lrs.post_as(V2, &s).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn xapi_refusals_are_json_with_a_code_in_both_versions() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    for version in [V1, V2] {
        let mut bad = statement("err", "completed", "e1");
        bad["actor"] = json!({ "mbox": "err@example.com" });
        let answer = lrs.post_as(version, &bad).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        let v = answer.json();
        assert!(v["error"]["code"].as_str().is_some_and(|c| !c.is_empty()));
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert_eq!(v["error"]["path"], "actor.mbox", "{}", answer.body);
        assert_eq!(answer.headers["X-Experience-API-Version"], version);
        let not_json = lrs
            .call(
                "POST",
                "/xapi/statements",
                version,
                &[],
                Some(b"{".to_vec()),
            )
            .await;
        assert_error(&not_json, StatusCode::BAD_REQUEST, "invalid_json");
        let unknown = lrs
            .get_as(version, &format!("statementId={}", uuid::Uuid::new_v4()))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(unknown.json()["error"]["code"].is_string());
        let wrong_method = lrs
            .call("DELETE", "/xapi/statements", version, &[], None)
            .await;
        assert_error(
            &wrong_method,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        );
    }
    let anonymous = t
        .send(
            Request::get("/xapi/statements")
                .header("X-Experience-API-Version", V1)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn xapi_00162_a_statement_ref_stored_before_its_target_inherits_when_it_arrives() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let target = uuid::Uuid::new_v4().to_string();
    let early = lrs
        .store(&json!({
            "actor": mbox("early"),
            "verb": { "id": "http://example.com/verbs/commented" },
            "object": { "objectType": "StatementRef", "id": target }
        }))
        .await;
    let agent = agent_param("later");
    assert!(lrs.ids(&format!("agent={agent}")).await.is_empty());
    let mut late = statement("later", "completed", "lt1");
    late["id"] = json!(target);
    lrs.store(&late).await;
    assert_eq!(
        lrs.ids(&format!("agent={agent}")).await,
        vec![target.clone(), early],
        "the earlier referrer now matches the filter its target matches"
    );
}

#[tokio::test]
async fn xapi_voiding_a_voiding_statement_changes_nothing() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let target = lrs.store(&statement("vv", "completed", "vv1")).await;
    let void = |id: &str| {
        json!({ "actor": mbox("admin"), "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
                "object": { "objectType": "StatementRef", "id": id } })
    };
    let first = lrs.store(&void(&target)).await;
    let second = lrs.post_as(V2, &void(&first)).await;
    assert_eq!(second.status, StatusCode::OK, "accepted, and ignored");
    assert_eq!(
        lrs.get_as(V1, &format!("statementId={first}")).await.status,
        StatusCode::OK,
        "a voiding statement cannot be voided"
    );
    assert_eq!(
        lrs.get_as(V1, &format!("voidedStatementId={target}"))
            .await
            .status,
        StatusCode::OK,
        "its target stays voided"
    );
}

#[tokio::test]
async fn xapi_document_post_merges_only_json_objects_and_head_works_everywhere() {
    let t = TestApp::sqlite().await;
    let lrs = client(&t).await;
    let activity = enc("http://example.com/activities/dm1");
    let text = format!("/xapi/activities/profile?activityId={activity}&profileId=text");
    let put = lrs
        .document(
            "PUT",
            &text,
            V1,
            &[("Content-Type", "text/plain"), ("If-None-Match", "*")],
            Some("plain words"),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    let got = lrs.document("GET", &text, V1, &[], None).await;
    assert_eq!(got.body, "plain words");
    assert!(got.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let etag = put.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(
        lrs.document(
            "POST",
            &text,
            V1,
            &[("If-Match", &etag)],
            Some(r#"{"a":1}"#)
        )
        .await
        .status,
        StatusCode::BAD_REQUEST,
        "a stored document that is not JSON cannot be merged into"
    );
    let json_doc = format!("/xapi/activities/profile?activityId={activity}&profileId=json");
    lrs.document("POST", &json_doc, V1, &[], Some(r#"{"a":1}"#))
        .await;
    for body in ["[1,2]", "not json", "3"] {
        assert_eq!(
            lrs.document("POST", &json_doc, V1, &[], Some(body))
                .await
                .status,
            StatusCode::BAD_REQUEST,
            "{body}"
        );
    }
    assert_eq!(
        lrs.document("GET", &json_doc, V1, &[], None).await.json(),
        json!({ "a": 1 })
    );
    for path in [
        format!("/xapi/activities?activityId={activity}"),
        format!("/xapi/agents?agent={}", agent_param("dm")),
        json_doc.clone(),
    ] {
        let head = lrs.call("HEAD", &path, V2, &[], None).await;
        assert_eq!(head.status, StatusCode::OK, "{path}");
        assert!(head.body.is_empty(), "{path}");
        assert_eq!(head.headers["X-Experience-API-Version"], V2);
    }
    let about = t
        .send(Request::head("/xapi/about").body(Body::empty()).unwrap())
        .await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about.body.is_empty());
}

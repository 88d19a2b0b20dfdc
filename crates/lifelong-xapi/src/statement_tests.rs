//! Table-driven tests of `prepare`, named after the ADL conformance requirement ids, each row
//! run under both versions; fixtures are ours.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::compare::same_statement;

const V1: Version = Version::V1;
const V2: Version = Version::V2;
const OK: Option<&str> = None;
const NEW_ID: &str = "0191b9a0-0000-7000-8000-000000000001";

fn authority() -> Value {
    json!({"objectType": "Agent", "account": {"homePage": "https://lifelong.example/xapi/clients", "name": "key-1"}})
}

fn run(statement: Value, version: Version) -> Result<Prepared, XapiError> {
    let authority = authority();
    let new_id = Uuid::parse_str(NEW_ID).unwrap();
    prepare(
        statement,
        &Context {
            version,
            authority: &authority,
            new_id,
        },
    )
}

fn base() -> Value {
    json!({
        "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {"id": "http://example.com/meetings/34534"}
    })
}

fn sub_base() -> Value {
    json!({
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:sub@example.com"},
        "verb": {"id": "http://example.com/visited"},
        "object": {"id": "http://example.com/website"}
    })
}

/// `base()` with the value at a dotted path (`context.registration`, `actor.member.0`) set or,
/// with `None`, removed. Missing objects on the way are created.
fn edit(mut statement: Value, path: &str, value: Option<Value>) -> Value {
    let mut at = &mut statement;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        at = match part.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => {
                if at.get(*part).is_none() {
                    at[*part] = json!({});
                }
                &mut at[*part]
            }
        };
    }
    let last = parts[parts.len() - 1];
    match value {
        Some(value) => match last.parse::<usize>() {
            Ok(i) => at[i] = value,
            Err(_) => at[last] = value,
        },
        None => {
            at.as_object_mut().unwrap().remove(last);
        }
    }
    statement
}

fn with(path: &str, value: Value) -> Value {
    edit(base(), path, Some(value))
}

fn without(path: &str) -> Value {
    edit(base(), path, None)
}

fn with_sub(path: &str, value: Value) -> Value {
    with("object", edit(sub_base(), path, Some(value)))
}

/// Runs rows of (name, statement, expected code under 1.0, expected code under 2.0).
fn table(rows: Vec<(&str, Value, Option<&str>, Option<&str>)>) {
    for (name, statement, v1, v2) in rows {
        for (version, want) in [(V1, v1), (V2, v2)] {
            let got = run(statement.clone(), version).err().map(|e| e.code);
            assert_eq!(got, want, "{name} under {version:?}: {statement}");
        }
    }
}

/// Rows that behave the same under both versions.
fn both(rows: Vec<(&str, Value, Option<&str>)>) {
    table(rows.into_iter().map(|(n, s, c)| (n, s, c, c)).collect());
}

#[test]
fn xapi_00001_nulls_are_refused_except_in_extensions() {
    both(vec![
        (
            "actor name",
            with("actor.name", Value::Null),
            Some("null_value"),
        ),
        (
            "verb display value",
            with("verb.display", json!({"en-US": null})),
            Some("null_value"),
        ),
        (
            "registration",
            with("context.registration", Value::Null),
            Some("null_value"),
        ),
        (
            "moreInfo",
            with("object.definition", json!({"moreInfo": null})),
            Some("null_value"),
        ),
        ("statement id", with("id", Value::Null), Some("null_value")),
        ("result", with("result", Value::Null), Some("null_value")),
        (
            "activity extension",
            with(
                "object.definition",
                json!({"extensions": {"http://example.com/null": null}}),
            ),
            OK,
        ),
        (
            "result extension",
            with(
                "result",
                json!({"extensions": {"http://example.com/null": null}}),
            ),
            OK,
        ),
        (
            "context extension",
            with(
                "context",
                json!({"extensions": {"http://example.com/null": null}}),
            ),
            OK,
        ),
        (
            "substatement context extension",
            with_sub(
                "context",
                json!({"extensions": {"http://example.com/n": null}}),
            ),
            OK,
        ),
    ]);
}

#[test]
fn xapi_00003_to_00005_actor_verb_and_object_are_required() {
    both(vec![
        ("no actor", without("actor"), Some("missing_property")),
        ("no verb", without("verb"), Some("missing_property")),
        ("no object", without("object"), Some("missing_property")),
        ("no verb id", without("verb.id"), Some("missing_property")),
        ("not an object", json!(["statement"]), Some("wrong_type")),
    ]);
}

#[test]
fn xapi_00006_wrong_data_types_are_refused() {
    both(vec![
        (
            "max as text",
            with("result.score", json!({"max": "one hundred"})),
            Some("wrong_type"),
        ),
        (
            "max as numeric text",
            with("result.score", json!({"max": "100"})),
            Some("wrong_type"),
        ),
        (
            "success as text",
            with("result.success", json!("true")),
            Some("wrong_type"),
        ),
        (
            "completion as text",
            with("result.completion", json!("false")),
            Some("wrong_type"),
        ),
        ("id as number", with("id", json!(12345)), Some("wrong_type")),
        (
            "id as object",
            with("id", json!({"key": "should fail"})),
            Some("wrong_type"),
        ),
        (
            "verb as string",
            with("verb", json!("http://adlnet.gov/expapi/verbs/attended")),
            Some("wrong_type"),
        ),
        (
            "attachments as object",
            with("attachments", json!({})),
            Some("wrong_type"),
        ),
    ]);
}

#[test]
fn xapi_00008_keys_are_case_sensitive() {
    let moved = |from: &str, to: &str| {
        let mut s = base();
        let value = s.as_object_mut().unwrap().remove(from).unwrap();
        s[to] = value;
        s
    };
    both(vec![
        (
            "iD",
            with("iD", json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0")),
            Some("unknown_property"),
        ),
        ("Actor", moved("actor", "Actor"), Some("unknown_property")),
        ("veRb", moved("verb", "veRb"), Some("unknown_property")),
        (
            "oBject",
            moved("object", "oBject"),
            Some("unknown_property"),
        ),
        (
            "RESULT",
            with("RESULT", json!({})),
            Some("unknown_property"),
        ),
        (
            "conText",
            with("conText", json!({})),
            Some("unknown_property"),
        ),
        (
            "timeStamp",
            with("timeStamp", json!("2013-05-18T05:32:34.804Z")),
            Some("unknown_property"),
        ),
        (
            "STOred",
            with("STOred", json!("2013-05-18T05:32:34.804Z")),
            Some("unknown_property"),
        ),
        (
            "auTHORity",
            with("auTHORity", authority()),
            Some("unknown_property"),
        ),
        (
            "Version",
            with("Version", json!("1.0.3")),
            Some("unknown_property"),
        ),
        (
            "attachmentS",
            with("attachmentS", json!([])),
            Some("unknown_property"),
        ),
        (
            "actor Mbox",
            with("actor.Mbox", json!("mailto:a@b.c")),
            Some("unknown_property"),
        ),
    ]);
}

#[test]
fn xapi_00009_enumerations_match_exactly() {
    both(vec![
        (
            "object type activity",
            with("object.objectType", json!("activity")),
            Some("invalid_object_type"),
        ),
        (
            "actor type agent",
            with("actor.objectType", json!("agent")),
            Some("invalid_object_type"),
        ),
        (
            "interaction type",
            with(
                "object.definition",
                json!({"interactionType": "true-faLse"}),
            ),
            Some("invalid_interaction_type"),
        ),
        (
            "statementref type",
            with(
                "object",
                json!({"objectType": "statementref", "id": NEW_ID}),
            ),
            Some("invalid_object_type"),
        ),
    ]);
}

#[test]
fn xapi_00010_unknown_properties_and_version_specific_ones() {
    let agents =
        json!([{"objectType": "contextAgent", "agent": {"mbox": "mailto:p1@example.com"}}]);
    let groups = json!([{"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:g@example.com"}}]);
    table(vec![
        (
            "top-level extra",
            with("extra", json!(1)),
            Some("unknown_property"),
            Some("unknown_property"),
        ),
        (
            "verb extra",
            with("verb.name", json!("x")),
            Some("unknown_property"),
            Some("unknown_property"),
        ),
        (
            "contextAgents",
            with("context.contextAgents", agents.clone()),
            Some("unknown_property"),
            OK,
        ),
        (
            "contextGroups",
            with("context.contextGroups", groups.clone()),
            Some("unknown_property"),
            OK,
        ),
        (
            "sub contextAgents",
            with_sub("context.contextAgents", agents),
            Some("unknown_property"),
            OK,
        ),
        (
            "objectType at top",
            with("objectType", json!("Statement")),
            Some("unknown_property"),
            Some("unknown_property"),
        ),
    ]);
}

#[test]
fn xapi_00022_and_00123_timestamps_per_version() {
    table(vec![
        (
            "utc",
            with("timestamp", json!("2013-05-18T05:32:34.804Z")),
            OK,
            OK,
        ),
        (
            "offset",
            with("timestamp", json!("2013-05-18T05:32:34.804+08:00")),
            OK,
            OK,
        ),
        (
            "space separator",
            with("timestamp", json!("2008-09-15 15:53:00.601+00:00")),
            Some("invalid_timestamp"),
            OK,
        ),
        (
            "-00",
            with("timestamp", json!("2008-09-15T15:53:00.601-00")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "-0000",
            with("timestamp", json!("2008-09-15T15:53:00.601-0000")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "-00:00",
            with("timestamp", json!("2008-09-15T15:53:00.601-00:00")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "text",
            with("timestamp", json!("should fail")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "date",
            with("timestamp", json!("01/011/2015")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "number",
            with("timestamp", json!(20130518)),
            Some("wrong_type"),
            Some("wrong_type"),
        ),
        (
            "sub space",
            with_sub("timestamp", json!("2008-09-15 15:53:00.601+00:00")),
            Some("invalid_timestamp"),
            OK,
        ),
        (
            "sub -00:00",
            with_sub("timestamp", json!("2008-09-15T15:53:00.601-00:00")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
        (
            "stored valid",
            with("stored", json!("2013-05-18T05:32:34.804Z")),
            OK,
            OK,
        ),
        (
            "stored invalid",
            with("stored", json!("yesterday")),
            Some("invalid_timestamp"),
            Some("invalid_timestamp"),
        ),
    ]);
    let err = run(with("timestamp", json!("nope")), V1).unwrap_err();
    assert_eq!(err.path, "timestamp");
    let err = run(with_sub("timestamp", json!("nope")), V2).unwrap_err();
    assert_eq!(err.path, "object.timestamp");
}

#[test]
fn xapi_00024_and_00098_authority_sent_must_be_valid() {
    let oauth = json!({"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}});
    let bob = json!({"mbox": "mailto:bob@example.com"});
    both(vec![
        (
            "agent",
            with("authority", json!({"mbox": "mailto:lrs@example.com"})),
            OK,
        ),
        (
            "oauth pair",
            with(
                "authority",
                json!({"objectType": "Group", "member": [oauth, bob]}),
            ),
            OK,
        ),
        (
            "one member",
            with("authority", json!({"objectType": "Group", "member": [bob]})),
            Some("invalid_authority"),
        ),
        (
            "identified group",
            with(
                "authority",
                json!({"objectType": "Group", "openid": "http://openid.example.org/1"}),
            ),
            Some("invalid_authority"),
        ),
        (
            "agent objectType lower",
            with(
                "authority",
                json!({"objectType": "agent", "mbox": "mailto:a@b.c"}),
            ),
            Some("invalid_object_type"),
        ),
        (
            "string",
            with("authority", json!("lrs")),
            Some("wrong_type"),
        ),
    ]);
}

#[test]
fn xapi_00027_to_00030_statement_ids() {
    both(vec![
        (
            "lowercase",
            with("id", json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0")),
            OK,
        ),
        (
            "uppercase",
            with("id", json!("AA97B177-9383-4934-8543-0F91A7A02836")),
            OK,
        ),
        (
            "too many digits",
            with("id", json!("AA97B177-9383-4934-8543-0F91A7A028368")),
            Some("invalid_uuid"),
        ),
        (
            "non hex",
            with("id", json!("MA97B177-9383-4934-8543-0F91A7A02836")),
            Some("invalid_uuid"),
        ),
        (
            "no hyphens",
            with("id", json!("fd41c918b88b4b20a0a5a4c32391aaa0")),
            Some("invalid_uuid"),
        ),
        ("empty", with("id", json!("")), Some("invalid_uuid")),
        (
            "registration",
            with(
                "context.registration",
                json!("MA97B177-9383-4934-8543-0F91A7A02836"),
            ),
            Some("invalid_uuid"),
        ),
        (
            "statementref id",
            with(
                "object",
                json!({"objectType": "StatementRef", "id": "AA97B177-9383-4934-8543-0F91A7A028368"}),
            ),
            Some("invalid_uuid"),
        ),
        (
            "context statement id",
            with(
                "context.statement",
                json!({"objectType": "StatementRef", "id": 12345}),
            ),
            Some("wrong_type"),
        ),
    ]);
}

#[test]
fn xapi_00031_to_00043_actors() {
    both(vec![
        ("no objectType", without("actor.objectType"), OK),
        (
            "group actor",
            with(
                "actor",
                json!({"objectType": "Group", "name": "T", "member": [{"mbox": "mailto:m@example.com"}]}),
            ),
            OK,
        ),
        (
            "lowercase group",
            with("actor.objectType", json!("group")),
            Some("invalid_object_type"),
        ),
        (
            "two ifis",
            with("actor.openid", json!("http://openid.example.org/12345")),
            Some("agent_ifi_count"),
        ),
        ("no ifi", without("actor.mbox"), Some("agent_ifi_count")),
        (
            "bare address",
            with("actor.mbox", json!("ann@example.com")),
            Some("invalid_mbox"),
        ),
        (
            "member on agent",
            with("actor.member", json!([{"mbox": "mailto:m@example.com"}])),
            Some("unknown_property"),
        ),
        (
            "anonymous group without members",
            with("actor", json!({"objectType": "Group", "name": "T"})),
            Some("group_member_missing"),
        ),
        (
            "nested group",
            with(
                "actor",
                json!({"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@x.org"}]}),
            ),
            Some("group_not_allowed"),
        ),
        (
            "account name object",
            with(
                "actor",
                json!({"account": {"homePage": "http://x.org", "name": {"key": "x"}}}),
            ),
            Some("wrong_type"),
        ),
        (
            "instructor lowercase",
            with(
                "context.instructor",
                json!({"objectType": "agent", "mbox": "mailto:i@x.org"}),
            ),
            Some("invalid_object_type"),
        ),
        (
            "instructor group",
            with(
                "context.instructor",
                json!({"objectType": "Group", "mbox": "mailto:g@x.org"}),
            ),
            OK,
        ),
        (
            "team agent",
            with("context.team", json!({"mbox": "mailto:t@x.org"})),
            Some("group_required"),
        ),
        (
            "sub actor invalid",
            with_sub(
                "actor",
                json!({"objectType": "agent", "mbox": "mailto:a@b.c"}),
            ),
            Some("invalid_object_type"),
        ),
    ]);
}

#[test]
fn xapi_00044_and_00045_verbs() {
    both(vec![
        (
            "invalid id",
            with("verb.id", json!("ab=c://should.fail.com")),
            Some("invalid_iri"),
        ),
        ("no display", without("verb.display"), OK),
        (
            "display tag",
            with("verb.display", json!({"de-419-DE": "besucht"})),
            Some("invalid_language_tag"),
        ),
        (
            "display grandfathered",
            with("verb.display", json!({"i-enochian": "x"})),
            OK,
        ),
        (
            "display not a map",
            with("verb.display", json!("attended")),
            Some("wrong_type"),
        ),
        (
            "sub display tag",
            with_sub("verb.display", json!({"de-419-DE": "besucht"})),
            Some("invalid_language_tag"),
        ),
    ]);
}

#[test]
fn xapi_00046_to_00065_objects() {
    both(vec![
        (
            "agent object",
            with(
                "object",
                json!({"objectType": "Agent", "mbox": "mailto:o@example.com"}),
            ),
            OK,
        ),
        (
            "group object",
            with(
                "object",
                json!({"objectType": "Group", "member": [{"mbox": "mailto:o@example.com"}]}),
            ),
            OK,
        ),
        (
            "agent without objectType",
            with("object", json!({"mbox": "mailto:o@example.com"})),
            Some("unknown_property"),
        ),
        (
            "unknown objectType",
            with("object.objectType", json!("Statement")),
            Some("invalid_object_type"),
        ),
        (
            "activity without id",
            with("object", json!({"objectType": "Activity"})),
            Some("missing_property"),
        ),
        (
            "statementref",
            with(
                "object",
                json!({"objectType": "StatementRef", "id": NEW_ID}),
            ),
            OK,
        ),
        (
            "statementref without type",
            with("object", json!({"id": NEW_ID})),
            Some("invalid_iri"),
        ),
        (
            "statementref extra",
            with(
                "object",
                json!({"objectType": "StatementRef", "id": NEW_ID, "definition": {}}),
            ),
            Some("unknown_property"),
        ),
        (
            "definition invalid",
            with("object.definition", json!("text")),
            Some("wrong_type"),
        ),
        (
            "correct responses without type",
            with(
                "object.definition",
                json!({"correctResponsesPattern": ["a"]}),
            ),
            Some("interaction_type_missing"),
        ),
    ]);
}

#[test]
fn xapi_00066_to_00073_substatements() {
    both(vec![
        ("valid", with("object", sub_base()), OK),
        (
            "with result and context",
            with(
                "object",
                edit(
                    edit(sub_base(), "result", Some(json!({"success": true}))),
                    "context",
                    Some(json!({"platform": "web"})),
                ),
            ),
            OK,
        ),
        (
            "with id",
            with_sub("id", json!(NEW_ID)),
            Some("substatement_property"),
        ),
        (
            "with stored",
            with_sub("stored", json!("2013-05-18T05:32:34.804Z")),
            Some("substatement_property"),
        ),
        (
            "with version",
            with_sub("version", json!("1.0.0")),
            Some("substatement_property"),
        ),
        (
            "with authority",
            with_sub("authority", authority()),
            Some("substatement_property"),
        ),
        (
            "nested",
            with_sub("object", sub_base()),
            Some("nested_substatement"),
        ),
        (
            "invalid inner actor",
            with_sub("actor", json!({"name": "x"})),
            Some("agent_ifi_count"),
        ),
        (
            "without objectType",
            with("object", edit(sub_base(), "objectType", None)),
            Some("unknown_property"),
        ),
        (
            "inner statementref",
            with_sub(
                "object",
                json!({"objectType": "StatementRef", "id": NEW_ID}),
            ),
            OK,
        ),
        (
            "inner voided verb needs ref",
            with_sub("verb.id", json!(VOIDED)),
            Some("voiding_needs_statement_ref"),
        ),
        (
            "inner revision needs activity",
            with_sub(
                "object",
                json!({"objectType": "Agent", "mbox": "mailto:a@b.c"}),
            ),
            OK,
        ),
    ]);
}

#[test]
fn xapi_00074_to_00083_results() {
    both(vec![
        (
            "full",
            with(
                "result",
                json!({"score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}, "success": true, "completion": true, "response": "ok", "duration": "PT4H35M59.14S"}),
            ),
            OK,
        ),
        (
            "duration",
            with("result.duration", json!("PA1H0M0S")),
            Some("invalid_duration"),
        ),
        (
            "weeks mixed",
            with("result.duration", json!("P4W1D")),
            Some("invalid_duration"),
        ),
        (
            "scaled",
            with("result.score", json!({"scaled": 1.5})),
            Some("score_out_of_range"),
        ),
        (
            "raw above max",
            with("result.score", json!({"raw": 101, "max": 100})),
            Some("score_out_of_range"),
        ),
        (
            "min not below max",
            with("result.score", json!({"min": 5, "max": 5})),
            Some("score_out_of_range"),
        ),
        (
            "sub duration",
            with_sub("result", json!({"duration": "should fail"})),
            Some("invalid_duration"),
        ),
    ]);
}

#[test]
fn xapi_00084_to_00096_context() {
    let agent_object = json!({"objectType": "Agent", "mbox": "mailto:o@example.com"});
    let on_agent = |key: &str| {
        edit(
            with("object", agent_object.clone()),
            &format!("context.{key}"),
            Some(json!("x")),
        )
    };
    both(vec![
        (
            "revision on activity",
            with("context.revision", json!("1.1")),
            OK,
        ),
        (
            "platform on activity",
            with("context.platform", json!("web")),
            OK,
        ),
        (
            "revision on agent",
            on_agent("revision"),
            Some("context_requires_activity"),
        ),
        (
            "platform on agent",
            on_agent("platform"),
            Some("context_requires_activity"),
        ),
        (
            "revision number",
            with("context.revision", json!(2)),
            Some("wrong_type"),
        ),
        (
            "registration",
            with(
                "context.registration",
                json!("ec531277-b57b-4c15-8d91-d292c5b2b8f7"),
            ),
            OK,
        ),
        ("language", with("context.language", json!("zh-CN")), OK),
        (
            "language long",
            with(
                "context.language",
                json!("supercalifragilisticexpialidociouswhatabouthhhhhhh"),
            ),
            OK,
        ),
        (
            "language invalid",
            with("context.language", json!("en US")),
            Some("invalid_language_tag"),
        ),
        (
            "statement ref",
            with(
                "context.statement",
                json!({"objectType": "StatementRef", "id": NEW_ID}),
            ),
            OK,
        ),
        (
            "statement ref without type",
            with("context.statement", json!({"id": NEW_ID})),
            Some("missing_property"),
        ),
        (
            "contextActivities single",
            with(
                "context.contextActivities",
                json!({"parent": {"id": "http://example.com/p"}}),
            ),
            OK,
        ),
        (
            "contextActivities key",
            with(
                "context.contextActivities",
                json!({"parents": [{"id": "http://example.com/p"}]}),
            ),
            Some("unknown_property"),
        ),
        (
            "contextActivities empty",
            with("context.contextActivities", json!({})),
            Some("empty_context_activities"),
        ),
        (
            "contextActivities value",
            with(
                "context.contextActivities",
                json!({"other": "http://example.com/p"}),
            ),
            Some("wrong_type"),
        ),
        (
            "contextActivities item",
            with(
                "context.contextActivities",
                json!({"other": [{"id": "not an iri"}]}),
            ),
            Some("invalid_iri"),
        ),
        (
            "contextActivities agent",
            with(
                "context.contextActivities",
                json!({"other": [{"objectType": "Agent", "mbox": "mailto:a@b.c"}]}),
            ),
            Some("invalid_object_type"),
        ),
        (
            "extension key",
            with("context.extensions", json!({"altitude": 1})),
            Some("invalid_iri"),
        ),
    ]);
}

#[test]
fn xapi_00101_statement_version_per_request_version() {
    table(vec![
        ("1.0", with("version", json!("1.0")), OK, OK),
        ("1.0.0", with("version", json!("1.0.0")), OK, OK),
        ("1.0.9", with("version", json!("1.0.9")), OK, OK),
        (
            "2.0.0",
            with("version", json!("2.0.0")),
            Some("invalid_statement_version"),
            OK,
        ),
        (
            "2.0",
            with("version", json!("2.0")),
            Some("invalid_statement_version"),
            OK,
        ),
        (
            "text",
            with("version", json!("should fail")),
            Some("invalid_statement_version"),
            Some("invalid_statement_version"),
        ),
        (
            "0.9.9",
            with("version", json!("0.9.9")),
            Some("invalid_statement_version"),
            Some("invalid_statement_version"),
        ),
        (
            "1.1.0",
            with("version", json!("1.1.0")),
            Some("invalid_statement_version"),
            Some("invalid_statement_version"),
        ),
        (
            "number",
            with("version", json!(1.0)),
            Some("wrong_type"),
            Some("wrong_type"),
        ),
    ]);
}

#[test]
fn xapi_00102_to_00107_attachments_in_statements() {
    let attachment = json!({
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "text/plain; charset=ascii",
        "length": 27,
        "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        "fileUrl": "http://over.there.com/file.txt"
    });
    both(vec![
        (
            "valid",
            with("attachments", json!([attachment.clone()])),
            OK,
        ),
        ("empty list", with("attachments", json!([])), OK),
        (
            "display tag",
            with(
                "attachments",
                json!([edit(
                    attachment.clone(),
                    "display",
                    Some(json!({"de-419-DE": "x"}))
                )]),
            ),
            Some("invalid_language_tag"),
        ),
        (
            "no sha2",
            with(
                "attachments",
                json!([edit(attachment.clone(), "sha2", None)]),
            ),
            Some("missing_property"),
        ),
        (
            "sub attachments",
            with_sub("attachments", json!([attachment])),
            OK,
        ),
    ]);
}

#[test]
fn voiding_needs_a_statement_ref() {
    both(vec![
        (
            "voiding ref",
            edit(
                with("verb.id", json!(VOIDED)),
                "object",
                Some(json!({"objectType": "StatementRef", "id": NEW_ID})),
            ),
            OK,
        ),
        (
            "voiding activity",
            with("verb.id", json!(VOIDED)),
            Some("voiding_needs_statement_ref"),
        ),
    ]);
}

#[test]
fn context_agents_and_groups_in_2_0() {
    let agent = |extra: Value| {
        let mut item = json!({"objectType": "contextAgent", "agent": {"objectType": "Agent", "mbox": "mailto:p1@example.com"}});
        for (k, v) in extra.as_object().unwrap() {
            item[k] = v.clone();
        }
        with("context.contextAgents", json!([item]))
    };
    let group =
        json!({"objectType": "Group", "name": "G", "member": [{"mbox": "mailto:g1@example.com"}]});
    table(vec![
        (
            "valid",
            agent(json!({"relevantTypes": ["http://example.com/types/coach"]})),
            Some("unknown_property"),
            OK,
        ),
        (
            "bad objectType",
            agent(json!({"objectType": "Should fail"})),
            Some("unknown_property"),
            Some("invalid_object_type"),
        ),
        (
            "bad agent",
            agent(json!({"agent": {"key": "Should fail"}})),
            Some("unknown_property"),
            Some("unknown_property"),
        ),
        (
            "group as agent",
            agent(json!({"agent": group.clone()})),
            Some("unknown_property"),
            Some("group_not_allowed"),
        ),
        (
            "empty relevantTypes",
            agent(json!({"relevantTypes": []})),
            Some("unknown_property"),
            Some("empty_relevant_types"),
        ),
        (
            "non-IRI relevantType",
            agent(json!({"relevantTypes": ["abc"]})),
            Some("unknown_property"),
            Some("invalid_iri"),
        ),
        (
            "no objectType",
            with(
                "context.contextAgents",
                json!([{"agent": {"mbox": "mailto:p1@example.com"}}]),
            ),
            Some("unknown_property"),
            Some("missing_property"),
        ),
        (
            "group",
            with(
                "context.contextGroups",
                json!([{"objectType": "contextGroup", "group": group.clone(), "relevantTypes": ["http://example.com/t"]}]),
            ),
            Some("unknown_property"),
            OK,
        ),
        (
            "group needs Group",
            with(
                "context.contextGroups",
                json!([{"objectType": "contextGroup", "group": {"mbox": "mailto:g@x.org"}}]),
            ),
            Some("unknown_property"),
            Some("group_required"),
        ),
        (
            "group type",
            with(
                "context.contextGroups",
                json!([{"objectType": "contextAgent", "group": group}]),
            ),
            Some("unknown_property"),
            Some("invalid_object_type"),
        ),
        (
            "not an array",
            with("context.contextAgents", json!({})),
            Some("unknown_property"),
            Some("wrong_type"),
        ),
    ]);
}

#[test]
fn errors_carry_paths_and_both_languages() {
    let err = run(
        with(
            "context.contextActivities",
            json!({"parent": [{"id": "x"}]}),
        ),
        V1,
    )
    .unwrap_err();
    assert_eq!(err.path, "context.contextActivities.parent[0].id");
    assert_eq!(err.status.code(), 400);
    assert!(!err.en.is_empty() && !err.zh.is_empty() && err.en != err.zh);
    let err = run(with_sub("actor", json!({"mbox": "nope"})), V2).unwrap_err();
    assert_eq!(err.path, "object.actor.mbox");
}

#[test]
fn normalisation_sets_lrs_properties() {
    let sent = edit(
        edit(
            with("timestamp", json!("2013-05-18T13:32:34.804+08:00")),
            "stored",
            Some(json!("2001-01-01T00:00:00Z")),
        ),
        "authority",
        Some(json!({"mbox": "mailto:spoof@example.com"})),
    );
    let sent = edit(
        sent,
        "context.contextActivities",
        Some(json!({"parent": {"id": "http://example.com/series/1"}})),
    );
    for (version, default) in [(V1, "1.0.0"), (V2, "2.0.0")] {
        let p = run(sent.clone(), version).unwrap();
        assert_eq!(p.id.to_string(), NEW_ID);
        assert_eq!(p.statement["id"], NEW_ID);
        assert_eq!(p.statement["authority"], authority());
        assert_eq!(p.statement["version"], default);
        assert!(p.statement.get("stored").is_none());
        assert_eq!(p.statement["timestamp"], "2013-05-18T05:32:34.804Z");
        assert!(p.has_timestamp);
        assert_eq!(
            p.statement["context"]["contextActivities"]["parent"],
            json!([{"id": "http://example.com/series/1"}])
        );
        assert_eq!(p.verb, "http://adlnet.gov/expapi/verbs/attended");
    }
    let kept = run(with("version", json!("1.0.3")), V1).unwrap();
    assert_eq!(kept.statement["version"], "1.0.3");
    let own_id = run(
        with("id", json!("AA97B177-9383-4934-8543-0F91A7A02836")),
        V1,
    )
    .unwrap();
    assert_eq!(
        own_id.id.to_string(),
        "aa97b177-9383-4934-8543-0f91a7a02836"
    );
    assert_eq!(
        own_id.statement["id"],
        "AA97B177-9383-4934-8543-0F91A7A02836"
    );
    let no_time = run(base(), V2).unwrap();
    assert!(!no_time.has_timestamp);
    let text = no_time.to_stored_json("2024-01-02T03:04:05.678Z");
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["stored"], "2024-01-02T03:04:05.678Z");
    assert_eq!(back["timestamp"], "2024-01-02T03:04:05.678Z");
    assert_eq!(back["actor"], base()["actor"]);
    let timed = run(with("timestamp", json!("2013-05-18T05:32:34.804Z")), V2).unwrap();
    let back: Value =
        serde_json::from_str(&timed.to_stored_json("2024-01-02T03:04:05.678Z")).unwrap();
    assert_eq!(back["timestamp"], "2013-05-18T05:32:34.804Z");
}

#[test]
fn index_facts_follow_the_filter_rules() {
    let statement = json!({
        "actor": {"objectType": "Group", "mbox": "mailto:team@example.com", "member": [{"mbox": "mailto:Ann@Example.com"}]},
        "verb": {"id": "http://example.com/planned"},
        "object": {
            "objectType": "SubStatement",
            "actor": {"openid": "http://openid.example.org/sub"},
            "verb": {"id": "http://example.com/visited"},
            "object": {"id": "http://example.com/website", "definition": {"name": {"en": "Site"}}},
            "context": {"contextActivities": {"parent": {"id": "http://example.com/sub-parent"}}}
        },
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"account": {"homePage": "https://lms.example.com", "name": "teacher"}},
            "team": {"objectType": "Group", "member": [{"mbox": "mailto:mate@example.com"}]},
            "contextActivities": {"grouping": [{"id": "http://example.com/course", "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}]},
            "contextAgents": [{"objectType": "contextAgent", "agent": {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}}]
        }
    });
    let p = run(statement, V2).unwrap();
    let agents: Vec<(&str, bool)> = p.agents.iter().map(|(k, b)| (k.as_str(), *b)).collect();
    assert_eq!(
        agents,
        vec![
            ("mbox:mailto:team@example.com", true),
            ("mbox:mailto:Ann@example.com", true),
            ("openid:http://openid.example.org/sub", false),
            ("account:https://lms.example.com|teacher", false),
            ("mbox:mailto:mate@example.com", false),
            (
                "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975",
                false
            ),
            ("account:https://lifelong.example/xapi/clients|key-1", false),
        ]
    );
    let activities: Vec<(&str, bool)> =
        p.activities.iter().map(|(k, b)| (k.as_str(), *b)).collect();
    assert_eq!(
        activities,
        vec![
            ("http://example.com/website", false),
            ("http://example.com/sub-parent", false),
            ("http://example.com/course", false),
        ]
    );
    let defined: Vec<&str> = p.definitions.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        defined,
        vec!["http://example.com/website", "http://example.com/course"]
    );
    assert_eq!(
        p.registration.map(|r| r.to_string()).as_deref(),
        Some("ec531277-b57b-4c15-8d91-d292c5b2b8f7")
    );
    assert_eq!((p.voids, p.refers_to), (None, None));

    let plain = run(
        with(
            "context.contextActivities",
            json!({"parent": [{"id": "http://example.com/meetings/34534"}]}),
        ),
        V1,
    )
    .unwrap();
    assert_eq!(
        plain.activities,
        vec![("http://example.com/meetings/34534".to_owned(), true)]
    );

    let target = Uuid::parse_str("fd41c918-b88b-4b20-a0a5-a4c32391aaa0").unwrap();
    let reference = with(
        "object",
        json!({"objectType": "StatementRef", "id": "FD41C918-B88B-4B20-A0A5-A4C32391AAA0"}),
    );
    let p = run(reference.clone(), V1).unwrap();
    assert_eq!((p.voids, p.refers_to), (None, Some(target)));
    let p = run(edit(reference, "verb.id", Some(json!(VOIDED))), V1).unwrap();
    assert_eq!((p.voids, p.refers_to), (Some(target), None));
    assert!(p.activities.is_empty());
}

#[test]
fn comparison_is_stable_across_serialisations() {
    let a = run(
        with("timestamp", json!("2013-05-18T13:32:34.804+08:00")),
        V1,
    )
    .unwrap();
    let b = run(with("timestamp", json!("2013-05-18T05:32:34.804Z")), V2).unwrap();
    assert_eq!(a.comparison, b.comparison);
    let c = run(with("timestamp", json!("2013-05-18T05:32:35.804Z")), V2).unwrap();
    assert_ne!(a.comparison, c.comparison);
    let d = run(with("verb.display", json!({"zh-CN": "参加了"})), V1).unwrap();
    let e = run(base(), V1).unwrap();
    assert_eq!(d.comparison, e.comparison);
    assert!(same_statement(&d.statement, &base()));
}

// ---- property tests ---------------------------------------------------------------------------

fn arb_agent() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z]{1,8}@[a-z]{1,8}\\.(com|org|cn)".prop_map(|m| json!({"mbox": format!("mailto:{m}")})),
        "[0-9a-f]{40}".prop_map(|s| json!({"objectType": "Agent", "mbox_sha1sum": s})),
        "[a-z0-9]{1,12}".prop_map(
            |n| json!({"name": n, "account": {"homePage": "https://lms.example.com", "name": n}})
        ),
    ]
}

fn arb_statement() -> impl Strategy<Value = Value> {
    (
        arb_agent(),
        prop::collection::vec(arb_agent(), 0..3),
        "[a-z]{1,10}",
        prop::option::of((-1.0f64..=1.0, any::<bool>(), 0u32..100_000)),
        prop::option::of((0i64..4_000_000_000, 0u32..1000, -720i32..720)),
        prop::option::of("[a-z]{1,6}"),
        any::<bool>(),
    )
        .prop_map(|(actor, members, verb, result, time, parent, as_group)| {
            let actor = if as_group && !members.is_empty() {
                json!({"objectType": "Group", "member": members})
            } else {
                actor
            };
            let mut s = json!({
                "actor": actor,
                "verb": {"id": format!("http://example.com/verbs/{verb}"), "display": {"en": verb}},
                "object": {"id": format!("http://example.com/activities/{verb}"), "definition": {"name": {"zh-CN": verb}}}
            });
            if let Some((scaled, success, secs)) = result {
                s["result"] = json!({"score": {"scaled": scaled}, "success": success, "duration": format!("PT{secs}.5S")});
            }
            if let Some((secs, millis, offset_min)) = time {
                let offset = time::UtcOffset::from_whole_seconds(offset_min * 60).unwrap();
                let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap().to_offset(offset)
                    + time::Duration::milliseconds(i64::from(millis));
                let text = t.format(&time::format_description::well_known::Rfc3339).unwrap();
                s["timestamp"] = json!(text);
            }
            if let Some(parent) = parent {
                s["context"] = json!({"contextActivities": {"parent": {"id": format!("http://example.com/{parent}")}}});
            }
            s
        })
}

proptest! {
    #[test]
    fn accepted_statements_are_accepted_again_and_compare_equal(statement in arb_statement(), v2 in any::<bool>()) {
        let version = if v2 { V2 } else { V1 };
        let first = run(statement.clone(), version).unwrap();
        prop_assert!(same_statement(&statement, &first.statement));
        let stored: Value = serde_json::from_str(&first.to_stored_json("2024-01-02T03:04:05.678Z")).unwrap();
        let second = run(stored.clone(), version).unwrap();
        prop_assert!(second.has_timestamp);
        prop_assert_eq!(&first.agents, &second.agents);
        prop_assert_eq!(&first.activities, &second.activities);
        prop_assert!(same_statement(&first.statement, &second.statement));
        prop_assert!(same_statement(&stored, &second.statement));
        if first.has_timestamp {
            prop_assert_eq!(first.comparison, second.comparison);
            // Whole-value equality would trip over serde_json's float parsing (one unit in the
            // last place); the comparison form above is the equality that matters.
            prop_assert_eq!(&first.statement["timestamp"], &second.statement["timestamp"]);
            prop_assert_eq!(&first.statement["actor"], &second.statement["actor"]);
        } else {
            // The writer's timestamp is a difference for the stored digest (see compare.rs).
            prop_assert_ne!(first.comparison, second.comparison);
        }
    }
}

// ---- throughput -------------------------------------------------------------------------------

fn kilobyte_statement(i: usize) -> Vec<u8> {
    json!({
        "id": Uuid::from_u128(0x0191_b9a0_0000_7000_8000_0000_0000_0000 + i as u128).to_string(),
        "actor": {"objectType": "Agent", "name": "学习者 Learner", "account": {"homePage": "https://lifelong.example", "name": format!("learner-{i}")}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed", "zh-CN": "完成"}},
        "object": {
            "objectType": "Activity",
            "id": format!("https://lifelong.example/courses/{}", i % 500),
            "definition": {
                "name": {"en-US": "Community course: elderly care basics", "zh-CN": "社区课程：老年照护基础"},
                "description": {"en-US": "An evening class at the district community college.", "zh-CN": "区社区学院的晚间课程。"},
                "type": "http://adlnet.gov/expapi/activities/course"
            }
        },
        "result": {"score": {"scaled": 0.92, "raw": 92, "min": 0, "max": 100}, "success": true, "completion": true, "duration": "PT2H30M"},
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"name": "Teacher", "mbox": "mailto:teacher@college.example.cn"},
            "contextActivities": {
                "parent": [{"id": "https://lifelong.example/programmes/care"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]
            },
            "language": "zh-CN",
            "extensions": {"https://lifelong.example/xapi/ext/site": "Room 204"}
        },
        "timestamp": "2024-03-01T19:30:00.000+08:00"
    })
    .to_string()
    .into_bytes()
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn prepare_throughput() {
    use std::time::{Duration, Instant};
    let bodies: Vec<Vec<u8>> = (0..2_000).map(kilobyte_statement).collect();
    let size = bodies.iter().map(Vec::len).sum::<usize>() / bodies.len();
    let authority = authority();
    let rounds = 25;
    let (mut parse, mut validate, mut serialise) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut digest = 0u8;
    for _ in 0..rounds {
        for (i, body) in bodies.iter().enumerate() {
            let t0 = Instant::now();
            let statement = parse_statements(body).unwrap().pop().unwrap();
            let t1 = Instant::now();
            let ctx = Context {
                version: V2,
                authority: &authority,
                new_id: Uuid::from_u128(i as u128),
            };
            let prepared = prepare(statement, &ctx).unwrap();
            let t2 = Instant::now();
            let stored = prepared.to_stored_json("2024-03-01T11:30:00.123Z");
            let t3 = Instant::now();
            digest ^= prepared.comparison[0] ^ stored.as_bytes()[1];
            parse += t1 - t0;
            validate += t2 - t1;
            serialise += t3 - t2;
        }
    }
    let count = u32::try_from(bodies.len() * rounds).unwrap();
    let total = parse + validate + serialise;
    println!(
        "prepare throughput, {count} statements of ~{size} bytes, one core: parse {:?} + prepare {:?} + stored JSON {:?} = {:?} each, {:.0} statements/s [{digest}]",
        parse / count,
        validate / count,
        serialise / count,
        total / count,
        f64::from(count) / total.as_secs_f64()
    );
}

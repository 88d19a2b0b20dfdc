//! Fuzzing the statement parser with proptest (`cargo fuzz` needs a nightly toolchain): arbitrary
//! bytes, byte-level mutations of valid statements, and valid statements mutated as JSON
//! (keys deleted and inserted, values of the wrong type, hostile strings in IRIs, timestamps,
//! durations, UUIDs and language tags, deep nesting) go through `parse_statements` and
//! `prepare` under both versions. Nothing may panic, every refusal names a code, and every
//! accepted statement, prepared again — as a value and after a trip through its JSON text —
//! is accepted with the same comparison digest and id.
//!
//! `LIFELONG_FUZZ_CASES` sets the number of inputs (default 2,000, so CI stays fast); a long
//! run: `LIFELONG_FUZZ_CASES=1000000 cargo test --release -p lifelong-xapi fuzz -- --nocapture`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::error::Status;
use crate::{parse_statements, prepare, Context, Version};

fn cases() -> u32 {
    std::env::var("LIFELONG_FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(2_000)
}

fn authority() -> Value {
    json!({"objectType": "Agent", "account": {"homePage": "https://lifelong.example/xapi/clients", "name": "fuzz"}})
}

/// Valid statements covering every part of the data model, the starting points of mutation.
fn seeds() -> Vec<Value> {
    let agent = json!({"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"});
    vec![
        json!({
            "actor": agent,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
            "object": {"id": "http://example.com/meetings/34534"}
        }),
        json!({
            "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "actor": {"objectType": "Group", "name": "Team", "member": [
                {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
                {"openid": "http://openid.example.org/12345"},
                {"account": {"homePage": "http://www.example.com", "name": "13936749"}}]},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed", "zh-CN": "完成"}},
            "object": {
                "objectType": "Activity",
                "id": "http://www.example.com/tincan/activities/multipart",
                "definition": {
                    "name": {"en-US": "Multi Part Activity"},
                    "description": {"en-US": "Multi Part Activity Description"},
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "moreInfo": "http://example.com/more",
                    "interactionType": "choice",
                    "correctResponsesPattern": ["golf[,]tetris"],
                    "choices": [{"id": "golf", "description": {"en-US": "Golf Example"}},
                                {"id": "tetris", "description": {"en-US": "Tetris Example"}}],
                    "extensions": {"http://example.com/ext": {"nested": [1, 2.5, null, true]}}
                }
            },
            "result": {
                "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
                "success": true, "completion": true, "response": "golf[,]tetris",
                "duration": "PT1H0M0S",
                "extensions": {"http://example.com/ext/r": null}
            },
            "context": {
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
                "instructor": {"name": "Teacher", "mbox": "mailto:teacher@example.com"},
                "team": {"objectType": "Group", "mbox": "mailto:team@example.com"},
                "contextActivities": {
                    "parent": {"id": "http://example.com/parent"},
                    "grouping": [{"id": "http://example.com/grouping"}],
                    "category": [{"id": "http://example.com/category", "definition": {"type": "http://adlnet.gov/expapi/activities/profile"}}],
                    "other": [{"id": "http://example.com/other"}]
                },
                "revision": "r1", "platform": "Example", "language": "zh-Hans-CN",
                "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
                "extensions": {"http://example.com/ext/c": "x"}
            },
            "timestamp": "2013-05-18T05:32:34.804+08:00",
            "stored": "2013-05-18T05:32:34.804Z",
            "authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.com"},
            "version": "1.0.3",
            "attachments": [{
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "A"}, "description": {"en-US": "B"},
                "contentType": "application/octet-stream", "length": 4235,
                "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
                "fileUrl": "http://example.com/file"
            }]
        }),
        json!({
            "actor": {"mbox": "mailto:ann@example.com"},
            "verb": {"id": "http://example.com/verbs/planned"},
            "object": {
                "objectType": "SubStatement",
                "actor": {"objectType": "Agent", "mbox": "mailto:bob@example.com"},
                "verb": {"id": "http://example.com/verbs/visit", "display": {"en": "visit"}},
                "object": {"objectType": "Agent", "account": {"homePage": "https://example.com", "name": "c"}},
                "result": {"duration": "P1DT12H", "score": {"scaled": -0.5}},
                "context": {"contextActivities": {"parent": [{"id": "http://example.com/p"}]}},
                "timestamp": "2015-01-01T00:00:00Z"
            }
        }),
        json!({
            "actor": {"mbox": "mailto:admin@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
        }),
        json!({
            "actor": {"mbox": "mailto:ann@example.com"},
            "verb": {"id": "urn:example:verb"},
            "object": {"id": "http://example.com/q", "definition": {
                "interactionType": "matching",
                "source": [{"id": "a", "description": {"en": "A"}}],
                "target": [{"id": "b", "description": {"en": "B"}}],
                "correctResponsesPattern": ["a[.]b"]}},
            "context": {
                "contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:c@example.com"},
                                   "relevantTypes": ["http://example.com/types/t"]}],
                "contextGroups": [{"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:g@example.com"}}]
            },
            "result": {"duration": "P3W"},
            "timestamp": "2008-09-15 15:53:00.601+00:00",
            "version": "2.0.0"
        }),
    ]
}

// ---- hostile strings --------------------------------------------------------------------------

fn iri() -> BoxedStrategy<String> {
    prop_oneof![
        Just("http://example.com/a b".to_owned()),
        Just("ab=c://should.fail.com".to_owned()),
        Just("http://例子.测试/路径?q=值#片".to_owned()),
        Just("urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee".to_owned()),
        Just("http://[::1]:80/x".to_owned()),
        Just("http://[zz]/".to_owned()),
        Just("mailto:".to_owned()),
        Just(":".to_owned()),
        Just(String::new()),
        "[a-zA-Z][a-zA-Z0-9+.-]{0,6}:[ -~]{0,24}",
        "http://[a-z%0-9.:@\\[\\]-]{0,12}/[ -~\u{80}-\u{10ffff}]{0,12}",
        any::<String>(),
    ]
    .boxed()
}

fn timestamp() -> BoxedStrategy<String> {
    prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{0,14})?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?",
        "[0-9]{8}T[0-9]{4,6}(\\.[0-9]{1,20})?([+-][0-9]{2,4})?",
        "[0-9+-]{0,6}-[0-9]{1,3}-[0-9]{1,3}T[0-9:.]{0,20}[Z+-]?[0-9:]{0,6}",
        Just("2013-02-29T00:00:00Z".to_owned()),
        Just("9999-12-31T23:59:60.999999999999+23:59".to_owned()),
        Just("0000-01-01T00:00:00-00:00".to_owned()),
        any::<String>(),
    ]
    .boxed()
}

fn duration() -> BoxedStrategy<String> {
    prop_oneof![
        "P([0-9]{1,22}Y)?([0-9]{1,22}M)?([0-9]{1,22}W)?([0-9]{1,22}D)?(T([0-9]{1,22}H)?([0-9]{1,22}M)?([0-9]{1,22}([.,][0-9]{0,22})?S)?)?",
        "[PTYMWDHS0-9.,-]{0,24}",
        Just("P".to_owned()),
        Just("PT".to_owned()),
        Just("P4W1D".to_owned()),
        Just("PT99999999999999999999999999999S".to_owned()),
        any::<String>(),
    ]
    .boxed()
}

fn uuid_text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<u128>().prop_map(|n| Uuid::from_u128(n).to_string()),
        any::<u128>().prop_map(|n| Uuid::from_u128(n).simple().to_string()),
        any::<u128>().prop_map(|n| Uuid::from_u128(n).urn().to_string()),
        any::<u128>().prop_map(|n| Uuid::from_u128(n).braced().to_string().to_uppercase()),
        "[0-9a-fA-FgG-]{30,40}",
        any::<String>(),
    ]
    .boxed()
}

fn language_tag() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8}){0,4}",
        "[a-zA-Z0-9-]{0,20}",
        Just("x-private".to_owned()),
        Just("i-klingon".to_owned()),
        Just("a12345".to_owned()),
        any::<String>(),
    ]
    .boxed()
}

fn mbox() -> BoxedStrategy<String> {
    prop_oneof![
        "mailto:[ -~]{0,20}",
        "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}",
        any::<String>(),
    ]
    .boxed()
}

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        iri(),
        timestamp(),
        duration(),
        uuid_text(),
        language_tag(),
        mbox()
    ]
    .boxed()
}

// ---- JSON values ------------------------------------------------------------------------------

const KEYS: &[&str] = &[
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
    "objectType",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
    "homePage",
    "name",
    "member",
    "display",
    "definition",
    "description",
    "type",
    "moreInfo",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
    "extensions",
    "score",
    "scaled",
    "raw",
    "min",
    "max",
    "success",
    "completion",
    "response",
    "duration",
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "contextAgents",
    "contextGroups",
    "relevantTypes",
    "agent",
    "group",
    "parent",
    "grouping",
    "category",
    "other",
    "revision",
    "platform",
    "language",
    "statement",
    "usageType",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
    "en-US",
    "zh-CN",
    "",
];

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => language_tag(),
        1 => iri(),
    ]
    .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            0.0, -0.0, 1.0, -1.0, 1.0000001, -1.0000001, 1e308, 5e-324
        ])
        .prop_map(Value::from),
        prop::sample::select(vec![
            "Activity",
            "Agent",
            "Group",
            "StatementRef",
            "SubStatement",
            "contextAgent",
            "contextGroup",
            "choice",
            "true-false",
            "likert",
            "http://adlnet.gov/expapi/verbs/voided",
            "http://adlnet.gov/expapi/attachments/signature",
        ])
        .prop_map(Value::from),
        hostile_string().prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep.
fn value() -> BoxedStrategy<Value> {
    scalar()
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
        .boxed()
}

/// One change to a statement tree, at the `at`-th node (modulo the node count).
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove a key of an object (or an item of an array).
    Delete(usize, usize),
    /// Insert or overwrite a key of an object (or push onto an array).
    Insert(usize, String, Value),
    /// Replace the node.
    Replace(usize, Value),
    /// Replace the node with itself wrapped `depth` times in arrays or objects.
    Nest(usize, usize, bool),
    /// Copy one node over another (a valid part in the wrong place).
    Transplant(usize, usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, k)| Mutation::Delete(a, k)),
        3 => (any::<usize>(), key(), value()).prop_map(|(a, k, v)| Mutation::Insert(a, k, v)),
        4 => (any::<usize>(), value()).prop_map(|(a, v)| Mutation::Replace(a, v)),
        1 => (any::<usize>(), 1usize..160, any::<bool>()).prop_map(|(a, d, o)| Mutation::Nest(a, d, o)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Transplant(a, b)),
    ]
    .boxed()
}

/// The number of nodes of a tree (pre-order).
fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// The `n`-th node in pre-order.
fn node_mut(value: &mut Value, n: usize) -> Option<&mut Value> {
    fn walk<'v>(value: &'v mut Value, n: &mut usize) -> Option<&'v mut Value> {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
        let children: Vec<&mut Value> = match value {
            Value::Array(items) => items.iter_mut().collect(),
            Value::Object(map) => map.values_mut().collect(),
            _ => return None,
        };
        for child in children {
            let size = count(child);
            if *n < size {
                return walk(child, n);
            }
            *n -= size;
        }
        None
    }
    let mut n = n;
    walk(value, &mut n)
}

fn apply(mut statement: Value, mutations: &[Mutation]) -> Value {
    for m in mutations {
        let nodes = count(&statement);
        match m {
            Mutation::Delete(at, k) => {
                if let Some(node) = node_mut(&mut statement, at % nodes) {
                    match node {
                        Value::Object(map) if !map.is_empty() => {
                            let key = map.keys().nth(k % map.len()).cloned().unwrap_or_default();
                            map.remove(&key);
                        }
                        Value::Array(items) if !items.is_empty() => {
                            items.remove(k % items.len());
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert(at, key, v) => {
                if let Some(node) = node_mut(&mut statement, at % nodes) {
                    match node {
                        Value::Object(map) => {
                            map.insert(key.clone(), v.clone());
                        }
                        Value::Array(items) => items.push(v.clone()),
                        other => *other = json!({ key.clone(): v.clone() }),
                    }
                }
            }
            Mutation::Replace(at, v) => {
                if let Some(node) = node_mut(&mut statement, at % nodes) {
                    *node = v.clone();
                }
            }
            Mutation::Nest(at, depth, as_object) => {
                if let Some(node) = node_mut(&mut statement, at % nodes) {
                    let mut nested = node.take();
                    for _ in 0..*depth {
                        nested = if *as_object {
                            let mut map = Map::new();
                            map.insert("http://example.com/ext".to_owned(), nested);
                            Value::Object(map)
                        } else {
                            Value::Array(vec![nested])
                        };
                    }
                    *node = nested;
                }
            }
            Mutation::Transplant(from, to) => {
                let source = node_mut(&mut statement, from % nodes).cloned();
                if let (Some(source), Some(target)) = (source, node_mut(&mut statement, to % nodes))
                {
                    *target = source;
                }
            }
        }
    }
    statement
}

/// One fuzz input: the bytes of a request body.
fn input() -> BoxedStrategy<Vec<u8>> {
    let trees = seeds();
    let count = trees.len();
    let structured = (
        0..count,
        prop::collection::vec(mutation(), 0..6),
        any::<bool>(),
    )
        .prop_map(move |(i, mutations, batch)| {
            let mutated = apply(trees[i].clone(), &mutations);
            let body = if batch {
                Value::Array(vec![mutated, trees[(i + 1) % trees.len()].clone()])
            } else {
                mutated
            };
            body.to_string().into_bytes()
        });
    let texts: Vec<Vec<u8>> = seeds().iter().map(|s| s.to_string().into_bytes()).collect();
    let byte_mutated = (
        0..texts.len(),
        prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
    )
        .prop_map(move |(i, edits)| {
            let mut bytes = texts[i].clone();
            for (at, byte, op) in edits {
                let at = at % (bytes.len() + 1);
                match op {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, byte),
                }
            }
            bytes
        });
    prop_oneof![
        6 => structured,
        2 => byte_mutated,
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => "[\\[\\]{}\":,0-9a-zA-Z.\\\\ eE+-]{0,160}".prop_map(String::into_bytes),
    ]
    .boxed()
}

/// What one input must satisfy, under one version. Returns how many statements were accepted.
fn check(body: &[u8], version: Version, authority: &Value) -> Result<usize, TestCaseError> {
    let statements = match parse_statements(body) {
        Ok(statements) => statements,
        Err(e) => {
            prop_assert!(!e.code.is_empty());
            prop_assert_eq!(e.status, Status::BadRequest);
            return Ok(0);
        }
    };
    let ctx = Context {
        version,
        authority,
        new_id: Uuid::from_u128(0x0191_b9a0_0000_7000_8000_0000_0000_0001),
    };
    let mut accepted = 0;
    for statement in statements {
        let first = match prepare(statement, &ctx) {
            Ok(p) => p,
            Err(e) => {
                prop_assert!(!e.code.is_empty());
                prop_assert_eq!(e.status, Status::BadRequest, "{}", e.code);
                continue;
            }
        };
        accepted += 1;
        let again = prepare(first.statement.clone(), &ctx);
        prop_assert!(
            again.is_ok(),
            "accepted, then refused as prepared: {:?} {}",
            again.err(),
            first.statement
        );
        let again = again.map_err(|e| TestCaseError::fail(e.code))?;
        prop_assert_eq!(again.comparison, first.comparison, "{}", first.statement);
        prop_assert_eq!(again.id, first.id);
        let text = first.statement.to_string();
        let reparsed = parse_statements(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{}: {text}", e.code)))?;
        prop_assert_eq!(reparsed.len(), 1);
        let from_text = reparsed
            .into_iter()
            .next()
            .map(|s| prepare(s, &ctx))
            .ok_or_else(|| TestCaseError::fail("no statement"))?
            .map_err(|e| TestCaseError::fail(format!("{}: {text}", e.code)))?;
        prop_assert_eq!(from_text.comparison, first.comparison, "{}", text);
        let stored = first.to_stored_json("2024-01-02T03:04:05.678Z");
        prop_assert!(
            serde_json::from_str::<Value>(&stored).is_ok(),
            "stored JSON: {}",
            stored
        );
    }
    Ok(accepted)
}

#[test]
fn fuzz_statement_parser_and_prepare() {
    let cases = cases();
    let inputs = AtomicU64::new(0);
    let accepted = AtomicU64::new(0);
    let authority = authority();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4_096,
        ..Config::default()
    });
    let started = Instant::now();
    let outcome = runner.run(&input(), |body| {
        inputs.fetch_add(1, Ordering::Relaxed);
        for version in [Version::V1, Version::V2] {
            let n = check(&body, version, &authority)?;
            accepted.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(())
    });
    let elapsed = started.elapsed();
    println!(
        "fuzz: {} inputs ({cases} cases asked) through parse_statements + prepare under 1.0.3 and \
         2.0 in {elapsed:.2?}; {} statement preparations accepted",
        inputs.load(Ordering::Relaxed),
        accepted.load(Ordering::Relaxed),
    );
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn fuzz_mutations_reach_every_node() {
    let seed = seeds().swap_remove(1);
    let nodes = count(&seed);
    for at in 0..nodes {
        let replaced = apply(seed.clone(), &[Mutation::Replace(at, json!("marker"))]);
        assert!(replaced.to_string().contains("marker"), "node {at}");
    }
    let nested = apply(seed, &[Mutation::Nest(0, 3, false)]);
    assert!(nested[0][0][0].is_object());
}

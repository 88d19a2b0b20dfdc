//! Statement comparison (xAPI-Data 2.3.1): two statements are "the same" when they differ only
//! where the immutability exceptions allow. Decided by hashing a canonical form with SHA-256, so
//! the store keeps one digest per statement and a conflict check is a digest compare.
//!
//! The canonical form leaves out what the LRS assigns or may change — `id`, `authority`,
//! `stored`, `version` — and what is not part of a statement: verb `display`, activity
//! `definition`s, `attachments`. It normalises serialisations: keys sorted, group members as
//! an unordered set, `contextActivities` values as arrays, default `objectType`s dropped,
//! timestamps as UTC instants to the millisecond, numbers by value (`1.0` = `1`, fractions at
//! single precision), and the
//! case-insensitive parts lowercased (UUIDs, the `mailto:` scheme and e-mail domain,
//! `mbox_sha1sum`, `context.language`). Durations keep their text but lose digits below
//! hundredths of a second (4.6.s1.b5).

use std::io::Write as _;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::duration::comparable;
use crate::timestamp::parse_timestamp;
use crate::version::Version;

/// SHA-256 of the canonical comparison form of a statement. A `timestamp` is part of it when
/// the statement has one: the stored digest is taken before the writer sets a missing
/// timestamp to `stored`, so a retry of the same statement without one still matches.
pub(crate) fn comparison_hash(statement: &Value) -> [u8; 32] {
    hash(statement, true)
}

fn hash(statement: &Value, with_timestamp: bool) -> [u8; 32] {
    let mut canon = Canon {
        out: Vec::with_capacity(1024),
        with_timestamp,
    };
    match statement {
        Value::Object(map) => canon.statement(map, true),
        other => canon.generic(other),
    }
    Sha256::digest(&canon.out).into()
}

/// Whether two statements are the same under the comparison rules (for signed statements:
/// the JWS payload must match the statement received). When only one of them has a
/// `timestamp`, the LRS could have assigned it (2.3.1.b1), so timestamps are left out.
pub fn same_statement(a: &Value, b: &Value) -> bool {
    let both_timed = a.get("timestamp").is_some() && b.get("timestamp").is_some();
    hash(a, both_timed) == hash(b, both_timed)
}

struct Canon {
    out: Vec<u8>,
    /// Whether the top-level `timestamp` takes part.
    with_timestamp: bool,
}

/// The entries of an object in key order. serde_json's map is usually ordered already (it is
/// unless some crate turns on `preserve_order`); only then are entries collected and sorted.
fn sorted(map: &Map<String, Value>) -> Entries<'_> {
    let mut keys = map.keys();
    let mut previous = keys.next();
    let mut in_order = true;
    for key in keys {
        if previous.is_some_and(|p| p >= key) {
            in_order = false;
            break;
        }
        previous = Some(key);
    }
    if in_order {
        return Entries::InOrder(map.iter());
    }
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Entries::Sorted(entries.into_iter())
}

enum Entries<'a> {
    InOrder(serde_json::map::Iter<'a>),
    Sorted(std::vec::IntoIter<(&'a String, &'a Value)>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = match self {
            Entries::InOrder(iter) => iter.next()?,
            Entries::Sorted(iter) => iter.next()?,
        };
        Some((key.as_str(), value))
    }
}

impl Canon {
    fn string(&mut self, text: &str) {
        let _ = serde_json::to_writer(&mut self.out, text);
    }

    fn key(&mut self, key: &str, first: &mut bool) {
        if !*first {
            self.out.push(b',');
        }
        *first = false;
        self.string(key);
        self.out.push(b':');
    }

    fn statement(&mut self, map: &Map<String, Value>, top: bool) {
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in sorted(map) {
            match key {
                "authority" | "stored" | "version" | "attachments" => continue,
                "id" if top => continue,
                "timestamp" if top && !self.with_timestamp => continue,
                _ => {}
            }
            self.key(key, &mut first);
            match key {
                "actor" => self.agent(value),
                "verb" => self.verb(value),
                "object" => self.object(value),
                "result" => self.result(value),
                "context" => self.context(value),
                "timestamp" => self.timestamp(value),
                _ => self.generic(value),
            }
        }
        self.out.push(b'}');
    }

    fn verb(&mut self, value: &Value) {
        match value.get("id") {
            Some(id) => {
                self.out.extend_from_slice(b"{\"id\":");
                self.generic(id);
                self.out.push(b'}');
            }
            None => self.generic(value),
        }
    }

    fn object(&mut self, value: &Value) {
        let Some(map) = value.as_object() else {
            return self.generic(value);
        };
        match map.get("objectType").and_then(Value::as_str) {
            None | Some("Activity") => self.activity(value),
            Some("Agent" | "Group") => self.agent(value),
            Some("StatementRef") => self.statement_ref(value),
            Some("SubStatement") => self.statement(map, false),
            Some(_) => self.generic(value),
        }
    }

    fn activity(&mut self, value: &Value) {
        match value.get("id") {
            Some(id) => {
                self.out.extend_from_slice(b"{\"id\":");
                self.generic(id);
                self.out.push(b'}');
            }
            None => self.generic(value),
        }
    }

    fn statement_ref(&mut self, value: &Value) {
        match value.get("id").and_then(Value::as_str) {
            Some(id) => {
                self.out.extend_from_slice(b"{\"id\":");
                self.string(&id.to_ascii_lowercase());
                self.out
                    .extend_from_slice(b",\"objectType\":\"StatementRef\"}");
            }
            None => self.generic(value),
        }
    }

    fn agent(&mut self, value: &Value) {
        let Some(map) = value.as_object() else {
            return self.generic(value);
        };
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in sorted(map) {
            if key == "objectType" && value.as_str() == Some("Agent") {
                continue;
            }
            self.key(key, &mut first);
            match (key, value) {
                ("mbox", Value::String(mbox)) => self.string(&crate::agent::canonical_mbox(mbox)),
                ("mbox_sha1sum", Value::String(sum)) => self.string(&sum.to_ascii_lowercase()),
                ("member", Value::Array(members)) => {
                    let mut forms: Vec<Vec<u8>> = members
                        .iter()
                        .map(|member| {
                            let mut inner = Canon {
                                out: Vec::with_capacity(64),
                                with_timestamp: true,
                            };
                            inner.agent(member);
                            inner.out
                        })
                        .collect();
                    forms.sort_unstable();
                    self.out.push(b'[');
                    for (i, form) in forms.iter().enumerate() {
                        if i > 0 {
                            self.out.push(b',');
                        }
                        self.out.extend_from_slice(form);
                    }
                    self.out.push(b']');
                }
                _ => self.generic(value),
            }
        }
        self.out.push(b'}');
    }

    fn result(&mut self, value: &Value) {
        let Some(map) = value.as_object() else {
            return self.generic(value);
        };
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in sorted(map) {
            self.key(key, &mut first);
            match (key, value) {
                ("duration", Value::String(text)) => self.string(&comparable(text)),
                _ => self.generic(value),
            }
        }
        self.out.push(b'}');
    }

    fn context(&mut self, value: &Value) {
        let Some(map) = value.as_object() else {
            return self.generic(value);
        };
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in sorted(map) {
            self.key(key, &mut first);
            match (key, value) {
                ("registration" | "language", Value::String(text)) => {
                    self.string(&text.to_ascii_lowercase());
                }
                ("instructor" | "team", _) => self.agent(value),
                ("statement", _) => self.statement_ref(value),
                ("contextActivities", Value::Object(lists)) => self.context_activities(lists),
                ("contextAgents" | "contextGroups", Value::Array(items)) => {
                    self.context_members(items)
                }
                _ => self.generic(value),
            }
        }
        self.out.push(b'}');
    }

    fn context_activities(&mut self, lists: &Map<String, Value>) {
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in sorted(lists) {
            self.key(key, &mut first);
            self.out.push(b'[');
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(b',');
                        }
                        self.activity(item);
                    }
                }
                single => self.activity(single),
            }
            self.out.push(b']');
        }
        self.out.push(b'}');
    }

    fn context_members(&mut self, items: &[Value]) {
        self.out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let Some(map) = item.as_object() else {
                self.generic(item);
                continue;
            };
            self.out.push(b'{');
            let mut first = true;
            for (key, value) in sorted(map) {
                self.key(key, &mut first);
                match key {
                    "agent" | "group" => self.agent(value),
                    _ => self.generic(value),
                }
            }
            self.out.push(b'}');
        }
        self.out.push(b']');
    }

    fn timestamp(&mut self, value: &Value) {
        let parsed = value
            .as_str()
            .and_then(|text| parse_timestamp(text, Version::V2).ok());
        match parsed {
            Some(instant) => {
                let millis = instant.unix_timestamp_nanos().div_euclid(1_000_000);
                let _ = write!(self.out, "{millis}");
            }
            None => self.generic(value),
        }
    }

    fn generic(&mut self, value: &Value) {
        match value {
            Value::Null => self.out.extend_from_slice(b"null"),
            Value::Bool(true) => self.out.extend_from_slice(b"true"),
            Value::Bool(false) => self.out.extend_from_slice(b"false"),
            Value::Number(n) => {
                let out = &mut self.out;
                let _ = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                    (Some(i), _, _) => write!(out, "{i}"),
                    (None, Some(u), _) => write!(out, "{u}"),
                    (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                        write!(out, "{}", f as i64)
                    }
                    // At single precision, which is all an LRS must keep (xAPI-Data
                    // 2.2.s4.b3), so a value that went through a JSON round trip and came back
                    // one unit in the last place off still compares equal.
                    (None, None, Some(f)) if (f as f32).is_normal() => write!(out, "{}", f as f32),
                    // Beyond single precision's range (|f| > 3.4e38, or below 1.2e-38 where the
                    // cast flushes towards zero) the same precision in decimal, 8 significant
                    // digits: the full `{f:e}` kept the one-unit round-trip difference (found
                    // by the fuzz test: 4.1343616098708394e182 came back one unit off and a
                    // re-sent stored statement conflicted with itself), and the cast made
                    // every tiny number equal to every other.
                    (None, None, Some(f)) => write!(out, "{f:.7e}"),
                    (None, None, None) => write!(out, "{n}"),
                };
            }
            Value::String(text) => self.string(text),
            Value::Array(items) => {
                self.out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.generic(item);
                }
                self.out.push(b']');
            }
            Value::Object(map) => {
                self.out.push(b'{');
                let mut first = true;
                for (key, value) in sorted(map) {
                    self.key(key, &mut first);
                    self.generic(value);
                }
                self.out.push(b'}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
            "object": {"id": "http://example.com/meeting/1", "definition": {"name": {"en": "Meeting"}}},
            "result": {"score": {"scaled": 0.5}, "duration": "PT1.234S"},
            "context": {
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
                "contextActivities": {"parent": [{"id": "http://example.com/series/1"}]},
                "team": {"objectType": "Group", "member": [{"mbox": "mailto:a@x.org"}, {"mbox": "mailto:b@x.org"}]}
            },
            "timestamp": "2013-05-18T05:32:34.804Z"
        })
    }

    fn changed(edit: impl Fn(&mut Value)) -> Value {
        let mut v = base();
        edit(&mut v);
        v
    }

    #[test]
    fn immutability_exceptions_are_ignored() {
        let same = [
            changed(|v| v["id"] = json!("00000000-0000-4000-8000-000000000000")),
            changed(|v| v["authority"] = json!({"mbox": "mailto:lrs@example.com"})),
            changed(|v| v["stored"] = json!("2020-01-01T00:00:00Z")),
            changed(|v| v["version"] = json!("1.0.3")),
            changed(|v| v["verb"]["display"] = json!({"zh-CN": "参加了"})),
            changed(|v| v["object"]["definition"] = json!({"name": {"en": "Renamed"}})),
            changed(|v| v["object"]["objectType"] = json!("Activity")),
            changed(|v| {
                v["actor"].as_object_mut().unwrap().remove("objectType");
            }),
            changed(|v| v["actor"]["mbox"] = json!("MAILTO:ann@EXAMPLE.com")),
            changed(|v| v["timestamp"] = json!("2013-05-18T13:32:34.804+08:00")),
            changed(|v| v["timestamp"] = json!("2013-05-18T05:32:34.8041Z")),
            changed(|v| v["result"]["duration"] = json!("PT1.2399S")),
            changed(|v| v["result"]["score"]["scaled"] = json!(0.50)),
            changed(|v| {
                v["context"]["registration"] = json!("EC531277-B57B-4C15-8D91-D292C5B2B8F7")
            }),
            changed(|v| {
                v["context"]["contextActivities"]["parent"] =
                    json!({"id": "http://example.com/series/1"})
            }),
            changed(|v| {
                v["context"]["team"]["member"] =
                    json!([{"mbox": "mailto:b@x.org"}, {"mbox": "mailto:a@x.org"}]);
            }),
            changed(|v| {
                v["attachments"] =
                    json!([{"usageType": "http://adlnet.gov/expapi/attachments/signature"}]);
            }),
        ];
        for other in same {
            assert!(same_statement(&base(), &other), "{other}");
        }
    }

    #[test]
    fn real_differences_are_not() {
        let different = [
            changed(|v| v["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/completed")),
            changed(|v| v["object"]["id"] = json!("http://example.com/meeting/2")),
            changed(|v| v["actor"]["name"] = json!("Anna")),
            changed(|v| v["actor"]["mbox"] = json!("mailto:Ann@example.com")),
            changed(|v| v["timestamp"] = json!("2013-05-18T05:32:34.805Z")),
            changed(|v| v["result"]["duration"] = json!("PT1.24S")),
            changed(|v| v["result"]["score"]["scaled"] = json!(0.51)),
            changed(|v| v["result"]["success"] = json!(true)),
            changed(|v| {
                v["context"]["contextActivities"]["grouping"] =
                    json!([{"id": "http://example.com/g"}])
            }),
            changed(|v| v["context"]["team"]["member"] = json!([{"mbox": "mailto:a@x.org"}])),
        ];
        for other in different {
            assert!(!same_statement(&base(), &other), "{other}");
        }
    }

    #[test]
    fn a_missing_timestamp_counts_for_the_digest_but_not_for_same_statement() {
        let untimed = changed(|v| {
            v.as_object_mut().unwrap().remove("timestamp");
        });
        assert!(same_statement(&base(), &untimed));
        assert_ne!(comparison_hash(&base()), comparison_hash(&untimed));
        let other_time = changed(|v| v["timestamp"] = json!("2014-01-01T00:00:00Z"));
        assert_ne!(comparison_hash(&base()), comparison_hash(&other_time));
    }

    #[test]
    fn numbers_compare_by_value() {
        let parsed: Value =
            serde_json::from_str(r#"{"score":{"scaled":-0.43132924873067524,"raw":1.0}}"#).unwrap();
        let nudged = f64::from_bits((-0.43132924873067524f64).to_bits() + 1);
        let other = json!({"score": {"scaled": nudged, "raw": 1}});
        let with_result = |r: &Value| changed(|v| v["result"] = r.clone());
        assert!(same_statement(&with_result(&parsed), &with_result(&other)));
        for big in [4.1343616098708394e182, -1.0e300, 2.5e-300] {
            let nudged = f64::from_bits(f64::to_bits(big) + 1);
            let ext = |f: f64| {
                changed(|v| v["result"] = json!({"extensions": {"http://example.com/x": f}}))
            };
            assert!(same_statement(&ext(big), &ext(nudged)), "{big}");
            assert!(!same_statement(&ext(big), &ext(big * 1.5)), "{big}");
        }
        let different = json!({"score": {"scaled": -0.4313, "raw": 1}});
        assert!(!same_statement(
            &with_result(&parsed),
            &with_result(&different)
        ));
    }
}

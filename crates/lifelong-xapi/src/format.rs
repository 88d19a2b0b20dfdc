//! The `format` parameter of statement queries (xAPI-Communication 2.1.3): `ids` keeps only what
//! identifies Agents, Groups, Activities and Verbs; `canonical` keeps one language in every
//! Activity and Verb language map, chosen from the requester's `Accept-Language`. (`exact` is
//! the stored text itself.) The store substitutes its canonical Activity definitions before
//! calling [`format_canonical`]; this module only trims.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::language::pick_language;

const IFI_KEYS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];

/// The `ids` form of a stored statement: Agents and identified Groups keep `objectType` and
/// their IFI, anonymous Groups keep `objectType` and their members in `ids` form, Activities
/// keep `objectType` (if sent) and `id`, Verbs keep `id`. Everything else is unchanged.
pub fn format_ids(statement: &Value) -> Value {
    let Some(map) = statement.as_object() else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let trimmed = match key.as_str() {
            "actor" | "authority" => ids_agent(value),
            "verb" => keep(value, &["id"]),
            "object" => ids_object(value),
            "context" => ids_context(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), trimmed);
    }
    Value::Object(out)
}

fn keep(value: &Value, keys: &[&str]) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for key in keys {
        if let Some(v) = map.get(*key) {
            out.insert((*key).to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

fn ids_agent(value: &Value) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    if let Some(kind) = map.get("objectType") {
        out.insert("objectType".to_owned(), kind.clone());
    }
    let mut identified = false;
    for key in IFI_KEYS {
        if let Some(ifi) = map.get(key) {
            out.insert(key.to_owned(), ifi.clone());
            identified = true;
        }
    }
    if !identified {
        if let Some(Value::Array(members)) = map.get("member") {
            out.insert(
                "member".to_owned(),
                Value::Array(members.iter().map(ids_agent).collect()),
            );
        }
    }
    Value::Object(out)
}

fn ids_object(value: &Value) -> Value {
    match value.get("objectType").and_then(Value::as_str) {
        None | Some("Activity") => keep(value, &["objectType", "id"]),
        Some("Agent" | "Group") => ids_agent(value),
        Some("SubStatement") => format_ids(value),
        Some(_) => value.clone(),
    }
}

fn ids_context(value: &Value) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let trimmed = match (key.as_str(), value) {
            ("instructor" | "team", _) => ids_agent(value),
            ("contextActivities", Value::Object(lists)) => {
                let mut trimmed = Map::new();
                for (kind, list) in lists {
                    let list = match list {
                        Value::Array(items) => Value::Array(
                            items
                                .iter()
                                .map(|a| keep(a, &["objectType", "id"]))
                                .collect(),
                        ),
                        single => Value::Array(vec![keep(single, &["objectType", "id"])]),
                    };
                    trimmed.insert(kind.clone(), list);
                }
                Value::Object(trimmed)
            }
            ("contextAgents" | "contextGroups", Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|item| {
                        let mut item = item.clone();
                        for member_key in ["agent", "group"] {
                            if let Some(member) = item.get_mut(member_key) {
                                *member = ids_agent(member);
                            }
                        }
                        item
                    })
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), trimmed);
    }
    Value::Object(out)
}

/// The `canonical` form: every language map of Verbs and Activities (name, description,
/// interaction component descriptions) reduced to the one language that best serves
/// `languages` (most preferred first; `*` allowed).
pub fn format_canonical(statement: &Value, languages: &[String]) -> Value {
    format_canonical_with(statement, languages, &HashMap::new())
}

/// [`format_canonical`] after giving every Activity the definition the LRS holds for it
/// (`definitions`, by activity id): xAPI-Communication 2.1.3 asks for Activities "populated
/// with the canonical definition … as determined by the LRS", so a statement that names an
/// Activity without (or with an older) definition is answered with the LRS's one. Activities
/// the LRS holds no definition for keep what the statement carried.
pub fn format_canonical_with(
    statement: &Value,
    languages: &[String],
    definitions: &HashMap<String, Value>,
) -> Value {
    let mut out = statement.clone();
    for_each_activity(&mut out, &mut |activity| {
        let known = activity
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| definitions.get(id));
        if let (Some(definition), Value::Object(map)) = (known, &mut *activity) {
            map.insert("definition".to_owned(), definition.clone());
        }
        canonical_activity(activity, languages);
    });
    if let Some(display) = out.get_mut("verb").and_then(|verb| verb.get_mut("display")) {
        one_language(display, languages);
    }
    if let Some(object) = out.get_mut("object") {
        if object.get("objectType").and_then(Value::as_str) == Some("SubStatement") {
            if let Some(display) = object.get_mut("verb").and_then(|v| v.get_mut("display")) {
                one_language(display, languages);
            }
        }
    }
    out
}

/// The ids of the Activities [`format_canonical_with`] looks definitions up for.
pub fn activity_ids(statement: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut copy = statement.clone();
    for_each_activity(&mut copy, &mut |activity| {
        if let Some(id) = activity.get("id").and_then(Value::as_str) {
            if !out.iter().any(|seen| seen == id) {
                out.push(id.to_owned());
            }
        }
    });
    out
}

/// Calls `f` on every Activity of a statement: its object (when an Activity), its context
/// activities, and the same inside a SubStatement object.
fn for_each_activity(statement: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let Some(map) = statement.as_object_mut() else {
        return;
    };
    if let Some(object) = map.get_mut("object") {
        match object.get("objectType").and_then(Value::as_str) {
            None | Some("Activity") => f(object),
            Some("SubStatement") => for_each_activity(object, f),
            Some(_) => {}
        }
    }
    let lists = map
        .get_mut("context")
        .and_then(|c| c.get_mut("contextActivities"));
    if let Some(Value::Object(lists)) = lists {
        for list in lists.values_mut() {
            match list {
                Value::Array(items) => items.iter_mut().for_each(&mut *f),
                single => f(single),
            }
        }
    }
}

fn canonical_activity(activity: &mut Value, languages: &[String]) {
    let Some(Value::Object(definition)) = activity.get_mut("definition") else {
        return;
    };
    for key in ["name", "description"] {
        if let Some(map) = definition.get_mut(key) {
            one_language(map, languages);
        }
    }
    for list in ["choices", "scale", "source", "target", "steps"] {
        if let Some(Value::Array(components)) = definition.get_mut(list) {
            for component in components {
                if let Some(description) = component.get_mut("description") {
                    one_language(description, languages);
                }
            }
        }
    }
}

fn one_language(map: &mut Value, languages: &[String]) {
    let Value::Object(entries) = map else { return };
    if entries.len() <= 1 {
        return;
    }
    let Some(chosen) = pick_language(entries, languages).map(str::to_owned) else {
        return;
    };
    entries.retain(|key, _| *key == chosen);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement() -> Value {
        json!({
            "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered", "zh-CN": "回答了"}},
            "object": {
                "objectType": "Activity",
                "id": "http://example.com/q1",
                "definition": {
                    "name": {"en-US": "Question 1", "zh-CN": "第一题"},
                    "interactionType": "choice",
                    "choices": [{"id": "a", "description": {"en-US": "A", "zh-CN": "甲"}}]
                }
            },
            "context": {
                "instructor": {"name": "Bo", "account": {"homePage": "https://lms.example.com", "name": "bo"}},
                "team": {"objectType": "Group", "name": "T", "member": [{"name": "Cy", "mbox": "mailto:cy@example.com"}]},
                "contextActivities": {"parent": [{"id": "http://example.com/quiz", "definition": {"name": {"en": "Quiz", "fr": "Quiz FR"}}}]}
            },
            "authority": {"objectType": "Agent", "name": "LRS", "account": {"homePage": "https://lifelong.example/xapi/clients", "name": "k1"}},
            "stored": "2013-05-18T05:32:34.804Z"
        })
    }

    #[test]
    fn ids_keep_only_identifiers() {
        let ids = format_ids(&statement());
        assert_eq!(
            ids["actor"],
            json!({"objectType": "Agent", "mbox": "mailto:ann@example.com"})
        );
        assert_eq!(
            ids["verb"],
            json!({"id": "http://adlnet.gov/expapi/verbs/answered"})
        );
        assert_eq!(
            ids["object"],
            json!({"objectType": "Activity", "id": "http://example.com/q1"})
        );
        assert_eq!(
            ids["context"]["instructor"],
            json!({"account": {"homePage": "https://lms.example.com", "name": "bo"}})
        );
        assert_eq!(
            ids["context"]["team"],
            json!({"objectType": "Group", "member": [{"mbox": "mailto:cy@example.com"}]})
        );
        assert_eq!(
            ids["context"]["contextActivities"]["parent"],
            json!([{"id": "http://example.com/quiz"}])
        );
        assert_eq!(ids["authority"]["account"]["name"], "k1");
        assert!(ids["authority"].get("name").is_none());
        assert_eq!(ids["stored"], "2013-05-18T05:32:34.804Z");
        assert_eq!(ids["id"], "fd41c918-b88b-4b20-a0a5-a4c32391aaa0");
    }

    #[test]
    fn canonical_keeps_one_language() {
        let zh = format_canonical(&statement(), &["zh".to_owned(), "en".to_owned()]);
        assert_eq!(zh["verb"]["display"], json!({"zh-CN": "回答了"}));
        assert_eq!(
            zh["object"]["definition"]["name"],
            json!({"zh-CN": "第一题"})
        );
        assert_eq!(
            zh["object"]["definition"]["choices"][0]["description"],
            json!({"zh-CN": "甲"})
        );
        assert_eq!(
            zh["context"]["contextActivities"]["parent"][0]["definition"]["name"],
            json!({"en": "Quiz"})
        );
        let en = format_canonical(&statement(), &["en-GB".to_owned()]);
        assert_eq!(en["verb"]["display"], json!({"en-US": "answered"}));
        let any = format_canonical(&statement(), &[]);
        assert_eq!(any["verb"]["display"].as_object().unwrap().len(), 1);
        assert_eq!(any["actor"], statement()["actor"]);
    }

    #[test]
    fn canonical_uses_the_definitions_the_lrs_holds() {
        let mut bare = statement();
        bare["object"] = json!({"id": "http://example.com/q1"});
        assert_eq!(
            activity_ids(&bare),
            vec!["http://example.com/q1", "http://example.com/quiz"]
        );
        let definitions: HashMap<String, Value> = [(
            "http://example.com/q1".to_owned(),
            json!({"name": {"en-US": "Question 1", "zh-CN": "第一题"}}),
        )]
        .into();
        let zh = format_canonical_with(&bare, &["zh-CN".to_owned()], &definitions);
        assert_eq!(
            zh["object"]["definition"],
            json!({"name": {"zh-CN": "第一题"}})
        );
        assert_eq!(
            zh["context"]["contextActivities"]["parent"][0]["definition"]["name"],
            json!({"en": "Quiz"}),
            "no definition held: the statement's own, trimmed"
        );
        let mut sub = statement();
        sub["object"] = json!({"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.com"},
            "verb": {"id": "http://example.com/v", "display": {"en": "v", "fr": "v"}},
            "object": {"id": "http://example.com/q1"}});
        let en = format_canonical_with(&sub, &["en".to_owned()], &definitions);
        assert_eq!(
            en["object"]["object"]["definition"]["name"],
            json!({"en-US": "Question 1"})
        );
        assert_eq!(en["object"]["verb"]["display"], json!({"en": "v"}));
    }
}

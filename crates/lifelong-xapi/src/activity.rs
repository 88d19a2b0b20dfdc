//! Activities and their definitions (xAPI-Data 2.4.4.1): ids and types as IRIs, language maps,
//! the ten interaction types, and which interaction component lists each type allows.

use serde_json::{Map, Value};

use crate::error::XapiError;
use crate::iri::iri_value;
use crate::json::{array, check_keys, invalid_value, missing_property, object, string};
use crate::language::check_language_map;
use crate::path::Path;

const ACTIVITY_KEYS: &[&str] = &["objectType", "id", "definition"];
const DEFINITION_KEYS: &[&str] = &[
    "name",
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
];
const COMPONENT_LISTS: [&str; 5] = ["choices", "scale", "source", "target", "steps"];

/// The component lists each interaction type supports (xAPI-Data 2.4.4.1.s15).
fn allowed_lists(interaction_type: &str) -> Option<&'static [&'static str]> {
    Some(match interaction_type {
        "choice" | "sequencing" => &["choices"],
        "likert" => &["scale"],
        "matching" => &["source", "target"],
        "performance" => &["steps"],
        "true-false" | "fill-in" | "long-fill-in" | "numeric" | "other" => &[],
        _ => return None,
    })
}

/// Validates an Activity (objectType absent or `Activity`) and returns its id.
pub(crate) fn check_activity<'v>(value: &'v Value, path: &Path) -> Result<&'v str, XapiError> {
    let map = object(value, path)?;
    if let Some(kind) = map.get("objectType") {
        let at = path.key("objectType");
        let kind = string(kind, &at)?;
        if kind != "Activity" {
            return Err(invalid_value(
                "invalid_object_type",
                &at,
                format!("objectType {kind:?} must be \"Activity\" here"),
                format!("此处 objectType {kind:?} 必须是 \"Activity\""),
            ));
        }
    }
    check_keys(map, ACTIVITY_KEYS, path)?;
    let id = map.get("id").ok_or_else(|| missing_property(path, "id"))?;
    let id = iri_value(id, &path.key("id"))?;
    if let Some(definition) = map.get("definition") {
        check_definition(definition, &path.key("definition"))?;
    }
    Ok(id)
}

fn check_definition(value: &Value, path: &Path) -> Result<(), XapiError> {
    let map = object(value, path)?;
    check_keys(map, DEFINITION_KEYS, path)?;
    for key in ["name", "description"] {
        if let Some(text) = map.get(key) {
            check_language_map(text, &path.key(key))?;
        }
    }
    for key in ["type", "moreInfo"] {
        if let Some(iri) = map.get(key) {
            iri_value(iri, &path.key(key))?;
        }
    }
    if let Some(extensions) = map.get("extensions") {
        check_extensions(extensions, &path.key("extensions"))?;
    }
    let interaction = match map.get("interactionType") {
        None => None,
        Some(kind) => {
            let at = path.key("interactionType");
            let kind = string(kind, &at)?;
            let lists = allowed_lists(kind).ok_or_else(|| {
                invalid_value(
                    "invalid_interaction_type",
                    &at,
                    format!(
                        "interactionType {kind:?} must be one of true-false, choice, fill-in, \
                         long-fill-in, matching, performance, sequencing, likert, numeric, other"
                    ),
                    format!("interactionType {kind:?} 必须是十种交互类型之一（区分大小写）"),
                )
            })?;
            Some((kind, lists))
        }
    };
    if let Some(pattern) = map.get("correctResponsesPattern") {
        let at = path.key("correctResponsesPattern");
        if interaction.is_none() {
            return Err(interaction_type_missing(&at));
        }
        for (i, item) in array(pattern, &at)?.iter().enumerate() {
            string(item, &at.index(i))?;
        }
    }
    for list in COMPONENT_LISTS {
        let Some(components) = map.get(list) else {
            continue;
        };
        let at = path.key(list);
        match interaction {
            None => return Err(interaction_type_missing(&at)),
            Some((kind, lists)) if !lists.contains(&list) => {
                return Err(invalid_value(
                    "interaction_component_not_allowed",
                    &at,
                    format!("interactionType {kind:?} does not take {list:?}"),
                    format!("interactionType {kind:?} 不允许 {list:?}"),
                ))
            }
            Some(_) => check_components(components, &at)?,
        }
    }
    Ok(())
}

fn interaction_type_missing(path: &Path) -> XapiError {
    invalid_value(
        "interaction_type_missing",
        path,
        "interaction properties need an interactionType",
        "交互属性需要同时给出 interactionType",
    )
}

/// An interaction component list: objects with a unique, non-empty string `id` and an
/// optional `description` language map.
fn check_components(value: &Value, path: &Path) -> Result<(), XapiError> {
    let items = array(value, path)?;
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        let component = object(item, &at)?;
        check_keys(component, &["id", "description"], &at)?;
        let id = component
            .get("id")
            .ok_or_else(|| missing_property(&at, "id"))?;
        let id = string(id, &at.key("id"))?;
        if id.is_empty() {
            return Err(invalid_value(
                "invalid_component_id",
                &at.key("id"),
                "an interaction component id must not be empty",
                "交互组件 id 不能为空",
            ));
        }
        if let Some(description) = component.get("description") {
            check_language_map(description, &at.key("description"))?;
        }
        let repeated = items[..i]
            .iter()
            .any(|earlier| earlier.get("id").and_then(Value::as_str) == Some(id));
        if repeated {
            return Err(invalid_value(
                "duplicate_component_id",
                &at.key("id"),
                format!("the id {id:?} is used twice in this list"),
                format!("id {id:?} 在此列表中重复"),
            ));
        }
    }
    Ok(())
}

/// An extensions map: keys are absolute IRIs, values any JSON (null included).
pub(crate) fn check_extensions(value: &Value, path: &Path) -> Result<(), XapiError> {
    let map: &Map<String, Value> = object(value, path)?;
    for key in map.keys() {
        let at = path.key(key);
        if !crate::iri::is_iri(key) {
            return Err(invalid_value(
                "invalid_iri",
                &at,
                format!("the extension key {key:?} is not an absolute IRI"),
                format!("扩展键 {key:?} 不是绝对 IRI"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value) -> Option<&'static str> {
        check_activity(&value, &Path::ROOT).err().map(|e| e.code)
    }

    fn with_definition(definition: Value) -> Value {
        json!({"id": "http://example.com/q1", "definition": definition})
    }

    #[test]
    fn xapi_00047_activity_ids_are_iris() {
        let cases = [
            (json!({"id": "http://example.com/a"}), None),
            (
                json!({"objectType": "Activity", "id": "http://example.com/a"}),
                None,
            ),
            (
                json!({"objectType": "activity", "id": "http://example.com/a"}),
                Some("invalid_object_type"),
            ),
            (json!({"objectType": "Activity"}), Some("missing_property")),
            (json!({"id": "ab=c://should.fail.com"}), Some("invalid_iri")),
            (json!({"id": 5}), Some("wrong_type")),
            (
                json!({"id": "http://example.com/a", "Definition": {}}),
                Some("unknown_property"),
            ),
        ];
        for (value, code) in cases {
            assert_eq!(check(value.clone()), code, "{value}");
        }
    }

    #[test]
    fn xapi_00048_to_00064_definitions() {
        let choice = |id: &str| json!({"id": id, "description": {"en-US": id}});
        let cases = [
            (
                json!({"name": {"en": "n"}, "description": {"zh-CN": "描述"}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction", "moreInfo": "https://example.com/more"}),
                None,
            ),
            (
                json!({"name": {"de-419-DE": "x"}}),
                Some("invalid_language_tag"),
            ),
            (json!({"description": "text"}), Some("wrong_type")),
            (json!({"type": "cmi.interaction"}), Some("invalid_iri")),
            (json!({"moreInfo": "example.com"}), Some("invalid_iri")),
            (json!({"moreInfo": null}), Some("null_value")),
            (
                json!({"extensions": {"http://example.com/null": null}}),
                None,
            ),
            (
                json!({"extensions": {"not-an-iri": 1}}),
                Some("invalid_iri"),
            ),
            (json!({"extensions": []}), Some("wrong_type")),
            (
                json!({"interactionType": "true-false", "correctResponsesPattern": ["true"]}),
                None,
            ),
            (
                json!({"interactionType": "true-faLse"}),
                Some("invalid_interaction_type"),
            ),
            (
                json!({"interactionType": "Other"}),
                Some("invalid_interaction_type"),
            ),
            (
                json!({"correctResponsesPattern": ["true"]}),
                Some("interaction_type_missing"),
            ),
            (
                json!({"interactionType": "other", "correctResponsesPattern": "true"}),
                Some("wrong_type"),
            ),
            (
                json!({"interactionType": "other", "correctResponsesPattern": [1]}),
                Some("wrong_type"),
            ),
            (
                json!({"interactionType": "choice", "choices": [choice("golf"), choice("tetris")]}),
                None,
            ),
            (
                json!({"interactionType": "sequencing", "choices": [choice("a")]}),
                None,
            ),
            (
                json!({"interactionType": "likert", "scale": [choice("l0"), choice("l1")]}),
                None,
            ),
            (
                json!({"interactionType": "matching", "source": [choice("ben")], "target": [choice("1")]}),
                None,
            ),
            (
                json!({"interactionType": "performance", "steps": [choice("pong")]}),
                None,
            ),
            (
                json!({"choices": [choice("a")]}),
                Some("interaction_type_missing"),
            ),
            (
                json!({"interactionType": "likert", "choices": [choice("a")]}),
                Some("interaction_component_not_allowed"),
            ),
            (
                json!({"interactionType": "true-false", "steps": [choice("a")]}),
                Some("interaction_component_not_allowed"),
            ),
            (
                json!({"interactionType": "choice", "choices": [choice("a"), choice("a")]}),
                Some("duplicate_component_id"),
            ),
            (
                json!({"interactionType": "choice", "choices": [{"description": {"en": "x"}}]}),
                Some("missing_property"),
            ),
            (
                json!({"interactionType": "choice", "choices": [{"id": ""}]}),
                Some("invalid_component_id"),
            ),
            (
                json!({"interactionType": "choice", "choices": [{"id": 1}]}),
                Some("wrong_type"),
            ),
            (
                json!({"interactionType": "choice", "choices": [{"id": "a", "description": {"x1234567890": "x"}}]}),
                Some("invalid_language_tag"),
            ),
            (
                json!({"interactionType": "choice", "choices": [{"id": "a", "extra": 1}]}),
                Some("unknown_property"),
            ),
            (
                json!({"interactionType": "choice", "choices": ["a"]}),
                Some("wrong_type"),
            ),
            (
                json!({"interactionType": "choice", "choices": {"id": "a"}}),
                Some("wrong_type"),
            ),
        ];
        for (definition, code) in cases {
            assert_eq!(
                check(with_definition(definition.clone())),
                code,
                "{definition}"
            );
        }
    }
}

//! The Context object (xAPI-Data 2.4.6): registration, instructor and team, context
//! activities (kept as arrays), revision and platform (Activity objects only), language,
//! statement reference, extensions, and 2.0's `contextAgents` / `contextGroups`.

use serde_json::Value;
use uuid::Uuid;

use crate::activity::{check_activity, check_extensions};
use crate::agent::{check_agent, Role};
use crate::error::XapiError;
use crate::iri::iri_value;
use crate::json::{
    array, check_keys, invalid_value, missing_property, object, object_mut, string, uuid_value,
};
use crate::language::check_context_language;
use crate::path::Path;
use crate::statement::{check_statement_ref, Facts};
use crate::version::Version;

const CONTEXT_KEYS_V1: &[&str] = &[
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
];
const CONTEXT_KEYS_V2: &[&str] = &[
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
    "contextAgents",
    "contextGroups",
];
const CONTEXT_ACTIVITY_KEYS: [&str; 4] = ["parent", "grouping", "category", "other"];

/// Validates a Context; returns its registration. Agents and activities in it are related
/// only (they match `related_agents` / `related_activities` filters).
pub(crate) fn check_context(
    value: &mut Value,
    path: &Path,
    version: Version,
    object_is_activity: bool,
    facts: &mut Facts,
) -> Result<Option<Uuid>, XapiError> {
    let map = object_mut(value, path)?;
    check_keys(
        map,
        if version.is_v2() {
            CONTEXT_KEYS_V2
        } else {
            CONTEXT_KEYS_V1
        },
        path,
    )?;
    let registration = match map.get("registration") {
        Some(value) => Some(uuid_value(value, &path.key("registration"))?),
        None => None,
    };
    if let Some(instructor) = map.get("instructor") {
        let found = check_agent(instructor, &path.key("instructor"), Role::Instructor)?;
        facts.identified(found, false);
    }
    if let Some(team) = map.get("team") {
        let found = check_agent(team, &path.key("team"), Role::Team)?;
        facts.identified(found, false);
    }
    for key in ["revision", "platform"] {
        if let Some(text) = map.get(key) {
            let at = path.key(key);
            string(text, &at)?;
            if !object_is_activity {
                return Err(invalid_value(
                    "context_requires_activity",
                    &at,
                    format!("context.{key} is only allowed when the object is an Activity"),
                    format!("只有 object 为 Activity 时才允许 context.{key}"),
                ));
            }
        }
    }
    if let Some(language) = map.get("language") {
        check_context_language(language, &path.key("language"))?;
    }
    if let Some(statement) = map.get("statement") {
        check_statement_ref(statement, &path.key("statement"))?;
    }
    if let Some(extensions) = map.get("extensions") {
        check_extensions(extensions, &path.key("extensions"))?;
    }
    if let Some(activities) = map.get_mut("contextActivities") {
        check_context_activities(activities, &path.key("contextActivities"), facts)?;
    }
    if let Some(agents) = map.get("contextAgents") {
        check_context_members(agents, &path.key("contextAgents"), false, facts)?;
    }
    if let Some(groups) = map.get("contextGroups") {
        check_context_members(groups, &path.key("contextGroups"), true, facts)?;
    }
    Ok(registration)
}

/// `contextActivities`: a non-empty object keyed by parent/grouping/category/other, each value
/// an Activity or an array of them; single Activities become arrays of one (2.4.6.2.s4.b3).
fn check_context_activities(
    value: &mut Value,
    path: &Path,
    facts: &mut Facts,
) -> Result<(), XapiError> {
    let map = object_mut(value, path)?;
    check_keys(map, &CONTEXT_ACTIVITY_KEYS, path)?;
    if map.is_empty() {
        return Err(invalid_value(
            "empty_context_activities",
            path,
            "contextActivities must contain at least one of parent, grouping, category, other",
            "contextActivities 至少要包含 parent、grouping、category、other 之一",
        ));
    }
    for (key, list) in map.iter_mut() {
        let at = path.key(key);
        if list.is_object() {
            let single = list.take();
            *list = Value::Array(vec![single]);
        }
        let items = array(list, &at)?;
        for (i, item) in items.iter().enumerate() {
            let id = check_activity(item, &at.index(i))?;
            facts.activity(item, id, false);
        }
    }
    Ok(())
}

/// 2.0 `contextAgents` / `contextGroups`: arrays of `{objectType, agent|group, relevantTypes?}`.
fn check_context_members(
    value: &Value,
    path: &Path,
    groups: bool,
    facts: &mut Facts,
) -> Result<(), XapiError> {
    let (kind, member_key, role) = if groups {
        ("contextGroup", "group", Role::Team)
    } else {
        ("contextAgent", "agent", Role::ContextAgent)
    };
    for (i, item) in array(value, path)?.iter().enumerate() {
        let at = path.index(i);
        let map = object(item, &at)?;
        check_keys(map, &["objectType", member_key, "relevantTypes"], &at)?;
        let object_type = map
            .get("objectType")
            .ok_or_else(|| missing_property(&at, "objectType"))?;
        if string(object_type, &at.key("objectType"))? != kind {
            return Err(invalid_value(
                "invalid_object_type",
                &at.key("objectType"),
                format!("must be {kind:?}"),
                format!("必须是 {kind:?}"),
            ));
        }
        let member = map
            .get(member_key)
            .ok_or_else(|| missing_property(&at, member_key))?;
        let found = check_agent(member, &at.key(member_key), role)?;
        facts.identified(found, false);
        if let Some(types) = map.get("relevantTypes") {
            let types_at = at.key("relevantTypes");
            let list = array(types, &types_at)?;
            if list.is_empty() {
                return Err(invalid_value(
                    "empty_relevant_types",
                    &types_at,
                    "relevantTypes, when present, must list at least one IRI",
                    "relevantTypes 如果出现，至少要包含一个 IRI",
                ));
            }
            for (j, iri) in list.iter().enumerate() {
                iri_value(iri, &types_at.index(j))?;
            }
        }
    }
    Ok(())
}

//! Statements (xAPI-Data 2.2–2.4): the whole validation checklist for one statement under the
//! request's version, and its normalisation into what the store keeps — [`prepare`].
//!
//! One walk over the parsed JSON validates, normalises in place (timestamps to UTC,
//! `contextActivities` values to arrays, LRS-assigned `id`, `authority`, `version`) and collects
//! what the store indexes (agents, activities, definitions, attachments, voiding target).

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::activity::check_activity;
use crate::agent::{check_agent, ifi_key, Role};
use crate::compare::comparison_hash;
use crate::context::check_context;
use crate::error::XapiError;
use crate::iri::iri_value;
use crate::json::{
    check_keys, invalid_value, missing_property, object, object_mut, string, uuid_value,
};
use crate::path::Path;
use crate::result::{check_attachments, check_result};
use crate::timestamp::{format_timestamp, parse_timestamp};
use crate::version::Version;

pub use crate::json::parse_statements;
pub use crate::result::AttachmentRef;

/// The verb whose statements void the statement their object references.
pub const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";

const STATEMENT_KEYS: &[&str] = &[
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
];
const SUBSTATEMENT_KEYS: &[&str] = &[
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
];
const SUBSTATEMENT_FORBIDDEN: &[&str] = &["id", "stored", "version", "authority"];

/// What the LRS needs to know to set, store and index one statement.
pub struct Context<'a> {
    /// The version the request speaks.
    pub version: Version,
    /// The credential's agent; overwrites any authority sent.
    pub authority: &'a Value,
    /// Used when the statement has no id.
    pub new_id: Uuid,
}

/// A validated, normalised statement and what the store indexes about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: Uuid,
    /// Normalised: `id`, `authority`, `version` set; timestamps in UTC; `contextActivities`
    /// values arrays; no `stored` (the writer sets it).
    pub statement: Value,
    /// If false the writer sets `timestamp` = `stored`.
    pub has_timestamp: bool,
    /// The verb IRI.
    pub verb: String,
    /// The target if this is a voiding statement (verb voided, object StatementRef).
    pub voids: Option<Uuid>,
    /// The StatementRef object of a non-voiding statement.
    pub refers_to: Option<Uuid>,
    pub registration: Option<Uuid>,
    /// (IFI key, true = matches the plain `agent` filter; false = only with related_agents).
    pub agents: Vec<(String, bool)>,
    /// (activity IRI, true = the object activity; false = only with related_activities).
    pub activities: Vec<(String, bool)>,
    /// Activity id → definition as sent, for the /activities resource.
    pub definitions: Vec<(String, Value)>,
    pub attachments: Vec<AttachmentRef>,
    /// SHA-256 of the comparison form (xAPI-Data 2.3.1 exceptions left out).
    pub comparison: [u8; 32],
}

impl Prepared {
    /// The stored JSON text: the statement plus `stored` (and `timestamp` when it had none),
    /// serialised once.
    pub fn to_stored_json(&self, stored: &str) -> String {
        let mut out =
            serde_json::to_string(&self.statement).unwrap_or_else(|_| self.statement.to_string());
        let stored = Value::from(stored).to_string();
        if out.ends_with('}') {
            out.pop();
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str("\"stored\":");
            out.push_str(&stored);
            if !self.has_timestamp {
                out.push_str(",\"timestamp\":");
                out.push_str(&stored);
            }
            out.push('}');
        }
        out
    }
}

/// What the walk collects for the store.
#[derive(Default)]
pub(crate) struct Facts {
    agents: Vec<(String, bool)>,
    activities: Vec<(String, bool)>,
    definitions: Vec<(String, Value)>,
    pub(crate) attachments: Vec<AttachmentRef>,
}

impl Facts {
    fn agent(&mut self, key: String, plain: bool) {
        match self.agents.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 |= plain,
            None => self.agents.push((key, plain)),
        }
    }

    pub(crate) fn identified(&mut self, found: crate::agent::Identified, plain: bool) {
        if let Some(key) = found.key {
            self.agent(key, plain);
        }
        for member in found.members {
            self.agent(member, plain);
        }
    }

    pub(crate) fn activity(&mut self, value: &Value, id: &str, plain: bool) {
        match self.activities.iter_mut().find(|(k, _)| k == id) {
            Some(entry) => entry.1 |= plain,
            None => self.activities.push((id.to_owned(), plain)),
        }
        if let Some(definition) = value.get("definition") {
            self.definitions.push((id.to_owned(), definition.clone()));
        }
    }
}

/// What kind of object a statement has.
enum ObjectKind {
    Activity,
    Agent,
    StatementRef(Uuid),
    SubStatement,
}

/// Validates one statement for `ctx.version` and normalises it.
pub fn prepare(mut statement: Value, ctx: &Context) -> Result<Prepared, XapiError> {
    let root = Path::ROOT;
    let version = ctx.version;
    let map = object_mut(&mut statement, &root)?;
    check_keys(map, STATEMENT_KEYS, &root)?;
    let mut facts = Facts::default();
    let body = check_body(map, version, &root, false, &mut facts)?;

    let id = match map.get("id") {
        Some(value) => uuid_value(value, &root.key("id"))?,
        None => {
            map.insert(
                "id".to_owned(),
                Value::String(ctx.new_id.hyphenated().to_string()),
            );
            ctx.new_id
        }
    };
    if let Some(stored) = map.remove("stored") {
        timestamp_value(&stored, &root.key("stored"), version)?;
    }
    if let Some(sent) = map.get("authority") {
        check_agent(sent, &root.key("authority"), Role::Authority)?;
    }
    map.insert("authority".to_owned(), ctx.authority.clone());
    authority_facts(ctx.authority, &mut facts);
    match map.get("version") {
        Some(value) => check_statement_version(value, &root.key("version"), version)?,
        None => {
            map.insert(
                "version".to_owned(),
                Value::from(version.statement_default()),
            );
        }
    }
    let has_timestamp = map.contains_key("timestamp");
    let comparison = comparison_hash(&statement);
    let (voids, refers_to) = match (body.object_ref, body.voiding) {
        (Some(target), true) => (Some(target), None),
        (Some(target), false) => (None, Some(target)),
        (None, _) => (None, None),
    };
    Ok(Prepared {
        id,
        statement,
        has_timestamp,
        verb: body.verb,
        voids,
        refers_to,
        registration: body.registration,
        agents: facts.agents,
        activities: facts.activities,
        definitions: facts.definitions,
        attachments: facts.attachments,
        comparison,
    })
}

/// The authority is set by the LRS from the credential; it is indexed as a related agent.
fn authority_facts(authority: &Value, facts: &mut Facts) {
    if let Some(key) = ifi_key(authority) {
        facts.agent(key, false);
    }
    if let Some(Value::Array(members)) = authority.get("member") {
        for member in members {
            if let Some(key) = ifi_key(member) {
                facts.agent(key, false);
            }
        }
    }
}

/// What the shared part of statements and sub-statements yields.
struct Body {
    verb: String,
    voiding: bool,
    object_ref: Option<Uuid>,
    registration: Option<Uuid>,
}

/// Validates what statements and sub-statements share: actor, verb, object, result, context,
/// timestamp, attachments. Agents and activities inside a sub-statement are related only.
fn check_body(
    map: &mut Map<String, Value>,
    version: Version,
    path: &Path,
    sub: bool,
    facts: &mut Facts,
) -> Result<Body, XapiError> {
    let plain = !sub;
    let actor = map
        .get("actor")
        .ok_or_else(|| missing_property(path, "actor"))?;
    let found = check_agent(actor, &path.key("actor"), Role::Actor)?;
    facts.identified(found, plain);

    let verb = map
        .get("verb")
        .ok_or_else(|| missing_property(path, "verb"))?;
    let verb = check_verb(verb, &path.key("verb"))?.to_owned();
    let voiding = verb == VOIDED;

    let object = map
        .get_mut("object")
        .ok_or_else(|| missing_property(path, "object"))?;
    let kind = check_object(object, &path.key("object"), version, sub, facts)?;
    let object_ref = match kind {
        ObjectKind::StatementRef(target) => Some(target),
        _ => None,
    };
    if voiding && object_ref.is_none() {
        return Err(invalid_value(
            "voiding_needs_statement_ref",
            &path.key("object"),
            "a statement with the verb voided must have a StatementRef object",
            "动词为 voided 的语句，其 object 必须是 StatementRef",
        ));
    }
    if let Some(result) = map.get("result") {
        check_result(result, &path.key("result"))?;
    }
    let mut registration = None;
    if let Some(context) = map.get_mut("context") {
        let is_activity = matches!(kind, ObjectKind::Activity);
        registration = check_context(context, &path.key("context"), version, is_activity, facts)?;
    }
    if let Some(timestamp) = map.get_mut("timestamp") {
        let at = path.key("timestamp");
        let instant = timestamp_value(timestamp, &at, version)?;
        *timestamp = Value::String(format_timestamp(instant));
    }
    if let Some(attachments) = map.get("attachments") {
        check_attachments(attachments, &path.key("attachments"), facts)?;
    }
    Ok(Body {
        verb,
        voiding,
        object_ref,
        registration,
    })
}

fn check_verb<'v>(value: &'v Value, path: &Path) -> Result<&'v str, XapiError> {
    let map = object(value, path)?;
    check_keys(map, &["id", "display"], path)?;
    let id = map.get("id").ok_or_else(|| missing_property(path, "id"))?;
    let id = iri_value(id, &path.key("id"))?;
    if let Some(display) = map.get("display") {
        crate::language::check_language_map(display, &path.key("display"))?;
    }
    Ok(id)
}

fn check_object(
    value: &mut Value,
    path: &Path,
    version: Version,
    sub: bool,
    facts: &mut Facts,
) -> Result<ObjectKind, XapiError> {
    let kind = match value.get("objectType") {
        None => "Activity",
        Some(kind) => match string(kind, &path.key("objectType"))? {
            "Activity" => "Activity",
            "Agent" | "Group" => "Agent",
            "StatementRef" => "StatementRef",
            "SubStatement" => "SubStatement",
            other => {
                return Err(invalid_value(
                    "invalid_object_type",
                    &path.key("objectType"),
                    format!(
                        "objectType {other:?} must be Activity, Agent, Group, StatementRef or \
                         SubStatement (case-sensitive)"
                    ),
                    format!("objectType {other:?} 必须是 Activity、Agent、Group、StatementRef 或 SubStatement"),
                ))
            }
        },
    };
    match kind {
        "Activity" => {
            let id = check_activity(value, path)?;
            facts.activity(value, id, !sub);
            Ok(ObjectKind::Activity)
        }
        "Agent" => {
            let found = check_agent(value, path, Role::Object)?;
            facts.identified(found, !sub);
            Ok(ObjectKind::Agent)
        }
        "StatementRef" => Ok(ObjectKind::StatementRef(check_statement_ref(value, path)?)),
        _ => {
            if sub {
                return Err(invalid_value(
                    "nested_substatement",
                    path,
                    "a SubStatement cannot contain another SubStatement",
                    "SubStatement 不能再包含 SubStatement",
                ));
            }
            let map = object_mut(value, path)?;
            for key in SUBSTATEMENT_FORBIDDEN {
                if map.contains_key(*key) {
                    return Err(invalid_value(
                        "substatement_property",
                        &path.key(key),
                        format!("a SubStatement must not have {key:?}"),
                        format!("SubStatement 不能包含 {key:?}"),
                    ));
                }
            }
            check_keys(map, SUBSTATEMENT_KEYS, path)?;
            check_body(map, version, path, true, facts)?;
            Ok(ObjectKind::SubStatement)
        }
    }
}

/// A Statement Reference: `objectType` "StatementRef" and a UUID `id`.
pub(crate) fn check_statement_ref(value: &Value, path: &Path) -> Result<Uuid, XapiError> {
    let map = object(value, path)?;
    check_keys(map, &["objectType", "id"], path)?;
    let kind = map
        .get("objectType")
        .ok_or_else(|| missing_property(path, "objectType"))?;
    if string(kind, &path.key("objectType"))? != "StatementRef" {
        return Err(invalid_value(
            "invalid_object_type",
            &path.key("objectType"),
            "must be \"StatementRef\"",
            "必须是 \"StatementRef\"",
        ));
    }
    let id = map.get("id").ok_or_else(|| missing_property(path, "id"))?;
    uuid_value(id, &path.key("id"))
}

fn timestamp_value(
    value: &Value,
    path: &Path,
    version: Version,
) -> Result<time::OffsetDateTime, XapiError> {
    let text = string(value, path)?;
    parse_timestamp(text, version).map_err(|mut e| {
        e.path = path.render();
        e
    })
}

/// The statement `version`: 1.0.x under 1.0 (XAPI-00101); 1.0.x or 2.0.x under 2.0.
fn check_statement_version(value: &Value, path: &Path, version: Version) -> Result<(), XapiError> {
    let text = string(value, path)?;
    match Version::parse(text) {
        Some(Version::V1) => Ok(()),
        Some(Version::V2) if version.is_v2() => Ok(()),
        _ => Err(invalid_value(
            "invalid_statement_version",
            path,
            if version.is_v2() {
                format!("version {text:?} must be 1.0, 1.0.x, 2.0 or 2.0.x")
            } else {
                format!("version {text:?} must be 1.0 or 1.0.x")
            },
            if version.is_v2() {
                format!("version {text:?} 必须是 1.0、1.0.x、2.0 或 2.0.x")
            } else {
                format!("version {text:?} 必须是 1.0 或 1.0.x")
            },
        )),
    }
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;

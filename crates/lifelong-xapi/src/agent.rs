//! Agents and Groups (xAPI-Data 2.4.2): Inverse Functional Identifiers (IFIs), the rules per
//! place an agent appears (actor, object, authority, instructor, team, member, 2.0 context
//! agents and groups), and the canonical IFI key the store indexes and the `agent` filter uses.

use serde_json::{Map, Value};

use crate::error::XapiError;
use crate::iri::{iri_value, is_iri};
use crate::json::{
    check_keys, invalid_value, missing_property, object, parse_strict, string, wrong_type,
};
use crate::path::Path;
use crate::version::Version;

/// Where an Agent or Group appears; each place has its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The statement's actor: Agent (objectType optional) or Group.
    Actor,
    /// The statement's object: `objectType` is required (the caller dispatched on it).
    Object,
    /// `authority`: an Agent, or an anonymous Group of exactly two Agents (OAuth pair).
    Authority,
    /// `context.instructor`: Agent or Group.
    Instructor,
    /// `context.team`, `contextGroups[].group`: a Group.
    Team,
    /// A Group's `member`: Agents only.
    Member,
    /// `contextAgents[].agent` (2.0): an Agent.
    ContextAgent,
    /// The `agent` query parameter: an Agent or identified Group.
    Filter,
}

/// What validation learned about an Agent or Group.
pub(crate) struct Identified {
    /// Its IFI key; `None` for an anonymous Group.
    pub key: Option<String>,
    /// The IFI keys of its members (Groups only).
    pub members: Vec<String>,
}

const AGENT_KEYS: &[&str] = &[
    "objectType",
    "name",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
];
const GROUP_KEYS: &[&str] = &[
    "objectType",
    "name",
    "member",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
];
const IFI_KEYS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];

/// Validates an Agent or Group at `path` for its `role`.
pub(crate) fn check_agent(value: &Value, path: &Path, role: Role) -> Result<Identified, XapiError> {
    let map = object(value, path)?;
    let is_group = match map.get("objectType") {
        None => false,
        Some(kind) => match string(kind, &path.key("objectType"))? {
            "Agent" => false,
            "Group" => true,
            other => {
                return Err(invalid_value(
                    "invalid_object_type",
                    &path.key("objectType"),
                    format!("objectType {other:?} must be \"Agent\" or \"Group\" (case-sensitive)"),
                    format!("objectType {other:?} 必须是 \"Agent\" 或 \"Group\"（区分大小写）"),
                ))
            }
        },
    };
    match (role, is_group) {
        (Role::Member | Role::ContextAgent, true) => {
            return Err(invalid_value(
                "group_not_allowed",
                path,
                "a Group is not allowed here; only Agents",
                "此处只允许 Agent，不允许 Group",
            ))
        }
        (Role::Team, false) => {
            return Err(invalid_value(
                "group_required",
                path,
                "must be a Group (objectType \"Group\")",
                "必须是 Group（objectType 为 \"Group\"）",
            ))
        }
        _ => {}
    }
    check_keys(map, if is_group { GROUP_KEYS } else { AGENT_KEYS }, path)?;
    if let Some(name) = map.get("name") {
        string(name, &path.key("name"))?;
    }
    let mut count = 0;
    for key in IFI_KEYS {
        if let Some(ifi) = map.get(key) {
            check_ifi(key, ifi, &path.key(key))?;
            count += 1;
        }
    }
    let mut members = Vec::new();
    let mut member_count = 0;
    if let Some(list) = map.get("member") {
        let at = path.key("member");
        let items = list
            .as_array()
            .ok_or_else(|| wrong_type(&at, "an array of Agents", "Agent 数组"))?;
        member_count = items.len();
        for (i, item) in items.iter().enumerate() {
            let found = check_agent(item, &at.index(i), Role::Member)?;
            members.extend(found.key);
        }
    }
    let ifi_count_error = |en: &str, zh: &str| invalid_value("agent_ifi_count", path, en, zh);
    if is_group {
        if count > 1 {
            return Err(ifi_count_error(
                "a Group has at most one identifier (mbox, mbox_sha1sum, openid or account)",
                "Group 最多只能有一个标识（mbox、mbox_sha1sum、openid 或 account）",
            ));
        }
        if count == 0 && member_count == 0 {
            return Err(invalid_value(
                "group_member_missing",
                path,
                "an anonymous Group (no identifier) must list at least one member",
                "匿名 Group（无标识）必须至少列出一个成员",
            ));
        }
    } else if count != 1 {
        return Err(ifi_count_error(
            "an Agent has exactly one identifier (mbox, mbox_sha1sum, openid or account)",
            "Agent 必须且只能有一个标识（mbox、mbox_sha1sum、openid 或 account）",
        ));
    }
    if role == Role::Authority && is_group && (count != 0 || member_count != 2) {
        return Err(invalid_value(
            "invalid_authority",
            path,
            "an authority Group must be anonymous with exactly two Agents",
            "作为 authority 的 Group 必须是匿名的，且恰好包含两个 Agent",
        ));
    }
    if role == Role::Filter && count == 0 {
        return Err(invalid_value(
            "agent_filter_anonymous",
            path,
            "the agent filter must be an Agent or an identified Group",
            "agent 过滤条件必须是 Agent 或有标识的 Group",
        ));
    }
    Ok(Identified {
        key: ifi_key_of(map),
        members,
    })
}

fn check_ifi(key: &str, value: &Value, path: &Path) -> Result<(), XapiError> {
    match key {
        "mbox" => {
            let text = string(value, path)?;
            if !is_mbox(text) {
                return Err(invalid_value(
                    "invalid_mbox",
                    path,
                    format!("{text:?} is not a mailto IRI (\"mailto:\" and an e-mail address)"),
                    format!("{text:?} 不是 mailto IRI（\"mailto:\" 加电子邮件地址）"),
                ));
            }
        }
        "mbox_sha1sum" => {
            let text = string(value, path)?;
            if text.len() != 40 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid_value(
                    "invalid_mbox_sha1sum",
                    path,
                    "must be the 40 hexadecimal digits of a SHA-1 hash",
                    "必须是 40 位十六进制的 SHA-1 摘要",
                ));
            }
        }
        "openid" => {
            iri_value(value, path)?;
        }
        _ => {
            let account = object(value, path)?;
            check_keys(account, &["homePage", "name"], path)?;
            let home = account
                .get("homePage")
                .ok_or_else(|| missing_property(path, "homePage"))?;
            iri_value(home, &path.key("homePage"))?;
            let name = account
                .get("name")
                .ok_or_else(|| missing_property(path, "name"))?;
            string(name, &path.key("name"))?;
        }
    }
    Ok(())
}

/// `mailto:` (any case) followed by `local@domain`, both parts non-empty, as an IRI.
fn is_mbox(text: &str) -> bool {
    let Some(address) = strip_mailto(text) else {
        return false;
    };
    match address.rsplit_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && is_iri(text),
        None => false,
    }
}

fn strip_mailto(text: &str) -> Option<&str> {
    let head = text.get(..7)?;
    head.eq_ignore_ascii_case("mailto:").then(|| &text[7..])
}

/// An `mbox` with its case-insensitive parts (scheme, domain) lowercased.
pub(crate) fn canonical_mbox(mbox: &str) -> String {
    match strip_mailto(mbox).and_then(|a| a.rsplit_once('@')) {
        Some((local, domain)) => format!("mailto:{local}@{}", domain.to_lowercase()),
        None => mbox.to_owned(),
    }
}

/// The canonical key of an Agent's or identified Group's IFI: `mbox:mailto:local@domain`
/// (scheme and domain lowercased, xAPI-Data 2.3.1.b7), `mbox_sha1sum:<lowercase hex>`,
/// `openid:<iri>`, `account:<homePage>|<name>` (`|` cannot occur in an IRI). `None` when the
/// value has no IFI (an anonymous Group) or is not an object.
pub fn ifi_key(agent_or_group: &Value) -> Option<String> {
    agent_or_group.as_object().and_then(ifi_key_of)
}

fn ifi_key_of(map: &Map<String, Value>) -> Option<String> {
    if let Some(Value::String(mbox)) = map.get("mbox") {
        return Some(format!("mbox:{}", canonical_mbox(mbox)));
    }
    if let Some(Value::String(sum)) = map.get("mbox_sha1sum") {
        return Some(format!("mbox_sha1sum:{}", sum.to_ascii_lowercase()));
    }
    if let Some(Value::String(openid)) = map.get("openid") {
        return Some(format!("openid:{openid}"));
    }
    if let Some(Value::Object(account)) = map.get("account") {
        if let (Some(Value::String(home)), Some(Value::String(name))) =
            (account.get("homePage"), account.get("name"))
        {
            return Some(format!("account:{home}|{name}"));
        }
    }
    None
}

/// Parses the `agent` query parameter (JSON text of an Agent or identified Group) and returns
/// its IFI key. Invalid JSON, an invalid Agent or an anonymous Group → 400 at `agent`. Agents
/// have the same rules in both versions; the version keeps call sites uniform.
pub fn agent_filter_key(json: &str, version: Version) -> Result<String, XapiError> {
    let _same_in_both_versions = version;
    let root = Path::ROOT;
    let at = root.key("agent");
    let value = parse_strict(json.as_bytes()).map_err(|e| e.under("agent"))?;
    let found = check_agent(&value, &at, Role::Filter)?;
    found.key.ok_or_else(|| {
        invalid_value(
            "agent_filter_anonymous",
            &at,
            "the agent filter must be an Agent or an identified Group",
            "agent 过滤条件必须是 Agent 或有标识的 Group",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value, role: Role) -> Result<Identified, &'static str> {
        check_agent(&value, &Path::ROOT, role).map_err(|e| e.code)
    }

    #[test]
    fn xapi_00034_an_agent_has_exactly_one_ifi() {
        let cases = [
            (json!({"mbox": "mailto:xapi@adlnet.gov"}), None),
            (
                json!({"objectType": "Agent", "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}),
                None,
            ),
            (json!({"openid": "http://openid.example.org/12345"}), None),
            (
                json!({"account": {"homePage": "http://www.example.com", "name": "1625378"}}),
                None,
            ),
            (json!({"name": "no ifi"}), Some("agent_ifi_count")),
            (
                json!({"mbox": "mailto:a@b.c", "openid": "http://o.example.org/1"}),
                Some("agent_ifi_count"),
            ),
            (
                json!({"mbox": "mailto:a@b.c", "account": {"homePage": "http://x.org", "name": "n"}}),
                Some("agent_ifi_count"),
            ),
            (
                json!({"objectType": "agent", "mbox": "mailto:a@b.c"}),
                Some("invalid_object_type"),
            ),
            (
                json!({"objectType": "group", "mbox": "mailto:a@b.c"}),
                Some("invalid_object_type"),
            ),
            (
                json!({"mbox": "mailto:a@b.c", "Name": "x"}),
                Some("unknown_property"),
            ),
            (
                json!({"mbox": "mailto:a@b.c", "name": null}),
                Some("null_value"),
            ),
            (
                json!({"mbox": "mailto:a@b.c", "name": 5}),
                Some("wrong_type"),
            ),
            (
                json!({"mbox": "mailto:a@b.c", "member": []}),
                Some("unknown_property"),
            ),
        ];
        for (value, code) in cases {
            assert_eq!(check(value.clone(), Role::Actor).err(), code, "{value}");
        }
    }

    #[test]
    fn xapi_00038_to_00043_ifi_formats() {
        let cases = [
            (json!({"mbox": "xapi@adlnet.gov"}), Some("invalid_mbox")),
            (json!({"mbox": "mailto:"}), Some("invalid_mbox")),
            (json!({"mbox": "mailto:@example.com"}), Some("invalid_mbox")),
            (
                json!({"mbox": "mailto:a b@example.com"}),
                Some("invalid_mbox"),
            ),
            (json!({"mbox": "MAILTO:A@Example.COM"}), None),
            (
                json!({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e36497"}),
                Some("invalid_mbox_sha1sum"),
            ),
            (
                json!({"mbox_sha1sum": "zz9b00a5611f94eaa7b1661edab976068e364975"}),
                Some("invalid_mbox_sha1sum"),
            ),
            (json!({"openid": "not an iri"}), Some("invalid_iri")),
            (
                json!({"account": {"homePage": "http://www.example.com"}}),
                Some("missing_property"),
            ),
            (json!({"account": {"name": "n"}}), Some("missing_property")),
            (
                json!({"account": {"homePage": "www.example.com", "name": "n"}}),
                Some("invalid_iri"),
            ),
            (
                json!({"account": {"homePage": "http://x.org", "name": {"key": "should fail"}}}),
                Some("wrong_type"),
            ),
            (
                json!({"account": {"homePage": "http://x.org", "name": "n", "extra": 1}}),
                Some("unknown_property"),
            ),
            (json!({"account": "http://x.org|n"}), Some("wrong_type")),
        ];
        for (value, code) in cases {
            assert_eq!(check(value.clone(), Role::Actor).err(), code, "{value}");
        }
    }

    #[test]
    fn xapi_00035_to_00037_group_rules() {
        let member = json!({"mbox": "mailto:m@example.com"});
        let cases = [
            (
                json!({"objectType": "Group", "member": [member]}),
                Role::Actor,
                None,
            ),
            (
                json!({"objectType": "Group", "mbox": "mailto:g@example.com"}),
                Role::Actor,
                None,
            ),
            (
                json!({"objectType": "Group", "mbox": "mailto:g@example.com", "member": [member]}),
                Role::Actor,
                None,
            ),
            (
                json!({"objectType": "Group"}),
                Role::Actor,
                Some("group_member_missing"),
            ),
            (
                json!({"objectType": "Group", "member": []}),
                Role::Actor,
                Some("group_member_missing"),
            ),
            (
                json!({"objectType": "Group", "mbox": "mailto:g@x.org", "openid": "http://x.org/g"}),
                Role::Actor,
                Some("agent_ifi_count"),
            ),
            (
                json!({"objectType": "Group", "member": [{"objectType": "Group", "member": [member]}]}),
                Role::Actor,
                Some("group_not_allowed"),
            ),
            (
                json!({"objectType": "Group", "member": [{"name": "no ifi"}]}),
                Role::Actor,
                Some("agent_ifi_count"),
            ),
            (
                json!({"objectType": "Group", "member": member}),
                Role::Actor,
                Some("wrong_type"),
            ),
            (
                json!({"mbox": "mailto:a@x.org"}),
                Role::Team,
                Some("group_required"),
            ),
            (
                json!({"objectType": "Group", "member": [member]}),
                Role::ContextAgent,
                Some("group_not_allowed"),
            ),
        ];
        for (value, role, code) in cases {
            assert_eq!(check(value.clone(), role).err(), code, "{value}");
        }
    }

    #[test]
    fn xapi_00098_authority_is_an_agent_or_an_anonymous_pair() {
        let oauth = json!({"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}});
        let bob = json!({"mbox": "mailto:bob@example.com"});
        let james = json!({"mbox": "mailto:james@example.com"});
        let cases = [
            (json!({"mbox": "mailto:a@x.org"}), None),
            (json!({"objectType": "Group", "member": [oauth, bob]}), None),
            (
                json!({"objectType": "Group", "member": [bob]}),
                Some("invalid_authority"),
            ),
            (
                json!({"objectType": "Group", "member": [oauth, bob, james]}),
                Some("invalid_authority"),
            ),
            (
                json!({"objectType": "Group", "member": [oauth, bob], "mbox": "mailto:g@x.org"}),
                Some("invalid_authority"),
            ),
            (
                json!({"objectType": "Group", "openid": "http://openid.example.org/1"}),
                Some("invalid_authority"),
            ),
            (json!({"objectType": "Group"}), Some("group_member_missing")),
        ];
        for (value, code) in cases {
            assert_eq!(check(value.clone(), Role::Authority).err(), code, "{value}");
        }
    }

    #[test]
    fn ifi_keys_are_canonical() {
        let cases = [
            (
                json!({"mbox": "mailto:Bob@Example.COM"}),
                Some("mbox:mailto:Bob@example.com"),
            ),
            (
                json!({"mbox": "MAILTO:bob@example.com"}),
                Some("mbox:mailto:bob@example.com"),
            ),
            (
                json!({"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}),
                Some("mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975"),
            ),
            (
                json!({"openid": "http://openid.example.org/12345"}),
                Some("openid:http://openid.example.org/12345"),
            ),
            (
                json!({"account": {"homePage": "https://home", "name": "a|b"}}),
                Some("account:https://home|a|b"),
            ),
            (
                json!({"objectType": "Group", "member": [{"mbox": "mailto:a@b.c"}]}),
                None,
            ),
            (json!("mailto:a@b.c"), None),
        ];
        for (value, key) in cases {
            assert_eq!(ifi_key(&value).as_deref(), key, "{value}");
        }
    }

    #[test]
    fn agent_filter_parameter() {
        for version in [Version::V1, Version::V2] {
            let key = agent_filter_key(r#"{"mbox":"mailto:A@B.org"}"#, version).unwrap();
            assert_eq!(key, "mbox:mailto:A@b.org");
            let key = agent_filter_key(
                r#"{"objectType":"Group","openid":"http://g.org/1"}"#,
                version,
            )
            .unwrap();
            assert_eq!(key, "openid:http://g.org/1");
            let cases = [
                (r#"{"mbox":"mailto:a@b.org""#, "invalid_json"),
                (r#"{"mbox":"a@b.org"}"#, "invalid_mbox"),
                (
                    r#"{"objectType":"Group","member":[{"mbox":"mailto:a@b.org"}]}"#,
                    "agent_filter_anonymous",
                ),
                (r#"{"name":"x"}"#, "agent_ifi_count"),
                (r#"["x"]"#, "wrong_type"),
            ];
            for (text, code) in cases {
                let err = agent_filter_key(text, version).unwrap_err();
                assert_eq!(err.code, code, "{text}");
                assert!(err.path.starts_with("agent"), "{}", err.path);
            }
        }
    }
}

//! Statements: storing them (validated and prepared by `lifelong-xapi`, attachments matched and
//! signatures verified, learning activity mapped into archives, written as one job), and
//! reading them back by id or by query with stable `more` pages.

use std::collections::{HashMap, HashSet};

use lifelong_store::{
    JobOutcome, NewAttachment, NewStatement, StatementFilter, StatementJob, StoredStatement,
};
use lifelong_xapi::multipart::Part;
use lifelong_xapi::{Status, Version, XapiError};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::keys::{filter_key, statement_keys, KeyKind};
use super::XapiClient;
use crate::{App, AppError, AppResult};

fn refused(e: XapiError) -> AppError {
    AppError::Xapi(Box::new(e))
}

fn bad(code: &'static str, path: &str, en: &str, zh: &str) -> AppError {
    refused(XapiError::invalid(code, path, en, zh))
}

/// What a stored job answers: the statements' ids in the order sent.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub ids: Vec<Uuid>,
}

/// A statements query as the resource's parameters give it (already parsed by the web layer
/// from the query string).
#[derive(Debug, Clone, Default)]
pub struct StatementQuery {
    pub params: Vec<(String, String)>,
    /// The request's `Accept-Language` preferences, best first (for `format=canonical`).
    pub languages: Vec<String>,
}

/// What a statement read answers.
#[derive(Debug, Clone)]
pub struct StatementsAnswer {
    /// The JSON to send: one statement, or `{"statements":[…],"more":"…"}`.
    pub json: String,
    /// The attachments to send with it when `attachments=true`: `(sha2, content type, bytes)`.
    pub attachments: Option<Vec<(String, String, Vec<u8>)>>,
    /// For a single statement: when it was stored (`Last-Modified`).
    pub stored: Option<OffsetDateTime>,
}

const QUERY_PARAMS: &[&str] = &[
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "from",
];

fn flag(value: &str, name: &str) -> AppResult<bool> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad(
            "invalid_parameter",
            name,
            "must be true or false",
            "须为 true 或 false",
        )),
    }
}

fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Exact,
    Ids,
    Canonical,
}

fn format_of(value: Option<&str>) -> AppResult<Format> {
    match value {
        None | Some("exact") => Ok(Format::Exact),
        Some("ids") => Ok(Format::Ids),
        Some("canonical") => Ok(Format::Canonical),
        Some(_) => Err(bad(
            "invalid_parameter",
            "format",
            "format must be ids, exact or canonical",
            "format 须为 ids、exact 或 canonical",
        )),
    }
}

fn shaped(
    body: &str,
    format: Format,
    languages: &[String],
    definitions: &HashMap<String, Value>,
) -> AppResult<String> {
    if format == Format::Exact {
        return Ok(body.to_owned());
    }
    let value: Value = serde_json::from_str(body)
        .map_err(|e| AppError::Internal(format!("stored statement: {e}")))?;
    let out = match format {
        Format::Ids => lifelong_xapi::format_ids(&value),
        _ => lifelong_xapi::format_canonical_with(&value, languages, definitions),
    };
    Ok(out.to_string())
}

/// The attachments a set of statement bodies name, without repeats.
fn attachment_hashes(bodies: &[&str]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for body in bodies {
        let Ok(value) = serde_json::from_str::<Value>(body) else {
            continue;
        };
        let lists = [
            value.get("attachments"),
            value.get("object").and_then(|o| o.get("attachments")),
        ];
        for list in lists.into_iter().flatten().filter_map(Value::as_array) {
            for a in list {
                if let Some(sha) = a.get("sha2").and_then(Value::as_str) {
                    if seen.insert(sha.to_owned()) {
                        out.push(sha.to_owned());
                    }
                }
            }
        }
    }
    out
}

impl App {
    /// Validates, prepares and stores statements sent in one request (POST: one or many; PUT:
    /// one, with `put_id`). Attachment parts come from a multipart body. All are stored or none.
    pub async fn store_statements(
        &self,
        client: &XapiClient,
        version: Version,
        statements: Vec<Value>,
        parts: Vec<Part>,
        put_id: Option<Uuid>,
    ) -> AppResult<StoredAnswer> {
        let single = statements.len() == 1;
        let mut prepared = Vec::with_capacity(statements.len());
        let mut ids = HashSet::with_capacity(statements.len());
        for (i, statement) in statements.into_iter().enumerate() {
            let at = |e: XapiError| {
                if single {
                    e
                } else {
                    e.under(&format!("[{i}]"))
                }
            };
            if let (Some(put), Some(sent)) = (put_id, statement.get("id")) {
                if sent.as_str().and_then(|s| Uuid::parse_str(s).ok()) != Some(put) {
                    return Err(bad(
                        "statement_id_mismatch",
                        "id",
                        "the statement's id differs from the statementId parameter",
                        "语句的 id 与 statementId 参数不一致",
                    ));
                }
            }
            let signed =
                lifelong_xapi::signature::declared(&statement).map_err(|e| refused(at(e)))?;
            let original = signed.is_some().then(|| statement.clone());
            let ctx = lifelong_xapi::Context {
                version,
                authority: &client.authority,
                new_id: put_id.unwrap_or_else(Uuid::now_v7),
            };
            let p = lifelong_xapi::prepare(statement, &ctx).map_err(|e| refused(at(e)))?;
            if let Some(original) = original {
                lifelong_xapi::signature::check(&original, &parts, lifelong_xapi::same_statement)
                    .map_err(|e| refused(at(e)))?;
            }
            if !ids.insert(p.id) {
                return Err(refused(at(XapiError::invalid(
                    "duplicate_statement_id",
                    "id",
                    format!("statement id {} appears twice in this request", p.id),
                    format!("本次请求中语句 id {} 出现了两次", p.id),
                ))));
            }
            prepared.push(p);
        }
        let declared: Vec<(String, Option<String>)> = prepared
            .iter()
            .flat_map(|p| {
                p.attachments
                    .iter()
                    .map(|a| (a.sha2.clone(), a.file_url.clone()))
            })
            .collect();
        lifelong_xapi::multipart::match_attachments(&declared, &parts).map_err(refused)?;
        let mut attachments: HashMap<String, NewAttachment> = HashMap::new();
        for part in parts {
            attachments
                .entry(part.sha2.clone())
                .or_insert(NewAttachment {
                    sha2: part.sha2,
                    content_type: part.content_type,
                    content: part.body,
                });
        }
        let mut news = Vec::with_capacity(prepared.len());
        for p in &prepared {
            let mut head = p.statement.to_string();
            head.pop();
            news.push(NewStatement {
                id: p.id,
                head,
                needs_timestamp: !p.has_timestamp,
                voids: p.voids,
                target: p.voids.or(p.refers_to),
                comparison: p.comparison,
                keys: statement_keys(p),
                definitions: p
                    .definitions
                    .iter()
                    .map(|(iri, d)| (iri.clone(), d.to_string()))
                    .collect(),
                entries: self.learning_entries(client, p).await?,
            });
        }
        let job = StatementJob {
            tenant: client.tenant,
            credential: client.credential,
            statements: news,
            attachments: attachments.into_values().collect(),
        };
        match self.store.store_statements(job).await? {
            JobOutcome::Stored { .. } => Ok(StoredAnswer { ids: prepared.iter().map(|p| p.id).collect() }),
            JobOutcome::Conflict(id) => Err(refused(XapiError::new(
                Status::Conflict,
                "statement_conflict",
                "id",
                format!("statement {id} is already stored with different content; statements are immutable"),
                format!("语句 {id} 已以不同内容存储；语句存储后不可更改"),
            ))),
        }
    }

    /// GET /statements: one statement by `statementId` / `voidedStatementId`, or a page.
    pub async fn read_statements(
        &self,
        client: &XapiClient,
        version: Version,
        query: &StatementQuery,
    ) -> AppResult<StatementsAnswer> {
        let get = |name: &str| {
            query
                .params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut names = HashSet::new();
        for (k, _) in &query.params {
            if !names.insert(k.as_str()) {
                return Err(bad(
                    "duplicate_parameter",
                    k,
                    "this parameter is given twice",
                    "该参数重复出现",
                ));
            }
        }
        let format = format_of(get("format"))?;
        let with_attachments = get("attachments")
            .map(|v| flag(v, "attachments"))
            .transpose()?
            .unwrap_or(false);
        let by_id = match (get("statementId"), get("voidedStatementId")) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    "invalid_parameter",
                    "statementId",
                    "give statementId or voidedStatementId, not both",
                    "statementId 与 voidedStatementId 只能给出其一",
                ))
            }
            (Some(id), None) => Some((id, false)),
            (None, Some(id)) => Some((id, true)),
            (None, None) => None,
        };
        if let Some((id, voided)) = by_id {
            for (k, _) in &query.params {
                if !matches!(
                    k.as_str(),
                    "statementId" | "voidedStatementId" | "format" | "attachments"
                ) {
                    return Err(bad(
                        "invalid_parameter",
                        k,
                        "only format and attachments may accompany a statement id",
                        "按 id 获取语句时只能附带 format 与 attachments 参数",
                    ));
                }
            }
            let id = Uuid::parse_str(id).map_err(|_| {
                bad(
                    "invalid_uuid",
                    if voided {
                        "voidedStatementId"
                    } else {
                        "statementId"
                    },
                    "not a UUID",
                    "不是 UUID",
                )
            })?;
            let Some(found) = self.store.statement(client.tenant, id).await? else {
                return Err(AppError::NotFound);
            };
            if found.voided != voided {
                return Err(AppError::NotFound);
            }
            return self
                .answer_one(
                    client.tenant,
                    found,
                    format,
                    with_attachments,
                    &query.languages,
                )
                .await;
        }
        for (k, _) in &query.params {
            if !QUERY_PARAMS.contains(&k.as_str()) {
                return Err(bad(
                    "unknown_parameter",
                    k,
                    "this parameter is not part of the statements resource",
                    "语句资源没有此参数",
                ));
            }
        }
        let related_agents = get("related_agents")
            .map(|v| flag(v, "related_agents"))
            .transpose()?
            .unwrap_or(false);
        let related_activities = get("related_activities")
            .map(|v| flag(v, "related_activities"))
            .transpose()?
            .unwrap_or(false);
        let mut keys = Vec::new();
        if let Some(agent) = get("agent") {
            let ifi = lifelong_xapi::agent_filter_key(agent, version)
                .map_err(|e| refused(e.under("agent")))?;
            let kind = if related_agents {
                KeyKind::RelatedAgent
            } else {
                KeyKind::Agent
            };
            keys.push(filter_key(kind, &ifi));
        }
        if let Some(activity) = get("activity") {
            lifelong_xapi::validate_iri(activity, "activity").map_err(refused)?;
            let kind = if related_activities {
                KeyKind::RelatedActivity
            } else {
                KeyKind::Activity
            };
            keys.push(filter_key(kind, activity));
        }
        if let Some(verb) = get("verb") {
            lifelong_xapi::validate_iri(verb, "verb").map_err(refused)?;
            keys.push(filter_key(KeyKind::Verb, verb));
        }
        if let Some(registration) = get("registration") {
            let r = Uuid::parse_str(registration)
                .map_err(|_| bad("invalid_uuid", "registration", "not a UUID", "不是 UUID"))?;
            keys.push(filter_key(KeyKind::Registration, &r.to_string()));
        }
        let time = |name: &str| -> AppResult<Option<i64>> {
            get(name)
                .map(|t| {
                    lifelong_xapi::parse_timestamp(t, version)
                        .map(micros)
                        .map_err(|e| refused(e.under(name)))
                })
                .transpose()
        };
        let since = time("since")?;
        let until = time("until")?;
        let max = self.settings.xapi.max_limit.max(1);
        let limit = match get("limit") {
            None => max,
            Some(l) => match l.parse::<u32>() {
                Ok(0) => max,
                Ok(n) => n.min(max),
                Err(_) => {
                    return Err(bad(
                        "invalid_parameter",
                        "limit",
                        "must be a whole number",
                        "须为非负整数",
                    ))
                }
            },
        };
        let ascending = get("ascending")
            .map(|v| flag(v, "ascending"))
            .transpose()?
            .unwrap_or(false);
        let (after_seq, upto_seq) = match get("from") {
            None => (None, None),
            Some(from) => {
                let parsed = from
                    .split_once('-')
                    .and_then(|(a, u)| Some((a.parse::<i64>().ok()?, u.parse::<i64>().ok()?)));
                let Some((after, upto)) = parsed else {
                    return Err(bad(
                        "invalid_parameter",
                        "from",
                        "not a page marker from a more link",
                        "不是 more 链接给出的翻页标记",
                    ));
                };
                (Some(after), Some(upto))
            }
        };
        let filter = StatementFilter {
            tenant: client.tenant,
            keys,
            since,
            until,
            ascending,
            limit,
            after_seq,
            upto_seq,
        };
        let page = self.store.statements(&filter).await?;
        let more = match page.more_after {
            None => String::new(),
            Some(after) => {
                let mut pairs: Vec<(&str, &str)> = query
                    .params
                    .iter()
                    .filter(|(k, _)| k != "from")
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let marker = format!("{after}-{}", page.upto_seq);
                pairs.push(("from", &marker));
                let encoded = serde_urlencoded::to_string(&pairs)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                format!("/xapi/statements?{encoded}")
            }
        };
        let bodies: Vec<&str> = split_joined(&page.joined);
        let definitions = self
            .canonical_definitions(client.tenant, format, &bodies)
            .await?;
        let mut json = String::with_capacity(page.joined.len() + 64);
        json.push_str("{\"statements\":[");
        if format == Format::Exact {
            json.push_str(&page.joined);
        } else {
            for (i, body) in bodies.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&shaped(body, format, &query.languages, &definitions)?);
            }
        }
        json.push_str("],\"more\":");
        json.push_str(&Value::from(more).to_string());
        json.push('}');
        let attachments = if with_attachments {
            Some(self.store.attachments(&attachment_hashes(&bodies)).await?)
        } else {
            None
        };
        Ok(StatementsAnswer {
            json,
            attachments,
            stored: None,
        })
    }

    /// For `format=canonical`: the definitions this institution's LRS holds for the Activities
    /// the statements name (one look-up per distinct Activity). Empty for the other formats.
    async fn canonical_definitions(
        &self,
        tenant: i64,
        format: Format,
        bodies: &[&str],
    ) -> AppResult<HashMap<String, Value>> {
        let mut out = HashMap::new();
        if format != Format::Canonical {
            return Ok(out);
        }
        let mut asked = HashSet::new();
        for body in bodies {
            let Ok(value) = serde_json::from_str::<Value>(body) else {
                continue;
            };
            for id in lifelong_xapi::activity_ids(&value) {
                if !asked.insert(id.clone()) {
                    continue;
                }
                let held = self.store.activity_definition(tenant, &id).await?;
                if let Some(definition) = held.and_then(|d| serde_json::from_str(&d).ok()) {
                    out.insert(id, definition);
                }
            }
        }
        Ok(out)
    }

    async fn answer_one(
        &self,
        tenant: i64,
        found: StoredStatement,
        format: Format,
        with_attachments: bool,
        languages: &[String],
    ) -> AppResult<StatementsAnswer> {
        let definitions = self
            .canonical_definitions(tenant, format, &[found.body.as_str()])
            .await?;
        let json = shaped(&found.body, format, languages, &definitions)?;
        let attachments = if with_attachments {
            Some(
                self.store
                    .attachments(&attachment_hashes(&[found.body.as_str()]))
                    .await?,
            )
        } else {
            None
        };
        Ok(StatementsAnswer {
            json,
            attachments,
            stored: Some(found.stored),
        })
    }
}

/// Splits the store's comma-joined statement objects back into single objects by tracking
/// nesting and strings.
fn split_joined(joined: &str) -> Vec<&str> {
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0i32, false, false, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    out.push(&joined[start..=i]);
                }
            }
            b',' if depth == 0 => start = i + 1,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_statements_split_back() {
        let joined = r#"{"a":"x,}{","b":[1,{"c":2}]},{"d":"\"}"}"#;
        assert_eq!(
            split_joined(joined),
            vec![r#"{"a":"x,}{","b":[1,{"c":2}]}"#, r#"{"d":"\"}"}"#]
        );
        assert!(split_joined("").is_empty());
    }
}

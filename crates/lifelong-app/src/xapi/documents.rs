//! The document resources — State, Activity Profile, Agent Profile — and the two read-only
//! resources beside them (`/activities`, `/agents`). Writes are compare-and-set against the
//! ETag read, so a concurrent change is seen: the preconditions are checked again on the new
//! document, and the loser of a race gets 412 rather than overwriting.

use lifelong_store::{Document, DocumentKind, DocumentScope};
use lifelong_xapi::document::{self, Resource, Write};
use lifelong_xapi::{Version, XapiError};
use serde_json::{json, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::XapiClient;
use crate::{App, AppError, AppResult};

fn refused(e: XapiError) -> AppError {
    AppError::Xapi(Box::new(e))
}

fn bad(code: &'static str, path: &str, en: &str, zh: &str) -> AppError {
    refused(XapiError::invalid(code, path, en, zh))
}

/// Where a document request points, from its parameters.
#[derive(Debug, Clone)]
pub struct DocumentAddress {
    pub resource: Resource,
    scope: DocumentScope,
    /// `stateId` / `profileId`, when given.
    pub id: Option<String>,
    since: Option<OffsetDateTime>,
}

/// A document read: one document, or the ids of a scope's documents.
#[derive(Debug, Clone)]
pub enum DocumentRead {
    One(Document),
    Ids(Vec<String>),
}

/// Attempts at a compare-and-set write before giving up on a document that keeps changing.
const WRITE_ATTEMPTS: usize = 8;

impl App {
    /// Reads and checks a document request's parameters.
    pub fn document_address(
        &self,
        client: &XapiClient,
        resource: Resource,
        params: &[(String, String)],
        version: Version,
    ) -> AppResult<DocumentAddress> {
        let (allowed, id_name): (&[&str], &str) = match resource {
            Resource::State => (
                &["activityId", "agent", "registration", "stateId", "since"],
                "stateId",
            ),
            Resource::ActivityProfile => (&["activityId", "profileId", "since"], "profileId"),
            Resource::AgentProfile => (&["agent", "profileId", "since"], "profileId"),
        };
        let mut seen = std::collections::HashSet::new();
        for (k, _) in params {
            if !allowed.contains(&k.as_str()) {
                return Err(bad(
                    "unknown_parameter",
                    k,
                    "this parameter is not part of this resource",
                    "该资源没有此参数",
                ));
            }
            if !seen.insert(k.as_str()) {
                return Err(bad(
                    "duplicate_parameter",
                    k,
                    "this parameter is given twice",
                    "该参数重复出现",
                ));
            }
        }
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let required = |name: &str| {
            get(name).ok_or_else(|| {
                bad(
                    "missing_parameter",
                    name,
                    "this parameter is required",
                    "缺少必需的参数",
                )
            })
        };
        let activity = if allowed.contains(&"activityId") {
            let a = required("activityId")?;
            lifelong_xapi::validate_iri(a, "activityId").map_err(refused)?;
            a.to_owned()
        } else {
            String::new()
        };
        let agent = if allowed.contains(&"agent") {
            lifelong_xapi::agent_filter_key(required("agent")?, version)
                .map_err(|e| refused(e.under("agent")))?
        } else {
            String::new()
        };
        let registration = match get("registration") {
            None => String::new(),
            Some(r) => Uuid::parse_str(r)
                .map_err(|_| bad("invalid_uuid", "registration", "not a UUID", "不是 UUID"))?
                .to_string(),
        };
        let since = get("since")
            .map(|t| {
                lifelong_xapi::parse_timestamp(t, version).map_err(|e| refused(e.under("since")))
            })
            .transpose()?;
        let kind = match resource {
            Resource::State => DocumentKind::State,
            Resource::ActivityProfile => DocumentKind::ActivityProfile,
            Resource::AgentProfile => DocumentKind::AgentProfile,
        };
        Ok(DocumentAddress {
            resource,
            scope: DocumentScope {
                tenant: client.tenant,
                kind,
                activity,
                agent,
                registration,
            },
            id: get(id_name).map(str::to_owned),
            since,
        })
    }

    /// GET: the document, or the ids of the scope's documents (optionally changed since).
    pub async fn read_document(&self, address: &DocumentAddress) -> AppResult<DocumentRead> {
        match &address.id {
            Some(id) => {
                if address.since.is_some() {
                    return Err(bad(
                        "invalid_parameter",
                        "since",
                        "since lists documents; it cannot be given with an id",
                        "since 用于列出文档，不能与文档 id 同时给出",
                    ));
                }
                match self.store.document(&address.scope, id).await? {
                    Some(doc) => Ok(DocumentRead::One(doc)),
                    None => Err(AppError::NotFound),
                }
            }
            None => Ok(DocumentRead::Ids(
                self.store
                    .document_ids(&address.scope, address.since)
                    .await?,
            )),
        }
    }

    /// PUT, POST or DELETE of one document, or DELETE of every State document of a scope.
    /// Returns the new ETag (none after a delete).
    #[allow(clippy::too_many_arguments)]
    pub async fn write_document(
        &self,
        address: &DocumentAddress,
        method: Write,
        version: Version,
        content_type: &str,
        content: Vec<u8>,
        if_match: Option<&str>,
        if_none_match: Option<&str>,
    ) -> AppResult<Option<String>> {
        if address.since.is_some() {
            return Err(bad(
                "invalid_parameter",
                "since",
                "since is only for reading",
                "since 仅用于读取",
            ));
        }
        let Some(id) = &address.id else {
            if method == Write::Delete && address.resource == Resource::State {
                self.store.delete_documents(&address.scope).await?;
                return Ok(None);
            }
            let name = if address.resource == Resource::State {
                "stateId"
            } else {
                "profileId"
            };
            return Err(bad(
                "missing_parameter",
                name,
                "this parameter is required",
                "缺少必需的参数",
            ));
        };
        for _ in 0..WRITE_ATTEMPTS {
            let current = self.store.document(&address.scope, id).await?;
            let etag = current.as_ref().map(|d| d.etag.as_str());
            document::check_write(
                address.resource,
                method,
                version,
                etag,
                if_match,
                if_none_match,
            )
            .map_err(refused)?;
            let new = match method {
                Write::Delete => None,
                Write::Put => Some((content_type.to_owned(), content.clone())),
                Write::Post => match &current {
                    Some(existing) => Some((
                        "application/json".to_owned(),
                        document::merge_json(
                            &existing.content,
                            &existing.content_type,
                            &content,
                            content_type,
                        )
                        .map_err(refused)?,
                    )),
                    None => {
                        if document::is_json(content_type) {
                            document::merge_json(b"{}", "application/json", &content, content_type)
                                .map_err(refused)?;
                        }
                        Some((content_type.to_owned(), content.clone()))
                    }
                },
            };
            if method == Write::Delete && current.is_none() {
                return Ok(None);
            }
            let doc = new.map(|(content_type, content)| Document {
                etag: document::etag(&content),
                content_type,
                content,
                updated: OffsetDateTime::now_utc(),
            });
            let etag_after = doc.as_ref().map(|d| d.etag.clone());
            if self
                .store
                .put_document_if(&address.scope, id, etag, doc)
                .await?
            {
                return Ok(etag_after);
            }
        }
        Err(AppError::Conflict("document_busy"))
    }

    /// GET /activities: the activity with the latest definition statements gave it.
    pub async fn activity_object(
        &self,
        client: &XapiClient,
        params: &[(String, String)],
    ) -> AppResult<Value> {
        let mut id = None;
        for (k, v) in params {
            if k != "activityId" || id.is_some() {
                return Err(bad(
                    "unknown_parameter",
                    k,
                    "only activityId is allowed, once",
                    "只能给出一次 activityId 参数",
                ));
            }
            id = Some(v.as_str());
        }
        let id = id.ok_or_else(|| {
            bad(
                "missing_parameter",
                "activityId",
                "this parameter is required",
                "缺少必需的参数",
            )
        })?;
        lifelong_xapi::validate_iri(id, "activityId").map_err(refused)?;
        let mut activity = json!({ "objectType": "Activity", "id": id });
        if let Some(definition) = self.store.activity_definition(client.tenant, id).await? {
            if let Ok(value) = serde_json::from_str::<Value>(&definition) {
                activity["definition"] = value;
            }
        }
        Ok(activity)
    }

    /// GET /agents: the Person object of an agent (its identifiers as lists).
    pub fn person_object(&self, params: &[(String, String)], version: Version) -> AppResult<Value> {
        let mut agent = None;
        for (k, v) in params {
            if k != "agent" || agent.is_some() {
                return Err(bad(
                    "unknown_parameter",
                    k,
                    "only agent is allowed, once",
                    "只能给出一次 agent 参数",
                ));
            }
            agent = Some(v.as_str());
        }
        let text = agent.ok_or_else(|| {
            bad(
                "missing_parameter",
                "agent",
                "this parameter is required",
                "缺少必需的参数",
            )
        })?;
        lifelong_xapi::agent_filter_key(text, version).map_err(|e| refused(e.under("agent")))?;
        let value: Value = serde_json::from_str(text)
            .map_err(|_| bad("invalid_json", "agent", "not JSON", "不是 JSON"))?;
        let mut person = json!({ "objectType": "Person" });
        for key in ["name", "mbox", "mbox_sha1sum", "openid", "account"] {
            if let Some(v) = value.get(key) {
                person[key] = json!([v]);
            }
        }
        Ok(person)
    }
}

//! `/xapi/statements`: PUT one, POST one or many (JSON or multipart/mixed with attachments),
//! GET (and HEAD) by id or by query, answered as JSON or, with `attachments=true`, multipart.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use lifelong_app::xapi::StatementQuery;
use lifelong_xapi::multipart::{self, Limits, Part};
use serde_json::Value;
use uuid::Uuid;

use super::{empty, json_response, method_not_allowed, Refusal, XapiRequest};
use crate::state::AppState;

pub(crate) async fn handle(state: &AppState, req: XapiRequest) -> Result<Response, Refusal> {
    match req.method {
        Method::GET | Method::HEAD => read(state, &req).await,
        Method::PUT => write(state, &req, true).await,
        Method::POST => write(state, &req, false).await,
        _ => Err(method_not_allowed()),
    }
}

/// The statements and attachment parts of a PUT or POST body.
fn body_of(state: &AppState, req: &XapiRequest) -> Result<(Bytes, Vec<Part>), Refusal> {
    let content_type = req.header("Content-Type").unwrap_or("");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/json" => Ok((req.body.clone(), Vec::new())), // a reference count, not a copy
        "multipart/mixed" => {
            let settings = &state.app.settings.xapi;
            let limits = Limits {
                max_body: settings.max_body_bytes,
                max_attachment: settings.max_attachment_bytes,
                ..Limits::default()
            };
            let boundary = multipart::boundary(content_type)?;
            let parsed = multipart::parse(&req.body, &boundary, &limits)?;
            Ok((Bytes::from(parsed.statements), parsed.parts))
        }
        _ => Err(Refusal::bad(
            "unsupported_content_type",
            "Content-Type",
            "statements are sent as application/json or multipart/mixed",
            "语句须以 application/json 或 multipart/mixed 发送",
        )),
    }
}

async fn write(state: &AppState, req: &XapiRequest, put: bool) -> Result<Response, Refusal> {
    let client = req.client()?;
    let version = req.version();
    let put_id =
        if put {
            let mut id = None;
            for (k, v) in &req.params {
                if k != "statementId" || id.is_some() {
                    return Err(Refusal::bad(
                        "unknown_parameter",
                        k,
                        "a PUT takes one statementId parameter and nothing else",
                        "PUT 只接受一个 statementId 参数",
                    ));
                }
                id = Some(v.as_str());
            }
            let id = id.ok_or_else(|| {
                Refusal::bad(
                    "missing_parameter",
                    "statementId",
                    "a PUT needs the statementId parameter",
                    "PUT 须带 statementId 参数",
                )
            })?;
            Some(Uuid::parse_str(id).map_err(|_| {
                Refusal::bad("invalid_uuid", "statementId", "not a UUID", "不是 UUID")
            })?)
        } else {
            if let Some((k, _)) = req.params.first() {
                return Err(Refusal::bad(
                    "unknown_parameter",
                    k,
                    "a POST of statements takes no parameters",
                    "POST 语句不接受参数",
                ));
            }
            None
        };
    let (json, parts) = body_of(state, req)?;
    let statements = if put {
        let value: Value = serde_json::from_slice(&json).map_err(|e| {
            Refusal::bad(
                "invalid_json",
                "",
                &format!("the body is not JSON: {e}"),
                "请求体不是合法的 JSON",
            )
        })?;
        if !value.is_object() {
            return Err(Refusal::bad(
                "invalid_json",
                "",
                "a PUT carries one statement object",
                "PUT 须携带单个语句对象",
            ));
        }
        vec![value]
    } else {
        lifelong_xapi::parse_statements(&json)?
    };
    let answer = state
        .app
        .store_statements(client, version, statements, parts, put_id)
        .await?;
    if put {
        return Ok(empty(StatusCode::NO_CONTENT));
    }
    let ids: Vec<String> = answer.ids.iter().map(|id| id.to_string()).collect();
    Ok(json_response(
        StatusCode::OK,
        serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()),
    ))
}

async fn read(state: &AppState, req: &XapiRequest) -> Result<Response, Refusal> {
    let client = req.client()?;
    let query = StatementQuery {
        params: req.params.clone(),
        languages: req.languages(),
    };
    let answer = state
        .app
        .read_statements(client, req.version(), &query)
        .await?;
    let mut response = match answer.attachments {
        Some(attachments) => {
            let parts: Vec<(&str, &str, &[u8])> = attachments
                .iter()
                .map(|(sha, ct, body)| (sha.as_str(), ct.as_str(), body.as_slice()))
                .collect();
            let (content_type, body) = multipart::write(answer.json.as_bytes(), &parts);
            let mut response = Response::new(Body::from(body));
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        None => json_response(StatusCode::OK, answer.json),
    };
    if let Some(stored) = answer.stored {
        if let Ok(value) = HeaderValue::from_str(&http_date(stored)) {
            response.headers_mut().insert(header::LAST_MODIFIED, value);
        }
    }
    Ok(response)
}

/// An HTTP date (RFC 7231 IMF-fixdate).
pub(crate) fn http_date(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.format(&format).unwrap_or_default()
}

//! The document resources (`/activities/state`, `/activities/profile`, `/agents/profile`) and
//! the read-only objects beside them (`/activities`, `/agents`).

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use lifelong_app::xapi::DocumentRead;
use lifelong_xapi::document::{Resource as DocResource, Write};

use super::statements::http_date;
use super::{empty, json_response, method_not_allowed, Refusal, Resource, XapiRequest};
use crate::state::AppState;

pub(crate) async fn handle(
    state: &AppState,
    resource: Resource,
    req: XapiRequest,
) -> Result<Response, Refusal> {
    let client = req.client()?;
    let kind = match resource {
        Resource::State => DocResource::State,
        Resource::ActivityProfile => DocResource::ActivityProfile,
        _ => DocResource::AgentProfile,
    };
    let address = state
        .app
        .document_address(client, kind, &req.params, req.version())?;
    let write = match req.method {
        Method::GET | Method::HEAD => {
            return match state.app.read_document(&address).await? {
                DocumentRead::One(doc) => {
                    let mut response = Response::new(Body::from(doc.content));
                    let headers = response.headers_mut();
                    if let Ok(v) = HeaderValue::from_str(&doc.content_type) {
                        headers.insert(header::CONTENT_TYPE, v);
                    }
                    if let Ok(v) = HeaderValue::from_str(&doc.etag) {
                        headers.insert(header::ETAG, v);
                    }
                    if let Ok(v) = HeaderValue::from_str(&http_date(doc.updated)) {
                        headers.insert(header::LAST_MODIFIED, v);
                    }
                    Ok(response)
                }
                DocumentRead::Ids(ids) => Ok(json_response(
                    StatusCode::OK,
                    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()),
                )),
            };
        }
        Method::PUT => Write::Put,
        Method::POST => Write::Post,
        Method::DELETE => Write::Delete,
        _ => return Err(method_not_allowed()),
    };
    let content_type = req
        .header("Content-Type")
        .unwrap_or("application/octet-stream")
        .to_owned();
    let etag = state
        .app
        .write_document(
            &address,
            write,
            req.version(),
            &content_type,
            req.body.to_vec(),
            req.header("If-Match"),
            req.header("If-None-Match"),
        )
        .await?;
    let mut response = empty(StatusCode::NO_CONTENT);
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `/activities` and `/agents`: GET only.
pub(crate) async fn objects(
    state: &AppState,
    resource: Resource,
    req: XapiRequest,
) -> Result<Response, Refusal> {
    let client = req.client()?;
    if !matches!(req.method, Method::GET | Method::HEAD) {
        return Err(method_not_allowed());
    }
    let value = if resource == Resource::Activities {
        state.app.activity_object(client, &req.params).await?
    } else {
        state.app.person_object(&req.params, req.version())?
    };
    Ok(json_response(StatusCode::OK, value.to_string()))
}

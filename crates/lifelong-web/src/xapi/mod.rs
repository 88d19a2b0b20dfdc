//! The learning record store under `/xapi`: xAPI 1.0.3 and 2.0 over HTTP. Every request goes
//! through [`entry`]: the alternate request syntax is unpacked (1.0.x only), the version is
//! read from `X-Experience-API-Version`, the client is authenticated with HTTP Basic, and the
//! resource's handler runs. Responses carry the version the request asked for (its latest
//! patch); refusals are JSON `{"error":{"code","message","path"}}` in the requester's
//! language, with the status the specification gives, and are kept for the institution's
//! console.

mod documents;
mod request;
mod statements;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use lifelong_app::xapi::XapiClient;
use lifelong_app::AppError;
use lifelong_core::{Explain, Lang};
use lifelong_store::XapiRefusal;
use lifelong_xapi::{Status, Version, XapiError};
use serde_json::json;

use crate::state::AppState;
pub(crate) use request::XapiRequest;

/// Which resource a route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    About,
    Statements,
    Activities,
    Agents,
    State,
    ActivityProfile,
    AgentProfile,
}

impl Resource {
    fn name(self) -> &'static str {
        match self {
            Resource::About => "about",
            Resource::Statements => "statements",
            Resource::Activities => "activities",
            Resource::Agents => "agents",
            Resource::State => "activities/state",
            Resource::ActivityProfile => "activities/profile",
            Resource::AgentProfile => "agents/profile",
        }
    }
}

/// The `/xapi` routes.
pub fn router() -> Router<AppState> {
    let route = |resource: Resource| {
        any(move |State(state): State<AppState>, request: Request| entry(state, resource, request))
    };
    Router::new()
        .route("/about", route(Resource::About))
        .route("/statements", route(Resource::Statements))
        .route("/activities", route(Resource::Activities))
        .route("/agents", route(Resource::Agents))
        .route("/activities/state", route(Resource::State))
        .route("/activities/profile", route(Resource::ActivityProfile))
        .route("/agents/profile", route(Resource::AgentProfile))
}

/// A refusal on its way out.
pub(crate) struct Refusal {
    status: StatusCode,
    code: &'static str,
    path: String,
    zh: String,
    en: String,
}

impl Refusal {
    fn from_xapi(e: &XapiError) -> Self {
        let status = match e.status {
            Status::BadRequest => StatusCode::BAD_REQUEST,
            Status::Unauthorized => StatusCode::UNAUTHORIZED,
            Status::Forbidden => StatusCode::FORBIDDEN,
            Status::NotFound => StatusCode::NOT_FOUND,
            Status::Conflict => StatusCode::CONFLICT,
            Status::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Status::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        };
        Refusal {
            status,
            code: e.code,
            path: e.path.clone(),
            zh: e.message(Lang::Zh),
            en: e.message(Lang::En),
        }
    }

    pub(crate) fn bad(code: &'static str, path: &str, en: &str, zh: &str) -> Self {
        Refusal::from_xapi(&XapiError::invalid(code, path, en, zh))
    }

    fn from_app(e: &AppError) -> Self {
        if let AppError::Xapi(x) = e {
            return Refusal::from_xapi(x);
        }
        let status = match e {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let AppError::Internal(detail) = e {
            tracing::error!(error = %detail, "xAPI request failed");
        }
        Refusal {
            status,
            code: e.code(),
            path: String::new(),
            zh: e.message(Lang::Zh),
            en: e.message(Lang::En),
        }
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::from_app(&e)
    }
}

impl From<XapiError> for Refusal {
    fn from(e: XapiError) -> Self {
        Refusal::from_xapi(&e)
    }
}

fn refusal_response(refusal: &Refusal, lang: Lang, version: Option<Version>) -> Response {
    let message = lang.pick(&refusal.zh, &refusal.en);
    let body =
        json!({ "error": { "code": refusal.code, "message": message, "path": refusal.path } });
    let mut response = (refusal.status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        "X-Experience-API-Version",
        HeaderValue::from_static(version.unwrap_or(Version::V2).header()),
    );
    if refusal.status == StatusCode::UNAUTHORIZED {
        headers.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"xAPI\""),
        );
    }
    response
}

async fn entry(state: AppState, resource: Resource, request: Request) -> Response {
    let lang = crate::i18n::request_lang(request.headers());
    let is_statements = resource == Resource::Statements;
    let method = request.method().clone();
    let mut response = match XapiRequest::read(&state, resource, request).await {
        Err(refusal) => refusal_response(&refusal, lang, None),
        Ok(req) => {
            let version = req.version;
            let client = req.client.clone();
            match dispatch(&state, resource, req).await {
                Ok(mut response) => {
                    response.headers_mut().insert(
                        "X-Experience-API-Version",
                        HeaderValue::from_static(version.map_or("2.0.0", Version::header)),
                    );
                    response
                }
                Err(refusal) => {
                    if let Some(client) = &client {
                        remember(&state, client, &method, resource, &refusal).await;
                    }
                    refusal_response(&refusal, lang, version)
                }
            }
        }
    };
    if is_statements {
        let now = lifelong_xapi::format_timestamp(time::OffsetDateTime::now_utc());
        if let Ok(value) = HeaderValue::from_str(&now) {
            response
                .headers_mut()
                .insert("X-Experience-API-Consistent-Through", value);
        }
    }
    response
}

/// Keeps a refusal for the institution's console (server errors are in the log instead).
async fn remember(
    state: &AppState,
    client: &XapiClient,
    method: &Method,
    resource: Resource,
    refusal: &Refusal,
) {
    if refusal.status.is_server_error() {
        return;
    }
    let record = XapiRefusal {
        at: time::OffsetDateTime::now_utc(),
        credential: client.credential,
        method: method.as_str().to_owned(),
        resource: resource.name().to_owned(),
        status: refusal.status.as_u16(),
        code: refusal.code.to_owned(),
        message: refusal.en.clone(),
        message_zh: refusal.zh.clone(),
    };
    if let Err(e) = state
        .app
        .store
        .record_xapi_refusal(client.tenant, record)
        .await
    {
        tracing::warn!(error = %e, "could not keep an xAPI refusal for the console");
    }
}

async fn dispatch(
    state: &AppState,
    resource: Resource,
    req: XapiRequest,
) -> Result<Response, Refusal> {
    match resource {
        Resource::About => about(&req),
        Resource::Statements => statements::handle(state, req).await,
        Resource::Activities | Resource::Agents => documents::objects(state, resource, req).await,
        Resource::State | Resource::ActivityProfile | Resource::AgentProfile => {
            documents::handle(state, resource, req).await
        }
    }
}

fn about(req: &XapiRequest) -> Result<Response, Refusal> {
    if !matches!(req.method, Method::GET | Method::HEAD) {
        return Err(method_not_allowed());
    }
    let body = json!({
        "version": Version::SUPPORTED,
        "extensions": { "https://lifelong.sh.cn/xapi/about": { "product": "Lifelong", "product_zh": "终身学习服务平台" } }
    });
    Ok(json_response(StatusCode::OK, body.to_string()))
}

pub(crate) fn method_not_allowed() -> Refusal {
    Refusal {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        path: String::new(),
        zh: "该资源不支持此请求方法。".into(),
        en: "This resource does not support the request's method.".into(),
    }
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub(crate) fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

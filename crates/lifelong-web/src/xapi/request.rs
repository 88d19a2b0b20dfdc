//! An xAPI request made ready for a resource: the alternate request syntax unpacked, the body
//! read within the configured limit, the version and the client established.

use axum::body::{to_bytes, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use lifelong_app::xapi::XapiClient;
use lifelong_app::AppError;
use lifelong_xapi::alternate::{self, AlternateRequest};
use lifelong_xapi::{Status, Version, XapiError};

use super::{Refusal, Resource};
use crate::state::AppState;

/// A request as the resource handlers see it.
pub(crate) struct XapiRequest {
    pub method: Method,
    pub params: Vec<(String, String)>,
    headers: HeaderMap,
    alternate: Option<AlternateRequest>,
    /// The body as received (shared, never copied), or the alternate syntax's `content`.
    pub body: Bytes,
    /// `None` only for `/about`, which needs no version.
    pub version: Option<Version>,
    pub client: Option<XapiClient>,
}

impl XapiRequest {
    /// A header of the request (the alternate syntax's form fields count as headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        let http = self.headers.get(name).and_then(|v| v.to_str().ok());
        match &self.alternate {
            Some(alt) => alt.effective_header(name, http),
            None => http,
        }
    }

    /// The request's version; the entry has made sure there is one for every resource but
    /// `/about`.
    pub fn version(&self) -> Version {
        self.version.unwrap_or(Version::V2)
    }

    /// The authenticated client.
    pub fn client(&self) -> Result<&XapiClient, Refusal> {
        self.client
            .as_ref()
            .ok_or_else(|| Refusal::from(AppError::Unauthenticated))
    }

    /// `Accept-Language` preferences, best first.
    pub fn languages(&self) -> Vec<String> {
        let Some(header) = self.header("Accept-Language") else {
            return Vec::new();
        };
        let mut tags: Vec<(f32, String)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty() && q > 0.0).then(|| (q, tag.to_owned()))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0));
        tags.into_iter().map(|(_, t)| t).collect()
    }

    /// Reads the request for `resource`.
    pub async fn read(
        state: &AppState,
        resource: Resource,
        request: Request,
    ) -> Result<Self, Refusal> {
        let (parts, body) = request.into_parts();
        let limit = state.app.settings.xapi.max_body_bytes;
        let body = to_bytes(body, limit).await.map_err(|_| {
            Refusal::from(XapiError::new(
                Status::PayloadTooLarge,
                "body_too_large",
                "",
                format!("the request body is larger than the limit of {limit} bytes"),
                format!("请求体超过 {limit} 字节的上限"),
            ))
        })?;
        let query = parts.uri.query().unwrap_or("");
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let alternate = alternate::parse(parts.method.as_str(), query, content_type, &body)?;
        let (method, params, body) = match &alternate {
            Some(alt) => {
                let method = match alt.method {
                    alternate::Method::Get => Method::GET,
                    alternate::Method::Put => Method::PUT,
                    alternate::Method::Post => Method::POST,
                    alternate::Method::Delete => Method::DELETE,
                };
                (
                    method,
                    alt.params.clone(),
                    Bytes::from(alt.content.clone().unwrap_or_default()),
                )
            }
            None => {
                let params: Vec<(String, String)> =
                    serde_urlencoded::from_str(query).map_err(|_| {
                        Refusal::bad(
                            "invalid_query",
                            "",
                            "the query string cannot be read",
                            "无法解析查询字符串",
                        )
                    })?;
                (parts.method.clone(), params, body)
            }
        };
        let mut req = XapiRequest {
            method,
            params,
            headers: parts.headers,
            alternate,
            body,
            version: None,
            client: None,
        };
        let version_header = req.header("X-Experience-API-Version");
        if resource == Resource::About {
            req.version = version_header.and_then(Version::parse);
            return Ok(req);
        }
        let version = match &req.alternate {
            Some(alt) => alt.version(
                req.headers
                    .get("X-Experience-API-Version")
                    .and_then(|v| v.to_str().ok()),
            )?,
            None => Version::from_header(version_header)?,
        };
        req.version = Some(version);
        let (key, secret) = basic_credentials(req.header("Authorization")).ok_or_else(|| {
            Refusal::from(XapiError::new(
                Status::Unauthorized,
                "unauthenticated",
                "Authorization",
                "send the learning platform's key and secret with HTTP Basic authentication",
                "请以 HTTP Basic 认证方式提供学习平台的凭据标识与密钥",
            ))
        })?;
        let client = state
            .app
            .authenticate_xapi(&key, &secret)
            .await
            .map_err(|e| match e {
                AppError::Unauthenticated => Refusal::from(XapiError::new(
                    Status::Unauthorized,
                    "invalid_credentials",
                    "Authorization",
                    "the key or secret is wrong, or the credential was revoked",
                    "凭据标识或密钥不正确，或凭据已被撤销",
                )),
                other => Refusal::from(other),
            })?;
        req.client = Some(client);
        Ok(req)
    }
}

/// `Basic base64(key:secret)`.
fn basic_credentials(header: Option<&str>) -> Option<(String, String)> {
    let header = header?.trim();
    let (scheme, encoded) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (key, secret) = text.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_read() {
        let header = format!("Basic {}", STANDARD.encode("lx_key:s3cr:et"));
        assert_eq!(
            basic_credentials(Some(&header)),
            Some(("lx_key".into(), "s3cr:et".into()))
        );
        assert_eq!(basic_credentials(Some("Bearer abc")), None);
        assert_eq!(basic_credentials(Some("Basic !!!")), None);
        assert_eq!(basic_credentials(None), None);
    }
}

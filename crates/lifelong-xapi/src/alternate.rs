//! The alternate request syntax of xAPI 1.0.x (xAPI-Communication 1.3): a browser that can
//! only send POST without custom headers sends `POST …?method=PUT` with a form body whose
//! fields stand for headers, resource parameters and the content.
//!
//! The web layer runs [`parse`] before authentication (the credentials may be in the form),
//! then [`AlternateRequest::version`], then handles the request as if it had arrived with
//! `method`, the effective headers ([`AlternateRequest::effective_header`]) and the params.
//!
//! Decisions where the text leaves room, checked against the official suites:
//!
//! * The syntax was removed in IEEE 9274.1.1 (xAPI 2.0): a 2.0 request with a `method` query
//!   parameter → 400 (the 2.0 suite accepts any 4xx).
//! * A `method` parameter on anything but POST, any other query parameter beside it, a method
//!   other than GET/PUT/POST/DELETE, a repeated or malformed form field, or a body that is not
//!   form-encoded → 400 (the specification names no status; 400 is its status for invalid
//!   arguments, and the 1.0.3 suite expects 400 for each case it sends).
//! * PUT and POST must carry `content`; GET and DELETE must not.
//! * When a header is both in the HTTP request and in the form, the HTTP one wins, except
//!   `Content-Type` and `Content-Length`, which in the HTTP request describe the form itself.
//!   (The 1.0.3 suite sends `X-Experience-API-Version: 0.8` in the form beside a valid header
//!   and expects 204.)
//! * Content without a `Content-Type` field is taken as `application/json`.

use crate::error::XapiError;
use crate::multipart::media_type_is;
use crate::version::Version;

/// The xAPI method a request stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

/// The header fields a form may carry (1.3.s3.b6), spelled as the specification does.
pub const FORM_HEADERS: [&str; 6] = [
    "Authorization",
    "X-Experience-API-Version",
    "Content-Type",
    "Content-Length",
    "If-Match",
    "If-None-Match",
];

/// A request in the alternate syntax, unpacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternateRequest {
    /// The method the request stands for.
    pub method: Method,
    /// Header fields from the form (names spelled as in [`FORM_HEADERS`]), plus
    /// `Content-Type: application/json` when there is content without one.
    pub headers: Vec<(String, String)>,
    /// The resource parameters, from the form, in order.
    pub params: Vec<(String, String)>,
    /// The `content` field (UTF-8 text), for PUT and POST.
    pub content: Option<Vec<u8>>,
}

fn bad(code: &'static str, path: &str, en: impl Into<String>, zh: impl Into<String>) -> XapiError {
    XapiError::invalid(code, path, en, zh)
}

/// Whether a query string asks for the alternate syntax (has a `method` parameter).
pub fn is_alternate(query: &str) -> bool {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .map(|pairs| pairs.iter().any(|(k, _)| k == "method"))
        .unwrap_or(false)
}

/// A form field name: letters, digits, `-` and `_`. Anything else means the body was not a form.
fn plausible_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Unpacks a request in the alternate syntax. `Ok(None)` when the query has no `method`
/// parameter (an ordinary request). `http_method` is the request's real method,
/// `content_type` its real `Content-Type` header, `body` its body.
///
/// ```
/// use lifelong_xapi::alternate::{parse, Method};
/// let req = parse("POST", "method=PUT", Some("application/x-www-form-urlencoded"),
///     b"statementId=5b1c0d6a-0b2e-4b8e-9a53-2b9c1d7f3e10&content=%7B%7D&X-Experience-API-Version=1.0.3")
///     .unwrap().unwrap();
/// assert_eq!(req.method, Method::Put);
/// assert_eq!(req.params, vec![("statementId".to_owned(), "5b1c0d6a-0b2e-4b8e-9a53-2b9c1d7f3e10".to_owned())]);
/// assert_eq!(req.content.as_deref(), Some(b"{}".as_slice()));
/// ```
pub fn parse(
    http_method: &str,
    query: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<AlternateRequest>, XapiError> {
    let query: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let Some((_, method)) = query.iter().find(|(k, _)| k == "method") else {
        return Ok(None);
    };
    if !http_method.eq_ignore_ascii_case("POST") {
        return Err(bad(
            "alternate_not_post",
            "method",
            format!(
                "the alternate request syntax (?method=) must be sent as POST, not {http_method}"
            ),
            format!("替代请求语法（?method=）必须以 POST 发送，而不是 {http_method}"),
        ));
    }
    if let Some((extra, _)) = query
        .iter()
        .find(|(k, _)| k != "method")
        .or_else(|| query.iter().filter(|(k, _)| k == "method").nth(1))
    {
        return Err(bad(
            "alternate_extra_query",
            extra,
            format!("with ?method= the query string may hold nothing else; send {extra:?} as a form field"),
            format!("使用 ?method= 时查询串不能有其他参数；请把 {extra:?} 放在表单字段中"),
        ));
    }
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "PUT" => Method::Put,
        "POST" => Method::Post,
        "DELETE" => Method::Delete,
        _ => {
            return Err(bad(
                "alternate_method_unknown",
                "method",
                format!("method must be GET, PUT, POST or DELETE, not {method:?}"),
                format!("method 须为 GET、PUT、POST 或 DELETE，而不是 {method:?}"),
            ));
        }
    };
    if let Some(ct) = content_type {
        if !media_type_is(ct, "application/x-www-form-urlencoded") {
            return Err(bad(
                "alternate_not_form",
                "Content-Type",
                format!("the alternate request syntax needs a form body (application/x-www-form-urlencoded), not {ct:?}"),
                format!("替代请求语法需要表单请求体（application/x-www-form-urlencoded），而不是 {ct:?}"),
            ));
        }
    }
    let not_form = || {
        bad(
            "alternate_form_malformed",
            "",
            "the body is not a form (application/x-www-form-urlencoded)",
            "请求体不是表单（application/x-www-form-urlencoded）",
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| not_form())?;
    let form: Vec<(String, String)> = serde_urlencoded::from_str(text).map_err(|_| not_form())?;
    let mut request = AlternateRequest {
        method,
        headers: Vec::new(),
        params: Vec::new(),
        content: None,
    };
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form {
        if !plausible_name(&name) {
            return Err(not_form());
        }
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            return Err(bad(
                "alternate_form_duplicate",
                &name,
                format!("the form field {name:?} appears more than once"),
                format!("表单字段 {name:?} 出现了不止一次"),
            ));
        }
        seen.push(name.clone());
        if name == "content" {
            request.content = Some(value.into_bytes());
        } else if let Some(header) = FORM_HEADERS.iter().find(|h| h.eq_ignore_ascii_case(&name)) {
            request.headers.push(((*header).to_owned(), value));
        } else {
            request.params.push((name, value));
        }
    }
    match (method, &request.content) {
        (Method::Put | Method::Post, None) => {
            return Err(bad(
                "alternate_content_missing",
                "content",
                "a PUT or POST in the alternate request syntax needs its content in the form field \"content\"",
                "以替代请求语法发送的 PUT 或 POST 须把内容放在表单字段 \"content\" 中",
            ));
        }
        (Method::Get | Method::Delete, Some(_)) => {
            return Err(bad(
                "alternate_content_unexpected",
                "content",
                "a GET or DELETE carries no content",
                "GET 或 DELETE 请求不应带有内容",
            ));
        }
        _ => {}
    }
    if request.content.is_some() && request.header("Content-Type").is_none() {
        request
            .headers
            .push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    Ok(Some(request))
}

impl AlternateRequest {
    /// A header field from the form (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name` for the unpacked request, given the HTTP request's own value:
    /// the HTTP header wins, except `Content-Type` and `Content-Length`, which are the form's.
    pub fn effective_header<'a>(&'a self, name: &str, http: Option<&'a str>) -> Option<&'a str> {
        if name.eq_ignore_ascii_case("Content-Type") || name.eq_ignore_ascii_case("Content-Length")
        {
            self.header(name)
        } else {
            http.or_else(|| self.header(name))
        }
    }

    /// The xAPI version of the request (HTTP header first, then the form's), refusing 2.0:
    /// the alternate syntax exists only in 1.0.x. Missing or unsupported → 400 as for any
    /// request.
    pub fn version(&self, http_header: Option<&str>) -> Result<Version, XapiError> {
        let version =
            Version::from_header(self.effective_header("X-Experience-API-Version", http_header))?;
        if version.is_v2() {
            return Err(bad(
                "alternate_syntax_v2",
                "method",
                "xAPI 2.0 has no alternate request syntax: send the request with its own method and headers",
                "xAPI 2.0 已取消替代请求语法：请直接使用相应的 HTTP 方法和请求头",
            ));
        }
        Ok(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Status;

    const FORM: &str = "application/x-www-form-urlencoded";

    fn ok(method: &str, query: &str, body: &str) -> AlternateRequest {
        parse(method, query, Some(FORM), body.as_bytes())
            .unwrap()
            .unwrap()
    }

    fn err(method: &str, query: &str, ct: Option<&str>, body: &str) -> (Status, &'static str) {
        let e = parse(method, query, ct, body.as_bytes()).unwrap_err();
        (e.status, e.code)
    }

    #[test]
    fn ordinary_requests_are_left_alone() {
        assert_eq!(
            parse("GET", "statementId=1&format=ids", None, b"").unwrap(),
            None
        );
        assert_eq!(
            parse("POST", "", Some("application/json"), b"{}").unwrap(),
            None
        );
        assert!(!is_alternate("Method=PUT"));
        assert!(is_alternate("method=PUT"));
    }

    #[test]
    fn xapi_00336_get_via_post_moves_parameters_from_the_form() {
        let r = ok(
            "POST",
            "method=GET",
            "limit=1&verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fcompleted",
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.params,
            vec![
                ("limit".into(), "1".into()),
                (
                    "verb".into(),
                    "http://adlnet.gov/expapi/verbs/completed".into()
                )
            ]
        );
        assert_eq!((r.headers, r.content), (vec![], None));
    }

    #[test]
    fn xapi_00336_put_via_post_carries_headers_params_and_content() {
        let content = r#"{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/o"}}"#;
        let body = serde_urlencoded::to_string([
            ("statementId", "5b1c0d6a-0b2e-4b8e-9a53-2b9c1d7f3e10"),
            ("content", content),
            ("X-Experience-API-Version", "1.0.3"),
            ("Authorization", "Basic YTpi"),
            ("If-Match", "\"abc\""),
            ("content-type", "application/json; charset=utf-8"),
        ])
        .unwrap();
        let r = ok("POST", "method=PUT", &body);
        assert_eq!(r.method, Method::Put);
        assert_eq!(r.content.as_deref(), Some(content.as_bytes()));
        assert_eq!(
            r.params,
            vec![(
                "statementId".into(),
                "5b1c0d6a-0b2e-4b8e-9a53-2b9c1d7f3e10".into()
            )]
        );
        assert_eq!(r.header("authorization"), Some("Basic YTpi"));
        assert_eq!(r.header("If-Match"), Some("\"abc\""));
        assert_eq!(
            r.header("Content-Type"),
            Some("application/json; charset=utf-8")
        );
        assert!(
            r.headers.iter().any(|(n, _)| n == "Content-Type"),
            "names spelled canonically"
        );
        assert_eq!(r.version(None), Ok(Version::V1));
    }

    #[test]
    fn content_without_a_type_is_json_and_methods_ignore_case() {
        let r = ok("post", "method=post", "content=%7B%7D");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(
            ok("POST", "method=delete", "stateId=x").method,
            Method::Delete
        );
        // A missing HTTP Content-Type is tolerated.
        assert!(parse("POST", "method=GET", None, b"limit=1")
            .unwrap()
            .is_some());
    }

    #[test]
    fn http_headers_win_except_those_describing_the_content() {
        let r = ok(
            "POST",
            "method=PUT",
            "content=x&X-Experience-API-Version=0.8&Content-Type=text%2Fplain&Content-Length=1",
        );
        assert_eq!(
            r.effective_header("X-Experience-API-Version", Some("1.0.2")),
            Some("1.0.2")
        );
        assert_eq!(
            r.effective_header("X-Experience-API-Version", None),
            Some("0.8")
        );
        assert_eq!(
            r.effective_header("Content-Type", Some(FORM)),
            Some("text/plain")
        );
        assert_eq!(r.effective_header("Content-Length", Some("99")), Some("1"));
        assert_eq!(r.effective_header("If-Match", None), None);
        // The suite's case: form says 0.8, the HTTP header 1.0.2 → a 1.0 request.
        assert_eq!(r.version(Some("1.0.2")), Ok(Version::V1));
        assert_eq!(r.version(None).unwrap_err().code, "version_unsupported");
    }

    #[test]
    fn xapi_2_0_refuses_the_syntax() {
        let r = ok(
            "POST",
            "method=PUT",
            "content=%7B%7D&X-Experience-API-Version=2.0.0",
        );
        let e = r.version(None).unwrap_err();
        assert_eq!(
            (e.status, e.code),
            (Status::BadRequest, "alternate_syntax_v2")
        );
        let r = ok("POST", "method=GET", "");
        assert_eq!(
            r.version(Some("2.0.0")).unwrap_err().code,
            "alternate_syntax_v2"
        );
        assert_eq!(r.version(None).unwrap_err().code, "version_missing");
    }

    #[test]
    fn refusals_are_400() {
        let bad_request = Status::BadRequest;
        let rows: &[(&str, &str, Option<&str>, &str, &str)] = &[
            ("GET", "method=POST", None, "", "alternate_not_post"),
            (
                "PUT",
                "method=PUT",
                Some(FORM),
                "content=x",
                "alternate_not_post",
            ),
            (
                "POST",
                "method=PUT&statementId=1",
                Some(FORM),
                "content=x",
                "alternate_extra_query",
            ),
            (
                "POST",
                "method=PUT&method=GET",
                Some(FORM),
                "content=x",
                "alternate_extra_query",
            ),
            (
                "POST",
                "method=PATCH",
                Some(FORM),
                "content=x",
                "alternate_method_unknown",
            ),
            (
                "POST",
                "method=HEAD",
                Some(FORM),
                "",
                "alternate_method_unknown",
            ),
            (
                "POST",
                "method=PUT",
                Some("application/json"),
                "{}",
                "alternate_not_form",
            ),
            (
                "POST",
                "method=PUT",
                Some(FORM),
                "",
                "alternate_content_missing",
            ),
            (
                "POST",
                "method=POST",
                Some(FORM),
                "statementId=1",
                "alternate_content_missing",
            ),
            (
                "POST",
                "method=GET",
                Some(FORM),
                "content=x",
                "alternate_content_unexpected",
            ),
            (
                "POST",
                "method=PUT",
                Some(FORM),
                "content=a&content=b",
                "alternate_form_duplicate",
            ),
            (
                "POST",
                "method=PUT",
                Some(FORM),
                "content=a&If-Match=1&if-match=2",
                "alternate_form_duplicate",
            ),
            // The suite's "not url encoded" body: JSON sent as if it were a form.
            (
                "POST",
                "method=PUT",
                Some(FORM),
                r#"{"statementId":"1","content":"{}"}"#,
                "alternate_form_malformed",
            ),
        ];
        for (method, query, ct, body, code) in rows {
            assert_eq!(
                err(method, query, *ct, body),
                (bad_request, *code),
                "{method} ?{query} {body}"
            );
        }
        let e = parse("POST", "method=PUT", Some(FORM), b"content=\xff").unwrap_err();
        assert_eq!(e.code, "alternate_form_malformed");
    }
}

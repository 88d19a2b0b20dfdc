//! The rules of the document resources — State, Activity Profile, Agent Profile
//! (xAPI-Communication 2.2 and 3.1): ETags, the `If-Match`/`If-None-Match` preconditions, when
//! a PUT without them is a conflict, and the JSON merge of POST.
//!
//! The store keeps documents, their timestamps and the `since` filter; this module only decides.
//!
//! **Blind PUT over an existing document (409).** xAPI 1.0.3 says the State resource permits
//! writes without concurrency headers, and only Activity and Agent Profiles need them (3.1.s3).
//! The 2.0 conformance suite (`4.1.4-Concurrency.js`) PUTs without headers over an existing
//! **State** document and expects 409 (its other State tests PUT only to fresh ids), so under
//! 2.0 all three resources answer 409; under 1.0.x only the two profile resources do.
//!
//! **Comparison.** Our ETags are strong (SHA-1 of the stored bytes), but a proxy may weaken
//! them, so `W/` is ignored when comparing (weak comparison) for both headers; unquoted tags
//! are taken as written. `If-Match` is checked before `If-None-Match`, as RFC 7232 orders them.

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use crate::error::{Status, XapiError};
use crate::multipart::{hex, media_type_is};
use crate::version::Version;

/// The three document resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `activities/state`.
    State,
    /// `activities/profile`.
    ActivityProfile,
    /// `agents/profile`.
    AgentProfile,
}

/// The writing methods of a document resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Write {
    /// Replace the document.
    Put,
    /// Merge into the document (or create it).
    Post,
    /// Remove the document.
    Delete,
}

/// The ETag of a document: its SHA-1 in lowercase hex, in double quotes (42 characters).
///
/// ```
/// assert_eq!(lifelong_xapi::document::etag(b""), "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"");
/// ```
pub fn etag(content: &[u8]) -> String {
    format!("\"{}\"", hex(&Sha1::digest(content)))
}

/// The opaque part of an entity tag: `W/` and the quotes removed.
fn opaque(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag)
}

/// Whether a header value (`*` or a comma-separated list of tags) names `current`.
/// `*` matches any existing document.
fn names(header: &str, current: Option<&str>) -> bool {
    let Some(current) = current else { return false };
    if header.trim() == "*" {
        return true;
    }
    let current = opaque(current);
    header
        .split(',')
        .map(opaque)
        .any(|tag| !tag.is_empty() && tag == current)
}

fn precondition_failed(header: &'static str, en: &str, zh: &str) -> XapiError {
    XapiError::new(
        Status::PreconditionFailed,
        "document_precondition_failed",
        header,
        en,
        zh,
    )
}

/// Checks `If-Match` and `If-None-Match` against the document's current ETag (`None` when there
/// is no document). A precondition that is not met → 412.
///
/// * `If-Match: *` needs a document; `If-Match: "a", "b"` needs its ETag to be one of them.
/// * `If-None-Match: *` needs there to be no document; a list needs the ETag to be none of them.
pub fn check_preconditions(
    current_etag: Option<&str>,
    if_match: Option<&str>,
    if_none_match: Option<&str>,
) -> Result<(), XapiError> {
    if let Some(header) = if_match {
        if !names(header, current_etag) {
            return Err(match current_etag {
                None => precondition_failed(
                    "If-Match",
                    "If-Match was given but there is no such document",
                    "请求带有 If-Match，但该文档不存在",
                ),
                Some(_) => precondition_failed(
                    "If-Match",
                    "the document has changed: its ETag is not the one in If-Match; fetch it again",
                    "文档已被修改：其 ETag 与 If-Match 不符，请重新获取",
                ),
            });
        }
    }
    if let Some(header) = if_none_match {
        if names(header, current_etag) {
            return Err(precondition_failed(
                "If-None-Match",
                "the document already exists (If-None-Match)",
                "文档已存在（If-None-Match）",
            ));
        }
    }
    Ok(())
}

/// Whether a PUT to `resource` must carry `If-Match` or `If-None-Match` when the document
/// exists: Activity and Agent Profiles always; State under 2.0 (see the module notes).
pub fn put_needs_precondition(resource: Resource, version: Version) -> bool {
    match resource {
        Resource::ActivityProfile | Resource::AgentProfile => true,
        Resource::State => version.is_v2(),
    }
}

/// Everything a write must pass before the store changes anything: a PUT over an existing
/// document without either header where [`put_needs_precondition`] → 409, then
/// [`check_preconditions`] → 412.
pub fn check_write(
    resource: Resource,
    method: Write,
    version: Version,
    current_etag: Option<&str>,
    if_match: Option<&str>,
    if_none_match: Option<&str>,
) -> Result<(), XapiError> {
    if method == Write::Put
        && current_etag.is_some()
        && if_match.is_none()
        && if_none_match.is_none()
        && put_needs_precondition(resource, version)
    {
        return Err(XapiError::new(
            Status::Conflict,
            "document_conflict",
            "If-Match",
            "the document already exists: fetch it to check its current state, then PUT again \
             with If-Match set to its ETag",
            "该文档已存在：请先获取文档核对当前内容，再在 If-Match 中带上其 ETag 重新 PUT",
        ));
    }
    check_preconditions(current_etag, if_match, if_none_match)
}

/// Whether a document's content type is `application/json` (parameters such as `charset`
/// allowed). Only such documents take part in a POST merge.
pub fn is_json(content_type: &str) -> bool {
    media_type_is(content_type, "application/json")
}

fn json_object(
    bytes: &[u8],
    content_type: &str,
    which: &'static str,
) -> Result<Map<String, Value>, XapiError> {
    let (en_which, zh_which) = match which {
        "existing" => ("the stored document", "已存文档"),
        _ => ("the posted document", "提交的文档"),
    };
    if !is_json(content_type) {
        return Err(XapiError::invalid(
            "document_merge_not_json",
            "Content-Type",
            format!("POST merges JSON objects only, but {en_which} is {content_type:?}; use PUT to replace it"),
            format!("POST 只合并 JSON 对象，而{zh_which}的类型为 {content_type:?}；请用 PUT 替换"),
        ));
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(XapiError::invalid(
            "document_merge_not_object",
            "",
            format!("POST merges JSON objects only, but {en_which} is not a JSON object"),
            format!("POST 只合并 JSON 对象，而{zh_which}不是 JSON 对象"),
        )),
    }
}

/// The POST merge (xAPI-Communication 2.2.s7): both documents must be `application/json` and
/// JSON objects (else 400); each top-level property of `incoming` replaces the same property of
/// `existing` whole; the result is re-serialised.
///
/// ```
/// use lifelong_xapi::document::merge_json;
/// let merged = merge_json(br#"{"x":"foo","y":"bar"}"#, "application/json",
///                         br#"{"x":"bash","z":"faz"}"#, "application/json").unwrap();
/// assert_eq!(merged, br#"{"x":"bash","y":"bar","z":"faz"}"#);
/// ```
pub fn merge_json(
    existing: &[u8],
    existing_type: &str,
    incoming: &[u8],
    incoming_type: &str,
) -> Result<Vec<u8>, XapiError> {
    let incoming = json_object(incoming, incoming_type, "incoming")?;
    let mut merged = json_object(existing, existing_type, "existing")?;
    merged.extend(incoming);
    serde_json::to_vec(&Value::Object(merged)).map_err(|e| {
        XapiError::invalid(
            "document_merge_failed",
            "",
            format!("the merged document: {e}"),
            format!("合并后的文档：{e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const E: &str = "\"0123456789abcdef0123456789abcdef01234567\"";

    /// (current ETag, header value, expected refusal as (status, code)).
    type Row<'a> = (Option<&'a str>, &'a str, Option<(u16, &'a str)>);
    /// (existing, its type, incoming, its type, expected code).
    type MergeRow<'a> = (&'a [u8], &'a str, &'a [u8], &'a str, &'a str);

    #[test]
    fn xapi_00322_etag_is_quoted_lowercase_sha1() {
        let tag = etag(b"{\"a\":1}");
        assert_eq!(tag.len(), 42);
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert!(tag[1..41]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(etag(b"abc"), "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
        assert_ne!(etag(b"abc"), etag(b"abd"));
    }

    fn code(r: Result<(), XapiError>) -> Option<(u16, &'static str)> {
        r.err().map(|e| (e.status.code(), e.code))
    }

    #[test]
    fn xapi_00322_if_match_table() {
        let fail = Some((412, "document_precondition_failed"));
        let rows: &[Row] = &[
            (Some(E), E, None),
            (Some(E), "*", None),
            (None, "*", fail),
            (None, E, fail),
            (Some(E), "1234", fail), // the suite's wrong tag
            (
                Some(E),
                "\"1234\", \"0123456789abcdef0123456789abcdef01234567\"",
                None,
            ),
            (
                Some(E),
                "W/\"0123456789abcdef0123456789abcdef01234567\"",
                None,
            ),
            (Some(E), "0123456789abcdef0123456789abcdef01234567", None),
            (Some(E), "", fail),
            (Some(E), "\"\"", fail),
        ];
        for (current, header, want) in rows {
            assert_eq!(
                code(check_preconditions(*current, Some(header), None)),
                *want,
                "{current:?} vs {header:?}"
            );
        }
    }

    #[test]
    fn xapi_00322_if_none_match_table() {
        let fail = Some((412, "document_precondition_failed"));
        let rows: &[Row] = &[
            (None, "*", None),
            (Some(E), "*", fail),
            (Some(E), E, fail),
            (Some(E), "\"other\"", None),
            (None, E, None),
            (
                Some(E),
                "\"x\", W/\"0123456789abcdef0123456789abcdef01234567\"",
                fail,
            ),
        ];
        for (current, header, want) in rows {
            assert_eq!(
                code(check_preconditions(*current, None, Some(header))),
                *want,
                "{current:?} vs {header:?}"
            );
        }
        assert_eq!(check_preconditions(Some(E), None, None), Ok(()));
        assert_eq!(check_preconditions(None, None, None), Ok(()));
        // If-Match passes, If-None-Match then fails.
        assert_eq!(
            code(check_preconditions(Some(E), Some("*"), Some("*"))),
            fail
        );
    }

    #[test]
    fn blind_put_conflicts_on_profiles_always_and_on_state_under_2_0() {
        let conflict = Some((409, "document_conflict"));
        for (resource, version, want) in [
            (Resource::ActivityProfile, Version::V1, conflict),
            (Resource::AgentProfile, Version::V1, conflict),
            (Resource::State, Version::V1, None),
            (Resource::ActivityProfile, Version::V2, conflict),
            (Resource::AgentProfile, Version::V2, conflict),
            (Resource::State, Version::V2, conflict),
        ] {
            let got = code(check_write(
                resource,
                Write::Put,
                version,
                Some(E),
                None,
                None,
            ));
            assert_eq!(got, want, "{resource:?} {version:?}");
            // Without a document there is nothing to conflict with.
            assert_eq!(
                check_write(resource, Write::Put, version, None, None, None),
                Ok(())
            );
            // POST and DELETE may go without headers.
            assert_eq!(
                check_write(resource, Write::Post, version, Some(E), None, None),
                Ok(())
            );
            assert_eq!(
                check_write(resource, Write::Delete, version, Some(E), None, None),
                Ok(())
            );
            // With a header the precondition decides.
            assert_eq!(
                check_write(resource, Write::Put, version, Some(E), Some(E), None),
                Ok(())
            );
            assert_eq!(
                code(check_write(
                    resource,
                    Write::Put,
                    version,
                    Some(E),
                    Some("\"1234\""),
                    None
                )),
                Some((412, "document_precondition_failed"))
            );
            assert_eq!(
                code(check_write(
                    resource,
                    Write::Post,
                    version,
                    Some(E),
                    Some("1234"),
                    None
                )),
                Some((412, "document_precondition_failed"))
            );
            assert_eq!(
                code(check_write(
                    resource,
                    Write::Delete,
                    version,
                    Some(E),
                    Some("1234"),
                    None
                )),
                Some((412, "document_precondition_failed"))
            );
            assert_eq!(
                code(check_write(
                    resource,
                    Write::Put,
                    version,
                    Some(E),
                    None,
                    Some("*")
                )),
                Some((412, "document_precondition_failed"))
            );
            assert_eq!(
                check_write(resource, Write::Put, version, None, None, Some("*")),
                Ok(())
            );
        }
    }

    #[test]
    fn the_conflict_explains_what_to_do() {
        let e = check_write(
            Resource::AgentProfile,
            Write::Put,
            Version::V1,
            Some(E),
            None,
            None,
        )
        .unwrap_err();
        assert!(e.en.contains("If-Match") && e.en.contains("fetch"));
        assert!(e.zh.contains("If-Match"));
    }

    #[test]
    fn xapi_00183_00184_merge_replaces_top_level_properties_whole() {
        let existing = br#"{"x":"foo","y":{"a":1,"b":2},"keep":[1]}"#;
        let incoming = br#"{"x":"bash","y":{"c":3},"z":"faz"}"#;
        let merged = merge_json(
            existing,
            "application/json",
            incoming,
            "application/json; charset=utf-8",
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&merged).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"x":"bash","y":{"c":3},"z":"faz","keep":[1]})
        );
    }

    #[test]
    fn xapi_00185_00186_merge_needs_two_json_objects() {
        let obj = br#"{"a":1}"#.as_slice();
        let rows: &[MergeRow] = &[
            (
                obj,
                "text/plain",
                obj,
                "application/json",
                "document_merge_not_json",
            ),
            (
                obj,
                "application/json",
                obj,
                "application/octet-stream",
                "document_merge_not_json",
            ),
            (
                b"[1]",
                "application/json",
                obj,
                "application/json",
                "document_merge_not_object",
            ),
            (
                obj,
                "application/json",
                b"\"s\"",
                "application/json",
                "document_merge_not_object",
            ),
            (
                obj,
                "application/json",
                b"{bad",
                "application/json",
                "document_merge_not_object",
            ),
            (
                b"",
                "application/json",
                obj,
                "application/json",
                "document_merge_not_object",
            ),
        ];
        for (existing, et, incoming, it, want) in rows {
            let e = merge_json(existing, et, incoming, it).unwrap_err();
            assert_eq!((e.status, e.code), (Status::BadRequest, *want), "{et} {it}");
        }
        assert_eq!(
            merge_json(obj, "Application/JSON", b"{}", "application/json").unwrap(),
            obj
        );
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json(" application/json ; charset=UTF-8"));
        assert!(!is_json("application/jsonx"));
        assert!(!is_json("text/json"));
    }
}

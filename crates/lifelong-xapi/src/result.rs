//! A statement's outcome and payload headers: the Result object with its Score and Duration
//! (xAPI-Data 2.4.5) and the Attachment objects (2.4.11) the multipart reader matches parts to.

use serde_json::Value;

use crate::activity::check_extensions;
use crate::duration::is_duration;
use crate::error::XapiError;
use crate::iri::iri_value;
use crate::json::{
    array, boolean, check_keys, invalid_value, missing_property, number, object, string, wrong_type,
};
use crate::language::check_language_map;
use crate::path::Path;
use crate::statement::Facts;

/// The usage type of a JWS signature attachment (xAPI-Data 2.6).
pub const SIGNATURE_USAGE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// An attachment header as declared in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRef {
    pub usage_type: String,
    pub content_type: String,
    pub length: u64,
    /// Lowercase hex, so it matches an `X-Experience-API-Hash` whatever case either side used.
    pub sha2: String,
    pub file_url: Option<String>,
}

const RESULT_KEYS: &[&str] = &[
    "score",
    "success",
    "completion",
    "response",
    "duration",
    "extensions",
];
const ATTACHMENT_KEYS: &[&str] = &[
    "usageType",
    "display",
    "description",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
];

pub(crate) fn check_result(value: &Value, path: &Path) -> Result<(), XapiError> {
    let map = object(value, path)?;
    check_keys(map, RESULT_KEYS, path)?;
    if let Some(score) = map.get("score") {
        check_score(score, &path.key("score"))?;
    }
    for key in ["success", "completion"] {
        if let Some(flag) = map.get(key) {
            boolean(flag, &path.key(key))?;
        }
    }
    if let Some(response) = map.get("response") {
        string(response, &path.key("response"))?;
    }
    if let Some(duration) = map.get("duration") {
        let at = path.key("duration");
        let text = string(duration, &at)?;
        if !is_duration(text) {
            return Err(invalid_value(
                "invalid_duration",
                &at,
                format!("{text:?} is not an ISO 8601 duration such as PT1H30M or P4W"),
                format!("{text:?} 不是 ISO 8601 时长（如 PT1H30M 或 P4W）"),
            ));
        }
    }
    if let Some(extensions) = map.get("extensions") {
        check_extensions(extensions, &path.key("extensions"))?;
    }
    Ok(())
}

/// Score: `scaled` in [-1, 1]; `min` < `max`; `raw` within [`min`, `max`] (XAPI-00080–00083).
fn check_score(value: &Value, path: &Path) -> Result<(), XapiError> {
    let map = object(value, path)?;
    check_keys(map, &["scaled", "raw", "min", "max"], path)?;
    let get = |key: &str| map.get(key).map(|v| number(v, &path.key(key))).transpose();
    let (scaled, raw, min, max) = (get("scaled")?, get("raw")?, get("min")?, get("max")?);
    let out_of_range = |key: &str, en: &str, zh: &str| {
        invalid_value(
            "score_out_of_range",
            &path.key(key),
            en.to_owned(),
            zh.to_owned(),
        )
    };
    if let Some(scaled) = scaled {
        if !(-1.0..=1.0).contains(&scaled) {
            return Err(out_of_range(
                "scaled",
                "scaled must be between -1 and 1",
                "scaled 必须在 -1 到 1 之间",
            ));
        }
    }
    if let (Some(min), Some(max)) = (min, max) {
        if min >= max {
            return Err(out_of_range(
                "min",
                "min must be less than max",
                "min 必须小于 max",
            ));
        }
    }
    if let Some(raw) = raw {
        if min.is_some_and(|min| raw < min) || max.is_some_and(|max| raw > max) {
            return Err(out_of_range(
                "raw",
                "raw must be between min and max",
                "raw 必须在 min 与 max 之间",
            ));
        }
    }
    Ok(())
}

pub(crate) fn check_attachments(
    value: &Value,
    path: &Path,
    facts: &mut Facts,
) -> Result<(), XapiError> {
    for (i, item) in array(value, path)?.iter().enumerate() {
        let at = path.index(i);
        let map = object(item, &at)?;
        check_keys(map, ATTACHMENT_KEYS, &at)?;
        let field = |key: &str| map.get(key).ok_or_else(|| missing_property(&at, key));
        let usage_type = iri_value(field("usageType")?, &at.key("usageType"))?;
        check_language_map(field("display")?, &at.key("display"))?;
        if let Some(description) = map.get("description") {
            check_language_map(description, &at.key("description"))?;
        }
        let content_type = string(field("contentType")?, &at.key("contentType"))?;
        if !is_media_type(content_type) {
            return Err(invalid_value(
                "invalid_content_type",
                &at.key("contentType"),
                format!("{content_type:?} is not an Internet media type such as text/plain"),
                format!("{content_type:?} 不是 text/plain 这样的互联网媒体类型"),
            ));
        }
        let length = field("length")?;
        let length = length.as_u64().ok_or_else(|| {
            wrong_type(
                &at.key("length"),
                "a non-negative integer (octets)",
                "非负整数（字节数）",
            )
        })?;
        let sha2 = string(field("sha2")?, &at.key("sha2"))?;
        if !matches!(sha2.len(), 56 | 64 | 96 | 128) || !sha2.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(invalid_value(
                "invalid_sha2",
                &at.key("sha2"),
                "sha2 must be the hex digest of a SHA-224, SHA-256, SHA-384 or SHA-512 hash",
                "sha2 必须是 SHA-224/256/384/512 摘要的十六进制形式",
            ));
        }
        let file_url = match map.get("fileUrl") {
            Some(url) => Some(iri_value(url, &at.key("fileUrl"))?.to_owned()),
            None => None,
        };
        if usage_type == SIGNATURE_USAGE && content_type != "application/octet-stream" {
            return Err(invalid_value(
                "invalid_signature_content_type",
                &at.key("contentType"),
                "a signature attachment must have contentType application/octet-stream",
                "签名附件的 contentType 必须是 application/octet-stream",
            ));
        }
        facts.attachments.push(AttachmentRef {
            usage_type: usage_type.to_owned(),
            content_type: content_type.to_owned(),
            length,
            sha2: sha2.to_ascii_lowercase(),
            file_url,
        });
    }
    Ok(())
}

/// `type/subtype` made of RFC 2045 token characters, optionally followed by `;` parameters.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("").trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    token(kind) && token(subtype)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xapi_00074_to_00083_results_and_scores() {
        let cases = [
            (
                json!({"score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}, "success": true, "completion": false, "response": "ok", "duration": "PT1H0M0.1S"}),
                None,
            ),
            (json!({"score": {}}), None),
            (json!({"score": {"scaled": 1.0}}), None),
            (json!({"score": {"scaled": -1}}), None),
            (
                json!({"score": {"scaled": 1.01}}),
                Some("score_out_of_range"),
            ),
            (
                json!({"score": {"scaled": -1.5}}),
                Some("score_out_of_range"),
            ),
            (
                json!({"score": {"min": 10, "max": 10}}),
                Some("score_out_of_range"),
            ),
            (
                json!({"score": {"min": 11, "max": 10}}),
                Some("score_out_of_range"),
            ),
            (
                json!({"score": {"raw": 101, "max": 100}}),
                Some("score_out_of_range"),
            ),
            (
                json!({"score": {"raw": -1, "min": 0}}),
                Some("score_out_of_range"),
            ),
            (json!({"score": {"raw": 100, "min": 0, "max": 100}}), None),
            (json!({"score": {"max": "one hundred"}}), Some("wrong_type")),
            (json!({"score": {"max": "100"}}), Some("wrong_type")),
            (json!({"score": {"Scaled": 0.5}}), Some("unknown_property")),
            (json!({"score": 5}), Some("wrong_type")),
            (
                json!({"success": "We regret to inform you that your effort was unsuccessful."}),
                Some("wrong_type"),
            ),
            (json!({"completion": "false"}), Some("wrong_type")),
            (json!({"response": 5}), Some("wrong_type")),
            (json!({"duration": "PA1H0M0S"}), Some("invalid_duration")),
            (json!({"duration": 12345}), Some("wrong_type")),
            (json!({"duration": {"key": "invalid"}}), Some("wrong_type")),
            (
                json!({"extensions": {"http://example.com/null": null}}),
                None,
            ),
            (json!({"extensions": {"no scheme": 1}}), Some("invalid_iri")),
            (json!({"success": null}), Some("null_value")),
        ];
        for (value, code) in cases {
            let got = check_result(&value, &Path::ROOT.key("result"))
                .err()
                .map(|e| e.code);
            assert_eq!(got, code, "{value}");
        }
    }

    fn attachment() -> Value {
        json!({
            "usageType": "http://example.com/attachment-usage/test",
            "display": {"en-US": "A test attachment", "de": "Eine Testbefestigung"},
            "description": {"en-US": "A test attachment (description)"},
            "contentType": "text/plain; charset=ascii",
            "length": 27,
            "sha2": "495395E777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
            "fileUrl": "http://over.there.com/file.txt"
        })
    }

    #[test]
    fn xapi_00102_to_00107_attachments() {
        let with = |key: &str, value: Value| {
            let mut a = attachment();
            a[key] = value;
            a
        };
        let without = |key: &str| {
            let mut a = attachment();
            a.as_object_mut().unwrap().remove(key);
            a
        };
        let cases = [
            (attachment(), None),
            (without("fileUrl"), None),
            (without("description"), None),
            (without("usageType"), Some("missing_property")),
            (without("display"), Some("missing_property")),
            (without("contentType"), Some("missing_property")),
            (without("length"), Some("missing_property")),
            (without("sha2"), Some("missing_property")),
            (with("usageType", json!("not an iri")), Some("invalid_iri")),
            (
                with("display", json!({"de-419-DE": "x"})),
                Some("invalid_language_tag"),
            ),
            (
                with("description", json!({"de-419-DE": "x"})),
                Some("invalid_language_tag"),
            ),
            (
                with("contentType", json!("text")),
                Some("invalid_content_type"),
            ),
            (
                with("contentType", json!("text/")),
                Some("invalid_content_type"),
            ),
            (with("length", json!(-1)), Some("wrong_type")),
            (with("length", json!(2.5)), Some("wrong_type")),
            (with("length", json!("27")), Some("wrong_type")),
            (with("sha2", json!("abc")), Some("invalid_sha2")),
            (
                with(
                    "sha2",
                    json!("z95395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"),
                ),
                Some("invalid_sha2"),
            ),
            (
                with("fileUrl", json!("over.there.com/file.txt")),
                Some("invalid_iri"),
            ),
            (
                with("usageType", json!(SIGNATURE_USAGE)),
                Some("invalid_signature_content_type"),
            ),
            (with("extra", json!(1)), Some("unknown_property")),
        ];
        for (value, code) in cases {
            let mut facts = Facts::default();
            let got = check_attachments(
                &json!([value.clone()]),
                &Path::ROOT.key("attachments"),
                &mut facts,
            );
            assert_eq!(got.err().map(|e| e.code), code, "{value}");
        }
        let mut facts = Facts::default();
        check_attachments(&json!([attachment()]), &Path::ROOT, &mut facts).unwrap();
        assert_eq!(
            facts.attachments,
            vec![AttachmentRef {
                usage_type: "http://example.com/attachment-usage/test".into(),
                content_type: "text/plain; charset=ascii".into(),
                length: 27,
                sha2: "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a".into(),
                file_url: Some("http://over.there.com/file.txt".into()),
            }]
        );
        let err =
            check_attachments(&json!({}), &Path::ROOT.key("attachments"), &mut facts).unwrap_err();
        assert_eq!(err.code, "wrong_type");
    }
}

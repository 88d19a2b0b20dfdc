//! IRIs and IRLs (xAPI-Data 4.3, 2.2.s4.b1.b8): every identifier must be an absolute IRI per
//! RFC 3987 — a scheme, then a well-formed rest. Checked with `oxiri`, which does not allocate.
//! IRIs are compared as strings (RFC 3987 5.3.1); nothing here rewrites them.

use serde_json::Value;

use crate::error::XapiError;
use crate::json::{invalid_value, string};
use crate::path::Path;

/// Whether `text` is an absolute IRI.
pub(crate) fn is_iri(text: &str) -> bool {
    oxiri::Iri::parse(text).is_ok()
}

/// Validates an absolute IRI found at `path` (a JSON path or a parameter name).
pub fn validate_iri(text: &str, path: &str) -> Result<(), XapiError> {
    if is_iri(text) {
        Ok(())
    } else {
        Err(XapiError::invalid(
            "invalid_iri",
            path,
            format!("{text:?} is not an absolute IRI (it needs a scheme such as https:)"),
            format!("{text:?} 不是绝对 IRI（需要 https: 等协议前缀）"),
        ))
    }
}

/// An IRI-valued property: a string holding an absolute IRI.
pub(crate) fn iri_value<'v>(value: &'v Value, path: &Path) -> Result<&'v str, XapiError> {
    let text = string(value, path)?;
    if is_iri(text) {
        Ok(text)
    } else {
        Err(invalid_value(
            "invalid_iri",
            path,
            format!("{text:?} is not an absolute IRI (it needs a scheme such as https:)"),
            format!("{text:?} 不是绝对 IRI（需要 https: 等协议前缀）"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xapi_00011_iris_need_a_scheme_and_a_valid_form() {
        let cases: &[(&str, bool)] = &[
            ("http://adlnet.gov/expapi/verbs/attended", true),
            ("https://example.com/xapi/verbs#defenestrated", true),
            ("urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0", true),
            ("mailto:xapi@adlnet.gov", true),
            ("http://example.com/فعل/خواندن", true),
            ("http://www.example.com/学习", true),
            ("ab=c://should.fail.com", false),
            ("should fail", false),
            ("/relative/path", false),
            ("example.com/verb", false),
            ("http://exa mple.com", false),
            ("http://example.com/%zz", false),
            ("", false),
        ];
        for (text, ok) in cases {
            assert_eq!(validate_iri(text, "verb").is_ok(), *ok, "{text}");
        }
        let err = validate_iri("nope", "activityId").unwrap_err();
        assert_eq!((err.code, err.path.as_str()), ("invalid_iri", "activityId"));
    }
}

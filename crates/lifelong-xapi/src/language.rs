//! Language tags (RFC 5646) and language maps (xAPI-Data 4.2): checking keys and values, and
//! choosing the one language the `canonical` format returns for a requester's languages.

use serde_json::{Map, Value};

use crate::error::XapiError;
use crate::json::{invalid_value, null_value, object, string, wrong_type};
use crate::path::Path;

/// Whether `tag` is a well-formed RFC 5646 language tag: the grammar (via `oxilangtag`,
/// grandfathered tags included) plus the rule that an extension singleton appears once.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let Ok(parsed) = oxilangtag::LanguageTag::parse(tag) else {
        return false;
    };
    let mut seen = [false; 36];
    for (singleton, _) in parsed.extension_subtags() {
        let Some(slot) = singleton.to_ascii_lowercase().to_digit(36) else {
            return false;
        };
        let slot = slot as usize;
        if seen[slot] {
            return false;
        }
        seen[slot] = true;
    }
    true
}

/// A language map: an object whose keys are language tags and whose values are strings.
pub(crate) fn check_language_map(value: &Value, path: &Path) -> Result<(), XapiError> {
    let map = object(value, path)?;
    for (tag, text) in map {
        let at = path.key(tag);
        if !is_language_tag(tag) {
            return Err(invalid_value(
                "invalid_language_tag",
                &at,
                format!("{tag:?} is not an RFC 5646 language tag"),
                format!("{tag:?} 不是 RFC 5646 语言标签"),
            ));
        }
        match text {
            Value::String(_) => {}
            Value::Null => return Err(null_value(&at)),
            _ => return Err(wrong_type(&at, "a string", "字符串")),
        }
    }
    Ok(())
}

/// `context.language`. The 1.0.3 conformance suite posts 50-letter values here and expects
/// them to be stored, so this property gets a best-effort check (xAPI-Data 2.2.s4.b7): ASCII
/// letters and digits in non-empty subtags separated by hyphens. Language map keys get the
/// full grammar.
pub(crate) fn check_context_language(value: &Value, path: &Path) -> Result<(), XapiError> {
    let tag = string(value, path)?;
    let well_shaped = !tag.is_empty()
        && tag
            .split('-')
            .all(|sub| !sub.is_empty() && sub.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_shaped {
        Ok(())
    } else {
        Err(invalid_value(
            "invalid_language_tag",
            path,
            format!("{tag:?} is not a language tag"),
            format!("{tag:?} 不是语言标签"),
        ))
    }
}

/// Which key of `map` best serves a requester who accepts `languages` (most preferred first,
/// as from `Accept-Language`): an exact match (ignoring case), then a more specific tag of a
/// requested language (`en` → `en-US`), then a more general one (`en-US` → `en`); `*` takes
/// the first key. Without any match the first key is taken, so the map keeps one entry.
pub(crate) fn pick_language<'m>(
    map: &'m Map<String, Value>,
    languages: &[String],
) -> Option<&'m str> {
    for wanted in languages {
        if wanted == "*" {
            return map.keys().next().map(String::as_str);
        }
        if let Some(key) = map.keys().find(|k| k.eq_ignore_ascii_case(wanted)) {
            return Some(key);
        }
        if let Some(key) = map.keys().find(|k| has_prefix_tag(k, wanted)) {
            return Some(key);
        }
        if let Some(key) = map.keys().find(|k| has_prefix_tag(wanted, k)) {
            return Some(key);
        }
    }
    map.keys().next().map(String::as_str)
}

/// Whether `tag` is `prefix` followed by more subtags (`en-US` has prefix `en`).
fn has_prefix_tag(tag: &str, prefix: &str) -> bool {
    tag.len() > prefix.len()
        && tag.as_bytes()[prefix.len()] == b'-'
        && tag[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xapi_00013_language_tags_follow_rfc_5646() {
        let cases: &[(&str, bool)] = &[
            ("de", true),
            ("i-enochian", true),
            ("ine", true),
            ("zh-Hant", true),
            ("zh-CN", true),
            ("sr-Latn", true),
            ("zh-cmn-Hans-CN", true),
            ("sr-Latn-RS", true),
            ("sl-rozaj-biske", true),
            ("de-CH-1901", true),
            ("hy-Latn-IT-arevela", true),
            ("de-DE", true),
            ("en-us", true),
            ("az-Arab-x-AZE-derbend", true),
            ("x-whatever", true),
            ("en-a-bbb-x-a-ccc", true),
            ("de-419-DE", false),
            ("a-DE", false),
            ("ar-a-aaa-b-bbb-a-ccc", false),
            ("a12345", false),
            ("", false),
            ("en_US", false),
        ];
        for (tag, ok) in cases {
            assert_eq!(is_language_tag(tag), *ok, "{tag}");
        }
    }

    #[test]
    fn xapi_00121_language_maps_have_tag_keys_and_string_values() {
        let cases = [
            (json!({"en-US": "attended", "zh-CN": "参加"}), None),
            (json!({}), None),
            (
                json!({"de-419-DE": "besucht"}),
                Some("invalid_language_tag"),
            ),
            (json!({"en": null}), Some("null_value")),
            (json!({"en": 1}), Some("wrong_type")),
            (json!(["en"]), Some("wrong_type")),
            (json!("en"), Some("wrong_type")),
        ];
        for (map, code) in cases {
            let got = check_language_map(&map, &Path::ROOT.key("display"))
                .err()
                .map(|e| e.code);
            assert_eq!(got, code, "{map}");
        }
        let err = check_language_map(&json!({"en": null}), &Path::ROOT.key("display")).unwrap_err();
        assert_eq!(err.path, "display.en");
    }

    #[test]
    fn xapi_00091_context_language_is_checked_for_shape() {
        let cases: &[(&str, bool)] = &[
            ("de", true),
            ("tlh", true),
            ("zh-Hans-CN", true),
            ("supercalifragilisticexpialidociouswhatabouthhhhhhh1", true),
            ("", false),
            ("en--US", false),
            ("en US", false),
            ("-en", false),
        ];
        for (tag, ok) in cases {
            let got = check_context_language(&json!(tag), &Path::ROOT);
            assert_eq!(got.is_ok(), *ok, "{tag}");
        }
        assert!(check_context_language(&json!(5), &Path::ROOT).is_err());
    }

    #[test]
    fn picks_the_best_language() {
        let map = json!({"en-US": "a", "zh-CN": "b", "fr": "c"});
        let map = map.as_object().unwrap();
        let pick = |langs: &[&str]| {
            let langs: Vec<String> = langs.iter().map(|s| s.to_string()).collect();
            pick_language(map, &langs).map(str::to_owned)
        };
        assert_eq!(pick(&["zh-cn"]).as_deref(), Some("zh-CN"));
        assert_eq!(pick(&["zh"]).as_deref(), Some("zh-CN"));
        assert_eq!(pick(&["fr-CA"]).as_deref(), Some("fr"));
        assert_eq!(pick(&["de", "en"]).as_deref(), Some("en-US"));
        assert!(pick(&["de"]).is_some());
        assert!(pick(&[]).is_some());
    }
}

//! JSON as xAPI reads it: parsing that refuses duplicate keys (XAPI-00021), and the typed
//! accessors and refusals every validator shares (wrong type, null, unknown or missing property).

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::XapiError;
use crate::path::Path;

/// Parses JSON text into a value, refusing any object that repeats a key.
pub(crate) fn parse_strict(body: &[u8]) -> Result<Value, XapiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = StrictValue
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    value.map_err(|e| {
        XapiError::invalid(
            "invalid_json",
            "",
            format!("the body is not valid JSON: {e}"),
            format!("请求体不是有效的 JSON：{e}"),
        )
    })
}

/// Parses a request body holding one statement object or an array of them. The web layer
/// refuses arrays itself where only one statement is allowed (PUT).
pub fn parse_statements(body: &[u8]) -> Result<Vec<Value>, XapiError> {
    match parse_strict(body)? {
        Value::Object(map) => Ok(vec![Value::Object(map)]),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_object() {
                    return Err(XapiError::invalid(
                        "not_a_statement",
                        format!("[{i}]"),
                        "each statement must be a JSON object",
                        "每条语句都必须是 JSON 对象",
                    ));
                }
            }
            Ok(items)
        }
        _ => Err(XapiError::invalid(
            "not_a_statement",
            "",
            "the body must be a statement object or an array of statements",
            "请求体必须是一条语句对象或语句数组",
        )),
    }
}

/// Builds a `serde_json::Value` like serde_json does, but fails on a duplicate key.
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(StrictValue)?;
            if let Some(_previous) = map.insert(key, value) {
                return Err(de::Error::custom("an object repeats a key"));
            }
        }
        Ok(Value::Object(map))
    }
}

// ---- refusals shared by every validator ------------------------------------------------------

pub(crate) fn wrong_type(path: &Path, en: &str, zh: &str) -> XapiError {
    XapiError::invalid(
        "wrong_type",
        path.render(),
        format!("must be {en}"),
        format!("必须是{zh}"),
    )
}

pub(crate) fn null_value(path: &Path) -> XapiError {
    XapiError::invalid(
        "null_value",
        path.render(),
        "null is not allowed here (only inside extensions)",
        "此处不允许 null（仅扩展值中允许）",
    )
}

pub(crate) fn unknown_property(path: &Path, key: &str) -> XapiError {
    XapiError::invalid(
        "unknown_property",
        path.key(key).render(),
        format!("unknown property {key:?} (keys are case-sensitive)"),
        format!("未知属性 {key:?}（属性名区分大小写）"),
    )
}

pub(crate) fn missing_property(path: &Path, key: &str) -> XapiError {
    XapiError::invalid(
        "missing_property",
        path.key(key).render(),
        format!("the required property {key:?} is missing"),
        format!("缺少必需属性 {key:?}"),
    )
}

pub(crate) fn invalid_value(
    code: &'static str,
    path: &Path,
    en: impl Into<String>,
    zh: impl Into<String>,
) -> XapiError {
    XapiError::invalid(code, path.render(), en, zh)
}

// ---- typed access -----------------------------------------------------------------------------

pub(crate) fn object<'v>(
    value: &'v Value,
    path: &Path,
) -> Result<&'v Map<String, Value>, XapiError> {
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(path, "an object", "对象")),
    }
}

pub(crate) fn object_mut<'v>(
    value: &'v mut Value,
    path: &Path,
) -> Result<&'v mut Map<String, Value>, XapiError> {
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(path, "an object", "对象")),
    }
}

pub(crate) fn string<'v>(value: &'v Value, path: &Path) -> Result<&'v str, XapiError> {
    match value {
        Value::String(s) => Ok(s),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(path, "a string", "字符串")),
    }
}

pub(crate) fn array<'v>(value: &'v Value, path: &Path) -> Result<&'v [Value], XapiError> {
    match value {
        Value::Array(items) => Ok(items),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(path, "an array", "数组")),
    }
}

pub(crate) fn number(value: &Value, path: &Path) -> Result<f64, XapiError> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| wrong_type(path, "a number", "数字")),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(path, "a number", "数字")),
    }
}

pub(crate) fn boolean(value: &Value, path: &Path) -> Result<bool, XapiError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(null_value(path)),
        _ => Err(wrong_type(
            path,
            "a boolean (true or false)",
            "布尔值（true 或 false）",
        )),
    }
}

/// Refuses keys outside `allowed` and null values, in one pass over the object.
pub(crate) fn check_keys(
    map: &Map<String, Value>,
    allowed: &[&str],
    path: &Path,
) -> Result<(), XapiError> {
    for (key, value) in map {
        if !allowed.contains(&key.as_str()) {
            return Err(unknown_property(path, key));
        }
        if value.is_null() {
            return Err(null_value(&path.key(key)));
        }
    }
    Ok(())
}

/// Parses a UUID in the standard hyphenated form (8-4-4-4-12 hex digits, any case, any
/// version or variant). `uuid` alone would also take the simple, braced and URN forms.
pub(crate) fn parse_uuid(text: &str) -> Option<uuid::Uuid> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    for (i, b) in bytes.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        };
        if !ok {
            return None;
        }
    }
    uuid::Uuid::try_parse(text).ok()
}

/// A UUID property: a string in standard form.
pub(crate) fn uuid_value(value: &Value, path: &Path) -> Result<uuid::Uuid, XapiError> {
    let text = string(value, path)?;
    parse_uuid(text).ok_or_else(|| {
        invalid_value(
            "invalid_uuid",
            path,
            format!("{text:?} is not a UUID in standard form (8-4-4-4-12 hexadecimal digits)"),
            format!("{text:?} 不是标准格式的 UUID（8-4-4-4-12 位十六进制）"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xapi_00021_duplicate_keys_are_refused_at_any_depth() {
        let cases: &[(&str, bool)] = &[
            (r#"{"a":1,"b":2}"#, true),
            (r#"{"a":1,"a":2}"#, false),
            (r#"{"x":{"id":"a","id":"b"}}"#, false),
            (r#"[{"x":[{"k":1},{"k":1}]}]"#, true),
            (r#"[{"x":[{"k":1,"k":1}]}]"#, false),
        ];
        for (text, ok) in cases {
            assert_eq!(parse_strict(text.as_bytes()).is_ok(), *ok, "{text}");
        }
        let err = parse_strict(br#"{"a":1,"a":2}"#).unwrap_err();
        assert_eq!(err.code, "invalid_json");
    }

    #[test]
    fn bodies_are_one_object_or_an_array_of_objects() {
        assert_eq!(parse_statements(br#"{"a":1}"#).unwrap().len(), 1);
        assert_eq!(parse_statements(br#"[{"a":1},{"b":2}]"#).unwrap().len(), 2);
        assert_eq!(parse_statements(b"[]").unwrap().len(), 0);
        for bad in [&b"[1]"[..], b"\"x\"", b"null", b"{", b"[{}] x", b"\xff"] {
            assert!(parse_statements(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_statements(b"[{},2]").unwrap_err().path, "[1]");
    }

    #[test]
    fn xapi_00029_uuids_must_be_in_standard_form() {
        let cases: &[(&str, bool)] = &[
            ("fd41c918-b88b-4b20-a0a5-a4c32391aaa0", true),
            ("AA97B177-9383-4934-8543-0F91A7A02836", true),
            ("12345678-1234-5678-1234-567812345678", true),
            ("AA97B177-9383-4934-8543-0F91A7A028368", false),
            ("MA97B177-9383-4934-8543-0F91A7A02836", false),
            ("fd41c918b88b4b20a0a5a4c32391aaa0", false),
            ("{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}", false),
            ("urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0", false),
            ("fd41c918-b88b-4b20-a0a5_a4c32391aaa0", false),
            ("", false),
        ];
        for (text, ok) in cases {
            assert_eq!(parse_uuid(text).is_some(), *ok, "{text}");
        }
    }
}

//! Signed statements (xAPI-Data 2.6): a statement carries a JSON Web Signature (RFC 7515) as an
//! attachment with usageType [`USAGE_TYPE`] and contentType `application/octet-stream`; its
//! payload is the statement as it was before the signature was added.
//!
//! What the LRS checks (2.6.s5), and what we decided where the text leaves room:
//!
//! * The algorithm is RS256, RS384 or RS512; anything else (HS256, `none`, ES256 …) → 400.
//!   A `crit` header names extensions we do not implement → 400.
//! * The payload parses as a JSON object and is "the same" statement as the one received,
//!   without its signature attachment(s), by the statement comparison rules (passed in).
//! * **With `x5c`**, the signature must verify with the public key of the first certificate.
//!   The chain, validity dates and key usage are not checked: the specification says this step
//!   catches mistakes, it is not a security measure.
//! * **Without `x5c`** there is no key to verify with. The specification requires the
//!   cryptographic check only "if the JWS header includes an X.509 certificate", and the
//!   official 1.0.3 suite posts RS256 signatures without `x5c` and expects 200. So we accept
//!   them once form, algorithm and payload are right; a `jwk` header is not used.
//! * The compact serialisation is expected; the (discouraged) JSON serialisation is accepted in
//!   its flattened form or its general form with exactly one signature, provided every header
//!   field is in the protected header (an unprotected `alg` or `x5c` would not be signed).
//! * Only one signature attachment per statement; it must be sent as a multipart part.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use serde_json::{Map, Value};
use sha2::{Sha256, Sha384, Sha512};
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

use crate::error::XapiError;
use crate::multipart::{media_type_is, Part};

/// The attachment usageType of a statement signature.
pub const USAGE_TYPE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// The content type a signature attachment must declare.
pub const CONTENT_TYPE: &str = "application/octet-stream";

const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);
/// base64url, padding optional (JWS segments carry none).
const URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);
/// Standard base64, padding optional (`x5c` entries).
const STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);

fn bad(code: &'static str, path: &str, en: impl Into<String>, zh: impl Into<String>) -> XapiError {
    XapiError::invalid(code, path, en, zh)
}

fn is_signature(attachment: &Value) -> bool {
    attachment.get("usageType").and_then(Value::as_str) == Some(USAGE_TYPE)
}

/// The `sha2` (lowercased) of a statement's signature attachment, if it has one.
///
/// A signature attachment whose contentType is not `application/octet-stream`, or more than one
/// signature attachment → 400.
pub fn declared(statement: &Value) -> Result<Option<String>, XapiError> {
    let Some(attachments) = statement.get("attachments").and_then(Value::as_array) else {
        return Ok(None);
    };
    let mut found = attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| is_signature(a));
    let Some((index, attachment)) = found.next() else {
        return Ok(None);
    };
    let path = format!("attachments[{index}]");
    if found.next().is_some() {
        return Err(bad(
            "signature_multiple",
            "attachments",
            "a statement may carry one signature attachment",
            "一条语句只能带一个签名附件",
        ));
    }
    let content_type = attachment
        .get("contentType")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !media_type_is(content_type, CONTENT_TYPE) {
        return Err(bad(
            "signature_content_type",
            &format!("{path}.contentType"),
            format!(
                "a signature attachment must have contentType {CONTENT_TYPE}, not {content_type:?}"
            ),
            format!("签名附件的 contentType 须为 {CONTENT_TYPE}，而不是 {content_type:?}"),
        ));
    }
    let sha2 = attachment
        .get("sha2")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            bad(
                "signature_sha2_missing",
                &format!("{path}.sha2"),
                "the signature attachment has no sha2",
                "签名附件缺少 sha2",
            )
        })?;
    Ok(Some(sha2.to_ascii_lowercase()))
}

/// Checks a statement's signature, if it declares one: the signature's part must have been
/// sent (XAPI-00115), then [`verify`] decides. Statements without a signature pass.
pub fn check(
    statement: &Value,
    parts: &[Part],
    same: impl Fn(&Value, &Value) -> bool,
) -> Result<(), XapiError> {
    let Some(sha2) = declared(statement)? else {
        return Ok(());
    };
    let part = parts.iter().find(|p| p.sha2.eq_ignore_ascii_case(&sha2)).ok_or_else(|| {
        bad(
            "signature_missing",
            "attachments",
            "the statement declares a signature but the signature itself was not sent as a multipart part",
            "语句声明了签名，但签名本身没有作为 multipart 部分发送",
        )
    })?;
    verify(&part.body, statement, same)
}

/// The received statement as it was before signing: its signature attachment(s) removed, and
/// `attachments` dropped if nothing else is left in it.
pub fn unsigned(statement: &Value) -> Value {
    let mut copy = statement.clone();
    if let Some(object) = copy.as_object_mut() {
        let now_empty = match object.get_mut("attachments").and_then(Value::as_array_mut) {
            Some(list) => {
                list.retain(|a| !is_signature(a));
                list.is_empty()
            }
            None => false,
        };
        if now_empty {
            object.remove("attachments");
        }
    }
    copy
}

/// The three base64url segments of a JWS: protected header, payload, signature — taken from
/// the compact form or from the JSON forms.
fn segments(jws: &str) -> Result<(String, String, String), XapiError> {
    let malformed = || {
        bad(
            "signature_malformed",
            "signature",
            "the signature is not a JWS (header.payload.signature in base64url)",
            "签名不是 JWS（以 base64url 编码的 header.payload.signature）",
        )
    };
    if jws.starts_with('{') {
        let json: Map<String, Value> = serde_json::from_str(jws).map_err(|_| malformed())?;
        let entry = match json.get("signatures") {
            Some(Value::Array(list)) if list.len() == 1 => {
                list[0].as_object().ok_or_else(malformed)?
            }
            Some(_) => return Err(malformed()),
            None => &json,
        };
        if entry.contains_key("header") {
            // Unprotected header fields could carry alg or x5c outside the signature.
            return Err(bad(
                "signature_unprotected_header",
                "signature",
                "the JWS must keep all its header fields in the protected header",
                "JWS 的头部字段必须全部放在受保护头部中",
            ));
        }
        let field = |object: &Map<String, Value>, name: &str| {
            object
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(malformed)
        };
        return Ok((
            field(entry, "protected")?,
            field(&json, "payload")?,
            field(entry, "signature")?,
        ));
    }
    let mut parts = jws.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h.to_owned(), p.to_owned(), s.to_owned())),
        _ => Err(malformed()),
    }
}

fn decode(segment: &str, what: &str) -> Result<Vec<u8>, XapiError> {
    URL.decode(segment).map_err(|_| {
        bad(
            "signature_malformed",
            "signature",
            format!("the JWS {what} is not base64url"),
            format!("JWS 的 {what} 不是 base64url 编码"),
        )
    })
}

#[derive(Clone, Copy)]
enum Alg {
    Rs256,
    Rs384,
    Rs512,
}

/// Verifies the JWS `jws` of `statement` (the statement as received, signature attachment
/// included): form, algorithm, the certificate signature when `x5c` is present, and that the
/// payload is `same` as the statement without its signature (see the module notes). Any
/// failure → 400.
pub fn verify(
    jws: &[u8],
    statement: &Value,
    same: impl Fn(&Value, &Value) -> bool,
) -> Result<(), XapiError> {
    let text = std::str::from_utf8(jws)
        .map_err(|_| {
            bad(
                "signature_malformed",
                "signature",
                "the signature is not text",
                "签名不是文本",
            )
        })?
        .trim();
    let (header_b64, payload_b64, signature_b64) = segments(text)?;
    let header: Map<String, Value> = serde_json::from_slice(&decode(&header_b64, "header")?)
        .map_err(|_| {
            bad(
                "signature_malformed",
                "signature",
                "the JWS header is not a JSON object",
                "JWS 头部不是 JSON 对象",
            )
        })?;
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Alg::Rs256,
        Some("RS384") => Alg::Rs384,
        Some("RS512") => Alg::Rs512,
        other => {
            let shown = other.unwrap_or("(none)");
            return Err(bad(
                "signature_algorithm",
                "signature.alg",
                format!("signatures must use RS256, RS384 or RS512, not {shown}"),
                format!("签名算法须为 RS256、RS384 或 RS512，而不是 {shown}"),
            ));
        }
    };
    if header.contains_key("crit") {
        return Err(bad(
            "signature_critical_extension",
            "signature.crit",
            "the JWS names critical extensions this LRS does not implement",
            "JWS 声明了本系统不支持的关键扩展（crit）",
        ));
    }
    let payload: Value = serde_json::from_slice(&decode(&payload_b64, "payload")?)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            bad(
                "signature_payload_invalid",
                "signature.payload",
                "the JWS payload is not a JSON serialisation of a statement",
                "JWS 载荷不是语句的 JSON 序列化",
            )
        })?;
    let signature = decode(&signature_b64, "signature")?;
    if signature.is_empty() {
        return Err(bad(
            "signature_malformed",
            "signature",
            "the JWS signature is empty",
            "JWS 签名为空",
        ));
    }
    if let Some(x5c) = header.get("x5c") {
        let key = first_certificate_key(x5c)?;
        let input = format!("{header_b64}.{payload_b64}");
        if !rsa_verifies(alg, key, input.as_bytes(), &signature) {
            return Err(bad(
                "signature_invalid",
                "signature",
                "the signature does not verify with the key of the first x5c certificate",
                "签名无法用 x5c 中第一张证书的公钥验证",
            ));
        }
    }
    if !same(&payload, &unsigned(statement)) {
        return Err(bad(
            "signature_statement_mismatch",
            "signature.payload",
            "the signed statement differs from the statement received",
            "签名中的语句与收到的语句不一致",
        ));
    }
    Ok(())
}

fn first_certificate_key(x5c: &Value) -> Result<RsaPublicKey, XapiError> {
    let bad_x5c = |en: &str, zh: &str| bad("signature_certificate", "signature.x5c", en, zh);
    let first = x5c
        .as_array()
        .and_then(|list| list.first())
        .and_then(Value::as_str)
        .ok_or_else(|| {
            bad_x5c(
                "x5c must be a non-empty array of certificates",
                "x5c 须为非空的证书数组",
            )
        })?;
    let der = STD.decode(first).map_err(|_| {
        bad_x5c(
            "the first x5c certificate is not base64",
            "x5c 第一张证书不是 base64 编码",
        )
    })?;
    let certificate = Certificate::from_der(&der).map_err(|_| {
        bad_x5c(
            "the first x5c entry is not an X.509 certificate",
            "x5c 第一项不是 X.509 证书",
        )
    })?;
    let spki = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| {
            bad_x5c(
                "the certificate's public key cannot be read",
                "无法读取证书中的公钥",
            )
        })?;
    RsaPublicKey::from_public_key_der(&spki).map_err(|_| {
        bad_x5c(
            "the first x5c certificate does not hold an RSA key",
            "x5c 第一张证书的公钥不是 RSA 公钥",
        )
    })
}

fn rsa_verifies(alg: Alg, key: RsaPublicKey, input: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    match alg {
        Alg::Rs256 => VerifyingKey::<Sha256>::new(key)
            .verify(input, &signature)
            .is_ok(),
        Alg::Rs384 => VerifyingKey::<Sha384>::new(key)
            .verify(input, &signature)
            .is_ok(),
        Alg::Rs512 => VerifyingKey::<Sha512>::new(key)
            .verify(input, &signature)
            .is_ok(),
    }
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;

use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use rsa::pkcs1v15::SigningKey;
use rsa::signature::{Keypair, SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use serde_json::json;
use sha2::Digest;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

use super::*;
use crate::error::Status;

struct Keys {
    key: RsaPrivateKey,
    other: RsaPrivateKey,
    /// Self-signed certificate of `key`, base64 DER.
    cert: String,
    /// Self-signed certificate of `other`, base64 DER.
    other_cert: String,
}

fn self_signed(key: &RsaPrivateKey) -> String {
    let signer = SigningKey::<Sha256>::new(key.clone());
    let spki = SubjectPublicKeyInfoOwned::from_key(signer.verifying_key()).unwrap();
    let builder = CertificateBuilder::new(
        Profile::Root,
        SerialNumber::from(1u32),
        Validity::from_now(Duration::from_secs(3600)).unwrap(),
        Name::from_str("CN=Lifelong signed statement test").unwrap(),
        spki,
        &signer,
    )
    .unwrap();
    let cert = builder.build::<rsa::pkcs1v15::Signature>().unwrap();
    STD.encode(cert.to_der().unwrap())
}

/// Two 2048-bit keys and their certificates, made once for all tests.
fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::thread_rng();
        let key = RsaPrivateKey::new(&mut rng, 2048).unwrap();
        let other = RsaPrivateKey::new(&mut rng, 2048).unwrap();
        let cert = self_signed(&key);
        let other_cert = self_signed(&other);
        Keys {
            key,
            other,
            cert,
            other_cert,
        }
    })
}

fn statement() -> Value {
    json!({
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"id": "http://example.com/activities/course"}
    })
}

/// A compact JWS over `payload` with `header`, signed by `key` with the header's RS algorithm.
fn sign_raw(header: &Value, payload: &[u8], key: &RsaPrivateKey) -> String {
    let input = format!("{}.{}", URL.encode(header.to_string()), URL.encode(payload));
    let sig = match header["alg"].as_str() {
        Some("RS384") => SigningKey::<Sha384>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
        Some("RS512") => SigningKey::<Sha512>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
        _ => SigningKey::<Sha256>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
    };
    format!("{input}.{}", URL.encode(sig))
}

fn sign(header: Value, statement: &Value) -> String {
    sign_raw(&header, statement.to_string().as_bytes(), &keys().key)
}

/// The statement as posted: the signature attachment added after signing.
fn with_signature(statement: &Value, jws: &str, content_type: &str) -> Value {
    let mut posted = statement.clone();
    posted["attachments"] = json!([{
        "usageType": USAGE_TYPE,
        "display": {"en-US": "Signed by the test"},
        "contentType": content_type,
        "length": jws.len(),
        "sha2": format!("{:x}", Sha256::digest(jws.as_bytes())),
    }]);
    posted
}

fn same(a: &Value, b: &Value) -> bool {
    a == b
}

fn refused(jws: &str, posted: &Value) -> (Status, &'static str) {
    let e = verify(jws.as_bytes(), posted, same).unwrap_err();
    (e.status, e.code)
}

#[test]
fn xapi_00117_rs256_rs384_rs512_with_x5c_are_accepted() {
    for alg in ["RS256", "RS384", "RS512"] {
        let jws = sign(json!({"alg": alg, "x5c": [keys().cert]}), &statement());
        let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
        assert_eq!(verify(jws.as_bytes(), &posted, same), Ok(()), "{alg}");
    }
}

#[test]
fn xapi_00115_a_signature_without_x5c_is_accepted_as_the_suite_expects() {
    let jws = sign(json!({"alg": "RS256"}), &statement());
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(verify(jws.as_bytes(), &posted, same), Ok(()));
    assert_eq!(
        verify(format!("{jws}\r\n").as_bytes(), &posted, same),
        Ok(()),
        "trailing line break tolerated"
    );
}

#[test]
fn a_tampered_payload_fails_the_certificate_check() {
    let jws = sign(json!({"alg": "RS256", "x5c": [keys().cert]}), &statement());
    let mut changed = statement();
    changed["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/failed");
    let segments: Vec<&str> = jws.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        segments[0],
        URL.encode(changed.to_string()),
        segments[2]
    );
    let posted = with_signature(&changed, &tampered, CONTENT_TYPE);
    assert_eq!(
        refused(&tampered, &posted),
        (Status::BadRequest, "signature_invalid")
    );
}

#[test]
fn a_signature_by_another_key_than_the_certificate_fails() {
    let jws = sign_raw(
        &json!({"alg": "RS256", "x5c": [keys().cert]}),
        statement().to_string().as_bytes(),
        &keys().other,
    );
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(
        refused(&jws, &posted),
        (Status::BadRequest, "signature_invalid")
    );
    let jws = sign(
        json!({"alg": "RS256", "x5c": [keys().other_cert, keys().cert]}),
        &statement(),
    );
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(
        refused(&jws, &posted).1,
        "signature_invalid",
        "only the first certificate counts"
    );
}

#[test]
fn a_signature_of_a_different_statement_is_refused() {
    let mut other = statement();
    other["object"]["id"] = json!("http://example.com/activities/another");
    for header in [
        json!({"alg": "RS256", "x5c": [keys().cert]}),
        json!({"alg": "RS256"}),
    ] {
        let jws = sign(header, &other);
        let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
        assert_eq!(
            refused(&jws, &posted),
            (Status::BadRequest, "signature_statement_mismatch")
        );
    }
}

#[test]
fn the_comparison_function_decides_sameness() {
    // The payload lacks `id`; a comparison that ignores ids accepts it, plain equality does not.
    let mut without_id = statement();
    without_id.as_object_mut().unwrap().remove("id");
    let jws = sign(json!({"alg": "RS256"}), &without_id);
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(refused(&jws, &posted).1, "signature_statement_mismatch");
    let ignoring_id = |a: &Value, b: &Value| {
        let strip = |v: &Value| {
            let mut v = v.clone();
            v.as_object_mut().map(|o| o.remove("id"));
            v
        };
        strip(a) == strip(b)
    };
    assert_eq!(verify(jws.as_bytes(), &posted, ignoring_id), Ok(()));
}

#[test]
fn xapi_00117_other_algorithms_are_refused() {
    let payload = URL.encode(statement().to_string());
    for header in [
        json!({"alg": "HS256"}),
        json!({"alg": "none"}),
        json!({"alg": "ES256"}),
        json!({"alg": "rs256"}),
        json!({}),
    ] {
        let jws = format!(
            "{}.{payload}.{}",
            URL.encode(header.to_string()),
            URL.encode(b"sig")
        );
        let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
        assert_eq!(
            refused(&jws, &posted),
            (Status::BadRequest, "signature_algorithm"),
            "{header}"
        );
    }
    let unsigned_none = format!(
        "{}.{payload}.",
        URL.encode(json!({"alg": "none"}).to_string())
    );
    assert_eq!(
        refused(&unsigned_none, &statement()).1,
        "signature_algorithm"
    );
}

#[test]
fn xapi_00116_a_payload_that_is_not_json_is_refused() {
    // The suite's breakJson: the first double quote replaced by a single one.
    let broken = statement().to_string().replacen('"', "'", 1);
    let jws = sign_raw(&json!({"alg": "RS256"}), broken.as_bytes(), &keys().key);
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(
        refused(&jws, &posted),
        (Status::BadRequest, "signature_payload_invalid")
    );
    let array = sign_raw(&json!({"alg": "RS256"}), b"[1,2]", &keys().key);
    assert_eq!(refused(&array, &posted).1, "signature_payload_invalid");
}

#[test]
fn malformed_serialisations_are_refused() {
    let good = sign(json!({"alg": "RS256"}), &statement());
    let posted = with_signature(&statement(), &good, CONTENT_TYPE);
    let (h, rest) = good.split_once('.').unwrap();
    for bad in [
        "not a jws".to_owned(),
        h.to_owned(),
        format!("{good}.extra"),
        format!("{h}!.{rest}"),
        format!("{}.{rest}", URL.encode("not json")),
        format!("{}.", good.rsplit_once('.').unwrap().0),
        "{\"payload\":1}".to_owned(),
    ] {
        assert_eq!(
            refused(&bad, &posted),
            (Status::BadRequest, "signature_malformed"),
            "{bad}"
        );
    }
    assert_eq!(
        verify(b"\xff\xfe", &posted, same).unwrap_err().code,
        "signature_malformed"
    );
}

#[test]
fn x5c_must_hold_an_rsa_certificate() {
    for x5c in [
        json!("MIIB"),
        json!([]),
        json!(["***"]),
        json!([STD.encode(b"not a certificate")]),
        json!([1]),
    ] {
        let jws = sign(json!({"alg": "RS256", "x5c": x5c}), &statement());
        let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
        assert_eq!(
            refused(&jws, &posted),
            (Status::BadRequest, "signature_certificate"),
            "{x5c}"
        );
    }
}

#[test]
fn critical_extensions_are_refused() {
    let jws = sign(
        json!({"alg": "RS256", "crit": ["b64"], "b64": false}),
        &statement(),
    );
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(refused(&jws, &posted).1, "signature_critical_extension");
}

#[test]
fn the_json_serialisations_with_one_protected_signature_are_accepted() {
    let compact = sign(json!({"alg": "RS256", "x5c": [keys().cert]}), &statement());
    let [protected, payload, signature]: [&str; 3] =
        compact.split('.').collect::<Vec<_>>().try_into().unwrap();
    let flattened =
        json!({"protected": protected, "payload": payload, "signature": signature}).to_string();
    let general =
        json!({"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}).to_string();
    for jws in [&flattened, &general] {
        let posted = with_signature(&statement(), jws, CONTENT_TYPE);
        assert_eq!(verify(jws.as_bytes(), &posted, same), Ok(()), "{jws}");
    }
    let two = json!({"payload": payload, "signatures": [{"protected": protected, "signature": signature}, {"protected": protected, "signature": signature}]}).to_string();
    assert_eq!(refused(&two, &statement()).1, "signature_malformed");
    let unprotected =
        json!({"protected": protected, "header": {"kid": "1"}, "payload": payload, "signature": signature}).to_string();
    assert_eq!(
        refused(&unprotected, &statement()).1,
        "signature_unprotected_header"
    );
}

#[test]
fn xapi_00115_the_declaration_must_be_octet_stream() {
    let jws = sign(json!({"alg": "RS256"}), &statement());
    let posted = with_signature(&statement(), &jws, "text/plain; charset=ascii");
    let e = declared(&posted).unwrap_err();
    assert_eq!(
        (e.status, e.code, e.path.as_str()),
        (
            Status::BadRequest,
            "signature_content_type",
            "attachments[0].contentType"
        )
    );
    let good = with_signature(&statement(), &jws, CONTENT_TYPE);
    assert_eq!(
        declared(&good).unwrap(),
        Some(format!("{:x}", Sha256::digest(jws.as_bytes())))
    );
    assert_eq!(declared(&statement()).unwrap(), None);
    let mut twice = good.clone();
    let first = twice["attachments"][0].clone();
    twice["attachments"].as_array_mut().unwrap().push(first);
    assert_eq!(declared(&twice).unwrap_err().code, "signature_multiple");
}

#[test]
fn xapi_00115_check_needs_the_signature_part() {
    let jws = sign(json!({"alg": "RS256", "x5c": [keys().cert]}), &statement());
    let posted = with_signature(&statement(), &jws, CONTENT_TYPE);
    let e = check(&posted, &[], same).unwrap_err();
    assert_eq!(
        (e.status, e.code),
        (Status::BadRequest, "signature_missing")
    );
    let part = Part {
        sha2: format!("{:x}", Sha256::digest(jws.as_bytes())),
        content_type: CONTENT_TYPE.to_owned(),
        body: jws.clone().into_bytes(),
    };
    assert_eq!(check(&posted, std::slice::from_ref(&part), same), Ok(()));
    assert_eq!(
        check(&statement(), &[], same),
        Ok(()),
        "unsigned statements pass"
    );
    let wrong = Part {
        body: b"x.y.z".to_vec(),
        ..part
    };
    assert_eq!(
        check(&posted, &[wrong], same).unwrap_err().code,
        "signature_malformed"
    );
}

#[test]
fn unsigned_removes_only_the_signature_attachment() {
    let other = json!({"usageType": "http://example.com/u", "display": {"en": "x"}, "contentType": "text/plain", "length": 1, "sha2": "00"});
    let mut s = statement();
    s["attachments"] =
        json!([other.clone(), {"usageType": USAGE_TYPE, "contentType": CONTENT_TYPE}]);
    assert_eq!(unsigned(&s)["attachments"], json!([other]));
    let mut only = statement();
    only["attachments"] = json!([{"usageType": USAGE_TYPE}]);
    assert_eq!(unsigned(&only), statement());
    assert_eq!(unsigned(&json!([1])), json!([1]));
}

//! Tests of rule R2 (GB 32100 unified social credit codes).

use super::*;
use proptest::prelude::*;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::IntoDeserializer;

const VALID: [&str; 4] = [
    "914403001922038216",
    "9144030071526726XG",
    "91330100716105852F",
    "91310000132200821H",
];

#[test]
fn r2_accepts_published_vectors() {
    for vector in VALID {
        let code = CreditCode::parse(vector).expect(vector);
        assert_eq!(code.as_str(), vector);
        assert_eq!(code.to_string(), vector);
    }
}

#[test]
fn r2_computes_check_characters_of_published_vectors() {
    for vector in VALID {
        let (body, check) = vector.split_at(17);
        assert_eq!(check_char(body), check.chars().next(), "{vector}");
    }
}

#[test]
fn r2_normalises_case_whitespace_and_width() {
    let code = CreditCode::parse("\t9144030071526726xg  ").unwrap();
    assert_eq!(code.as_str(), "9144030071526726XG");
    let code = CreditCode::parse("９１３１００００１３２２００８２１Ｈ").unwrap();
    assert_eq!(code.as_str(), "91310000132200821H");
}

#[test]
fn r2_refuses_each_kind_of_error() {
    assert_eq!(CreditCode::parse("  "), Err(CreditCodeError::Empty));
    assert_eq!(
        CreditCode::parse("9131000013220082"),
        Err(CreditCodeError::Length)
    );
    assert_eq!(
        CreditCode::parse("91310000132200821HH"),
        Err(CreditCodeError::Length)
    );
    assert_eq!(
        CreditCode::parse("9131000013220082IH"),
        Err(CreditCodeError::Characters)
    );
    assert_eq!(
        CreditCode::parse("9131000013220082OH"),
        Err(CreditCodeError::Characters)
    );
    assert_eq!(
        CreditCode::parse("91310000132200821-"),
        Err(CreditCodeError::Characters)
    );
    assert_eq!(
        CreditCode::parse("9131000013220082号H"),
        Err(CreditCodeError::Characters)
    );
    assert_eq!(
        CreditCode::parse("91310000132200821A"),
        Err(CreditCodeError::Checksum)
    );
}

#[test]
fn r2_check_char_refuses_bad_bodies() {
    assert_eq!(check_char(""), None);
    assert_eq!(check_char("9131000013220082"), None);
    assert_eq!(check_char("913100001322008211"), None);
    assert_eq!(check_char("9131000013220082s"), None);
}

#[test]
fn r2_check_of_zero_remainder_is_zero() {
    // All zeros sum to 0; 31 - 0 = 31, which wraps to the character 0.
    assert_eq!(check_char("00000000000000000"), Some('0'));
    assert!(CreditCode::parse("000000000000000000").is_ok());
}

#[test]
fn serde_round_trips_and_validates() {
    let de: StrDeserializer<'_, ValueError> = "91310000132200821h".into_deserializer();
    assert_eq!(
        CreditCode::deserialize(de).unwrap().as_str(),
        "91310000132200821H"
    );
    let de: StrDeserializer<'_, ValueError> = "91310000132200821A".into_deserializer();
    assert!(CreditCode::deserialize(de).is_err());
}

#[test]
fn errors_explain_themselves_with_distinct_codes() {
    let all = [
        CreditCodeError::Empty,
        CreditCodeError::Length,
        CreditCodeError::Characters,
        CreditCodeError::Checksum,
    ];
    let mut codes: Vec<_> = all.iter().map(Explain::code).collect();
    assert!(codes.iter().all(|c| c.starts_with("credit_code_")));
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for error in all {
        assert!(!error.message(Lang::Zh).is_empty());
        assert!(error.message(Lang::En).is_ascii());
    }
}

fn alphabet_char() -> impl Strategy<Value = char> {
    prop::sample::select(ALPHABET.chars().collect::<Vec<_>>())
}

fn valid_code() -> impl Strategy<Value = String> {
    prop::collection::vec(alphabet_char(), 17).prop_map(|body| {
        let body: String = body.into_iter().collect();
        let check = check_char(&body).unwrap();
        format!("{body}{check}")
    })
}

fn published_code() -> impl Strategy<Value = String> {
    prop::sample::select(&VALID[..]).prop_map(String::from)
}

proptest! {
    #[test]
    fn r2_any_body_with_computed_check_parses(code in valid_code()) {
        let parsed = CreditCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    /// Every weight is non-zero modulo the prime 31 and the check maps remainders one-to-one, so
    /// changing any single character to another alphabet character always fails.
    #[test]
    fn r2_any_single_substitution_is_refused(
        code in prop_oneof![valid_code(), published_code()],
        position in 0..LENGTH,
        replacement in alphabet_char(),
    ) {
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[position] != replacement);
        chars[position] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert_eq!(CreditCode::parse(&changed), Err(CreditCodeError::Checksum));
    }
}

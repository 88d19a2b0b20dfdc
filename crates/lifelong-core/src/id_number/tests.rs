//! Tests of rule R1 (GB 11643 ID numbers) and of masking ID numbers (R3).

use super::*;
use proptest::prelude::*;

const TODAY: Date = date!(2025 - 06 - 01);

/// Completes 17 digits with their check character.
fn with_check(first17: &str) -> String {
    let check = check_char(first17).expect("17 digits");
    format!("{first17}{check}")
}

fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
    IdNumber::parse_on(input, TODAY)
}

#[test]
fn r1_accepts_published_vectors() {
    for vector in ["34052419800101001X", "11010519491231002X"] {
        let id = parse(vector).expect(vector);
        assert_eq!(id.expose(), vector);
    }
}

#[test]
fn r1_refuses_published_invalid_vectors() {
    assert_eq!(parse("340524198001010013"), Err(IdNumberError::Checksum));
    assert_eq!(parse("110105194912310021"), Err(IdNumberError::Checksum));
}

#[test]
fn r1_computes_check_characters() {
    assert_eq!(check_char("34052419800101001"), Some('X'));
    assert_eq!(check_char("11010519491231002"), Some('X'));
    assert_eq!(check_char("1101051949123100"), None);
    assert_eq!(check_char("110105194912310021"), None);
    assert_eq!(check_char("1101051949123100A"), None);
    assert_eq!(check_char("１１０１０５１９４９１２３１００２"), None);
}

#[test]
fn r1_normalises_lower_case_x_and_whitespace() {
    let id = parse("  34052419800101001x\t").unwrap();
    assert_eq!(id.expose(), "34052419800101001X");
}

#[test]
fn r1_folds_full_width_digits() {
    let id = parse("３４０５２４１９８００１０１００１ｘ").unwrap();
    assert_eq!(id.expose(), "34052419800101001X");
}

#[test]
fn r1_refuses_empty_input() {
    assert_eq!(parse(""), Err(IdNumberError::Empty));
    assert_eq!(parse(" \u{3000} "), Err(IdNumberError::Empty));
}

#[test]
fn r1_refuses_wrong_length() {
    assert_eq!(parse("3405241980010100"), Err(IdNumberError::Length));
    assert_eq!(parse("34052419800101001X0"), Err(IdNumberError::Length));
    assert_eq!(parse("340524800101001"), Err(IdNumberError::Length));
}

#[test]
fn r1_refuses_wrong_characters() {
    assert_eq!(parse("34052419800101001Y"), Err(IdNumberError::Characters));
    assert_eq!(parse("3405241980010100X1"), Err(IdNumberError::Characters));
    assert_eq!(parse("340524 9800101001X"), Err(IdNumberError::Characters));
    assert_eq!(parse("34052419800101001号"), Err(IdNumberError::Characters));
    assert_eq!(parse("-3405241980010100X"), Err(IdNumberError::Characters));
}

#[test]
fn r1_refuses_impossible_birth_dates() {
    for body in [
        "34052419990230001", // 30 February
        "34052419990229001", // 29 February in a common year
        "34052419991301001", // month 13
        "34052419990100001", // day 0
        "34052418991231001", // before 1900
    ] {
        assert_eq!(
            parse(&with_check(body)),
            Err(IdNumberError::BirthDate),
            "{body}"
        );
    }
}

#[test]
fn r1_accepts_leap_days_and_the_earliest_date() {
    assert!(parse(&with_check("34052420000229001")).is_ok());
    assert!(parse(&with_check("34052419000101001")).is_ok());
}

#[test]
fn r1_refuses_future_birth_dates() {
    let tomorrow = with_check("31011520250602001");
    assert_eq!(parse(&tomorrow), Err(IdNumberError::FutureBirthDate));
    let today = with_check("31011520250601001");
    assert_eq!(parse(&today).unwrap().birth_date(), TODAY);
}

#[test]
fn r1_refuses_unknown_area_codes() {
    for body in [
        "00052419800101001",
        "10052419800101001",
        "20052419800101001",
        "16052419800101001",
        "71052419800101001",
        "84052419800101001",
    ] {
        assert_eq!(
            parse(&with_check(body)),
            Err(IdNumberError::AreaCode),
            "{body}"
        );
    }
}

#[test]
fn r1_reads_the_kind_of_document() {
    let resident = parse(&with_check("31011519800101001")).unwrap();
    assert_eq!(resident.kind(), IdKind::Resident);
    for permit in [
        "81000019800101001",
        "82000019800101001",
        "83000019800101001",
    ] {
        assert_eq!(
            parse(&with_check(permit)).unwrap().kind(),
            IdKind::ResidencePermit
        );
    }
    let foreign = parse(&with_check("93184019800101001")).unwrap();
    assert_eq!(foreign.kind(), IdKind::ForeignPermanent);
}

#[test]
fn r1_reads_birth_date_area_and_gender() {
    let id = parse("11010519491231002X").unwrap();
    assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
    assert_eq!(id.area_code(), "110105");
    assert_eq!(id.gender(), Gender::Female);
    let male = parse(&with_check("11010519491231001")).unwrap();
    assert_eq!(male.gender(), Gender::Male);
}

#[test]
fn age_counts_full_years() {
    let id = parse(&with_check("31011519800615001")).unwrap();
    assert_eq!(id.age_on(date!(2025 - 06 - 14)), 44);
    assert_eq!(id.age_on(date!(2025 - 06 - 15)), 45);
    assert_eq!(id.age_on(date!(1980 - 06 - 15)), 0);
    assert_eq!(id.age_on(date!(1970 - 01 - 01)), 0);
}

#[test]
fn age_of_a_leap_day_birthday_advances_on_first_march() {
    let id = parse(&with_check("31011520000229001")).unwrap();
    assert_eq!(id.age_on(date!(2021 - 02 - 28)), 20);
    assert_eq!(id.age_on(date!(2021 - 03 - 01)), 21);
    assert_eq!(id.age_on(date!(2024 - 02 - 29)), 24);
}

#[test]
fn r3_masks_first_three_and_last_four() {
    let id = parse(&with_check("31011519800101123")).unwrap();
    assert_eq!(id.masked(), format!("310***********{}", &id.expose()[14..]));
    assert_eq!(id.masked().chars().count(), 18);
}

#[test]
fn r3_debug_never_prints_the_number() {
    let id = parse("34052419800101001X").unwrap();
    let debug = format!("{id:?} {id:#?}");
    assert!(!debug.contains("34052419800101001X"));
    assert!(!debug.contains("19800101"));
    assert!(debug.contains("340***********001X"));
}

#[test]
fn errors_explain_themselves_with_distinct_codes() {
    let all = [
        IdNumberError::Empty,
        IdNumberError::Length,
        IdNumberError::Characters,
        IdNumberError::Checksum,
        IdNumberError::BirthDate,
        IdNumberError::FutureBirthDate,
        IdNumberError::AreaCode,
    ];
    let mut codes: Vec<_> = all.iter().map(Explain::code).collect();
    assert!(codes.iter().all(|c| c.starts_with("id_number_")));
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for error in all {
        assert!(!error.message(Lang::Zh).is_empty());
        assert!(error.message(Lang::Zh).chars().any(|c| c > '\u{2E80}'));
        assert!(error.message(Lang::En).is_ascii());
    }
    assert_eq!(
        IdNumberError::Checksum.message(Lang::Zh),
        "身份证号码校验位不正确，请核对后重新输入"
    );
}

#[test]
fn gender_and_kind_have_stable_codes() {
    assert_eq!(Gender::Male.as_str(), "male");
    assert_eq!(Gender::Female.label(Lang::Zh), "女");
    assert_eq!(IdKind::ResidencePermit.as_str(), "residence_permit");
    assert_eq!(IdKind::Resident.label(Lang::Zh), "居民身份证");
}

/// Mainland province-level codes, as generated numbers need a valid area.
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "81",
    "82", "83",
];

/// 17 digits with a known area and a real birth date between 1900 and `TODAY`.
fn valid_body() -> impl Strategy<Value = String> {
    let days = (TODAY - EARLIEST_BIRTH_DATE).whole_days();
    (
        prop::sample::select(&PROVINCES[..]),
        "[0-9]{4}",
        0..=days,
        "[0-9]{3}",
    )
        .prop_map(|(province, rest, offset, sequence)| {
            let birth = EARLIEST_BIRTH_DATE + time::Duration::days(offset);
            let yyyymmdd = format!(
                "{:04}{:02}{:02}",
                birth.year(),
                u8::from(birth.month()),
                birth.day()
            );
            format!("{province}{rest}{yyyymmdd}{sequence}")
        })
}

fn valid_number() -> impl Strategy<Value = String> {
    valid_body().prop_map(|body| with_check(&body))
}

proptest! {
    #[test]
    fn r1_valid_body_with_computed_check_parses(body in valid_body()) {
        let number = with_check(&body);
        let id = parse(&number).unwrap();
        prop_assert_eq!(id.expose(), number.as_str());
        prop_assert!(id.age_on(TODAY) <= 125);
    }

    /// Any 17 digits with their check character fail only for area or date, never the check.
    #[test]
    fn r1_computed_check_is_always_accepted(body in "[0-9]{17}") {
        match parse(&with_check(&body)) {
            Ok(_)
            | Err(IdNumberError::AreaCode)
            | Err(IdNumberError::BirthDate)
            | Err(IdNumberError::FutureBirthDate) => {}
            Err(other) => prop_assert!(false, "unexpected {:?} for {}", other, body),
        }
    }

    /// Every weight is non-zero modulo the prime 11 and the check characters are distinct, so a
    /// single substitution always changes the expected check: it is always refused.
    #[test]
    fn r1_any_single_substitution_is_refused(
        number in valid_number(),
        position in 0..LENGTH,
        replacement in prop::sample::select(b"0123456789X".to_vec()),
    ) {
        let mut bytes = number.clone().into_bytes();
        prop_assume!(bytes[position] != replacement);
        bytes[position] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(parse(&changed).is_err(), "{} was accepted", changed);
        if position == LENGTH - 1 {
            prop_assert_eq!(parse(&changed), Err(IdNumberError::Checksum));
        }
    }

    /// Adjacent weights differ modulo 11 (the check character's own weight is 1, its
    /// neighbour's 2), so swapping two different neighbouring characters is always refused.
    #[test]
    fn r1_any_adjacent_transposition_is_refused(number in valid_number(), position in 0..LENGTH - 1) {
        let mut bytes = number.into_bytes();
        prop_assume!(bytes[position] != bytes[position + 1]);
        bytes.swap(position, position + 1);
        let swapped = String::from_utf8(bytes).unwrap();
        prop_assert!(parse(&swapped).is_err(), "{} was accepted", swapped);
    }

    #[test]
    fn r3_masked_keeps_only_the_ends(number in valid_number()) {
        let id = parse(&number).unwrap();
        let masked = id.masked();
        prop_assert_eq!(&masked[..3], &number[..3]);
        prop_assert_eq!(&masked[14..], &number[14..]);
        prop_assert_eq!(&masked[3..14], "***********");
    }
}

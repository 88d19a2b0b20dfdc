//! Tests of name parsing and normalisation.

use super::*;
use proptest::prelude::*;

fn parsed(input: &str) -> String {
    PersonName::parse(input)
        .unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
        .as_str()
        .to_owned()
}

fn refused(input: &str) -> PersonNameError {
    PersonName::parse(input).expect_err(input)
}

#[test]
fn accepts_chinese_names() {
    for name in [
        "欧阳娜娜",
        "王",
        "阿沛·阿旺晋美",
        "买买提·艾力",
        "张〇",
        "𠀀𪚥",
        "李㐀",
    ] {
        assert_eq!(parsed(name), name);
    }
}

#[test]
fn normalises_dot_variants_in_chinese_names() {
    for input in [
        "阿沛•阿旺晋美",
        "阿沛・阿旺晋美",
        "阿沛．阿旺晋美",
        "阿沛.阿旺晋美",
        "阿沛‧阿旺晋美",
        "阿沛･阿旺晋美",
        "阿沛 · 阿旺晋美",
    ] {
        assert_eq!(parsed(input), "阿沛·阿旺晋美", "{input}");
    }
}

#[test]
fn drops_spaces_in_chinese_names() {
    assert_eq!(parsed("  欧阳\u{3000}娜娜 "), "欧阳娜娜");
    assert_eq!(parsed("张 三"), "张三");
}

#[test]
fn refuses_misplaced_dots_in_chinese_names() {
    for input in [
        "·阿沛",
        "阿沛·",
        "阿沛··阿旺晋美",
        "阿沛.·阿旺晋美",
        ".欧阳娜娜",
        "·",
    ] {
        let expected = if input == "·" {
            PersonNameError::Characters
        } else {
            PersonNameError::Punctuation
        };
        assert_eq!(refused(input), expected, "{input}");
    }
}

#[test]
fn accepts_latin_names() {
    for name in [
        "Zoë O'Brien-Smith",
        "José María Núñez",
        "J.R.R. Tolkien",
        "Martin Luther King Jr.",
        "Nguyễn Thị Minh Khai",
        "'t Hooft",
        "A",
    ] {
        assert_eq!(parsed(name), name);
    }
}

#[test]
fn normalises_latin_names() {
    assert_eq!(parsed("  Jean-Luc \t  Picard "), "Jean-Luc Picard");
    assert_eq!(parsed("Zoë O’Brien‐Smith"), "Zoë O'Brien-Smith");
    assert_eq!(parsed("Ｊｏｈｎ Ｓｍｉｔｈ"), "John Smith");
    // A decomposed ë (e + combining diaeresis) is kept as typed.
    assert_eq!(parsed("Zoe\u{0308}"), "Zoe\u{0308}");
}

#[test]
fn refuses_misplaced_punctuation_in_latin_names() {
    for input in [
        "-Anne",
        "Anne-",
        "Anne--Marie",
        "Anne - Marie",
        "Anne-'Marie",
        ".Anne",
        "J..Smith",
        "O''Brien",
        "Anne ' Marie",
    ] {
        assert_eq!(refused(input), PersonNameError::Punctuation, "{input}");
    }
}

#[test]
fn refuses_characters_that_are_not_in_names() {
    for input in [
        "Bob2",
        "张三1",
        "😀",
        "张😀",
        "<script>",
        "Bob<b>",
        "Al\u{0007}ice",
        "Ann\u{200D}a",
        "Иван",
        "\u{0308}Zoe",
        "Zoë·Smith",
        "张_三",
        "-",
        "...",
    ] {
        assert_eq!(refused(input), PersonNameError::Characters, "{input:?}");
    }
}

#[test]
fn refuses_mixed_scripts() {
    assert_eq!(refused("张三Smith"), PersonNameError::MixedScripts);
    assert_eq!(refused("Wang 小明"), PersonNameError::MixedScripts);
}

#[test]
fn refuses_empty_names() {
    assert_eq!(refused(""), PersonNameError::Empty);
    assert_eq!(refused(" \t\u{3000}\n"), PersonNameError::Empty);
}

#[test]
fn enforces_length_limits() {
    assert!(PersonName::parse(&"王".repeat(MAX_HAN_CHARS)).is_ok());
    assert_eq!(
        refused(&"王".repeat(MAX_HAN_CHARS + 1)),
        PersonNameError::TooLong
    );
    assert!(PersonName::parse(&"a".repeat(MAX_LATIN_CHARS)).is_ok());
    assert_eq!(
        refused(&"a".repeat(MAX_LATIN_CHARS + 1)),
        PersonNameError::TooLong
    );
}

#[test]
fn displays_the_normalised_name() {
    let name = PersonName::parse("阿沛•阿旺晋美").unwrap();
    assert_eq!(name.to_string(), "阿沛·阿旺晋美");
    assert_eq!(
        name.to_string(),
        "阿沛·阿旺晋美".parse::<PersonName>().unwrap().as_str()
    );
}

#[test]
fn errors_explain_themselves_with_distinct_codes() {
    let all = [
        PersonNameError::Empty,
        PersonNameError::TooLong,
        PersonNameError::Characters,
        PersonNameError::MixedScripts,
        PersonNameError::Punctuation,
    ];
    let mut codes: Vec<_> = all.iter().map(Explain::code).collect();
    assert!(codes.iter().all(|c| c.starts_with("person_name_")));
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for error in all {
        assert!(!error.message(Lang::Zh).is_empty());
        assert!(error.message(Lang::En).is_ascii());
    }
}

proptest! {
    /// Parsing is idempotent: a normalised name parses to itself.
    #[test]
    fn normalised_names_are_fixed_points(input in "[a-zA-Zéü' .-]{1,20}|[张王李·•. ]{1,10}") {
        if let Ok(name) = PersonName::parse(&input) {
            let again = PersonName::parse(name.as_str()).unwrap();
            prop_assert_eq!(again, name);
        }
    }

    #[test]
    fn any_run_of_han_characters_is_a_name(name in "[\u{4E00}-\u{9FFF}]{1,30}") {
        prop_assert_eq!(parsed(&name), name);
    }
}

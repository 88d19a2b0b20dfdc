//! Reading a form's fields into domain values: each reader records its refusal, in the
//! page's language, against the field it read.

use lifelong_core::credit_code::CreditCode;
use lifelong_core::credits::Credits;
use lifelong_core::framework::{Framework, Level};
use lifelong_core::outcome::OutcomeKind;
use lifelong_core::publication::day;
use lifelong_core::unit::valid_code;
use lifelong_core::{Explain, Lang};
use time::Date;

use super::{EditTexts, Errors, Fields};

/// The highest version number a form accepts.
const MAX_VERSION: u32 = 9999;

/// A code (unit, standard, rule, programme, course).
pub fn read_code(fields: &Fields, name: &str, e: &EditTexts, errors: &mut Errors) -> String {
    let code = fields.get(name).trim().to_owned();
    if !valid_code(&code) {
        errors.add(name, e.code_bad);
    }
    code
}

/// A version number, 1 to 9999.
pub fn read_version(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> u32 {
    match fields.get("version").trim().parse::<u32>() {
        Ok(v) if (1..=MAX_VERSION).contains(&v) => v,
        _ => {
            errors.add("version", e.version_bad);
            1
        }
    }
}

/// The Chinese text of `name`, required.
pub fn read_required(fields: &Fields, name: &str, message: &str, errors: &mut Errors) -> String {
    let text = fields.get(name).trim().to_owned();
    if text.is_empty() {
        errors.add(name, message);
    }
    text
}

/// A level of the framework; `None` (with an error) when it is not one.
pub fn read_level(
    fields: &Fields,
    name: &str,
    framework: &Framework,
    e: &EditTexts,
    errors: &mut Errors,
) -> Option<Level> {
    let level = Level::parse(fields.get(name)).filter(|l| framework.level(*l).is_some());
    if level.is_none() {
        errors.add(name, e.level_bad);
    }
    level
}

/// An amount of credits more than zero.
pub fn read_credits(
    fields: &Fields,
    name: &str,
    zero: &str,
    lang: Lang,
    errors: &mut Errors,
) -> Credits {
    match Credits::parse(fields.get(name)) {
        Ok(c) if c.is_zero() => {
            errors.add(name, zero);
            c
        }
        Ok(c) => c,
        Err(err) => {
            errors.add(name, err.message(lang));
            Credits::ZERO
        }
    }
}

/// A number from 0 to 100 with at most two decimals (a score, a percentage), as credits-like
/// exact decimal.
pub fn read_percent(fields: &Fields, name: &str, message: &str, errors: &mut Errors) -> Credits {
    match Credits::parse(fields.get(name)) {
        Ok(c) if c <= Credits::whole(100) => c,
        _ => {
            errors.add(name, message);
            Credits::ZERO
        }
    }
}

/// The planned start date; today when empty.
pub fn read_from(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> Date {
    let today = time::OffsetDateTime::now_utc().date();
    match fields.get("from").trim() {
        "" => today,
        text => day::parse(text).unwrap_or_else(|| {
            errors.add("from", e.date_bad);
            today
        }),
    }
}

/// An optional unified social credit code.
pub fn read_credit_code(
    fields: &Fields,
    name: &str,
    message: &str,
    errors: &mut Errors,
) -> Option<String> {
    let text = fields.opt(name)?;
    match CreditCode::parse(&text) {
        Ok(code) => Some(code.as_str().to_owned()),
        Err(_) => {
            errors.add(name, message);
            None
        }
    }
}

/// The ticked kinds of outcome.
pub fn read_kinds(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> Vec<OutcomeKind> {
    read_kinds_of(fields, "kinds", e, errors)
}

/// The kinds of outcome ticked in the group `name`, each once.
pub fn read_kinds_of(
    fields: &Fields,
    name: &str,
    e: &EditTexts,
    errors: &mut Errors,
) -> Vec<OutcomeKind> {
    let mut kinds = Vec::new();
    for value in fields.all(name) {
        match OutcomeKind::parse(value) {
            Some(k) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => errors.add(name, e.kind_bad),
        }
    }
    kinds
}

/// An optional certificate level, 1 to 5.
pub fn read_certificate_level(fields: &Fields, e: &EditTexts, errors: &mut Errors) -> Option<u8> {
    let text = fields.opt("certificate_level")?;
    match text.parse::<u8>() {
        Ok(n) if (1..=5).contains(&n) => Some(n),
        _ => {
            errors.add("certificate_level", e.certificate_level_bad);
            None
        }
    }
}

/// An optional code (certificate, course): any non-empty text, at most 60 characters.
pub fn read_opt_code(
    fields: &Fields,
    name: &str,
    e: &EditTexts,
    errors: &mut Errors,
) -> Option<String> {
    let text = fields.opt(name)?;
    if text.chars().count() > 60 {
        errors.add(name, e.code_bad);
    }
    Some(text)
}

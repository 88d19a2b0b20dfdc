//! Durations (xAPI-Data 4.6): the ISO 8601:2004 4.4.3.2 format `PnYnMnDTnHnMnS` or `PnW`,
//! never the alternative `PYYYY-MM-DDThh:mm:ss` form and never weeks mixed with other units.
//!
//! The value is stored as sent. Each unit is a non-negative decimal; only the last unit given
//! may have a fraction (`.` or `,`). Comparison drops precision below 0.01 s (4.6.s1.b5), and
//! [`duration_seconds`] turns a duration into seconds for archive hours with fixed calendar
//! lengths (a year of 365 days, a month of 30, a week of 7).

use std::borrow::Cow;

/// One unit of a parsed duration.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Part {
    unit: u8,
    value: f64,
    has_fraction: bool,
}

const DATE_UNITS: &[u8] = b"YMWD";
const TIME_UNITS: &[u8] = b"HMS";

/// Parses into (unit, value, in-time-section) triples, or `None` if not a valid duration.
fn parse(text: &str) -> Option<Vec<(Part, bool)>> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'P') {
        return None;
    }
    let mut parts: Vec<(Part, bool)> = Vec::with_capacity(4);
    let mut i = 1;
    let mut in_time = false;
    let mut time_seen_units = false;
    // Position in the allowed order, so units come once each and in order.
    let mut next_date = 0usize;
    let mut next_time = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'T' {
            if in_time {
                return None;
            }
            in_time = true;
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int_end = i;
        let mut has_fraction = false;
        if i < bytes.len() && (bytes[i] == b'.' || bytes[i] == b',') {
            i += 1;
            let frac_start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == frac_start {
                return None;
            }
            has_fraction = true;
        }
        if int_end == start {
            return None;
        }
        let unit = *bytes.get(i)?;
        i += 1;
        let order = if in_time { TIME_UNITS } else { DATE_UNITS };
        let cursor = if in_time {
            &mut next_time
        } else {
            &mut next_date
        };
        let position = order.iter().position(|u| *u == unit)?;
        if position < *cursor {
            return None;
        }
        *cursor = position + 1;
        let number = text[start..i - 1].replace(',', ".");
        let value: f64 = number.parse().ok()?;
        if parts.last().is_some_and(|(p, _)| p.has_fraction) {
            return None;
        }
        if in_time {
            time_seen_units = true;
        }
        parts.push((
            Part {
                unit,
                value,
                has_fraction,
            },
            in_time,
        ));
    }
    if parts.is_empty() || (in_time && !time_seen_units) {
        return None;
    }
    let has_week = parts.iter().any(|(p, t)| !*t && p.unit == b'W');
    if has_week && parts.len() > 1 {
        return None;
    }
    Some(parts)
}

/// Whether `text` is a duration xAPI accepts.
pub(crate) fn is_duration(text: &str) -> bool {
    parse(text).is_some()
}

/// The length of a duration in seconds (years of 365 days, months of 30), or `None` if the
/// text is not a valid duration.
pub fn duration_seconds(text: &str) -> Option<f64> {
    let parts = parse(text)?;
    let mut total = 0.0;
    for (part, in_time) in parts {
        let unit_seconds = match (in_time, part.unit) {
            (false, b'Y') => 365.0 * 86_400.0,
            (false, b'M') => 30.0 * 86_400.0,
            (false, b'W') => 7.0 * 86_400.0,
            (false, b'D') => 86_400.0,
            (true, b'H') => 3_600.0,
            (true, b'M') => 60.0,
            (true, b'S') => 1.0,
            _ => return None,
        };
        total += part.value * unit_seconds;
    }
    Some(total)
}

/// The duration as compared: digits of a seconds fraction beyond hundredths dropped.
pub(crate) fn comparable(text: &str) -> Cow<'_, str> {
    let Some(body) = text.strip_suffix('S') else {
        return Cow::Borrowed(text);
    };
    let Some(dot) = body.rfind(['.', ',']) else {
        return Cow::Borrowed(text);
    };
    let digits = body.len() - dot - 1;
    if digits <= 2 {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("{}S", &text[..dot + 3]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn xapi_00077_durations_follow_iso_8601() {
        let cases: &[(&str, Option<f64>)] = &[
            ("PT1H0M0.1S", Some(3600.1)),
            ("PT4H35M59.14S", Some(16559.14)),
            ("PT16559.14S", Some(16559.14)),
            (
                "P3Y1M29DT4H35M59.14S",
                Some(3.0 * 31_536_000.0 + 2_592_000.0 + 29.0 * 86_400.0 + 16559.14),
            ),
            ("P3Y", Some(94_608_000.0)),
            ("P4W", Some(2_419_200.0)),
            ("P1D", Some(86_400.0)),
            ("PT0S", Some(0.0)),
            ("PT1,5S", Some(1.5)),
            ("P0.5Y", Some(15_768_000.0)),
            ("PT1.5H", Some(5400.0)),
            ("P4W1D", None),
            ("P1DT4W", None),
            ("PA1H0M0S", None),
            ("should fail", None),
            ("P", None),
            ("PT", None),
            ("P1DT", None),
            ("PT1.5H30M", None),
            ("PT1M1H", None),
            ("P1D1Y", None),
            ("PT1S1S", None),
            ("P1H", None),
            ("PT1D", None),
            ("P16559.14S", None),
            ("PT.5S", None),
            ("PT1.S", None),
            ("-PT1S", None),
            ("PT-1S", None),
            ("P0003-01-29T04:35:59", None),
            ("pt1s", None),
            ("", None),
        ];
        for (text, seconds) in cases {
            assert_eq!(is_duration(text), seconds.is_some(), "{text}");
            match (duration_seconds(text), seconds) {
                (Some(got), Some(want)) => assert!((got - want).abs() < 1e-6, "{text}: {got}"),
                (got, want) => assert_eq!(got, *want, "{text}"),
            }
        }
    }

    #[test]
    fn comparison_drops_precision_below_hundredths() {
        assert_eq!(comparable("PT1.234S"), "PT1.23S");
        assert_eq!(comparable("PT1.23S"), "PT1.23S");
        assert_eq!(comparable("PT1.2S"), "PT1.2S");
        assert_eq!(comparable("P1D"), "P1D");
        assert_eq!(comparable("PT12S"), "PT12S");
        assert_eq!(comparable("PT1.239S"), comparable("PT1.2301S"));
    }

    proptest! {
        #[test]
        fn generated_durations_are_valid_and_measured(
            y in 0u32..50, mo in 0u32..12, d in 0u32..40, h in 0u32..30, mi in 0u32..90,
            s in 0u32..90, cs in 0u32..100, weeks in 1u32..60
        ) {
            let text = format!("P{y}Y{mo}M{d}DT{h}H{mi}M{s}.{cs:02}S");
            let want = f64::from(y) * 31_536_000.0 + f64::from(mo) * 2_592_000.0
                + f64::from(d) * 86_400.0 + f64::from(h) * 3_600.0 + f64::from(mi) * 60.0
                + f64::from(s) + f64::from(cs) / 100.0;
            let got = duration_seconds(&text).unwrap();
            prop_assert!((got - want).abs() < 1e-3);
            let kept = comparable(&text);
            prop_assert_eq!(kept.as_ref(), text.as_str());
            let week = format!("P{weeks}W");
            prop_assert_eq!(duration_seconds(&week), Some(f64::from(weeks) * 604_800.0));
        }
    }
}

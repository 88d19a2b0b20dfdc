//! Timestamps (xAPI-Data 4.5; 2.0 adds RFC 3339's space separator): parsing per version and
//! the one form the LRS returns, UTC with at least milliseconds.
//!
//! Accepted in both versions: ISO 8601 extended (`2013-05-18T05:32:34.804+08:00`) or basic
//! (`20130518T053234.804+0800`) date-times; fractions of any length (kept to nanoseconds);
//! `Z`, `±HH:MM`, `±HHMM`, `±HH` offsets, or none (read as UTC, since the zone is only
//! recommended). Refused: negative zero offsets (`-00`, `-0000`, `-00:00`: RFC 3339 4.3 "unknown
//! local offset"), dates without a time, out-of-range fields. 1.0.x takes only `T` (ISO 8601)
//! and also the reduced `hh:mm` time; 2.0 follows RFC 3339: `T`, `t` or a space, seconds
//! required, `z` allowed.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::XapiError;
use crate::version::Version;

/// Parses a timestamp as `version` allows; the instant keeps its offset.
pub fn parse_timestamp(text: &str, version: Version) -> Result<OffsetDateTime, XapiError> {
    parse(text.as_bytes(), version).ok_or_else(|| {
        XapiError::invalid(
            "invalid_timestamp",
            "",
            format!("{text:?} is not an ISO 8601 / RFC 3339 timestamp"),
            format!("{text:?} 不是 ISO 8601 / RFC 3339 时间戳"),
        )
    })
}

/// Formats an instant in UTC as RFC 3339: milliseconds always, microseconds or nanoseconds
/// when the instant has them, so precision sent is precision kept.
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let (year, month, day) = (t.year(), u8::from(t.month()), t.day());
    let nanos = t.nanosecond();
    let mut out = String::with_capacity(30);
    push_digits(&mut out, year.unsigned_abs(), 4);
    out.push('-');
    push_digits(&mut out, u32::from(month), 2);
    out.push('-');
    push_digits(&mut out, u32::from(day), 2);
    out.push('T');
    push_digits(&mut out, u32::from(t.hour()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.minute()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.second()), 2);
    out.push('.');
    if nanos.is_multiple_of(1_000_000) {
        push_digits(&mut out, nanos / 1_000_000, 3);
    } else if nanos.is_multiple_of(1_000) {
        push_digits(&mut out, nanos / 1_000, 6);
    } else {
        push_digits(&mut out, nanos, 9);
    }
    out.push('Z');
    out
}

fn push_digits(out: &mut String, mut value: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut i = buf.len();
    while value > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    let start = (buf.len() - width).min(i);
    for b in &buf[start..] {
        out.push(char::from(*b));
    }
}

/// A cursor over the timestamp's bytes.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.at..self.at + n)?;
        let mut value = 0u32;
        for b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.at += n;
        Some(value)
    }
}

fn parse(bytes: &[u8], version: Version) -> Option<OffsetDateTime> {
    let mut s = Scan { bytes, at: 0 };
    let year = s.digits(4)?;
    let extended = s.eat(b'-');
    let month = s.digits(2)?;
    if extended && !s.eat(b'-') {
        return None;
    }
    let day = s.digits(2)?;
    let separator_ok = match s.peek()? {
        b'T' => true,
        b't' | b' ' => version.is_v2(),
        _ => false,
    };
    if !separator_ok {
        return None;
    }
    s.at += 1;
    let hour = s.digits(2)?;
    if extended && !s.eat(b':') {
        return None;
    }
    let minute = s.digits(2)?;
    let has_seconds = if extended {
        s.eat(b':')
    } else {
        s.peek().is_some_and(|b| b.is_ascii_digit())
    };
    let (second, nanos) = if has_seconds {
        let second = s.digits(2)?;
        let mut nanos = 0u32;
        if s.eat(b'.') || s.eat(b',') {
            let start = s.at;
            let mut scale = 100_000_000u32;
            while let Some(b) = s.peek().filter(u8::is_ascii_digit) {
                nanos += u32::from(b - b'0') * scale;
                scale /= 10;
                s.at += 1;
            }
            if s.at == start {
                return None;
            }
        }
        (second, nanos)
    } else if version.is_v2() {
        return None;
    } else {
        (0, 0)
    };
    let offset = parse_offset(&mut s, extended, version)?;
    if s.at != bytes.len() {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

fn parse_offset(s: &mut Scan, extended: bool, version: Version) -> Option<UtcOffset> {
    let sign = match s.peek() {
        None => return Some(UtcOffset::UTC),
        Some(b'Z') => {
            s.at += 1;
            return Some(UtcOffset::UTC);
        }
        Some(b'z') if version.is_v2() => {
            s.at += 1;
            return Some(UtcOffset::UTC);
        }
        Some(b'+') => 1i8,
        Some(b'-') => -1i8,
        Some(_) => return None,
    };
    s.at += 1;
    let hours = s.digits(2)?;
    let minutes = if s.peek().is_none() {
        0
    } else if s.eat(b':') {
        if !extended {
            return None;
        }
        s.digits(2)?
    } else {
        s.digits(2)?
    };
    if hours > 23 || minutes > 59 || (sign < 0 && hours == 0 && minutes == 0) {
        return None;
    }
    let hours = i8::try_from(hours).ok()? * sign;
    let minutes = i8::try_from(minutes).ok()? * sign;
    UtcOffset::from_hms(hours, minutes, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const V1: Version = Version::V1;
    const V2: Version = Version::V2;

    #[test]
    fn xapi_00123_timestamps_follow_iso_8601_per_version() {
        // (text, accepted under 1.0.x, accepted under 2.0, normalised form)
        let cases: &[(&str, bool, bool, &str)] = &[
            (
                "2013-05-18T05:32:34.804Z",
                true,
                true,
                "2013-05-18T05:32:34.804Z",
            ),
            (
                "2013-05-18T05:32:34.804+00:00",
                true,
                true,
                "2013-05-18T05:32:34.804Z",
            ),
            (
                "2013-05-18T13:32:34.804+08:00",
                true,
                true,
                "2013-05-18T05:32:34.804Z",
            ),
            (
                "2013-05-18T05:32:34.804-0500",
                true,
                true,
                "2013-05-18T10:32:34.804Z",
            ),
            (
                "2013-05-18T05:32:34+05",
                true,
                true,
                "2013-05-18T00:32:34.000Z",
            ),
            (
                "2013-05-18T05:32:34Z",
                true,
                true,
                "2013-05-18T05:32:34.000Z",
            ),
            (
                "2013-05-18T05:32:34",
                true,
                true,
                "2013-05-18T05:32:34.000Z",
            ),
            (
                "2013-05-18T05:32:34.123456789Z",
                true,
                true,
                "2013-05-18T05:32:34.123456789Z",
            ),
            (
                "2013-05-18T05:32:34.1234567891Z",
                true,
                true,
                "2013-05-18T05:32:34.123456789Z",
            ),
            (
                "2013-05-18T05:32:34.1234Z",
                true,
                true,
                "2013-05-18T05:32:34.123400Z",
            ),
            (
                "2013-05-18T05:32:34,5Z",
                true,
                true,
                "2013-05-18T05:32:34.500Z",
            ),
            (
                "20130518T053234.804Z",
                true,
                true,
                "2013-05-18T05:32:34.804Z",
            ),
            (
                "20130518T053234+0100",
                true,
                true,
                "2013-05-18T04:32:34.000Z",
            ),
            (
                "2008-09-15 15:53:00.601+00:00",
                false,
                true,
                "2008-09-15T15:53:00.601Z",
            ),
            (
                "2008-09-15t15:53:00.601z",
                false,
                true,
                "2008-09-15T15:53:00.601Z",
            ),
            ("2013-05-18T05:32Z", true, false, "2013-05-18T05:32:00.000Z"),
            ("2008-09-15T15:53:00.601-00", false, false, ""),
            ("2008-09-15T15:53:00.601-0000", false, false, ""),
            ("2008-09-15T15:53:00.601-00:00", false, false, ""),
            ("01/011/2015", false, false, ""),
            ("should fail", false, false, ""),
            ("2015-01-01", false, false, ""),
            ("2015-02-30T00:00:00Z", false, false, ""),
            ("2015-01-01T24:00:00Z", false, false, ""),
            ("2015-01-01T00:00:00+24:00", false, false, ""),
            ("2015-01-01T00:00:00.Z", false, false, ""),
            ("2015-01-01T00:00:00Zjunk", false, false, ""),
            ("2015-0101T00:00:00Z", false, false, ""),
            ("20150101T00:00:00Z", false, false, ""),
            ("", false, false, ""),
        ];
        for (text, v1, v2, normal) in cases {
            assert_eq!(parse_timestamp(text, V1).is_ok(), *v1, "1.0 {text}");
            assert_eq!(parse_timestamp(text, V2).is_ok(), *v2, "2.0 {text}");
            let parsed = parse_timestamp(text, V1).or_else(|_| parse_timestamp(text, V2));
            if let Ok(t) = parsed {
                assert_eq!(format_timestamp(t), *normal, "{text}");
            }
        }
        assert_eq!(
            parse_timestamp("x", V1).unwrap_err().code,
            "invalid_timestamp"
        );
    }

    #[test]
    fn xapi_00122_precision_is_kept_to_at_least_milliseconds() {
        let t = parse_timestamp("2013-05-18T05:32:34.8049Z", V1).unwrap();
        assert_eq!(format_timestamp(t), "2013-05-18T05:32:34.804900Z");
        let t = parse_timestamp("2013-05-18T05:32:34Z", V1).unwrap();
        assert_eq!(format_timestamp(t), "2013-05-18T05:32:34.000Z");
    }

    proptest! {
        #[test]
        fn formatted_timestamps_parse_back_to_the_same_instant(
            secs in 0i64..253_402_300_799, nanos in 0u32..1_000_000_000, offset_min in -1439i32..1439
        ) {
            let t = OffsetDateTime::from_unix_timestamp(secs).unwrap()
                + time::Duration::nanoseconds(i64::from(nanos));
            let offset = UtcOffset::from_whole_seconds(offset_min * 60).unwrap();
            let shown = t.to_offset(offset);
            let text = format_timestamp(shown);
            for version in [V1, V2] {
                let back = parse_timestamp(&text, version).unwrap();
                prop_assert_eq!(back, t);
                prop_assert_eq!(format_timestamp(back), text.clone());
            }
        }
    }
}

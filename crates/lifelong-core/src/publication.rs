//! Versioned, published rules (R13, R16, R17): a recognition standard or a conversion rule is
//! drafted, then published with an effective window, and never edited afterwards — a change is a
//! new version that supersedes the old one from the day it takes effect.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::outcome::coded_enum;

coded_enum!(
    /// Where a versioned rule is in its life.
    PublicationStatus {
        /// Being written; may be edited; applies to nothing.
        Draft = "draft", "草稿", "Draft";
        /// Published: immutable, applies within its window.
        Published = "published", "已发布", "Published";
        /// Replaced by a later version; still applies to what happened within its window.
        Superseded = "superseded", "已被替代", "Superseded";
        /// Withdrawn before it took effect, or retired without replacement.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

/// The days a published version is in force: from `from`, up to and including `until` if set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(with = "day")]
    pub from: Date,
    #[serde(default, with = "opt_day")]
    pub until: Option<Date>,
}

/// Days as `YYYY-MM-DD` text (also accepted: a TOML date).
pub mod day {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::macros::format_description;
    use time::Date;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]");

    pub fn parse(text: &str) -> Option<Date> {
        Date::parse(text.trim(), FORMAT).ok()
    }

    pub fn format(day: Date) -> String {
        day.format(FORMAT).unwrap_or_default()
    }

    pub fn serialize<S: Serializer>(day: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = DayText::deserialize(d)?.0;
        parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }

    /// A day written as a string, or as a TOML date (which arrives as its text).
    pub(super) struct DayText(pub String);

    impl<'de> Deserialize<'de> for DayText {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = DayText;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a date YYYY-MM-DD")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DayText, E> {
                    Ok(DayText(v.to_owned()))
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<DayText, A::Error> {
                    // toml hands dates over as a one-entry map holding their text.
                    let entry: Option<(String, String)> = map.next_entry()?;
                    entry
                        .map(|(_, v)| DayText(v))
                        .ok_or_else(|| serde::de::Error::custom("empty date"))
                }
            }
            d.deserialize_any(V)
        }
    }
}

/// Optional days as `YYYY-MM-DD` text.
pub mod opt_day {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(day: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(d) => s.serialize_str(&super::day::format(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<super::day::DayText> = Option::deserialize(d)?;
        text.map(|t| {
            super::day::parse(&t.0)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date: {}", t.0)))
        })
        .transpose()
    }
}

impl Window {
    /// A window, or `None` when it ends before it begins.
    pub fn new(from: Date, until: Option<Date>) -> Option<Window> {
        match until {
            Some(u) if u < from => None,
            _ => Some(Window { from, until }),
        }
    }

    /// Whether `day` falls in the window.
    pub fn contains(&self, day: Date) -> bool {
        day >= self.from && self.until.is_none_or(|u| day <= u)
    }

    /// The window closed on the day before `next_from`, when a new version takes over.
    pub fn closed_before(&self, next_from: Date) -> Window {
        let until = next_from.previous_day().unwrap_or(next_from).max(self.from);
        Window {
            from: self.from,
            until: Some(until),
        }
    }
}

/// Whether a version with `status` and `window` is in force on `day` (R17): published or
/// since superseded, and the day within its window.
pub fn in_force(status: PublicationStatus, window: &Window, day: Date) -> bool {
    matches!(
        status,
        PublicationStatus::Published | PublicationStatus::Superseded
    ) && window.contains(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn r17_in_force_only_when_published_and_within_the_window() {
        let w = Window::new(date!(2026 - 01 - 01), Some(date!(2026 - 12 - 31))).unwrap();
        assert!(in_force(
            PublicationStatus::Published,
            &w,
            date!(2026 - 06 - 01)
        ));
        assert!(in_force(
            PublicationStatus::Published,
            &w,
            date!(2026 - 12 - 31)
        ));
        assert!(!in_force(
            PublicationStatus::Published,
            &w,
            date!(2027 - 01 - 01)
        ));
        assert!(!in_force(
            PublicationStatus::Published,
            &w,
            date!(2025 - 12 - 31)
        ));
        assert!(!in_force(
            PublicationStatus::Draft,
            &w,
            date!(2026 - 06 - 01)
        ));
        assert!(!in_force(
            PublicationStatus::Withdrawn,
            &w,
            date!(2026 - 06 - 01)
        ));
        assert!(in_force(
            PublicationStatus::Superseded,
            &w,
            date!(2026 - 06 - 01)
        ));
        assert!(Window::new(date!(2026 - 02 - 01), Some(date!(2026 - 01 - 01))).is_none());
    }

    #[test]
    fn windows_read_from_toml_dates_and_strings() {
        #[derive(serde::Deserialize)]
        struct T {
            w: Window,
        }
        let a: T = toml::from_str("w = { from = 2026-01-01, until = \"2026-12-31\" }").unwrap();
        assert_eq!(
            a.w,
            Window::new(date!(2026 - 01 - 01), Some(date!(2026 - 12 - 31))).unwrap()
        );
        let json = serde_json::to_string(&a.w).unwrap();
        assert_eq!(json, r#"{"from":"2026-01-01","until":"2026-12-31"}"#);
        assert!(toml::from_str::<T>("w = { from = \"2026-13-01\" }").is_err());
    }

    #[test]
    fn superseding_closes_the_window_the_day_before() {
        let w = Window::new(date!(2026 - 01 - 01), None).unwrap();
        let closed = w.closed_before(date!(2026 - 09 - 01));
        assert_eq!(closed.until, Some(date!(2026 - 08 - 31)));
        assert!(!closed.contains(date!(2026 - 09 - 01)));
    }
}

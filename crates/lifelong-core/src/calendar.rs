//! Working days (R15): review decisions are due within a number of working days. Weekends are
//! days off unless the calendar says a weekend day is worked (调休); public holidays are days
//! off. The calendar is data maintained by the bank.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

/// Exceptions to "Monday to Friday": public holidays and worked weekend days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// `true`: a working day (a worked weekend day); `false`: a day off (a holiday).
    days: BTreeMap<Date, bool>,
}

impl WorkCalendar {
    /// A calendar from (date, is working day) exceptions.
    pub fn new(exceptions: impl IntoIterator<Item = (Date, bool)>) -> Self {
        WorkCalendar {
            days: exceptions.into_iter().collect(),
        }
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: Date) -> bool {
        match self.days.get(&day) {
            Some(&working) => working,
            None => !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The day a decision on something received on `received` is due: the `n`th working day
    /// after it (the day of receipt does not count).
    pub fn due_date(&self, received: Date, n: u32) -> Date {
        let mut day = received;
        let mut left = n;
        while left > 0 {
            match day.next_day() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The exceptions, in date order.
    pub fn exceptions(&self) -> impl Iterator<Item = (Date, bool)> + '_ {
        self.days.iter().map(|(d, w)| (*d, *w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn r15_fifteen_working_days_skip_weekends() {
        let c = WorkCalendar::default();
        // Monday 2026-11-23 + 15 working days = Monday 2026-12-14.
        assert_eq!(c.due_date(date!(2026 - 11 - 23), 15), date!(2026 - 12 - 14));
        // Received on a Saturday: the count starts on Monday.
        assert_eq!(c.due_date(date!(2026 - 11 - 21), 1), date!(2026 - 11 - 23));
        assert_eq!(c.due_date(date!(2026 - 11 - 23), 0), date!(2026 - 11 - 23));
    }

    #[test]
    fn r15_holidays_and_worked_weekends_count_as_the_calendar_says() {
        // National Day 2026: 1–7 October off, Saturday 10 October worked (illustrative).
        let mut days: Vec<(Date, bool)> = (1..=7)
            .map(|d| {
                (
                    Date::from_calendar_date(2026, time::Month::October, d).unwrap(),
                    false,
                )
            })
            .collect();
        days.push((date!(2026 - 10 - 10), true));
        let c = WorkCalendar::new(days);
        assert!(!c.is_working_day(date!(2026 - 10 - 05)));
        assert!(c.is_working_day(date!(2026 - 10 - 10)));
        // From Wednesday 30 September: 1 Oct–7 Oct off, so day 1 is Thursday 8 October,
        // day 2 Friday 9, day 3 Saturday 10 (worked).
        assert_eq!(c.due_date(date!(2026 - 09 - 30), 3), date!(2026 - 10 - 10));
    }
}

//! Credits and study hours (R14): exact decimals, never floating point, and the one place
//! where study hours become credits.
//!
//! [`Credits`] keep at most two decimal places and are never negative; [`StudyHours`] keep at
//! most one. Both are stored as integers of their smallest unit (hundredths of a credit, tenths
//! of an hour), so sums in the database are exact too. How many hours make a credit, and to how
//! many decimals a converted value is rounded (always down, so the bank never grants more than
//! was studied), are a [`CreditPolicy`]: data with the default of 16 hours and one decimal.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::{Explain, Lang};

/// Why a number is not a valid amount of credits or hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a number")]
    NotANumber,
    #[error("negative")]
    Negative,
    #[error("too many decimal places")]
    TooPrecise,
    #[error("too large")]
    TooLarge,
}

impl Explain for AmountError {
    fn code(&self) -> &'static str {
        match self {
            AmountError::NotANumber => "amount_not_a_number",
            AmountError::Negative => "amount_negative",
            AmountError::TooPrecise => "amount_too_precise",
            AmountError::TooLarge => "amount_too_large",
        }
    }
    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            AmountError::NotANumber => (
                "请填写数字，例如 2 或 1.5。",
                "Enter a number, such as 2 or 1.5.",
            ),
            AmountError::Negative => ("不能为负数。", "It cannot be negative."),
            AmountError::TooPrecise => (
                "小数位数过多：学分最多两位小数，学时最多一位小数。",
                "Too many decimal places: credits take at most two, hours at most one.",
            ),
            AmountError::TooLarge => ("数值过大。", "The number is too large."),
        };
        lang.pick(zh, en).to_owned()
    }
}

/// The largest amount accepted (credits or hours): far above any real qualification.
const MAX_AMOUNT: i64 = 100_000;

fn parse_amount(text: &str, scale: u32) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.contains(['e', 'E']) {
        return Err(AmountError::NotANumber);
    }
    let value: Decimal = trimmed.parse().map_err(|_| AmountError::NotANumber)?;
    checked(value, scale)
}

fn checked(value: Decimal, scale: u32) -> Result<Decimal, AmountError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    if value > Decimal::from(MAX_AMOUNT) {
        return Err(AmountError::TooLarge);
    }
    let normal = value.normalize();
    if normal.scale() > scale {
        return Err(AmountError::TooPrecise);
    }
    let mut fixed = normal;
    fixed.rescale(scale);
    Ok(fixed)
}

macro_rules! amount_type {
    ($(#[$doc:meta])* $name:ident, $scale:expr, $unit:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(Decimal);

        impl $name {
            /// Nothing.
            pub const ZERO: $name = $name(Decimal::ZERO);
            /// Decimal places kept.
            pub const SCALE: u32 = $scale;

            /// Parses a decimal such as `2`, `1.5` or `0.25`.
            pub fn parse(text: &str) -> Result<Self, AmountError> {
                parse_amount(text, $scale).map($name)
            }

            /// From an exact decimal.
            pub fn from_decimal(value: Decimal) -> Result<Self, AmountError> {
                checked(value, $scale).map($name)
            }

            /// From a whole number.
            pub fn whole(n: u32) -> Self {
                let mut d = Decimal::from(n);
                d.rescale($scale);
                $name(d)
            }


            #[doc = concat!("From the integer count of ", $unit, " it is stored as.")]
            pub fn from_units(units: i64) -> Result<Self, AmountError> {
                if units < 0 {
                    return Err(AmountError::Negative);
                }
                checked(Decimal::new(units, $scale), $scale).map($name)
            }

            #[doc = concat!("The integer count of ", $unit, ", as stored.")]
            pub fn units(self) -> i64 {
                let mut d = self.0;
                d.rescale($scale);
                d.mantissa().to_i64().unwrap_or(i64::MAX)
            }

            /// The exact value.
            pub fn decimal(self) -> Decimal {
                self.0
            }

            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }

            /// `self - other`, or zero when `other` is larger.
            pub fn saturating_sub(self, other: Self) -> Self {
                if other.0 >= self.0 {
                    Self::ZERO
                } else {
                    $name(self.0 - other.0)
                }
            }
        }

        impl Add for $name {
            type Output = $name;
            fn add(self, other: $name) -> $name {
                $name(self.0 + other.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, other: $name) {
                self.0 += other.0;
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                iter.fold($name::ZERO, |a, b| a + b)
            }
        }

        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                iter.fold($name::ZERO, |a, b| a + *b)
            }
        }

        /// Written without trailing zeros: `2`, `1.5`, `0.25`.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.normalize(), f)
            }
        }

        /// Serialised as a JSON string (`"1.5"`), so no client reads it as a float.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        /// Read from a string or a JSON number (numbers are read from their text, exactly).
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = AmountText::deserialize(d)?;
                let text = match value {
                    AmountText::Text(t) => t,
                    AmountText::Int(i) => i.to_string(),
                    AmountText::Float(f) => f.to_string(),
                };
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AmountText {
    Text(String),
    Int(i64),
    Float(f64),
}

amount_type!(
    /// An amount of credits (学分): exact, at most two decimals, never negative.
    Credits,
    2,
    "hundredths of a credit"
);

amount_type!(
    /// An amount of study hours (学时): exact, at most one decimal, never negative.
    StudyHours,
    1,
    "tenths of an hour"
);

impl Credits {
    /// `percent`% of these credits, rounded down to the hundredth (a cap never rounds up).
    pub fn percent(self, percent: Decimal) -> Credits {
        let value = (self.0 * percent / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(2, RoundingStrategy::ToZero);
        Credits(value.max(Decimal::ZERO))
    }
}

/// How study hours become credits (R14). Data, with the default of 16 hours per credit,
/// rounded down to one decimal place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPolicy {
    /// Study hours that make one credit (16–18 in the published practice).
    pub hours_per_credit: u32,
    /// Decimal places a converted amount keeps (0–2), rounding down.
    pub decimals: u32,
}

impl Default for CreditPolicy {
    fn default() -> Self {
        CreditPolicy {
            hours_per_credit: 16,
            decimals: 1,
        }
    }
}

impl CreditPolicy {
    /// Whether the policy is one the bank may run with: 16–18 hours per credit (R14), 0–2 decimals.
    pub fn validate(&self) -> Result<(), &'static str> {
        if !(16..=18).contains(&self.hours_per_credit) {
            return Err("hours_per_credit must be between 16 and 18 (R14)");
        }
        if self.decimals > 2 {
            return Err("decimals must be 0, 1 or 2");
        }
        Ok(())
    }

    /// The credits these hours are worth, rounded down.
    pub fn credits_for(&self, hours: StudyHours) -> Credits {
        let per = Decimal::from(self.hours_per_credit.max(1));
        let mut value =
            (hours.0 / per).round_dp_with_strategy(self.decimals, RoundingStrategy::ToZero);
        value.rescale(2);
        Credits(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimals() {
        assert_eq!(Credits::parse("1.5").unwrap().units(), 150);
        assert_eq!(Credits::parse(" 2 ").unwrap().to_string(), "2");
        assert_eq!(Credits::parse("0.25").unwrap().to_string(), "0.25");
        assert_eq!(Credits::parse("3.10").unwrap().to_string(), "3.1");
        assert_eq!(Credits::parse("0.125"), Err(AmountError::TooPrecise));
        assert_eq!(Credits::parse("-1"), Err(AmountError::Negative));
        assert_eq!(Credits::parse("1e3"), Err(AmountError::NotANumber));
        assert_eq!(Credits::parse("abc"), Err(AmountError::NotANumber));
        assert_eq!(Credits::parse(""), Err(AmountError::NotANumber));
        assert_eq!(Credits::parse("100001"), Err(AmountError::TooLarge));
        assert_eq!(StudyHours::parse("2.5").unwrap().units(), 25);
        assert_eq!(StudyHours::parse("2.55"), Err(AmountError::TooPrecise));
        assert_eq!(
            Credits::from_units(150).unwrap(),
            Credits::parse("1.5").unwrap()
        );
        assert_eq!(Credits::whole(3).units(), 300);
    }

    #[test]
    fn sums_are_exact() {
        // 0.1 + 0.2 is 0.3 exactly, which floating point does not manage.
        let a = Credits::parse("0.1").unwrap();
        let b = Credits::parse("0.2").unwrap();
        assert_eq!(a + b, Credits::parse("0.3").unwrap());
        let total: Credits = std::iter::repeat_n(a, 10).sum();
        assert_eq!(total, Credits::whole(1));
    }

    #[test]
    fn r14_sixteen_hours_make_a_credit_rounded_down() {
        let policy = CreditPolicy::default();
        let credits = |h: &str| {
            policy
                .credits_for(StudyHours::parse(h).unwrap())
                .to_string()
        };
        assert_eq!(credits("16"), "1");
        assert_eq!(credits("24"), "1.5");
        assert_eq!(credits("10"), "0.6"); // 0.625 rounds down
        assert_eq!(credits("15.9"), "0.9");
        assert_eq!(credits("0"), "0");
        let eighteen = CreditPolicy {
            hours_per_credit: 18,
            decimals: 2,
        };
        assert_eq!(
            eighteen.credits_for(StudyHours::whole(27)).to_string(),
            "1.5"
        );
        assert_eq!(
            eighteen.credits_for(StudyHours::whole(10)).to_string(),
            "0.55"
        );
    }

    #[test]
    fn r14_policy_outside_16_to_18_hours_is_refused() {
        assert!(CreditPolicy::default().validate().is_ok());
        assert!(CreditPolicy {
            hours_per_credit: 15,
            decimals: 1
        }
        .validate()
        .is_err());
        assert!(CreditPolicy {
            hours_per_credit: 19,
            decimals: 1
        }
        .validate()
        .is_err());
        assert!(CreditPolicy {
            hours_per_credit: 16,
            decimals: 3
        }
        .validate()
        .is_err());
    }

    #[test]
    fn percent_rounds_down() {
        let c = Credits::parse("80").unwrap();
        assert_eq!(c.percent(Decimal::from(35)).to_string(), "28");
        let odd = Credits::parse("10.1").unwrap();
        assert_eq!(odd.percent(Decimal::from(35)).to_string(), "3.53"); // 3.535
    }

    #[test]
    fn serialises_as_strings_and_reads_numbers_exactly() {
        let c = Credits::parse("1.5").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"1.5\"");
        assert_eq!(
            serde_json::from_str::<Credits>("\"2.25\"").unwrap().units(),
            225
        );
        assert_eq!(serde_json::from_str::<Credits>("3").unwrap().units(), 300);
        assert_eq!(serde_json::from_str::<Credits>("0.1").unwrap().units(), 10);
        assert!(serde_json::from_str::<Credits>("-2").is_err());
    }
}

//! Turning what a person typed (a form, a JSON body, a file row) into a valid [`Outcome`], with
//! a field error for everything wrong. The same checks serve every way of depositing.

use lifelong_core::credits::{Credits, StudyHours};
use lifelong_core::framework::Level;
use lifelong_core::outcome::{
    CreditCategory, Industry, LearningMode, Outcome, OutcomeClass, OutcomeKind,
};
use lifelong_core::publication::day;
use rust_decimal::Decimal;
use serde::Deserialize;
use time::Date;

use crate::error::FieldError;

/// An outcome as submitted: every field as text, checked by [`OutcomeInput::parse`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutcomeInput {
    pub title: String,
    /// An [`OutcomeKind`] code.
    pub kind: String,
    pub class: Option<String>,
    pub category: Option<String>,
    pub industry: Option<String>,
    pub level: Option<String>,
    pub mode: Option<String>,
    /// `YYYY-MM-DD`.
    pub completed_on: String,
    pub hours: Option<String>,
    pub credits: Option<String>,
    pub score: Option<String>,
    /// `true` unless said otherwise; files may say 是/否, 合格/不合格, pass/fail.
    pub passed: Option<String>,
    pub certificate_code: Option<String>,
    pub certificate_level: Option<String>,
    pub course_code: Option<String>,
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn err(field: &'static str, code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::text(field, code, zh, en)
}

/// A code of a closed set, by code or by either language's label.
fn coded<T: Copy>(
    value: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, lifelong_core::Lang) -> &'static str,
) -> Option<T> {
    let v = value.trim();
    all.iter().copied().find(|&x| {
        code(x) == v
            || label(x, lifelong_core::Lang::Zh) == v
            || label(x, lifelong_core::Lang::En).eq_ignore_ascii_case(v)
    })
}

fn passed(value: Option<&str>) -> Option<bool> {
    match value.map(|v| v.trim().to_lowercase()) {
        None => Some(true),
        Some(v) => match v.as_str() {
            "" | "true" | "1" | "yes" | "y" | "pass" | "passed" | "是" | "合格" | "通过" => {
                Some(true)
            }
            "false" | "0" | "no" | "n" | "fail" | "failed" | "否" | "不合格" | "未通过" => {
                Some(false)
            }
            _ => None,
        },
    }
}

impl OutcomeInput {
    /// The outcome, or every problem found. `today` bounds the completion date.
    pub fn parse(&self, today: Date) -> Result<Outcome, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push(err(
                "title",
                "title_invalid",
                "请填写成果名称（不超过200字）。",
                "Give the outcome's title (at most 200 characters).",
            ));
        }
        let kind = coded(
            &self.kind,
            OutcomeKind::ALL,
            OutcomeKind::as_str,
            OutcomeKind::label,
        );
        if kind.is_none() {
            errors.push(err(
                "kind",
                "kind_unknown",
                "成果类型无法识别。",
                "The kind of outcome is not one we know.",
            ));
        }
        let class = match text(&self.class) {
            None => None,
            Some(v) => {
                let c = coded(
                    v,
                    OutcomeClass::ALL,
                    OutcomeClass::as_str,
                    OutcomeClass::label,
                );
                if c.is_none() {
                    errors.push(err(
                        "class",
                        "class_unknown",
                        "成果性质须为学历、非学历或无定式。",
                        "The class must be formal, non-formal or informal.",
                    ));
                }
                c
            }
        };
        let category = match text(&self.category) {
            None => None,
            Some(v) => {
                let c = coded(
                    v,
                    CreditCategory::ALL,
                    CreditCategory::as_str,
                    CreditCategory::label,
                );
                if c.is_none() {
                    errors.push(err(
                        "category",
                        "category_unknown",
                        "学分类别须为学历教育、职业培训或文化休闲。",
                        "The category must be academic, vocational or leisure.",
                    ));
                }
                c
            }
        };
        let industry = match text(&self.industry) {
            None => None,
            Some(v) => {
                let i = Industry::by_code(v).map(|i| i.code);
                if i.is_none() {
                    errors.push(err(
                        "industry",
                        "industry_unknown",
                        "行业门类须为 A–T 之一。",
                        "The industry must be a section letter A–T.",
                    ));
                }
                i
            }
        };
        let level = match text(&self.level) {
            None => None,
            Some(v) => {
                let l = Level::parse(v);
                if l.is_none() {
                    errors.push(err(
                        "level",
                        "level_invalid",
                        "级别须为 1–10 的整数。",
                        "The level must be a whole number from 1 to 10.",
                    ));
                }
                l
            }
        };
        let mode = match text(&self.mode) {
            None => Some(LearningMode::Classroom),
            Some(v) => {
                let m = coded(
                    v,
                    LearningMode::ALL,
                    LearningMode::as_str,
                    LearningMode::label,
                );
                if m.is_none() {
                    errors.push(err(
                        "mode",
                        "mode_unknown",
                        "学习方式无法识别。",
                        "The mode of learning is not one we know.",
                    ));
                }
                m
            }
        };
        let completed_on = match day::parse(&self.completed_on) {
            Some(d) if d <= today => Some(d),
            Some(_) => {
                errors.push(err(
                    "completed_on",
                    "date_in_future",
                    "完成日期不能晚于今天。",
                    "The completion date cannot be in the future.",
                ));
                None
            }
            None => {
                errors.push(err(
                    "completed_on",
                    "date_invalid",
                    "完成日期须为 YYYY-MM-DD 格式的真实日期。",
                    "The completion date must be a real date, YYYY-MM-DD.",
                ));
                None
            }
        };
        let hours = match text(&self.hours).map(StudyHours::parse) {
            None => None,
            Some(Ok(h)) => Some(h),
            Some(Err(e)) => {
                errors.push(FieldError::new("hours", &e));
                None
            }
        };
        let credits = match text(&self.credits).map(Credits::parse) {
            None => None,
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                errors.push(FieldError::new("credits", &e));
                None
            }
        };
        let score = match text(&self.score) {
            None => None,
            Some(v) => match v.parse::<Decimal>() {
                Ok(s) if s >= Decimal::ZERO && s <= Decimal::ONE_THOUSAND && s.scale() <= 2 => {
                    Some(s)
                }
                _ => {
                    errors.push(err("score", "score_invalid", "成绩须为 0–1000 的数（按该考核的满分计），最多两位小数。", "The score must be a number from 0 to 1000 (on the assessment's own scale), at most two decimals."));
                    None
                }
            },
        };
        let passed = passed(text(&self.passed));
        if passed.is_none() {
            errors.push(err(
                "passed",
                "passed_invalid",
                "是否合格须填“是”或“否”。",
                "Passed must be yes or no.",
            ));
        }
        let certificate_level = match text(&self.certificate_level) {
            None => None,
            Some(v) => {
                let n = v
                    .trim_end_matches('级')
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (1..=5).contains(n));
                if n.is_none() {
                    errors.push(err(
                        "certificate_level",
                        "certificate_level_invalid",
                        "证书等级须为 1–5（一级最高）。",
                        "The certificate level must be 1 to 5 (1 is the highest).",
                    ));
                }
                n
            }
        };
        let short = |field: &'static str,
                     v: &Option<String>,
                     errors: &mut Vec<FieldError>|
         -> Option<String> {
            let t = text(v)?;
            if t.chars().count() > 64 {
                errors.push(err(
                    field,
                    "code_too_long",
                    "代码不能超过64个字符。",
                    "A code cannot be longer than 64 characters.",
                ));
                return None;
            }
            Some(t.to_owned())
        };
        let certificate_code = short("certificate_code", &self.certificate_code, &mut errors);
        let course_code = short("course_code", &self.course_code, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(kind), Some(mode), Some(completed_on), Some(passed)) =
            (kind, mode, completed_on, passed)
        else {
            return Err(errors);
        };
        Ok(Outcome {
            id: String::new(),
            title: title.to_owned(),
            kind,
            class: class.unwrap_or_else(|| kind.default_class()),
            category: category.unwrap_or_else(|| kind.default_category()),
            industry,
            level,
            mode,
            completed_on,
            hours,
            credits,
            score,
            passed,
            certificate_code,
            certificate_level,
            course_code,
            source: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> OutcomeInput {
        OutcomeInput {
            title: "电工（四级）".into(),
            kind: "skill_certificate".into(),
            completed_on: "2025-06-30".into(),
            certificate_code: Some("6-31-01-03".into()),
            certificate_level: Some("4".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_outcome_takes_its_kinds_defaults() {
        let o = input().parse(date!(2026 - 11 - 23)).unwrap();
        assert_eq!(o.category, CreditCategory::Vocational);
        assert_eq!(o.class, OutcomeClass::NonFormal);
        assert_eq!(o.certificate_level, Some(4));
        assert!(o.passed);
        let by_label = OutcomeInput {
            kind: "职业技能等级证书".into(),
            passed: Some("合格".into()),
            ..input()
        };
        assert_eq!(
            by_label.parse(date!(2026 - 11 - 23)).unwrap().kind,
            OutcomeKind::SkillCertificate
        );
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = OutcomeInput {
            title: " ".into(),
            kind: "diploma-ish".into(),
            completed_on: "2027-01-01".into(),
            hours: Some("-3".into()),
            credits: Some("1.234".into()),
            score: Some("1200".into()),
            passed: Some("maybe".into()),
            certificate_level: Some("7".into()),
            industry: Some("Z".into()),
            level: Some("0".into()),
            ..Default::default()
        };
        let errors = bad.parse(date!(2026 - 11 - 23)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "kind",
                "industry",
                "level",
                "completed_on",
                "hours",
                "credits",
                "score",
                "passed",
                "certificate_level"
            ]
        );
    }
}

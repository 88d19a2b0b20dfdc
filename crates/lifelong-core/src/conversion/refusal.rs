//! The reasons a conversion is refused, with their stable codes, the domain rule behind each, and
//! their messages in both languages (R23).

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use crate::credits::Credits;
use crate::framework::Level;
use crate::lang::{Explain, Lang};
use crate::outcome::OutcomeKind;
use crate::programme::CapBasis;

/// Why an outcome may not replace a course. Serialised with its `code` and values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    /// No conversion rule for the course accepts the outcome (R16, R17).
    NoRule,
    /// A rule accepts the outcome but is not in force on the application day (R17).
    RuleNotInForce {
        rule: String,
        version: u32,
        #[serde(with = "crate::publication::day")]
        on: Date,
    },
    /// The course is a capstone component (R19).
    Capstone,
    /// The outcome's level is below the course's (R20).
    LevelTooLow {
        required: Level,
        actual: Option<Level>,
    },
    /// The outcome's credits are fewer than the course's (R20).
    CreditsTooLow {
        required: Credits,
        actual: Option<Credits>,
    },
    /// Leisure credits never convert into an academic course (R11).
    LeisureIntoAcademic,
    /// The outcome already replaces `course` in this programme (R21).
    OutcomeAlreadyUsed { course: String },
    /// A partner region's bank has already used the outcome (R21).
    ConsumedElsewhere,
    /// The course is already exempted, by `outcome` (R21).
    CourseAlreadyExempt { outcome: String },
    /// The learner has already passed the course.
    CourseAlreadyPassed,
    /// The outcome's validity for conversion ended on `last_valid_day` (R22).
    Expired {
        #[serde(with = "crate::publication::day")]
        last_valid_day: Date,
    },
    /// The outcome is not a pass.
    NotPassed,
    /// The exemption would take a cap past its limit (R18).
    CapExceeded {
        cap: String,
        kinds: Vec<OutcomeKind>,
        percent: Decimal,
        basis: CapBasis,
        limit: Credits,
        used: Credits,
        would_be: Credits,
    },
    /// The learner holds no outcome with the requested id.
    UnknownOutcome,
    /// The programme has no course with the requested code.
    UnknownCourse,
}

impl Refusal {
    /// The domain rule behind the reason, as numbered in `docs/DOMAIN.md`.
    pub fn domain_rule(&self) -> &'static str {
        match self {
            Refusal::NoRule | Refusal::RuleNotInForce { .. } => "R17",
            Refusal::Capstone => "R19",
            Refusal::LevelTooLow { .. } | Refusal::CreditsTooLow { .. } => "R20",
            Refusal::LeisureIntoAcademic => "R11",
            Refusal::OutcomeAlreadyUsed { .. }
            | Refusal::ConsumedElsewhere
            | Refusal::CourseAlreadyExempt { .. } => "R21",
            Refusal::Expired { .. } => "R22",
            Refusal::CapExceeded { .. } => "R18",
            Refusal::CourseAlreadyPassed
            | Refusal::NotPassed
            | Refusal::UnknownOutcome
            | Refusal::UnknownCourse => "R16",
        }
    }
}

/// The name of a cap in plain words: the total cap, or the cap on the given kinds.
pub(crate) fn cap_name(kinds: &[OutcomeKind], lang: Lang) -> String {
    if kinds.is_empty() {
        return lang
            .pick("转换学分总上限", "the cap on converted credits")
            .to_owned();
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.label(lang)).collect();
    match lang {
        Lang::Zh => format!("来自{}的转换学分上限", names.join("、")),
        Lang::En => format!("the cap on credits converted from {}", names.join(", ")),
    }
}

/// What a cap's percentage is of, in plain words.
pub(crate) fn basis_name(basis: CapBasis, lang: Lang) -> &'static str {
    match basis {
        CapBasis::CompulsoryCredits => lang.pick("必修课学分", "the compulsory credits"),
        CapBasis::AwardCredits => lang.pick("毕业所需学分", "the credits the award needs"),
    }
}

impl Explain for Refusal {
    fn code(&self) -> &'static str {
        match self {
            Refusal::NoRule => "no_rule",
            Refusal::RuleNotInForce { .. } => "rule_not_in_force",
            Refusal::Capstone => "capstone",
            Refusal::LevelTooLow { .. } => "level_too_low",
            Refusal::CreditsTooLow { .. } => "credits_too_low",
            Refusal::LeisureIntoAcademic => "leisure_into_academic",
            Refusal::OutcomeAlreadyUsed { .. } => "outcome_already_used",
            Refusal::ConsumedElsewhere => "consumed_elsewhere",
            Refusal::CourseAlreadyExempt { .. } => "course_already_exempt",
            Refusal::CourseAlreadyPassed => "course_already_passed",
            Refusal::Expired { .. } => "expired",
            Refusal::NotPassed => "not_passed",
            Refusal::CapExceeded { .. } => "cap_exceeded",
            Refusal::UnknownOutcome => "unknown_outcome",
            Refusal::UnknownCourse => "unknown_course",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let none = lang.pick("无", "none");
        match self {
            Refusal::NoRule => lang
                .pick(
                    "没有已发布的转换规则允许用该成果免修这门课程。",
                    "No published conversion rule lets this outcome replace this course.",
                )
                .to_owned(),
            Refusal::RuleNotInForce { rule, version, on } => match lang {
                Lang::Zh => format!("转换规则 {rule}（第{version}版）在申请日 {on} 不在有效期内。"),
                Lang::En => format!(
                    "Conversion rule {rule} (version {version}) was not in force on the \
                     application day, {on}."
                ),
            },
            Refusal::Capstone => lang
                .pick(
                    "课程设计、社会调查、毕业设计（论文）等实践环节一律不能免修。",
                    "Capstone components (course design, social survey, graduation project or \
                     thesis) are never exempted.",
                )
                .to_owned(),
            Refusal::LevelTooLow { required, actual } => match (lang, actual) {
                (Lang::Zh, Some(l)) => {
                    format!("成果的资历级别须不低于课程的第{required}级，该成果为第{l}级。")
                }
                (Lang::Zh, None) => {
                    format!("成果的资历级别须不低于课程的第{required}级，该成果未定级。")
                }
                (Lang::En, Some(l)) => format!(
                    "The outcome must be at least at the course's level {required}; it is at \
                     level {l}."
                ),
                (Lang::En, None) => format!(
                    "The outcome must be at least at the course's level {required}; it has no \
                     level."
                ),
            },
            Refusal::CreditsTooLow { required, actual } => {
                let actual = actual.map_or(none.to_owned(), |c| c.to_string());
                match lang {
                    Lang::Zh => {
                        format!("成果的学分须不少于课程的 {required} 学分，该成果为 {actual}。")
                    }
                    Lang::En => format!(
                        "The outcome must carry at least the course's {required} credits; \
                         it carries {actual}."
                    ),
                }
            }
            Refusal::LeisureIntoAcademic => lang
                .pick(
                    "文化休闲类学分不能转换为学历教育课程的学分。",
                    "Leisure credits never convert into an academic course.",
                )
                .to_owned(),
            Refusal::OutcomeAlreadyUsed { course } => match lang {
                Lang::Zh => {
                    format!("该成果已用于免修课程 {course}；同一成果在一个专业中只能使用一次。")
                }
                Lang::En => format!(
                    "The outcome already replaces course {course}; an outcome is used at most \
                     once in a programme."
                ),
            },
            Refusal::ConsumedElsewhere => lang
                .pick(
                    "该成果已被其他地区的学分银行用于转换，不能重复计算。",
                    "Another region's credit bank has already used this outcome; it cannot \
                     count twice.",
                )
                .to_owned(),
            Refusal::CourseAlreadyExempt { outcome } => match lang {
                Lang::Zh => format!("这门课程已凭成果 {outcome} 免修。"),
                Lang::En => format!("The course is already exempted, by outcome {outcome}."),
            },
            Refusal::CourseAlreadyPassed => lang
                .pick(
                    "这门课程已经考核合格，无需免修。",
                    "The course is already passed.",
                )
                .to_owned(),
            Refusal::Expired { last_valid_day } => match lang {
                Lang::Zh => format!("该成果可用于转换的期限已于 {last_valid_day} 届满。"),
                Lang::En => format!(
                    "The outcome could be converted until {last_valid_day}; that time has passed."
                ),
            },
            Refusal::NotPassed => lang
                .pick("该成果未合格。", "The outcome is not a pass.")
                .to_owned(),
            Refusal::CapExceeded {
                kinds,
                percent,
                basis,
                limit,
                used,
                would_be,
                ..
            } => {
                let name = cap_name(kinds, lang);
                let basis = basis_name(*basis, lang);
                let percent = percent.normalize();
                match lang {
                    Lang::Zh => format!(
                        "{name}为 {limit} 学分（{basis}的 {percent}%），已用 {used} 学分，\
                         再免修这门课程将达到 {would_be} 学分，超过上限。"
                    ),
                    Lang::En => {
                        let mut name = name;
                        if let Some(first) = name.get_mut(0..1) {
                            first.make_ascii_uppercase();
                        }
                        format!(
                            "{name} is {limit} credits ({percent}% of {basis}); {used} are used, \
                             and exempting this course would make {would_be}, over the cap."
                        )
                    }
                }
            }
            Refusal::UnknownOutcome => lang
                .pick(
                    "学习者名下没有这项成果。",
                    "The learner holds no such outcome.",
                )
                .to_owned(),
            Refusal::UnknownCourse => lang
                .pick("该专业没有这门课程。", "The programme has no such course.")
                .to_owned(),
        }
    }
}

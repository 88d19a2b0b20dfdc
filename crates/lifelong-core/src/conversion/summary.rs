//! Conversion decisions in plain words, for the learner and the institution (R23): which rule,
//! which outcome, which course, which limit.

use super::refusal::{basis_name, cap_name};
use super::{
    CapUse, ConversionDecision, ConversionPlan, PairDecision, PlannedExemption, Refusal, Refused,
    RuleRef, Verdict,
};
use crate::framework::Text2;
use crate::lang::{Explain, Lang};

/// An outcome named for a person: by its title when it has one (the id stays in the
/// machine-readable form), by its id otherwise.
fn outcome_words(id: &str, title: Option<&str>, lang: Lang) -> String {
    match (title.filter(|t| !t.trim().is_empty()), lang) {
        (Some(t), Lang::Zh) => format!("成果“{t}”"),
        (Some(t), Lang::En) => format!("outcome “{t}”"),
        (None, Lang::Zh) => format!("成果 {id}"),
        (None, Lang::En) => format!("outcome {id}"),
    }
}

fn course_words(code: &str, title: Option<&Text2>, lang: Lang) -> String {
    // A title that only repeats the code says nothing more.
    let title = title
        .map(|t| t.get(lang))
        .filter(|t| !t.trim().is_empty() && t.trim() != code);
    match (title, lang) {
        (Some(t), Lang::Zh) => format!("课程“{t}”（{code}）"),
        (Some(t), Lang::En) => format!("course “{t}” ({code})"),
        (None, Lang::Zh) => format!("课程 {code}"),
        (None, Lang::En) => format!("course {code}"),
    }
}

fn rule_words(rule: &RuleRef, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("转换规则 {}（第{}版）", rule.code, rule.version),
        Lang::En => format!("conversion rule {} (version {})", rule.code, rule.version),
    }
}

fn capitalised(mut text: String) -> String {
    if let Some(first) = text.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    text
}

fn reasons_words(reasons: &[Refusal], lang: Lang) -> String {
    let texts: Vec<String> = reasons.iter().map(|r| r.message(lang)).collect();
    texts.join(lang.pick("", " "))
}

impl Refused {
    /// The refusal in plain words, naming the outcome, the course and the rule.
    pub fn message(&self, lang: Lang) -> String {
        let outcome = outcome_words(&self.outcome_id, Some(&self.outcome_title), lang);
        let reason = match (&self.reason, &self.course_code) {
            (Refusal::NoRule, None) => lang
                .pick(
                    "本专业没有接受该成果的已发布转换规则。",
                    "No published conversion rule of this programme accepts it.",
                )
                .to_owned(),
            (reason, _) => reason.message(lang),
        };
        let mut head = outcome;
        if let Some(code) = &self.course_code {
            let course = course_words(code, self.course_title.as_ref(), lang);
            head = match lang {
                Lang::Zh => format!("{head}免修{course}"),
                Lang::En => format!("{head} for {course}"),
            };
        }
        if let Some(rule) = &self.rule {
            let rule = rule_words(rule, lang);
            head = match lang {
                Lang::Zh => format!("{head}，依据{rule}"),
                Lang::En => format!("{head}, under {rule}"),
            };
        }
        match lang {
            Lang::Zh => format!("{head}：{reason}"),
            Lang::En => format!("{}: {reason}", capitalised(head)),
        }
    }
}

impl CapUse {
    /// The cap's name and what it is, in plain words.
    pub fn label(&self, lang: Lang) -> String {
        let name = cap_name(&self.kinds, lang);
        let basis = basis_name(self.basis, lang);
        let percent = self.percent.normalize();
        match lang {
            Lang::Zh => format!("{name}（{basis}的 {percent}%）"),
            Lang::En => format!("{} ({percent}% of {basis})", capitalised(name)),
        }
    }

    /// The use of the cap in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        let label = self.label(lang);
        match lang {
            Lang::Zh => format!(
                "{label}为 {} 学分，原已使用 {} 学分，现已使用 {} 学分。",
                self.limit, self.used_before, self.used_now
            ),
            Lang::En => format!(
                "{label}: {} credits; {} were used before, {} are used now.",
                self.limit, self.used_before, self.used_now
            ),
        }
    }
}

impl PlannedExemption {
    /// The exemption in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        let course = course_words(&self.course_code, Some(&self.course_title), lang);
        let outcome = outcome_words(&self.outcome_id, Some(&self.outcome_title), lang);
        let rule = rule_words(
            &RuleRef {
                code: self.rule_code.clone(),
                version: self.rule_version,
            },
            lang,
        );
        match lang {
            Lang::Zh => format!(
                "{course}凭{outcome}免修，记 {} 学分，成绩“{}”，依据{rule}。",
                self.credits, self.grade
            ),
            Lang::En => format!(
                "{} is exempted by {outcome}: {} credits recorded with the grade “{}” (exempt), \
                 under {rule}.",
                capitalised(course),
                self.credits,
                self.grade
            ),
        }
    }
}

impl ConversionPlan {
    /// The plan in plain words: what is exempted, how the caps stand, and what is left unused.
    pub fn summary(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if self.exemptions.is_empty() {
            parts.push(
                lang.pick(
                    "目前没有可以免修的课程。",
                    "No course can be exempted at present.",
                )
                .to_owned(),
            );
        } else {
            parts.push(match lang {
                Lang::Zh => format!(
                    "可免修 {} 门课程，共 {} 学分：",
                    self.exemptions.len(),
                    self.total
                ),
                Lang::En => format!(
                    "{} course(s) can be exempted, {} credits in all:",
                    self.exemptions.len(),
                    self.total
                ),
            });
            parts.extend(self.exemptions.iter().map(|e| e.summary(lang)));
        }
        parts.extend(self.caps.iter().map(|c| c.summary(lang)));
        if !self.refusals.is_empty() {
            parts.push(
                lang.pick("以下成果或课程未能转换：", "Not converted:")
                    .to_owned(),
            );
            parts.extend(self.refusals.iter().map(|r| r.message(lang)));
        }
        if !self.exhaustive {
            parts.push(
                lang.pick(
                    "（组合太多，未能逐一比较；这是在计算限度内找到的最好方案。）",
                    "(There were too many combinations to compare them all; this is the best \
                     plan found within the limit.)",
                )
                .to_owned(),
            );
        }
        parts.join("\n")
    }
}

impl PairDecision {
    /// The decision on this pair in plain words.
    pub fn summary(&self, lang: Lang) -> String {
        match &self.verdict {
            Verdict::Accepted { exemption } => match lang {
                Lang::Zh => format!("同意。{}", exemption.summary(lang)),
                Lang::En => format!("Accepted. {}", exemption.summary(lang)),
            },
            Verdict::Refused { rule, reasons } => {
                let outcome = outcome_words(&self.outcome_id, self.outcome_title.as_deref(), lang);
                let course = course_words(&self.course_code, self.course_title.as_ref(), lang);
                let rule = rule.as_ref().map(|r| rule_words(r, lang));
                let why = reasons_words(reasons, lang);
                match (lang, rule) {
                    (Lang::Zh, Some(rule)) => {
                        format!("不同意以{outcome}免修{course}（依据{rule}）：{why}")
                    }
                    (Lang::Zh, None) => format!("不同意以{outcome}免修{course}：{why}"),
                    (Lang::En, Some(rule)) => {
                        format!("Refused: {outcome} for {course}, under {rule}: {why}")
                    }
                    (Lang::En, None) => format!("Refused: {outcome} for {course}: {why}"),
                }
            }
        }
    }
}

impl ConversionDecision {
    /// The decision in plain words, one line per pair, then the caps.
    pub fn summary(&self, lang: Lang) -> String {
        let mut lines: Vec<String> = self.decisions.iter().map(|d| d.summary(lang)).collect();
        lines.extend(self.caps.iter().map(|c| c.summary(lang)));
        lines.join("\n")
    }
}

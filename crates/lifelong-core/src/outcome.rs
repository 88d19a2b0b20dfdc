//! Learning outcomes (学习成果) and how they are classed (R7, R10, R11): formal, non-formal or
//! informal; the credit category; the kind of outcome; the mode of learning; the industry
//! (national industry classification, 门类 A–T). An [`Outcome`] is what an institution deposits
//! or a learner applies with: what was learned, how, when, the result, and who vouches for it.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::credits::{Credits, StudyHours};
use crate::framework::Level;
use crate::lang::Lang;

/// Declares a closed set of codes with labels in both languages: the enum, `ALL`, `as_str`,
/// `parse` and `label`. Codes are the serde form and never change.
macro_rules! coded_enum {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// Stable code, the same as the serde form.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The value with this code, if any.
            pub fn parse(code: &str) -> Option<Self> {
                match code.trim() { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// Label for people.
            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match self { $( $name::$variant => lang.pick($zh, $en), )+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// Formal, non-formal or informal learning (R10).
    OutcomeClass {
        /// Leads to a state-recognised diploma or degree (学历教育).
        Formal = "formal", "学历", "Formal";
        /// Organised learning that leads to no diploma (非学历): training, certificates, courses.
        NonFormal = "non_formal", "非学历", "Non-formal";
        /// Learning from work, life and experience (无定式).
        Informal = "informal", "无定式", "Informal";
    }
);

coded_enum!(
    /// Shanghai's three credit categories (R11).
    CreditCategory {
        Academic = "academic", "学历教育", "Academic";
        Vocational = "vocational", "职业培训", "Vocational";
        Leisure = "leisure", "文化休闲", "Leisure";
    }
);

coded_enum!(
    /// What kind of outcome it is.
    OutcomeKind {
        /// Credits of a course in a degree or diploma programme.
        CourseCredit = "course_credit", "课程学分", "Course credit";
        /// A diploma or degree.
        Diploma = "diploma", "学历证书", "Diploma or degree";
        /// A vocational qualification certificate (职业资格证书).
        VocationalCertificate = "vocational_certificate", "职业资格证书", "Vocational qualification";
        /// A vocational skill level certificate (职业技能等级证书), levels 5 (初级) to 1 (高级技师).
        SkillCertificate = "skill_certificate", "职业技能等级证书", "Skill level certificate";
        /// A national examination certificate (NCRE, CET, 普通话, interpreting …).
        ExamCertificate = "exam_certificate", "考试证书", "Examination certificate";
        /// A self-study examination pass (高等教育自学考试).
        SelfStudyExam = "self_study_exam", "自学考试", "Self-study examination";
        /// Non-formal training with hours.
        Training = "training", "培训", "Training";
        /// A community-college course.
        CommunityCourse = "community_course", "社区教育课程", "Community course";
        /// An elderly-university course.
        ElderlyCourse = "elderly_course", "老年教育课程", "Elderly-university course";
        /// Training given by an employer.
        EnterpriseTraining = "enterprise_training", "企业培训", "Enterprise training";
        /// An online course (MOOC and the like).
        OnlineCourse = "online_course", "在线课程", "Online course";
        /// A competition prize or award.
        Award = "award", "竞赛获奖", "Award";
        /// Volunteering hours.
        Volunteering = "volunteering", "志愿服务", "Volunteering";
        /// Learning activity streamed from a learning platform or a check-in.
        Activity = "activity", "学习活动", "Learning activity";
    }
);

coded_enum!(
    /// How the learning took place (R7).
    LearningMode {
        Classroom = "classroom", "课堂", "Classroom";
        Online = "online", "在线", "Online";
        Blended = "blended", "混合式", "Blended";
        Workplace = "workplace", "岗位实践", "Workplace";
        Team = "team", "学习团队", "Learning team";
        Experience = "experience", "体验学习", "Experience";
        Walk = "walk", "人文行走", "Heritage walk";
        SelfStudy = "self_study", "自学", "Self-study";
    }
);

impl OutcomeKind {
    /// The class an outcome of this kind has unless the depositor says otherwise.
    pub fn default_class(self) -> OutcomeClass {
        match self {
            OutcomeKind::CourseCredit | OutcomeKind::Diploma | OutcomeKind::SelfStudyExam => {
                OutcomeClass::Formal
            }
            OutcomeKind::Award | OutcomeKind::Volunteering | OutcomeKind::Activity => {
                OutcomeClass::Informal
            }
            _ => OutcomeClass::NonFormal,
        }
    }

    /// The credit category an outcome of this kind falls in unless said otherwise.
    pub fn default_category(self) -> CreditCategory {
        match self {
            OutcomeKind::CourseCredit | OutcomeKind::Diploma | OutcomeKind::SelfStudyExam => {
                CreditCategory::Academic
            }
            OutcomeKind::ExamCertificate => CreditCategory::Academic,
            OutcomeKind::VocationalCertificate
            | OutcomeKind::SkillCertificate
            | OutcomeKind::Training
            | OutcomeKind::EnterpriseTraining => CreditCategory::Vocational,
            _ => CreditCategory::Leisure,
        }
    }
}

/// One of the 20 sections (门类) of the national industry classification (GB/T 4754-2017).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Industry {
    /// The section letter, `A` to `T`.
    pub code: char,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

impl Industry {
    /// The section with this letter.
    pub fn by_code(code: &str) -> Option<&'static Industry> {
        let mut chars = code.trim().chars();
        let letter = chars.next()?.to_ascii_uppercase();
        if chars.next().is_some() {
            return None;
        }
        INDUSTRIES.iter().find(|i| i.code == letter)
    }

    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name_zh, self.name_en)
    }
}

const fn industry(code: char, name_zh: &'static str, name_en: &'static str) -> Industry {
    Industry {
        code,
        name_zh,
        name_en,
    }
}

/// The 20 sections of GB/T 4754-2017, in order.
pub const INDUSTRIES: [Industry; 20] = [
    industry(
        'A',
        "农、林、牧、渔业",
        "Agriculture, forestry, animal husbandry and fishery",
    ),
    industry('B', "采矿业", "Mining"),
    industry('C', "制造业", "Manufacturing"),
    industry(
        'D',
        "电力、热力、燃气及水生产和供应业",
        "Electricity, heat, gas and water supply",
    ),
    industry('E', "建筑业", "Construction"),
    industry('F', "批发和零售业", "Wholesale and retail trade"),
    industry(
        'G',
        "交通运输、仓储和邮政业",
        "Transport, storage and postal services",
    ),
    industry('H', "住宿和餐饮业", "Accommodation and catering"),
    industry(
        'I',
        "信息传输、软件和信息技术服务业",
        "Information transmission, software and IT services",
    ),
    industry('J', "金融业", "Finance"),
    industry('K', "房地产业", "Real estate"),
    industry('L', "租赁和商务服务业", "Leasing and business services"),
    industry(
        'M',
        "科学研究和技术服务业",
        "Scientific research and technical services",
    ),
    industry(
        'N',
        "水利、环境和公共设施管理业",
        "Water, environment and public facilities management",
    ),
    industry(
        'O',
        "居民服务、修理和其他服务业",
        "Resident, repair and other services",
    ),
    industry('P', "教育", "Education"),
    industry('Q', "卫生和社会工作", "Health and social work"),
    industry(
        'R',
        "文化、体育和娱乐业",
        "Culture, sports and entertainment",
    ),
    industry(
        'S',
        "公共管理、社会保障和社会组织",
        "Public administration, social security and social organisations",
    ),
    industry('T', "国际组织", "International organisations"),
];

/// A learning outcome as the engines see it: what was learned, how, when, with what result, and
/// who vouches for it. Identifiers are plain strings here; the store gives them their types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The outcome's identifier.
    pub id: String,
    /// What was learned: course, certificate or activity title.
    pub title: String,
    pub kind: OutcomeKind,
    pub class: OutcomeClass,
    pub category: CreditCategory,
    /// Section letter of the national industry classification, if it belongs to one.
    pub industry: Option<char>,
    /// The framework level the source claims, if any.
    pub level: Option<Level>,
    pub mode: LearningMode,
    /// The day the learning was completed or the certificate issued.
    #[serde(with = "crate::publication::day")]
    pub completed_on: Date,
    pub hours: Option<StudyHours>,
    /// Credits the source awarded (course credits), if any.
    pub credits: Option<Credits>,
    /// A score on the assessment's own scale (out of 100 for most; CET is out of 710), if scored.
    pub score: Option<rust_decimal::Decimal>,
    /// Whether the learner passed (a certificate is a pass).
    pub passed: bool,
    /// Certificate name code (e.g. an occupation code such as `4-04-05-01`), if a certificate.
    pub certificate_code: Option<String>,
    /// Certificate level, 1 (highest) to 5, if the certificate has levels.
    pub certificate_level: Option<u8>,
    /// The source's course code, if a course.
    pub course_code: Option<String>,
    /// The vouching institution's unified social credit code, if an institution vouches.
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_twenty_industries_a_to_t() {
        assert_eq!(INDUSTRIES.len(), 20);
        let letters: String = INDUSTRIES.iter().map(|i| i.code).collect();
        assert_eq!(letters, "ABCDEFGHIJKLMNOPQRST");
        assert_eq!(Industry::by_code("p").unwrap().name(Lang::Zh), "教育");
        assert!(Industry::by_code("U").is_none());
        assert!(Industry::by_code("PQ").is_none());
    }

    #[test]
    fn r10_r11_codes_round_trip_and_kinds_have_defaults() {
        for &c in OutcomeClass::ALL {
            assert_eq!(OutcomeClass::parse(c.as_str()), Some(c));
        }
        for &c in CreditCategory::ALL {
            assert_eq!(CreditCategory::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
        for &k in OutcomeKind::ALL {
            assert_eq!(OutcomeKind::parse(k.as_str()), Some(k));
            assert!(!k.label(Lang::Zh).is_empty() && !k.label(Lang::En).is_empty());
        }
        assert_eq!(
            OutcomeKind::SkillCertificate.default_category(),
            CreditCategory::Vocational
        );
        assert_eq!(
            OutcomeKind::ElderlyCourse.default_category(),
            CreditCategory::Leisure
        );
        assert_eq!(
            OutcomeKind::CourseCredit.default_class(),
            OutcomeClass::Formal
        );
        assert_eq!(LearningMode::parse("walk"), Some(LearningMode::Walk));
        assert_eq!(LearningMode::parse("Walk"), None);
    }
}

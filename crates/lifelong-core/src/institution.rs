//! The kinds of institution that take part in the credit bank and the states an institution can be
//! in. Each value has a stable snake_case code (used in storage, APIs and serde) and a label for
//! people in Chinese and English.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// What kind of body an institution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    /// A university or other higher-education institution (普通高校).
    University,
    /// An open university (开放大学), such as the Shanghai Open University.
    OpenUniversity,
    /// A higher or secondary vocational college (职业院校).
    VocationalCollege,
    /// A district community college (社区学院).
    CommunityCollege,
    /// A street or town community school (街镇社区学校).
    CommunitySchool,
    /// An elderly university or elderly school (老年大学).
    ElderlyUniversity,
    /// A training institution (培训机构), including those supervised for prepaid fees.
    TrainingInstitution,
    /// An enterprise that trains its employees (企业).
    Enterprise,
    /// Another region's credit bank (外地学分银行), a partner for cross-region exchange.
    RegionalBank,
}

/// Whether an institution may currently act on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionStatus {
    /// Operating normally.
    Active,
    /// Temporarily barred from acting (e.g. under investigation); may become active again.
    Suspended,
    /// No longer operating; kept for the records it vouched for.
    Closed,
}

impl InstitutionKind {
    /// Every kind, in a stable order for forms and reports.
    pub const ALL: &'static [InstitutionKind] = &[
        InstitutionKind::University,
        InstitutionKind::OpenUniversity,
        InstitutionKind::VocationalCollege,
        InstitutionKind::CommunityCollege,
        InstitutionKind::CommunitySchool,
        InstitutionKind::ElderlyUniversity,
        InstitutionKind::TrainingInstitution,
        InstitutionKind::Enterprise,
        InstitutionKind::RegionalBank,
    ];

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::University => "university",
            InstitutionKind::OpenUniversity => "open_university",
            InstitutionKind::VocationalCollege => "vocational_college",
            InstitutionKind::CommunityCollege => "community_college",
            InstitutionKind::CommunitySchool => "community_school",
            InstitutionKind::ElderlyUniversity => "elderly_university",
            InstitutionKind::TrainingInstitution => "training_institution",
            InstitutionKind::Enterprise => "enterprise",
            InstitutionKind::RegionalBank => "regional_bank",
        }
    }

    /// The kind with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.as_str() == code)
    }

    /// Label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            InstitutionKind::University => ("普通高校", "University"),
            InstitutionKind::OpenUniversity => ("开放大学", "Open university"),
            InstitutionKind::VocationalCollege => ("职业院校", "Vocational college"),
            InstitutionKind::CommunityCollege => ("社区学院", "Community college"),
            InstitutionKind::CommunitySchool => ("街镇社区学校", "Community school"),
            InstitutionKind::ElderlyUniversity => ("老年大学", "Elderly university"),
            InstitutionKind::TrainingInstitution => ("培训机构", "Training institution"),
            InstitutionKind::Enterprise => ("企业", "Enterprise"),
            InstitutionKind::RegionalBank => ("外地学分银行", "Partner credit bank"),
        };
        lang.pick(zh, en)
    }
}

impl InstitutionStatus {
    /// Every status, in lifecycle order.
    pub const ALL: &'static [InstitutionStatus] = &[
        InstitutionStatus::Active,
        InstitutionStatus::Suspended,
        InstitutionStatus::Closed,
    ];

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionStatus::Active => "active",
            InstitutionStatus::Suspended => "suspended",
            InstitutionStatus::Closed => "closed",
        }
    }

    /// The status with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == code)
    }

    /// Label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            InstitutionStatus::Active => ("正常", "Active"),
            InstitutionStatus::Suspended => ("已暂停", "Suspended"),
            InstitutionStatus::Closed => ("已关闭", "Closed"),
        };
        lang.pick(zh, en)
    }

    /// Whether the institution may act (open accounts, deposit outcomes, publish courses).
    pub fn is_active(self) -> bool {
        self == InstitutionStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use serde::de::IntoDeserializer;

    fn from_serde<'de, T: Deserialize<'de>>(code: &'de str) -> T {
        let de: StrDeserializer<'de, ValueError> = code.into_deserializer();
        T::deserialize(de).unwrap()
    }

    #[test]
    fn kind_codes_round_trip_through_parse_and_serde() {
        assert_eq!(InstitutionKind::ALL.len(), 9);
        for &kind in InstitutionKind::ALL {
            assert_eq!(InstitutionKind::parse(kind.as_str()), Some(kind));
            assert_eq!(from_serde::<InstitutionKind>(kind.as_str()), kind);
        }
        assert_eq!(InstitutionKind::parse("Open_University"), None);
        assert_eq!(InstitutionKind::parse(""), None);
    }

    #[test]
    fn status_codes_round_trip_through_parse_and_serde() {
        for &status in InstitutionStatus::ALL {
            assert_eq!(InstitutionStatus::parse(status.as_str()), Some(status));
            assert_eq!(from_serde::<InstitutionStatus>(status.as_str()), status);
        }
        assert_eq!(InstitutionStatus::parse("open"), None);
    }

    #[test]
    fn labels_are_distinct_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let mut labels: Vec<_> = InstitutionKind::ALL.iter().map(|k| k.label(lang)).collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), InstitutionKind::ALL.len());
        }
        assert_eq!(InstitutionKind::OpenUniversity.label(Lang::Zh), "开放大学");
        assert_eq!(
            InstitutionKind::OpenUniversity.label(Lang::En),
            "Open university"
        );
        assert_eq!(InstitutionStatus::Suspended.label(Lang::Zh), "已暂停");
    }

    #[test]
    fn only_active_institutions_may_act() {
        assert!(InstitutionStatus::Active.is_active());
        assert!(!InstitutionStatus::Suspended.is_active());
        assert!(!InstitutionStatus::Closed.is_active());
    }
}

//! Consent under PIPL (R4): the kinds of consent a learner (or their guardian) gives, what each is
//! for, and which are required before a learner's data may be processed. Consents themselves are
//! records with withdrawal, kept by the store; this module only decides what is required.

use serde::{Deserialize, Serialize};

use crate::lang::{Explain, Lang};

/// Default age under which a guardian's consent is needed (PIPL art. 31: under 14).
pub const DEFAULT_GUARDIAN_AGE: u32 = 14;

/// A kind of consent, each given separately with its purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Consent to processing personal information for the account and archive.
    PersonalInfo,
    /// Separate consent to processing the ID number, which is sensitive personal information.
    SensitiveIdNumber,
    /// A guardian's separate consent for a learner under the guardian age.
    Guardian,
}

/// Which consents are required, as configurable data (R4). Deserialises from configuration with
/// missing fields taken from the default and unknown fields refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentPolicy {
    /// A learner younger than this (in full years) needs a guardian's consent.
    pub guardian_age: u32,
}

/// A consent that is required has not been given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// This required consent is not among those given.
    #[error("the {} consent has not been given", .0.as_str())]
    Missing(ConsentKind),
}

impl ConsentKind {
    /// Every kind, in the order they are asked for.
    pub const ALL: &'static [ConsentKind] = &[
        ConsentKind::PersonalInfo,
        ConsentKind::SensitiveIdNumber,
        ConsentKind::Guardian,
    ];

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::PersonalInfo => "personal_info",
            ConsentKind::SensitiveIdNumber => "sensitive_id_number",
            ConsentKind::Guardian => "guardian",
        }
    }

    /// The kind with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.as_str() == code)
    }

    /// Short name of the consent for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ConsentKind::PersonalInfo => {
                ("个人信息处理同意", "Consent to use personal information")
            }
            ConsentKind::SensitiveIdNumber => (
                "身份证号码单独同意",
                "Separate consent to use the ID number",
            ),
            ConsentKind::Guardian => ("监护人同意", "Guardian's consent"),
        };
        lang.pick(zh, en)
    }

    /// Why the data is processed, in plain words, shown next to the consent (R4).
    pub fn purpose(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ConsentKind::PersonalInfo => (
                "用于为您开设终身学习账户和学习档案，记录、认定和转换您的学习成果。",
                "To open your lifelong learning account and archive, and to record, recognise and convert your learning outcomes.",
            ),
            ConsentKind::SensitiveIdNumber => (
                "身份证号码属于敏感个人信息，仅用于实名核验，确保一人一个账户。号码加密保存，页面上只显示部分数字。",
                "Your ID number is sensitive. It is used only to check your real name, so that each person has one account. It is stored encrypted and only partly shown.",
            ),
            ConsentKind::Guardian => (
                "学习者年龄较小，依法需要父母或其他监护人同意，才能处理其个人信息。",
                "The learner is a child, so by law a parent or guardian must agree before the learner's personal information is used.",
            ),
        };
        lang.pick(zh, en)
    }
}

impl Default for ConsentPolicy {
    fn default() -> Self {
        Self {
            guardian_age: DEFAULT_GUARDIAN_AGE,
        }
    }
}

impl ConsentPolicy {
    /// The consents required for a learner of `age` full years, in the order they are asked for:
    /// personal information and the ID number always, a guardian's when younger than
    /// [`ConsentPolicy::guardian_age`].
    ///
    /// ```
    /// use lifelong_core::consent::{ConsentKind, ConsentPolicy};
    ///
    /// let policy = ConsentPolicy::default();
    /// assert!(policy.required(13).contains(&ConsentKind::Guardian));
    /// assert!(!policy.required(14).contains(&ConsentKind::Guardian));
    /// ```
    pub fn required(&self, age: u32) -> Vec<ConsentKind> {
        ConsentKind::ALL
            .iter()
            .copied()
            .filter(|&kind| self.requires(kind, age))
            .collect()
    }

    /// The required consents for `age` that are not in `given`, in the order they are asked for.
    pub fn missing(&self, age: u32, given: &[ConsentKind]) -> Vec<ConsentKind> {
        self.required(age)
            .into_iter()
            .filter(|kind| !given.contains(kind))
            .collect()
    }

    /// Succeeds when every consent required for `age` is in `given`; otherwise names the first
    /// one missing.
    pub fn check(&self, age: u32, given: &[ConsentKind]) -> Result<(), ConsentError> {
        match self.missing(age, given).first() {
            Some(&kind) => Err(ConsentError::Missing(kind)),
            None => Ok(()),
        }
    }

    fn requires(&self, kind: ConsentKind, age: u32) -> bool {
        match kind {
            ConsentKind::PersonalInfo | ConsentKind::SensitiveIdNumber => true,
            ConsentKind::Guardian => age < self.guardian_age,
        }
    }
}

impl Explain for ConsentError {
    fn code(&self) -> &'static str {
        match self {
            ConsentError::Missing(ConsentKind::PersonalInfo) => "consent_missing_personal_info",
            ConsentError::Missing(ConsentKind::SensitiveIdNumber) => {
                "consent_missing_sensitive_id_number"
            }
            ConsentError::Missing(ConsentKind::Guardian) => "consent_missing_guardian",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            ConsentError::Missing(ConsentKind::PersonalInfo) => (
                "请先阅读并同意个人信息处理规则",
                "Please read and agree to how your personal information is used.",
            ),
            ConsentError::Missing(ConsentKind::SensitiveIdNumber) => (
                "请单独同意使用您的身份证号码",
                "Please agree separately to the use of your ID number.",
            ),
            ConsentError::Missing(ConsentKind::Guardian) => (
                "该学习者年龄较小，需要父母或其他监护人同意",
                "This learner is a child: a parent or guardian must agree first.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ConsentKind::{Guardian, PersonalInfo, SensitiveIdNumber};

    #[test]
    fn r4_default_guardian_age_is_fourteen() {
        assert_eq!(ConsentPolicy::default().guardian_age, 14);
    }

    #[test]
    fn r4_adults_need_personal_and_id_number_consent() {
        let policy = ConsentPolicy::default();
        assert_eq!(policy.required(14), vec![PersonalInfo, SensitiveIdNumber]);
        assert_eq!(policy.required(90), vec![PersonalInfo, SensitiveIdNumber]);
    }

    #[test]
    fn r4_children_under_fourteen_also_need_a_guardian() {
        let policy = ConsentPolicy::default();
        assert_eq!(
            policy.required(13),
            vec![PersonalInfo, SensitiveIdNumber, Guardian]
        );
        assert_eq!(
            policy.required(0),
            vec![PersonalInfo, SensitiveIdNumber, Guardian]
        );
    }

    #[test]
    fn r4_guardian_age_is_configurable() {
        let policy = ConsentPolicy { guardian_age: 18 };
        assert!(policy.required(17).contains(&Guardian));
        assert!(!policy.required(18).contains(&Guardian));
        let never = ConsentPolicy { guardian_age: 0 };
        assert!(!never.required(0).contains(&Guardian));
    }

    #[test]
    fn r4_check_names_the_first_missing_consent() {
        let policy = ConsentPolicy::default();
        assert_eq!(policy.check(40, &[PersonalInfo, SensitiveIdNumber]), Ok(()));
        assert_eq!(
            policy.check(40, &[SensitiveIdNumber]),
            Err(ConsentError::Missing(PersonalInfo))
        );
        assert_eq!(
            policy.check(40, &[PersonalInfo]),
            Err(ConsentError::Missing(SensitiveIdNumber))
        );
        assert_eq!(
            policy.check(10, &[PersonalInfo, SensitiveIdNumber]),
            Err(ConsentError::Missing(Guardian))
        );
        assert_eq!(
            policy.check(10, &[Guardian, SensitiveIdNumber, PersonalInfo]),
            Ok(())
        );
        assert_eq!(
            policy.missing(10, &[]),
            vec![PersonalInfo, SensitiveIdNumber, Guardian]
        );
    }

    #[test]
    fn r4_extra_consents_do_no_harm() {
        let policy = ConsentPolicy::default();
        assert_eq!(
            policy.check(40, &[Guardian, PersonalInfo, SensitiveIdNumber]),
            Ok(())
        );
    }

    #[test]
    fn kinds_round_trip_and_explain_their_purpose() {
        for &kind in ConsentKind::ALL {
            assert_eq!(ConsentKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.label(Lang::Zh).is_empty());
            assert!(!kind.purpose(Lang::Zh).is_empty());
            assert!(kind.purpose(Lang::En).is_ascii());
        }
        assert_eq!(ConsentKind::parse("guardian_consent"), None);
    }

    #[test]
    fn errors_explain_themselves_with_distinct_codes() {
        let mut codes: Vec<_> = ConsentKind::ALL
            .iter()
            .map(|&kind| ConsentError::Missing(kind).code())
            .collect();
        assert_eq!(
            codes,
            [
                "consent_missing_personal_info",
                "consent_missing_sensitive_id_number",
                "consent_missing_guardian"
            ]
        );
        codes.dedup();
        assert_eq!(codes.len(), 3);
        for &kind in ConsentKind::ALL {
            let error = ConsentError::Missing(kind);
            assert!(!error.message(Lang::Zh).is_empty());
            assert!(error.message(Lang::En).is_ascii());
            assert!(error.to_string().contains(kind.as_str()));
        }
    }

    fn consents() -> impl Strategy<Value = Vec<ConsentKind>> {
        prop::sample::subsequence(ConsentKind::ALL.to_vec(), 0..=ConsentKind::ALL.len())
    }

    proptest! {
        #[test]
        fn r4_guardian_required_exactly_below_guardian_age(age in 0u32..130, guardian_age in 0u32..30) {
            let policy = ConsentPolicy { guardian_age };
            let required = policy.required(age);
            prop_assert!(required.contains(&PersonalInfo));
            prop_assert!(required.contains(&SensitiveIdNumber));
            prop_assert_eq!(required.contains(&Guardian), age < guardian_age);
        }

        #[test]
        fn r4_check_passes_exactly_when_nothing_required_is_missing(
            age in 0u32..130,
            given in consents(),
        ) {
            let policy = ConsentPolicy::default();
            let complete = policy.required(age).iter().all(|kind| given.contains(kind));
            prop_assert_eq!(policy.check(age, &given).is_ok(), complete);
            prop_assert_eq!(policy.missing(age, &given).is_empty(), complete);
        }
    }
}

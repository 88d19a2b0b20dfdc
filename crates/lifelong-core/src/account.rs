//! The learning account's lifecycle (R6): the states an account passes through, the pure
//! transitions between them, and who may apply for recognition or conversion. Also where an account
//! came from.
//!
//! One natural person has one account (R5); that uniqueness is on the verified ID number and is
//! enforced by the store, not here.
//!
//! ```text
//! Registered ──verify──▶ Verified
//!     │                     │
//!     └──freeze──▶ Frozen ◀─┘        unfreeze: back to Verified or Registered
//! any state but Closed ──close──▶ Closed (final)
//! ```

use serde::{Deserialize, Serialize};

use crate::lang::{Explain, Lang};

/// Where an account is in its lifecycle. A new account is [`AccountStatus::Registered`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Created, real name not yet verified. Can see its archive but not apply (R6).
    #[default]
    Registered,
    /// Real name verified by single sign-on or by a reviewer against documents.
    Verified,
    /// Suspended by a reviewer or administrator; nothing can be applied for.
    Frozen,
    /// Closed for good; kept only for the records.
    Closed,
}

/// How an account came to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountOrigin {
    /// The learner registered on the platform.
    SelfRegistered,
    /// An institution opened it for one of its members, singly or in bulk (R6).
    Institution,
    /// Created on first login through the city's single sign-on.
    SingleSignOn,
}

/// Why an account cannot make a transition or do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Verification was asked for an account that is already verified.
    #[error("the account is already verified")]
    AlreadyVerified,
    /// The account must be verified first (R6).
    #[error("the account has not been verified")]
    NotVerified,
    /// The account is frozen; it must be unfrozen first.
    #[error("the account is frozen")]
    Frozen,
    /// Freezing was asked for an account that is already frozen.
    #[error("the account is already frozen")]
    AlreadyFrozen,
    /// Unfreezing was asked for an account that is not frozen.
    #[error("the account is not frozen")]
    NotFrozen,
    /// The account is closed; nothing more can happen to it.
    #[error("the account is closed")]
    Closed,
}

impl AccountStatus {
    /// Every status, in lifecycle order.
    pub const ALL: &'static [AccountStatus] = &[
        AccountStatus::Registered,
        AccountStatus::Verified,
        AccountStatus::Frozen,
        AccountStatus::Closed,
    ];

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Registered => "registered",
            AccountStatus::Verified => "verified",
            AccountStatus::Frozen => "frozen",
            AccountStatus::Closed => "closed",
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
            AccountStatus::Registered => ("待实名核验", "Awaiting verification"),
            AccountStatus::Verified => ("已实名", "Verified"),
            AccountStatus::Frozen => ("已冻结", "Frozen"),
            AccountStatus::Closed => ("已注销", "Closed"),
        };
        lang.pick(zh, en)
    }

    /// Real-name verification: only a registered account becomes verified.
    pub fn verify(self) -> Result<Self, AccountError> {
        match self {
            AccountStatus::Registered => Ok(AccountStatus::Verified),
            AccountStatus::Verified => Err(AccountError::AlreadyVerified),
            AccountStatus::Frozen => Err(AccountError::Frozen),
            AccountStatus::Closed => Err(AccountError::Closed),
        }
    }

    /// Freezes a registered or verified account.
    pub fn freeze(self) -> Result<Self, AccountError> {
        match self {
            AccountStatus::Registered | AccountStatus::Verified => Ok(AccountStatus::Frozen),
            AccountStatus::Frozen => Err(AccountError::AlreadyFrozen),
            AccountStatus::Closed => Err(AccountError::Closed),
        }
    }

    /// Unfreezes a frozen account, back to the state it was frozen from. The status alone does not
    /// remember that, so the caller says whether the account had been verified before it was
    /// frozen (e.g. from the recorded verification time).
    pub fn unfreeze(self, was_verified: bool) -> Result<Self, AccountError> {
        match self {
            AccountStatus::Frozen if was_verified => Ok(AccountStatus::Verified),
            AccountStatus::Frozen => Ok(AccountStatus::Registered),
            AccountStatus::Registered | AccountStatus::Verified => Err(AccountError::NotFrozen),
            AccountStatus::Closed => Err(AccountError::Closed),
        }
    }

    /// Closes an account for good, from any state but closed.
    pub fn close(self) -> Result<Self, AccountError> {
        match self {
            AccountStatus::Closed => Err(AccountError::Closed),
            _ => Ok(AccountStatus::Closed),
        }
    }

    /// Whether the account may apply for recognition or conversion: only when verified (R6).
    pub fn may_apply(self) -> bool {
        self == AccountStatus::Verified
    }

    /// Like [`AccountStatus::may_apply`], with the reason when it may not, for explanations.
    pub fn check_may_apply(self) -> Result<(), AccountError> {
        match self {
            AccountStatus::Verified => Ok(()),
            AccountStatus::Registered => Err(AccountError::NotVerified),
            AccountStatus::Frozen => Err(AccountError::Frozen),
            AccountStatus::Closed => Err(AccountError::Closed),
        }
    }
}

impl AccountOrigin {
    /// Every origin.
    pub const ALL: &'static [AccountOrigin] = &[
        AccountOrigin::SelfRegistered,
        AccountOrigin::Institution,
        AccountOrigin::SingleSignOn,
    ];

    /// Stable snake_case code, the same as the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountOrigin::SelfRegistered => "self_registered",
            AccountOrigin::Institution => "institution",
            AccountOrigin::SingleSignOn => "single_sign_on",
        }
    }

    /// The origin with this code, if any.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|origin| origin.as_str() == code)
    }

    /// Label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            AccountOrigin::SelfRegistered => ("本人注册", "Registered by the learner"),
            AccountOrigin::Institution => ("机构开户", "Opened by an institution"),
            AccountOrigin::SingleSignOn => ("统一身份认证登录", "Single sign-on"),
        };
        lang.pick(zh, en)
    }
}

impl Explain for AccountError {
    fn code(&self) -> &'static str {
        match self {
            AccountError::AlreadyVerified => "account_already_verified",
            AccountError::NotVerified => "account_not_verified",
            AccountError::Frozen => "account_frozen",
            AccountError::AlreadyFrozen => "account_already_frozen",
            AccountError::NotFrozen => "account_not_frozen",
            AccountError::Closed => "account_closed",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            AccountError::AlreadyVerified => (
                "该账户已完成实名核验，无需再次核验",
                "This account is already verified.",
            ),
            AccountError::NotVerified => (
                "请先完成实名核验，再提交申请",
                "Please verify your real name first, then apply.",
            ),
            AccountError::Frozen => (
                "该账户已被冻结，暂时不能办理，请联系学分银行",
                "This account is frozen, so this cannot be done now. Please contact the credit bank.",
            ),
            AccountError::AlreadyFrozen => ("该账户已经是冻结状态", "This account is already frozen."),
            AccountError::NotFrozen => (
                "该账户没有被冻结，无需解冻",
                "This account is not frozen, so there is nothing to unfreeze.",
            ),
            AccountError::Closed => (
                "该账户已注销，不能再办理",
                "This account is closed, so this cannot be done.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

#[cfg(test)]
mod tests;

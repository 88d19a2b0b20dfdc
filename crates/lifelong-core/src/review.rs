//! Review of deposits and applications (R15): the states an outcome passes through before it
//! counts, and the pure transitions a reviewer makes. A deposit from a trusted institution
//! counts at once; any other deposit, and every learner's own application, waits for review.
//!
//! ```text
//! Pending ──accept──▶ Accepted ──revoke──▶ Revoked
//!    │  ▲                
//!    │  └──(evidence added)── MoreEvidence
//!    ├──ask for evidence──▶ MoreEvidence ──accept / reject──▶ …
//!    └──reject──▶ Rejected
//! ```

use crate::lang::{Explain, Lang};
use crate::outcome::coded_enum;

coded_enum!(
    /// Where an outcome is on its way into the archive.
    OutcomeStatus {
        /// Waiting for a reviewer.
        Pending = "pending", "待审核", "Pending review";
        /// The reviewer asked the learner for more evidence; the clock waits for the learner.
        MoreEvidence = "more_evidence", "待补充材料", "More evidence requested";
        /// It counts and is in the archive.
        Accepted = "accepted", "已入档", "Accepted";
        /// Refused, with a reason.
        Rejected = "rejected", "未通过", "Rejected";
        /// It counted once and was revoked by a later archive entry.
        Revoked = "revoked", "已撤销", "Revoked";
    }
);

coded_enum!(
    /// How an outcome arrived.
    OutcomeOrigin {
        /// Deposited by an institution (form, API or file).
        Deposit = "deposit", "机构存入", "Deposited by an institution";
        /// Applied for by the learner with evidence.
        Application = "application", "个人申请", "Learner's application";
        /// Mapped from learning activity a platform streamed (xAPI).
        Activity = "activity", "学习平台", "Learning platform";
    }
);

coded_enum!(
    /// What a reviewer does with an item in the queue.
    ReviewAction {
        Accept = "accept", "通过", "Accept";
        Reject = "reject", "不通过", "Reject";
        RequestEvidence = "request_evidence", "要求补充材料", "Ask for more evidence";
    }
);

/// Why a review action cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The item was decided already (by this reviewer or another).
    #[error("the item has already been decided")]
    AlreadyDecided,
    /// Rejecting and asking for evidence need a reason the learner can read.
    #[error("a reason is required")]
    ReasonRequired,
    /// Evidence can only be added while the item is open.
    #[error("the item is not open for evidence")]
    NotOpen,
}

impl Explain for ReviewError {
    fn code(&self) -> &'static str {
        match self {
            ReviewError::AlreadyDecided => "already_decided",
            ReviewError::ReasonRequired => "reason_required",
            ReviewError::NotOpen => "not_open",
        }
    }
    fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            ReviewError::AlreadyDecided => (
                "该事项已有审核结论，不能再次审核。",
                "This item has already been decided.",
            ),
            ReviewError::ReasonRequired => (
                "请填写理由，申请人将看到它。",
                "Give a reason; the applicant will read it.",
            ),
            ReviewError::NotOpen => (
                "该事项已结束，不能再补充材料。",
                "This item is closed; no more evidence can be added.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl OutcomeStatus {
    /// Whether a reviewer can still act on it.
    pub fn is_open(self) -> bool {
        matches!(self, OutcomeStatus::Pending | OutcomeStatus::MoreEvidence)
    }

    /// The state after `action`, or why it cannot be taken. `reason` is the reviewer's note.
    pub fn review(self, action: ReviewAction, reason: &str) -> Result<OutcomeStatus, ReviewError> {
        if !self.is_open() {
            return Err(ReviewError::AlreadyDecided);
        }
        match action {
            ReviewAction::Accept => Ok(OutcomeStatus::Accepted),
            ReviewAction::Reject | ReviewAction::RequestEvidence if reason.trim().is_empty() => {
                Err(ReviewError::ReasonRequired)
            }
            ReviewAction::Reject => Ok(OutcomeStatus::Rejected),
            ReviewAction::RequestEvidence => Ok(OutcomeStatus::MoreEvidence),
        }
    }

    /// The state after the learner adds evidence: back in the queue.
    pub fn evidence_added(self) -> Result<OutcomeStatus, ReviewError> {
        if self.is_open() {
            Ok(OutcomeStatus::Pending)
        } else {
            Err(ReviewError::NotOpen)
        }
    }
}

/// R15: whether a new item counts at once (a deposit from a trusted institution) or waits.
pub fn initial_status(origin: OutcomeOrigin, trusted_institution: bool) -> OutcomeStatus {
    match origin {
        OutcomeOrigin::Deposit if trusted_institution => OutcomeStatus::Accepted,
        _ => OutcomeStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r15_trusted_deposits_count_at_once_everything_else_waits() {
        assert_eq!(
            initial_status(OutcomeOrigin::Deposit, true),
            OutcomeStatus::Accepted
        );
        assert_eq!(
            initial_status(OutcomeOrigin::Deposit, false),
            OutcomeStatus::Pending
        );
        assert_eq!(
            initial_status(OutcomeOrigin::Application, true),
            OutcomeStatus::Pending
        );
        assert_eq!(
            initial_status(OutcomeOrigin::Activity, false),
            OutcomeStatus::Pending
        );
    }

    #[test]
    fn r15_a_decided_item_cannot_be_decided_again() {
        use OutcomeStatus as S;
        assert_eq!(S::Pending.review(ReviewAction::Accept, ""), Ok(S::Accepted));
        assert_eq!(
            S::Pending.review(ReviewAction::Reject, "证书编号无法核验"),
            Ok(S::Rejected)
        );
        assert_eq!(
            S::Pending.review(ReviewAction::Reject, "  "),
            Err(ReviewError::ReasonRequired)
        );
        assert_eq!(
            S::Pending.review(ReviewAction::RequestEvidence, "请上传证书"),
            Ok(S::MoreEvidence)
        );
        assert_eq!(
            S::MoreEvidence.review(ReviewAction::Accept, ""),
            Ok(S::Accepted)
        );
        for decided in [S::Accepted, S::Rejected, S::Revoked] {
            for &action in ReviewAction::ALL {
                assert_eq!(
                    decided.review(action, "x"),
                    Err(ReviewError::AlreadyDecided)
                );
            }
            assert_eq!(decided.evidence_added(), Err(ReviewError::NotOpen));
        }
        assert_eq!(S::MoreEvidence.evidence_added(), Ok(S::Pending));
    }
}

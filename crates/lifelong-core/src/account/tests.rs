//! Tests of rule R6 (the account lifecycle).

use super::*;
use proptest::prelude::*;
use AccountStatus::{Closed, Frozen, Registered, Verified};

#[test]
fn r6_accounts_start_registered() {
    assert_eq!(AccountStatus::default(), Registered);
}

#[test]
fn r6_only_registered_accounts_become_verified() {
    assert_eq!(Registered.verify(), Ok(Verified));
    assert_eq!(Verified.verify(), Err(AccountError::AlreadyVerified));
    assert_eq!(Frozen.verify(), Err(AccountError::Frozen));
    assert_eq!(Closed.verify(), Err(AccountError::Closed));
}

#[test]
fn r6_freezing_and_unfreezing_restore_the_earlier_state() {
    assert_eq!(Registered.freeze(), Ok(Frozen));
    assert_eq!(Verified.freeze(), Ok(Frozen));
    assert_eq!(Frozen.freeze(), Err(AccountError::AlreadyFrozen));
    assert_eq!(Closed.freeze(), Err(AccountError::Closed));

    assert_eq!(Frozen.unfreeze(true), Ok(Verified));
    assert_eq!(Frozen.unfreeze(false), Ok(Registered));
    for was_verified in [true, false] {
        assert_eq!(
            Registered.unfreeze(was_verified),
            Err(AccountError::NotFrozen)
        );
        assert_eq!(
            Verified.unfreeze(was_verified),
            Err(AccountError::NotFrozen)
        );
        assert_eq!(Closed.unfreeze(was_verified), Err(AccountError::Closed));
    }
}

#[test]
fn r6_closing_is_final() {
    for status in [Registered, Verified, Frozen] {
        assert_eq!(status.close(), Ok(Closed));
    }
    assert_eq!(Closed.close(), Err(AccountError::Closed));
}

#[test]
fn r6_only_verified_accounts_may_apply() {
    for &status in AccountStatus::ALL {
        assert_eq!(status.may_apply(), status == Verified, "{status:?}");
        assert_eq!(status.check_may_apply().is_ok(), status.may_apply());
    }
    assert_eq!(Registered.check_may_apply(), Err(AccountError::NotVerified));
    assert_eq!(Frozen.check_may_apply(), Err(AccountError::Frozen));
    assert_eq!(Closed.check_may_apply(), Err(AccountError::Closed));
}

#[test]
fn status_and_origin_codes_round_trip() {
    for &status in AccountStatus::ALL {
        assert_eq!(AccountStatus::parse(status.as_str()), Some(status));
        assert!(!status.label(Lang::Zh).is_empty());
    }
    for &origin in AccountOrigin::ALL {
        assert_eq!(AccountOrigin::parse(origin.as_str()), Some(origin));
        assert!(!origin.label(Lang::En).is_empty());
    }
    assert_eq!(AccountStatus::parse("Verified"), None);
    assert_eq!(AccountOrigin::parse("sso"), None);
    assert_eq!(AccountOrigin::SingleSignOn.as_str(), "single_sign_on");
}

#[test]
fn errors_explain_themselves_with_distinct_codes() {
    let all = [
        AccountError::AlreadyVerified,
        AccountError::NotVerified,
        AccountError::Frozen,
        AccountError::AlreadyFrozen,
        AccountError::NotFrozen,
        AccountError::Closed,
    ];
    let mut codes: Vec<_> = all.iter().map(Explain::code).collect();
    assert!(codes.iter().all(|c| c.starts_with("account_")));
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for error in all {
        assert!(!error.message(Lang::Zh).is_empty());
        assert!(error.message(Lang::En).is_ascii());
    }
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Verify,
    Freeze,
    Unfreeze,
    Close,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Verify),
        Just(Action::Freeze),
        Just(Action::Unfreeze),
        Just(Action::Close),
    ]
}

proptest! {
    /// Driving an account with any sequence of actions, passing the truthful `was_verified`:
    /// a refused action changes nothing, Closed is final, and an account is Verified only if a
    /// verification once succeeded (R6).
    #[test]
    fn r6_lifecycle_invariants_hold(actions in prop::collection::vec(action(), 0..20)) {
        let mut status = AccountStatus::default();
        let mut verification_succeeded = false;
        for action in actions {
            let before = status;
            let result = match action {
                Action::Verify => status.verify().inspect(|_| verification_succeeded = true),
                Action::Freeze => status.freeze(),
                Action::Unfreeze => status.unfreeze(verification_succeeded),
                Action::Close => status.close(),
            };
            match result {
                Ok(next) => status = next,
                Err(error) => {
                    prop_assert_eq!(before, status);
                    if before == Closed {
                        prop_assert_eq!(error, AccountError::Closed);
                    }
                }
            }
            if before == Closed {
                prop_assert_eq!(status, Closed);
            }
            if status == Verified {
                prop_assert!(verification_succeeded);
            }
            prop_assert_eq!(status.may_apply(), status == Verified);
        }
    }
}

//! The conformance suite: what every backend must do, written once against the traits.
//!
//! A backend's test file expands [`conformance_suite!`](crate::conformance_suite) with a
//! function that makes a fresh, empty, migrated store for each test; every case below becomes
//! its own `#[tokio::test]`.

// This module is test code shipped behind a feature: failing loudly is its job.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lifelong_core::account::{AccountOrigin, AccountStatus};
use lifelong_core::consent::ConsentKind;
use lifelong_core::credit_code::CreditCode;
use lifelong_core::id_number::Gender;
use lifelong_core::institution::{InstitutionKind, InstitutionStatus};
use lifelong_core::person_name::PersonName;
use lifelong_core::role::Role;
use time::{Duration, OffsetDateTime};

use crate::*;

mod bank;
mod conversion;
mod framework;
mod xapi;
pub use bank::*;
pub use conversion::*;
pub use framework::*;
pub use xapi::*;

/// Expands every conformance case into a `#[tokio::test]` that calls `$make().await` for a
/// fresh store (`Option<impl Deref<Target = dyn Store>>`; `None` skips, e.g. when no
/// PostgreSQL is configured).
#[macro_export]
macro_rules! conformance_suite {
    ($make:path) => {
        $crate::conformance_suite!(@cases $make;
            institutions_are_unique_by_credit_code,
            registration_is_one_transaction_and_one_person_one_account,
            opening_an_existing_person_links_instead,
            concurrent_status_changes_have_one_winner,
            revealing_an_id_number_is_audited,
            consents_are_records_with_withdrawal,
            bulk_commit_is_all_or_nothing_and_once,
            sign_in_failures_lock_and_sessions_expire,
            tokens_are_scoped_and_revocable,
            audit_reads_newest_first_with_filters,
            idempotency_keys_claim_replay_and_mismatch,
            accounts_page_by_cursor_and_filter,
            the_key_check_is_kept_once,
            archive_chains_append_page_and_verify,
            concurrent_appends_never_fork_a_chain,
            deposits_count_once_per_external_id,
            batched_deposits_commit_at_the_end_or_not_at_all,
            concurrent_review_decisions_have_one_winner,
            published_versions_are_immutable_and_superseded,
            r12_level_mappings_are_stored_and_replaced,
            r21_an_outcome_or_a_course_is_exempted_once_per_programme,
            concurrent_conversion_decisions_have_one_winner,
            xapi_credentials_are_per_institution_and_revocable,
            xapi_jobs_are_all_or_nothing_and_ids_are_immutable,
            xapi_voiding_and_references,
            xapi_pages_are_stable,
            xapi_documents_compare_and_set,
            xapi_refusals_are_kept_newest_first,
            xapi_concurrent_jobs_with_one_id_have_one_winner
        );
    };
    (@cases $make:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some(store) = $make().await else { return };
                $crate::conformance::$case(&*store).await;
            }
        )*
    };
}

fn audit(action: &str) -> NewAudit {
    NewAudit {
        actor: None,
        actor_role: Some(Role::Administrator),
        via_institution: None,
        action: action.to_owned(),
        target_kind: "test".to_owned(),
        target_id: "-".to_owned(),
        outcome: AuditOutcome::Ok,
        detail: serde_json::json!({}),
        request_id: Some("req-test".to_owned()),
    }
}

fn credit_code(n: u32) -> CreditCode {
    let body = format!("91310000{n:09}");
    let check = lifelong_core::credit_code::check_char(&body).expect("valid body");
    CreditCode::parse(&format!("{body}{check}")).expect("valid credit code")
}

async fn institution(store: &dyn Store, n: u32) -> Institution {
    store
        .create_institution(
            NewInstitution {
                id: InstitutionId::new(),
                credit_code: credit_code(n),
                name_zh: format!("测试学院{n}"),
                name_en: format!("Test College {n}"),
                kind: InstitutionKind::CommunityCollege,
                district_code: "310104".to_owned(),
                trusted: false,
            },
            audit("institution.create"),
        )
        .await
        .expect("institution created")
}

fn pii(tag: &str) -> SealedPii {
    SealedPii {
        sealed: format!("sealed:{tag}").into_bytes(),
        index: format!("index:{tag}"),
        masked: "310***********123X".into(),
    }
}

fn new_account(person: &str, opened_by: Option<&Institution>) -> NewAccount {
    NewAccount {
        id: AccountId::new(),
        name: PersonName::parse("张三").expect("name"),
        id_number: pii(person),
        birth_date: time::macros::date!(1980 - 01 - 01),
        gender: Gender::Male,
        mobile: Some(pii(&format!("m-{person}"))),
        origin: if opened_by.is_some() {
            AccountOrigin::Institution
        } else {
            AccountOrigin::SelfRegistered
        },
        opened_by: opened_by.map(|i| i.id.clone()),
        consents: vec![
            NewConsent {
                kind: ConsentKind::PersonalInfo,
                purpose: "p".into(),
                guardian_name: None,
            },
            NewConsent {
                kind: ConsentKind::SensitiveIdNumber,
                purpose: "s".into(),
                guardian_name: None,
            },
        ],
    }
}

fn new_user(login: &str, role: Role) -> NewUser {
    NewUser {
        id: UserId::new(),
        login: login.to_owned(),
        display_name: login.to_owned(),
        role,
        institution_id: None,
        account_id: None,
        password_hash: Some("$argon2id$fake".to_owned()),
    }
}

async fn audit_count(store: &dyn Store, prefix: &str) -> usize {
    let filter = AuditFilter {
        action_prefix: Some(prefix.to_owned()),
        ..Default::default()
    };
    store
        .list_audit(&filter, &Cursor::new(None, Some(500)))
        .await
        .expect("audit")
        .items
        .len()
}

/// R2: the credit code identifies an institution; updates keep it.
pub async fn institutions_are_unique_by_credit_code(store: &dyn Store) {
    assert!(store.is_empty().await.unwrap());
    let a = institution(store, 1).await;
    assert!(!store.is_empty().await.unwrap());
    assert_eq!(
        store.institution(&a.id).await.unwrap().credit_code,
        a.credit_code
    );
    let dup = store
        .create_institution(
            NewInstitution {
                id: InstitutionId::new(),
                credit_code: a.credit_code.clone(),
                name_zh: "重复".into(),
                name_en: "Duplicate".into(),
                kind: InstitutionKind::University,
                district_code: "310101".into(),
                trusted: true,
            },
            audit("institution.create"),
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict("institution_exists"))),
        "{dup:?}"
    );
    assert_eq!(
        audit_count(store, "institution.create").await,
        1,
        "a refused write leaves no audit"
    );
    let patched = store
        .update_institution(
            &a.id,
            InstitutionPatch {
                name_zh: "新名".into(),
                name_en: "New".into(),
                kind: InstitutionKind::OpenUniversity,
                district_code: "310115".into(),
                status: InstitutionStatus::Suspended,
                trusted: true,
            },
            audit("institution.update"),
        )
        .await
        .unwrap();
    assert_eq!(patched.status, InstitutionStatus::Suspended);
    assert!(patched.trusted);
    assert_eq!(patched.credit_code, a.credit_code);
    assert!(matches!(
        store.institution(&InstitutionId::new()).await,
        Err(StoreError::NotFound)
    ));
    let page = store.list_institutions(&Cursor::first()).await.unwrap();
    assert_eq!(page.items.len(), 1);
}

/// R5: one person, one account; a refused registration writes nothing at all.
pub async fn registration_is_one_transaction_and_one_person_one_account(store: &dyn Store) {
    let account = new_account("p1", None);
    let mut user = new_user("mobile:p1", Role::Learner);
    user.account_id = Some(account.id.clone());
    let (stored, stored_user) = store
        .register_learner(account.clone(), user.clone(), audit("account.register"))
        .await
        .unwrap();
    assert_eq!(stored.status, AccountStatus::Registered);
    assert_eq!(stored.id_number_masked, "310***********123X");
    assert_eq!(stored_user.account_id.as_ref(), Some(&stored.id));
    assert_eq!(store.consents(&stored.id).await.unwrap().len(), 2);

    // Same person again, new login: refused, and nothing of it remains.
    let again = new_account("p1", None);
    let mut user2 = new_user("mobile:other", Role::Learner);
    user2.account_id = Some(again.id.clone());
    let err = store
        .register_learner(again.clone(), user2.clone(), audit("account.register"))
        .await;
    assert!(
        matches!(err, Err(StoreError::Conflict("account_exists"))),
        "{err:?}"
    );
    assert!(store.user_by_login("mobile:other").await.unwrap().is_none());
    assert!(matches!(
        store.account(&again.id).await,
        Err(StoreError::NotFound)
    ));

    // New person, taken login: refused, account not created either.
    let third = new_account("p3", None);
    let mut user3 = new_user("mobile:p1", Role::Learner);
    user3.account_id = Some(third.id.clone());
    let err = store
        .register_learner(third.clone(), user3, audit("account.register"))
        .await;
    assert!(
        matches!(err, Err(StoreError::Conflict("login_taken"))),
        "{err:?}"
    );
    assert!(matches!(
        store.account(&third.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(audit_count(store, "account.register").await, 1);
    let existing = store
        .existing_id_indexes(&["index:p1".into(), "index:p3".into()])
        .await
        .unwrap();
    assert_eq!(existing.len(), 1);
    assert!(existing.contains("index:p1"));
}

/// R5/R6: an institution opening an account for someone who has one links to it.
pub async fn opening_an_existing_person_links_instead(store: &dyn Store) {
    let a = institution(store, 2).await;
    let b = institution(store, 3).await;
    let first = store
        .open_account(new_account("p2", Some(&a)), audit("account.open"))
        .await
        .unwrap();
    let Opened::Created(account) = first else {
        panic!("expected a new account")
    };
    assert_eq!(account.origin, AccountOrigin::Institution);
    assert!(store.is_member(&a.id, &account.id).await.unwrap());
    assert!(!store.is_member(&b.id, &account.id).await.unwrap());
    let second = store
        .open_account(new_account("p2", Some(&b)), audit("account.open"))
        .await
        .unwrap();
    let Opened::Existing(same) = second else {
        panic!("expected the existing account")
    };
    assert_eq!(same.id, account.id);
    assert!(store.is_member(&b.id, &account.id).await.unwrap());
}

/// R6: verification happens once; two reviewers at once, exactly one wins.
pub async fn concurrent_status_changes_have_one_winner(store: &dyn Store) {
    let opened = store
        .open_account(new_account("p4", None), audit("account.open"))
        .await
        .unwrap();
    let Opened::Created(account) = opened else {
        panic!()
    };
    let (r1, r2) = tokio::join!(
        store.change_account_status(
            &account.id,
            AccountStatus::Registered,
            AccountStatus::Verified,
            true,
            audit("account.verify")
        ),
        store.change_account_status(
            &account.id,
            AccountStatus::Registered,
            AccountStatus::Verified,
            true,
            audit("account.verify")
        ),
    );
    let wins = [&r1, &r2].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{r1:?} {r2:?}");
    let loser = if r1.is_ok() { r2 } else { r1 };
    assert!(matches!(
        loser,
        Err(StoreError::Conflict("account_state_changed"))
    ));
    let now = store.account(&account.id).await.unwrap();
    assert_eq!(now.status, AccountStatus::Verified);
    assert!(now.verified_at.is_some());
    assert_eq!(audit_count(store, "account.verify").await, 1);
    let missing = store
        .change_account_status(
            &AccountId::new(),
            AccountStatus::Registered,
            AccountStatus::Verified,
            true,
            audit("account.verify"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

/// R3: a reveal returns the sealed value and always leaves an audit record.
pub async fn revealing_an_id_number_is_audited(store: &dyn Store) {
    let opened = store
        .open_account(new_account("p5", None), audit("account.open"))
        .await
        .unwrap();
    let Opened::Created(account) = opened else {
        panic!()
    };
    let sealed = store
        .reveal_id_number(&account.id, audit("account.reveal_id_number"))
        .await
        .unwrap();
    assert_eq!(sealed, b"sealed:p5");
    assert_eq!(audit_count(store, "account.reveal_id_number").await, 1);
    assert!(matches!(
        store
            .reveal_id_number(&AccountId::new(), audit("account.reveal_id_number"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        audit_count(store, "account.reveal_id_number").await,
        1,
        "no record of a reveal that did not happen"
    );
}

/// R4: consents are records; withdrawal keeps them.
pub async fn consents_are_records_with_withdrawal(store: &dyn Store) {
    let opened = store
        .open_account(new_account("p6", None), audit("account.open"))
        .await
        .unwrap();
    let Opened::Created(account) = opened else {
        panic!()
    };
    let consent = store
        .grant_consent(
            &account.id,
            NewConsent {
                kind: ConsentKind::Guardian,
                purpose: "g".into(),
                guardian_name: Some("李四".into()),
            },
            audit("consent.grant"),
        )
        .await
        .unwrap();
    assert_eq!(consent.guardian_name.as_deref(), Some("李四"));
    let withdrawn = store
        .withdraw_consent(&account.id, &consent.id, audit("consent.withdraw"))
        .await
        .unwrap();
    assert!(withdrawn.withdrawn_at.is_some());
    let again = store
        .withdraw_consent(&account.id, &consent.id, audit("consent.withdraw"))
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Conflict("consent_already_withdrawn"))
    ));
    let other = store
        .withdraw_consent(&AccountId::new(), &consent.id, audit("consent.withdraw"))
        .await;
    assert!(matches!(other, Err(StoreError::NotFound)));
    assert_eq!(
        store.consents(&account.id).await.unwrap().len(),
        3,
        "two from opening, one granted"
    );
}

/// Bulk opening: everything or nothing, and a second confirmation is refused.
pub async fn bulk_commit_is_all_or_nothing_and_once(store: &dyn Store) {
    let inst = institution(store, 4).await;
    // Someone who already has an account, opened elsewhere.
    store
        .open_account(new_account("b0", None), audit("account.open"))
        .await
        .unwrap();
    let upload = store
        .save_upload(
            NewUpload {
                purpose: UploadPurpose::Accounts,
                id: UploadId::new(),
                institution_id: inst.id.clone(),
                uploaded_by: None,
                file_name: "accounts.csv".into(),
                file_sha256: "00".repeat(32),
                sealed_content: b"sealed file".to_vec(),
                rows: 3,
            },
            audit("upload.check"),
        )
        .await
        .unwrap();
    assert_eq!(upload.status, UploadStatus::Checked);
    let (_, content) = store.upload(&upload.id).await.unwrap();
    assert_eq!(content, b"sealed file");

    // A batch with the same person twice fails as a whole.
    let bad = vec![
        new_account("b1", Some(&inst)),
        new_account("b1", Some(&inst)),
    ];
    assert!(store
        .commit_upload(&upload.id, bad, audit("upload.commit"))
        .await
        .is_err());
    assert!(store
        .existing_id_indexes(&["index:b1".into()])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.upload(&upload.id).await.unwrap().0.status,
        UploadStatus::Checked
    );

    let good = vec![
        new_account("b0", Some(&inst)),
        new_account("b1", Some(&inst)),
        new_account("b2", Some(&inst)),
    ];
    let outcome = store
        .commit_upload(&upload.id, good.clone(), audit("upload.commit"))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        BulkOpenOutcome {
            created: 2,
            linked: 1,
            unchanged: 0
        }
    );
    let again = store
        .commit_upload(&upload.id, good, audit("upload.commit"))
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Conflict("upload_already_committed"))
    ));
    let stored = store.upload(&upload.id).await.unwrap().0;
    assert_eq!(stored.outcome, Some(outcome));
    let members = store
        .list_accounts(
            &AccountFilter {
                institution: Some(inst.id.clone()),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(members.items.len(), 3);
    let bulk_opened = members
        .items
        .iter()
        .find(|a| a.opened_by.as_ref() == Some(&inst.id))
        .unwrap();
    assert_eq!(
        store.consents(&bulk_opened.id).await.unwrap().len(),
        2,
        "consents recorded with bulk opening"
    );
    assert_eq!(
        store
            .list_uploads(&inst.id, &Cursor::first())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

/// Sign-in throttling and session lifetime.
pub async fn sign_in_failures_lock_and_sessions_expire(store: &dyn Store) {
    let user = store
        .create_user(new_user("reviewer1", Role::Reviewer), audit("user.create"))
        .await
        .unwrap();
    let dup = store
        .create_user(new_user("reviewer1", Role::Reviewer), audit("user.create"))
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict("login_taken"))));
    let lock = OffsetDateTime::now_utc() + Duration::minutes(15);
    for i in 1..=4 {
        let u = store
            .record_login_failure(&user.id, 5, lock, audit("session.sign_in"))
            .await
            .unwrap();
        assert_eq!(u.failed_logins, i);
        assert!(u.locked_until.is_none());
    }
    let locked = store
        .record_login_failure(&user.id, 5, lock, audit("session.sign_in"))
        .await
        .unwrap();
    assert!(locked
        .locked_until
        .is_some_and(|t| t > OffsetDateTime::now_utc()));

    let now = OffsetDateTime::now_utc();
    store
        .record_login_success(
            NewSession {
                token_hash: "h1".into(),
                user_id: user.id.clone(),
                expires_at: now + Duration::hours(1),
            },
            audit("session.sign_in"),
        )
        .await
        .unwrap();
    let cleared = store.user(&user.id).await.unwrap();
    assert_eq!(cleared.failed_logins, 0);
    assert!(cleared.locked_until.is_none());
    assert_eq!(
        store.session_user("h1", now).await.unwrap().map(|u| u.id),
        Some(user.id.clone())
    );
    assert!(
        store
            .session_user("h1", now + Duration::hours(2))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(store.session_user("nope", now).await.unwrap().is_none());
    assert_eq!(
        store
            .purge_sessions(now + Duration::hours(2))
            .await
            .unwrap(),
        1
    );

    store
        .record_login_success(
            NewSession {
                token_hash: "h2".into(),
                user_id: user.id.clone(),
                expires_at: now + Duration::hours(1),
            },
            audit("session.sign_in"),
        )
        .await
        .unwrap();
    let patch = UserPatch {
        display_name: "R".into(),
        role: Role::Reviewer,
        institution_id: None,
        active: false,
    };
    store
        .update_user(&user.id, patch, audit("user.update"))
        .await
        .unwrap();
    assert!(
        store.session_user("h2", now).await.unwrap().is_none(),
        "a deactivated user loses sessions"
    );
}

/// API tokens belong to one institution; revoked tokens stop working.
pub async fn tokens_are_scoped_and_revocable(store: &dyn Store) {
    let a = institution(store, 5).await;
    let b = institution(store, 6).await;
    let token = store
        .create_token(
            NewApiToken {
                id: TokenId::new(),
                institution_id: a.id.clone(),
                name: "LMS".into(),
                token_hash: "th".into(),
                prefix: "ll_abc".into(),
                created_by: None,
            },
            audit("token.create"),
        )
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let used = store
        .use_token("th", now)
        .await
        .unwrap()
        .expect("token works");
    assert_eq!(used.institution_id, a.id);
    assert!(store.list_tokens(&a.id).await.unwrap()[0]
        .last_used_at
        .is_some());
    assert!(matches!(
        store
            .revoke_token(&b.id, &token.id, audit("token.revoke"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store.use_token("th", now).await.unwrap().is_some(),
        "another institution cannot revoke it"
    );
    let revoked = store
        .revoke_token(&a.id, &token.id, audit("token.revoke"))
        .await
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(store.use_token("th", now).await.unwrap().is_none());
}

/// The audit log reads newest first, pages by cursor and filters.
pub async fn audit_reads_newest_first_with_filters(store: &dyn Store) {
    for i in 0..5 {
        let mut a = audit(if i % 2 == 0 { "x.even" } else { "y.odd" });
        a.target_id = format!("t{i}");
        store.append_audit(a).await.unwrap();
    }
    let first = store
        .list_audit(&AuditFilter::default(), &Cursor::new(None, Some(2)))
        .await
        .unwrap();
    assert_eq!(
        first
            .items
            .iter()
            .map(|e| e.target_id.as_str())
            .collect::<Vec<_>>(),
        ["t4", "t3"]
    );
    let second = store
        .list_audit(
            &AuditFilter::default(),
            &Cursor::new(first.next.clone(), Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(
        second
            .items
            .iter()
            .map(|e| e.target_id.as_str())
            .collect::<Vec<_>>(),
        ["t2", "t1"]
    );
    let even = store
        .list_audit(
            &AuditFilter {
                action_prefix: Some("x.".into()),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(even.items.len(), 3);
    let one = store
        .list_audit(
            &AuditFilter {
                target_id: Some("t3".into()),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
    assert_eq!(one.items[0].request_id.as_deref(), Some("req-test"));
    assert_eq!(one.items[0].actor_role, Some(Role::Administrator));
}

/// Idempotency keys: first claim, in-progress, replay, mismatch, release.
pub async fn idempotency_keys_claim_replay_and_mismatch(store: &dyn Store) {
    let now = OffsetDateTime::now_utc();
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k1", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k1", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::InProgress
    );
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k1", "other", now)
            .await
            .unwrap(),
        IdempotencyClaim::Mismatch
    );
    let response = StoredResponse {
        status: 201,
        body: b"{\"ok\":true}".to_vec(),
    };
    store
        .complete_idempotency_key("inst", "k1", response.clone())
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k1", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::Replay(response)
    );
    assert_eq!(
        store
            .claim_idempotency_key("other", "k1", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed,
        "scoped"
    );
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k2", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
    store.release_idempotency_key("inst", "k2").await.unwrap();
    assert_eq!(
        store
            .claim_idempotency_key("inst", "k2", "h", now)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
}

/// Accounts page by cursor in creation order and filter by status.
pub async fn accounts_page_by_cursor_and_filter(store: &dyn Store) {
    let mut ids = Vec::new();
    for i in 0..7 {
        if let Opened::Created(a) = store
            .open_account(new_account(&format!("c{i}"), None), audit("account.open"))
            .await
            .unwrap()
        {
            ids.push(a.id);
        }
    }
    let mut seen = Vec::new();
    let mut cursor = Cursor::new(None, Some(3));
    loop {
        let page = store
            .list_accounts(&AccountFilter::default(), &cursor)
            .await
            .unwrap();
        seen.extend(page.items.into_iter().map(|a| a.id));
        match page.next {
            Some(next) => cursor = Cursor::new(Some(next), Some(3)),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    store
        .change_account_status(
            &ids[0],
            AccountStatus::Registered,
            AccountStatus::Verified,
            true,
            audit("account.verify"),
        )
        .await
        .unwrap();
    let verified = store
        .list_accounts(
            &AccountFilter {
                status: Some(AccountStatus::Verified),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(verified.items.len(), 1);
    let by_index = store
        .list_accounts(
            &AccountFilter {
                id_index: Some("index:c3".into()),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(by_index.items[0].id, ids[3]);
}

/// The key-check value is written once and never replaced.
pub async fn the_key_check_is_kept_once(store: &dyn Store) {
    assert_eq!(store.key_check().await.unwrap(), None);
    assert!(store.init_key_check(b"first".to_vec()).await.unwrap());
    assert!(!store.init_key_check(b"second".to_vec()).await.unwrap());
    assert_eq!(store.key_check().await.unwrap(), Some(b"first".to_vec()));
}

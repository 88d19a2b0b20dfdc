//! R8: an archive entry changed or removed directly in the database, around the application,
//! is caught by verification, which names the first broken link. Runs on SQLite, and on
//! PostgreSQL when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use lifelong_core::account::AccountOrigin;
use lifelong_core::archive::{BreakReason, EntryKind};
use lifelong_core::id_number::Gender;
use lifelong_core::person_name::PersonName;
use lifelong_core::role::Role;
use lifelong_store::{AccountId, AuditOutcome, EntryId, NewAccount, NewAudit, NewEntry, SealedPii};
use lifelong_store_sql::testing::{fresh_postgres, fresh_sqlite, TestStore};

fn audit() -> NewAudit {
    NewAudit {
        actor: None,
        actor_role: Some(Role::Administrator),
        via_institution: None,
        action: "archive.append".into(),
        target_kind: "test".into(),
        target_id: "-".into(),
        outcome: AuditOutcome::Ok,
        detail: serde_json::json!({}),
        request_id: None,
    }
}

async fn seed(store: &TestStore) -> AccountId {
    let account = AccountId::new();
    let new = NewAccount {
        id: account.clone(),
        name: PersonName::parse("李四").unwrap(),
        id_number: SealedPii {
            sealed: vec![0],
            index: "idx".into(),
            masked: "310***********123X".into(),
        },
        birth_date: time::macros::date!(1980 - 01 - 01),
        gender: Gender::Male,
        mobile: None,
        origin: AccountOrigin::SelfRegistered,
        opened_by: None,
        consents: Vec::new(),
    };
    store.open_account(new, audit()).await.unwrap();
    let entries = (1..=5)
        .map(|n| NewEntry {
            id: EntryId::new(),
            kind: EntryKind::Outcome,
            reverses: None,
            body: format!("{{\"credits\":\"{n}\"}}"),
            year: Some(2025),
            category: None,
            outcome_kind: None,
        })
        .collect();
    store
        .append_entries(&account, entries, audit())
        .await
        .unwrap();
    assert!(store.verify_archive().await.unwrap().broken.is_empty());
    account
}

/// Lifts the append-only guard, as an attacker with database access would.
async fn drop_guard(store: &TestStore) {
    if store.url().starts_with("sqlite") {
        store
            .execute_raw("DROP TRIGGER archive_entries_no_update")
            .await
            .unwrap();
        store
            .execute_raw("DROP TRIGGER archive_entries_no_delete")
            .await
            .unwrap();
    } else {
        store
            .execute_raw("DROP TRIGGER archive_entries_no_change ON archive_entries")
            .await
            .unwrap();
    }
}

async fn tampering_is_caught(store: Option<TestStore>) {
    let Some(store) = store else { return };
    seed(&store).await;
    // The guard refuses changes while it stands.
    assert!(store
        .execute_raw("UPDATE archive_entries SET body = '{}' WHERE seq = 3")
        .await
        .is_err());
    drop_guard(&store).await;
    let changed = store
        .execute_raw("UPDATE archive_entries SET body = '{\"credits\":\"30\"}' WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let report = store.verify_archive().await.unwrap();
    assert_eq!(report.entries, 5);
    assert_eq!(report.broken.len(), 1);
    assert_eq!(report.broken[0].seq, 3);
    assert_eq!(report.broken[0].reason, BreakReason::HashMismatch);
}

async fn removal_is_caught(store: Option<TestStore>) {
    let Some(store) = store else { return };
    seed(&store).await;
    drop_guard(&store).await;
    store
        .execute_raw("DELETE FROM archive_entries WHERE seq = 5")
        .await
        .unwrap();
    let report = store.verify_archive().await.unwrap();
    assert_eq!(
        report.broken[0].reason,
        BreakReason::HeadMismatch,
        "cut off the end"
    );
    store
        .execute_raw("DELETE FROM archive_entries WHERE seq = 2")
        .await
        .unwrap();
    let report = store.verify_archive().await.unwrap();
    assert_eq!(
        (report.broken[0].seq, report.broken[0].reason),
        (3, BreakReason::SeqGap)
    );
}

#[tokio::test]
async fn r8_sqlite_tampering_is_caught() {
    tampering_is_caught(fresh_sqlite().await).await;
}

#[tokio::test]
async fn r8_sqlite_removal_is_caught() {
    removal_is_caught(fresh_sqlite().await).await;
}

#[tokio::test]
async fn r8_postgres_tampering_is_caught() {
    tampering_is_caught(fresh_postgres().await).await;
}

#[tokio::test]
async fn r8_postgres_removal_is_caught() {
    removal_is_caught(fresh_postgres().await).await;
}

/// Verification split into ranges of accounts finds the same as one pass.
async fn ranges_agree_with_one_pass(store: Option<TestStore>) {
    let Some(store) = store else { return };
    let mut accounts = Vec::new();
    for n in 0..7 {
        let account = AccountId::new();
        let new = NewAccount {
            id: account.clone(),
            name: PersonName::parse("李四").unwrap(),
            id_number: SealedPii {
                sealed: vec![0],
                index: format!("idx-{n}"),
                masked: "310***********123X".into(),
            },
            birth_date: time::macros::date!(1980 - 01 - 01),
            gender: Gender::Male,
            mobile: None,
            origin: AccountOrigin::SelfRegistered,
            opened_by: None,
            consents: Vec::new(),
        };
        store.open_account(new, audit()).await.unwrap();
        let entries = (1..=3)
            .map(|k| NewEntry {
                id: EntryId::new(),
                kind: EntryKind::Outcome,
                reverses: None,
                body: format!("{{\"n\":{n},\"k\":{k}}}"),
                year: Some(2025),
                category: None,
                outcome_kind: None,
            })
            .collect();
        store
            .append_entries(&account, entries, audit())
            .await
            .unwrap();
        accounts.push(account);
    }
    for parts in [1, 2, 3, 7, 12] {
        let report = store.store().verify_archive_in_parts(parts).await.unwrap();
        assert_eq!((report.chains, report.entries), (7, 21), "{parts} parts");
        assert!(report.broken.is_empty());
    }
    drop_guard(&store).await;
    let victim = &accounts[4];
    store
        .execute_raw(&format!(
            "UPDATE archive_entries SET body = '{{}}' WHERE account_id = '{victim}' AND seq = 2"
        ))
        .await
        .unwrap();
    for parts in [1, 2, 3, 7] {
        let report = store.store().verify_archive_in_parts(parts).await.unwrap();
        assert_eq!(report.entries, 21, "{parts} parts");
        assert_eq!(report.broken.len(), 1, "{parts} parts");
        assert_eq!(report.broken[0].account, victim.to_string());
        assert_eq!(report.broken[0].seq, 2);
    }
}

#[tokio::test]
async fn r8_sqlite_ranges_agree_with_one_pass() {
    ranges_agree_with_one_pass(fresh_sqlite().await).await;
}

#[tokio::test]
async fn r8_postgres_ranges_agree_with_one_pass() {
    ranges_agree_with_one_pass(fresh_postgres().await).await;
}

//! Conformance cases of the credit bank: catalog versions, deposits once per external id,
//! one winner among concurrent reviewers, and the archive's hash chains.

use lifelong_core::archive::EntryKind;
use lifelong_core::catalog::Catalog;
use lifelong_core::credits::{Credits, StudyHours};
use lifelong_core::framework::{Level, Text2};
use lifelong_core::outcome::{CreditCategory, LearningMode, Outcome, OutcomeClass, OutcomeKind};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::review::{OutcomeOrigin, OutcomeStatus};
use lifelong_core::unit::Unit;
use time::macros::date;

use super::{audit, institution, new_account};
use crate::*;

async fn learner(store: &dyn Store, tag: &str) -> AccountId {
    let account = new_account(tag, None);
    let id = account.id.clone();
    store
        .open_account(account, audit("account.open"))
        .await
        .unwrap();
    id
}

fn outcome(title: &str, year: i32) -> Outcome {
    Outcome {
        id: String::new(),
        title: title.to_owned(),
        kind: OutcomeKind::Training,
        class: OutcomeClass::NonFormal,
        category: CreditCategory::Vocational,
        industry: Some('P'),
        level: Level::new(4),
        mode: LearningMode::Classroom,
        completed_on: time::Date::from_calendar_date(year, time::Month::June, 1).unwrap(),
        hours: Some(StudyHours::whole(32)),
        credits: None,
        score: None,
        passed: true,
        certificate_code: None,
        certificate_level: None,
        course_code: None,
        source: None,
    }
}

fn entry(kind: EntryKind, body: &str, year: i32) -> NewEntry {
    NewEntry {
        id: EntryId::new(),
        kind,
        reverses: None,
        body: body.to_owned(),
        year: Some(year),
        category: Some(CreditCategory::Vocational),
        outcome_kind: Some(OutcomeKind::Training),
    }
}

fn deposit(
    account: &AccountId,
    institution: &InstitutionId,
    external: &str,
    accepted: bool,
) -> NewOutcome {
    let id = OutcomeId::new();
    let mut o = outcome(external, 2025);
    o.id = id.to_string();
    NewOutcome {
        id,
        account_id: account.clone(),
        institution_id: Some(institution.clone()),
        external_id: Some(external.to_owned()),
        origin: OutcomeOrigin::Deposit,
        status: if accepted {
            OutcomeStatus::Accepted
        } else {
            OutcomeStatus::Pending
        },
        outcome: o,
        due_on: (!accepted).then_some(date!(2026 - 12 - 14)),
        entry: accepted.then(|| {
            entry(
                EntryKind::Outcome,
                &format!("{{\"external\":\"{external}\"}}"),
                2025,
            )
        }),
        recognition: None,
        evidence: Vec::new(),
    }
}

pub async fn archive_chains_append_page_and_verify(store: &dyn Store) {
    let a = learner(store, "arch-a").await;
    let b = learner(store, "arch-b").await;
    store
        .append_entries(
            &a,
            vec![
                entry(EntryKind::Outcome, "{\"n\":1}", 2024),
                entry(EntryKind::Outcome, "{\"n\":2}", 2025),
            ],
            audit("archive.append"),
        )
        .await
        .unwrap();
    let third = store
        .append_entries(
            &a,
            vec![entry(EntryKind::Activity, "{\"n\":3}", 2025)],
            audit("archive.append"),
        )
        .await
        .unwrap();
    assert_eq!(third[0].seq, 3);
    store
        .append_entries(
            &b,
            vec![entry(EntryKind::Outcome, "{\"n\":1}", 2025)],
            audit("archive.append"),
        )
        .await
        .unwrap();

    let page = store
        .archive_page(&a, &ArchiveFilter::default(), &Cursor::new(None, Some(2)))
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [3, 2],
        "newest first"
    );
    let next = store
        .archive_page(
            &a,
            &ArchiveFilter::default(),
            &Cursor::new(page.next, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(next.items.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
    assert!(next.next.is_none());
    let of_2024 = store
        .archive_page(
            &a,
            &ArchiveFilter {
                year: Some(2024),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(of_2024.items.len(), 1);
    let activity = store
        .archive_page(
            &a,
            &ArchiveFilter {
                kind: Some(EntryKind::Activity),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(activity.items[0].body, "{\"n\":3}");
    assert_eq!(store.archive_all(&a).await.unwrap().len(), 3);

    let report = store.verify_archive().await.unwrap();
    assert_eq!((report.chains, report.entries), (2, 4));
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

pub async fn deposits_count_once_per_external_id(store: &dyn Store) {
    let inst = institution(store, 71).await;
    let a = learner(store, "dep-a").await;
    let b = learner(store, "dep-b").await;
    let batch = vec![
        deposit(&a, &inst.id, "R-1", true),
        deposit(&b, &inst.id, "R-2", false),
        deposit(&a, &inst.id, "R-1", true), // repeated inside the file
    ];
    let counts = store
        .deposit_outcomes(batch, None, audit("outcome.deposit"))
        .await
        .unwrap();
    assert_eq!(
        counts,
        DepositCounts {
            created: 2,
            accepted: 1,
            unchanged: 1
        }
    );
    let again = vec![
        deposit(&a, &inst.id, "R-1", true),
        deposit(&b, &inst.id, "R-3", true),
    ];
    let counts = store
        .deposit_outcomes(again, None, audit("outcome.deposit"))
        .await
        .unwrap();
    assert_eq!(
        counts,
        DepositCounts {
            created: 1,
            accepted: 1,
            unchanged: 1
        }
    );
    assert_eq!(
        store.archive_all(&a).await.unwrap().len(),
        1,
        "the repeat added no archive entry"
    );
    let stored = store
        .outcome_by_external_id(&inst.id, "R-2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, OutcomeStatus::Pending);
    assert_eq!(stored.outcome.title, "R-2");
    // The institution's accepted deposits, learner by learner (the cohort audit's read).
    let mut accepted: Vec<(String, String)> = store
        .accepted_deposits_of(&inst.id)
        .await
        .unwrap()
        .into_iter()
        .map(|(account, o)| (account.to_string(), o.title))
        .collect();
    accepted.sort();
    let mut expected = vec![
        (a.to_string(), "R-1".to_owned()),
        (b.to_string(), "R-3".to_owned()),
    ];
    expected.sort();
    assert_eq!(accepted, expected, "pending R-2 is not among them");
    // A big batch of ids (read by a range scan) and a small one (IN lists) agree.
    let filler: Vec<String> = (0..2500).map(|n| format!("R-{n:04}")).collect();
    let mut asked: Vec<&str> = filler.iter().map(String::as_str).collect();
    asked.extend(["R-1", "R-3", "S-9"]);
    let big = store
        .deposited_external_ids(&inst.id, &asked)
        .await
        .unwrap();
    let small = store
        .deposited_external_ids(&inst.id, &["R-1", "R-3", "S-9"])
        .await
        .unwrap();
    let expected: std::collections::HashSet<String> = ["R-1".to_owned(), "R-3".to_owned()].into();
    assert_eq!(big, expected, "R-2 exists but was not asked for");
    assert_eq!(small, expected);
    let queue = store
        .review_queue(&QueueFilter::default(), &Cursor::first())
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    assert!(store.verify_archive().await.unwrap().broken.is_empty());
}

pub async fn batched_deposits_commit_at_the_end_or_not_at_all(store: &dyn Store) {
    use crate::DepositBatch;
    let inst = institution(store, 73).await;
    let a = learner(store, "batch-a").await;
    let b = learner(store, "batch-b").await;

    // A sender that goes away without `End`: nothing is written.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(DepositBatch::Rows(vec![deposit(&a, &inst.id, "B-1", true)]))
        .await
        .unwrap();
    drop(tx);
    let abandoned = store
        .deposit_outcome_batches(rx, None, audit("outcome.deposit"))
        .await;
    assert!(
        matches!(abandoned, Err(StoreError::Conflict("deposit_abandoned"))),
        "{abandoned:?}"
    );
    assert!(store
        .outcome_by_external_id(&inst.id, "B-1")
        .await
        .unwrap()
        .is_none());
    assert!(store.archive_all(&a).await.unwrap().is_empty());

    // Batches fed while the store writes, one transaction, repeats across batches left alone.
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let feeder = {
        let (a, b, inst) = (a.clone(), b.clone(), inst.id.clone());
        tokio::spawn(async move {
            for n in 0..5 {
                let rows = vec![
                    deposit(&a, &inst, &format!("B-{n}"), true),
                    deposit(&b, &inst, &format!("C-{n}"), true),
                    deposit(&b, &inst, "C-0", true),
                ];
                tx.send(DepositBatch::Rows(rows)).await.unwrap();
            }
            tx.send(DepositBatch::End).await.unwrap();
        })
    };
    let counts = store
        .deposit_outcome_batches(rx, None, audit("outcome.deposit"))
        .await
        .unwrap();
    feeder.await.unwrap();
    assert_eq!(
        counts,
        DepositCounts {
            created: 10,
            accepted: 10,
            unchanged: 5
        }
    );
    let chain = store.archive_all(&a).await.unwrap();
    assert_eq!(chain.len(), 5);
    assert_eq!(
        chain.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5],
        "one chain, in the order fed"
    );
    assert_eq!(store.archive_all(&b).await.unwrap().len(), 5);
    assert!(store.verify_archive().await.unwrap().broken.is_empty());
}

pub async fn concurrent_review_decisions_have_one_winner(store: &dyn Store) {
    let inst = institution(store, 72).await;
    let a = learner(store, "rev-a").await;
    store
        .deposit_outcomes(
            vec![deposit(&a, &inst.id, "Q-1", false)],
            None,
            audit("outcome.deposit"),
        )
        .await
        .unwrap();
    let pending = store
        .outcome_by_external_id(&inst.id, "Q-1")
        .await
        .unwrap()
        .unwrap();
    let decide = |note: &str| OutcomeDecision {
        to: OutcomeStatus::Accepted,
        note: note.to_owned(),
        decided_by: None,
        entry: Some(entry(EntryKind::Outcome, "{\"q\":1}", 2025)),
        recognition: None,
    };
    let (x, y) = tokio::join!(
        store.decide_outcome(
            &pending.id,
            pending.version,
            decide("x"),
            audit("outcome.decide")
        ),
        store.decide_outcome(
            &pending.id,
            pending.version,
            decide("y"),
            audit("outcome.decide")
        ),
    );
    let wins = [&x, &y].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "exactly one reviewer wins: {x:?} {y:?}");
    let loser = if x.is_err() { x } else { y };
    assert!(matches!(
        loser,
        Err(StoreError::Conflict("already_decided"))
    ));
    assert_eq!(
        store.archive_all(&a).await.unwrap().len(),
        1,
        "the loser wrote nothing"
    );
    let decided = store.outcome(&pending.id).await.unwrap();
    assert_eq!(decided.status, OutcomeStatus::Accepted);
    assert!(decided.entry_id.is_some());
    assert_eq!(store.review_events(&pending.id).await.unwrap().len(), 1);
    let again = store
        .decide_outcome(
            &pending.id,
            decided.version,
            decide("z"),
            audit("outcome.decide"),
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Conflict("already_decided"))
    ));
}

fn unit(code: &str, version: u32, status: PublicationStatus) -> Unit {
    Unit {
        code: code.to_owned(),
        version,
        title: Text2::new("电工（四级）", "Electrician (level 4)"),
        level: Level::new(5).unwrap(),
        credits: Credits::whole(4),
        category: CreditCategory::Vocational,
        industry: Some('D'),
        criteria: Text2::new("持有电工四级证书", "Holds the level 4 certificate"),
        owner: "bank".into(),
        status,
        window: Window::new(date!(2024 - 01 - 01), None).unwrap(),
    }
}

pub async fn published_versions_are_immutable_and_superseded(store: &dyn Store) {
    let catalog = Catalog {
        units: vec![unit("U-V-D-0001", 1, PublicationStatus::Published)],
        ..Default::default()
    };
    let counts = store
        .import_catalog(&catalog, audit("catalog.import"))
        .await
        .unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            added: 1,
            unchanged: 0
        }
    );
    let counts = store
        .import_catalog(&catalog, audit("catalog.import"))
        .await
        .unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            added: 0,
            unchanged: 1
        }
    );

    let mut changed = unit("U-V-D-0001", 1, PublicationStatus::Published);
    changed.credits = Credits::whole(6);
    let refused = store.save_unit(&changed, audit("unit.save")).await;
    assert!(matches!(
        refused,
        Err(StoreError::Conflict("published_version_immutable"))
    ));

    store
        .save_unit(
            &unit("U-V-D-0001", 2, PublicationStatus::Published),
            audit("unit.save"),
        )
        .await
        .unwrap();
    let draft = store.units(Some("U-V-D-0001")).await.unwrap();
    assert_eq!(
        draft[1].status,
        PublicationStatus::Draft,
        "saving makes a draft"
    );
    store
        .publish(
            Versioned::Unit,
            "U-V-D-0001",
            2,
            Window::new(date!(2026 - 09 - 01), None).unwrap(),
            audit("unit.publish"),
        )
        .await
        .unwrap();
    let versions = store.units(Some("U-V-D-0001")).await.unwrap();
    assert_eq!(versions[0].status, PublicationStatus::Superseded);
    assert_eq!(versions[0].window.until, Some(date!(2026 - 08 - 31)));
    assert_eq!(versions[1].status, PublicationStatus::Published);
    let twice = store
        .publish(
            Versioned::Unit,
            "U-V-D-0001",
            2,
            Window::new(date!(2026 - 09 - 01), None).unwrap(),
            audit("unit.publish"),
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict("not_a_draft"))));

    store
        .set_calendar_day(
            date!(2026 - 10 - 01),
            Some(false),
            "国庆节",
            audit("calendar.set"),
        )
        .await
        .unwrap();
    store
        .set_calendar_day(
            date!(2026 - 10 - 10),
            Some(true),
            "调休",
            audit("calendar.set"),
        )
        .await
        .unwrap();
    let calendar = store.calendar().await.unwrap();
    assert!(!calendar.is_working_day(date!(2026 - 10 - 01)));
    assert!(calendar.is_working_day(date!(2026 - 10 - 10)));
}

pub async fn concurrent_appends_never_fork_a_chain(store: &dyn Store) {
    let a = learner(store, "fork-a").await;
    store
        .append_entries(
            &a,
            vec![entry(EntryKind::Outcome, "{\"n\":0}", 2025)],
            audit("archive.append"),
        )
        .await
        .unwrap();
    // Eight writers race for one chain. Where they run side by side (PostgreSQL), the losers
    // of each round are run again on the new head: every append lands, none forks the chain.
    let appends = (0..8).map(|n| {
        store.append_entries(
            &a,
            vec![
                entry(EntryKind::Activity, &format!("{{\"w\":{n},\"i\":1}}"), 2025),
                entry(EntryKind::Activity, &format!("{{\"w\":{n},\"i\":2}}"), 2025),
            ],
            audit("archive.append"),
        )
    });
    let results = futures_util::future::join_all(appends).await;
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    let all = store.archive_all(&a).await.unwrap();
    assert_eq!(all.len(), 17, "every append landed once");
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=17).collect::<Vec<u64>>()
    );
    // Each writer's two entries stay together, in order.
    for pair in all[1..].chunks(2) {
        assert!(pair[0].body.ends_with("\"i\":1}") && pair[1].body.ends_with("\"i\":2}"));
        assert_eq!(
            pair[0].body.replace(":1}", ""),
            pair[1].body.replace(":2}", "")
        );
    }
    let report = store.verify_archive().await.unwrap();
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

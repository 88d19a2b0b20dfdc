//! Conformance cases of the learning record store: credentials, statement jobs (all or
//! nothing, the same statement twice, conflicts), voiding, StatementRef inheritance of filters,
//! paging in both directions, documents with compare-and-set, refusals kept for the console.

use uuid::Uuid;

use super::{audit, audit_count, institution};
use crate::*;

async fn credential(store: &dyn Store, n: u32) -> XapiCredential {
    let inst = institution(store, 700 + n).await;
    store
        .create_xapi_credential(
            NewXapiCredential {
                id: Uuid::new_v4(),
                institution_id: inst.id.clone(),
                label: format!("Moodle {n}"),
                key: format!("key-{n}"),
                secret_sha256: "ab".repeat(32),
                created_by: None,
            },
            audit("xapi.credential.create"),
        )
        .await
        .unwrap()
}

/// A statement with its own filter keys; `target` makes it refer to another.
fn statement(id: Uuid, keys: &[i64], target: Option<Uuid>, voids: bool) -> NewStatement {
    NewStatement {
        id,
        head: format!("{{\"id\":\"{id}\""),
        needs_timestamp: true,
        voids: target.filter(|_| voids),
        target,
        comparison: [keys.first().copied().unwrap_or(0) as u8; 32],
        keys: keys.to_vec(),
        definitions: vec![("http://example.com/a".into(), "{\"type\":\"t\"}".into())],
        entries: Vec::new(),
    }
}

fn job(c: &XapiCredential, statements: Vec<NewStatement>) -> StatementJob {
    StatementJob {
        tenant: c.tenant,
        credential: c.id,
        statements,
        attachments: Vec::new(),
    }
}

async fn ids(store: &dyn Store, c: &XapiCredential, keys: &[i64]) -> Vec<Uuid> {
    let page = store
        .statements(&StatementFilter {
            tenant: c.tenant,
            keys: keys.to_vec(),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_str(&format!("[{}]", page.joined)).unwrap();
    v.iter()
        .map(|s| s["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// Credentials are found by key, listed per institution, revoked once, with audit records;
/// each institution has its own tenant.
pub async fn xapi_credentials_are_per_institution_and_revocable(store: &dyn Store) {
    let a = credential(store, 1).await;
    let b = credential(store, 2).await;
    assert_ne!(a.tenant, b.tenant);
    let found = store
        .xapi_credential_by_key("key-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id, found.tenant, found.revoked_at),
        (a.id, a.tenant, None)
    );
    assert_eq!(
        store
            .xapi_credentials(&a.institution_id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.xapi_tenant(&a.institution_id).await.unwrap(),
        Some(a.tenant)
    );
    let wrong = store
        .revoke_xapi_credential(&b.institution_id, a.id, audit("xapi.credential.revoke"))
        .await;
    assert!(matches!(wrong, Err(StoreError::NotFound)), "{wrong:?}");
    store
        .revoke_xapi_credential(&a.institution_id, a.id, audit("xapi.credential.revoke"))
        .await
        .unwrap();
    let again = store
        .revoke_xapi_credential(&a.institution_id, a.id, audit("xapi.credential.revoke"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict("already_revoked"))),
        "{again:?}"
    );
    assert!(store
        .xapi_credential_by_key("key-1")
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_some());
    assert_eq!(audit_count(store, "xapi.credential.revoke").await, 1);
    assert_eq!(audit_count(store, "xapi.credential.create").await, 2);
}

/// A job is stored whole; the same statement again is accepted without a write; a different
/// statement under a used id makes the whole job a conflict that writes nothing; `stored`
/// grows with storage order; tenants do not see each other's statements.
pub async fn xapi_jobs_are_all_or_nothing_and_ids_are_immutable(store: &dyn Store) {
    let c = credential(store, 3).await;
    let other = credential(store, 4).await;
    let (s1, s2, s3) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let first = store
        .store_statements(job(
            &c,
            vec![
                statement(s1, &[1], None, false),
                statement(s2, &[1, 2], None, false),
            ],
        ))
        .await
        .unwrap();
    assert!(
        matches!(first, JobOutcome::Stored { ref new, .. } if new == &vec![true, true]),
        "{first:?}"
    );
    let again = store
        .store_statements(job(
            &c,
            vec![
                statement(s1, &[1], None, false),
                statement(s3, &[1], None, false),
            ],
        ))
        .await
        .unwrap();
    assert!(
        matches!(again, JobOutcome::Stored { ref new, .. } if new == &vec![false, true]),
        "{again:?}"
    );
    let clash = store
        .store_statements(job(
            &c,
            vec![
                statement(Uuid::new_v4(), &[1], None, false),
                statement(s2, &[9], None, false),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(clash, JobOutcome::Conflict(s2));
    assert_eq!(
        ids(store, &c, &[1]).await,
        vec![s3, s2, s1],
        "newest first; the conflicting job wrote nothing"
    );
    assert_eq!(ids(store, &c, &[1, 2]).await, vec![s2]);
    assert!(
        ids(store, &other, &[1]).await.is_empty(),
        "another tenant sees nothing"
    );
    // Keys use the whole 64-bit range.
    let extreme = Uuid::new_v4();
    let (high, low) = (i64::MAX - 7, i64::MIN + 3);
    store
        .store_statements(job(&c, vec![statement(extreme, &[high, low], None, false)]))
        .await
        .unwrap();
    assert_eq!(ids(store, &c, &[high]).await, vec![extreme]);
    assert_eq!(ids(store, &c, &[low, high]).await, vec![extreme]);
    let one = store.statement(c.tenant, s1).await.unwrap().unwrap();
    let three = store.statement(c.tenant, s3).await.unwrap().unwrap();
    assert!(one.stored < three.stored && one.seq < three.seq);
    let body: serde_json::Value = serde_json::from_str(&one.body).unwrap();
    assert_eq!(
        body["stored"], body["timestamp"],
        "timestamp defaults to stored"
    );
    assert!(store.statement(other.tenant, s1).await.unwrap().is_none());
    let counted = store
        .xapi_credential_by_key("key-3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(counted.statements, 4);
    assert_eq!(
        store
            .activity_definition(c.tenant, "http://example.com/a")
            .await
            .unwrap()
            .as_deref(),
        Some("{\"type\":\"t\"}")
    );
}

/// Voiding hides the target from queries but not from reads by id; a voiding statement that
/// arrives before its target voids it on arrival; a voiding statement is never voided itself.
/// A statement that refers to another matches the other's filters, whichever came first,
/// through chains of references.
pub async fn xapi_voiding_and_references(store: &dyn Store) {
    let c = credential(store, 5).await;
    let (t, v, early_target, early_voider, r1, r2, base) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    store
        .store_statements(job(&c, vec![statement(t, &[10], None, false)]))
        .await
        .unwrap();
    store
        .store_statements(job(&c, vec![statement(v, &[20], Some(t), true)]))
        .await
        .unwrap();
    assert!(store.statement(c.tenant, t).await.unwrap().unwrap().voided);
    assert!(
        ids(store, &c, &[10]).await == vec![v],
        "the target is hidden, the voiding statement inherits its keys"
    );
    store
        .store_statements(job(
            &c,
            vec![statement(early_voider, &[30], Some(early_target), true)],
        ))
        .await
        .unwrap();
    store
        .store_statements(job(&c, vec![statement(early_target, &[31], None, false)]))
        .await
        .unwrap();
    assert!(
        store
            .statement(c.tenant, early_target)
            .await
            .unwrap()
            .unwrap()
            .voided
    );
    assert_eq!(ids(store, &c, &[31]).await, vec![early_voider]);
    // A voiding statement aimed at a voiding statement changes nothing.
    store
        .store_statements(job(
            &c,
            vec![statement(Uuid::new_v4(), &[40], Some(v), true)],
        ))
        .await
        .unwrap();
    assert!(!store.statement(c.tenant, v).await.unwrap().unwrap().voided);
    // r2 → r1 → base, stored before base exists: both gain base's keys when it arrives.
    store
        .store_statements(job(&c, vec![statement(r1, &[50], Some(base), false)]))
        .await
        .unwrap();
    store
        .store_statements(job(&c, vec![statement(r2, &[51], Some(r1), false)]))
        .await
        .unwrap();
    assert_eq!(ids(store, &c, &[51]).await, vec![r2]);
    store
        .store_statements(job(&c, vec![statement(base, &[52], None, false)]))
        .await
        .unwrap();
    assert_eq!(ids(store, &c, &[52]).await, vec![base, r2, r1]);
    assert_eq!(ids(store, &c, &[50]).await, vec![r2, r1]);
    // References inside one job, in either order.
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    store
        .store_statements(job(
            &c,
            vec![
                statement(a, &[60], Some(b), false),
                statement(b, &[61], None, false),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(ids(store, &c, &[61]).await, vec![b, a]);
}

/// Pages go newest first or oldest first, continue after the last one seen, never show a
/// statement stored after the first page, and honour since/until.
pub async fn xapi_pages_are_stable(store: &dyn Store) {
    let c = credential(store, 6).await;
    let all: Vec<Uuid> = (0..7).map(|_| Uuid::new_v4()).collect();
    for id in &all {
        store
            .store_statements(job(&c, vec![statement(*id, &[7], None, false)]))
            .await
            .unwrap();
    }
    let mut filter = StatementFilter {
        tenant: c.tenant,
        keys: vec![7],
        limit: 3,
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = store.statements(&filter).await.unwrap();
        let v: Vec<serde_json::Value> =
            serde_json::from_str(&format!("[{}]", page.joined)).unwrap();
        seen.extend(
            v.iter()
                .map(|s| s["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
        );
        if seen.len() == 3 {
            store
                .store_statements(job(&c, vec![statement(Uuid::new_v4(), &[7], None, false)]))
                .await
                .unwrap();
        }
        match page.more_after {
            Some(after) => {
                filter.after_seq = Some(after);
                filter.upto_seq = Some(page.upto_seq);
            }
            None => break,
        }
    }
    let newest_first: Vec<Uuid> = all.iter().rev().copied().collect();
    assert_eq!(seen, newest_first);
    let asc = store
        .statements(&StatementFilter {
            tenant: c.tenant,
            keys: vec![7],
            limit: 2,
            ascending: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(asc.joined.starts_with(&format!("{{\"id\":\"{}\"", all[0])));
    let third = store.statement(c.tenant, all[2]).await.unwrap().unwrap();
    let micros = (third.stored.unix_timestamp_nanos() / 1_000) as i64;
    let since = store
        .statements(&StatementFilter {
            tenant: c.tenant,
            keys: vec![7],
            limit: 100,
            since: Some(micros),
            ascending: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        since
            .joined
            .starts_with(&format!("{{\"id\":\"{}\"", all[3])),
        "since is exclusive"
    );
    let until = store
        .statements(&StatementFilter {
            tenant: c.tenant,
            limit: 100,
            until: Some(micros),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(until.count, 3, "until is inclusive");
}

/// Documents: compare-and-set by ETag (absent = `None`), listing by scope and time, deleting a
/// scope, and nothing shared between tenants or kinds.
pub async fn xapi_documents_compare_and_set(store: &dyn Store) {
    let c = credential(store, 8).await;
    let scope = DocumentScope {
        tenant: c.tenant,
        kind: DocumentKind::State,
        activity: "http://example.com/a".into(),
        agent: "mbox:mailto:a@example.com".into(),
        registration: String::new(),
    };
    let doc = |etag: &str| Document {
        content_type: "application/json".into(),
        content: b"{\"a\":1}".to_vec(),
        etag: etag.into(),
        updated: time::OffsetDateTime::now_utc(),
    };
    assert!(store
        .put_document_if(&scope, "s1", None, Some(doc("\"e1\"")))
        .await
        .unwrap());
    assert!(
        !store
            .put_document_if(&scope, "s1", None, Some(doc("\"e2\"")))
            .await
            .unwrap(),
        "exists now"
    );
    assert!(!store
        .put_document_if(&scope, "s1", Some("\"zz\""), Some(doc("\"e2\"")))
        .await
        .unwrap());
    assert!(store
        .put_document_if(&scope, "s1", Some("\"e1\""), Some(doc("\"e2\"")))
        .await
        .unwrap());
    assert_eq!(
        store.document(&scope, "s1").await.unwrap().unwrap().etag,
        "\"e2\""
    );
    assert!(store
        .put_document_if(&scope, "s2", None, Some(doc("\"e3\"")))
        .await
        .unwrap());
    assert_eq!(
        store.document_ids(&scope, None).await.unwrap(),
        vec!["s1", "s2"]
    );
    let profile = DocumentScope {
        kind: DocumentKind::ActivityProfile,
        agent: String::new(),
        ..scope.clone()
    };
    assert!(store.document(&profile, "s1").await.unwrap().is_none());
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    assert!(store
        .document_ids(&scope, Some(later))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .put_document_if(&scope, "s2", Some("\"e3\""), None)
        .await
        .unwrap());
    assert_eq!(store.delete_documents(&scope).await.unwrap(), 1);
    assert!(store.document(&scope, "s1").await.unwrap().is_none());
}

/// Refused requests are kept newest first for the console.
pub async fn xapi_refusals_are_kept_newest_first(store: &dyn Store) {
    let c = credential(store, 9).await;
    for n in 0..3u16 {
        store
            .record_xapi_refusal(
                c.tenant,
                XapiRefusal {
                    at: time::OffsetDateTime::now_utc(),
                    credential: c.id,
                    method: "POST".into(),
                    resource: "statements".into(),
                    status: 400 + n,
                    code: format!("code_{n}"),
                    message: "m".into(),
                    message_zh: "说明".into(),
                },
            )
            .await
            .unwrap();
    }
    let kept = store.xapi_refusals(c.tenant, 2).await.unwrap();
    assert_eq!(
        kept.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![402, 401]
    );
    assert_eq!(
        (kept[0].message.as_str(), kept[0].message_zh.as_str()),
        ("m", "说明")
    );
}

/// Jobs sent at once (committed together by the writer) are decided one after the other: of
/// eight jobs using one id for different statements exactly one is stored, and of eight
/// sending the same statement exactly one writes it.
pub async fn xapi_concurrent_jobs_with_one_id_have_one_winner(store: &dyn Store) {
    let c = credential(store, 10).await;
    let id = Uuid::new_v4();
    let racers = (0..8i64)
        .map(|n| store.store_statements(job(&c, vec![statement(id, &[100 + n], None, false)])));
    let outcomes = futures_util::future::join_all(racers).await;
    let stored = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(JobOutcome::Stored { .. })))
        .count();
    let conflicts = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(JobOutcome::Conflict(x)) if *x == id))
        .count();
    assert_eq!((stored, conflicts), (1, 7), "{outcomes:?}");

    let same = Uuid::new_v4();
    let racers =
        (0..8).map(|_| store.store_statements(job(&c, vec![statement(same, &[200], None, false)])));
    let outcomes = futures_util::future::join_all(racers).await;
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(JobOutcome::Stored { new, .. }) if new == &vec![true]))
        .count();
    let accepted = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(JobOutcome::Stored { .. })))
        .count();
    assert_eq!((written, accepted), (1, 8), "{outcomes:?}");
    assert_eq!(ids(store, &c, &[200]).await, vec![same]);
}

//! Conformance cases of conversion: one open application per learner and programme, an
//! outcome or a course exempted once per programme (R21) with nothing written on a refusal,
//! and one winner among concurrent deciders.

use lifelong_core::archive::EntryKind;
use lifelong_core::conversion::ExemptionRequest;
use lifelong_core::credits::Credits;
use lifelong_core::framework::{Level, Text2};
use lifelong_core::outcome::{CreditCategory, LearningMode, Outcome, OutcomeClass, OutcomeKind};
use lifelong_core::programme::{ConversionCaps, Course, Programme};
use lifelong_core::review::{OutcomeOrigin, OutcomeStatus};
use time::macros::date;

use super::{audit, institution, new_account};
use crate::*;

struct Fixture {
    account: AccountId,
    institution: InstitutionId,
    outcomes: Vec<OutcomeId>,
}

fn course(code: &str) -> Course {
    Course {
        code: code.to_owned(),
        title: Text2::new(code, code),
        credits: Credits::whole(4),
        level: Level::new(5).unwrap(),
        category: CreditCategory::Academic,
        compulsory: true,
        capstone: false,
    }
}

/// An institution with programme `P-CONV`, a learner, and two accepted outcomes of theirs.
async fn fixture(store: &dyn Store, n: u32, tag: &str) -> Fixture {
    let inst = institution(store, n).await;
    let programme = Programme {
        code: "P-CONV".into(),
        institution: inst.credit_code.as_str().to_owned(),
        title: Text2::new("测试专业", "Test programme"),
        level: Level::new(6).unwrap(),
        award_credits: Credits::whole(60),
        courses: vec![course("C-1"), course("C-2"), course("C-3")],
        caps: ConversionCaps::default(),
    };
    store
        .save_programme(&programme, audit("programme.save"))
        .await
        .unwrap();
    let account = new_account(tag, None);
    let account_id = account.id.clone();
    store
        .open_account(account, audit("account.open"))
        .await
        .unwrap();
    let mut outcomes = Vec::new();
    let mut batch = Vec::new();
    for i in 0..2 {
        let id = OutcomeId::new();
        batch.push(NewOutcome {
            id: id.clone(),
            account_id: account_id.clone(),
            institution_id: Some(inst.id.clone()),
            external_id: Some(format!("{tag}-{i}")),
            origin: OutcomeOrigin::Deposit,
            status: OutcomeStatus::Accepted,
            outcome: Outcome {
                id: id.to_string(),
                title: format!("证书{i}"),
                kind: OutcomeKind::SkillCertificate,
                class: OutcomeClass::NonFormal,
                category: CreditCategory::Vocational,
                industry: None,
                level: Level::new(5),
                mode: LearningMode::Classroom,
                completed_on: date!(2025 - 06 - 01),
                hours: None,
                credits: Some(Credits::whole(4)),
                score: None,
                passed: true,
                certificate_code: None,
                certificate_level: None,
                course_code: None,
                source: None,
            },
            due_on: None,
            entry: Some(entry(&format!("{{\"outcome\":{i}}}"))),
            recognition: None,
            evidence: Vec::new(),
        });
        outcomes.push(id);
    }
    store
        .deposit_outcomes(batch, None, audit("outcome.deposit"))
        .await
        .unwrap();
    Fixture {
        account: account_id,
        institution: inst.id,
        outcomes,
    }
}

fn entry(body: &str) -> NewEntry {
    NewEntry {
        id: EntryId::new(),
        kind: EntryKind::Exemption,
        reverses: None,
        body: body.to_owned(),
        year: Some(2026),
        category: Some(CreditCategory::Academic),
        outcome_kind: Some(OutcomeKind::SkillCertificate),
    }
}

fn application(f: &Fixture, pairs: &[(usize, &str)]) -> NewConversionApplication {
    NewConversionApplication {
        id: ApplicationId::new(),
        account_id: f.account.clone(),
        programme_code: "P-CONV".into(),
        institution_id: f.institution.clone(),
        applied_on: date!(2026 - 03 - 02),
        due_on: date!(2026 - 03 - 23),
        requested: pairs
            .iter()
            .map(|(o, c)| ExemptionRequest::new(f.outcomes[*o].to_string(), *c))
            .collect(),
        explanation: "{}".into(),
    }
}

fn exemption(f: &Fixture, outcome: usize, course: &str) -> NewExemption {
    NewExemption {
        id: ExemptionId::new(),
        course_code: course.to_owned(),
        outcome_id: f.outcomes[outcome].clone(),
        outcome_kind: OutcomeKind::SkillCertificate,
        rule_code: "CR-1".into(),
        rule_version: 1,
        credits: Credits::whole(4),
        entry: entry(&format!("{{\"course\":\"{course}\"}}")),
    }
}

fn verdict(exemptions: Vec<NewExemption>) -> ConversionVerdict {
    ConversionVerdict {
        decision: "{}".into(),
        decided_by: None,
        exemptions,
    }
}

pub async fn r21_an_outcome_or_a_course_is_exempted_once_per_programme(store: &dyn Store) {
    let f = fixture(store, 81, "conv-once").await;
    let first = store
        .create_conversion_application(application(&f, &[(0, "C-1")]), audit("conv.apply"))
        .await
        .unwrap();
    assert_eq!(first.status, ApplicationStatus::Pending);
    assert_eq!(first.requested.len(), 1);
    let open_twice = store
        .create_conversion_application(application(&f, &[(1, "C-2")]), audit("conv.apply"))
        .await;
    assert!(
        matches!(open_twice, Err(StoreError::Conflict("application_open"))),
        "one open application per learner and programme: {open_twice:?}"
    );
    let decided = store
        .decide_conversion(
            &first.id,
            first.version,
            verdict(vec![exemption(&f, 0, "C-1")]),
            audit("conv.decide"),
        )
        .await
        .unwrap();
    assert_eq!(decided.status, ApplicationStatus::Decided);
    assert_eq!(decided.decision.as_deref(), Some("{}"));
    let archived = store.archive_all(&f.account).await.unwrap().len();

    let second = store
        .create_conversion_application(application(&f, &[(0, "C-2")]), audit("conv.apply"))
        .await
        .unwrap();
    for (outcome, course) in [(0, "C-2"), (1, "C-1")] {
        let refused = store
            .decide_conversion(
                &second.id,
                second.version,
                verdict(vec![
                    exemption(&f, 1, "C-3"),
                    exemption(&f, outcome, course),
                ]),
                audit("conv.decide"),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Conflict("outcome_already_used"))),
            "R21: {outcome} for {course}: {refused:?}"
        );
    }
    let still = store.conversion_application(&second.id).await.unwrap();
    assert_eq!(still.status, ApplicationStatus::Pending, "nothing written");
    assert_eq!(still.version, second.version);
    assert_eq!(store.archive_all(&f.account).await.unwrap().len(), archived);
    let held = store
        .exemptions_of(&f.account, Some("P-CONV"))
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].prior().course_code, "C-1");
    assert_eq!(held[0].credits, Credits::whole(4));

    store
        .decide_conversion(
            &second.id,
            second.version,
            verdict(vec![exemption(&f, 1, "C-2")]),
            audit("conv.decide"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.exemptions_in_programme("P-CONV").await.unwrap().len(),
        2
    );
    let mine = store
        .conversion_applications_of(&f.account, Some("P-CONV"))
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].id, second.id, "newest first");
    let queue = store
        .conversion_queue(
            &f.institution,
            Some(ApplicationStatus::Decided),
            &Cursor::new(None, Some(1)),
        )
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    let rest = store
        .conversion_queue(
            &f.institution,
            Some(ApplicationStatus::Decided),
            &Cursor::new(queue.next, Some(1)),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_ne!(rest.items[0].id, queue.items[0].id);
    let report = store.verify_archive().await.unwrap();
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

pub async fn concurrent_conversion_decisions_have_one_winner(store: &dyn Store) {
    let f = fixture(store, 82, "conv-race").await;
    let app = store
        .create_conversion_application(
            application(&f, &[(0, "C-1"), (1, "C-2")]),
            audit("conv.apply"),
        )
        .await
        .unwrap();
    let before = store.archive_all(&f.account).await.unwrap().len();
    let (x, y) = tokio::join!(
        store.decide_conversion(
            &app.id,
            app.version,
            verdict(vec![exemption(&f, 0, "C-1")]),
            audit("conv.decide"),
        ),
        store.decide_conversion(
            &app.id,
            app.version,
            verdict(vec![exemption(&f, 1, "C-2")]),
            audit("conv.decide"),
        ),
    );
    let wins = [&x, &y].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "exactly one decider wins: {x:?} {y:?}");
    let loser = if x.is_err() { x } else { y };
    assert!(matches!(
        loser,
        Err(StoreError::Conflict("already_decided"))
    ));
    assert_eq!(
        store.archive_all(&f.account).await.unwrap().len(),
        before + 1,
        "the loser wrote nothing"
    );
    assert_eq!(
        store.exemptions_of(&f.account, None).await.unwrap().len(),
        1
    );
    let pending = store
        .conversion_queue(
            &f.institution,
            Some(ApplicationStatus::Pending),
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert!(pending.items.is_empty());
}

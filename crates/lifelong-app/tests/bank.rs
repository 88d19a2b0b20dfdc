//! The credit bank's use cases end to end on a real (SQLite) store: deposits by trusted and
//! other institutions (R15), recognition under a published standard (R16), the review queue
//! with one winner (R15), deposits from files with dry run and no double deposit, and the
//! learner's archive (R7–R9).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use lifelong_app::bank::{DepositInput, Deposited, EntryBody, OutcomeInput};
use lifelong_app::{
    Actor, App, AppError, InstitutionInput, OpenAccountInput, PasswordCost, Settings,
};
use lifelong_core::archive::EntryKind;
use lifelong_core::outcome::CreditCategory;
use lifelong_core::review::{OutcomeStatus, ReviewAction};
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{AccountId, ArchiveFilter, Cursor, InstitutionId, Store};
use lifelong_store_sql::testing::{fresh_sqlite, TestStore};
use lifelong_vault::{MasterKey, Vault};

const CATALOG: &str = r#"
[[units]]
code = "U-V-D-0104"
title = { zh = "电工（四级/中级工）", en = "Electrician (level 4)" }
level = 4
credits = "4"
category = "vocational"
industry = "D"
criteria = { zh = "持有电工四级及以上职业技能等级证书", en = "Holds an electrician certificate at level 4 or higher" }
window = { from = 2024-01-01 }

[[standards]]
code = "RS-ELEC-4"
title = { zh = "电工四级证书认定", en = "Electrician level 4 certificate" }
unit_code = "U-V-D-0104"
window = { from = 2024-01-01 }
[standards.criteria]
kinds = ["skill_certificate"]
certificate_code = "6-31-01-03"
certificate_level_at_least = 4
"#;

struct Bank {
    app: App,
    _store: TestStore,
    trusted: InstitutionId,
    other: InstitutionId,
    learner: AccountId,
    second: AccountId,
}

fn staff(role: Role, institution: Option<&InstitutionId>) -> Actor {
    Actor {
        role,
        institution: institution.cloned(),
        ..Actor::system()
    }
}

fn learner(account: &AccountId) -> Actor {
    Actor {
        role: Role::Learner,
        account: Some(account.clone()),
        ..Actor::system()
    }
}

fn id_number(seq: u32) -> String {
    let body = format!("31010419800101{seq:03}");
    let check = lifelong_core::id_number::check_char(&body).unwrap();
    format!("{body}{check}")
}

fn credit_code(n: u32) -> String {
    let body = format!("91310000{n:09}");
    format!(
        "{body}{}",
        lifelong_core::credit_code::check_char(&body).unwrap()
    )
}

async fn institution(app: &App, n: u32, trusted: bool) -> InstitutionId {
    let input = InstitutionInput {
        credit_code: credit_code(n),
        name_zh: format!("测试培训中心{n}"),
        name_en: format!("Test Centre {n}"),
        kind: "training_institution".into(),
        district_code: "310104".into(),
        status: None,
        trusted: trusted.then(|| "on".into()),
    };
    app.create_institution(&Actor::system(), input)
        .await
        .unwrap()
        .id
}

async fn open(app: &App, institution: &InstitutionId, seq: u32) -> AccountId {
    let actor = staff(Role::InstitutionOperator, Some(institution));
    let input = OpenAccountInput {
        name: "王小明".into(),
        id_number: id_number(seq),
        mobile: None,
        guardian_name: None,
    };
    match app.open_account(&actor, input, Lang::Zh).await.unwrap() {
        lifelong_store::Opened::Created(a) | lifelong_store::Opened::Existing(a) => a.id,
    }
}

async fn bank() -> Bank {
    let store = fresh_sqlite().await.unwrap();
    let shared: Arc<dyn Store> = Arc::new(store.store().clone());
    let settings = Settings {
        password_cost: PasswordCost::for_tests(),
        ..Settings::default()
    };
    let app = App::new(
        shared,
        Arc::new(Vault::new(&MasterKey::generate())),
        settings,
    );
    app.seed_defaults().await.unwrap();
    app.import_catalog(&staff(Role::Reviewer, None), CATALOG)
        .await
        .unwrap();
    let trusted = institution(&app, 1, true).await;
    let other = institution(&app, 2, false).await;
    let learner = open(&app, &trusted, 1).await;
    let second = open(&app, &trusted, 2).await;
    Bank {
        app,
        _store: store,
        trusted,
        other,
        learner,
        second,
    }
}

fn certificate(seq: u32, external: &str) -> DepositInput {
    DepositInput {
        id_number: id_number(seq),
        external_id: Some(external.into()),
        outcome: OutcomeInput {
            title: "电工（四级）".into(),
            kind: "skill_certificate".into(),
            completed_on: "2025-06-30".into(),
            certificate_code: Some("6-31-01-03".into()),
            certificate_level: Some("4".into()),
            ..Default::default()
        },
    }
}

#[tokio::test]
async fn r15_r16_a_trusted_deposit_counts_at_once_and_is_recognised() {
    let b = bank().await;
    let operator = staff(Role::InstitutionOperator, Some(&b.trusted));
    let Deposited::Created(o) = b
        .app
        .deposit_outcome(&operator, &certificate(1, "C-1"))
        .await
        .unwrap()
    else {
        panic!("expected a new deposit")
    };
    assert_eq!(o.status, OutcomeStatus::Accepted);
    let me = learner(&b.learner);
    let page = b
        .app
        .archive_page(&me, &b.learner, &ArchiveFilter::default(), &Cursor::first())
        .await
        .unwrap();
    let kinds: Vec<EntryKind> = page.items.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Recognition, EntryKind::Outcome]);
    let EntryBody::Recognition(r) = &page.items[0].body else {
        panic!("a recognition body")
    };
    assert_eq!(
        (r.unit_code.as_str(), r.credits.to_string()),
        ("U-V-D-0104", "4".to_owned())
    );
    assert!(r.certificate_no.starts_with("SHCB-"));
    let (totals, recognitions) = b.app.credit_summary(&me, &b.learner).await.unwrap();
    let vocational = totals
        .iter()
        .find(|t| t.category == CreditCategory::Vocational)
        .unwrap();
    assert_eq!(vocational.credits.to_string(), "4");
    assert_eq!(recognitions.len(), 1);

    // The same external id again: the earlier record, nothing new in the archive.
    let again = b
        .app
        .deposit_outcome(&operator, &certificate(1, "C-1"))
        .await
        .unwrap();
    assert!(matches!(again, Deposited::Existing(ref e) if e.id == o.id));
    assert_eq!(
        b.app
            .export_archive(&me, &b.learner)
            .await
            .unwrap()
            .entries
            .len(),
        2
    );
}

#[tokio::test]
async fn r15_other_deposits_wait_and_exactly_one_reviewer_decides() {
    let b = bank().await;
    let operator = staff(Role::InstitutionOperator, Some(&b.other));
    let Deposited::Created(o) = b
        .app
        .deposit_outcome(&operator, &certificate(2, "X-1"))
        .await
        .unwrap()
    else {
        panic!("expected a new deposit")
    };
    assert_eq!(o.status, OutcomeStatus::Pending);
    let due = o.due_on.unwrap();
    assert_eq!(
        lifelong_core::calendar::WorkCalendar::default().due_date(o.submitted_at.date(), 15),
        due
    );
    let reviewer = staff(Role::Reviewer, None);
    let queue = b
        .app
        .review_queue(&reviewer, false, &Cursor::first())
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    assert!(!queue.items[0].overdue);
    let case = b.app.review_case(&reviewer, &o.id, Lang::En).await.unwrap();
    assert!(
        case.recognition_preview.contains("U-V-D-0104"),
        "{}",
        case.recognition_preview
    );

    let refused = b
        .app
        .decide_outcome(&reviewer, &o.id, o.version, ReviewAction::Reject, " ")
        .await;
    assert!(
        matches!(refused, Err(AppError::Invalid(_))),
        "a rejection needs a reason"
    );
    let (x, y) = tokio::join!(
        b.app
            .decide_outcome(&reviewer, &o.id, o.version, ReviewAction::Accept, ""),
        b.app.decide_outcome(
            &reviewer,
            &o.id,
            o.version,
            ReviewAction::Reject,
            "证书无法核验"
        ),
    );
    assert_eq!(
        [&x, &y].iter().filter(|r| r.is_ok()).count(),
        1,
        "{x:?} {y:?}"
    );
    let lost = if x.is_err() { x } else { y };
    assert!(matches!(lost, Err(AppError::Conflict("already_decided"))));
    assert!(b
        .app
        .review_queue(&reviewer, false, &Cursor::first())
        .await
        .unwrap()
        .items
        .is_empty());
    // Someone else cannot review; a learner cannot read another learner's archive.
    assert!(matches!(
        b.app.review_queue(&operator, false, &Cursor::first()).await,
        Err(AppError::Forbidden)
    ));
    let other = learner(&b.second);
    assert!(matches!(
        b.app.export_archive(&other, &b.learner).await,
        Err(AppError::Forbidden)
    ));
}

#[tokio::test]
async fn deposit_files_are_checked_whole_and_never_deposit_twice() {
    let b = bank().await;
    let operator = staff(Role::InstitutionOperator, Some(&b.trusted));
    let header = "身份证号码,机构记录编号,成果名称,成果类型,完成日期,学时,证书代码,证书等级\n";
    let bad = format!(
        "{header}{},F-1,电工（四级）,skill_certificate,2025-06-30,,6-31-01-03,4\n{},F-1,插花,community_course,2025-03-01,12,,\n310104198001019999,F-2,茶艺,training,2030-01-01,8,,\n",
        id_number(1),
        id_number(2)
    );
    let report = b
        .app
        .check_deposit_upload(&operator, "bad.csv", bad.as_bytes(), Lang::En)
        .await
        .unwrap();
    assert!(report.upload_id.is_none());
    let codes: Vec<(usize, &str)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert!(codes.contains(&(3, "duplicate_in_file")), "{codes:?}");
    assert!(codes.iter().any(|(row, _)| *row == 4), "{codes:?}");
    assert!(
        b.app
            .export_archive(&learner(&b.learner), &b.learner)
            .await
            .unwrap()
            .entries
            .is_empty(),
        "nothing written"
    );

    let good = format!(
        "{header}{},F-1,电工（四级）,skill_certificate,2025-06-30,,6-31-01-03,4\n{},F-2,插花,community_course,2025-03-01,12,,\n",
        id_number(1),
        id_number(2)
    );
    let report = b
        .app
        .check_deposit_upload(&operator, "good.csv", good.as_bytes(), Lang::Zh)
        .await
        .unwrap();
    assert_eq!(
        (
            report.error_count,
            report.to_deposit,
            report.to_accept,
            report.to_recognise
        ),
        (0, 2, 2, 1)
    );
    let upload = report.upload_id.unwrap();
    let done = b
        .app
        .commit_deposit_upload(&operator, &upload, Lang::Zh)
        .await
        .unwrap();
    assert_eq!(done.outcome.unwrap().created, 2);
    let twice = b
        .app
        .commit_deposit_upload(&operator, &upload, Lang::Zh)
        .await;
    assert!(matches!(
        twice,
        Err(AppError::Conflict("upload_already_committed"))
    ));
    let again = b
        .app
        .check_deposit_upload(&operator, "good.csv", good.as_bytes(), Lang::Zh)
        .await
        .unwrap();
    assert_eq!((again.to_deposit, again.already_deposited), (0, 2));
    let export = b
        .app
        .export_archive(&learner(&b.learner), &b.learner)
        .await
        .unwrap();
    assert_eq!(export.entries.len(), 2);
    let csv = lifelong_app::bank::archive_csv(&export, Lang::Zh);
    assert!(csv.contains("电工（四级）"));
    assert_eq!(csv.lines().count(), 3);
    let report = b.app.verify_archive(&Actor::system()).await.unwrap();
    assert!(report.broken.is_empty());
    assert_eq!(report.entries, 3);
}

#[tokio::test]
async fn r16_a_standard_imported_applies_to_the_next_deposit_at_once() {
    let b = bank().await;
    let operator = staff(Role::InstitutionOperator, Some(&b.trusted));
    let mut welder = certificate(1, "W-1");
    welder.outcome.title = "焊工（四级）".into();
    welder.outcome.certificate_code = Some("6-18-02-04".into());
    let Deposited::Created(first) = b.app.deposit_outcome(&operator, &welder).await.unwrap() else {
        panic!("expected a new deposit")
    };
    let me = learner(&b.learner);
    let (_, recognitions) = b.app.credit_summary(&me, &b.learner).await.unwrap();
    assert!(
        recognitions.iter().all(|r| r.outcome_id != first.id),
        "no standard for welders yet"
    );

    let welders = r#"
[[units]]
code = "U-V-C-0204"
title = { zh = "焊工（四级/中级工）", en = "Welder (level 4)" }
level = 4
credits = "4"
category = "vocational"
criteria = { zh = "持有焊工四级证书", en = "Holds a welder level 4 certificate" }
window = { from = 2024-01-01 }

[[standards]]
code = "RS-WELD-4"
title = { zh = "焊工四级证书认定", en = "Welder level 4" }
unit_code = "U-V-C-0204"
window = { from = 2024-01-01 }
[standards.criteria]
kinds = ["skill_certificate"]
certificate_code = "6-18-02-04"
certificate_level_at_least = 4
"#;
    b.app
        .import_catalog(&staff(Role::Reviewer, None), welders)
        .await
        .unwrap();
    welder.external_id = Some("W-2".into());
    let Deposited::Created(second) = b.app.deposit_outcome(&operator, &welder).await.unwrap()
    else {
        panic!("expected a new deposit")
    };
    let (_, recognitions) = b.app.credit_summary(&me, &b.learner).await.unwrap();
    assert!(
        recognitions
            .iter()
            .any(|r| r.outcome_id == second.id && r.unit_code == "U-V-C-0204"),
        "the cached standards were dropped when the catalog changed"
    );
}

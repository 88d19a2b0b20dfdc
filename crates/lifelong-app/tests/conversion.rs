//! Conversion end to end on a real (SQLite) store: the learner's plan under the caps (R18) and
//! the capstone rule (R19), rules out of their window (R17), only verified accounts apply (R6),
//! the institution's decision recording exemptions with the grade 免考 in a chain that still
//! verifies (R8, R20), an outcome used once per programme (R21), and explanations that name
//! rule, outcome and limit in both languages (R23).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use lifelong_app::bank::{ConversionRecord, DepositInput, ExemptionBody, OutcomeInput};
use lifelong_app::{
    Actor, App, AppError, InstitutionInput, OpenAccountInput, PasswordCost, Settings,
};
use lifelong_core::account::AccountError;
use lifelong_core::archive::EntryKind;
use lifelong_core::conversion::{ExemptionRequest, Refusal};
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{
    AccountId, ApplicationStatus, ArchiveFilter, ArchiveStore, ConversionStore, Cursor,
    InstitutionId, OutcomeStore, Store,
};
use lifelong_store_sql::testing::{fresh_sqlite, TestStore};
use lifelong_vault::{MasterKey, Vault};

/// A programme of 28 compulsory credits (cap: 35% = 9.8), with rules for four courses: one
/// by a recognised certificate, two by courses taken elsewhere, one for the capstone (R19),
/// and one whose window closed long ago (R17).
const CATALOG: &str = r#"
[[units]]
code = "U-V-D-0104"
title = { zh = "电工（四级/中级工）", en = "Electrician (level 4)" }
level = 4
credits = "4"
category = "vocational"
industry = "D"
criteria = { zh = "持有电工四级及以上证书", en = "Holds a level 4 certificate or higher" }
window = { from = 2024-01-01 }

[[standards]]
code = "RS-ELEC-4"
title = { zh = "电工四级证书认定", en = "Electrician level 4" }
unit_code = "U-V-D-0104"
window = { from = 2024-01-01 }
criteria = { kinds = ["skill_certificate"], certificate_code = "6-31-01-03", certificate_level_at_least = 4 }

[[programmes]]
code = "P-DQ"
institution = "{CREDIT_CODE}"
title = { zh = "电气自动化技术", en = "Electrical Automation" }
level = 6
award_credits = "40"
courses = [
  { code = "C-101", title = { zh = "电工基础", en = "Electrical Basics" }, credits = "4", level = 4, compulsory = true },
  { code = "C-102", title = { zh = "电子技术", en = "Electronics" }, credits = "4", level = 4, compulsory = true },
  { code = "C-103", title = { zh = "电机控制", en = "Motor Control" }, credits = "4", level = 4, compulsory = true },
  { code = "C-104", title = { zh = "供配电", en = "Power Supply" }, credits = "8", level = 4, compulsory = true },
  { code = "C-199", title = { zh = "毕业设计", en = "Graduation Project" }, credits = "8", level = 4, compulsory = true, capstone = true },
  { code = "C-201", title = { zh = "智能家居", en = "Smart Homes" }, credits = "4", level = 4 },
]

[[rules]]
code = "CR-DQ-01"
title = { zh = "电工四级证书免修电工基础", en = "Electrician level 4 replaces Electrical Basics" }
programme_code = "P-DQ"
course_code = "C-101"
accepts = { unit_code = "U-V-D-0104", kinds = ["skill_certificate"] }
window = { from = 2024-01-01 }

[[rules]]
code = "CR-DQ-02"
title = { zh = "外校电子技术", en = "Electronics elsewhere" }
programme_code = "P-DQ"
course_code = "C-102"
accepts = { kinds = ["course_credit"], course_code = "EXT-2" }
window = { from = 2024-01-01 }

[[rules]]
code = "CR-DQ-03"
title = { zh = "外校电机控制", en = "Motor control elsewhere" }
programme_code = "P-DQ"
course_code = "C-103"
accepts = { kinds = ["course_credit"], course_code = "EXT-3" }
window = { from = 2024-01-01 }

[[rules]]
code = "CR-DQ-04"
title = { zh = "旧版供配电规则", en = "Old power supply rule" }
programme_code = "P-DQ"
course_code = "C-104"
accepts = { kinds = ["course_credit"], course_code = "EXT-4" }
window = { from = 2020-01-01, until = 2021-12-31 }

[[rules]]
code = "CR-DQ-99"
title = { zh = "毕业设计（不应免修）", en = "Graduation project (never exempted)" }
programme_code = "P-DQ"
course_code = "C-199"
accepts = { kinds = ["course_credit"], course_code = "EXT-9" }
window = { from = 2024-01-01 }
"#;

struct Bank {
    app: App,
    store: TestStore,
    college: InstitutionId,
    other: InstitutionId,
    learner: AccountId,
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

async fn institution(app: &App, n: u32) -> InstitutionId {
    let input = InstitutionInput {
        credit_code: credit_code(n),
        name_zh: format!("测试学院{n}"),
        name_en: format!("Test College {n}"),
        kind: "training_institution".into(),
        district_code: "310104".into(),
        status: None,
        trusted: Some("on".into()),
    };
    app.create_institution(&Actor::system(), input)
        .await
        .unwrap()
        .id
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
    let college = institution(&app, 1).await;
    let other = institution(&app, 2).await;
    app.import_catalog(
        &staff(Role::Reviewer, None),
        &CATALOG.replace("{CREDIT_CODE}", &credit_code(1)),
    )
    .await
    .unwrap();
    let operator = staff(Role::InstitutionOperator, Some(&college));
    let input = OpenAccountInput {
        name: "王小明".into(),
        id_number: id_number(1),
        mobile: None,
        guardian_name: None,
    };
    let learner = match app.open_account(&operator, input, Lang::Zh).await.unwrap() {
        lifelong_store::Opened::Created(a) | lifelong_store::Opened::Existing(a) => a.id,
    };
    Bank {
        app,
        store,
        college,
        other,
        learner,
    }
}

fn course_credit(external: &str, code: &str) -> DepositInput {
    DepositInput {
        id_number: id_number(1),
        external_id: Some(external.into()),
        outcome: OutcomeInput {
            title: format!("外校课程{code}"),
            kind: "course_credit".into(),
            completed_on: "2025-06-30".into(),
            credits: Some("4".into()),
            level: Some("5".into()),
            course_code: Some(code.into()),
            ..Default::default()
        },
    }
}

fn certificate(external: &str) -> DepositInput {
    DepositInput {
        id_number: id_number(1),
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

/// Deposits (trusted: they count at once) a certificate and courses EXT-2, EXT-3, EXT-4, EXT-9.
async fn deposit_all(b: &Bank) {
    let operator = staff(Role::InstitutionOperator, Some(&b.college));
    b.app
        .deposit_outcome(&operator, &certificate("CERT-1"))
        .await
        .unwrap();
    for code in ["EXT-2", "EXT-3", "EXT-4", "EXT-9"] {
        b.app
            .deposit_outcome(&operator, &course_credit(code, code))
            .await
            .unwrap();
    }
}

async fn verify(b: &Bank) {
    b.app
        .verify_account(&Actor::system_as(Role::Reviewer), &b.learner)
        .await
        .unwrap();
}

#[tokio::test]
async fn r18_r19_r17_the_plan_respects_the_cap_the_capstone_and_rule_windows() {
    let b = bank().await;
    deposit_all(&b).await;
    let me = learner(&b.learner);
    let preview = b.app.conversion_preview(&me, "P-DQ").await.unwrap();
    let plan = &preview.plan;
    // 35% of 28 compulsory credits is 9.8: two 4-credit courses fit, a third does not.
    assert_eq!(plan.exemptions.len(), 2, "{}", plan.summary(Lang::Zh));
    assert_eq!(plan.total.to_string(), "8");
    let total_cap = plan.caps.iter().find(|c| c.kinds.is_empty()).unwrap();
    assert_eq!(total_cap.limit.to_string(), "9.8");
    let reasons: Vec<&Refusal> = plan.refusals.iter().map(|r| &r.reason).collect();
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, Refusal::CapExceeded { .. })),
        "R18: {reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| matches!(r, Refusal::Capstone)),
        "R19: {reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, Refusal::RuleNotInForce { .. })),
        "R17: {reasons:?}"
    );
    assert!(!plan.exemptions.iter().any(|e| e.course_code == "C-199"));
    assert_eq!(preview.audit.converted.to_string(), "0");
}

#[tokio::test]
async fn r6_an_unverified_learner_cannot_apply() {
    let b = bank().await;
    deposit_all(&b).await;
    let me = learner(&b.learner);
    let refused = b.app.apply_for_conversion(&me, "P-DQ", None).await;
    assert!(
        matches!(
            refused,
            Err(AppError::AccountState(AccountError::NotVerified))
        ),
        "{refused:?}"
    );
    assert!(b
        .store
        .store()
        .conversion_applications_of(&b.learner, None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn r17_a_rule_out_of_its_window_is_refused_on_application() {
    let b = bank().await;
    deposit_all(&b).await;
    verify(&b).await;
    let me = learner(&b.learner);
    let outcomes = b.store.store().outcomes_of(&b.learner).await.unwrap();
    let ext4 = outcomes
        .iter()
        .find(|o| o.outcome.course_code.as_deref() == Some("EXT-4"))
        .unwrap();
    let pair = [ExemptionRequest::new(ext4.id.to_string(), "C-104")];
    let refused = b.app.apply_for_conversion(&me, "P-DQ", Some(&pair)).await;
    let Err(AppError::Invalid(fields)) = refused else {
        panic!("expected a refusal: {refused:?}")
    };
    assert_eq!(fields[0].code, "nothing_acceptable");
    let zh = fields[0].message(Lang::Zh);
    assert!(
        zh.contains("CR-DQ-04") && zh.contains("不在有效期内"),
        "{zh}"
    );
}

#[tokio::test]
async fn r20_r8_deciding_records_exemptions_and_archive_entries_and_the_chain_verifies() {
    let b = bank().await;
    deposit_all(&b).await;
    verify(&b).await;
    let me = learner(&b.learner);
    let application = b.app.apply_for_conversion(&me, "P-DQ", None).await.unwrap();
    assert_eq!(application.status, ApplicationStatus::Pending);
    assert_eq!(application.requested.len(), 2);
    assert!(application.due_on > application.applied_on);
    let again = b.app.apply_for_conversion(&me, "P-DQ", None).await;
    assert!(matches!(again, Err(AppError::Conflict("application_open"))));

    // Another institution does not see it.
    let stranger = staff(Role::InstitutionOperator, Some(&b.other));
    let hidden = b.app.conversion_review(&stranger, &application.id).await;
    assert!(matches!(hidden, Err(AppError::NotFound)));

    let operator = staff(Role::InstitutionOperator, Some(&b.college));
    let queue = b
        .app
        .conversion_queue(
            &operator,
            Some(ApplicationStatus::Pending),
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    let review = b
        .app
        .conversion_review(&operator, &application.id)
        .await
        .unwrap();
    assert_eq!(review.current.accepted(), 2);
    let (keep, drop) = (&application.requested[0], &application.requested[1]);
    let no_reason = b
        .app
        .decide_conversion(
            &operator,
            &application.id,
            application.version,
            std::slice::from_ref(keep),
            "",
        )
        .await;
    assert!(
        matches!(no_reason, Err(AppError::Invalid(_))),
        "a refusal needs a reason"
    );
    let decided = b
        .app
        .decide_conversion(
            &operator,
            &application.id,
            application.version,
            std::slice::from_ref(keep),
            "该课程须在本校修读。",
        )
        .await
        .unwrap();
    assert_eq!(decided.status, ApplicationStatus::Decided);
    let record = ConversionRecord::read(decided.decision.as_deref().unwrap()).unwrap();
    assert_eq!(record.accepted(), 1);
    let refused = record.pairs.iter().find(|p| !p.accepted).unwrap();
    assert_eq!(refused.course_code, drop.course_code);
    assert_eq!(refused.refused_by.as_deref(), Some("institution"));
    assert!(refused.words.zh.contains("该课程须在本校修读。"));

    let second = b
        .app
        .decide_conversion(
            &operator,
            &application.id,
            application.version,
            std::slice::from_ref(keep),
            "x",
        )
        .await;
    assert!(matches!(second, Err(AppError::Conflict("already_decided"))));

    let page = b
        .app
        .archive_page(&me, &b.learner, &ArchiveFilter::default(), &Cursor::first())
        .await
        .unwrap();
    let exemption = page
        .items
        .iter()
        .find(|e| e.kind == EntryKind::Exemption)
        .expect("an exemption entry");
    let body = ExemptionBody::of(&exemption.body).unwrap();
    assert_eq!(body.grade, "免考");
    assert_eq!(body.course_code, keep.course_code);
    assert_eq!(
        body.credits.to_string(),
        "4",
        "R20: the course's own credits"
    );
    assert!(exemption.body.title().contains("免考"));
    let report = b.store.store().verify_archive().await.unwrap();
    assert!(report.broken.is_empty(), "{:?}", report.broken);

    let preview = b.app.conversion_preview(&me, "P-DQ").await.unwrap();
    assert_eq!(preview.audit.converted.to_string(), "4");
    assert_eq!(preview.exemptions.len(), 1);
    let cohort = b.app.cohort_audit(&operator, "P-DQ").await.unwrap();
    assert_eq!(cohort.rows.len(), 1);
    assert_eq!(cohort.rows[0].1.tally.converted.to_string(), "4");
    assert!(matches!(
        b.app.cohort_audit(&stranger, "P-DQ").await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn r21_the_same_outcome_cannot_be_used_twice_in_a_programme() {
    let b = bank().await;
    deposit_all(&b).await;
    verify(&b).await;
    let me = learner(&b.learner);
    let operator = staff(Role::InstitutionOperator, Some(&b.college));
    let first = b.app.apply_for_conversion(&me, "P-DQ", None).await.unwrap();
    b.app
        .decide_conversion(&operator, &first.id, first.version, &first.requested, "")
        .await
        .unwrap();
    let used = &first.requested[0];
    // The same outcome for another course it could never replace anyway, and for the same
    // course again: nothing acceptable, the reason names R21.
    let pair = [ExemptionRequest::new(
        used.outcome_id.clone(),
        used.course_code.clone(),
    )];
    let refused = b.app.apply_for_conversion(&me, "P-DQ", Some(&pair)).await;
    let Err(AppError::Invalid(fields)) = refused else {
        panic!("expected a refusal: {refused:?}")
    };
    let en = fields[0].message(Lang::En);
    assert!(
        en.contains("already") && en.contains(&used.outcome_id),
        "R21 in plain words: {en}"
    );
    let held = b
        .store
        .store()
        .exemptions_of(&b.learner, Some("P-DQ"))
        .await
        .unwrap();
    assert_eq!(held.len(), 2);
}

#[tokio::test]
async fn r23_explanations_name_rule_outcome_and_limit_in_both_languages() {
    let b = bank().await;
    deposit_all(&b).await;
    verify(&b).await;
    let me = learner(&b.learner);
    let application = b.app.apply_for_conversion(&me, "P-DQ", None).await.unwrap();
    let record = ConversionRecord::read(&application.explanation).unwrap();
    let pair = &record.pairs[0];
    let rule = pair.rule.as_ref().unwrap();
    // People read the outcome's title; machines get its id.
    let outcome_id = lifelong_store::OutcomeId::parse(&pair.outcome_id).unwrap();
    let title = b
        .app
        .store
        .outcome(&outcome_id)
        .await
        .unwrap()
        .outcome
        .title;
    for words in [&pair.words.zh, &pair.words.en] {
        assert!(words.contains(&rule.code), "rule named: {words}");
        assert!(words.contains(&title), "outcome named: {words}");
    }
    assert!(record
        .caps
        .iter()
        .any(|c| c.zh.contains("9.8") && c.en.contains("9.8")));
    assert!(
        record.engine.get("decisions").is_some(),
        "machine-readable too"
    );

    let preview = b.app.conversion_preview(&me, "P-DQ").await.unwrap();
    let cap = preview
        .plan
        .refusals
        .iter()
        .find(|r| matches!(r.reason, Refusal::CapExceeded { .. }))
        .unwrap();
    let zh = cap.message(Lang::Zh);
    let en = cap.message(Lang::En);
    assert!(
        zh.contains("9.8") && zh.contains(&cap.outcome_title),
        "{zh}"
    );
    assert!(en.contains("9.8") && en.contains("cap"), "{en}");
}

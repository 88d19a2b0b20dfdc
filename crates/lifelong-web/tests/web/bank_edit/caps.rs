//! The limits by source on the programme form (R18): shown with their kinds, changed, added
//! and removed; each bad group is named.

use axum::http::StatusCode;
use lifelong_app::Actor;
use lifelong_core::outcome::OutcomeKind;
use lifelong_core::programme::CapBasis;
use lifelong_core::role::Role;

use super::programme;
use crate::support::{pairs, TestApp};

/// The test programme, with a limit of 20% of the award credits from skill certificates.
async fn programme_with_a_limit(t: &TestApp) {
    programme(t).await;
    let mut p = t.app.programme("P-EL").await.unwrap().programme;
    p.caps.per_source = serde_json::from_value(serde_json::json!([
        {"kinds": ["skill_certificate"], "percent": "20", "basis": "award_credits"}
    ]))
    .unwrap();
    let reviewer = Actor::system_as(Role::Reviewer);
    t.app.save_programme(&reviewer, &p).await.unwrap();
}

/// The programme form with the limit groups given as (percent, basis, kinds).
fn form(t: &TestApp, groups: &[(&str, &str, &[&str])]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("mode", "edit"),
        ("code", "P-EL"),
        ("institution", t.institution.credit_code.as_str()),
        ("title_zh", "电气技术"),
        ("title_en", "Electrical technology"),
        ("level", "6"),
        ("award_credits", "60"),
        ("cap_percent", "35"),
        ("cap_basis", "compulsory_credits"),
        (
            "courses",
            "C-101 | 电工基础 | Electrical Basics | 4 | 4 | y | n",
        ),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    for (i, (percent, basis, kinds)) in groups.iter().enumerate() {
        let n = i + 1;
        fields.push((format!("src{n}_percent"), (*percent).to_owned()));
        fields.push((format!("src{n}_basis"), (*basis).to_owned()));
        for kind in kinds.iter() {
            fields.push((format!("src{n}_kinds"), (*kind).to_owned()));
        }
    }
    fields
}

#[tokio::test]
async fn r18_limits_by_source_are_kept_on_the_programme_form() {
    let t = TestApp::sqlite().await;
    programme_with_a_limit(&t).await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let page = t.get("/bank/programmes/P-EL/edit", Some(&reviewer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("name=\"src1_percent\" value=\"20\""));
    assert!(page
        .body
        .contains("name=\"src1_kinds\" value=\"skill_certificate\" checked"));
    assert!(
        page.body.contains("name=\"src2_percent\" value=\"\""),
        "an empty group adds a limit"
    );
    assert!(page.body.contains("<label for=\"src2_percent\""));

    // Each bad group is named, and nothing changes.
    let bad = form(
        &t,
        &[
            ("120", "award_credits", &["skill_certificate"]),
            ("30", "award_credits", &[]),
            ("", "award_credits", &["self_study_exam"]),
            ("10", "nothing", &["training"]),
        ],
    );
    let refused = t
        .post_form("/bank/programmes", Some(&reviewer), &pairs(&bad))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (anchor, message) in [
        ("src1_percent", "上限须为 0 到 100 之间的百分数"),
        ("src2_kinds", "请至少勾选一种成果类型"),
        ("src3_percent", "勾选了成果类型，请填写这一项的上限"),
        ("src4_basis", "请选择上限的基数。"),
    ] {
        assert!(
            refused.body.contains(&format!("href=\"#{anchor}\"")),
            "{anchor}: {}",
            refused.body
        );
        assert!(refused.body.contains(message), "{message}");
    }
    let p = t.app.programme("P-EL").await.unwrap().programme;
    assert_eq!(p.caps.per_source.len(), 1);

    // Change the first limit and add a second; an empty group is no limit.
    let good = form(
        &t,
        &[
            (
                "25",
                "award_credits",
                &["skill_certificate", "vocational_certificate"],
            ),
            ("40", "compulsory_credits", &["self_study_exam"]),
            ("", "compulsory_credits", &[]),
        ],
    );
    let saved = t
        .post_form("/bank/programmes", Some(&reviewer), &pairs(&good))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let caps = t.app.programme("P-EL").await.unwrap().programme.caps;
    assert_eq!(caps.per_source.len(), 2);
    assert_eq!(caps.per_source[0].percent.normalize().to_string(), "25");
    assert_eq!(
        caps.per_source[0].kinds,
        [
            OutcomeKind::SkillCertificate,
            OutcomeKind::VocationalCertificate
        ]
    );
    assert_eq!(caps.per_source[1].basis, CapBasis::CompulsoryCredits);
    assert_eq!(caps.per_source[1].kinds, [OutcomeKind::SelfStudyExam]);
    let shown = t.get("/bank/programmes/P-EL", None).await;
    assert!(shown
        .body
        .contains("其中来自“自学考试”的转换学分不超过必修课学分的 40%"));

    // Clearing a group removes that limit.
    let fewer = form(
        &t,
        &[
            ("", "award_credits", &[]),
            ("40", "compulsory_credits", &["self_study_exam"]),
        ],
    );
    let saved = t
        .post_form("/bank/programmes", Some(&reviewer), &pairs(&fewer))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let caps = t.app.programme("P-EL").await.unwrap().programme.caps;
    assert_eq!(caps.per_source.len(), 1);
    assert_eq!(caps.per_source[0].kinds, [OutcomeKind::SelfStudyExam]);
}

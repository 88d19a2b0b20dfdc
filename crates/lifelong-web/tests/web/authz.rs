//! The authorisation matrix: every page route with every role (and no one), asserting who
//! gets in. A change to who may see what must change this table.

use axum::http::StatusCode;
use lifelong_core::role::Role;

use crate::support::{login_of, TestApp};

/// Who may open a page: the roles that get 200; everyone else signed in gets 403 (or 404
/// where existence is hidden), and no one signed in is sent to sign in (303).
fn allowed(path: &str) -> &'static [Role] {
    use Role::*;
    match path {
        "/me" | "/me/archive" | "/me/archive.json" | "/me/archive.csv" | "/me/apply" => &[Learner],
        "/me/conversion" => &[Learner],
        "/console/conversions" => &[InstitutionOperator, InstitutionManager],
        "/console/outcomes"
        | "/console/outcomes/template.csv"
        | "/console/outcomes/template.xlsx" => &[InstitutionOperator, InstitutionManager],
        "/review/outcomes" | "/bank/manage" | "/bank/calendar" => &[Reviewer],
        "/bank/units/new"
        | "/bank/standards/new"
        | "/bank/rules/new"
        | "/bank/programmes/new"
        | "/bank/framework/edit" => &[Reviewer],
        "/console" | "/console/accounts" | "/console/template.csv" | "/console/template.xlsx" => {
            &[InstitutionOperator, InstitutionManager]
        }
        "/review" => &[Reviewer, Administrator],
        "/admin/institutions" => &[Administrator, Regulator],
        "/admin/users" | "/admin/audit" => &[Administrator],
        "/password" => &[
            Learner,
            InstitutionOperator,
            InstitutionManager,
            Reviewer,
            Administrator,
            Regulator,
            Analyst,
        ],
        _ => &[],
    }
}

const PAGES: &[&str] = &[
    "/me",
    "/me/archive",
    "/me/archive.json",
    "/me/archive.csv",
    "/me/apply",
    "/me/conversion",
    "/console/conversions",
    "/console/outcomes",
    "/console/outcomes/template.csv",
    "/console/outcomes/template.xlsx",
    "/review/outcomes",
    "/bank/manage",
    "/bank/calendar",
    "/bank/units/new",
    "/bank/standards/new",
    "/bank/rules/new",
    "/bank/programmes/new",
    "/bank/framework/edit",
    "/console",
    "/console/accounts",
    "/console/template.csv",
    "/console/template.xlsx",
    "/review",
    "/admin/institutions",
    "/admin/users",
    "/admin/audit",
    "/password",
];

#[tokio::test]
async fn every_page_route_with_every_role() {
    let t = TestApp::sqlite().await;
    let mut sessions = Vec::new();
    for role in Role::ALL {
        sessions.push((*role, t.sign_in(login_of(*role)).await));
    }
    let mut failures = Vec::new();
    for path in PAGES {
        let anonymous = t.get(path, None).await;
        if anonymous.status != StatusCode::SEE_OTHER || !anonymous.location().starts_with("/login")
        {
            failures.push(format!("{path} anonymous: {}", anonymous.status));
        }
        for (role, session) in &sessions {
            let answer = t.get(path, Some(session)).await;
            let expected = if allowed(path).contains(role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            if answer.status != expected {
                failures.push(format!(
                    "{path} as {}: got {}, expected {expected}",
                    role.as_str(),
                    answer.status
                ));
            }
        }
    }
    // Public pages answer everyone.
    for path in [
        "/",
        "/login",
        "/register",
        "/healthz",
        "/api/v1/openapi.json",
        "/bank",
        "/bank/units",
        "/bank/standards",
        "/bank/programmes",
        "/verify/recognition",
    ] {
        assert_eq!(t.get(path, None).await.status, StatusCode::OK, "{path}");
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix mismatches:\n{}",
        failures.join("\n")
    );
}

type Fields = &'static [(&'static str, &'static str)];

/// Actions (POST routes with a valid CSRF token and a form with invalid values): the roles
/// that may act get past authorisation (to a validation error or a result); everyone else
/// gets 403.
const ACTIONS: &[(&str, Fields, &[Role])] = &[
    (
        "/admin/institutions",
        &[
            ("credit_code", "x"),
            ("name_zh", ""),
            ("name_en", ""),
            ("kind", "x"),
            ("district_code", "x"),
        ],
        &[Role::Administrator],
    ),
    (
        "/admin/users",
        &[
            ("login", "x"),
            ("display_name", ""),
            ("role", "x"),
            ("institution_id", ""),
            ("password", ""),
        ],
        &[Role::Administrator],
    ),
    (
        "/console/accounts",
        &[("name", ""), ("id_number", "")],
        &[Role::InstitutionOperator, Role::InstitutionManager],
    ),
    (
        "/console/tokens",
        &[("name", "")],
        &[Role::InstitutionManager],
    ),
    (
        "/console/outcomes",
        &[("id_number", ""), ("title", "")],
        &[Role::InstitutionOperator, Role::InstitutionManager],
    ),
    (
        "/me/conversion/NO-SUCH-PROGRAMME/apply",
        &[("pair", "x")],
        &[Role::Learner],
    ),
    (
        "/console/conversions/0190e0a0-0000-7000-8000-000000000001/decide",
        &[("version", "1"), ("reason", "")],
        &[Role::InstitutionOperator, Role::InstitutionManager],
    ),
    (
        "/review/search",
        &[("id_number", "x")],
        &[Role::Reviewer, Role::Administrator],
    ),
    ("/bank/units", &[("code", "x")], &[Role::Reviewer]),
    ("/bank/standards", &[("code", "x")], &[Role::Reviewer]),
    ("/bank/rules", &[("code", "x")], &[Role::Reviewer]),
    ("/bank/programmes", &[("code", "x")], &[Role::Reviewer]),
    ("/bank/framework", &[("code", "")], &[Role::Reviewer]),
];

#[tokio::test]
async fn every_action_route_with_every_role() {
    let t = TestApp::sqlite().await;
    let mut failures = Vec::new();
    for role in Role::ALL {
        let session = t.sign_in(login_of(*role)).await;
        for (path, fields, allowed) in ACTIONS {
            let answer = t.post_form(path, Some(&session), fields).await;
            let permitted = allowed.contains(role);
            if permitted == (answer.status == StatusCode::FORBIDDEN) {
                failures.push(format!(
                    "POST {path} as {}: {}",
                    role.as_str(),
                    answer.status
                ));
            }
        }
    }
    for (path, fields, _) in ACTIONS {
        let anonymous = t.post_form(path, None, fields).await;
        if anonymous.status != StatusCode::SEE_OTHER {
            failures.push(format!("POST {path} anonymous: {}", anonymous.status));
        }
    }
    assert!(
        failures.is_empty(),
        "action matrix mismatches:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn objects_of_others_are_hidden() {
    let t = TestApp::sqlite().await;
    let learner = t
        .app
        .store
        .user_by_login(&t.app.login_key(login_of(Role::Learner)))
        .await
        .unwrap()
        .unwrap();
    let account = learner.account_id.unwrap();
    // Staff of an institution the learner is not linked to cannot see the account page.
    for role in [Role::InstitutionOperator, Role::Analyst, Role::Regulator] {
        let session = t.sign_in(login_of(role)).await;
        let answer = t
            .get(&format!("/review/accounts/{account}"), Some(&session))
            .await;
        assert!(
            matches!(answer.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{role:?}: {}",
            answer.status
        );
        let reveal = t
            .post_form(
                &format!("/review/accounts/{account}/reveal"),
                Some(&session),
                &[],
            )
            .await;
        assert!(
            matches!(reveal.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{role:?} reveal: {}",
            reveal.status
        );
        assert!(!reveal
            .body
            .contains(&crate::support::id_number("19800101", 1)));
    }
    // API tokens of one institution cannot act for another (checked in api.rs too).
    let token = t.token_of(&t.other_institution.id).await;
    let answer = t
        .api(
            "GET",
            &format!("/api/v1/accounts/{account}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    // A session cookie is not an API credential.
    let session = t.sign_in("admin").await;
    let req = axum::http::Request::get("/api/v1/accounts")
        .header("cookie", session)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::UNAUTHORIZED);
}

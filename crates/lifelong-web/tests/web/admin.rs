//! A walk through the review and administration pages: each page renders, each form's
//! refusal comes back on the form, each action redirects, and secrets are shown once and only
//! where they should be.

use axum::http::StatusCode;
use lifelong_core::role::Role;

use crate::support::{credit_code, id_number, login_of, Answer, TestApp, PASSWORD};

async fn get(t: &TestApp, path: &str, session: &str) -> Answer {
    t.get(path, Some(session)).await
}

async fn post(t: &TestApp, path: &str, session: &str, fields: &[(&str, &str)]) -> Answer {
    t.post_form(path, Some(session), fields).await
}

#[tokio::test]
async fn review_and_admin_pages_work_end_to_end() {
    let t = TestApp::sqlite().await;
    let full_id = id_number("19800101", 1);
    let learner_user = t
        .app
        .store
        .user_by_login(&t.app.login_key(login_of(Role::Learner)))
        .await
        .unwrap()
        .unwrap();
    let account = t
        .app
        .store
        .account(&learner_user.account_id.unwrap())
        .await
        .unwrap();
    let admin = t.session_of(Role::Administrator).await;
    let reviewer = t.session_of(Role::Reviewer).await;
    let regulator = t.session_of(Role::Regulator).await;
    let learner = t.session_of(Role::Learner).await;

    // Review: list, filter, search (never by URL), details, actions, reveal.
    let list = get(&t, "/review", &reviewer).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("王芳") && !list.body.contains(&full_id));
    let frozen = get(&t, "/review?status=frozen", &reviewer).await;
    assert!(!frozen.body.contains("王芳"));
    let found = post(&t, "/review/search", &reviewer, &[("id_number", &full_id)]).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found
        .body
        .contains(&format!("/review/accounts/{}", account.id)));
    let missing = post(
        &t,
        "/review/search",
        &reviewer,
        &[("id_number", &id_number("19800101", 2))],
    )
    .await;
    assert!(missing.body.contains("class=\"notice\""));
    let bad = post(&t, "/review/search", &reviewer, &[("id_number", "12345")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("aria-invalid=\"true\"") && bad.body.contains("error-summary"));
    let page = format!("/review/accounts/{}", account.id);
    let details = get(&t, &page, &reviewer).await;
    assert_eq!(details.status, StatusCode::OK);
    assert!(details.body.contains("/verify") && details.body.contains("/reveal"));
    assert!(!details.body.contains("/unfreeze"));
    let verified = post(&t, &format!("{page}/verify"), &reviewer, &[]).await;
    assert_eq!(
        (verified.status, verified.location()),
        (StatusCode::SEE_OTHER, &*format!("{page}?done=verified"))
    );
    let twice = post(&t, &format!("{page}/verify"), &reviewer, &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("class=\"warning\""));
    let revealed = post(&t, &format!("{page}/reveal"), &reviewer, &[]).await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert!(revealed.body.contains(&format!(
        "class=\"secret\" id=\"revealed-id-number\">{full_id}<"
    )));
    assert_eq!(
        post(&t, &format!("{page}/freeze"), &admin, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let admin_view = get(&t, &format!("{page}?done=frozen"), &admin).await;
    assert!(admin_view.body.contains("/unfreeze") && !admin_view.body.contains("/verify"));
    assert_eq!(
        post(&t, &format!("{page}/unfreeze"), &reviewer, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(&t, "/review", &regulator).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&t, &format!("{page}/reveal"), &learner, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Institutions: create (refused, then done), edit, tokens.
    let refused = post(
        &t,
        "/admin/institutions",
        &admin,
        &[
            ("credit_code", "x"),
            ("name_zh", ""),
            ("name_en", ""),
            ("kind", ""),
            ("district_code", ""),
        ],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"credit_code-error\"")
            && refused.body.contains("id=\"kind-error\"")
    );
    let code = credit_code(101);
    let fields = [
        ("credit_code", code.as_str()),
        ("name_zh", "徐汇区社区学院"),
        ("name_en", ""),
        ("kind", "community_college"),
        ("district_code", "310104"),
        ("trusted", "on"),
    ];
    let created = post(&t, "/admin/institutions", &admin, &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let inst_page = created.location().split('?').next().unwrap().to_owned();
    let shown = get(&t, created.location(), &admin).await;
    assert!(shown.body.contains("徐汇区社区学院") && shown.body.contains("class=\"notice\""));
    let listed = get(&t, "/admin/institutions", &regulator).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(
        listed.body.contains("徐汇区社区学院") && !listed.body.contains("name=\"credit_code\"")
    );
    let regulator_view = get(&t, &inst_page, &regulator).await;
    assert!(
        regulator_view.status == StatusCode::OK
            && !regulator_view.body.contains("name=\"name_zh\"")
    );
    let edit = [
        ("name_zh", "徐汇区社区学院"),
        ("name_en", "Xuhui Community College"),
        ("kind", "community_college"),
        ("district_code", "310104"),
        ("status", "suspended"),
    ];
    assert_eq!(
        post(&t, &inst_page, &admin, &edit).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&t, &inst_page, &regulator, &edit).await.status,
        StatusCode::FORBIDDEN
    );
    let no_name = post(&t, &format!("{inst_page}/tokens"), &admin, &[("name", " ")]).await;
    assert_eq!(no_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    let token = post(
        &t,
        &format!("{inst_page}/tokens"),
        &admin,
        &[("name", "教务系统")],
    )
    .await;
    assert_eq!(token.status, StatusCode::OK);
    assert!(
        token.body.contains("id=\"new-token\">ll_")
            && token.body.contains("data-copy=\"new-token\"")
    );
    let after = get(&t, &inst_page, &admin).await;
    assert!(!after.body.contains("id=\"new-token\"") && after.body.contains("教务系统"));
    let revoke = after
        .body
        .split("/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let revoked = post(
        &t,
        &format!("{inst_page}/tokens/{revoke}/revoke"),
        &admin,
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);

    // Users: create (refused, then done), edit.
    let institution = inst_page.rsplit('/').next().unwrap().to_owned();
    let users = get(&t, "/admin/users", &admin).await;
    assert!(users.status == StatusCode::OK && users.body.contains(&institution));
    let refused = post(
        &t,
        "/admin/users",
        &admin,
        &[
            ("login", "Op"),
            ("display_name", "经办人"),
            ("role", "institution_operator"),
            ("institution_id", ""),
            ("password", "short"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"institution_id-error\"")
            && !refused.body.contains("value=\"short\"")
    );
    let user = [
        ("login", "operator2"),
        ("display_name", "经办人"),
        ("role", "institution_operator"),
        ("institution_id", institution.as_str()),
        ("password", PASSWORD),
    ];
    let created = post(&t, "/admin/users", &admin, &user).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let user_page = created.location().split('?').next().unwrap().to_owned();
    assert_eq!(
        get(&t, created.location(), &admin).await.status,
        StatusCode::OK
    );
    let edit = [
        ("display_name", "张经办"),
        ("role", "institution_manager"),
        ("institution_id", institution.as_str()),
        ("active", "on"),
    ];
    assert_eq!(
        post(&t, &user_page, &admin, &edit).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(&t, &user_page, &reviewer).await.status,
        StatusCode::FORBIDDEN
    );
    let learner_id = t
        .app
        .store
        .user_by_login(&t.app.login_key("13800138000"))
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        get(&t, &format!("/admin/users/{learner_id}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Audit: newest first, filtered, no personal data.
    let audit = get(&t, "/admin/audit?action=account.", &admin).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("account.reveal_id_number") && !audit.body.contains("user.create"));
    assert!(!audit.body.contains(&full_id) && !audit.body.contains("王芳"));
    assert_eq!(
        get(&t, "/admin/audit", &reviewer).await.status,
        StatusCode::FORBIDDEN
    );
}

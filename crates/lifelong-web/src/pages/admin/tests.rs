//! A walk through the review and administration pages over the whole router and a fresh
//! store: each page renders, each form's refusal comes back on the form, each action
//! redirects, and secrets are shown once and only where they should be.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use lifelong_app::{Actor, App, PasswordCost, RegistrationInput, Settings, UserInput};
use lifelong_core::Lang;
use lifelong_store_sql::testing::fresh_sqlite;
use lifelong_vault::{MasterKey, Vault};
use tower::ServiceExt;

const PASSWORD: &str = "Test@2026pw";
const CSRF: &str = "pages-test-csrf-0123456789abcdefghijklmnop";

fn id_number(seq: u32) -> String {
    let body = format!("31010419800101{seq:03}");
    format!(
        "{body}{}",
        lifelong_core::id_number::check_char(&body).unwrap()
    )
}

fn credit_code(n: u32) -> String {
    let body = format!("91310000{n:09}");
    format!(
        "{body}{}",
        lifelong_core::credit_code::check_char(&body).unwrap()
    )
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(router: &Router, path: &str, session: &str) -> Answer {
    let request = Request::get(path).header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"));
    send(router, request.body(Body::empty()).unwrap()).await
}

async fn post(router: &Router, path: &str, session: &str, fields: &[(&str, &str)]) -> Answer {
    let mut all = vec![("csrf", CSRF)];
    all.extend_from_slice(fields);
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"))
        .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
        .unwrap();
    send(router, request).await
}

async fn sign_in(app: &App, login: &str) -> String {
    format!(
        "ll_session={}",
        app.sign_in(login, PASSWORD, None)
            .await
            .unwrap()
            .session_token
    )
}

#[tokio::test]
async fn review_and_admin_pages_work_end_to_end() {
    let store = fresh_sqlite().await.unwrap();
    let settings = Settings {
        password_cost: PasswordCost::for_tests(),
        ..Settings::default()
    };
    let shared: Arc<dyn lifelong_store::Store> = Arc::new(store.store().clone());
    let app = App::new(
        shared,
        Arc::new(Vault::new(&MasterKey::generate())),
        settings,
    );
    let router = crate::router(app.clone(), crate::WebConfig::default());
    let system = Actor::system();
    for (login, role) in [
        ("admin", "administrator"),
        ("reviewer", "reviewer"),
        ("regulator", "regulator"),
    ] {
        let input = UserInput {
            login: login.into(),
            display_name: login.into(),
            role: role.into(),
            password: Some(PASSWORD.into()),
            ..UserInput::default()
        };
        app.create_user(&system, input).await.unwrap();
    }
    let full_id = id_number(1);
    let registration = RegistrationInput {
        name: "王芳".into(),
        id_number: full_id.clone(),
        mobile: "13800138000".into(),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        consent_personal_info: Some("yes".into()),
        consent_sensitive_id_number: Some("yes".into()),
        guardian_name: None,
    };
    let (account, _) = app.register(registration, Lang::Zh, None).await.unwrap();
    let admin = sign_in(&app, "admin").await;
    let reviewer = sign_in(&app, "reviewer").await;
    let regulator = sign_in(&app, "regulator").await;
    let learner = sign_in(&app, "13800138000").await;

    // Review: list, filter, search (never by URL), details, actions, reveal.
    let list = get(&router, "/review", &reviewer).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("王芳") && !list.body.contains(&full_id));
    let frozen = get(&router, "/review?status=frozen", &reviewer).await;
    assert!(!frozen.body.contains("王芳"));
    let found = post(
        &router,
        "/review/search",
        &reviewer,
        &[("id_number", &full_id)],
    )
    .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found
        .body
        .contains(&format!("/review/accounts/{}", account.id)));
    let missing = post(
        &router,
        "/review/search",
        &reviewer,
        &[("id_number", &id_number(2))],
    )
    .await;
    assert!(missing.body.contains("class=\"notice\""));
    let bad = post(
        &router,
        "/review/search",
        &reviewer,
        &[("id_number", "12345")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("aria-invalid=\"true\"") && bad.body.contains("error-summary"));
    let page = format!("/review/accounts/{}", account.id);
    let details = get(&router, &page, &reviewer).await;
    assert_eq!(details.status, StatusCode::OK);
    assert!(details.body.contains("/verify") && details.body.contains("/reveal"));
    assert!(!details.body.contains("/unfreeze"));
    let verified = post(&router, &format!("{page}/verify"), &reviewer, &[]).await;
    assert_eq!(
        (verified.status, verified.location.as_str()),
        (StatusCode::SEE_OTHER, &*format!("{page}?done=verified"))
    );
    let twice = post(&router, &format!("{page}/verify"), &reviewer, &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("class=\"warning\""));
    let revealed = post(&router, &format!("{page}/reveal"), &reviewer, &[]).await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert!(revealed.body.contains(&format!(
        "class=\"secret\" id=\"revealed-id-number\">{full_id}<"
    )));
    assert_eq!(
        post(&router, &format!("{page}/freeze"), &admin, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let admin_view = get(&router, &format!("{page}?done=frozen"), &admin).await;
    assert!(admin_view.body.contains("/unfreeze") && !admin_view.body.contains("/verify"));
    assert_eq!(
        post(&router, &format!("{page}/unfreeze"), &reviewer, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(&router, "/review", &regulator).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&router, &format!("{page}/reveal"), &learner, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Institutions: create (refused, then done), edit, tokens.
    let refused = post(
        &router,
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
    let code = credit_code(1);
    let fields = [
        ("credit_code", code.as_str()),
        ("name_zh", "徐汇区社区学院"),
        ("name_en", ""),
        ("kind", "community_college"),
        ("district_code", "310104"),
        ("trusted", "on"),
    ];
    let created = post(&router, "/admin/institutions", &admin, &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let inst_page = created.location.split('?').next().unwrap().to_owned();
    let shown = get(&router, &created.location, &admin).await;
    assert!(shown.body.contains("徐汇区社区学院") && shown.body.contains("class=\"notice\""));
    let listed = get(&router, "/admin/institutions", &regulator).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(
        listed.body.contains("徐汇区社区学院") && !listed.body.contains("name=\"credit_code\"")
    );
    let regulator_view = get(&router, &inst_page, &regulator).await;
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
        post(&router, &inst_page, &admin, &edit).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&router, &inst_page, &regulator, &edit).await.status,
        StatusCode::FORBIDDEN
    );
    let no_name = post(
        &router,
        &format!("{inst_page}/tokens"),
        &admin,
        &[("name", " ")],
    )
    .await;
    assert_eq!(no_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    let token = post(
        &router,
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
    let after = get(&router, &inst_page, &admin).await;
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
        &router,
        &format!("{inst_page}/tokens/{revoke}/revoke"),
        &admin,
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);

    // Users: create (refused, then done), edit.
    let institution = inst_page.rsplit('/').next().unwrap().to_owned();
    let users = get(&router, "/admin/users", &admin).await;
    assert!(users.status == StatusCode::OK && users.body.contains(&institution));
    let refused = post(
        &router,
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
        ("login", "operator"),
        ("display_name", "经办人"),
        ("role", "institution_operator"),
        ("institution_id", institution.as_str()),
        ("password", PASSWORD),
    ];
    let created = post(&router, "/admin/users", &admin, &user).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let user_page = created.location.split('?').next().unwrap().to_owned();
    assert_eq!(
        get(&router, &created.location, &admin).await.status,
        StatusCode::OK
    );
    let edit = [
        ("display_name", "张经办"),
        ("role", "institution_manager"),
        ("institution_id", institution.as_str()),
        ("active", "on"),
    ];
    assert_eq!(
        post(&router, &user_page, &admin, &edit).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(&router, &user_page, &reviewer).await.status,
        StatusCode::FORBIDDEN
    );
    let learner_id = app
        .store
        .user_by_login(&app.login_key("13800138000"))
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        get(&router, &format!("/admin/users/{learner_id}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Audit: newest first, filtered, no personal data.
    let audit = get(&router, "/admin/audit?action=account.", &admin).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("account.reveal_id_number") && !audit.body.contains("user.create"));
    assert!(!audit.body.contains(&full_id) && !audit.body.contains("王芳"));
    assert_eq!(
        get(&router, "/admin/audit", &reviewer).await.status,
        StatusCode::FORBIDDEN
    );
}

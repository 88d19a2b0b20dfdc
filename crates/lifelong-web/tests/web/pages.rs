//! The pages: registration, sign-in and throttling, CSRF, sessions, the learner's home,
//! reveals in the audit log, reviewer verification, bulk opening from the console.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use lifelong_core::role::Role;
use lifelong_store::{AuditFilter, Cursor};

use crate::support::{id_number, login_of, TestApp, CSRF, PASSWORD};

fn registration(id: &str, mobile: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "陈静".into()),
        ("id_number", id.into()),
        ("mobile", mobile.into()),
        ("password", "Study@2026".into()),
        ("password_confirm", "Study@2026".into()),
        ("consent_personal_info", "yes".into()),
        ("consent_sensitive_id_number", "yes".into()),
    ]
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn r1_r4_r5_registration_validates_everything_and_writes_nothing_on_error() {
    let t = TestApp::sqlite().await;
    let home = t.get("/register", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("name=\"csrf\""));

    let mut bad = registration("340524198001010013", "13700000000");
    bad.retain(|(k, _)| *k != "consent_sensitive_id_number");
    let answer = t.post_form("/register", None, &refs(&bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("id=\"error-summary\""));
    assert!(answer.body.contains("身份证号码校验位"), "{}", answer.body);
    assert!(
        answer.body.contains("value=\"陈静\""),
        "typed values are kept"
    );
    assert!(
        !answer.body.contains("Study@2026"),
        "passwords are never sent back"
    );

    // Impossible birth date.
    let answer = t
        .post_form(
            "/register",
            None,
            &refs(&registration(&id_number("19990230", 1), "13700000000")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A child needs a guardian (R4).
    let child = id_number("20180606", 5);
    let answer = t
        .post_form(
            "/register",
            None,
            &refs(&registration(&child, "13700000001")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("guardian_name-error"),
        "{}",
        answer.body
    );
    let mut with_guardian = registration(&child, "13700000001");
    with_guardian.push(("guardian_name", "陈大文".into()));
    let answer = t.post_form("/register", None, &refs(&with_guardian)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);

    let ok = t
        .post_form(
            "/register",
            None,
            &refs(&registration(&id_number("19880808", 8), "13700000002")),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/login?registered=1");

    // Duplicate person (R5) and duplicate mobile: clear errors, nothing written.
    let dup = t
        .post_form(
            "/register",
            None,
            &refs(&registration(&id_number("19880808", 8), "13700000003")),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.body.contains("一人只能有一个账户"));
    let taken = t
        .post_form(
            "/register",
            None,
            &refs(&registration(&id_number("19880808", 9), "13700000002")),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(t
        .app
        .store
        .user_by_login(&t.app.login_key("13700000003"))
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn csrf_is_required_on_every_form() {
    let t = TestApp::sqlite().await;
    let no_token = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("login=admin&password={PASSWORD}")))
        .unwrap();
    let answer = t.send(no_token).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.session().is_none());
    let wrong = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("ll_csrf={CSRF}"))
        .body(Body::from(format!(
            "csrf=other&login=admin&password={PASSWORD}"
        )))
        .unwrap();
    assert_eq!(t.send(wrong).await.status, StatusCode::FORBIDDEN);
    let cross_site = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("ll_csrf={CSRF}"))
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!(
            "csrf={CSRF}&login=admin&password={PASSWORD}"
        )))
        .unwrap();
    assert_eq!(t.send(cross_site).await.status, StatusCode::FORBIDDEN);
    // A first visit gets the cookie.
    let first = t.get("/login", None).await;
    assert!(first
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("ll_csrf=")));
}

#[tokio::test]
async fn sign_in_locks_after_repeated_failures_and_sessions_end() {
    let t = TestApp::sqlite().await;
    for _ in 0..4 {
        let a = t
            .post_form(
                "/login",
                None,
                &[("login", "reviewer"), ("password", "wrong-password")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("登录名或密码不正确"));
    }
    let fifth = t
        .post_form(
            "/login",
            None,
            &[("login", "reviewer"), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    let locked = t
        .post_form(
            "/login",
            None,
            &[("login", "reviewer"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the lock"
    );
    let unknown = t
        .post_form(
            "/login",
            None,
            &[("login", "nobody"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNAUTHORIZED,
        "an unknown login looks like a wrong password"
    );

    let session = t.sign_in("admin").await;
    assert_eq!(
        t.get("/admin/users", Some(&session)).await.status,
        StatusCode::OK
    );
    let out = t.post_form("/logout", Some(&session), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = t.get("/admin/users", Some(&session)).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "a closed session is gone"
    );
    assert!(after.location().starts_with("/login?next="));
    let expired = t.get("/me", Some("ll_session=not-a-session")).await;
    assert_eq!(expired.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn r3_learner_sees_masked_data_and_a_reveal_is_audited() {
    let t = TestApp::sqlite().await;
    let session = t.session_of(Role::Learner).await;
    let me = t.get("/me", Some(&session)).await;
    assert_eq!(me.status, StatusCode::OK);
    let full = id_number("19800101", 1);
    assert!(me.body.contains(&format!("310***********{}", &full[14..])));
    assert!(!me.body.contains(&full));
    assert!(me.body.contains("138****8000"));
    let revealed = t.post_form("/me/reveal", Some(&session), &[]).await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert!(revealed.body.contains(&full));
    assert_eq!(
        revealed.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let audit = t
        .app
        .store
        .list_audit(
            &AuditFilter {
                action_prefix: Some("account.reveal_id_number".into()),
                ..Default::default()
            },
            &Cursor::first(),
        )
        .await
        .unwrap();
    assert_eq!(audit.items.len(), 1);
    assert!(
        !audit.items[0].detail.to_string().contains(&full),
        "the audit log holds no personal data"
    );

    // Consents: withdraw, then withdrawing again is refused; grant again.
    let consents = t
        .app
        .store
        .consents(
            &t.app
                .store
                .user_by_login(&t.app.login_key(login_of(Role::Learner)))
                .await
                .unwrap()
                .unwrap()
                .account_id
                .unwrap(),
        )
        .await
        .unwrap();
    let first = &consents[0];
    let w = t
        .post_form(
            &format!("/me/consents/{}/withdraw", first.id),
            Some(&session),
            &[],
        )
        .await;
    assert_eq!(w.status, StatusCode::SEE_OTHER);
    let again = t
        .post_form(
            &format!("/me/consents/{}/withdraw", first.id),
            Some(&session),
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let g = t
        .post_form(
            "/me/consents/grant",
            Some(&session),
            &[("kind", first.kind.as_str())],
        )
        .await;
    assert_eq!(g.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn r6_reviewer_verifies_and_freezes_accounts() {
    let t = TestApp::sqlite().await;
    let learner = t
        .app
        .store
        .user_by_login(&t.app.login_key(login_of(Role::Learner)))
        .await
        .unwrap()
        .unwrap();
    let account = learner.account_id.unwrap();
    let reviewer = t.session_of(Role::Reviewer).await;
    let page = t
        .get(&format!("/review/accounts/{account}"), Some(&reviewer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let v = t
        .post_form(
            &format!("/review/accounts/{account}/verify"),
            Some(&reviewer),
            &[],
        )
        .await;
    assert_eq!(v.status, StatusCode::SEE_OTHER, "{}", v.body);
    assert_eq!(
        t.app.store.account(&account).await.unwrap().status.as_str(),
        "verified"
    );
    let twice = t
        .post_form(
            &format!("/review/accounts/{account}/verify"),
            Some(&reviewer),
            &[],
        )
        .await;
    assert!(
        twice.status == StatusCode::CONFLICT || twice.body.contains("warning"),
        "deciding twice is refused: {}",
        twice.status
    );
    let f = t
        .post_form(
            &format!("/review/accounts/{account}/freeze"),
            Some(&reviewer),
            &[],
        )
        .await;
    assert_eq!(f.status, StatusCode::SEE_OTHER);
    let u = t
        .post_form(
            &format!("/review/accounts/{account}/unfreeze"),
            Some(&reviewer),
            &[],
        )
        .await;
    assert_eq!(u.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.app.store.account(&account).await.unwrap().status.as_str(),
        "verified",
        "unfreezing restores verification"
    );
}

fn multipart(csv: &str) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYx";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{CSRF}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn console_bulk_opening_dry_run_then_confirm() {
    let t = TestApp::sqlite().await;
    let session = t.session_of(Role::InstitutionOperator).await;
    let csv = format!(
        "姓名,身份证号码\n周一,{}\n吴二,{}\n",
        id_number("19500101", 31),
        id_number("19500101", 32)
    );
    let (ct, body) = multipart(&csv);
    let req = Request::post("/console/bulk")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"))
        .body(Body::from(body))
        .unwrap();
    let report = t.send(req).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(report.body.contains("id=\"report-create\">2<"));
    let action = report
        .body
        .split("action=\"/console/uploads/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let done = t
        .post_form(&format!("/console/uploads/{action}"), Some(&session), &[])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("id=\"outcome-created\">2<"));
    let list = t.get("/console/accounts", Some(&session)).await;
    assert!(list.body.contains("周一") && list.body.contains("吴二"));

    // Without the CSRF field the upload is refused.
    let (ct, mut body) = multipart(&csv);
    body = String::from_utf8(body)
        .unwrap()
        .replace(CSRF, "nope")
        .into_bytes();
    let req = Request::post("/console/bulk")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, format!("{session}; ll_csrf={CSRF}"))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn language_and_large_text_preferences_apply() {
    let t = TestApp::sqlite().await;
    let set = t.get("/prefs/lang?to=en&next=/login", None).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(set.location(), "/login");
    let evil = t.get("/prefs/lang?to=en&next=//evil.example", None).await;
    assert_eq!(evil.location(), "/", "no open redirects");
    let req = Request::get("/login")
        .header(header::COOKIE, "ll_lang=en; ll_text=large")
        .body(Body::empty())
        .unwrap();
    let page = t.send(req).await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("class=\"large-text\""));
    assert!(page.body.contains("Sign in"));
    assert!(page.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
}

//! `TestApp`: the whole router over a fresh store, with builders for fixtures and requests.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use lifelong_app::{
    Actor, App, InstitutionInput, PasswordCost, RegistrationInput, Settings, UserInput,
};
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{Institution, InstitutionId};
use lifelong_store_sql::testing::{fresh_postgres, fresh_sqlite, TestStore};
use lifelong_vault::{MasterKey, Vault};
use tower::ServiceExt;

pub const PASSWORD: &str = "Test@2026pw";
pub const CSRF: &str = "test-csrf-token-0123456789abcdefghijklmnopqrstuv";

/// A made-up ID number that passes GB 11643 (R1).
pub fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("310104{birth}{seq:03}");
    let check = lifelong_core::id_number::check_char(&body).unwrap();
    format!("{body}{check}")
}

/// A made-up credit code that passes GB 32100 (R2).
pub fn credit_code(n: u32) -> String {
    let body = format!("91310000{n:09}");
    format!(
        "{body}{}",
        lifelong_core::credit_code::check_char(&body).unwrap()
    )
}

pub struct TestApp {
    pub router: Router,
    pub app: App,
    /// Kept for its lifetime: dropping it removes the database.
    _store: TestStore,
    pub institution: Institution,
    pub other_institution: Institution,
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie set by this response, if any.
    pub fn session(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("ll_session=") && !c.starts_with("ll_session=;"))
            .map(|c| c.split(';').next().unwrap().to_owned())
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::on(fresh_sqlite().await.unwrap()).await
    }

    pub async fn postgres() -> Option<TestApp> {
        Some(Self::on(fresh_postgres().await?).await)
    }

    pub async fn on(store: TestStore) -> TestApp {
        let settings = Settings {
            password_cost: PasswordCost::for_tests(),
            bulk_max_rows: 1000,
            ..Settings::default()
        };
        let vault = Arc::new(Vault::new(&MasterKey::generate()));
        let shared: Arc<dyn lifelong_store::Store> = Arc::new(store.store().clone());
        let app = App::new(shared, vault, settings);
        let router = lifelong_web::router(app.clone(), lifelong_web::WebConfig::default());
        let system = Actor::system();
        let mk = |n: u32, name: &str| InstitutionInput {
            credit_code: credit_code(n),
            name_zh: name.to_owned(),
            name_en: "Test".to_owned(),
            kind: "community_college".to_owned(),
            district_code: "310104".to_owned(),
            status: None,
            trusted: None,
        };
        let institution = app
            .create_institution(&system, mk(1, "徐汇区社区学院"))
            .await
            .unwrap();
        let other_institution = app
            .create_institution(&system, mk(2, "静安区社区学院"))
            .await
            .unwrap();
        for role in Role::ALL.iter().filter(|r| **r != Role::Learner) {
            let inst = role
                .is_institution_staff()
                .then(|| institution.id.to_string());
            app.create_user(
                &system,
                UserInput {
                    login: login_of(*role).to_owned(),
                    display_name: role.as_str().to_owned(),
                    role: role.as_str().to_owned(),
                    institution_id: inst,
                    password: Some(PASSWORD.to_owned()),
                    active: None,
                },
            )
            .await
            .unwrap();
        }
        app.register(
            RegistrationInput {
                name: "王芳".into(),
                id_number: id_number("19800101", 1),
                mobile: "13800138000".into(),
                password: PASSWORD.into(),
                password_confirm: PASSWORD.into(),
                consent_personal_info: Some("yes".into()),
                consent_sensitive_id_number: Some("yes".into()),
                guardian_name: None,
            },
            Lang::Zh,
            None,
        )
        .await
        .unwrap();
        TestApp {
            router,
            app,
            _store: store,
            institution,
            other_institution,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Answer {
        let mut req = Request::get(path).header(header::ACCEPT_LANGUAGE, "zh-CN");
        if let Some(s) = session {
            req = req.header(header::COOKIE, format!("{s}; ll_csrf={CSRF}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A form POST with a valid CSRF token.
    pub async fn post_form(
        &self,
        path: &str,
        session: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Answer {
        let mut all: Vec<(&str, &str)> = vec![("csrf", CSRF)];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        let cookie = match session {
            Some(s) => format!("{s}; ll_csrf={CSRF}"),
            None => format!("ll_csrf={CSRF}"),
        };
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .header(header::ACCEPT_LANGUAGE, "zh-CN")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the form and returns the session cookie (`ll_session=…`).
    pub async fn sign_in(&self, login: &str) -> String {
        let answer = self
            .post_form("/login", None, &[("login", login), ("password", PASSWORD)])
            .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "sign-in of {login}: {}",
            answer.body
        );
        answer.session().expect("a session cookie")
    }

    /// A session for a role (the learner signs in with the mobile number).
    pub async fn session_of(&self, role: Role) -> String {
        self.sign_in(login_of(role)).await
    }

    /// A fresh API token of an institution.
    pub async fn token_of(&self, institution: &InstitutionId) -> String {
        self.app
            .create_token(&Actor::system(), institution, "test")
            .await
            .unwrap()
            .1
    }

    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT_LANGUAGE, "en");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }
}

/// Owned form fields as the borrowed pairs [`TestApp::post_form`] takes.
pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
}

/// The demo login of each role in tests.
pub fn login_of(role: Role) -> &'static str {
    match role {
        Role::Learner => "13800138000",
        Role::InstitutionOperator => "operator",
        Role::InstitutionManager => "manager",
        Role::Reviewer => "reviewer",
        Role::Administrator => "admin",
        Role::Regulator => "regulator",
        Role::Analyst => "analyst",
    }
}

/// Sends an xAPI request with HTTP Basic `auth`, an optional version header, extra headers and
/// a body (JSON unless a Content-Type is among the headers).
pub async fn send_xapi(
    t: &TestApp,
    auth: &str,
    method: &str,
    path: &str,
    version: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, auth);
    if let Some(v) = version {
        req = req.header("X-Experience-API-Version", v);
    }
    let mut typed = false;
    for (k, v) in headers {
        typed |= k.eq_ignore_ascii_case("content-type");
        req = req.header(*k, *v);
    }
    if body.is_some() && !typed {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    t.send(
        req.body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap(),
    )
    .await
}

//! The demo data set, loaded through the application into a fresh temporary SQLite store, and
//! into a fresh PostgreSQL database when `TEST_DATABASE_URL` is set.

use lifelong_app::{Actor, App, PasswordCost, Settings};
use lifelong_cli::config::{Config, DatabaseUrl, SqliteSynchronous};
use lifelong_cli::demo::{self, DEFAULT_SEED, DEMO_PASSWORD, LEARNER_MOBILE};
use lifelong_cli::platform::Platform;
use lifelong_core::account::AccountStatus;
use lifelong_core::role::Role;
use lifelong_store::{Account, AccountFilter, Cursor, Store as _};

/// A platform on a fresh database: SQLite in `dir`, or the given database (the key file goes
/// in `dir` either way).
async fn fresh_platform(dir: &tempfile::TempDir, database_url: Option<&str>) -> Platform {
    let mut config = Config {
        data_dir: dir.path().join("data"),
        database_url: database_url.map(DatabaseUrl::new),
        ..Config::default()
    };
    config.database.sqlite_synchronous = SqliteSynchronous::Normal;
    let settings = Settings {
        password_cost: PasswordCost::for_tests(),
        ..Settings::default()
    };
    Platform::open(&config, settings).await.unwrap()
}

async fn all_accounts(app: &App, filter: AccountFilter) -> Vec<Account> {
    let system = Actor::system();
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = app
            .list_accounts(
                &system,
                filter.clone(),
                None,
                &Cursor::new(after, Some(500)),
            )
            .await
            .unwrap();
        all.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

/// The people (name, masked ID number, status) and the credit codes, sorted, to compare loads.
type Fingerprint = (Vec<(String, String, AccountStatus)>, Vec<String>);

/// Loads the demo data into an empty platform, checks everything it should hold, and returns
/// its fingerprint.
async fn load_and_check(platform: &Platform) -> Fingerprint {
    let app = &platform.app;
    assert!(platform.store.is_empty().await.unwrap());
    assert!(!demo::is_loaded(app).await.unwrap());

    let loaded = demo::load(app, DEFAULT_SEED).await.unwrap();
    assert_eq!(loaded.institutions, 12);
    assert_eq!(loaded.staff, 6);
    assert_eq!(loaded.accounts, 300);
    assert_eq!(loaded.linked, 10);
    assert_eq!(loaded.verified, 201);
    assert_eq!(loaded.logins.len(), 7);
    assert!(!platform.store.is_empty().await.unwrap());
    assert!(demo::is_loaded(app).await.unwrap());

    let system = Actor::system();
    let institutions = app
        .list_institutions(&system, &Cursor::new(None, Some(500)))
        .await
        .unwrap();
    assert_eq!(institutions.items.len(), 12);
    let staff = app
        .list_users(&system, &Cursor::new(None, Some(500)))
        .await
        .unwrap();
    assert_eq!(staff.items.len(), 6);
    let accounts = all_accounts(app, AccountFilter::default()).await;
    assert_eq!(
        accounts.len(),
        301,
        "300 opened by institutions + 1 registered"
    );
    let verified = all_accounts(
        app,
        AccountFilter {
            status: Some(AccountStatus::Verified),
            ..AccountFilter::default()
        },
    )
    .await;
    assert_eq!(verified.len(), 201);

    // The open university's members: its own 45 learners and the citizen, who studies online
    // there (her learning platform's statements reach her archive).
    let open_university = institutions
        .items
        .iter()
        .find(|i| i.name_zh == "上海开放大学")
        .unwrap();
    let members = all_accounts(
        app,
        AccountFilter {
            institution: Some(open_university.id.clone()),
            ..AccountFilter::default()
        },
    )
    .await;
    assert_eq!(members.len(), 46);
    // The people also opened at a second institution are members of both.
    let xuhui = institutions
        .items
        .iter()
        .find(|i| i.name_zh == "上海市徐汇区社区学院")
        .unwrap();
    let xuhui_members = all_accounts(
        app,
        AccountFilter {
            institution: Some(xuhui.id.clone()),
            ..AccountFilter::default()
        },
    )
    .await;
    assert_eq!(xuhui_members.len(), 28 + 5);

    // Every demo login signs in with the demo password.
    for login in &loaded.logins {
        let signed_in = app
            .sign_in(&login.login, DEMO_PASSWORD, None)
            .await
            .unwrap();
        assert_eq!(signed_in.user.role, login.role, "{}", login.login);
    }
    let learner = app
        .sign_in(LEARNER_MOBILE, DEMO_PASSWORD, None)
        .await
        .unwrap();
    let learner_account = app
        .account(
            &Actor::of_user(&learner.user),
            learner.user.account_id.as_ref().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(learner_account.status, AccountStatus::Verified);
    let operator = app
        .sign_in("inst.operator", DEMO_PASSWORD, None)
        .await
        .unwrap();
    assert_eq!(operator.user.role, Role::InstitutionOperator);
    assert_eq!(
        operator.user.institution_id.as_ref(),
        Some(&open_university.id)
    );

    // The API token acts for the open university.
    let token_actor = app.token_actor(&loaded.api_token).await.unwrap();
    assert_eq!(token_actor.institution.as_ref(), Some(&open_university.id));

    let mut people: Vec<(String, String, AccountStatus)> = accounts
        .iter()
        .map(|a| {
            (
                a.name.as_str().to_owned(),
                a.id_number_masked.clone(),
                a.status,
            )
        })
        .collect();
    people.sort();
    let mut codes: Vec<String> = institutions
        .items
        .iter()
        .map(|i| i.credit_code.as_str().to_owned())
        .collect();
    codes.sort();
    (people, codes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_loads_end_to_end_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let platform = fresh_platform(&dir, None).await;
    let first = load_and_check(&platform).await;
    platform.close().await;

    let other_dir = tempfile::tempdir().unwrap();
    let other = fresh_platform(&other_dir, None).await;
    let second = load_and_check(&other).await;
    other.close().await;
    assert_eq!(first, second, "the same seed gives the same data");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_loads_on_postgres() {
    let Some(db) = lifelong_store_sql::testing::fresh_postgres().await else {
        eprintln!("TEST_DATABASE_URL is not set: skipping the PostgreSQL leg");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let platform = fresh_platform(&dir, Some(db.url())).await;
    load_and_check(&platform).await;
    platform.close().await;
}

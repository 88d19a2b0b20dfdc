//! The demo data set, generated from a seed (not a shipped dump) and written only through the
//! application's use cases, so that every record is validated and audited like real data:
//! twelve institutions, six staff users, 300 learners opened by institutions (in bulk from CSV
//! and .xlsx files, and one at a time), two thirds of them verified by the reviewer, one
//! learner who registered and can sign in, and an API token for the open university.
//!
//! All names, ID numbers, mobiles and credit codes are made up (see [`crate::synthetic`]).

mod activity;
mod institutions;
mod outcomes;

use std::io::Write;

use anyhow::{bail, Context as _};
use lifelong_app::{Actor, App, InstitutionInput, OpenAccountInput, RegistrationInput, UserInput};
use lifelong_core::id_number;
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{AccountFilter, Cursor, Institution, Opened};

use crate::app_error;
use crate::synthetic::{accounts_csv, accounts_xlsx, FakePerson, Generator};

pub use institutions::{DemoInstitution, INSTITUTIONS, OPEN_UNIVERSITY};

/// The seed used unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 2026;

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// The mobile number the demo learner signs in with.
pub const LEARNER_MOBILE: &str = "13800138000";

/// The demo learner's made-up ID number without its check character (Xuhui, born 15 June
/// 1985, an even sequence for a woman).
const LEARNER_ID_BODY: &str = "31010419850615128";

const LEARNER_NAME: &str = "林晓梅";

/// Learners opened at one institution and then, through a file or the console, at another:
/// (from, to, how many). One person, one account (R5): these are linked, not opened again.
const ALSO_AT: &[(usize, usize, usize)] = &[(5, 3, 5), (7, 8, 5)];

/// The staff users: login, role, display name, whether they belong to the open university.
const STAFF: &[(&str, Role, &str, bool)] = &[
    ("admin", Role::Administrator, "演示管理员", false),
    ("reviewer", Role::Reviewer, "演示审核员", false),
    ("regulator", Role::Regulator, "演示监管人员", false),
    ("analyst", Role::Analyst, "演示数据分析员", false),
    (
        "inst.operator",
        Role::InstitutionOperator,
        "开放大学经办人",
        true,
    ),
    (
        "inst.manager",
        Role::InstitutionManager,
        "开放大学管理员",
        true,
    ),
];

/// One demo login, for the table printed at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub login: String,
    pub password: &'static str,
}

/// Every demo login: the staff users and the learner.
pub fn logins() -> Vec<DemoLogin> {
    STAFF
        .iter()
        .map(|(login, role, _, _)| DemoLogin {
            role: *role,
            login: (*login).to_owned(),
            password: DEMO_PASSWORD,
        })
        .chain(std::iter::once(DemoLogin {
            role: Role::Learner,
            login: LEARNER_MOBILE.to_owned(),
            password: DEMO_PASSWORD,
        }))
        .collect()
}

/// Whether a store holds the demo data (its operator login exists).
pub async fn is_loaded(app: &App) -> anyhow::Result<bool> {
    Ok(app
        .store
        .user_by_login(STAFF[4].0)
        .await
        .context("could not read the users")?
        .is_some())
}

/// What loading created. (No `Debug`: it holds the API token.)
pub struct Loaded {
    pub institutions: usize,
    pub staff: usize,
    /// Accounts opened by institutions (not counting the registered learner).
    pub accounts: usize,
    /// People opened at a second institution, and so linked rather than opened again.
    pub linked: usize,
    /// Accounts verified, the registered learner's included.
    pub verified: usize,
    /// Learning outcomes deposited by the institutions.
    pub outcomes: u32,
    /// The open university's API token, shown once.
    pub api_token: String,
    /// The open university's learning-platform credential (xAPI), shown once.
    pub xapi_key: String,
    pub xapi_secret: String,
    /// xAPI statements its platform sent about the demo citizen.
    pub statements: usize,
    pub logins: Vec<DemoLogin>,
}

/// Loads the demo data set into an empty store.
pub async fn load(app: &App, seed: u64) -> anyhow::Result<Loaded> {
    let system = Actor::system();
    let mut gen = Generator::new(seed);
    let learner_id = learner_id_number()?;
    gen.reserve_id_number(&learner_id);

    let mut institutions = Vec::with_capacity(INSTITUTIONS.len());
    for spec in &INSTITUTIONS {
        institutions.push(create_institution(app, &system, &mut gen, spec).await?);
    }
    let open_university = &institutions[OPEN_UNIVERSITY];
    let mut staff = Vec::with_capacity(STAFF.len());
    for (login, role, display_name, of_open_university) in STAFF {
        let input = UserInput {
            login: (*login).to_owned(),
            display_name: (*display_name).to_owned(),
            role: role.as_str().to_owned(),
            institution_id: of_open_university.then(|| open_university.id.to_string()),
            password: Some(DEMO_PASSWORD.to_owned()),
            active: None,
        };
        let user = app
            .create_user(&system, input)
            .await
            .map_err(app_error)
            .with_context(|| format!("could not create the demo user {login}"))?;
        staff.push(user);
    }

    // Every learner in order of creation, to decide deterministically whom to verify.
    let mut people: Vec<FakePerson> = Vec::new();
    let mut opened: Vec<Vec<FakePerson>> = Vec::with_capacity(INSTITUTIONS.len());
    for (index, (spec, institution)) in INSTITUTIONS.iter().zip(&institutions).enumerate() {
        let actor = operator_of(institution);
        let (from, to) = spec.born;
        let make = |gen: &mut Generator| {
            if gen.chance(0.6) {
                gen.person_in(spec.district, from, to)
            } else {
                gen.person(from, to)
            }
        };
        let bulk: Vec<FakePerson> = (0..spec.bulk_learners).map(|_| make(&mut gen)).collect();
        let single: Vec<FakePerson> = (0..spec.single_learners).map(|_| make(&mut gen)).collect();
        if !bulk.is_empty() {
            let xlsx = index % 2 == 1;
            open_file(app, &actor, spec, &bulk, xlsx).await?;
        }
        for person in &single {
            open_one(app, &actor, person).await?;
        }
        people.extend(bulk.iter().cloned());
        people.extend(single.iter().cloned());
        opened.push(bulk.into_iter().chain(single).collect());
    }

    let mut linked = 0;
    for &(from, to, count) in ALSO_AT {
        let actor = operator_of(&institutions[to]);
        for person in opened[from].iter().take(count) {
            if let Opened::Existing(_) = open_one(app, &actor, person).await? {
                linked += 1;
            }
        }
    }

    let reviewer = staff
        .iter()
        .find(|u| u.role == Role::Reviewer)
        .map(Actor::of_user)
        .context("the demo reviewer is missing")?;
    let mut verified = 0;
    for (i, person) in people.iter().enumerate() {
        if i % 3 != 2 {
            verify(app, &reviewer, &person.id_number).await?;
            verified += 1;
        }
    }

    let registration = RegistrationInput {
        name: LEARNER_NAME.to_owned(),
        id_number: learner_id.clone(),
        mobile: LEARNER_MOBILE.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
        password_confirm: DEMO_PASSWORD.to_owned(),
        consent_personal_info: Some("on".to_owned()),
        consent_sensitive_id_number: Some("on".to_owned()),
        guardian_name: None,
    };
    app.register(registration, Lang::Zh, None)
        .await
        .map_err(app_error)
        .context("could not register the demo learner")?;
    verify(app, &reviewer, &learner_id).await?;
    verified += 1;

    // The credit bank: the demo catalog (its programmes belong to the open university and the
    // vocational college), then every institution's deposits for its learners.
    let catalog = demo_catalog(&institutions)?;
    app.import_catalog_data(&reviewer, &catalog)
        .await
        .map_err(app_error)
        .context("could not import the demo catalog")?;
    let mut deposited = 0;
    for (index, (spec, institution)) in INSTITUTIONS.iter().zip(&institutions).enumerate() {
        let Some(csv) =
            outcomes::deposit_csv(spec.kind, &opened[index], &mut gen, &format!("D{index:02}"))
        else {
            continue;
        };
        let report = app
            .deposit_outcomes_from_file(
                &operator_of(institution),
                "demo-outcomes.csv",
                csv.as_bytes(),
                Lang::Zh,
            )
            .await
            .map_err(app_error)
            .with_context(|| format!("could not deposit the demo outcomes of {}", spec.name_zh))?;
        deposited += report.outcome.map_or(0, |o| o.created);
    }
    let report = app
        .deposit_outcomes_from_file(
            &operator_of(open_university),
            "demo-learner.csv",
            outcomes::learner_csv(&learner_id).as_bytes(),
            Lang::Zh,
        )
        .await
        .map_err(app_error)
        .context("could not deposit the demo learner's outcomes")?;
    deposited += report.outcome.map_or(0, |o| o.created);

    // The citizen studies online at the open university too: it links her account (R5), and its
    // learning platform streams her activity to the learning record store.
    let linked_learner = app
        .open_account(
            &operator_of(open_university),
            OpenAccountInput {
                name: LEARNER_NAME.to_owned(),
                id_number: learner_id.clone(),
                mobile: Some(LEARNER_MOBILE.to_owned()),
                guardian_name: None,
            },
            Lang::Zh,
        )
        .await
        .map_err(app_error)
        .context("could not link the demo learner to the open university")?;
    let (Opened::Created(citizen) | Opened::Existing(citizen)) = linked_learner;
    let platform = activity::stream(app, open_university, &citizen.id).await?;

    let (_, api_token) = app
        .create_token(&system, &open_university.id, "演示令牌 Demo token")
        .await
        .map_err(app_error)
        .context("could not create the demo API token")?;

    tracing::info!(
        institutions = institutions.len(),
        accounts = people.len(),
        verified,
        deposited,
        "demo data loaded"
    );
    Ok(Loaded {
        institutions: institutions.len(),
        staff: staff.len(),
        accounts: people.len(),
        linked,
        verified,
        outcomes: deposited,
        api_token,
        xapi_key: platform.key,
        xapi_secret: platform.secret,
        statements: platform.statements,
        logins: logins(),
    })
}

/// The demo catalog with its programmes and course standards moved to the credit codes the
/// generator gave the open university and the vocational college.
fn demo_catalog(institutions: &[Institution]) -> anyhow::Result<lifelong_core::catalog::Catalog> {
    let mut catalog =
        lifelong_core::catalog::Catalog::demo().context("the demo catalog is not valid")?;
    let college = INSTITUTIONS
        .iter()
        .position(|i| i.kind == lifelong_core::institution::InstitutionKind::VocationalCollege)
        .context("the demo has no vocational college")?;
    let map = [
        (
            DEMO_OPEN_UNIVERSITY_CODE,
            institutions[OPEN_UNIVERSITY]
                .credit_code
                .as_str()
                .to_owned(),
        ),
        (
            DEMO_COLLEGE_CODE,
            institutions[college].credit_code.as_str().to_owned(),
        ),
    ];
    let moved = |code: &mut String| {
        if let Some((_, to)) = map.iter().find(|(from, _)| *from == code.as_str()) {
            *code = to.clone();
        }
    };
    for p in &mut catalog.programmes {
        moved(&mut p.institution);
    }
    for s in &mut catalog.standards {
        if let Some(source) = &mut s.criteria.source {
            moved(source);
        }
    }
    for r in &mut catalog.rules {
        if let Some(source) = &mut r.accepts.source {
            moved(source);
        }
    }
    Ok(catalog)
}

/// The credit codes the shipped demo catalog names its two institutions by.
const DEMO_OPEN_UNIVERSITY_CODE: &str = "12310000425005386H";
const DEMO_COLLEGE_CODE: &str = "12310000MB2F1234XE";

/// The demo learner's full ID number.
fn learner_id_number() -> anyhow::Result<String> {
    let check = id_number::check_char(LEARNER_ID_BODY).context("bad demo learner ID number")?;
    Ok(format!("{LEARNER_ID_BODY}{check}"))
}

/// The system acting as an operator of `institution` (opening accounts is an institution's act).
fn operator_of(institution: &Institution) -> Actor {
    Actor {
        role: Role::InstitutionOperator,
        institution: Some(institution.id.clone()),
        ..Actor::system()
    }
}

async fn create_institution(
    app: &App,
    system: &Actor,
    gen: &mut Generator,
    spec: &DemoInstitution,
) -> anyhow::Result<Institution> {
    let input = InstitutionInput {
        credit_code: gen.credit_code(spec.registration, spec.region),
        name_zh: spec.name_zh.to_owned(),
        name_en: spec.name_en.to_owned(),
        kind: spec.kind.as_str().to_owned(),
        district_code: spec.district.to_owned(),
        status: None,
        trusted: spec.trusted.then(|| "on".to_owned()),
    };
    app.create_institution(system, input)
        .await
        .map_err(app_error)
        .with_context(|| format!("could not create the demo institution {}", spec.name_en))
}

/// Opens accounts from a generated file: the dry run, then the confirmation.
async fn open_file(
    app: &App,
    actor: &Actor,
    spec: &DemoInstitution,
    people: &[FakePerson],
    xlsx: bool,
) -> anyhow::Result<()> {
    let (bytes, extension) = if xlsx {
        (accounts_xlsx(people)?, "xlsx")
    } else {
        (accounts_csv(people), "csv")
    };
    let file_name = format!("学员名单-{}.{extension}", spec.name_zh);
    let context = || format!("could not open the demo accounts of {}", spec.name_en);
    let report = app
        .check_bulk_file(actor, &file_name, &bytes, Lang::Zh)
        .await
        .map_err(app_error)
        .with_context(context)?;
    let Some(upload) = report.upload_id else {
        let first = report.errors.first().map(|e| e.code.as_str()).unwrap_or("");
        bail!(
            "{}: the generated file has {} errors (first: {first})",
            context(),
            report.error_count
        );
    };
    app.commit_bulk_file(actor, &upload, Lang::Zh)
        .await
        .map_err(app_error)
        .with_context(context)?;
    Ok(())
}

async fn open_one(app: &App, actor: &Actor, person: &FakePerson) -> anyhow::Result<Opened> {
    let input = OpenAccountInput {
        name: person.name.clone(),
        id_number: person.id_number.clone(),
        mobile: person.mobile.clone(),
        guardian_name: person.guardian_name.clone(),
    };
    app.open_account(actor, input, Lang::Zh)
        .await
        .map_err(app_error)
        .context("could not open a demo account")
}

/// Verifies the account of an ID number, as a reviewer who has seen the documents.
async fn verify(app: &App, reviewer: &Actor, id_number: &str) -> anyhow::Result<()> {
    let page = app
        .list_accounts(
            reviewer,
            AccountFilter::default(),
            Some(id_number),
            &Cursor::first(),
        )
        .await
        .map_err(app_error)?;
    let account = page.items.first().context("a demo account is missing")?;
    app.verify_account(reviewer, &account.id)
        .await
        .map_err(app_error)
        .context("could not verify a demo account")?;
    Ok(())
}

/// Prints the table of demo logins.
pub fn print_logins(out: &mut impl Write, logins: &[DemoLogin]) -> std::io::Result<()> {
    writeln!(
        out,
        "Demo logins (demo data only; never use these on real data):"
    )?;
    writeln!(out, "  {:<22} {:<15} password", "role", "login")?;
    for l in logins {
        writeln!(
            out,
            "  {:<22} {:<15} {}",
            l.role.as_str(),
            l.login,
            l.password
        )?;
    }
    Ok(())
}

/// Prints what a first load created, with the API token that is shown only now.
pub fn print_loaded(out: &mut impl Write, loaded: &Loaded) -> std::io::Result<()> {
    writeln!(
        out,
        "Loaded the demo data: {} institutions, {} staff users, {} learners opened by \
         institutions ({} also linked to a second institution), 1 registered learner, {} \
         accounts verified, {} learning outcomes deposited.",
        loaded.institutions,
        loaded.staff,
        loaded.accounts,
        loaded.linked,
        loaded.verified,
        loaded.outcomes
    )?;
    writeln!(
        out,
        "Demo API token of {} (shown once, demo data only):\n  {}",
        INSTITUTIONS[OPEN_UNIVERSITY].name_zh, loaded.api_token
    )?;
    writeln!(
        out,
        "Demo learning-platform credential of {} for the xAPI store at /xapi (HTTP Basic; {} \
         statements already sent; shown once, demo data only):\n  key {}\n  secret {}",
        INSTITUTIONS[OPEN_UNIVERSITY].name_zh,
        loaded.statements,
        loaded.xapi_key,
        loaded.xapi_secret
    )
}

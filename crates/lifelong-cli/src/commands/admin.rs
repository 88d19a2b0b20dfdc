//! `lifelong admin create-user`: how an operator creates the first administrator of a new
//! database (and any staff user later) from the command line, as the system.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context as _};
use lifelong_app::{Actor, UserInput};
use lifelong_core::credit_code::CreditCode;
use lifelong_store::Cursor;

use crate::app_error;
use crate::cli::CreateUserArgs;
use crate::config::{Env, NEW_PASSWORD_ENV};
use crate::platform::Platform;

/// Creates a staff user.
pub async fn create_user(args: &CreateUserArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.store.overrides(), env)?;
    let password = match env.get(NEW_PASSWORD_ENV).filter(|p| !p.is_empty()) {
        Some(p) => p.clone(),
        None => read_password()?,
    };
    let platform = Platform::open(&config, config.app.clone()).await?;
    let institution = match &args.institution {
        Some(text) => Some(institution_id(&platform, text).await?),
        None => None,
    };
    let input = UserInput {
        login: args.login.clone(),
        display_name: args
            .display_name
            .clone()
            .unwrap_or_else(|| args.login.clone()),
        role: args.role.trim().to_owned(),
        institution_id: institution,
        password: Some(password),
        active: None,
    };
    let created = platform.app.create_user(&Actor::system(), input).await;
    platform.close().await;
    let user = created
        .map_err(app_error)
        .with_context(|| format!("could not create the user {}", args.login))?;
    println!(
        "Created the user {} ({}), id {}.",
        user.login,
        user.role.as_str(),
        user.id
    );
    Ok(())
}

/// An institution's id, given as the id itself or as its credit code.
async fn institution_id(platform: &Platform, text: &str) -> anyhow::Result<String> {
    let Ok(code) = CreditCode::parse(text) else {
        return Ok(text.trim().to_owned());
    };
    let system = Actor::system();
    let mut after = None;
    loop {
        let page = platform
            .app
            .list_institutions(&system, &Cursor::new(after, Some(Cursor::MAX_LIMIT)))
            .await
            .map_err(app_error)
            .context("could not list the institutions")?;
        if let Some(found) = page.items.iter().find(|i| i.credit_code == code) {
            return Ok(found.id.to_string());
        }
        match page.next {
            Some(next) => after = Some(next),
            None => bail!("no institution has the credit code {}", code.as_str()),
        }
    }
}

/// Reads the password from standard input: asked twice at a terminal, one line otherwise.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut lines = stdin.lock();
    let mut ask = |prompt: &str| -> anyhow::Result<String> {
        if interactive {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        lines
            .read_line(&mut line)
            .context("could not read the password from standard input")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    };
    let password = ask(&format!(
        "Password for the new user (visible as you type; set {NEW_PASSWORD_ENV} to avoid this): "
    ))?;
    if password.is_empty() {
        bail!("no password given: set {NEW_PASSWORD_ENV} or type one on standard input");
    }
    if interactive && ask("The same password again: ")? != password {
        bail!("the two passwords differ");
    }
    Ok(password)
}

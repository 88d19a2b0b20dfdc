//! `lifelong demo`: the server with demo data, loaded into an empty database on first start.
//! Later starts load nothing and print the logins again.

use std::io::Write;

use anyhow::Context as _;
use lifelong_store::Store as _;

use crate::cli::DemoArgs;
use crate::config::Env;
use crate::demo;
use crate::platform::Platform;

/// Runs the demo server.
pub async fn run(args: &DemoArgs, env: &Env) -> anyhow::Result<()> {
    let config = super::prepare(&args.serve.overrides(), env)?;
    let platform = Platform::open(&config, config.app.clone()).await?;
    let empty = platform
        .store
        .is_empty()
        .await
        .context("could not read the database")?;
    let loaded = if empty {
        tracing::info!(
            seed = args.seed,
            "loading the demo data into the empty database"
        );
        Some(demo::load(&platform.app, args.seed).await?)
    } else {
        None
    };
    let has_demo = empty || demo::is_loaded(&platform.app).await?;
    let listener = super::serve::bind(&config).await?;
    super::serve::announce(&listener)?;
    {
        let mut out = std::io::stdout().lock();
        if let Some(loaded) = &loaded {
            demo::print_loaded(&mut out, loaded)?;
        }
        if has_demo {
            demo::print_logins(&mut out, &demo::logins())?;
        } else {
            writeln!(
                out,
                "The database is not empty and holds no demo data: nothing was loaded."
            )?;
        }
        out.flush()?;
    }
    super::serve::serve(listener, &platform, config.web.clone()).await
}

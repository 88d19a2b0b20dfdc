//! `lifelong bench bulk-open`: times bulk account opening end to end through the application,
//! as an institution's upload would run: the dry run (`check_bulk_file`: read, validate, seal,
//! look up existing people, keep the file) and the confirmation (`commit_bulk_file`: re-check
//! and write every account in one transaction), each with its rate, and the process's peak
//! memory.
//!
//! It runs on a new SQLite database in a temporary folder unless `--database-url` names one,
//! and never on the configured database. The master key is a throw-away one.

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use lifelong_app::{Actor, InstitutionInput, Settings};
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_vault::MasterKey;

use crate::app_error;
use crate::cli::{BenchTarget, BulkOpenArgs, FileFormat};
use crate::config::{sqlite_url, DatabaseUrl, Env, Overrides, Secret};
use crate::platform::Platform;
use crate::synthetic::{accounts_csv, accounts_xlsx, FakePerson, Generator, Registration};

/// The configuration of a benchmark run: its own database (a temporary SQLite file unless
/// `--database-url` names one) and a throw-away master key. The temporary folder lives as long
/// as the returned guard.
pub(super) fn bench_config(
    target: &BenchTarget,
    env: &Env,
) -> anyhow::Result<(
    crate::config::Config,
    DatabaseUrl,
    Option<tempfile::TempDir>,
)> {
    let flags = Overrides {
        config: target.config.clone(),
        ..Overrides::default()
    };
    let mut config = super::prepare(&flags, env)?;
    let (url, temp_dir) = match &target.database_url {
        Some(url) => (DatabaseUrl::new(url.clone()), None),
        None => {
            let mut builder = tempfile::Builder::new();
            builder.prefix("lifelong-bench-");
            let dir = match &target.data_dir {
                Some(parent) => builder.tempdir_in(parent),
                None => builder.tempdir(),
            }
            .context("could not create a temporary folder for the benchmark database")?;
            (sqlite_url(&dir.path().join("bench.db"))?, Some(dir))
        }
    };
    config.database_url = Some(url.clone());
    config.master_key = Some(Secret::new(MasterKey::generate().to_hex().as_str()));
    Ok((config, url, temp_dir))
}

/// A benchmark institution.
pub(super) async fn bench_institution(
    platform: &Platform,
    gen: &mut Generator,
    trusted: bool,
) -> anyhow::Result<lifelong_store::Institution> {
    platform
        .app
        .create_institution(
            &Actor::system(),
            InstitutionInput {
                credit_code: gen.credit_code(Registration::PrivateNonEnterprise, "310115"),
                name_zh: "基准测试培训学校".to_owned(),
                name_en: "Benchmark training school".to_owned(),
                kind: "training_institution".to_owned(),
                district_code: "310115".to_owned(),
                status: None,
                trusted: trusted.then(|| "on".to_owned()),
            },
        )
        .await
        .map_err(app_error)
        .context("could not create the benchmark institution")
}

/// Runs the bulk-opening benchmark.
pub async fn bulk_open(args: &BulkOpenArgs, env: &Env) -> anyhow::Result<()> {
    if args.rows == 0 {
        bail!("--rows must be at least 1");
    }
    let (config, url, _temp_dir) = bench_config(&args.target, env)?;
    let seed = args.target.seed.unwrap_or_else(clock_seed);
    let format = match args.target.format {
        FileFormat::Csv => "csv",
        FileFormat::Xlsx => "xlsx",
    };

    let started = Instant::now();
    let mut gen = Generator::new(seed);
    let people: Vec<FakePerson> = (0..args.rows).map(|_| gen.person(1940, 2015)).collect();
    let bytes = match args.target.format {
        FileFormat::Csv => accounts_csv(&people),
        FileFormat::Xlsx => accounts_xlsx(&people)?,
    };
    drop(people);
    let generated = started.elapsed();
    println!(
        "bench bulk-open: {} rows, {format} file of {:.1} MiB generated in {:.2} s (seed {seed})",
        args.rows,
        mib(bytes.len() as f64),
        generated.as_secs_f64()
    );

    let defaults = Settings::default();
    let settings = Settings {
        bulk_max_rows: args.rows.max(defaults.bulk_max_rows),
        bulk_max_bytes: bytes.len().max(defaults.bulk_max_bytes),
        ..config.app.clone()
    };
    let platform = Platform::open(&config, settings).await?;
    let temporary = if args.target.database_url.is_some() {
        ""
    } else {
        " (temporary)"
    };
    println!(
        "database: {} {url}{temporary}",
        platform.store.engine().name()
    );
    let institution = bench_institution(&platform, &mut gen, false).await?;
    let actor = Actor {
        role: Role::InstitutionOperator,
        institution: Some(institution.id.clone()),
        ..Actor::system()
    };

    let since_start = !reset_peak_rss();
    let file_name = format!("bench.{format}");
    let started = Instant::now();
    let report = platform
        .app
        .check_bulk_file(&actor, &file_name, &bytes, Lang::En)
        .await
        .map_err(app_error)
        .context("the dry run failed")?;
    let checked = started.elapsed();
    let Some(upload) = report.upload_id.clone() else {
        bail!(
            "the generated file has {} row errors (first: {:?})",
            report.error_count,
            report.errors.first().map(|e| &e.code)
        );
    };
    let started = Instant::now();
    let committed = platform
        .app
        .commit_bulk_file(&actor, &upload, Lang::En)
        .await
        .map_err(app_error)
        .context("the confirmation failed")?;
    let commit = started.elapsed();
    let peak = peak_rss_kib();
    platform.close().await;

    let rows = report.rows;
    println!("  check   {}", timing(rows, checked));
    println!("  commit  {}", timing(rows, commit));
    println!("  total   {}", timing(rows, checked + commit));
    if let Some(outcome) = committed.outcome {
        println!(
            "  created {}, linked {}, unchanged {}",
            outcome.created, outcome.linked, outcome.unchanged
        );
    }
    match peak {
        Some(kib) => println!(
            "  peak RSS {:.1} MiB (VmHWM{})",
            kib as f64 / 1024.0,
            if since_start {
                ", since the process started"
            } else {
                ", from the check on"
            }
        ),
        None => println!("  peak RSS unknown (no /proc/self/status)"),
    }
    Ok(())
}

pub(super) fn timing(rows: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        rows as f64 / secs
    } else {
        f64::INFINITY
    };
    format!("{secs:>8.3} s  {rate:>10.0} rows/s")
}

/// The CPU time this process has used so far, all threads, user and system, in seconds (from
/// `/proc/self/stat`, in the kernel's 1/100 s ticks). On a busy machine it says more than the
/// wall clock about what a step costs. Linux only.
pub(super) fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

pub(super) fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

/// A seed from the clock, so that runs against the same PostgreSQL database create new people.
pub(super) fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Resets the kernel's peak-RSS mark, so the peak reported is that of checking and committing
/// rather than of generating the file. Linux only; returns whether it worked.
pub(super) fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The peak resident set size (`VmHWM`), in KiB.
pub(super) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_cpu_time() {
        if std::path::Path::new("/proc/self/stat").exists() {
            let spent = super::cpu_seconds().unwrap();
            let mut x = 0u64;
            for i in 0..50_000_000u64 {
                x = x.wrapping_mul(31).wrapping_add(i);
            }
            assert!(x != 1);
            assert!(super::cpu_seconds().unwrap() >= spent);
        }
    }

    #[test]
    fn reads_the_peak_rss() {
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(super::peak_rss_kib().unwrap() > 0);
        }
    }
}

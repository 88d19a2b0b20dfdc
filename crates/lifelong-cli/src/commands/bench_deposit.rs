//! `lifelong bench deposit`: times the credit bank's hot paths on a fresh database.
//!
//! 1. Opens the learners (not timed: that is `bench bulk-open`), imports the demo units and
//!    recognition standards.
//! 2. Generates a deposit file of `--rows` outcomes spread over the learners — certificates
//!    and exams that the standards recognise, courses and volunteering by hours — and times the
//!    dry run and the confirmation of a trusted institution's upload: every row parsed and
//!    checked, recognised, appended to its learner's hash chain, in one transaction.
//! 3. Times `--pages` archive pages (the newest 20 entries of a random learner): p50, p99, max.
//! 4. Times the verification of every chain.
//!
//! Peak memory is the process's `VmHWM`.

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use lifelong_app::{Actor, Settings};
use lifelong_core::catalog::Catalog;
use lifelong_core::role::Role;
use lifelong_core::Lang;
use lifelong_store::{ArchiveFilter, Cursor};

use super::bench::{
    bench_config, bench_institution, clock_seed, cpu_seconds, mib, peak_rss_kib, reset_peak_rss,
    timing,
};
use crate::app_error;
use crate::cli::{DepositBenchArgs, FileFormat};
use crate::config::Env;
use crate::platform::Platform;
use crate::synthetic::{accounts_csv, table_xlsx, FakePerson, Generator};

/// Outcomes the generated file cycles through: (title, kind, hours, score, certificate code,
/// certificate level, course code).
const ROWS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "电工（四级/中级工）",
        "skill_certificate",
        "",
        "",
        "6-31-01-03",
        "4",
        "",
    ),
    (
        "养老护理员（三级/高级工）",
        "skill_certificate",
        "",
        "",
        "4-10-01-05",
        "3",
        "",
    ),
    (
        "全国计算机等级考试二级",
        "exam_certificate",
        "",
        "",
        "NCRE-2",
        "",
        "",
    ),
    (
        "大学英语四级",
        "exam_certificate",
        "",
        "512",
        "CET-4",
        "",
        "",
    ),
    (
        "书法（楷书入门）",
        "elderly_course",
        "32",
        "",
        "",
        "",
        "SHLE-SF-101",
    ),
    ("智能手机应用", "community_course", "12", "", "", "", ""),
    ("安全生产通用培训", "training", "16", "", "", "", ""),
    ("社区志愿服务", "volunteering", "40", "", "", "", ""),
];

/// Runs the benchmark.
pub async fn deposit(args: &DepositBenchArgs, env: &Env) -> anyhow::Result<()> {
    if args.rows == 0 {
        bail!("--rows must be at least 1");
    }
    if args.batches == 0 {
        bail!("--batches must be at least 1");
    }
    let learners = args.learners.unwrap_or(args.rows / 10).clamp(1, args.rows);
    let (config, url, _temp_dir) = bench_config(&args.target, env)?;
    let seed = args.target.seed.unwrap_or_else(clock_seed);
    let defaults = Settings::default();
    let settings = Settings {
        bulk_max_bytes: usize::MAX / 2,
        deposit_max_rows: args.rows.max(defaults.deposit_max_rows),
        bulk_max_rows: learners.min(100_000).max(defaults.bulk_max_rows),
        deposit_max_bytes: usize::MAX / 2,
        ..config.app.clone()
    };
    let platform = Platform::open(&config, settings).await?;
    println!(
        "bench deposit: {} rows over {learners} learners, seed {seed}, database {} {url}",
        args.rows,
        platform.store.engine().name()
    );

    // Setting up: learners, the catalog's units and standards (not timed).
    let started = Instant::now();
    let mut gen = Generator::new(seed);
    let institution = bench_institution(&platform, &mut gen, true).await?;
    let operator = Actor {
        role: Role::InstitutionOperator,
        institution: Some(institution.id.clone()),
        ..Actor::system()
    };
    let people: Vec<FakePerson> = (0..learners).map(|_| gen.person(1950, 2005)).collect();
    for chunk in people.chunks(100_000) {
        platform
            .app
            .open_accounts_from_file(&operator, "learners.csv", &accounts_csv(chunk), Lang::En)
            .await
            .map_err(app_error)
            .context("could not open the learners")?;
    }
    // The demo catalog, its programmes owned by the benchmark's institution, so that its
    // learners are a cohort to audit.
    let mut catalog = Catalog::demo().context("the demo catalog")?;
    for p in &mut catalog.programmes {
        p.institution = institution.credit_code.as_str().to_owned();
    }
    platform
        .app
        .import_catalog_data(&Actor::system_as(Role::Reviewer), &catalog)
        .await
        .map_err(app_error)?;
    println!(
        "  setup   {:.1} s (learners opened, {} units, {} standards and {} programmes imported)",
        started.elapsed().as_secs_f64(),
        catalog.units.len(),
        catalog.standards.len(),
        catalog.programmes.len()
    );
    let programme = catalog
        .programmes
        .first()
        .map(|p| p.code.clone())
        .context("the demo catalog has no programme")?;
    drop(catalog);

    let format = args.target.format;
    let ids: Vec<String> = people.iter().map(|p| p.id_number.clone()).collect();
    drop(people);
    let mut totals = Totals::default();
    for batch in 0..args.batches {
        let (name, bytes) = deposit_file(&ids, args.rows, batch, format)?;
        if batch == 0 {
            println!("  file    {:.1} MiB ({})", mib(bytes.len() as f64), name);
        }
        let since_start = !reset_peak_rss();
        let (report, done) = if args.direct {
            let step = Step::start();
            let done = platform
                .app
                .deposit_outcomes_from_file(&operator, &name, &bytes, Lang::En)
                .await
                .map_err(app_error)
                .context("the deposit failed")?;
            totals.commit.add(step);
            (done.clone(), done)
        } else {
            let step = Step::start();
            let report = platform
                .app
                .check_deposit_upload(&operator, &name, &bytes, Lang::En)
                .await
                .map_err(app_error)
                .context("the dry run failed")?;
            totals.check.add(step);
            let Some(upload) = report.upload_id.clone() else {
                bail!(
                    "the generated file has {} row errors (first: {:?})",
                    report.error_count,
                    report.errors.first().map(|e| &e.message)
                );
            };
            drop(bytes);
            let step = Step::start();
            let done = platform
                .app
                .commit_deposit_upload(&operator, &upload, Lang::En)
                .await
                .map_err(app_error)
                .context("the confirmation failed")?;
            totals.commit.add(step);
            (report, done)
        };
        let peak = peak_rss_kib();
        totals.rows += report.rows;
        if args.batches > 1 {
            println!(
                "  batch {:>3}: {} rows, {} so far",
                batch + 1,
                report.rows,
                totals.commit.show(totals.rows)
            );
        }
        if batch + 1 == args.batches {
            if !args.direct {
                println!("  check   {}", totals.check.show(totals.rows));
                println!("  confirm {}", totals.commit.show(totals.rows));
            }
            let all = Timed {
                wall: totals.check.wall + totals.commit.wall,
                cpu: totals.check.cpu + totals.commit.cpu,
            };
            println!(
                "  total   {}  ({})",
                all.show(totals.rows),
                if args.direct {
                    "one call, checked once"
                } else {
                    "dry run, then confirmation"
                }
            );
            if let Some(o) = done.outcome {
                println!(
                    "  last batch: deposited {} (counted at once {}), recognised {}",
                    o.created, o.accepted, report.to_recognise
                );
            }
            if let Some(kib) = peak {
                println!(
                    "  peak RSS {:.1} MiB (VmHWM{})",
                    kib as f64 / 1024.0,
                    if since_start {
                        ", since the process started"
                    } else {
                        ", of the last batch"
                    }
                );
            }
        }
    }

    // One learner's archive page, newest first, as the learner's page asks for it.
    let accounts = sample_accounts(&platform, args.pages).await?;
    let mut times: Vec<Duration> = Vec::with_capacity(accounts.len());
    for account in &accounts {
        let me = Actor {
            role: Role::Learner,
            account: Some(account.clone()),
            ..Actor::system()
        };
        let started = Instant::now();
        let page = platform
            .app
            .archive_page(
                &me,
                account,
                &ArchiveFilter::default(),
                &Cursor::new(None, Some(20)),
            )
            .await
            .map_err(app_error)?;
        times.push(started.elapsed());
        if page.items.is_empty() {
            bail!("a learner's archive is empty");
        }
    }
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "  archive page ({} learners): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );

    let started = Instant::now();
    let verified = platform
        .app
        .verify_archive(&Actor::system())
        .await
        .map_err(app_error)?;
    let took = started.elapsed();
    println!(
        "  verify  {} entries in {} chains: {}",
        verified.entries,
        verified.chains,
        timing(verified.entries as usize, took)
    );
    if !verified.broken.is_empty() {
        bail!("{} chains are broken", verified.broken.len());
    }

    // The institution audits its whole cohort against one of its programmes.
    let step = Step::start();
    let cohort = platform
        .app
        .cohort_audit(&operator, &programme)
        .await
        .map_err(app_error)?;
    let mut took = Timed::default();
    took.add(step);
    println!(
        "  cohort audit of {} learners against {programme}: {}",
        cohort.rows.len(),
        took.show(cohort.rows.len()).replace("rows/s", "learners/s")
    );
    platform.close().await;
    Ok(())
}

/// The `batch`-th deposit file of `rows` rows over the learners `ids`, as CSV or .xlsx.
fn deposit_file(
    ids: &[String],
    rows: usize,
    batch: usize,
    format: FileFormat,
) -> anyhow::Result<(String, Vec<u8>)> {
    const HEADER: [&str; 10] = [
        "身份证号码",
        "机构记录编号",
        "成果名称",
        "成果类型",
        "完成日期",
        "学时",
        "成绩",
        "证书代码",
        "证书等级",
        "课程代码",
    ];
    let learners = ids.len().max(1);
    let cells = |i: usize| -> [String; 10] {
        let n = batch * rows + i;
        let (title, kind, hours, score, code, level, course) =
            ROWS[(n / learners + n) % ROWS.len()];
        [
            ids[n % learners].clone(),
            format!("B{n:09}"),
            title.to_owned(),
            kind.to_owned(),
            format!("{}-06-{:02}", 2010 + n % 16, 1 + n % 28),
            hours.to_owned(),
            score.to_owned(),
            code.to_owned(),
            level.to_owned(),
            course.to_owned(),
        ]
    };
    match format {
        FileFormat::Csv => {
            let mut csv = String::with_capacity(rows * 120);
            csv.push_str(&HEADER.join(","));
            csv.push('\n');
            for i in 0..rows {
                csv.push_str(&cells(i).join(","));
                csv.push('\n');
            }
            Ok((format!("bench-{batch}.csv"), csv.into_bytes()))
        }
        FileFormat::Xlsx => {
            let body: Vec<[String; 10]> = (0..rows).map(cells).collect();
            let mut table: Vec<Vec<&str>> = Vec::with_capacity(rows + 1);
            table.push(HEADER.to_vec());
            table.extend(body.iter().map(|r| r.iter().map(String::as_str).collect()));
            Ok((format!("bench-{batch}.xlsx"), table_xlsx(&table)?))
        }
    }
}

/// Wall-clock and CPU time spent on a step, summed over batches.
#[derive(Debug, Default, Clone, Copy)]
struct Timed {
    wall: Duration,
    cpu: f64,
}

impl Timed {
    fn add(&mut self, step: Step) {
        self.wall += step.started.elapsed();
        self.cpu += cpu_seconds().unwrap_or(0.0) - step.cpu;
    }

    fn show(&self, rows: usize) -> String {
        format!("{}  cpu {:>7.2} s", timing(rows, self.wall), self.cpu)
    }
}

/// A step being timed.
#[derive(Debug, Clone, Copy)]
struct Step {
    started: Instant,
    cpu: f64,
}

impl Step {
    fn start() -> Step {
        Step {
            started: Instant::now(),
            cpu: cpu_seconds().unwrap_or(0.0),
        }
    }
}

#[derive(Debug, Default)]
struct Totals {
    check: Timed,
    commit: Timed,
    rows: usize,
}

/// Up to `n` learners' accounts, spread over the whole population.
async fn sample_accounts(
    platform: &Platform,
    n: usize,
) -> anyhow::Result<Vec<lifelong_store::AccountId>> {
    let mut all = Vec::new();
    let mut cursor = Cursor::new(None, Some(500));
    loop {
        let page = platform
            .app
            .store
            .list_accounts(&Default::default(), &cursor)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        all.extend(page.items.into_iter().map(|a| a.id));
        match page.next {
            Some(next) if all.len() < 200_000 => cursor = Cursor::new(Some(next), Some(500)),
            _ => break,
        }
    }
    let step = (all.len() / n.max(1)).max(1);
    Ok(all.into_iter().step_by(step).take(n).collect())
}

//! `lifelong bench xapi`: times the learning record store over HTTP on a fresh database, with
//! the load generator in the same process (sharing the machine's cores, as the issue asks).
//!
//! 1. Loads `--statements` statements through the application (validated and written in jobs
//!    of 1,000; timed as "load", not over HTTP), spread over `--agents` actors.
//! 2. Starts the real server on 127.0.0.1 (port chosen by the system).
//! 3. `post-batch`: `--batches` POSTs of `--batch` statements each, from `--clients`
//!    concurrent clients.
//! 4. `post-single`: `--singles` single-statement POSTs from `--clients` concurrent clients,
//!    with latency p50 / p99 / max.
//! 5. `get-agent`: `--gets` queries `GET /xapi/statements?agent=…&limit=--get-limit` for random
//!    agents, one at a time, with latency p50 / p99 / max.
//!
//! Statements are about 1 KB of JSON. Each step prints its wall time, rate and the process's CPU
//! time, since generator and server share the cores.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use lifelong_app::{Actor, Settings};
use lifelong_core::role::Role;
use lifelong_xapi::Version;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::bench::{bench_config, bench_institution, clock_seed, cpu_seconds, mib, peak_rss_kib};
use crate::app_error;
use crate::cli::XapiBenchArgs;
use crate::config::Env;
use crate::platform::Platform;
use crate::synthetic::Generator;

const VERBS: &[&str] = &[
    "completed",
    "attempted",
    "experienced",
    "passed",
    "answered",
    "progressed",
];

/// A statement of about 1 KB about a random one of `agents` agents.
fn random_statement(rng: &mut StdRng, agents: usize) -> Value {
    let agent = rng.gen_range(0..agents);
    statement(rng, agent)
}

/// A statement of about 1 KB about agent `agent`.
fn statement(rng: &mut StdRng, agent: usize) -> Value {
    let course = rng.gen_range(0..2_000);
    let lesson = rng.gen_range(0..40);
    let verb = VERBS[rng.gen_range(0..VERBS.len())];
    json!({
        "actor": { "objectType": "Agent", "name": format!("学员 {agent}"), "mbox": format!("mailto:learner{agent}@example.edu.cn") },
        "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": { "en-US": verb, "zh-CN": "学习" } },
        "object": {
            "objectType": "Activity",
            "id": format!("https://moodle.example.edu.cn/course/{course}/lesson/{lesson}"),
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/lesson",
                "name": { "zh-CN": format!("第 {lesson} 课：老年智能手机应用"), "en-US": format!("Lesson {lesson}: smartphones for seniors") },
                "description": { "zh-CN": "学习如何使用智能手机进行视频通话、扫码和网上挂号。", "en-US": "How to make video calls, scan codes and book hospital appointments on a smartphone." }
            }
        },
        "result": {
            "score": { "scaled": rng.gen_range(0..=100) as f64 / 100.0, "raw": rng.gen_range(0..=100), "min": 0, "max": 100 },
            "success": rng.gen_bool(0.8), "completion": true, "duration": format!("PT{}M{}S", rng.gen_range(1..90), rng.gen_range(0..60))
        },
        "context": {
            "registration": uuid::Uuid::from_u128(rng.gen()).to_string(),
            "platform": "Moodle 4.3",
            "language": "zh-CN",
            "contextActivities": {
                "parent": [{ "id": format!("https://moodle.example.edu.cn/course/{course}") }],
                "grouping": [{ "id": "https://moodle.example.edu.cn/programme/elderly-digital" }]
            },
            "extensions": { "https://lifelong.sh.cn/xapi/extensions/site": "徐汇区社区学院" }
        },
        "timestamp": "2026-11-23T08:30:00.000+08:00"
    })
}

/// Latency percentiles of a list of durations.
fn percentiles(mut times: Vec<Duration>) -> String {
    if times.is_empty() {
        return String::new();
    }
    times.sort_unstable();
    let at = |p: f64| {
        times[((times.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(times.len() - 1)]
    };
    format!(
        "p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3
    )
}

fn line(step: &str, n: usize, started: Instant, cpu_before: Option<f64>, extra: &str) {
    let secs = started.elapsed().as_secs_f64();
    let cpu = match (cpu_seconds(), cpu_before) {
        (Some(a), Some(b)) => format!("  CPU {:.1} s", a - b),
        _ => String::new(),
    };
    println!(
        "  {step:<12}{n:>10} statements {secs:>9.2} s {:>10.0} /s{cpu}  {extra}",
        n as f64 / secs.max(1e-9)
    );
}

/// Runs the benchmark.
pub async fn xapi(args: &XapiBenchArgs, env: &Env) -> anyhow::Result<()> {
    if args.batch == 0 || args.clients == 0 {
        bail!("--batch and --clients must be at least 1");
    }
    let agents = args.agents.unwrap_or((args.statements / 100).max(1)).max(1);
    let (config, url, _temp_dir) = bench_config(&args.target, env)?;
    let seed = args.target.seed.unwrap_or_else(clock_seed);
    let settings = Settings {
        ..config.app.clone()
    };
    let platform = Platform::open(&config, settings).await?;
    println!(
        "bench xapi: {} statements over {agents} agents loaded, seed {seed}, database {} {url}",
        args.statements,
        platform.store.engine().name()
    );
    let mut gen = Generator::new(seed);
    let institution = bench_institution(&platform, &mut gen, false).await?;
    let manager = Actor {
        role: Role::InstitutionManager,
        institution: Some(institution.id.clone()),
        ..Actor::system()
    };
    let issued = platform
        .app
        .issue_xapi_credential(&manager, &institution.id, "bench")
        .await
        .map_err(app_error)?;
    let client = platform
        .app
        .authenticate_xapi(&issued.credential.key, &issued.secret)
        .await
        .map_err(app_error)?;
    let mut rng = StdRng::seed_from_u64(seed);

    // 1. Load.
    let started = Instant::now();
    let cpu = cpu_seconds();
    let mut loaded = 0;
    while loaded < args.statements {
        let n = (args.statements - loaded).min(1_000);
        let batch: Vec<Value> = (0..n)
            .map(|i| statement(&mut rng, (loaded + i) % agents))
            .collect();
        platform
            .app
            .store_statements(&client, Version::V1, batch, Vec::new(), None)
            .await
            .map_err(app_error)
            .context("loading statements")?;
        loaded += n;
        if loaded % 1_000_000 == 0 {
            println!(
                "    … {loaded} loaded ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    line("load", loaded, started, cpu, "(application, jobs of 1,000)");

    // 2. The server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding 127.0.0.1")?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(lifelong_web::serve(
        listener,
        platform.app.clone(),
        config.web.clone(),
        async {
            let _ = stopped.await;
        },
    ));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients * 2)
        .build()?;
    let base = format!("http://{address}/xapi/statements");
    let auth = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{}:{}", issued.credential.key, issued.secret)
        )
    );
    let post = {
        let (http, base, auth) = (http.clone(), base.clone(), auth.clone());
        move |body: String| {
            let (http, base, auth) = (http.clone(), base.clone(), auth.clone());
            async move {
                let t = Instant::now();
                let answer = http
                    .post(&base)
                    .header("Authorization", auth)
                    .header("X-Experience-API-Version", "1.0.3")
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                let status = answer.status();
                let text = answer.text().await?;
                if !status.is_success() {
                    bail!("POST answered {status}: {text}");
                }
                Ok::<Duration, anyhow::Error>(t.elapsed())
            }
        }
    };

    // 3. Batches.
    let bodies: Vec<String> = (0..args.batches)
        .map(|_| {
            Value::Array(
                (0..args.batch)
                    .map(|_| random_statement(&mut rng, agents))
                    .collect(),
            )
            .to_string()
        })
        .collect();
    let size = bodies.first().map_or(0, |b| b.len() / args.batch);
    let started = Instant::now();
    let cpu = cpu_seconds();
    let times = run_clients(args.clients, bodies, post.clone()).await?;
    line(
        "post-batch",
        args.batches * args.batch,
        started,
        cpu,
        &format!(
            "{} per request of {}, ~{size} B each",
            percentiles(times),
            args.batch
        ),
    );

    // 4. Singles.
    let bodies: Vec<String> = (0..args.singles)
        .map(|_| random_statement(&mut rng, agents).to_string())
        .collect();
    let started = Instant::now();
    let cpu = cpu_seconds();
    let times = run_clients(args.clients, bodies, post).await?;
    line(
        "post-single",
        args.singles,
        started,
        cpu,
        &format!("{} ({} clients)", percentiles(times), args.clients),
    );

    // 5. Reads by agent.
    let mut times = Vec::with_capacity(args.gets);
    let mut returned = 0usize;
    let started = Instant::now();
    let cpu = cpu_seconds();
    for _ in 0..args.gets {
        let agent =
            json!({ "mbox": format!("mailto:learner{}@example.edu.cn", rng.gen_range(0..agents)) })
                .to_string();
        let t = Instant::now();
        let answer = http
            .get(&base)
            .query(&[
                ("agent", agent.as_str()),
                ("limit", &args.get_limit.to_string()),
            ])
            .header("Authorization", &auth)
            .header("X-Experience-API-Version", "1.0.3")
            .send()
            .await?;
        let status = answer.status();
        let body = answer.bytes().await?;
        times.push(t.elapsed());
        if !status.is_success() {
            bail!("GET answered {status}");
        }
        returned += body.len();
    }
    line(
        "get-agent",
        args.gets,
        started,
        cpu,
        &format!(
            "{} (limit {}, {:.1} KiB per answer)",
            percentiles(times),
            args.get_limit,
            returned as f64 / args.gets.max(1) as f64 / 1024.0
        ),
    );
    let _ = stop.send(());
    let _ = server.await;
    if let Some(kib) = peak_rss_kib() {
        println!("  peak RSS {:.0} MiB", mib(kib as f64 * 1024.0));
    }
    Ok(())
}

/// Sends every body with `clients` concurrent senders; the latency of each.
async fn run_clients<F, Fut>(
    clients: usize,
    bodies: Vec<String>,
    post: F,
) -> anyhow::Result<Vec<Duration>>
where
    F: Fn(String) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Duration>> + Send,
{
    let queue = Arc::new(tokio::sync::Mutex::new(bodies));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (queue, post) = (queue.clone(), post.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let Some(body) = queue.lock().await.pop() else {
                    break;
                };
                times.push(post(body).await?);
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.context("a client task")??);
    }
    Ok(all)
}

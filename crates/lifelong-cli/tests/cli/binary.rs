//! The real `lifelong` binary: the demo server on a free port answering `/healthz`, a graceful
//! stop on SIGTERM, and the small commands operators run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_lifelong");

/// A command of the binary, without any `LIFELONG_*` variable of the test's own environment.
fn lifelong(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("LIFELONG_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A configuration that makes password hashing cheap, for speed.
fn write_config(dir: &Path) -> String {
    let path = dir.join("lifelong.toml");
    let data_dir = dir.join("data");
    std::fs::write(
        &path,
        format!(
            "data_dir = {:?}\n[database]\nsqlite_synchronous = \"normal\"\n\
             [app.password_cost]\nmemory_kib = 8\niterations = 1\nparallelism = 1\n",
            data_dir.to_str().unwrap()
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

/// The status code of `GET path`, over a plain HTTP/1.1 connection.
fn http_status(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_whitespace().nth(1)?.parse().ok()
}

/// A running server whose standard output is read line by line on a thread.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Where the server's log (standard error) goes, shown when something fails.
    log: std::path::PathBuf,
}

impl Server {
    fn start(args: &[&str], log: &Path) -> Server {
        let stderr = std::fs::File::create(log).unwrap();
        let mut child = lifelong(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            lines,
            log: log.to_owned(),
        }
    }

    /// The lines printed until `until` matches one, waiting at most `timeout`.
    fn read_until(&self, until: impl Fn(&str) -> bool, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = until(&line);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(_) => panic!(
                    "timed out; printed so far: {seen:#?}\nlog:\n{}",
                    self.log_text()
                ),
            }
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn address(lines: &[String]) -> SocketAddr {
        lines
            .iter()
            .find_map(|l| l.strip_prefix("listening on http://"))
            .unwrap()
            .parse()
            .unwrap()
    }

    fn wait_healthy(&self, addr: SocketAddr) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while http_status(addr, "/healthz") != Some(200) {
            assert!(
                Instant::now() < deadline,
                "/healthz never answered 200; log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server with SIGTERM (graceful) and returns whether it exited successfully.
    fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let signalled = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        if !signalled {
            let _ = self.child.kill();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return signalled && status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn demo_serves_healthz_on_a_free_port_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path());
    let args = ["demo", "--config", &config, "--listen", "127.0.0.1:0"];

    let log = dir.path().join("server.log");
    let server = Server::start(&args, &log);
    let lines = server.read_until(|l| l.contains("13800138000"), Duration::from_secs(180));
    let addr = Server::address(&lines);
    assert_ne!(addr.port(), 0);
    assert!(lines.iter().any(|l| l.starts_with("Loaded the demo data")));
    assert!(
        lines.iter().any(|l| l.trim_start().starts_with("ll_")),
        "{lines:#?}"
    );
    for login in [
        "admin",
        "reviewer",
        "regulator",
        "analyst",
        "inst.operator",
        "inst.manager",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().nth(1) == Some(login)),
            "{login} in {lines:#?}"
        );
    }
    server.wait_healthy(addr);
    assert!(server.terminate(), "a graceful stop exits with success");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("shutting down") && logged.contains("stopped"),
        "{logged}"
    );
    assert!(logged.contains("BACK UP THE MASTER KEY"), "{logged}");
    assert!(dir.path().join("data/keys/master.key").exists());

    // A second start loads nothing and prints the logins again.
    let server = Server::start(&args, &log);
    let lines = server.read_until(|l| l.contains("13800138000"), Duration::from_secs(60));
    assert!(!lines.iter().any(|l| l.starts_with("Loaded the demo data")));
    server.wait_healthy(Server::address(&lines));
    let log_path = server.log.clone();
    assert!(
        server.terminate(),
        "the second start stops gracefully; log:\n{}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );
}

#[test]
fn config_print_default_prints_the_documented_defaults() {
    let out = run(&mut lifelong(&["config", "print-default"]));
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), lifelong_cli::config::DEFAULT_TOML);
}

#[test]
fn config_show_layers_and_refuses_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:7001\"\n").unwrap();
    let file = file.to_str().unwrap();
    let out = run(lifelong(&[
        "config",
        "show",
        "--config",
        file,
        "--listen",
        "127.0.0.1:7003",
    ])
    .env("LIFELONG_LISTEN", "127.0.0.1:7002")
    .env("LIFELONG_MASTER_KEY", "ab".repeat(32)));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("listen = \"127.0.0.1:7003\""), "{shown}");
    assert!(!shown.contains(&"ab".repeat(32)), "{shown}");

    std::fs::write(dir.path().join("bad.toml"), "[web]\npublic_ur = \"x\"\n").unwrap();
    let bad = dir.path().join("bad.toml");
    let out = run(&mut lifelong(&["serve", "--config", bad.to_str().unwrap()]));
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("unknown field `public_ur`"), "{err}");
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn migrate_admin_and_backup_work_on_a_fresh_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path());
    let out = run(&mut lifelong(&["migrate", "--config", &config]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("up to date"));

    let create = |login: &str| {
        run(lifelong(&[
            "admin",
            "create-user",
            "--config",
            &config,
            "--login",
            login,
            "--role",
            "administrator",
        ])
        .env("LIFELONG_NEW_PASSWORD", "Correct-Horse-1"))
    };
    let out = create("root.admin");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("root.admin (administrator)"));
    let again = create("root.admin");
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("login_taken"),
        "{}",
        text(&again.stderr)
    );

    let out = run(lifelong(&[
        "admin",
        "create-user",
        "--config",
        &config,
        "--login",
        "ou.staff",
        "--role",
        "institution_operator",
        "--institution",
        "91310000132200821H",
    ])
    .env("LIFELONG_NEW_PASSWORD", "Correct-Horse-1"));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no institution has the credit code"),
        "{}",
        text(&out.stderr)
    );

    let backup = dir.path().join("backup.db");
    let backup = backup.to_str().unwrap();
    let out = run(&mut lifelong(&[
        "backup", "--config", &config, "--to", backup,
    ]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(Path::new(backup).metadata().unwrap().len() > 0);
    let out = run(&mut lifelong(&[
        "backup", "--config", &config, "--to", backup,
    ]));
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already exists"));

    let out = run(&mut lifelong(&[
        "backup",
        "--database-url",
        "postgres://u@127.0.0.1:1/x",
        "--to",
        &format!("{backup}.2"),
    ]));
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("pg_dump"));
}

#[test]
fn bench_bulk_open_runs_on_a_temporary_database() {
    for format in ["csv", "xlsx"] {
        let out = run(&mut lifelong(&[
            "bench",
            "bulk-open",
            "--rows",
            "300",
            "--format",
            format,
            "--seed",
            "1",
        ]));
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report = text(&out.stdout);
        assert!(report.contains("created 300, linked 0"), "{report}");
        assert!(
            report.contains("rows/s") && report.contains("peak RSS"),
            "{report}"
        );
    }
}

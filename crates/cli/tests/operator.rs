//! The operator's commands through the real binary: one process owns a data directory (a second
//! service, a rebuild, a demo or a migration into it is refused while a service runs; a killed
//! service leaves nothing that blocks; backup, verify and token creation work beside it).

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{Server, bangiao, data_dir};

/// Both output streams of a finished command.
fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a command that must end by itself; kills it after `limit` (a second service that was
/// not refused would run for ever) and returns what it said.
fn run_within(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .env("BANGIAO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().expect("poll the child").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("its output")
}

/// Asserts that `out` is a refusal naming the directory and the pid holding it.
fn assert_refused(what: &str, out: &Output, dir: &std::path::Path, pid: u32) {
    let said = text(out);
    assert!(!out.status.success(), "{what} must be refused: {said}");
    assert!(
        said.contains(&dir.display().to_string()),
        "{what}: names the directory: {said}"
    );
    assert!(
        said.contains(&format!("tiến trình {pid} ")) && said.contains(&format!("process {pid} ")),
        "{what}: names the holder's pid in Vietnamese and English: {said}"
    );
}

#[tokio::test]
async fn one_process_owns_a_data_directory() {
    let (_guard, data) = data_dir();
    let scratch = tempfile::tempdir().expect("scratch directory");
    let first = Server::start(&data).await;
    let pid = first.pid();

    let mut second = bangiao();
    second
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--grpc-addr",
            "127.0.0.1:0",
        ])
        .arg("--data-dir")
        .arg(&data);
    let out = run_within(second, Duration::from_secs(20));
    assert_refused("a second serve", &out, &data, pid);

    // KurrentDB keeps the log elsewhere, but the read models are in the data directory: the
    // lock comes before any connection (this address answers nothing).
    let mut kurrent = bangiao();
    kurrent
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--grpc-addr",
            "127.0.0.1:0",
        ])
        .args(["--store", "kurrentdb://127.0.0.1:9?tls=false", "--data-dir"])
        .arg(&data);
    let out = run_within(kurrent, Duration::from_secs(20));
    assert_refused("serve --store kurrentdb://…", &out, &data, pid);

    let mut rebuild = bangiao();
    rebuild.arg("rebuild").arg("--data-dir").arg(&data);
    let out = run_within(rebuild, Duration::from_secs(60));
    assert_refused("rebuild", &out, &data, pid);

    let mut demo = bangiao();
    demo.arg("demo").arg("--data-dir").arg(&data);
    let out = run_within(demo, Duration::from_secs(60));
    assert_refused("demo", &out, &data, pid);

    let other = scratch.path().join("other");
    let token = support::token(&other, "quantri.19", "administrator", None);
    assert!(token.starts_with("bg_"));
    let mut migrate = bangiao();
    migrate
        .arg("migrate")
        .arg("--from")
        .arg(&other)
        .arg("--to")
        .arg(&data);
    let out = run_within(migrate, Duration::from_secs(60));
    assert_refused("migrate into it", &out, &data, pid);

    // The first service never noticed.
    let (status, _) = first.get("/health/ready").await;
    assert_eq!(status, 200, "the first service keeps answering");

    // Beside it: a token, a backup, a verification.
    let admin = support::token(&data, "quantri.19", "administrator", None);
    first.act_as(&admin);
    // The service notices another process's append within a fraction of a second.
    let started = Instant::now();
    let (status, body) = loop {
        let (status, body) = first.get("/api/v1/tokens").await;
        if status == 200 || started.elapsed() > Duration::from_secs(10) {
            break (status, body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status, 200, "the token issued beside it works: {body}");
    let copy = scratch.path().join("copy.db");
    let mut backup = bangiao();
    backup
        .arg("backup")
        .arg("--data-dir")
        .arg(&data)
        .arg("--to")
        .arg(&copy);
    let out = run_within(backup, Duration::from_secs(60));
    assert!(out.status.success(), "backup beside serve: {}", text(&out));
    assert!(copy.exists(), "the backup is written");
    let mut verify = bangiao();
    verify.arg("verify").arg("--data-dir").arg(&data);
    let out = run_within(verify, Duration::from_secs(60));
    assert!(out.status.success(), "verify beside serve: {}", text(&out));

    // A killed service leaves its lock file behind, naming a dead process: it blocks nothing.
    first.kill();
    assert!(data.join("bangiao.lock").exists(), "the file stays");
    let restarted = Server::start(&data).await;
    let (status, _) = restarted.get("/health/ready").await;
    assert_eq!(status, 200, "a new service starts after kill -9");
    drop(restarted);

    // Stopped, the directory is free for a rebuild.
    let mut rebuild = bangiao();
    rebuild.arg("rebuild").arg("--data-dir").arg(&data);
    let out = run_within(rebuild, Duration::from_secs(60));
    assert!(out.status.success(), "rebuild once stopped: {}", text(&out));
}

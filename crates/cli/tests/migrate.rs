//! `bangiao migrate` and `serve --store` through the real binary: an embedded store copied to
//! another in two runs (the first stopped after some events, the second resuming), verified,
//! with the same chain head; refusals; the service on a store named by `--store`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bangiao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bangiao"))
}

fn run(args: &[&str], dirs: &[&Path]) -> Output {
    let mut command = bangiao();
    let mut dirs = dirs.iter();
    for arg in args {
        match *arg {
            "{}" => command.arg(dirs.next().expect("a path for {}")),
            other => command.arg(other),
        };
    }
    command.output().expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The `head <hex>` a verify or migrate prints.
fn head(out: &Output) -> String {
    let text = text(out);
    let after = text
        .split("head ")
        .last()
        .unwrap_or_else(|| panic!("no head in {text}"));
    after.chars().take(64).collect()
}

#[test]
fn an_interrupted_migration_resumes_and_the_target_verifies_with_the_same_head() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = dir.path().join("source");
    let target = dir.path().join("target");
    let demo = run(&["demo", "--data-dir", "{}"], &[&source]);
    assert!(demo.status.success(), "{}", text(&demo));
    let source_verify = run(&["verify", "--data-dir", "{}"], &[&source]);
    assert!(source_verify.status.success(), "{}", text(&source_verify));

    let to = format!("sqlite:{}", target.join("events.db").display());
    let first = bangiao()
        .args(["migrate", "--from"])
        .arg(&source)
        .args(["--to", &to, "--max-events", "500"])
        .output()
        .expect("runs");
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("not finished"), "{}", text(&first));

    let second = bangiao()
        .args(["migrate", "--from"])
        .arg(&source)
        .args(["--to", &to])
        .output()
        .expect("runs");
    assert!(second.status.success(), "{}", text(&second));
    let out = text(&second);
    assert!(out.contains("complete"), "{out}");
    let already: u64 = out
        .split("already there: ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("the count already there");
    assert!(
        (500..520).contains(&already),
        "resumed after the first run: {out}"
    );

    let target_verify = run(&["verify", "--data-dir", "{}"], &[&target]);
    assert!(target_verify.status.success(), "{}", text(&target_verify));
    assert_eq!(
        head(&target_verify),
        head(&source_verify),
        "same chain head"
    );
    assert_eq!(head(&second), head(&source_verify));
}

#[test]
fn migrate_refuses_a_missing_source_the_same_store_and_a_foreign_target() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let missing = run(
        &["migrate", "--from", "{}", "--to", "{}"],
        &[&dir.path().join("nothing"), &dir.path().join("t")],
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("no event store at"),
        "{}",
        text(&missing)
    );

    let a = dir.path().join("a");
    let demo = run(&["demo", "--data-dir", "{}"], &[&a]);
    assert!(demo.status.success(), "{}", text(&demo));
    let same = run(
        &["migrate", "--from", "{}", "--to", "{}"],
        &[&a, &a.join("events.db")],
    );
    assert!(!same.status.success());
    assert!(text(&same).contains("same store"), "{}", text(&same));

    // A target holding another log: migrate a slice of b, then try to put a into it.
    let b = dir.path().join("b");
    let other = dir.path().join("other");
    assert!(run(&["demo", "--data-dir", "{}"], &[&b]).status.success());
    let slice = bangiao()
        .args(["migrate", "--from"])
        .arg(&b)
        .arg("--to")
        .arg(&other)
        .args(["--max-events", "10"])
        .output()
        .expect("runs");
    assert!(slice.status.success(), "{}", text(&slice));
    let foreign = run(&["migrate", "--from", "{}", "--to", "{}"], &[&a, &other]);
    assert!(!foreign.status.success());
    assert!(
        text(&foreign).contains("differs from the source"),
        "{}",
        text(&foreign)
    );
}

#[test]
fn serve_runs_on_the_store_named_by_store_and_keeps_read_models_in_the_data_dir() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = dir.path().join("log/events.db");
    let data = dir.path().join("replica");
    let mut child = bangiao()
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env("BANGIAO_STORE", format!("sqlite:{}", store.display()))
        .env("BANGIAO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let addr = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("http://")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .map(str::to_owned)
        })
        .expect("the service says where it listens");
    let mut stream = std::net::TcpStream::connect(&addr).expect("connects");
    write!(
        stream,
        "GET /health/live HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(store.exists(), "the log is where --store says");
    assert!(
        !data.join("events.db").exists(),
        "not in the data directory"
    );
    assert!(data.join("readmodel.db").exists(), "the read models are");
}

//! The operator's commands through the real binary: one process owns a data directory (a second
//! service, a rebuild, a demo or a migration into it is refused while a service runs; a killed
//! service leaves nothing that blocks; backup, verify and token creation work beside it); a
//! demo loaded again appends nothing; a checkpoint's private key is its owner's alone.

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

/// The log's last position and its number of token streams, read from the store file itself.
fn log_state(data: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(data.join("events.db")).expect("the store file");
    conn.query_row(
        "SELECT COALESCE(MAX(position), 0),
                (SELECT COUNT(DISTINCT stream) FROM events WHERE stream LIKE 'token-%')
         FROM events",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .expect("the log's state")
}

/// The `bg_…` secrets a command printed.
fn printed_tokens(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|w| w.starts_with("bg_"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_demo_loaded_again_appends_nothing_and_its_tokens_still_work() {
    let (_guard, data) = data_dir();
    let mut demo = bangiao();
    demo.arg("demo").arg("--data-dir").arg(&data);
    let first = run_within(demo, Duration::from_secs(300));
    assert!(first.status.success(), "demo: {}", text(&first));
    let issued = printed_tokens(&first);
    assert_eq!(issued.len(), 5, "one token per role: {}", text(&first));
    let loaded = log_state(&data);
    assert_eq!(loaded.1, 5, "five token streams");
    let list = bangiao()
        .args(["token", "list", "--data-dir"])
        .arg(&data)
        .output()
        .expect("token list runs");
    let archivist = bangiao_app::demo::identity("luutru.19").expect("in the cast");
    assert!(
        text(&list).contains(&format!(
            "{} — {} — {}",
            archivist.name, archivist.title, archivist.organ
        )),
        "the demo's tokens name their people: {}",
        text(&list)
    );

    let mut again = bangiao();
    again.arg("demo").arg("--data-dir").arg(&data);
    let second = run_within(again, Duration::from_secs(300));
    assert!(second.status.success(), "demo again: {}", text(&second));
    assert_eq!(log_state(&data), loaded, "a second demo appends nothing");
    let reprinted = printed_tokens(&second);

    // `serve --demo` on the demo directory appends nothing either.
    let server = Server::start_with(&data, &["--demo"]).await;
    for token in issued.iter().chain(&reprinted) {
        server.act_as(token);
        let (status, body) = server.get("/api/v1/units").await;
        assert_eq!(status, 200, "a printed demo token authenticates: {body}");
    }
    server.kill();
    assert_eq!(log_state(&data), loaded, "serve --demo appends nothing");
}

#[test]
fn a_checkpoint_key_is_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;

    let (guard, data) = data_dir();
    support::token(&data, "quantri.19", "administrator", None);
    let key = guard.path().join("province.key");
    let out = bangiao()
        .args(["checkpoint", "keygen", "--out"])
        .arg(&key)
        .output()
        .expect("keygen runs");
    assert!(out.status.success(), "keygen: {}", text(&out));
    let mode = std::fs::metadata(&key)
        .expect("the key")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(
        mode, 0o600,
        "the private key is written 0600, found {mode:o}"
    );

    let sign = |out: &std::path::Path| {
        bangiao()
            .args(["checkpoint", "sign", "--data-dir"])
            .arg(&data)
            .arg("--key")
            .arg(&key)
            .arg("--out")
            .arg(out)
            .output()
            .expect("sign runs")
    };
    let signed = guard.path().join("signed.json");
    let out = sign(&signed);
    assert!(out.status.success(), "sign with a 0600 key: {}", text(&out));

    for mode in [0o644, 0o620, 0o604] {
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let refused = guard.path().join(format!("refused-{mode:o}.json"));
        let out = sign(&refused);
        let said = text(&out);
        assert!(!out.status.success(), "a {mode:o} key is refused: {said}");
        assert!(
            said.contains(&format!("chmod 600 {}", key.display())),
            "says what to do: {said}"
        );
        assert!(!refused.exists(), "nothing signed with a {mode:o} key");
    }
}

#[test]
fn a_token_carries_the_name_title_and_organ_of_its_person() {
    let (_guard, data) = data_dir();
    let out = bangiao()
        .args(["token", "create", "--data-dir"])
        .arg(&data)
        .args([
            "--user",
            "vanthu.06602",
            "--role",
            "clerk",
            "--scope",
            "06602",
        ])
        .args(["--name", "Nông Thị Lành", "--title", "Văn thư"])
        .args(["--organ", "Ủy ban nhân dân xã Bằng Thành"])
        .output()
        .expect("token create runs");
    assert!(out.status.success(), "token create: {}", text(&out));
    assert!(
        text(&out).contains("Nông Thị Lành — Văn thư — Ủy ban nhân dân xã Bằng Thành"),
        "{}",
        text(&out)
    );
    let plain = bangiao()
        .args(["token", "create", "--data-dir"])
        .arg(&data)
        .args(["--user", "thanhtra.19", "--role", "inspector"])
        .output()
        .expect("token create runs");
    assert!(plain.status.success(), "token create: {}", text(&plain));
    let list = bangiao()
        .args(["token", "list", "--data-dir"])
        .arg(&data)
        .output()
        .expect("token list runs");
    let listed = text(&list);
    assert!(list.status.success(), "token list: {listed}");
    let line = |user: &str| {
        listed
            .lines()
            .find(|l| l.contains(user))
            .unwrap_or_else(|| panic!("{user} listed: {listed}"))
            .to_owned()
    };
    assert!(
        line("vanthu.06602").contains("Nông Thị Lành — Văn thư — Ủy ban nhân dân xã Bằng Thành"),
        "{listed}"
    );
    assert!(!line("thanhtra.19").contains(" — "), "{listed}");
}

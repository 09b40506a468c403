//! The PostgreSQL store through the real binary, against a throw-away cluster the test starts:
//! `migrate` SQLite → PostgreSQL → SQLite keeps every event id and hash and `verify` passes on
//! each; `verify`, `rebuild`, `token` and `backup` take `--store`; a logical backup of the
//! PostgreSQL store restores into a data directory with the same chain head. Without
//! PostgreSQL the test prints `skipped: postgresql not found`.

use std::path::Path;
use std::process::{Command, Output};

use bangiao_store::postgres::test_cluster::TestCluster;
use bangiao_store::{EventStore, SqliteStore};

fn bangiao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bangiao"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the binary and insists that it succeeds; returns what it printed.
fn ok(args: &[&str]) -> String {
    let started = std::time::Instant::now();
    let out = bangiao().args(args).output().expect("the binary runs");
    eprintln!("bangiao {}: {:.1?}", args[0], started.elapsed());
    assert!(out.status.success(), "bangiao {args:?}: {}", text(&out));
    text(&out)
}

/// The `head <hex>` a verify or migrate prints.
fn head(out: &str) -> String {
    let after = out
        .split("head ")
        .last()
        .unwrap_or_else(|| panic!("no head in {out}"));
    after.chars().take(64).collect()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

/// Every event of an embedded store: (position, id, hash).
fn log_of(file: &Path) -> Vec<(u64, uuid::Uuid, [u8; 32])> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let store = SqliteStore::open_path(file).expect("open");
        let mut all = Vec::new();
        loop {
            let page = store
                .read_all(all.len() as u64 + 1, 4096)
                .await
                .expect("read");
            if page.is_empty() {
                return all;
            }
            all.extend(page.into_iter().map(|e| (e.position, e.event_id, e.hash)));
        }
    })
}

#[test]
fn sqlite_to_postgres_to_sqlite_keeps_every_id_and_hash_and_each_verifies() {
    let Some(cluster) = TestCluster::start() else {
        return;
    };
    let pg = cluster.url("postgres");
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = dir.path().join("source");
    let replica = dir.path().join("replica");
    let back = dir.path().join("back");
    ok(&["demo", "--data-dir", path(&source)]);
    let source_head = head(&ok(&["verify", "--data-dir", path(&source)]));

    let there = ok(&["migrate", "--from", path(&source), "--to", &pg]);
    assert!(there.contains("complete"), "{there}");
    assert!(
        !there.contains(cluster_password()),
        "the password is never printed: {there}"
    );
    assert_eq!(head(&there), source_head);

    // The service's other commands on the PostgreSQL store, read models in a data directory.
    let verified = ok(&["verify", "--store", &pg, "--data-dir", path(&replica)]);
    assert_eq!(head(&verified), source_head);
    assert!(
        verified.contains("read models equal a fresh rebuild"),
        "{verified}"
    );
    ok(&["rebuild", "--store", &pg, "--data-dir", path(&replica)]);
    let issued = ok(&[
        "token",
        "create",
        "--store",
        &pg,
        "--data-dir",
        path(&replica),
        "--user",
        "clerk-9",
        "--role",
        "clerk",
        "--scope",
        "UBND-XA-AN-BINH",
    ]);
    assert!(issued.contains("bg_"), "{issued}");
    let listed = ok(&[
        "token",
        "list",
        "--store",
        &pg,
        "--data-dir",
        path(&replica),
    ]);
    assert!(listed.contains("clerk-9"), "{listed}");

    let back_file = back.join("events.db");
    let home = ok(&[
        "migrate",
        "--from",
        &pg,
        "--to",
        &format!("sqlite:{}", back_file.display()),
    ]);
    assert!(home.contains("complete"), "{home}");
    let back_head = head(&ok(&["verify", "--data-dir", path(&back)]));
    let pg_head = head(&ok(&[
        "verify",
        "--store",
        &pg,
        "--data-dir",
        path(&replica),
    ]));
    assert_eq!(back_head, pg_head, "the same chain after the round trip");

    let original = log_of(&source.join("events.db"));
    let returned = log_of(&back_file);
    assert_eq!(
        returned[..original.len()],
        original[..],
        "every event id, position and hash survives SQLite → PostgreSQL → SQLite"
    );
    assert_eq!(
        returned.len(),
        original.len() + 1,
        "plus the token issued on PostgreSQL"
    );

    // A logical backup of the PostgreSQL store restores into a new data directory.
    let backup_file = dir.path().join("pg-backup.db");
    ok(&["backup", "--store", &pg, "--to", path(&backup_file)]);
    let restored = dir.path().join("restored");
    ok(&[
        "restore",
        "--from",
        path(&backup_file),
        "--data-dir",
        path(&restored),
    ]);
    assert_eq!(
        head(&ok(&["verify", "--data-dir", path(&restored)])),
        pg_head
    );
}

fn cluster_password() -> &'static str {
    bangiao_store::postgres::test_cluster::PASSWORD
}

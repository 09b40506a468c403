//! An online backup of the running service, restored into a new data directory on "another
//! machine", verifies and serves the same answers.

mod support;

use support::{Server, bangiao, data_dir, token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_and_verifies() {
    let (guard, data) = data_dir();
    let demo = bangiao()
        .args(["demo", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run demo");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let inspector = token(&data, "thanhtra.19", "inspector", None);
    let server = Server::start(&data).await;
    server.act_as(&inspector);
    let (_, live) = server.get("/health/live").await;

    let backup = guard.path().join("bangiao-backup.db");
    let out = bangiao()
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg("--to")
        .arg(&backup)
        .output()
        .expect("run backup");
    assert!(
        out.status.success(),
        "backup while serving: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = bangiao()
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg("--to")
        .arg(&backup)
        .output()
        .expect("run backup");
    assert!(
        !again.status.success(),
        "an existing backup file is never overwritten"
    );
    let (_, before) = server.get("/api/v1/units/066/inventory?limit=5").await;
    server.kill();

    let restored = guard.path().join("restored");
    let out = bangiao()
        .args(["restore", "--from"])
        .arg(&backup)
        .arg("--data-dir")
        .arg(&restored)
        .output()
        .expect("run restore");
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verify = bangiao()
        .args(["verify", "--data-dir"])
        .arg(&restored)
        .output()
        .expect("run verify");
    assert!(
        verify.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );

    let server = Server::start(&restored).await;
    server.act_as(&inspector);
    let (_, restored_live) = server.get("/health/live").await;
    assert_eq!(restored_live["log_position"], live["log_position"]);
    let (_, after) = server.get("/api/v1/units/066/inventory?limit=5").await;
    assert_eq!(before, after);
}

//! A full disk through the real binary: with the data directory on a small tmpfs filled up,
//! commands fail with a clear problem (507 storage_full, or 503), never a bare 500, and leave
//! nothing behind; reads keep working; once space is freed the same commands land, none twice;
//! `bangiao verify` passes afterwards. Needs root to mount the tmpfs; prints "skipped" otherwise.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::Server;
use support::scenario::{
    FONDS, commune_with_fonds, file, file_code, people, verify, wait_for_files,
};

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, size: &str) -> Result<Self, String> {
        std::fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(Self(at.to_owned()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the filesystem of `dir` with one file until no byte more fits; returns its size.
fn fill(dir: &Path) -> u64 {
    let mut filler = std::fs::File::create(dir.join("filler")).expect("filler");
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0;
    while filler.write_all(&chunk).is_ok() {
        written += chunk.len() as u64;
    }
    // Then byte by byte-ish, so not even a page is left.
    let small = [0u8; 512];
    while filler.write_all(&small).is_ok() {
        written += small.len() as u64;
    }
    let _ = filler.sync_all();
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_keeps_reads_and_recovers_without_loss() {
    let dir = tempfile::tempdir().expect("dir");
    let mount = match Mount::new(&dir.path().join("small-disk"), "32m") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped: cannot mount a tmpfs for the full-disk test (needs root): {why}");
            return;
        }
    };
    let data = mount.0.join("data");
    let people = people(&data);
    let server = Server::start(&data).await;
    commune_with_fonds(&server, &people).await;
    let files = format!("/api/v1/fonds/{FONDS}/files");
    for n in 1..=50 {
        let (status, body) = server.post(&files, file(n)).await;
        assert_eq!(status, 201, "{body}");
    }

    let filled = fill(&mount.0);
    let mut refused = Vec::new();
    let mut landed = 50;
    for n in 51..=250 {
        let (status, body) = server.post(&files, file(n)).await;
        match status {
            201 => landed += 1,
            507 | 503 => {
                assert!(
                    body["code"] == "storage_full" || body["code"] == "busy",
                    "a clear problem: {body}"
                );
                assert!(body["message_vi"].is_string() && body["message_en"].is_string());
                refused.push(n);
            }
            other => panic!("file {n} on a full disk: {other} {body}"),
        }
    }
    assert!(
        !refused.is_empty(),
        "the full disk refused nothing ({} bytes filled)",
        filled
    );
    // Reads keep working from what is already there.
    let (status, custody) = server
        .get(&format!("/api/v1/files/{}/custody", file_code(1)))
        .await;
    assert_eq!(status, 200, "{custody}");
    let (status, _) = server
        .get(&format!("/api/v1/fonds/{FONDS}/inventory"))
        .await;
    assert_eq!(status, 200);
    let (status, _) = server.get("/health/live").await;
    assert_eq!(status, 200);
    println!(
        "disk full: {filled} bytes of filler; {} commands refused with 507/503, {} landed before space ran out",
        refused.len(),
        landed - 50
    );

    // Space comes back: the refused commands land, each once.
    std::fs::remove_file(mount.0.join("filler")).expect("free the space");
    for n in &refused {
        let (status, body) = server.post(&files, file(*n)).await;
        assert_eq!(status, 201, "file {n} after space was freed: {body}");
    }
    let (status, again) = server.post(&files, file(refused[0])).await;
    assert_eq!(status, 409, "recorded once only: {again}");
    wait_for_files(&server, 250).await;
    server.kill();
    verify(&data, "a full disk");
    println!(
        "disk full: after freeing space all {} refused commands landed once; verify passes; failures = 0",
        refused.len()
    );

    // The same data on a file system that became read-only.
    remount(&mount.0, "ro");
    let server = Server::start(&data).await;
    server.act_as(&people.clerk);
    let (status, body) = server.post(&files, file(251)).await;
    assert_eq!(status, 503, "a read-only store refuses writes: {body}");
    assert_eq!(body["code"], "read_only", "{body}");
    let (status, list) = server
        .get(&format!("/api/v1/fonds/{FONDS}/inventory?limit=1"))
        .await;
    assert_eq!(
        (status, &list["totals"]["files"]),
        (200, &serde_json::json!(250)),
        "reads go on"
    );
    // SQLite keeps a read-only view of the file for the life of the process: once the file
    // system is writable again, the operator restarts the service.
    server.kill();
    remount(&mount.0, "rw");
    let server = Server::start(&data).await;
    server.act_as(&people.clerk);
    let (status, body) = server.post(&files, file(251)).await;
    assert_eq!(status, 201, "writable again: {body}");
    let (status, body) = server.post(&files, file(251)).await;
    assert_eq!(status, 409, "once only: {body}");
    wait_for_files(&server, 251).await;
    server.kill();
    verify(&data, "read-only");
    println!(
        "read-only: writes refused with 503 read_only, reads served, writes resumed after a restart once writable; failures = 0"
    );
}

fn remount(at: &Path, mode: &str) {
    let out = Command::new("mount")
        .args(["-o", &format!("remount,{mode}")])
        .arg(at)
        .output()
        .expect("mount");
    assert!(
        out.status.success(),
        "remount {mode}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

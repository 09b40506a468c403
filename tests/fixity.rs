//! `bangiao fixity` on the real binary beside a running service: two scans uploaded and attached
//! over HTTP, a run that finds them intact, then one byte flipped in one blob on disk: the next
//! run exits non-zero naming that file and copy, and its verdict is in the log (the copy's list
//! shows it altered, from the run's events).

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::scenario::{self, FONDS, file_code};
use support::{Server, bangiao};

/// A PDF-looking scan of `kb` KB; `seed` makes it unique.
fn scan(kb: usize, seed: u32) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n".to_vec();
    let mut x = seed;
    while bytes.len() < kb * 1024 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((x >> 24) as u8);
    }
    bytes
}

/// Uploads `bytes` and attaches them to file `n` as `copy_id`.
async fn attach(server: &Server, token: &str, n: u32, bytes: Vec<u8>, copy_id: &str) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/fonds/{FONDS}/blobs", server.base))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status().as_u16(), 201);
    let up: Value = response.json().await.expect("json");
    let command = json!({"file_code": file_code(n), "copy_id": copy_id, "sha256": up["sha256"],
        "size_bytes": up["size_bytes"], "format": up["format"], "digitised_by": "vanthu.99001",
        "digitised_on": "2025-08-01"});
    let (status, body) = server
        .post(&format!("/api/v1/fonds/{FONDS}/files/copies"), command)
        .await;
    assert_eq!(status, 201, "{body}");
    up
}

fn fixity(data: &Path) -> std::process::Output {
    bangiao()
        .args(["fixity", "--data-dir"])
        .arg(data)
        .output()
        .expect("run bangiao fixity")
}

#[tokio::test]
async fn a_flipped_byte_is_named_by_file_and_copy_and_recorded() {
    let (_tmp, data) = support::data_dir();
    let people = scenario::people(&data);
    let server = Server::start(&data).await;
    scenario::commune_with_fonds(&server, &people).await;
    for n in [1, 2] {
        let (status, body) = server
            .post(&format!("/api/v1/fonds/{FONDS}/files"), scenario::file(n))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let intact_copy = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0a01";
    let damaged_copy = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0a02";
    attach(&server, &people.clerk, 1, scan(512, 1), intact_copy).await;
    let up = attach(&server, &people.clerk, 2, scan(768, 2), damaged_copy).await;

    let first = fixity(&data);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("2 bản / copies"), "{stdout}");

    // One byte flipped in the second copy's blob, on disk.
    let hex = up["sha256"].as_str().expect("sha256");
    let blob = data.join("blobs").join(&hex[..2]).join(hex);
    let mut bytes = std::fs::read(&blob).expect("the blob is on disk");
    bytes[4096] ^= 0x01;
    let mut permissions = std::fs::metadata(&blob).expect("metadata").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&blob, permissions).expect("writable");
    std::fs::write(&blob, bytes).expect("flip");

    let second = fixity(&data);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "damage must fail the run");
    let named = stderr
        .lines()
        .find(|l| l.contains("ALTERED"))
        .unwrap_or_else(|| panic!("no altered line: {stderr}"));
    assert!(named.contains(&file_code(2)), "{named}");
    assert!(named.contains(damaged_copy), "{named}");
    assert!(!stderr.contains(intact_copy), "{stderr}");

    // The run's events are in the log: the copies' last verdicts come from them.
    let started = Instant::now();
    loop {
        let (_, copies) = server
            .get(&format!("/api/v1/files/{}/copies", file_code(2)))
            .await;
        if copies[0]["fixity"] == "altered" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the verdict never reached the read models: {copies}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, intact) = server
        .get(&format!("/api/v1/files/{}/copies", file_code(1)))
        .await;
    assert_eq!(intact[0]["fixity"], "intact", "{intact}");
    // The figures are on /metrics.
    let (_, metrics) = server.get_text("/metrics").await;
    for line in [
        "bangiao_fixity_last_run_copies{status=\"altered\"} 1",
        "bangiao_fixity_last_run_copies{status=\"intact\"} 1",
        "bangiao_copies{status=\"current\"} 2",
    ] {
        assert!(metrics.contains(line), "{line} not in:\n{metrics}");
    }
}

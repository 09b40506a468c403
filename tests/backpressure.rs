//! Backpressure through the real binary: a flood of commands far beyond the write admission
//! limit gets 503 with `Retry-After` for what does not fit, never a 5xx of another kind; memory
//! stays bounded; every acknowledged command is there, every refused one absent; and retrying
//! the refused ones after `Retry-After` lands them all.

mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::join_all;
use support::scenario::{FONDS, commune_with_fonds, file, file_code, people, wait_for_files};
use support::{Server, data_dir};

/// Commands in the flood.
const FLOOD: u32 = 2_000;
/// Commands admitted at once by the service under test.
const ADMITTED: &str = "4";

/// Resident memory of a process now and at its peak, in MiB.
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn record(client: &reqwest::Client, url: &str, token: &str, n: u32) -> (u16, Option<String>) {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&file(n))
        .send()
        .await
        .expect("answered");
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.status().as_u16(), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_commands_is_shed_with_503_and_retry_after_and_memory_stays_bounded() {
    let (_guard, data) = data_dir();
    let people = people(&data);
    let server = Server::start_with(&data, &["--max-pending-writes", ADMITTED]).await;
    commune_with_fonds(&server, &people).await;
    let (before, _) = memory_mib(server.pid());

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(FLOOD as usize)
        .build()
        .expect("client");
    let url = format!("{}/api/v1/fonds/{FONDS}/files", server.base);
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (pid, sampling) = (server.pid(), sampling.clone());
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                samples.push(memory_mib(pid).0);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            samples
        })
    };
    let started = Instant::now();
    let outcomes = join_all((1..=FLOOD).map(|n| record(&client, &url, &people.clerk, n))).await;
    let flood_time = started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let samples = sampler.await.expect("sampler");
    let (_, peak) = memory_mib(server.pid());

    let mut shed = Vec::new();
    let mut acknowledged = Vec::new();
    for (n, (status, retry)) in (1..=FLOOD).zip(&outcomes) {
        match status {
            201 => acknowledged.push(n),
            503 => {
                assert_eq!(retry.as_deref(), Some("1"), "503 carries Retry-After");
                shed.push(n);
            }
            other => panic!("command {n}: unexpected {other}"),
        }
    }
    println!(
        "backpressure: {FLOOD} commands at once, {} admitted, {} shed with 503 in {:.2} s; memory {before} MiB before, {} MiB at most while flooded, peak {peak} MiB",
        acknowledged.len(),
        shed.len(),
        flood_time.as_secs_f64(),
        samples.iter().max().copied().unwrap_or(0)
    );
    assert!(!shed.is_empty(), "the flood must overflow {ADMITTED} slots");
    assert!(!acknowledged.is_empty(), "some commands get through");
    assert!(
        peak < before + 200,
        "memory grew from {before} MiB to {peak} MiB"
    );

    // Acknowledged commands are there; shed ones are not.
    for (list, expected) in [(&acknowledged, 200), (&shed, 404)] {
        for n in list.iter().step_by(7) {
            let (status, body) = server
                .get(&format!("/api/v1/files/{}/custody", file_code(*n)))
                .await;
            assert_eq!(status, expected, "file {n}: {body}");
        }
    }
    // Clients that wait for Retry-After, eight at a time, land every shed command.
    let retried = shed.len();
    let rounds: Vec<u32> = futures::stream::iter(shed)
        .map(|n| {
            let (client, url, token) = (&client, &url, &people.clerk);
            async move {
                for round in 1..=60 {
                    match record(client, url, token, n).await {
                        (201, _) => return round,
                        (503, _) => tokio::time::sleep(Duration::from_secs(1)).await,
                        (other, _) => panic!("retry of {n}: unexpected {other}"),
                    }
                }
                panic!("command {n} never got through");
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let retries = rounds.iter().map(|r| u64::from(*r)).sum::<u64>();
    wait_for_files(&server, u64::from(FLOOD)).await;
    println!(
        "backpressure: the {retried} shed commands landed after {retries} attempts in all, none twice; failures = 0"
    );
}

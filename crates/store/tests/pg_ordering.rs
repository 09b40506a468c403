//! Global order on PostgreSQL, the classic trap of event stores on it: eight writers in two
//! processes (this test and a copy of itself, each with its own store and writer task) append
//! concurrently to shared streams for `BANGIAO_PG_ORDERING_SECS` seconds (default 20) while a
//! subscriber follows the log. The subscriber must see every acknowledged event exactly once,
//! at the position its append was acknowledged with, positions gapless and increasing, and its
//! view must equal a fresh read of the log; the hash chain must verify.
//!
//! The second process is this same test binary, started with `BANGIAO_PG_ORDERING_CHILD`
//! naming the database: it runs four writers and prints one `ACK <event id> <position>` line
//! per acknowledged event.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bangiao_store::conformance::event;
use bangiao_store::postgres::test_cluster::TestCluster;
use bangiao_store::verify::verify_chain;
use bangiao_store::{
    AppendRequest, EventStore, ExpectedState, PostgresConfig, PostgresStore, StoreError,
};
use futures::StreamExt;
use uuid::Uuid;

const CHILD: &str = "BANGIAO_PG_ORDERING_CHILD";
const WRITERS_PER_PROCESS: u64 = 4;
const STREAMS: u64 = 6;

fn duration() -> Duration {
    let seconds = std::env::var("BANGIAO_PG_ORDERING_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20u64);
    Duration::from_secs(seconds)
}

/// Appends for `duration` from one writer: one to three events at a time, to a shared stream
/// at the revision it read (retrying conflicts) or with no expectation; returns every
/// acknowledged (event id, position).
async fn write_for(store: PostgresStore, writer: u64, duration: Duration) -> Vec<(Uuid, u64)> {
    let started = Instant::now();
    let mut acked = Vec::new();
    let mut i = 0u64;
    while started.elapsed() < duration {
        i += 1;
        let stream = format!("ordering-{}", (writer * 7 + i) % STREAMS);
        let count = 1 + (i % 3);
        let events: Vec<_> = (0..count)
            .map(|k| event(writer * 1_000_000 + i * 10 + k))
            .collect();
        let expected = if i.is_multiple_of(2) {
            ExpectedState::Any
        } else {
            store
                .stream_revision(&stream)
                .await
                .expect("revision")
                .map_or(ExpectedState::NoStream, ExpectedState::Revision)
        };
        let request = AppendRequest {
            stream,
            expected,
            command_id: Some(Uuid::now_v7()),
            events: events.clone(),
        };
        match store.append(request).await {
            Ok(result) => {
                for (e, position) in events.iter().zip(result.first_position..) {
                    acked.push((e.event_id, position));
                }
            }
            Err(StoreError::WrongExpectedVersion { .. }) => {}
            Err(e) => panic!("writer {writer}: unexpected {e}"),
        }
    }
    acked
}

async fn writers(store: &PostgresStore, first: u64, duration: Duration) -> Vec<(Uuid, u64)> {
    let tasks: Vec<_> = (first..first + WRITERS_PER_PROCESS)
        .map(|w| tokio::spawn(write_for(store.clone(), w, duration)))
        .collect();
    let mut acked = Vec::new();
    for task in tasks {
        acked.extend(task.await.expect("writer task"));
    }
    acked
}

/// The second process: four writers, acknowledgements on stdout.
async fn child(url: String) {
    let store = PostgresStore::connect(PostgresConfig::new(url))
        .await
        .expect("the child connects");
    for (id, position) in writers(&store, WRITERS_PER_PROCESS, duration()).await {
        println!("ACK {id} {position}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_in_two_processes_and_a_subscriber_agree_on_one_gapless_order() {
    if let Ok(url) = std::env::var(CHILD) {
        return child(url).await;
    }
    let Some(cluster) = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("start")
    else {
        return;
    };
    let url = cluster.create_database().await;
    let store = PostgresStore::connect(PostgresConfig::new(url.clone()))
        .await
        .expect("connect");

    // The subscriber follows from the start, in this process, woken by both processes' commits.
    let mut subscription = store.subscribe_all(1);
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
    let subscriber = tokio::spawn(async move {
        while let Some(event) = subscription.next().await {
            let event = event.expect("the subscription reads");
            if seen_tx.send(event).is_err() {
                return;
            }
        }
    });

    let mut other = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "eight_writers_in_two_processes_and_a_subscriber_agree_on_one_gapless_order",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the second process");
    let stdout = other.stdout.take().expect("piped stdout");
    let theirs = tokio::task::spawn_blocking(move || {
        let mut acked = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("child output");
            // The first line follows the test harness's own "test … " without a line break.
            if let Some((_, ack)) = line.split_once("ACK ") {
                let mut words = ack.split_whitespace();
                let id: Uuid = words.next().and_then(|w| w.parse().ok()).expect("event id");
                let position: u64 = words.next().and_then(|w| w.parse().ok()).expect("position");
                acked.push((id, position));
            }
        }
        let status = other.wait().expect("the second process ends");
        assert!(status.success(), "the second process failed: {status}");
        acked
    });

    let ours = writers(&store, 0, duration()).await;
    let theirs = theirs.await.expect("the second process's acknowledgements");
    assert!(!theirs.is_empty(), "the second process appended nothing");
    let mut acked: HashMap<Uuid, u64> = HashMap::new();
    for (id, position) in ours.iter().chain(&theirs) {
        assert!(
            acked.insert(*id, *position).is_none(),
            "event {id} acknowledged twice"
        );
    }

    // Every commit was acknowledged (writers panic on anything but a refused append), so the
    // log holds exactly the acknowledged events; the subscriber must reach its end.
    let total = acked.len() as u64;
    let mut seen = Vec::with_capacity(acked.len());
    while (seen.len() as u64) < total {
        let event = tokio::time::timeout(Duration::from_secs(30), seen_rx.recv())
            .await
            .unwrap_or_else(|_| {
                panic!("the subscriber stalled at {} of {total} events", seen.len())
            })
            .expect("the subscriber runs");
        seen.push(event);
    }
    subscriber.abort();

    let positions: Vec<u64> = seen.iter().map(|e| e.position).collect();
    assert_eq!(
        positions,
        (1..=total).collect::<Vec<_>>(),
        "positions are gapless and increasing"
    );
    for e in &seen {
        assert_eq!(
            acked.get(&e.event_id),
            Some(&e.position),
            "event {} at position {} (stream {}, payload {}) was acknowledged elsewhere or not \
             at all",
            e.event_id,
            e.position,
            e.stream,
            e.payload
        );
    }
    let mut fresh = Vec::with_capacity(seen.len());
    loop {
        let page = store
            .read_all(fresh.len() as u64 + 1, 4096)
            .await
            .expect("fresh read");
        if page.is_empty() {
            break;
        }
        fresh.extend(page);
    }
    assert_eq!(fresh, seen, "the subscriber's view equals a fresh read");
    let report = verify_chain(&store, |_| ())
        .await
        .expect("the chain verifies");
    assert_eq!(report.events, total);
    println!(
        "ordering: {total} events in {:?} ({} appended by this process, {} by the other)",
        duration(),
        ours.len(),
        theirs.len()
    );
}

//! Failover through the binary: `bangiao serve --store` names a PostgreSQL primary and its
//! synchronous standby (`target_session_attrs=read-write`), eight HTTP writers record files,
//! and the primary is killed with SIGKILL; the service answers 503 while no primary exists,
//! the standby is promoted, and the service carries on by itself. The old primary is then
//! rebuilt as the new standby with `pg_basebackup` and made synchronous again, and the next
//! kill hits the other node: `BANGIAO_PG_FAILOVERS` kills (default 5), alternating roles.
//! Afterwards every command that got a 2xx is in the log exactly once, no file is recorded
//! twice, and `bangiao verify --store` passes. Writers retry a 503 or a lost answer with the
//! same Idempotency-Key, as a client should. Without PostgreSQL the test prints
//! `skipped: postgresql not found`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bangiao_store::postgres::test_cluster::{PASSWORD, TestCluster, USER};
use bangiao_store::{EventStore, PostgresConfig, PostgresStore};
use support::scenario::{FONDS, People, commune_with_fonds, file, file_code};
use support::{Server, bangiao, data_dir};

fn failovers() -> u32 {
    std::env::var("BANGIAO_PG_FAILOVERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// Issues a token into the PostgreSQL store with the binary.
fn token(store: &str, data: &Path, user: &str, role: &str, scope: Option<&str>) -> String {
    let mut command = bangiao();
    command
        .args(["token", "create", "--store", store, "--data-dir"])
        .arg(data)
        .args(["--user", user, "--role", role]);
    if let Some(scope) = scope {
        command.args(["--scope", scope]);
    }
    let out = command.output().expect("run token create");
    assert!(
        out.status.success(),
        "token create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("bg_"))
        .expect("the token is printed")
        .to_owned()
}

/// What the writers saw.
#[derive(Default)]
struct Seen {
    /// File number → the status of its acknowledged answer.
    acknowledged: BTreeMap<u32, u16>,
    /// Answers that were neither 2xx nor 503, with their body.
    unexpected: Vec<(u32, u16, String)>,
    /// The codes of 503 answers, counted.
    unavailable: BTreeMap<String, u64>,
}

/// Records files until `stop`, each retried with its own key until it gets a 2xx.
async fn writer(
    base: String,
    token: String,
    next: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    answers_503: Arc<AtomicU64>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let url = format!("{base}/api/v1/fonds/{FONDS}/files");
    while !stop.load(Ordering::Relaxed) {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let key = uuid::Uuid::now_v7().to_string();
        loop {
            let answer = client
                .post(&url)
                .bearer_auth(&token)
                .header("idempotency-key", &key)
                .json(&file(n))
                .send()
                .await;
            let response = match answer {
                Ok(response) => response,
                // No answer: the command may or may not have landed; ask again, same key.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            if (200..300).contains(&status) {
                seen.lock().expect("seen").acknowledged.insert(n, status);
                break;
            }
            if status == 503 {
                answers_503.fetch_add(1, Ordering::Relaxed);
                let code = body["code"].as_str().unwrap_or("?").to_owned();
                *seen
                    .lock()
                    .expect("seen")
                    .unavailable
                    .entry(code)
                    .or_default() += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            seen.lock()
                .expect("seen")
                .unexpected
                .push((n, status, body.to_string()));
            break;
        }
    }
}

/// Waits until `counter` passes `above`, or panics after `timeout` saying `what`.
async fn wait_past(counter: &AtomicU64, above: u64, timeout: Duration, what: &str) {
    let started = Instant::now();
    while counter.load(Ordering::Relaxed) <= above {
        assert!(started.elapsed() < timeout, "{what} within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_rides_out_primary_failovers_and_loses_or_doubles_nothing() {
    let Some(first) = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("start")
    else {
        return;
    };
    let (mut primary, mut standby) = tokio::task::spawn_blocking(move || {
        let standby = TestCluster::standby_of(&first, "node-b");
        first.set("synchronous_standby_names", "*");
        (first, standby)
    })
    .await
    .expect("start the standby");
    primary.wait_for_sync_standby(Duration::from_secs(30)).await;
    let store = format!(
        "postgres://{USER}:{PASSWORD}@127.0.0.1:{},127.0.0.1:{}/postgres?target_session_attrs=read-write",
        primary.port(),
        standby.port()
    );

    let (_guard, data) = data_dir();
    let people = People {
        admin: token(&store, &data, "quantri.99", "administrator", None),
        clerk: token(&store, &data, "vanthu.99001", "clerk", Some("99001")),
    };
    let server = Server::start_with(&data, &["--store", &store]).await;
    commune_with_fonds(&server, &people).await;

    let acknowledged = Arc::new(AtomicU64::new(0));
    let answers_503 = Arc::new(AtomicU64::new(0));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU32::new(1));
    let writers: Vec<_> = (0..8)
        .map(|_| {
            tokio::spawn(writer(
                server.base.clone(),
                people.clerk.clone(),
                next.clone(),
                stop.clone(),
                seen.clone(),
                answers_503.clone(),
            ))
        })
        .collect();
    // Counts acknowledgements as they come, for the waits below.
    let counting = {
        let (seen, acknowledged, stop) = (seen.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let count = seen.lock().expect("seen").acknowledged.len() as u64;
                acknowledged.store(count, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };

    let started = Instant::now();
    let rounds = failovers();
    for round in 1..=rounds {
        // Writes flow through the current primary.
        let before = acknowledged.load(Ordering::Relaxed);
        wait_past(
            &acknowledged,
            before + 20,
            Duration::from_secs(30),
            &format!("round {round}: 20 commands acknowledged before the kill"),
        )
        .await;
        let mut dead = tokio::task::spawn_blocking(move || {
            primary.kill9();
            primary
        })
        .await
        .expect("kill the primary");
        // No primary: the service answers 503 (it keeps retrying underneath meanwhile).
        let refused = answers_503.load(Ordering::Relaxed);
        wait_past(
            &answers_503,
            refused,
            Duration::from_secs(30),
            &format!("round {round}: a 503 while no primary exists"),
        )
        .await;
        let promoted = tokio::task::spawn_blocking(move || {
            standby.promote();
            standby
        })
        .await
        .expect("promote the standby");
        // The service finds the new primary by itself.
        let after_kill = acknowledged.load(Ordering::Relaxed);
        wait_past(
            &acknowledged,
            after_kill + 20,
            Duration::from_secs(30),
            &format!("round {round}: commands acknowledged again after the promotion"),
        )
        .await;
        // The old primary comes back as the new synchronous standby.
        let (new_primary, rebuilt) = tokio::task::spawn_blocking(move || {
            dead.rebuild_as_standby_of(&promoted);
            promoted.set("synchronous_standby_names", "*");
            (promoted, dead)
        })
        .await
        .expect("rebuild the old primary");
        new_primary
            .wait_for_sync_standby(Duration::from_secs(30))
            .await;
        primary = new_primary;
        standby = rebuilt;
        println!(
            "failover {round}: {} acknowledged, {} answers 503 so far ({:.1} s)",
            acknowledged.load(Ordering::Relaxed),
            answers_503.load(Ordering::Relaxed),
            started.elapsed().as_secs_f64()
        );
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    counting.await.expect("counter");
    server.kill();

    let seen = std::mem::take(&mut *seen.lock().expect("seen"));
    assert!(
        seen.unexpected.is_empty(),
        "answers other than 2xx and 503: {:?}",
        &seen.unexpected[..seen.unexpected.len().min(5)]
    );

    // The log itself: every acknowledged file once, no file twice, nothing else recorded.
    let log = PostgresStore::connect(PostgresConfig::new(store.clone()))
        .await
        .expect("connect to the new primary");
    let mut recorded: BTreeMap<String, u32> = BTreeMap::new();
    let mut position = 1;
    loop {
        let page = log.read_all(position, 4096).await.expect("read the log");
        let Some(last) = page.last() else { break };
        position = last.position + 1;
        for event in page.iter().filter(|e| e.event_type == "FileRecorded") {
            let payload: serde_json::Value =
                serde_json::from_str(&event.payload).expect("JSON payload");
            let code = payload["file_code"].as_str().expect("file code").to_owned();
            *recorded.entry(code).or_default() += 1;
        }
    }
    let twice: Vec<_> = recorded.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "files recorded twice: {twice:?}");
    let acknowledged: BTreeSet<String> = seen.acknowledged.keys().map(|n| file_code(*n)).collect();
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|code| !recorded.contains_key(*code))
        .collect();
    assert!(missing.is_empty(), "acknowledged but missing: {missing:?}");
    // Files the writers stopped asking about may have landed; none of any other number.
    let asked = next.load(Ordering::Relaxed);
    assert!(
        recorded
            .keys()
            .all(|code| (1..asked).any(|n| file_code(n) == *code)),
        "a file nobody recorded"
    );

    let verify = bangiao()
        .args(["verify", "--store", &store, "--data-dir"])
        .arg(&data)
        .output()
        .expect("run verify");
    assert!(
        verify.status.success(),
        "verify --store: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    println!(
        "PostgreSQL failover through the binary: {rounds} kills of the primary in {:.1} s, \
         alternating nodes; {} commands acknowledged (all present once, {} files in the log), \
         503 answers by code {:?}; verify --store passes",
        started.elapsed().as_secs_f64(),
        acknowledged.len(),
        recorded.len(),
        seen.unavailable
    );
}

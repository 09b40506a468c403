//! Crash safety of the embedded store: a child process appends under load and is killed with
//! SIGKILL at random moments. After each kill every acknowledged append is present in full, no
//! append is half-present, and the hash chain verifies.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bangiao_store::verify::verify_chain;
use bangiao_store::{
    AppendRequest, AppendResult, EventMetadata, EventStore, ExpectedState, NewEvent, SqliteStore,
};
use uuid::Uuid;

const CHILD_ENV: &str = "BANGIAO_CRASH_CHILD_DB";
const ROUNDS: usize = 24;

/// A small xorshift generator: enough randomness for kill timing without a dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos());
        Self((nanos as u64) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The child: eight tasks append batches of 1–20 events forever and print each acknowledgement.
#[test]
#[ignore = "run as the child process of kill_nine_during_appends"]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let store = SqliteStore::open_path(&path).expect("open");
        let mut tasks = Vec::new();
        for t in 0..8u64 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng =
                    Rng(Rng::seeded().next() ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                loop {
                    let command = Uuid::now_v7();
                    let count = 1 + rng.below(20);
                    let stream = format!("fonds-{}", rng.below(5));
                    let metadata = EventMetadata::recorded_now();
                    let events = (0..count)
                        .map(|i| {
                            let payload = format!(r#"{{"cmd":"{command}","i":{i},"of":{count}}}"#);
                            NewEvent::new(Uuid::now_v7(), "CrashProbe", 1, payload, &metadata)
                        })
                        .collect();
                    let request = AppendRequest {
                        stream: stream.clone(),
                        expected: ExpectedState::Any,
                        command_id: Some(command),
                        events,
                    };
                    let r = store.append(request).await.expect("append");
                    let line = format!(
                        "ACK {command} {stream} {count} {} {}\n",
                        r.first_position, r.position
                    );
                    let mut out = std::io::stdout().lock();
                    out.write_all(line.as_bytes()).expect("stdout");
                    out.flush().expect("stdout");
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
}

struct Ack {
    command: Uuid,
    stream: String,
    count: u64,
    result: AppendResult,
}

fn parse_ack(line: &str) -> Option<Ack> {
    let mut parts = line.strip_prefix("ACK ")?.split(' ');
    let command = parts.next()?.parse().ok()?;
    let stream = parts.next()?.to_owned();
    let count: u64 = parts.next()?.parse().ok()?;
    let first_position = parts.next()?.parse().ok()?;
    let position = parts.next()?.parse().ok()?;
    Some(Ack {
        command,
        stream,
        count,
        result: AppendResult {
            next_expected_revision: 0,
            first_position,
            position,
        },
    })
}

/// Runs the child until it has acknowledged some appends, then kills it after a random delay.
fn run_and_kill(db: &std::path::Path, rng: &mut Rng) -> Vec<Ack> {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child writer");
    let stdout = child.stdout.take().expect("piped stdout");
    let (lines_tx, lines_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut acks = Vec::new();
    let started = Instant::now();
    // Wait for the first acknowledgement so each kill lands under load.
    while acks.is_empty() && started.elapsed() < Duration::from_secs(30) {
        if let Ok(line) = lines_rx.recv_timeout(Duration::from_millis(100)) {
            acks.extend(parse_ack(&line));
        }
    }
    assert!(
        !acks.is_empty(),
        "the child acknowledged nothing within 30 s"
    );
    std::thread::sleep(Duration::from_millis(rng.below(300)));
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    reader.join().expect("reader thread");
    // Only complete lines count: a line cut by the kill is not an acknowledgement.
    acks.extend(lines_rx.try_iter().filter_map(|l| parse_ack(&l)));
    acks
}

fn count_of(payload: &str) -> (Uuid, u64) {
    let v: serde_json::Value = serde_json::from_str(payload).expect("probe payload");
    (
        v["cmd"].as_str().and_then(|s| s.parse().ok()).expect("cmd"),
        v["of"].as_u64().expect("of"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_during_appends() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("events.db");
    let mut rng = Rng::seeded();
    let mut acked: Vec<Ack> = Vec::new();
    for round in 1..=ROUNDS {
        let db_for_child = db.clone();
        let mut round_rng = Rng(rng.next());
        let new = tokio::task::spawn_blocking(move || run_and_kill(&db_for_child, &mut round_rng))
            .await
            .expect("round");
        acked.extend(new);

        let store = SqliteStore::open_path(&db).expect("reopen after the kill");
        let report = verify_chain(&store, |_| ())
            .await
            .expect("hash chain verifies after the kill");
        let all = store.read_all(1, usize::MAX).await.expect("read the log");
        assert_eq!(all.len() as u64, report.events);

        let mut groups: HashMap<Uuid, (u64, u64)> = HashMap::new();
        for e in &all {
            let (cmd, of) = count_of(&e.payload);
            let entry = groups.entry(cmd).or_insert((0, of));
            entry.0 += 1;
        }
        for (cmd, (seen, of)) in &groups {
            assert_eq!(seen, of, "round {round}: append {cmd} is half-present");
        }
        for ack in &acked {
            let found = store
                .find_command(ack.command)
                .await
                .expect("find")
                .expect("acknowledged append is present");
            assert_eq!(
                (found.first_position, found.position),
                (ack.result.first_position, ack.result.position)
            );
            let events = &all[(found.first_position - 1) as usize..found.position as usize];
            assert!(events.iter().all(
                |e| e.stream == ack.stream && count_of(&e.payload) == (ack.command, ack.count)
            ));
        }
        println!(
            "crash round {round}: {} acknowledged appends checked, {} events, chain intact",
            acked.len(),
            all.len()
        );
    }
    println!(
        "crash: {ROUNDS} kills, {} acknowledged appends all present, 0 half-present, 0 failures",
        acked.len()
    );
}

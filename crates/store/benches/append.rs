//! Append throughput of the embedded store beside plain SQLite inserts of the same rows, and of
//! the PostgreSQL store on a throw-away cluster (fsync on), alone and with a synchronous standby.
//!
//! `cargo bench -p bangiao-store --bench append -- [batch] [group] [single] [pg-batch]
//! [pg-group] [pg-sync-batch] [pg-sync-group]` (all by default; the PostgreSQL ones print
//! `skipped: postgresql not found` without Debian's PostgreSQL binaries).
//! Sizes: `BENCH_EVENTS` (default 1,000,000), `BENCH_GROUP_APPENDS` (default 128,000),
//! `BENCH_SINGLE_APPENDS` (default 12,800). Run it under `LD_PRELOAD=libslow_fsync.so` to see
//! durable writes as a 1 ms disk would (see `scripts/bench-store.sh`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bangiao_store::postgres::test_cluster::{Options, TestCluster};
use bangiao_store::{
    AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent, PostgresConfig,
    PostgresStore, SqliteConfig, SqliteStore,
};
use uuid::Uuid;

const BATCH: usize = 1_000;
const FONDS: usize = 100;
const TASKS: usize = 64;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A payload shaped like a FileRecorded event of a real inventory row.
fn file_recorded(fonds: usize, n: usize) -> String {
    format!(
        r#"{{"file_code":"066.{year}.{n:05}","title":"Hồ sơ số {n}: tài liệu về công tác tổ chức cán bộ của Ủy ban nhân dân huyện Pác Nặm năm {year}","start_date":"{year}-01-05","end_date":"{year}-12-28","retention":{{"code":"01"}},"access":"01","carrier":"paper","box":"{box}","sheets":{sheets},"language":"vi","notes":"fonds {fonds}"}}"#,
        year = 1990 + n % 35,
        box = n / 40 + 1,
        sheets = 10 + n % 200,
    )
}

fn new_event(fonds: usize, n: usize, metadata: &EventMetadata) -> NewEvent {
    NewEvent::new(
        Uuid::now_v7(),
        "FileRecorded",
        1,
        file_recorded(fonds, n),
        metadata,
    )
}

fn batches(total: usize) -> Vec<AppendRequest> {
    let metadata = EventMetadata::recorded_now();
    let per_fonds = total / FONDS;
    let mut out = Vec::with_capacity(total / BATCH);
    for fonds in 0..FONDS {
        for (b, first) in (0..per_fonds).step_by(BATCH).enumerate() {
            let count = BATCH.min(per_fonds - first);
            out.push(AppendRequest {
                stream: format!("fonds-{fonds:03}"),
                expected: if b == 0 {
                    ExpectedState::NoStream
                } else {
                    ExpectedState::Revision((first - 1) as u64)
                },
                command_id: Some(Uuid::now_v7()),
                events: (first..first + count)
                    .map(|n| new_event(fonds, n, &metadata))
                    .collect(),
            });
        }
    }
    out
}

fn fresh_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("bangiao-bench")
        .tempdir_in(std::env::temp_dir())
        .expect("temporary directory")
}

fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

async fn bench_store_batches(total: usize) -> f64 {
    let dir = fresh_dir();
    let store = SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).expect("open");
    let requests = batches(total);
    let start = Instant::now();
    for request in requests {
        store.append(request).await.expect("append");
    }
    let elapsed = start.elapsed();
    assert_eq!(store.head_position(), total as u64);
    per_second(total, elapsed)
}

/// The same rows inserted with prepared statements, one transaction per batch: the limit.
fn bench_plain_sqlite(total: usize) -> f64 {
    let dir = fresh_dir();
    let path = dir.path().join("plain.db");
    drop(SqliteStore::open(SqliteConfig::new(&path)).expect("create the same schema"));
    let mut conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=50000;",
    )
    .expect("pragmas");
    let requests = batches(total);
    let hash = [7u8; 32];
    let start = Instant::now();
    let mut position = 1i64;
    for request in requests {
        let tx = conn.transaction().expect("begin");
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (position, stream, revision, event_id, event_type, schema_version, payload, metadata, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .expect("prepare");
            let first = match request.expected {
                ExpectedState::Revision(r) => r as i64 + 1,
                _ => 0,
            };
            for (i, e) in request.events.iter().enumerate() {
                insert
                    .execute(rusqlite::params![
                        position,
                        request.stream,
                        first + i as i64,
                        e.event_id.as_bytes(),
                        e.event_type,
                        e.schema_version,
                        e.payload,
                        e.metadata,
                        hash
                    ])
                    .expect("insert");
                position += 1;
            }
        }
        tx.commit().expect("commit");
    }
    per_second(total, start.elapsed())
}

/// `TASKS` tasks, each appending single events to its own stream.
async fn bench_concurrent_singles(appends: usize, max_batch: usize) -> f64 {
    let dir = fresh_dir();
    let mut config = SqliteConfig::new(dir.path().join("events.db"));
    config.max_batch = max_batch;
    if std::env::var("BENCH_DURABILITY").is_ok_and(|d| d == "normal") {
        config.durability = bangiao_store::Durability::Normal;
    }
    let store = Arc::new(SqliteStore::open(config).expect("open"));
    singles_on(store, appends).await
}

/// A PostgreSQL primary with fsync on (and a synchronous standby when asked), and a store on it.
async fn postgres(standby: bool) -> Option<(PostgresStore, Vec<TestCluster>)> {
    let primary = TestCluster::start_with(Options { fsync: true })?;
    let mut clusters = vec![];
    if standby {
        let replica = TestCluster::standby_of(&primary, "standby");
        primary.set("synchronous_standby_names", "*");
        primary.wait_for_sync_standby(Duration::from_secs(60)).await;
        clusters.push(replica);
    }
    let store = PostgresStore::connect(PostgresConfig::new(primary.url("postgres")))
        .await
        .expect("connect");
    clusters.insert(0, primary);
    Some((store, clusters))
}

/// The batch scenario on PostgreSQL.
async fn bench_postgres_batches(total: usize, standby: bool) -> Option<f64> {
    let (store, _clusters) = postgres(standby).await?;
    let requests = batches(total);
    let start = Instant::now();
    for request in requests {
        store.append(request).await.expect("append");
    }
    let elapsed = start.elapsed();
    assert_eq!(store.head_position(), total as u64);
    Some(per_second(total, elapsed))
}

/// The group-commit scenario on PostgreSQL.
async fn bench_postgres_singles(appends: usize, standby: bool) -> Option<f64> {
    let (store, _clusters) = postgres(standby).await?;
    Some(singles_on(Arc::new(store), appends).await)
}

/// `TASKS` tasks, each appending single events to its own stream of `store`.
async fn singles_on<S: EventStore>(store: Arc<S>, appends: usize) -> f64 {
    let per_task = appends / TASKS;
    let metadata = EventMetadata::recorded_now();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let store = store.clone();
        let metadata = metadata.clone();
        tasks.push(tokio::spawn(async move {
            let stream = format!("fonds-{t:03}");
            for i in 0..per_task {
                let request = AppendRequest {
                    stream: stream.clone(),
                    expected: if i == 0 {
                        ExpectedState::NoStream
                    } else {
                        ExpectedState::Revision(i as u64 - 1)
                    },
                    command_id: Some(Uuid::now_v7()),
                    events: vec![new_event(t, i, &metadata)],
                };
                store.append(request).await.expect("append");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    per_second(per_task * TASKS, start.elapsed())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wants = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let slow = std::env::var("LD_PRELOAD").is_ok_and(|p| p.contains("slow_fsync"));
    println!(
        "# bangiao-store append benchmark (durable: synchronous=FULL{})",
        if slow { ", slow-fsync" } else { "" }
    );
    if wants("batch") {
        let total = env_usize("BENCH_EVENTS", 1_000_000);
        let store = bench_store_batches(total).await;
        let plain = bench_plain_sqlite(total);
        println!("batch: {total} FileRecorded events in appends of {BATCH}");
        println!("  store:        {store:>12.0} events/s");
        println!("  plain SQLite: {plain:>12.0} events/s");
        println!("  ratio:        {:>12.2}", store / plain);
    }
    if wants("group") {
        let appends = env_usize("BENCH_GROUP_APPENDS", 128_000);
        let rate = bench_concurrent_singles(appends, 1024).await;
        println!(
            "group: {TASKS} tasks, {appends} single-event appends, group commit: {rate:>10.0} appends/s"
        );
    }
    for (name, standby) in [("pg-batch", false), ("pg-sync-batch", true)] {
        if wants(name) {
            let total = env_usize("BENCH_EVENTS", 1_000_000);
            if let Some(rate) = bench_postgres_batches(total, standby).await {
                println!(
                    "{name}: {total} FileRecorded events in appends of {BATCH}, PostgreSQL{}: {rate:>10.0} events/s",
                    if standby {
                        " + synchronous standby"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    for (name, standby) in [("pg-group", false), ("pg-sync-group", true)] {
        if wants(name) {
            let appends = env_usize("BENCH_GROUP_APPENDS", 128_000);
            if let Some(rate) = bench_postgres_singles(appends, standby).await {
                println!(
                    "{name}: {TASKS} tasks, {appends} single-event appends, PostgreSQL{}: {rate:>10.0} appends/s",
                    if standby {
                        " + synchronous standby"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    if wants("single") {
        let appends = env_usize("BENCH_SINGLE_APPENDS", 12_800);
        let rate = bench_concurrent_singles(appends, 1).await;
        println!(
            "single: {TASKS} tasks, {appends} single-event appends, one transaction each: {rate:>10.0} appends/s"
        );
    }
}

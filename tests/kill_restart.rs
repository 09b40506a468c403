//! Crashes through the real binary: the service is killed with SIGKILL at random moments, first
//! under concurrent HTTP writes, then during a large spreadsheet import — 30 kills in all by
//! default (`BANGIAO_KILL_ROUNDS` = rounds under writes, plus 6 during the import). After each
//! kill: `bangiao verify` passes (hash chain, and read models equal to a fresh rebuild up to
//! where they had got); after each restart: every command that got a 2xx is there, nothing that
//! got an error answer is, and the import's batches are whole — none half-written; finally the
//! import run once more completes it exactly, no file twice.

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::scenario::{FONDS, commune_with_fonds, file, file_code, people, verify};
use support::{Server, data_dir};

/// The fonds the import fills, and its size.
const IMPORTED: &str = "99001-HD";
const IMPORT_ROWS: u32 = 20_000;
/// Rows per import batch (the importer's default).
const BATCH: u64 = 5_000;
const IMPORT_KILLS: u32 = 6;

fn write_rounds() -> u32 {
    std::env::var("BANGIAO_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

/// A small deterministic generator, so a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// An inventory list as offices keep it, `IMPORT_ROWS` rows.
fn spreadsheet() -> Vec<u8> {
    let mut csv = String::from(
        "Hộp số,Hồ sơ số,Ký hiệu hồ sơ,Tiêu đề hồ sơ,Ngày bắt đầu,Ngày kết thúc,Số tờ,Thời hạn bảo quản,Chế độ sử dụng,Ghi chú\n",
    );
    for n in 0..IMPORT_ROWS {
        let year = 2000 + n / 1000;
        let number = n + 1;
        csv.push_str(&format!(
            "{},{number},{number}.{year},Hồ sơ hội đồng nhân dân số {n},{year}-01-05,{year}-12-20,12,Vĩnh viễn,Công khai,\n",
            n / 10 + 1
        ));
    }
    csv.into_bytes()
}

/// What the writers learnt: file numbers acknowledged, refused with an answer, or unanswered.
#[derive(Default)]
struct Outcomes {
    acknowledged: BTreeSet<u32>,
    refused: BTreeSet<u32>,
    unanswered: BTreeSet<u32>,
}

/// File numbers of the fonds `fonds` in the read model, once it has caught up with the log.
fn recorded(data: &std::path::Path, fonds: &str) -> Vec<String> {
    let read = rusqlite::Connection::open(data.join("readmodel.db")).expect("read model");
    let mut statement = read
        .prepare("SELECT file_code FROM files WHERE fonds_code = ?1")
        .expect("query");
    statement
        .query_map([fonds], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("codes")
}

/// Starts the service and waits until its read models have caught up with the whole log.
async fn restart(data: &std::path::Path, token: &str) -> Server {
    let server = Server::start(data).await;
    server.act_as(token);
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_nothing_acknowledged_and_half_writes_nothing() {
    let (_guard, data) = data_dir();
    let people = people(&data);
    let mut server = Server::start(&data).await;
    commune_with_fonds(&server, &people).await;
    let (status, body) = server
        .post(
            "/api/v1/fonds",
            json!({ "fonds_code": IMPORTED, "name": "Phông HĐND xã Thử", "kind": "state",
                    "creator_organ_id": "000.00.99.X02", "creator_name": "HĐND xã Thử",
                    "unit_code": "99001", "custodian": "UBND-99001", "opened_on": "2003-07-01" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let mut rng = Lcg(0x00ba_9614_0000_2025);
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let next = Arc::new(AtomicU32::new(1));
    let started = Instant::now();
    let rounds = write_rounds();
    let mut kills = 0;
    for round in 1..=rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let url = format!("{}/api/v1/fonds/{FONDS}/files", server.base);
        let writers: Vec<_> = (0..6)
            .map(|_| {
                let (stop, next, outcomes) = (stop.clone(), next.clone(), outcomes.clone());
                let (url, token) = (url.clone(), people.clerk.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    while !stop.load(Ordering::Relaxed) {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let answer = client
                            .post(&url)
                            .bearer_auth(&token)
                            .json(&file(n))
                            .send()
                            .await;
                        let mut seen = outcomes.lock().expect("outcomes");
                        match answer.map(|r| r.status().as_u16()) {
                            Ok(201) => seen.acknowledged.insert(n),
                            Ok(_) => seen.refused.insert(n),
                            Err(_) => {
                                seen.unanswered.insert(n);
                                break;
                            }
                        };
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100 + rng.below(600))).await;
        server.kill();
        kills += 1;
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await.expect("writer");
        }
        verify(&data, &format!("kill {kills}"));
        server = restart(&data, &people.clerk).await;
        let present: BTreeSet<String> = recorded(&data, FONDS).into_iter().collect();
        let seen = outcomes.lock().expect("outcomes");
        for n in &seen.acknowledged {
            assert!(
                present.contains(&file_code(*n)),
                "round {round}: acknowledged file {n} is missing"
            );
        }
        for n in &seen.refused {
            assert!(
                !present.contains(&file_code(*n)),
                "round {round}: refused file {n} is present"
            );
        }
    }
    let present = recorded(&data, FONDS).len();
    {
        let seen = outcomes.lock().expect("outcomes");
        println!(
            "kill/restart under writes: {rounds} kills in {:.1} s; {} acknowledged (all present), {} refused, {} unanswered ({} of them landed); failures = 0",
            started.elapsed().as_secs_f64(),
            seen.acknowledged.len(),
            seen.refused.len(),
            seen.unanswered.len(),
            present - seen.acknowledged.len()
        );
    }

    // A large import, killed while it writes.
    let list = spreadsheet();
    let import_url = format!("{}/api/v1/fonds/{IMPORTED}/imports", server.base);
    let started = Instant::now();
    let mut seen_counts = Vec::new();
    for _ in 0..IMPORT_KILLS {
        let url = import_url.replace(&server_base_of(&import_url), &server.base);
        let (body, token) = (list.clone(), people.clerk.clone());
        let upload = tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
        tokio::time::sleep(Duration::from_millis(200 + rng.below(2_500))).await;
        server.kill();
        kills += 1;
        let _ = upload.await.expect("upload task");
        verify(&data, &format!("kill {kills} (import)"));
        server = restart(&data, &people.clerk).await;
        let count = recorded(&data, IMPORTED).len() as u64;
        assert!(
            count.is_multiple_of(BATCH) || count == u64::from(IMPORT_ROWS),
            "the import's batches are whole: {count} files"
        );
        seen_counts.push(count);
    }
    // Run once more to the end: the batches already written are found and not written twice.
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/fonds/{IMPORTED}/imports", server.base))
        .bearer_auth(&people.clerk)
        .header("content-type", "text/csv")
        .body(list)
        .send()
        .await
        .expect("final import");
    let status = response.status().as_u16();
    let report: serde_json::Value = response.json().await.expect("report");
    let summary = report.to_string().chars().take(600).collect::<String>();
    assert!(status == 201 || status == 200, "{status}: {summary}");
    let waiting = Instant::now();
    let mut codes = recorded(&data, IMPORTED);
    while codes.len() < IMPORT_ROWS as usize && waiting.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        codes = recorded(&data, IMPORTED);
    }
    let distinct: BTreeSet<&String> = codes.iter().collect();
    assert_eq!(
        (codes.len(), distinct.len()),
        (IMPORT_ROWS as usize, IMPORT_ROWS as usize),
        "every row once"
    );
    server.kill();
    verify(&data, "the last run");
    println!(
        "kill/restart during an import of {IMPORT_ROWS} rows: {IMPORT_KILLS} kills in {:.1} s, files present after each: {seen_counts:?}; the last run completed it, {} batches replayed; total kills {kills}; failures = 0",
        started.elapsed().as_secs_f64(),
        report["batches_replayed"]
    );
    assert!(kills >= 30 || rounds < 24, "at least 30 kills by default");
}

/// `http://host:port` of a URL.
fn server_base_of(url: &str) -> String {
    url.split("/api/").next().unwrap_or(url).to_owned()
}

//! Conflicts through the real binary: round after round, two clients hand the same file to
//! different custodians at the same moment. Exactly one wins each round and the other gets 409;
//! afterwards the custody read model shows each file in exactly one handover, the winner's.

mod support;

use std::collections::BTreeMap;
use std::time::Instant;

use futures::future::join_all;
use serde_json::{Value, json};
use support::scenario::{FONDS, OFFICE, basis, commune_with_fonds, file, file_code, people};
use support::{Server, data_dir};
use uuid::Uuid;

/// Rounds played (at least 1,000 by the issue); `BANGIAO_CONFLICT_ROUNDS` changes it.
fn rounds() -> u32 {
    std::env::var("BANGIAO_CONFLICT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn draft(n: u32, id: Uuid, receiver: &str) -> Value {
    json!({
        "handover_id": id, "giving_custodian": OFFICE, "receiving_custodian": receiver,
        "giving_person": "vanthu.99001", "receiving_person": "vanthu.nhan",
        "legal_basis": basis("414/BNV-VTLTNN"), "file_codes": [file_code(n)], "declared_files": 1,
        "declared_extent": { "boxes": 1, "sheets": 10, "linear_mm": 10 }, "drafted_on": "2025-07-10"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_handing_the_same_file_at_once_one_wins_the_other_gets_409() {
    let (_guard, data) = data_dir();
    let people = people(&data);
    let server = Server::start(&data).await;
    commune_with_fonds(&server, &people).await;
    let rounds = rounds();
    let files = format!("/api/v1/fonds/{FONDS}/files");
    for chunk in (1..=rounds).collect::<Vec<_>>().chunks(16) {
        let recorded = join_all(chunk.iter().map(|n| server.post(&files, file(*n)))).await;
        assert!(recorded.iter().all(|(s, _)| *s == 201), "{recorded:?}");
    }
    let (status, body) = server
        .post(
            &format!("/api/v1/fonds/{FONDS}/close"),
            json!({ "closed_on": "2025-06-30", "closing_act": basis("45/QĐ-UBND") }),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let path = format!("/api/v1/fonds/{FONDS}/handovers");
    let started = Instant::now();
    let mut winners = BTreeMap::new();
    let mut last_position = 0;
    for n in 1..=rounds {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let (first, second) = tokio::join!(
            server.post(&path, draft(n, a, "UBND-99A")),
            server.post(&path, draft(n, b, "UBND-99B")),
        );
        let mut statuses = [first.0, second.0];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [201, 409],
            "round {n}: {} / {}",
            first.1,
            second.1
        );
        let (winner, answer, loser) = if first.0 == 201 {
            (a, &first.1, &second.1)
        } else {
            (b, &second.1, &first.1)
        };
        assert_eq!(loser["status"], 409, "a problem: {loser}");
        assert!(loser["code"].is_string(), "a stable code: {loser}");
        last_position = last_position.max(answer["position"].as_u64().unwrap_or(0));
        winners.insert(n, winner);
    }
    let played = started.elapsed();

    // Every file sits in exactly one handover, the winner's; never in both.
    let (status, _) = server
        .get(&format!("/api/v1/handovers?wait_for={last_position}"))
        .await;
    assert_eq!(status, 200);
    let read = rusqlite::Connection::open(data.join("readmodel.db")).expect("read model");
    let doubled: i64 = read
        .query_row(
            "SELECT COUNT(*) FROM (SELECT hf.file_code FROM handover_files hf
               JOIN handovers h ON h.handover_id = hf.handover_id
              WHERE h.status = 'drafted' GROUP BY hf.file_code HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(doubled, 0, "no file is in two handovers");
    let mut wrong = 0;
    for (n, winner) in &winners {
        let (status, custody) = server
            .get(&format!("/api/v1/files/{}/custody", file_code(*n)))
            .await;
        assert_eq!(status, 200, "{custody}");
        if custody["pending_in"] != winner.to_string()
            || custody["status"] != "in_handover"
            || custody["custodian"] != OFFICE
        {
            wrong += 1;
            eprintln!("file {n}: {custody}");
        }
    }
    assert_eq!(wrong, 0, "custody names the winning handover");
    println!(
        "conflicts: {rounds} rounds in {:.1} s, {rounds} won (201) and {rounds} refused (409), failures = 0",
        played.as_secs_f64()
    );
}

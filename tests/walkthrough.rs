//! The README's walkthrough, played over HTTP against the real binary: register units, merge
//! them, open and close a fonds, record files, hand them to the successor commune, transfer the
//! permanent ones to the provincial archive, ask custody, history and inventory lists; then kill
//! the process, start it again on the same data and check that everything is still there.

mod support;

use serde_json::{Value, json};
use support::{Server, bangiao, data_dir, token};
use uuid::Uuid;

fn basis(number: &str, issued_on: &str, issuer: &str) -> Value {
    json!({ "number": number, "issued_on": issued_on, "issuer": issuer })
}

fn unit(code: &str, name: &str, level: &str, parent: Option<&str>, valid_from: &str) -> Value {
    let mut details = json!({ "name": name, "level": level, "unit_type": level });
    if let Some(parent) = parent {
        details["parent"] = json!(parent);
    }
    json!({ "code": code, "details": details, "valid_from": valid_from,
            "legal_basis": basis("56/2003/NĐ-CP", "2003-05-28", "Chính phủ") })
}

const FONDS: &str = "06601-UB";
const ORGAN: &str = "000.00.07.X01";

fn file(n: u32, title: &str, retention: Value) -> Value {
    json!({
        "file_code": format!("{ORGAN}.2010.{n:02}"), "title": title,
        "start_date": "2010-01-05", "end_date": "2010-12-20",
        "retention": retention, "access": "01", "carrier": "paper",
        "box_number": format!("{}", n.div_ceil(2)), "sheets": 10 * n,
        "language": "Tiếng Việt", "custodian": "UBND-06601"
    })
}

fn code(n: u32) -> String {
    format!("{ORGAN}.2010.{n:02}")
}

async fn created(server: &Server, path: &str, body: Value) -> Value {
    let (status, answer) = server.post(path, body).await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    answer
}

/// The people of the walkthrough, one token each.
struct People {
    admin: String,
    giver: String,
    receiver: String,
    archivist: String,
}

fn people(data: &std::path::Path) -> People {
    People {
        admin: token(data, "quantri.19", "administrator", None),
        giver: token(data, "vanthu.06601", "clerk", Some("06601")),
        receiver: token(data, "vanthu.066n4", "clerk", Some("066N4")),
        archivist: token(data, "luutru.19", "archivist", Some("LTLS-19")),
    }
}

/// Plays the whole dissolution and returns the handover id and the last position.
async fn play(server: &Server, who: &People) -> (String, u64) {
    server.act_as(&who.admin);
    let nq = basis(
        "1683/NQ-UBTVQH15",
        "2025-06-16",
        "Ủy ban Thường vụ Quốc hội",
    );
    created(
        server,
        "/api/v1/units",
        unit("06", "Tỉnh Bắc Kạn", "province", None, "1997-01-01"),
    )
    .await;
    created(
        server,
        "/api/v1/units",
        unit("19", "Tỉnh Thái Nguyên", "province", None, "1997-01-01"),
    )
    .await;
    created(
        server,
        "/api/v1/units",
        unit("066", "Huyện Pác Nặm", "district", Some("06"), "2003-07-01"),
    )
    .await;
    created(
        server,
        "/api/v1/units",
        unit("06601", "Xã Bộc Bố", "commune", Some("066"), "2003-07-01"),
    )
    .await;
    created(
        server,
        "/api/v1/units",
        unit(
            "06607",
            "Xã Công Bằng",
            "commune",
            Some("066"),
            "2003-07-01",
        ),
    )
    .await;
    created(server, "/api/v1/units/066N4/merge", json!({
        "predecessors": ["06601", "06607"], "merger_id": Uuid::now_v7(), "effective_on": "2025-07-01",
        "legal_basis": nq, "new_successor": { "name": "Xã Bộc Bố", "level": "commune", "unit_type": "commune", "parent": "19" }
    })).await;
    created(
        server,
        "/api/v1/units/19/merge",
        json!({
            "predecessors": ["06"], "merger_id": Uuid::now_v7(), "effective_on": "2025-07-01",
            "legal_basis": basis("202/2025/QH15", "2025-06-12", "Quốc hội")
        }),
    )
    .await;
    created(server, "/api/v1/units/066/end", json!({
        "effective_on": "2025-07-01", "legal_basis": basis("203/2025/QH15", "2025-06-16", "Quốc hội"), "reason": "tier_abolished"
    })).await;

    server.act_as(&who.giver);
    created(server, "/api/v1/fonds", json!({
        "fonds_code": FONDS, "name": "Phông Ủy ban nhân dân xã Bộc Bố", "kind": "state", "creator_organ_id": ORGAN,
        "creator_name": "Ủy ban nhân dân xã Bộc Bố", "unit_code": "06601", "custodian": "UBND-06601", "opened_on": "2003-07-01"
    })).await;
    let permanent = json!({ "code": "01" });
    created(
        server,
        &format!("/api/v1/fonds/{FONDS}/files"),
        file(
            1,
            "Sổ đăng ký hộ tịch xã Bộc Bố năm 2010",
            permanent.clone(),
        ),
    )
    .await;
    created(
        server,
        &format!("/api/v1/fonds/{FONDS}/files"),
        file(
            2,
            "Hồ sơ cấp đất cho hộ ông Ma Văn Dũng, xã Bộc Bố",
            permanent,
        ),
    )
    .await;
    created(
        server,
        &format!("/api/v1/fonds/{FONDS}/files"),
        file(3, "Báo cáo tài chính năm 2010", json!({ "code": "06" })),
    )
    .await;
    created(server, &format!("/api/v1/fonds/{FONDS}/close"), json!({
        "closed_on": "2025-06-30", "closing_act": basis("45/QĐ-UBND", "2025-06-27", "Ủy ban nhân dân xã Bộc Bố")
    })).await;

    let handover = Uuid::now_v7().to_string();
    created(server, &format!("/api/v1/fonds/{FONDS}/handovers"), json!({
        "handover_id": handover, "giving_custodian": "UBND-06601", "receiving_custodian": "UBND-066N4",
        "giving_person": "vanthu.06601", "receiving_person": "vanthu.066n4",
        "legal_basis": basis("414/BNV-VTLTNN", "2025-03-19", "Bộ Nội vụ"),
        "file_codes": [code(1), code(2), code(3)], "declared_files": 3,
        "declared_extent": { "boxes": 2, "sheets": 60, "linear_mm": 250 }, "drafted_on": "2025-07-10"
    })).await;
    created(
        server,
        &format!("/api/v1/fonds/{FONDS}/handovers/sign"),
        json!({
            "handover_id": handover, "signed_by": "vanthu.06601", "signed_on": "2025-07-11"
        }),
    )
    .await;
    server.act_as(&who.receiver);
    created(server, &format!("/api/v1/fonds/{FONDS}/handovers/receive"), json!({
        "handover_id": handover, "received_by": "vanthu.066n4", "received_on": "2025-07-15", "discrepancies": []
    })).await;

    let transfer = Uuid::now_v7().to_string();
    created(server, &format!("/api/v1/fonds/{FONDS}/transfers"), json!({
        "transfer_id": transfer, "transferring_custodian": "UBND-066N4", "archive": "LTLS-19", "declared_kind": "state",
        "file_codes": [code(1), code(2)], "registered_by": "vanthu.066n4", "registered_on": "2025-08-01"
    })).await;
    server.act_as(&who.archivist);
    created(server, &format!("/api/v1/fonds/{FONDS}/transfers/appraise"), json!({
        "transfer_id": transfer, "appraised_by": "luutru.19", "appraised_on": "2025-08-10", "outcome": "approved"
    })).await;
    let last = created(
        server,
        &format!("/api/v1/fonds/{FONDS}/transfers/accept"),
        json!({
            "transfer_id": transfer, "accepted_by": "luutru.19", "accepted_on": "2025-08-20",
            "accepted": [code(1), code(2)], "rejected": []
        }),
    )
    .await;
    (
        handover,
        last["position"]
            .as_u64()
            .expect("a command returns its position"),
    )
}

/// The answers that must be the same before and after a restart.
async fn observe(server: &Server, handover: &str, position: u64) -> Vec<Value> {
    let paths = [
        format!("/api/v1/files/{}/custody?wait_for={position}", code(1)),
        format!("/api/v1/files/{}/custody?as_of=2025-06-30", code(1)),
        format!("/api/v1/files/{}/custody?as_of=2025-07-20", code(1)),
        format!("/api/v1/files/{}/history", code(1)),
        format!("/api/v1/fonds/{FONDS}/history"),
        "/api/v1/units/066/inventory".to_owned(),
        "/api/v1/units/066N4/lineage".to_owned(),
        format!("/api/v1/handovers/{handover}"),
        "/api/v1/fonds".to_owned(),
    ];
    let mut answers = Vec::new();
    for path in paths {
        let (status, body) = server.get(&path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        answers.push(body);
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_dissolution_over_http_survives_a_restart() {
    let (_guard, data) = data_dir();
    let who = people(&data);
    let server = Server::start(&data).await;
    let (handover, position) = play(&server, &who).await;
    let before = observe(&server, &handover, position).await;

    assert_eq!(
        before[0]["custodian"], "LTLS-19",
        "custody now: {}",
        before[0]
    );
    assert_eq!(before[0]["status"], "transferred");
    assert_eq!(
        before[1]["custodian"], "UBND-06601",
        "who held it on 30/06/2025"
    );
    assert_eq!(
        before[2]["custodian"], "UBND-066N4",
        "who held it on 20/07/2025"
    );
    assert_eq!(
        before[3].as_array().map(Vec::len),
        Some(3),
        "recorded, handed over, transferred"
    );
    let district = &before[5];
    assert_eq!(
        district["totals"]["files"], 3,
        "the former district's list holds its communes' files"
    );
    assert_eq!(district["totals"]["sheets"], 60);
    let predecessors: Vec<&str> = before[6]["predecessors"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(predecessors, vec!["06601", "06607"]);
    assert_eq!(before[7]["status"], "received");
    assert_eq!(before[7]["counts_match"], true);

    // Nobody signs in someone else's name, and nobody acts outside their scope or role.
    server.act_as(&who.receiver);
    let (denied, problem) = server
        .post(
            &format!("/api/v1/fonds/{FONDS}/handovers/sign"),
            json!({
                "handover_id": handover, "signed_by": "vanthu.06601", "signed_on": "2025-07-11"
            }),
        )
        .await;
    assert_eq!(
        (denied, problem["code"].as_str()),
        (403, Some("acting_as_another")),
        "{problem}"
    );
    server.act_as(&who.archivist);
    let (denied, problem) = server
        .post(
            "/api/v1/units",
            unit("07", "Tỉnh X", "province", None, "1997-01-01"),
        )
        .await;
    assert_eq!(
        (denied, problem["code"].as_str()),
        (403, Some("forbidden_role")),
        "{problem}"
    );
    server.act_as(&who.admin);
    let (_, live) = server.get("/health/live").await;
    let (_, audit) = server
        .get(&format!("/api/v1/audit?wait_for={}", live["log_position"]))
        .await;
    assert!(
        audit["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|d| d["reason"] == "forbidden_role")),
        "{audit}"
    );
    server.act_as(&who.giver);

    // A retried command appends nothing; a stale If-Match is a conflict naming the revision.
    let key = Uuid::now_v7().to_string();
    let body =
        json!({ "history": "UBND xã Bộc Bố thành lập năm 2003.", "recorded_on": "2025-06-01" });
    let path = format!("/api/v1/fonds/{FONDS}/creator-history");
    let (first, a) = server
        .post_with(&path, body.clone(), &[("idempotency-key", key.clone())])
        .await;
    let (again, b) = server
        .post_with(&path, body.clone(), &[("idempotency-key", key)])
        .await;
    assert_eq!(
        (first, again),
        (201, 201),
        "a retry answers as the first time"
    );
    assert_eq!(
        (a["position"].clone(), b["replayed"].clone()),
        (b["position"].clone(), json!(true))
    );
    let (stale, problem) = server
        .post_with(&path, body, &[("if-match", "\"0\"".to_owned())])
        .await;
    assert_eq!(stale, 409, "{problem}");
    assert_eq!(problem["code"], "revision_conflict");
    assert!(problem["current_revision"].as_u64().is_some_and(|r| r > 0));

    // A refused act: nothing enters a closed fonds that is dated after its closure.
    let (refused, problem) = server
        .post(&format!("/api/v1/fonds/{FONDS}/files"), json!({
            "file_code": format!("{ORGAN}.2026.01"), "title": "Hồ sơ mới", "start_date": "2026-01-01", "end_date": "2026-02-01",
            "retention": { "code": "01" }, "access": "01", "carrier": "paper", "language": "Tiếng Việt", "custodian": "UBND-066N4"
        }))
        .await;
    assert_eq!(
        (refused, problem["code"].as_str()),
        (422, Some("file_after_closure")),
        "{problem}"
    );
    assert!(
        problem["message_vi"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    // Kill the process and start it again on the same data.
    let position = a["position"].as_u64().expect("position");
    let settled = observe(&server, &handover, position).await;
    assert_eq!(
        settled[8]["items"][0]["history"],
        "UBND xã Bộc Bố thành lập năm 2003."
    );
    server.kill();
    let restarted = Server::start(&data).await;
    restarted.act_as(&who.admin);
    let (_, ready) = restarted.get("/health/ready").await;
    assert_eq!(ready["log_position"], ready["projected_position"]);
    let after = observe(&restarted, &handover, position).await;
    assert_eq!(settled, after, "everything is still there after a restart");
    restarted.kill();

    let verify = bangiao()
        .args(["verify", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run verify");
    assert!(
        verify.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

//! A file's history is its whole history (issue 21): missing, found again, damaged, rejected at
//! a transfer, held and released, destroyed — each a period of `/history`, each answered by
//! `/custody?as_of=`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_app::handler::CommandMeta;
use bangiao_auth::{Principal, Role};
use bangiao_domain::fonds::FondsCommand;
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::SqliteStore;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "bg_history-test-clerk-of-066N1-00000000000000";
const FONDS: &str = "066N1-UB";
const KEPT: &str = "000.00.07.X66.2010.01";
const DESTROYED: &str = "000.00.07.X66.2010.02";
const HOLD: &str = "0190a000-0000-7000-8000-000000000001";
const TRANSFER: &str = "0190a000-0000-7000-8000-000000000002";
const DESTRUCTION: &str = "0190a000-0000-7000-8000-000000000003";

/// A command of type `T` from its JSON body, as the HTTP layer would read it.
fn command<T: DeserializeOwned + Into<FondsCommand>>(body: Value) -> FondsCommand {
    serde_json::from_value::<T>(body)
        .expect("valid command")
        .into()
}

fn basis(number: &str) -> Value {
    json!({"number": number, "issued_on": "2024-01-02", "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên"})
}

fn file(code: &str, retention: &str) -> Value {
    json!({
        "file_code": code, "title": "Hồ sơ xây dựng trường học xã Bằng Thành",
        "start_date": "2010-01-05", "end_date": "2010-12-20", "retention": {"code": retention},
        "access": "01", "carrier": "paper", "box_number": "1", "sheets": 10,
        "language": "Tiếng Việt"
    })
}

/// A fonds of commune 066N1 whose two files lived every mark the history must keep.
async fn app() -> (tempfile::TempDir, axum::Router) {
    use bangiao_domain::fonds::*;
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    let clerk = Principal {
        user_id: "vanthu.066n1".into(),
        role: Role::Clerk,
        scope: Some("066N1".into()),
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(&store, TOKEN, &clerk, 1, "test")
        .await
        .expect("token");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read.clone(), HttpConfig::default());
    let code = bangiao_domain::values::FondsCode::parse(FONDS).expect("code");
    let commands = [
        command::<OpenFonds>(json!({
            "fonds_code": FONDS, "name": "Phông UBND xã Bằng Thành", "kind": "state",
            "creator_organ_id": "000.00.07.X66", "creator_name": "Ủy ban nhân dân xã Bằng Thành",
            "unit_code": "066N1", "custodian": "UBND-066N1", "opened_on": "2003-07-01"
        })),
        command::<RecordFile>(file(KEPT, "01")),
        command::<RecordFile>(file(DESTROYED, "06")),
        command::<MarkFileMissing>(json!({"file_code": KEPT, "noted_on": "2024-03-01"})),
        command::<MarkFileFound>(json!({"file_code": KEPT, "found_on": "2024-05-10"})),
        command::<MarkFileDamaged>(
            json!({"file_code": KEPT, "description": "Ẩm mốc ở góc các trang", "noted_on": "2024-06-01"}),
        ),
        command::<PlaceHold>(json!({
            "hold_id": HOLD, "reason": "inspection", "file_codes": [KEPT],
            "legal_basis": basis("15/QĐ-TTr"), "placed_by": "thanhtra.19", "placed_on": "2024-07-01"
        })),
        command::<LiftHold>(
            json!({"hold_id": HOLD, "lifted_by": "thanhtra.19", "lifted_on": "2024-08-01"}),
        ),
        command::<RegisterTransfer>(json!({
            "transfer_id": TRANSFER, "transferring_custodian": "UBND-066N1", "archive": "LTLS-19",
            "declared_kind": "state", "file_codes": [KEPT], "registered_by": "vanthu.066n1",
            "registered_on": "2024-09-01"
        })),
        command::<AppraiseTransferList>(json!({
            "transfer_id": TRANSFER, "appraised_by": "luutru.19", "appraised_on": "2024-09-10",
            "outcome": "approved"
        })),
        command::<AcceptTransfer>(json!({
            "transfer_id": TRANSFER, "accepted_by": "luutru.19", "accepted_on": "2024-09-20",
            "accepted": [], "rejected": [{"file_code": KEPT, "reason": "Thiếu mục lục văn bản"}]
        })),
        command::<ProposeDestruction>(json!({
            "destruction_id": DESTRUCTION, "file_codes": [DESTROYED],
            "council_decision": basis("07/QĐ-HĐXĐGT"), "proposed_by": "vanthu.066n1",
            "proposed_on": "2024-10-01"
        })),
        command::<ApproveDestruction>(json!({
            "destruction_id": DESTRUCTION, "approved_by": "chutich.066n1", "approved_on": "2024-10-05"
        })),
        command::<ExecuteDestruction>(json!({
            "destruction_id": DESTRUCTION, "executed_by": "vanthu.066n1", "executed_on": "2024-10-15"
        })),
    ];
    for c in commands {
        state
            .service
            .fonds_command(&code, c, &CommandMeta::new(uuid::Uuid::now_v7()))
            .await
            .expect("accepted");
    }
    read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    (dir, router(state))
}

async fn get(app: &axum::Router, path: &str) -> Value {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

async fn as_of(app: &axum::Router, file: &str, day: &str) -> Value {
    get(app, &format!("/api/v1/files/{file}/custody?as_of={day}")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_of_answers_every_mark_of_a_files_life() {
    let (_dir, app) = app().await;
    let missing = as_of(&app, KEPT, "2024-04-01").await;
    assert_eq!(
        (&missing["status"], &missing["custodian"], &missing["since"]),
        (
            &json!("missing"),
            &json!("UBND-066N1"),
            &json!("2024-03-01")
        ),
        "{missing}"
    );
    let found = as_of(&app, KEPT, "2024-05-20").await;
    assert_eq!(
        (&found["status"], &found["via_kind"], &found["damaged"]),
        (&json!("held"), &json!("found"), &Value::Null),
        "{found}"
    );
    let damaged = as_of(&app, KEPT, "2024-06-15").await;
    assert_eq!(
        damaged["damaged"],
        json!("Ẩm mốc ở góc các trang"),
        "{damaged}"
    );
    let held = as_of(&app, KEPT, "2024-07-15").await;
    assert_eq!(held["holds"], json!([HOLD]), "{held}");
    let released = as_of(&app, KEPT, "2024-08-15").await;
    assert_eq!(released["holds"], json!([]), "{released}");
    assert_eq!(released["via_kind"], json!("hold_lifted"), "{released}");
    let rejected = as_of(&app, KEPT, "2024-09-25").await;
    assert_eq!(
        (
            &rejected["custodian"],
            &rejected["via_kind"],
            &rejected["via"],
            &rejected["note"]
        ),
        (
            &json!("UBND-066N1"),
            &json!("transfer_rejected"),
            &json!(TRANSFER),
            &json!("Thiếu mục lục văn bản")
        ),
        "{rejected}"
    );
    // The damage stays on the file after it was found, held and rejected.
    assert_eq!(rejected["damaged"], json!("Ẩm mốc ở góc các trang"));

    let destroyed = as_of(&app, DESTROYED, "2024-10-20").await;
    assert_eq!(
        (&destroyed["status"], &destroyed["custodian"]),
        (&json!("destroyed"), &Value::Null),
        "{destroyed}"
    );
    let before = as_of(&app, DESTROYED, "2024-10-14").await;
    assert_eq!(before["status"], json!("held"), "{before}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_lists_every_mark_as_a_period() {
    let (_dir, app) = app().await;
    let history = get(&app, &format!("/api/v1/files/{KEPT}/history")).await;
    let periods: Vec<(String, String, String, String)> = history
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            let text = |v: &Value| v.as_str().unwrap_or("-").to_owned();
            (
                text(&p["from"]),
                text(&p["to"]),
                text(&p["via_kind"]),
                text(&p["status"]),
            )
        })
        .collect();
    let expected = [
        ("2010-01-05", "2024-03-01", "recorded", "held"),
        ("2024-03-01", "2024-05-10", "missing", "missing"),
        ("2024-05-10", "2024-06-01", "found", "held"),
        ("2024-06-01", "2024-07-01", "damaged", "held"),
        ("2024-07-01", "2024-08-01", "hold_placed", "held"),
        ("2024-08-01", "2024-09-20", "hold_lifted", "held"),
        ("2024-09-20", "-", "transfer_rejected", "held"),
    ]
    .map(|(a, b, c, d)| (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned()));
    assert_eq!(periods, expected, "{history}");
    assert_eq!(history[4]["holds"], json!([HOLD]));
    assert_eq!(history[4]["note"], json!("inspection"));

    let destroyed = get(&app, &format!("/api/v1/files/{DESTROYED}/history")).await;
    assert_eq!(
        destroyed[1]["via_kind"],
        json!("destruction"),
        "{destroyed}"
    );
    assert_eq!(destroyed[1]["status"], json!("destroyed"), "{destroyed}");
    assert_eq!(destroyed[1]["via_id"], json!(DESTRUCTION), "{destroyed}");
}

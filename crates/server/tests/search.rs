//! Search that finds what was typed (issue 21): several words, or words in quotes, are a
//! phrase on word boundaries; a single word is found anywhere.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_app::handler::CommandMeta;
use bangiao_auth::{Principal, Role};
use bangiao_domain::fonds::{FondsCommand, OpenFonds, RecordFile};
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::SqliteStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "bg_search-test-clerk-of-066N1-000000000000000";
const FONDS: &str = "066N1-UB";

/// The titles of the fonds' files, numbered from 1 in this order.
const TITLES: [&str; 4] = [
    "Hồ sơ thành lập xã Phong Điền",
    "Hồ sơ về quốc phòng, an ninh xã Điền Môn",
    "Hồ sơ giải quyết đơn thư tại thôn Phong Điền Hạ",
    "Sổ đăng ký hộ tịch xã Bằng Thành",
];

async fn app() -> (tempfile::TempDir, axum::Router) {
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
    let open: OpenFonds = serde_json::from_value(json!({
        "fonds_code": FONDS, "name": "Phông UBND xã Bằng Thành", "kind": "state",
        "creator_organ_id": "000.00.07.X66", "creator_name": "Ủy ban nhân dân xã Bằng Thành",
        "unit_code": "066N1", "custodian": "UBND-066N1", "opened_on": "2003-07-01"
    }))
    .expect("valid command");
    let mut commands: Vec<FondsCommand> = vec![open.into()];
    for (n, title) in TITLES.iter().enumerate() {
        let file: RecordFile = serde_json::from_value(json!({
            "file_code": format!("000.00.07.X66.2010.{:02}", n + 1), "title": title,
            "start_date": "2010-01-05", "end_date": "2010-12-20", "retention": {"code": "01"},
            "access": "01", "carrier": "paper", "box_number": "1", "sheets": 10,
            "language": "Tiếng Việt"
        }))
        .expect("valid command");
        commands.push(file.into());
    }
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

/// The numbers of the files the inventory list of the fonds answers for query `q`.
async fn found(app: &axum::Router, q: &str) -> Vec<u32> {
    let path = format!(
        "/api/v1/fonds/{FONDS}/inventory?q={}",
        q.replace(' ', "+").replace('"', "%22")
    );
    let request = Request::get(&path)
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
    let body: Value = serde_json::from_slice(&bytes).expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|row| row["file_code"].as_str())
        .filter_map(|code| code.rsplit('.').next()?.parse().ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_words_are_a_phrase_and_one_word_is_found_anywhere() {
    let (_dir, app) = app().await;
    // "phong dien" is the commune Phong Điền, not "quốc phòng … Điền Môn".
    assert_eq!(found(&app, "phong dien").await, [1, 3]);
    assert_eq!(found(&app, "Phong Điền").await, [1, 3]);
    assert_eq!(found(&app, "\"phong dien\"").await, [1, 3]);
    assert_eq!(found(&app, "\"xa phong dien\"").await, [1]);
    // Whole words only inside a phrase: "ong die" is no phrase of any title.
    assert_eq!(found(&app, "ong die").await, Vec::<u32>::new());
    // Punctuation between words does not matter: "quốc phòng, an ninh".
    assert_eq!(found(&app, "quoc phong an ninh").await, [2]);
    // Two quoted phrases must both be there.
    assert_eq!(found(&app, "\"ho so\" \"dien mon\"").await, [2]);
    // A single word is found anywhere, as before.
    assert_eq!(found(&app, "dien").await, [1, 2, 3]);
    assert_eq!(found(&app, "phon").await, [1, 2, 3]);
}

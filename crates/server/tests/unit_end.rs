//! A unit's end as an archivist reads it (issue 21): its last day (30/06/2025) and the
//! effective date of the act that ended it (01/07/2025), each named as such, in the API and in
//! the unit's list.

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::SqliteStore;
use http_body_util::BodyExt;
use tower::ServiceExt;

const INSPECTOR: &str = "bg_unit-end-test-inspector-00000000000000000";

/// The demo, where district 066 (Pác Nặm) ended by Resolution 203/2025/QH15 from 01/07/2025.
async fn demo() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    let inspector = Principal {
        user_id: "thanhtra.test".into(),
        role: Role::Inspector,
        scope: None,
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(&store, INSPECTOR, &inspector, 1, "test")
        .await
        .expect("token");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read.clone(), HttpConfig::default());
    bangiao_app::demo::load_demo(&state.service, &mut |_| {})
        .await
        .expect("demo");
    read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    (dir, router(state))
}

async fn get(app: &axum::Router, path: &str) -> Vec<u8> {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {INSPECTOR}"))
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
    bytes.to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_units_end_is_its_last_day_and_the_acts_effective_date() {
    let (_dir, app) = demo().await;
    let unit: serde_json::Value =
        serde_json::from_slice(&get(&app, "/api/v1/units/066").await).expect("json");
    assert_eq!(
        (&unit["last_day"], &unit["ended_on"]),
        (
            &serde_json::json!("2025-06-30"),
            &serde_json::json!("2025-07-01")
        ),
        "{unit}"
    );
    let spec: serde_json::Value =
        serde_json::from_slice(&get(&app, "/api/v1/openapi.json").await).expect("json");
    let fields = &spec["components"]["schemas"]["UnitRow"]["properties"];
    for field in ["last_day", "ended_on"] {
        assert!(
            fields[field]["description"]
                .as_str()
                .is_some_and(|d| d.contains("effective date") || d.contains("last day")),
            "{field}: {}",
            fields[field]
        );
    }

    let line = "ngày cuối cùng: 30/06/2025; văn bản kết thúc có hiệu lực từ ngày 01/07/2025";
    let html = get(&app, "/api/v1/units/066/inventory?format=html").await;
    let html = String::from_utf8(html).expect("utf-8");
    assert!(html.contains(line), "the HTML list names both dates");
    let xlsx = get(&app, "/api/v1/units/066/inventory?format=xlsx").await;
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an xlsx is a zip");
    let mut strings = String::new();
    for i in 0..book.len() {
        let mut part = book.by_index(i).expect("part");
        if part.name().is_ok_and(|n| n.ends_with(".xml")) {
            part.read_to_string(&mut strings).expect("xml text");
        }
    }
    assert!(strings.contains(line), "the XLSX list names both dates");

    let pdf = get(&app, "/api/v1/units/066/inventory?format=pdf").await;
    if let Some(text) = pdftotext(&pdf) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(line),
            "the PDF list names both dates: {text:.2000}"
        );
    }
}

/// The text of a PDF, when pdftotext is installed (as the documents crate's export test does).
fn pdftotext(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("list.pdf");
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

//! The exports through HTTP, on the demo scenario: `format=` and `Accept` on the inventory lists
//! and on a handover, the media types and first bytes of each document, formats refused where
//! they do not apply, a missing fonds, and the bag refused to a reader not cleared for the fonds.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_projections::query::processes;
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::SqliteStore;
use http_body_util::BodyExt;
use tower::ServiceExt;

const INSPECTOR: &str = "bg_export-test-inspector-reads-all-0000000000";
const CLERK: &str = "bg_export-test-clerk-of-commune-06601-00000000";

struct Demo {
    _dir: tempfile::TempDir,
    app: axum::Router,
    handover: String,
}

async fn demo() -> Demo {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    for (secret, who) in [
        (
            INSPECTOR,
            Principal {
                user_id: "thanhtra.test".into(),
                role: Role::Inspector,
                scope: None,
            },
        ),
        (
            CLERK,
            Principal {
                user_id: "vanthu.06601".into(),
                role: Role::Clerk,
                scope: Some("06601".into()),
            },
        ),
    ] {
        bangiao_server::auth::issue_token(&store, secret, &who, 1, "test")
            .await
            .expect("token");
    }
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read.clone(), HttpConfig::default());
    bangiao_app::demo::load_demo(&state.service, &mut |_| {})
        .await
        .expect("demo");
    read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    let handover = read
        .readers()
        .with_blocking(|c| processes::handovers(c, Some("066-D02"), Some("received"), None))
        .expect("handovers")
        .first()
        .map(|h| h.handover_id.clone())
        .expect("a received handover");
    Demo {
        _dir: dir,
        app: router(state),
        handover,
    }
}

/// Status, content type and body of a GET with a token and extra headers.
async fn get(
    app: &axum::Router,
    token: &str,
    path: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::HOST, "bangiao.test");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answered");
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, kind, body.to_vec())
}

#[tokio::test]
async fn every_format_of_a_fonds_list_and_of_a_handover_is_served() {
    let d = demo().await;
    let cases: [(&str, &str, &[u8]); 6] = [
        ("csv", "text/csv; charset=utf-8", "\u{feff}STT".as_bytes()),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF-"),
        ("ead3", "application/xml; charset=utf-8", b"<?xml"),
        ("premis", "application/xml; charset=utf-8", b"<?xml"),
    ];
    for (format, kind, start) in cases {
        let path = format!("/api/v1/fonds/066-D02/inventory?format={format}");
        let (status, got, body) = get(&d.app, INSPECTOR, &path, &[]).await;
        assert_eq!((status, got.as_str()), (StatusCode::OK, kind), "{format}");
        assert!(
            body.starts_with(start),
            "{format}: {:?}",
            &body[..body.len().min(40)]
        );
    }
    let (_, _, ead) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/fonds/066-D02/inventory?format=ead3",
        &[],
    )
    .await;
    assert!(String::from_utf8_lossy(&ead).contains("<c level=\"file\">"));
    let (status, kind, _) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/units/066/inventory",
        &[(
            "accept",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )],
    )
    .await;
    assert_eq!(
        (status, kind.starts_with("application/vnd.openxml")),
        (StatusCode::OK, true)
    );
    let (status, _, _) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/units/066/inventory?format=ead3",
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "EAD3 describes one fonds");
    let (status, _, _) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/fonds/NO-SUCH/inventory?format=pdf",
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let record = format!("/api/v1/handovers/{}", d.handover);
    let (status, kind, body) = get(
        &d.app,
        INSPECTOR,
        &record,
        &[("accept", "text/html,*/*;q=0.8")],
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "text/html; charset=utf-8")
    );
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("BIÊN BẢN") && page.contains(&format!("http://bangiao.test{record}")));
    let (status, kind, _) = get(&d.app, INSPECTOR, &record, &[]).await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/json")
    );
    let (status, kind, body) = get(&d.app, INSPECTOR, &format!("{record}?format=pdf"), &[]).await;
    assert_eq!(
        (status, kind.as_str(), body.starts_with(b"%PDF-")),
        (StatusCode::OK, "application/pdf", true)
    );
    let (status, kind, body) = get(&d.app, INSPECTOR, &format!("{record}?format=bag"), &[]).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    let top = format!("bag-{}/", d.handover);
    for file in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "data/su-kien.jsonl",
    ] {
        assert!(
            names.contains(&format!("{top}{file}")),
            "{file} in {names:?}"
        );
    }
    let (status, _, _) = get(&d.app, CLERK, &format!("{record}?format=bag"), &[]).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the bag holds restricted titles"
    );
}

// Over 500 lines: every export format through HTTP on one demo scenario, sharing its fixture.
//! The exports through HTTP, on the demo scenario: `format=` and `Accept` on the inventory lists
//! and on a handover, the media types and first bytes of each document, formats refused where
//! they do not apply, a missing fonds, the bag refused to a reader not cleared for the fonds, a
//! unit's list as an EAD3 finding aid checked against the official schema and as PREMIS with the
//! events of each of its fonds, the bags of a fonds and of a transfer (validated by bagit.py when
//! installed), and PREMIS dating an act posted through the API by its command.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_projections::query::acts;
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::SqliteStore;
use http_body_util::BodyExt;
use serde_json::Value;
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
                person: Default::default(),
            },
        ),
        (
            CLERK,
            Principal {
                user_id: "vanthu.06601".into(),
                role: Role::Clerk,
                scope: Some("06601".into()),
                person: Default::default(),
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
        .with_blocking(|c| acts::handovers(c, Some("066-D02"), Some("received"), None))
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
        "/api/v1/units/066/inventory?format=bag",
        &[],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a bag is made for a fonds, a transfer or a handover"
    );
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
    // The QR code and the printed link open the public verification page of this printout.
    let verification = format!(
        "http://bangiao.test/xac-minh/bb-{}-",
        uuid::Uuid::parse_str(&d.handover.to_string())
            .expect("uuid")
            .simple()
    );
    assert!(page.contains("BIÊN BẢN") && page.contains(&verification));
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

/// The official EAD3 schema: `$BANGIAO_EAD3_XSD`, else `../shared/schemas/ead3/ead3.xsd` beside
/// the workspace; none (with "skipped: schema not found" printed) when absent.
fn ead3_schema() -> Option<std::path::PathBuf> {
    let path = match std::env::var_os("BANGIAO_EAD3_XSD") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/schemas/ead3/ead3.xsd"),
    };
    if path.is_file() {
        Some(path)
    } else {
        println!("skipped: schema not found");
        None
    }
}

#[tokio::test]
async fn a_units_list_as_ead3_holds_each_fonds_with_its_files_and_is_valid() {
    let d = demo().await;
    let (status, kind, body) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/units/066/inventory?format=ead3",
        &[],
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/xml; charset=utf-8")
    );
    let ead = String::from_utf8(body).expect("UTF-8");
    // The same list as JSON, page after page: its files and the fonds they belong to.
    let mut items: Vec<Value> = Vec::new();
    let mut path = "/api/v1/units/066/inventory?limit=1000".to_owned();
    let list = loop {
        let (_, _, json) = get(&d.app, INSPECTOR, &path, &[]).await;
        let page: Value = serde_json::from_slice(&json).expect("JSON");
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/units/066/inventory?limit=1000&after={next}"),
            None => break page,
        }
    };
    assert_eq!(
        items.len() as u64,
        list["totals"]["files"].as_u64().expect("files")
    );
    let mut fonds: Vec<&str> = items
        .iter()
        .filter_map(|i| i["fonds_code"].as_str())
        .collect();
    fonds.sort_unstable();
    fonds.dedup();
    assert!(fonds.len() > 1, "the district's list spans several fonds");
    assert!(
        ead.contains("<archdesc level=\"collection\">"),
        "{}",
        &ead[..400]
    );
    assert_eq!(
        ead.matches("<c level=\"file\">").count() as u64,
        list["totals"]["files"].as_u64().expect("files")
    );
    assert!(ead.matches("<c level=\"fonds\">").count() >= fonds.len());
    for code in &fonds {
        assert!(
            ead.contains(&format!("<unitid localtype=\"fonds_code\">{code}</unitid>")),
            "fonds {code} is a component"
        );
    }
    let described: std::collections::BTreeSet<&str> = ead
        .split("<unitid localtype=\"file_code\">")
        .skip(1)
        .filter_map(|rest| rest.split_once("</unitid>").map(|(code, _)| code))
        .collect();
    let listed: std::collections::BTreeSet<&str> = items
        .iter()
        .filter_map(|i| i["file_code"].as_str())
        .collect();
    assert_eq!(described, listed, "the same files as the list");
    let Some(schema) = ead3_schema() else { return };
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("skipped: xmllint not found");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("066.ead3.xml");
    std::fs::write(&path, &ead).expect("write");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&path)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "the unit's finding aid is valid EAD3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Status and body of a POST of JSON with a token.
async fn post(app: &axum::Router, token: &str, path: &str, body: Value) -> (StatusCode, Vec<u8>) {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, body.to_vec())
}

/// The `<event>` elements of a PREMIS document whose text holds `needle`.
fn premis_events<'a>(premis: &'a str, needle: &str) -> Vec<&'a str> {
    premis
        .split("<event>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</event>").map(|(event, _)| event))
        .filter(|event| event.contains(needle))
        .collect()
}

/// The text of the first `<name>` in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let (_, rest) = xml.split_once(&format!("<{name}>"))?;
    rest.split_once(&format!("</{name}>")).map(|(text, _)| text)
}

#[tokio::test]
async fn premis_dates_an_act_recorded_through_the_api_by_its_command_not_by_its_typing() {
    let d = demo().await;
    let (_, _, json) = get(
        &d.app,
        CLERK,
        "/api/v1/fonds/06601-UB/inventory?status=in_custody&limit=1",
        &[],
    )
    .await;
    let list: Value = serde_json::from_slice(&json).expect("JSON");
    let file = list["items"][0]["file_code"]
        .as_str()
        .expect("a file in custody")
        .to_owned();
    let before = chrono::Utc::now();
    let (status, body) = post(
        &d.app,
        CLERK,
        "/api/v1/fonds/06601-UB/files/missing",
        serde_json::json!({"file_code": file, "noted_on": "2025-08-01"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let (status, _, body) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/fonds/06601-UB/inventory?format=premis",
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let premis = String::from_utf8(body).expect("UTF-8");
    let marked = premis_events(&premis, "(FileMarkedMissing,");
    assert_eq!(marked.len(), 1, "one file marked missing");
    let event = marked[0];
    assert_eq!(
        element(event, "eventDateTime"),
        Some("2025-08-01"),
        "the day the command says the file was found missing: {event}"
    );
    let recorded = event
        .split("<eventDetail>")
        .filter_map(|d| d.split_once("</eventDetail>").map(|(text, _)| text))
        .find_map(|d| d.split_once("(recorded at): ").map(|(_, at)| at))
        .expect("the recording time, as a note of its own");
    let recorded: chrono::DateTime<chrono::Utc> = recorded.parse().expect("an instant");
    assert!(recorded >= before && recorded <= chrono::Utc::now());
    assert!(
        event.contains(&format!(
            "<linkingObjectIdentifierValue>{file}</linkingObjectIdentifierValue>"
        )),
        "the event names the file"
    );
    let declared = premis
        .split("<event>")
        .next()
        .expect("the objects come first");
    assert!(
        declared.contains(&format!(
            "<objectIdentifierValue>{file}</objectIdentifierValue>"
        )),
        "the file is declared as an object"
    );
}

/// The entry names of a zip.
fn zip_names(body: &[u8]) -> Vec<String> {
    zip::ZipArchive::new(std::io::Cursor::new(body))
        .expect("a zip")
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect()
}

/// Unzips a bag and validates it with the Library of Congress tool when it is installed.
fn validate_bag(body: &[u8], name: &str) {
    let dir = tempfile::tempdir().expect("dir");
    zip::ZipArchive::new(std::io::Cursor::new(body))
        .expect("a zip")
        .extract(dir.path())
        .expect("extract");
    let Ok(out) = std::process::Command::new("bagit.py")
        .arg("--validate")
        .arg(dir.path().join(name))
        .output()
    else {
        println!("skipped: bagit.py not found");
        return;
    };
    assert!(
        out.status.success(),
        "{name} is a valid bag: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_units_premis_and_the_bags_of_a_fonds_and_of_a_transfer_are_served() {
    let d = demo().await;
    // PREMIS of the district's list: the unit, each fonds of its list, the events of each.
    let (status, kind, body) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/units/066/inventory?format=premis",
        &[],
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/xml; charset=utf-8")
    );
    let premis = String::from_utf8(body).expect("UTF-8");
    let mut fonds: Vec<String> = Vec::new();
    let mut path = "/api/v1/units/066/inventory?limit=1000".to_owned();
    loop {
        let (_, _, json) = get(&d.app, INSPECTOR, &path, &[]).await;
        let page: Value = serde_json::from_slice(&json).expect("JSON");
        fonds.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|i| i["fonds_code"].as_str().map(str::to_owned)),
        );
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/units/066/inventory?limit=1000&after={next}"),
            None => break,
        }
    }
    fonds.sort_unstable();
    fonds.dedup();
    assert!(fonds.len() > 1, "the district's list spans several fonds");
    assert!(premis.contains("<objectIdentifierValue>066</objectIdentifierValue>"));
    let mut events = 0;
    for code in &fonds {
        assert!(
            premis.contains(&format!(
                "<objectIdentifierValue>{code}</objectIdentifierValue>"
            )),
            "fonds {code} is an object"
        );
        let (_, _, own) = get(
            &d.app,
            INSPECTOR,
            &format!("/api/v1/fonds/{code}/inventory?format=premis"),
            &[],
        )
        .await;
        events += String::from_utf8_lossy(&own).matches("<event>").count();
    }
    assert_eq!(
        premis.matches("<event>").count(),
        events,
        "every event of every fonds of the list"
    );

    // The bag of a whole fonds.
    let (status, kind, body) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/fonds/066-D02/inventory?format=bag",
        &[],
    )
    .await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let names = zip_names(&body);
    for file in [
        "bag-info.txt",
        "data/muc-luc.csv",
        "data/muc-luc.pdf",
        "data/muc-luc.ead3.xml",
        "data/su-kien.jsonl",
        "data/su-kien.premis.xml",
    ] {
        let name = format!("bag-phong-066-D02/{file}");
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    validate_bag(&body, "bag-phong-066-D02");
    let (status, _, _) = get(
        &d.app,
        CLERK,
        "/api/v1/fonds/066-D02/inventory?format=bag",
        &[],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the bag holds restricted titles"
    );

    // A transfer: as JSON with its list, and as a bag.
    let (_, _, json) = get(
        &d.app,
        INSPECTOR,
        "/api/v1/transfers?fonds=066-UB&status=accepted",
        &[],
    )
    .await;
    let page: Value = serde_json::from_slice(&json).expect("JSON");
    let id = page["items"][0]["transfer_id"]
        .as_str()
        .expect("the accepted transfer")
        .to_owned();
    let record = format!("/api/v1/transfers/{id}");
    let (status, kind, json) = get(&d.app, INSPECTOR, &record, &[]).await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/json")
    );
    let transfer: Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(
        transfer["files"].as_array().map(Vec::len) as Option<usize>,
        transfer["listed_files"].as_u64().map(|n| n as usize)
    );
    let (status, kind, body) =
        get(&d.app, INSPECTOR, &record, &[("accept", "application/zip")]).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let top = format!("bag-nop-luu-{id}");
    let names = zip_names(&body);
    for file in [
        "data/muc-luc.csv",
        "data/nop-luu.json",
        "data/su-kien.premis.xml",
    ] {
        let name = format!("{top}/{file}");
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    validate_bag(&body, &top);
    let (status, _, _) = get(&d.app, INSPECTOR, &format!("{record}?format=pdf"), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = get(&d.app, INSPECTOR, "/api/v1/transfers/no-such", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

//! Digital copies through the HTTP router: a scan of a few MB uploaded (streamed, checked against
//! the announced digest, stored once), attached to a file, listed, downloaded whole and by range
//! with its ETag; a restricted file's copies refused to a clerk not cleared for it; a destruction
//! deletes its files' blobs (a blob another kept copy names stays) and keeps their checksums.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::Role;
use bangiao_content::{Blobs, Digest};
use bangiao_server::{AppState, HttpConfig, router};
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const CLERK: &str = "bg_copies-test-clerk-of-unit-066-000000000000000";
const OUTSIDER: &str = "bg_copies-test-clerk-of-066N1-00000000000000000";
const ARCHIVIST: &str = "bg_copies-test-archivist-ubnd066-0000000000000";
const APPROVER: &str = "bg_copies-test-approver-of-066-000000000000000";
const FONDS: &str = "066-UB";

fn file_code(n: u32) -> String {
    format!("000.00.66.H06.2010.{n:02}")
}

struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    app: axum::Router,
    blobs: Blobs,
}

/// A fonds of unit 066 with three files: 01 open and permanent, 02 restricted and 03 open, both
/// kept five years from 2010 (so destructible now).
async fn world() -> World {
    world_with(HttpConfig::default()).await
}

/// The same world under `config`.
async fn world_with(config: HttpConfig) -> World {
    let (dir, store, state) = support::service(config);
    let blobs = Blobs::local(dir.path().join("blobs")).expect("blobs");
    let state = state.with_blobs(blobs.clone());
    support::issue(&store, CLERK, "vanthu.066", Role::Clerk, Some("066")).await;
    support::issue(&store, OUTSIDER, "vanthu.066n1", Role::Clerk, Some("066N1")).await;
    support::issue(
        &store,
        ARCHIVIST,
        "luutru.066",
        Role::Archivist,
        Some("UBND-066"),
    )
    .await;
    support::issue(&store, APPROVER, "duyet.066", Role::Approver, Some("066")).await;
    state.read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    tokio::spawn(bangiao_server::run_projections(state.clone()));
    let app = router(state.clone());
    let opened = json!({"fonds_code": FONDS, "name": "Phông UBND", "kind": "state",
        "creator_organ_id": "000.00.66.H06", "creator_name": "UBND", "unit_code": "066",
        "custodian": "UBND-066", "opened_on": "2003-07-01"});
    let (status, body) = call(&app, CLERK, post("/api/v1/fonds", &opened)).await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    for (n, access, retention) in [
        (1, "01", json!({"code": "01"})),
        (2, "02", json!({"code": "07", "years": 5})),
        (3, "01", json!({"code": "07", "years": 5})),
    ] {
        let file = json!({"file_code": file_code(n), "title": format!("Hồ sơ mật số {n}"),
            "start_date": "2010-01-01", "end_date": "2010-12-31", "retention": retention,
            "access": access, "carrier": "paper", "box_number": "1", "sheets": 10,
            "language": "Tiếng Việt", "notes": null});
        let (status, body) = call(
            &app,
            CLERK,
            post(&format!("/api/v1/fonds/{FONDS}/files"), &file),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body:?}");
    }
    World {
        _dir: dir,
        state,
        app,
        blobs,
    }
}

/// A PDF-looking scan of about `mb` MB with `pages` page objects; `seed` makes it unique.
fn scan(mb: usize, pages: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    for page in 0..pages {
        bytes.extend_from_slice(format!("{page} 0 obj << /Type /Page >> endobj\n").as_bytes());
    }
    let mut x = u32::from(seed) + 1;
    while bytes.len() < mb * 1024 * 1024 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((x >> 24) as u8);
    }
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

fn post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn upload(bytes: Vec<u8>, announced: Option<&str>) -> Request<Body> {
    let mut request = Request::post(format!("/api/v1/fonds/{FONDS}/blobs"))
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if let Some(hex) = announced {
        request = request.header("x-content-sha256", hex);
    }
    request.body(Body::from(bytes)).expect("request")
}

/// Sends `request` with `token`: status, headers and body bytes.
async fn send(
    app: &axum::Router,
    token: &str,
    mut request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    let response = app.clone().oneshot(request).await.expect("answered");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

async fn call(app: &axum::Router, token: &str, request: Request<Body>) -> (StatusCode, Value) {
    let (status, _, body) = send(app, token, request).await;
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, value)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).expect("request")
}

/// Uploads `bytes` and attaches them to file `n` as copy `copy_id`: the position reached.
async fn attach(w: &World, n: u32, bytes: Vec<u8>, copy_id: &str) -> u64 {
    let (status, up) = call(&w.app, CLERK, upload(bytes, None)).await;
    assert!(status.is_success(), "{up}");
    let command = json!({"file_code": file_code(n), "copy_id": copy_id, "sha256": up["sha256"],
        "size_bytes": up["size_bytes"], "format": up["format"], "pages": up["pages"],
        "original_name": format!("ho-so-{n}.pdf"), "digitised_by": "vanthu.066",
        "digitised_on": "2025-08-01"});
    let (status, body) = call(
        &w.app,
        CLERK,
        post(&format!("/api/v1/fonds/{FONDS}/files/copies"), &command),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["position"].as_u64().expect("position")
}

#[tokio::test]
async fn a_scan_is_uploaded_attached_listed_and_downloaded_by_range() {
    let w = world().await;
    let bytes = scan(3, 12, 1);
    let digest = Digest::of(&bytes).to_hex();
    // The wrong digest announced: 422, nothing kept.
    let wrong = Digest::of(b"other bytes").to_hex();
    let (status, problem) = call(&w.app, CLERK, upload(bytes.clone(), Some(&wrong))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "digest_mismatch");
    assert!(
        problem["message_vi"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let parsed: Digest = digest.parse().expect("digest");
    assert_eq!(w.blobs.size(&parsed).await.expect("size"), None);
    // The right digest: 201 with what the signature says; the same bytes again: 200, stored once.
    let (status, up) = call(&w.app, CLERK, upload(bytes.clone(), Some(&digest))).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    assert_eq!(up["sha256"], digest.as_str());
    assert_eq!(up["size_bytes"], bytes.len() as u64);
    assert_eq!(up["format"], "pdf");
    assert_eq!(up["pages"], 12);
    let (status, again) = call(&w.app, CLERK, upload(bytes.clone(), None)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["already_present"], true);
    // Attaching bytes never uploaded is refused before any event.
    let missing = json!({"file_code": file_code(1), "copy_id": "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f99",
        "sha256": wrong, "size_bytes": 5, "format": "pdf", "digitised_by": "vanthu.066",
        "digitised_on": "2025-08-01"});
    let (status, problem) = call(
        &w.app,
        CLERK,
        post(&format!("/api/v1/fonds/{FONDS}/files/copies"), &missing),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "blob_not_uploaded");
    // The uploaded PDF declared as a TIFF: its signature says otherwise, refused.
    let as_tiff = json!({"file_code": file_code(1), "copy_id": "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f98",
        "sha256": digest, "size_bytes": bytes.len(), "format": "tiff", "digitised_by": "vanthu.066",
        "digitised_on": "2025-08-01"});
    let (status, problem) = call(
        &w.app,
        CLERK,
        post(&format!("/api/v1/fonds/{FONDS}/files/copies"), &as_tiff),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        (problem["code"].as_str(), problem["field"].as_str()),
        (Some("format_mismatch"), Some("format"))
    );
    // Attached, then listed.
    let copy_id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f01";
    let position = attach(&w, 1, bytes.clone(), copy_id).await;
    let list = format!("/api/v1/files/{}/copies?wait_for={position}", file_code(1));
    let (status, copies) = call(&w.app, CLERK, get(&list)).await;
    assert_eq!(status, StatusCode::OK, "{copies}");
    assert_eq!(copies[0]["copy_id"], copy_id);
    assert_eq!(copies[0]["status"], "current");
    assert_eq!(copies[0]["sha256"], digest.as_str());
    assert_eq!(copies[0]["original_name"], "ho-so-1.pdf");
    // The whole copy, inline, with its digest as ETag.
    let content = format!("/api/v1/files/{}/copies/{copy_id}/content", file_code(1));
    let (status, headers, body) = send(&w.app, CLERK, get(&content)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);
    let etag = headers[header::ETAG].to_str().expect("etag").to_owned();
    assert_eq!(etag, format!("\"{digest}\""));
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .is_ok_and(|d| d.starts_with("inline"))
    );
    // A range: 206 with exactly those bytes.
    let mut ranged = get(&content);
    ranged
        .headers_mut()
        .insert(header::RANGE, "bytes=1000-1999".parse().expect("range"));
    let (status, headers, body) = send(&w.app, CLERK, ranged).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, bytes[1000..2000]);
    assert_eq!(
        headers[header::CONTENT_RANGE],
        format!("bytes 1000-1999/{}", bytes.len()).as_str()
    );
    // Past the end: 416 naming the size.
    let mut beyond = get(&content);
    let past = format!("bytes={}-", bytes.len());
    beyond
        .headers_mut()
        .insert(header::RANGE, past.parse().expect("range"));
    let (status, headers, _) = send(&w.app, CLERK, beyond).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        headers[header::CONTENT_RANGE],
        format!("bytes */{}", bytes.len()).as_str()
    );
    // The ETag held: 304, no body.
    let mut cached = get(&content);
    cached
        .headers_mut()
        .insert(header::IF_NONE_MATCH, etag.parse().expect("etag"));
    let (status, _, body) = send(&w.app, CLERK, cached).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn a_born_digital_document_replaces_a_scan_and_both_are_listed() {
    let w = world().await;
    let scan_id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f31";
    attach(&w, 1, scan(1, 1, 7), scan_id).await;
    let bytes = scan(1, 2, 8);
    let (status, up) = call(&w.app, CLERK, upload(bytes, None)).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let document_id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f32";
    let command = json!({"file_code": file_code(1), "copy_id": document_id,
        "sha256": up["sha256"], "size_bytes": up["size_bytes"], "format": up["format"],
        "pages": up["pages"], "number": "125", "notation": "UBND-VP", "issued_on": "2010-03-02",
        "issuer": "UBND huyện", "summary": "V/v báo cáo công tác lưu trữ",
        "language": "Tiếng Việt", "confidence_level": "01", "recorded_by": "vanthu.066",
        "recorded_on": "2025-08-02", "replaces": scan_id});
    let (status, answer) = call(
        &w.app,
        CLERK,
        post(&format!("/api/v1/fonds/{FONDS}/files/documents"), &command),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(
        answer["events"],
        json!(["DocumentRecorded", "CopyReplaced"])
    );
    let position = answer["position"].as_u64().expect("position");
    let list = format!("/api/v1/files/{}/copies?wait_for={position}", file_code(1));
    let (_, copies) = call(&w.app, CLERK, get(&list)).await;
    assert_eq!(copies[0]["copy_id"], scan_id);
    assert_eq!(copies[0]["status"], "replaced");
    assert_eq!(copies[0]["replaced_by"], document_id);
    assert_eq!(copies[1]["kind"], "document");
    assert_eq!(copies[1]["status"], "current");
    assert_eq!(
        copies[1]["document"]["summary"],
        "V/v báo cáo công tác lưu trữ"
    );
    assert_eq!(copies[1]["document"]["confidence_level"], "01");
    // The replaced scan is kept: its bytes are still served.
    let content = format!("/api/v1/files/{}/copies/{scan_id}/content", file_code(1));
    let (status, _, _) = send(&w.app, CLERK, get(&content)).await;
    assert_eq!(status, StatusCode::OK);
    // Replacing it again is refused: it is no longer current.
    let again = json!({"file_code": file_code(1), "copy_id": "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f33",
        "sha256": Digest::of(&scan(1, 1, 7)).to_hex(), "size_bytes": scan(1, 1, 7).len(),
        "format": "pdf", "digitised_by": "vanthu.066", "digitised_on": "2025-08-03",
        "replaces": scan_id});
    let (status, problem) = call(
        &w.app,
        CLERK,
        post(&format!("/api/v1/fonds/{FONDS}/files/copies"), &again),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "copy_not_current");
}

#[tokio::test]
async fn an_upload_slower_than_the_request_timeout_still_completes() {
    let w = world_with(HttpConfig {
        request_timeout: std::time::Duration::from_millis(200),
        ..HttpConfig::default()
    })
    .await;
    // Three chunks 150 ms apart: 300 ms in all, over the 200 ms timeout of other requests.
    let chunks = futures::stream::iter(0..3u8).then(|i| async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i; 1024]))
    });
    let request = Request::post(format!("/api/v1/fonds/{FONDS}/blobs"))
        .body(Body::from_stream(chunks))
        .expect("request");
    let (status, _, body) = send(&w.app, CLERK, request).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
}

#[tokio::test]
async fn a_restricted_files_copies_are_refused_to_a_clerk_not_cleared() {
    let w = world().await;
    let copy_id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f02";
    let position = attach(&w, 2, scan(1, 2, 2), copy_id).await;
    let list = format!("/api/v1/files/{}/copies?wait_for={position}", file_code(2));
    let content = format!("/api/v1/files/{}/copies/{copy_id}/content", file_code(2));
    let (status, copies) = call(&w.app, CLERK, get(&list)).await;
    assert_eq!(status, StatusCode::OK, "{copies}");
    for path in [&list, &content] {
        let (status, problem) = call(&w.app, OUTSIDER, get(path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {problem}");
        assert_eq!(problem["code"], "not_cleared");
        assert!(!problem.to_string().contains("ho-so-2.pdf"), "{problem}");
    }
    // An open file's copies are anyone's to read.
    let open = attach(&w, 3, scan(1, 1, 3), "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f03").await;
    let list = format!("/api/v1/files/{}/copies?wait_for={open}", file_code(3));
    let (status, _) = call(&w.app, OUTSIDER, get(&list)).await;
    assert_eq!(status, StatusCode::OK);
    // The outsider may not upload to a fonds outside its scope either.
    let (status, problem) = call(&w.app, OUTSIDER, upload(scan(1, 1, 9), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
}

#[tokio::test]
async fn a_destruction_deletes_its_files_blobs_and_keeps_their_checksums() {
    let w = world().await;
    let shared = scan(1, 1, 4);
    let own = scan(1, 1, 5);
    let (shared_digest, own_digest) = (Digest::of(&shared), Digest::of(&own));
    attach(
        &w,
        1,
        shared.clone(),
        "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f11",
    )
    .await;
    attach(&w, 2, own, "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f12").await;
    attach(&w, 3, shared, "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f13").await;
    let id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0fd1";
    let basis = json!({"number": "12/QĐ-HĐ", "issued_on": "2025-01-05", "issuer": "Hội đồng", "title": null});
    let steps = [
        (
            ARCHIVIST,
            "destructions",
            json!({"destruction_id": id, "file_codes": [file_code(2), file_code(3)],
            "council_decision": basis, "proposed_by": "luutru.066", "proposed_on": "2025-01-10"}),
        ),
        (
            APPROVER,
            "destructions/approve",
            json!({"destruction_id": id, "approved_by": "duyet.066", "approved_on": "2025-01-11"}),
        ),
        (
            ARCHIVIST,
            "destructions/execute",
            json!({"destruction_id": id, "executed_by": "luutru.066", "executed_on": "2025-01-12"}),
        ),
    ];
    let mut position = 0;
    for (token, path, body) in steps {
        let (status, answer) = call(
            &w.app,
            token,
            post(&format!("/api/v1/fonds/{FONDS}/{path}"), &body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {answer}");
        position = answer["position"].as_u64().expect("position");
    }
    // The destroyed file's own blob is gone; the blob file 01 still names stays.
    assert_eq!(w.blobs.size(&own_digest).await.expect("size"), None);
    assert!(w.blobs.size(&shared_digest).await.expect("size").is_some());
    // The event keeps the checksums of both deleted copies.
    let events = w.state.store.read_all(position, 1).await.expect("read");
    let payload: Value = serde_json::from_str(&events[0].payload).expect("json");
    let kept: Vec<&str> = payload["deleted_copies"]
        .as_array()
        .expect("tombstones")
        .iter()
        .filter_map(|c| c["sha256"].as_str())
        .collect();
    assert!(kept.contains(&own_digest.to_hex().as_str()), "{payload}");
    assert!(kept.contains(&shared_digest.to_hex().as_str()), "{payload}");
    // The list shows tombstones; their content is gone (410).
    let list = format!("/api/v1/files/{}/copies?wait_for={position}", file_code(2));
    let (status, copies) = call(&w.app, CLERK, get(&list)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(copies[0]["status"], "deleted");
    assert_eq!(copies[0]["sha256"], own_digest.to_hex().as_str());
    let content = format!(
        "/api/v1/files/{}/copies/0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f12/content",
        file_code(2)
    );
    let (status, problem) = call(&w.app, CLERK, get(&content)).await;
    assert_eq!(status, StatusCode::GONE, "{problem}");
    assert_eq!(problem["code"], "copy_deleted");
}

#[tokio::test]
async fn the_start_up_sweep_deletes_what_an_interrupted_destruction_left() {
    let w = world().await;
    let bytes = scan(1, 1, 10);
    let digest = Digest::of(&bytes);
    attach(&w, 3, bytes, "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f41").await;
    // The destruction recorded straight through the service, as if the process had died
    // between storing the event and deleting the blobs.
    let id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0fd3";
    let basis = json!({"number": "12/QĐ-HĐ", "issued_on": "2025-01-05", "issuer": "Hội đồng", "title": null});
    let commands: Vec<bangiao_domain::FondsCommand> = vec![
        serde_json::from_value::<bangiao_domain::fonds::ProposeDestruction>(json!({
            "destruction_id": id, "file_codes": [file_code(3)], "council_decision": basis,
            "proposed_by": "luutru.066", "proposed_on": "2025-01-10"}))
        .expect("propose")
        .into(),
        serde_json::from_value::<bangiao_domain::fonds::ApproveDestruction>(json!({
            "destruction_id": id, "approved_by": "duyet.066", "approved_on": "2025-01-11"}))
        .expect("approve")
        .into(),
        serde_json::from_value::<bangiao_domain::fonds::ExecuteDestruction>(json!({
            "destruction_id": id, "executed_by": "luutru.066", "executed_on": "2025-01-12"}))
        .expect("execute")
        .into(),
    ];
    let fonds = bangiao_domain::values::FondsCode::parse(FONDS).expect("code");
    for command in commands {
        let meta = bangiao_app::handler::CommandMeta::new(uuid::Uuid::now_v7());
        w.state
            .service
            .fonds_command(&fonds, command, &meta)
            .await
            .expect("recorded");
    }
    assert!(
        w.blobs.size(&digest).await.expect("size").is_some(),
        "left behind"
    );
    let head = w.state.store.head_position();
    let removed = bangiao_server::copies::sweep(&w.state, None, head)
        .await
        .expect("swept");
    assert_eq!(removed, 1);
    assert_eq!(w.blobs.size(&digest).await.expect("size"), None);
}

#[tokio::test]
async fn a_held_file_keeps_its_copies() {
    let w = world().await;
    let bytes = scan(1, 1, 6);
    let digest = Digest::of(&bytes);
    attach(&w, 2, bytes, "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f21").await;
    let id = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0fd2";
    let basis = json!({"number": "12/QĐ-HĐ", "issued_on": "2025-01-05", "issuer": "Hội đồng", "title": null});
    let steps = [
        (
            "destructions",
            ARCHIVIST,
            json!({"destruction_id": id, "file_codes": [file_code(2)],
            "council_decision": basis, "proposed_by": "luutru.066", "proposed_on": "2025-01-10"}),
        ),
        (
            "destructions/approve",
            APPROVER,
            json!({"destruction_id": id, "approved_by": "duyet.066", "approved_on": "2025-01-11"}),
        ),
        (
            "holds",
            ARCHIVIST,
            json!({"hold_id": "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0fe1", "reason": "inspection",
            "file_codes": [file_code(2)], "legal_basis": basis, "placed_by": "luutru.066",
            "placed_on": "2025-01-11"}),
        ),
    ];
    for (path, token, body) in steps {
        let (status, answer) = call(
            &w.app,
            token,
            post(&format!("/api/v1/fonds/{FONDS}/{path}"), &body),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {answer}");
    }
    let execute =
        json!({"destruction_id": id, "executed_by": "luutru.066", "executed_on": "2025-01-12"});
    let (status, problem) = call(
        &w.app,
        ARCHIVIST,
        post(
            &format!("/api/v1/fonds/{FONDS}/destructions/execute"),
            &execute,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "file_on_hold");
    assert!(w.blobs.size(&digest).await.expect("size").is_some());
}

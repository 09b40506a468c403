// Over 500 lines: one signed handover checked in its events, HTML and PDF, sharing the scenario.
//! Minutes that name people and organs (issue 21, item 5), through the HTTP API: the events that
//! sign a handover record who signed by name, title and organ, from an API token or a JWT; the
//! Biên bản (HTML and PDF) prints the organs, the people's names and titles, never a custodian
//! id or an account where a name is known, and the files declared, listed, received, missing
//! and damaged, each on its own line.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use bangiao_app::handler::CommandMeta;
use bangiao_auth::jwt::testing::Issuer;
use bangiao_auth::jwt::{JwtVerifier, OidcConfig};
use bangiao_auth::{Person, Principal, Role};
use bangiao_domain::fonds::FondsCommand;
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store, router, run_projections};
use bangiao_store::{ActorRef, EventStore, SqliteStore};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tower::ServiceExt;

const ISSUER: &str = "https://sso.thainguyen.gov.vn";
/// Bằng Thành commune's fonds, held by its People's Committee, handed to Nghiên Loan.
const FONDS: &str = "06602-UB";
const CREATOR: &str = "Ủy ban nhân dân xã Bằng Thành";
/// Nhạn Môn commune's fonds, whose chair signs with a JWT from the province's identity provider.
const JWT_FONDS: &str = "06603-UB";
/// The chair of Bằng Thành, who signs for the giving side.
const GIVER: &str = "bg_minutes-test-chair-of-06602-000000000000000";
/// The clerk of Nghiên Loan's archive, who receives.
const RECEIVER: &str = "bg_minutes-test-clerk-of-066N1-00000000000000";
const RECEIVING: &str = "UBND-066N1";
/// What the minutes must not print once the names are known: custodian ids and accounts.
const NOT_PRINTED: [&str; 4] = ["UBND-06602", RECEIVING, "chutich.06602", "vanthu.066n1"];

struct World {
    _dir: tempfile::TempDir,
    app: axum::Router,
    store: Store,
    read: ReadModel,
    issuer: Issuer,
}

fn code(fonds: &str, n: u32) -> String {
    let organ = if fonds == FONDS {
        "000.00.08.X66"
    } else {
        "000.00.09.X66"
    };
    format!("{organ}.2010.{n:02}")
}

fn command<T: DeserializeOwned + Into<FondsCommand>>(body: Value) -> FondsCommand {
    serde_json::from_value::<T>(body)
        .expect("valid command")
        .into()
}

async fn issue(store: &Store, secret: &str, who: Principal) {
    bangiao_server::auth::issue_token(store, secret, &who, 1, "test")
        .await
        .expect("token");
}

/// Two closed commune fonds of four files each, the people's tokens, and the projections following
/// the log as in `bangiao serve`.
async fn world() -> World {
    use bangiao_domain::fonds::{CloseFonds, OpenFonds, RecordFile};
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    issue(
        &store,
        GIVER,
        Principal {
            user_id: "chutich.06602".into(),
            role: Role::Clerk,
            scope: Some("06602".into()),
            person: Person::new(
                Some("Nông Văn Páo"),
                Some("Chủ tịch Ủy ban nhân dân xã"),
                None,
            ),
        },
    )
    .await;
    issue(
        &store,
        RECEIVER,
        Principal {
            user_id: "vanthu.066n1".into(),
            role: Role::Archivist,
            scope: Some(RECEIVING.into()),
            person: Person::new(
                Some("Hoàng Thị Hoa"),
                Some("Công chức Văn phòng - Thống kê"),
                Some("Ủy ban nhân dân xã Nghiên Loan"),
            ),
        },
    )
    .await;
    let issuer = Issuer::new("tn-2026", 42);
    let jwt = JwtVerifier::new(OidcConfig::new(ISSUER, "bangiao"), &issuer.jwks()).expect("keys");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read.clone(), HttpConfig::default()).with_jwt(jwt);
    for (fonds, creator, unit) in [
        (FONDS, CREATOR, "06602"),
        (JWT_FONDS, "Ủy ban nhân dân xã Nhạn Môn", "06603"),
    ] {
        let code_of = bangiao_domain::values::FondsCode::parse(fonds).expect("code");
        let organ = code(fonds, 1)[..13].to_owned();
        let mut commands = vec![command::<OpenFonds>(json!({
            "fonds_code": fonds, "name": format!("Phông {creator}"), "kind": "state",
            "creator_organ_id": organ, "creator_name": creator,
            "unit_code": unit, "custodian": format!("UBND-{unit}"), "opened_on": "2003-07-01"
        }))];
        for n in 1..=4 {
            commands.push(command::<RecordFile>(json!({
                "file_code": code(fonds, n), "title": format!("Hồ sơ xây dựng trường học số {n}"),
                "start_date": "2010-01-05", "end_date": "2010-12-20", "retention": {"code": "01"},
                "access": "01", "carrier": "paper", "box_number": "1", "sheets": 10,
                "language": "Tiếng Việt"
            })));
        }
        commands.push(command::<CloseFonds>(json!({
            "closed_on": "2025-06-30",
            "closing_act": {"number": "45/QĐ-UBND", "issued_on": "2025-06-27", "issuer": creator}
        })));
        for c in commands {
            state
                .service
                .fonds_command(&code_of, c, &CommandMeta::new(uuid::Uuid::now_v7()))
                .await
                .expect("accepted");
        }
    }
    tokio::spawn(run_projections(state.clone()));
    read.wait_for(store.head_position(), Duration::from_secs(30))
        .await;
    World {
        _dir: dir,
        app: router(state),
        store,
        read,
        issuer,
    }
}

/// Status and body of a request with a bearer token and an optional JSON body.
async fn call(
    app: &axum::Router,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, bytes.to_vec())
}

/// POSTs a command, which must be accepted; waits for the read models to follow.
async fn post(w: &World, path: &str, token: &str, body: Value) {
    let (status, answer) = call(&w.app, Method::POST, path, token, Some(body)).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "POST {path}: {}",
        String::from_utf8_lossy(&answer)
    );
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
}

fn basis() -> Value {
    json!({"number": "414/BNV-VTLTNN", "issued_on": "2025-03-19", "issuer": "Bộ Nội vụ"})
}

/// Drafts the minutes of `fonds` (its four files) from `giving_person` of
/// `UBND-{unit}` to `vanthu.066n1` of Nghiên Loan.
async fn draft(w: &World, fonds: &str, token: &str, giving_person: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let unit = fonds.trim_end_matches("-UB");
    post(
        w,
        &format!("/api/v1/fonds/{fonds}/handovers"),
        token,
        json!({
            "handover_id": id, "giving_custodian": format!("UBND-{unit}"),
            "receiving_custodian": RECEIVING, "giving_person": giving_person,
            "receiving_person": "vanthu.066n1", "legal_basis": basis(),
            "file_codes": (1..=4).map(|n| code(fonds, n)).collect::<Vec<_>>(),
            "declared_files": 4, "declared_extent": {"boxes": 1, "sheets": 40, "linear_mm": 125},
            "drafted_on": "2025-07-08"
        }),
    )
    .await;
    id
}

/// The actor recorded on the event of type `event_type` of a fonds' stream.
async fn actor_of(w: &World, fonds: &str, event_type: &str) -> ActorRef {
    let events = w
        .store
        .read_stream(&format!("fonds-{fonds}"), 0, 1_000)
        .await
        .expect("stream");
    let event = events
        .iter()
        .rev()
        .find(|e| e.event_type == event_type)
        .unwrap_or_else(|| panic!("{event_type} in fonds-{fonds}"));
    event.metadata().expect("metadata").actor.expect("an actor")
}

/// The giving side signs and the receiving side receives with one file missing and one damaged.
async fn sign_and_receive(w: &World, id: &str) {
    post(
        w,
        &format!("/api/v1/fonds/{FONDS}/handovers/sign"),
        GIVER,
        json!({"handover_id": id, "signed_by": "chutich.06602", "signed_on": "2025-07-09"}),
    )
    .await;
    post(
        w,
        &format!("/api/v1/fonds/{FONDS}/handovers/receive"),
        RECEIVER,
        json!({"handover_id": id, "received_by": "vanthu.066n1", "received_on": "2025-07-11",
        "discrepancies": [
            {"kind": "missing", "file_code": code(FONDS, 2)},
            {"kind": "damaged", "file_code": code(FONDS, 3), "description": "Ẩm mốc, rách bìa"}
        ]}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_events_that_sign_the_minutes_record_who_signed_by_name_and_title() {
    let w = world().await;
    let id = draft(&w, FONDS, GIVER, "chutich.06602").await;
    sign_and_receive(&w, &id).await;
    let signed = actor_of(&w, FONDS, "HandoverSigned").await;
    assert_eq!(
        (
            signed.user_id.as_str(),
            signed.name.as_deref(),
            signed.title.as_deref(),
            signed.organ.as_deref()
        ),
        (
            "chutich.06602",
            Some("Nông Văn Páo"),
            Some("Chủ tịch Ủy ban nhân dân xã"),
            None
        )
    );
    let received = actor_of(&w, FONDS, "HandoverReceived").await;
    assert_eq!(
        (
            received.user_id.as_str(),
            received.name.as_deref(),
            received.title.as_deref(),
            received.organ.as_deref()
        ),
        (
            "vanthu.066n1",
            Some("Hoàng Thị Hoa"),
            Some("Công chức Văn phòng - Thống kê"),
            Some("Ủy ban nhân dân xã Nghiên Loan")
        )
    );
}

/// A JWT of the province's identity provider for Nhạn Môn's chair, with name and title claims.
fn chair_jwt(w: &World) -> String {
    w.issuer.sign(&json!({
        "iss": ISSUER, "aud": "bangiao", "sub": "chutich.06603",
        "exp": chrono::Utc::now().timestamp() + 600,
        "bangiao_role": "clerk", "bangiao_scope": "06603",
        "name": "Ma Văn Chẩn", "bangiao_title": "Phó Chủ tịch Ủy ban nhân dân xã",
        "bangiao_organ": "Ủy ban nhân dân xã Nhạn Môn"
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwt_with_name_and_title_claims_is_recorded_as_the_signer() {
    let w = world().await;
    let jwt = chair_jwt(&w);
    let id = draft(&w, JWT_FONDS, &jwt, "chutich.06603").await;
    post(
        &w,
        &format!("/api/v1/fonds/{JWT_FONDS}/handovers/sign"),
        &jwt,
        json!({"handover_id": id, "signed_by": "chutich.06603", "signed_on": "2025-07-09"}),
    )
    .await;
    let signed = actor_of(&w, JWT_FONDS, "HandoverSigned").await;
    assert_eq!(
        (
            signed.user_id.as_str(),
            signed.name.as_deref(),
            signed.title.as_deref(),
            signed.organ.as_deref()
        ),
        (
            "chutich.06603",
            Some("Ma Văn Chẩn"),
            Some("Phó Chủ tịch Ủy ban nhân dân xã"),
            Some("Ủy ban nhân dân xã Nhạn Môn")
        )
    );
    let handover = get_json(&w, &format!("/api/v1/handovers/{id}"), &jwt).await;
    assert_eq!(
        (
            &handover["giving_signer"]["name"],
            &handover["giving_signer"]["title"]
        ),
        (
            &json!("Ma Văn Chẩn"),
            &json!("Phó Chủ tịch Ủy ban nhân dân xã")
        ),
        "{handover}"
    );
}

/// A GET answered 200, as JSON.
async fn get_json(w: &World, path: &str, token: &str) -> Value {
    let (status, body) = call(&w.app, Method::GET, path, token, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "GET {path}: {}",
        String::from_utf8_lossy(&body)
    );
    serde_json::from_slice(&body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handover_keeps_its_signers_as_they_were_named_when_they_signed() {
    let w = world().await;
    let id = draft(&w, FONDS, GIVER, "chutich.06602").await;
    let record = format!("/api/v1/handovers/{id}");
    let drafted = get_json(&w, &record, GIVER).await;
    assert_eq!(
        (&drafted["giving_signer"], &drafted["receiving_signer"]),
        (&Value::Null, &Value::Null),
        "nobody has signed yet: {drafted}"
    );
    sign_and_receive(&w, &id).await;
    // Later the chair gets a new token with another title: the minutes keep the old one.
    issue(
        &w.store,
        "bg_minutes-test-chair-of-06602-later-0000000000",
        Principal {
            user_id: "chutich.06602".into(),
            role: Role::Clerk,
            scope: Some("06602".into()),
            person: Person::new(Some("Nông Văn Páo"), Some("Nguyên Chủ tịch"), None),
        },
    )
    .await;
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let handover = get_json(&w, &record, GIVER).await;
    assert_eq!(
        handover["giving_signer"],
        json!({"user_id": "chutich.06602", "name": "Nông Văn Páo", "title": "Chủ tịch Ủy ban nhân dân xã"}),
        "{handover}"
    );
    assert_eq!(
        handover["receiving_signer"],
        json!({"user_id": "vanthu.066n1", "name": "Hoàng Thị Hoa",
            "title": "Công chức Văn phòng - Thống kê", "organ": "Ủy ban nhân dân xã Nghiên Loan"}),
        "{handover}"
    );
}

/// A GET answered 200, as bytes, with an `Accept` header.
async fn get_bytes(w: &World, path: &str, token: &str, accept: &str) -> Vec<u8> {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .expect("request");
    let response = w.app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    assert_eq!(
        status,
        StatusCode::OK,
        "GET {path}: {}",
        String::from_utf8_lossy(&body)
    );
    body
}

/// The text of a PDF by `pdftotext`; none (with "skipped: pdftotext not found" printed) when
/// the tool is absent.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("bien-ban.pdf");
    std::fs::write(&file, pdf).expect("write");
    match std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            println!("skipped: pdftotext not found");
            None
        }
    }
}

/// Asserts that the minutes' text holds every expected line and no custodian id or account.
fn assert_names_and_counts(format: &str, text: &str, expected: &[&str]) {
    for line in expected {
        assert!(
            text.contains(line),
            "{format}: {line:?} missing from:\n{text}"
        );
    }
    for unwanted in NOT_PRINTED {
        assert!(
            !text.contains(unwanted),
            "{format}: {unwanted} printed where a name is known:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_minutes_name_the_organs_and_the_people_and_count_each_on_its_line() {
    let w = world().await;
    let id = draft(&w, FONDS, GIVER, "chutich.06602").await;
    let record = format!("/api/v1/handovers/{id}");
    // Before anyone signs, the people the draft names are named as their tokens name them.
    let page = get_bytes(&w, &record, GIVER, "text/html").await;
    let page = String::from_utf8(page).expect("utf-8");
    assert_names_and_counts(
        "drafted HTML",
        &page,
        &[
            &format!("BÊN GIAO: {CREATOR}"),
            "Ông (bà): Nông Văn Páo — Chức vụ: Chủ tịch Ủy ban nhân dân xã",
            "BÊN NHẬN: Ủy ban nhân dân xã Nghiên Loan",
            "Ông (bà): Hoàng Thị Hoa — Chức vụ: Công chức Văn phòng - Thống kê",
            "- Số hồ sơ khai trong biên bản: 4 hồ sơ (bốn hồ sơ);",
            "- Số hồ sơ bên nhận đã nhận: chưa kiểm nhận;",
        ],
    );

    sign_and_receive(&w, &id).await;
    let expected = [
        CREATOR,
        "Nông Văn Páo",
        "Chủ tịch Ủy ban nhân dân xã",
        "Ủy ban nhân dân xã Nghiên Loan",
        "Hoàng Thị Hoa",
        "Công chức Văn phòng - Thống kê",
        "- Số hồ sơ khai trong biên bản: 4 hồ sơ (bốn hồ sơ);",
        "- Số hồ sơ theo Mục lục kèm theo: 4 hồ sơ (bốn hồ sơ);",
        "- Số hồ sơ bên nhận đã nhận: 3 hồ sơ (ba hồ sơ);",
        "- Số hồ sơ thiếu, không giao được (thất lạc): 1 hồ sơ (một hồ sơ);",
        "- Số hồ sơ hư hỏng: 1 hồ sơ (một hồ sơ).",
    ];
    let page = get_bytes(&w, &record, GIVER, "text/html").await;
    let page = String::from_utf8(page).expect("utf-8");
    assert_names_and_counts("HTML", &page, &expected);
    assert!(
        page.contains(&format!("<p class=\"upper\">{CREATOR}</p>")),
        "the header names the giving organ"
    );
    for line in &expected[6..] {
        assert!(
            page.contains(&format!("<p class=\"indent\">{line}</p>")),
            "{line:?} on its own line"
        );
    }

    let pdf = get_bytes(&w, &format!("{record}?format=pdf"), GIVER, "*/*").await;
    if let Some(text) = pdftotext(&pdf) {
        assert_names_and_counts("PDF", &text, &expected);
        // The header's narrow column wraps the organ's name over two lines.
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains(&format!("{} BÊN GIAO", CREATOR.to_uppercase())),
            "the PDF header names the giving organ:\n{text}"
        );
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for line in &expected[6..] {
            assert!(lines.contains(line), "{line:?} on its own line in:\n{text}");
        }
    }
}

// Over 500 lines: the permission matrix and the token cases share one scenario and helpers.
//! Authentication and authorisation through HTTP, on the demo scenario:
//! * every endpoint of the permission matrix in docs/security.md is called by a token of each
//!   column (role × in/out of scope) and answers as the matrix says (deny = 403, allow = neither
//!   401 nor 403, public = answered without a token);
//! * an expired JWT, a JWT with a wrong signature, a JWT of another issuer, an expired and a
//!   revoked API token are each refused with 401 and leave the log untouched;
//! * a clerk of one commune cannot read the restricted titles of another commune's fonds in the
//!   list, the search, the CSV, the EAD3, the handover record or the bag; counts stay equal;
//! * a person cannot approve the destruction list they proposed, even holding both roles.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use bangiao_auth::jwt::testing::Issuer;
use bangiao_auth::jwt::{JwtVerifier, OidcConfig};
use bangiao_auth::token::{TokenEvent, TokenRevoked};
use bangiao_auth::{Principal, Role};
use bangiao_domain::DomainEvent;
use bangiao_projections::ReadModel;
use bangiao_projections::query::inventory::REDACTED_TITLE;
use bangiao_server::{AppState, HttpConfig, Store, router, run_projections};
use bangiao_store::SqliteStore;
use bangiao_store::{AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The fonds the matrix acts on: the dissolved district's People's Committee (unit 066), in
/// transfer to the provincial archive LTLS-19.
const FONDS: &str = "066-UB";
const ISSUER: &str = "https://sso.thainguyen.gov.vn";

/// The columns of the matrix: name, role, scope, and the secret of the column's API token.
const COLUMNS: [(&str, Role, Option<&str>); 8] = [
    ("clerk in", Role::Clerk, Some("066")),
    ("clerk out", Role::Clerk, Some("066N1")),
    ("archivist in", Role::Archivist, Some("LTLS-19")),
    ("archivist out", Role::Archivist, Some("LTLS-99")),
    ("approver in", Role::Approver, Some("19")),
    ("approver out", Role::Approver, Some("066N2")),
    ("inspector", Role::Inspector, None),
    ("administrator", Role::Administrator, None),
];

fn secret(column: &str) -> String {
    format!(
        "bg_security-http-{}-0000000000000000",
        column.replace(' ', "-")
    )
}

struct World {
    _dir: tempfile::TempDir,
    app: axum::Router,
    store: Store,
    read: ReadModel,
    issuer: Issuer,
}

async fn issue(
    store: &Store,
    secret: &str,
    user: &str,
    role: Role,
    scope: Option<&str>,
    days: i64,
) -> uuid::Uuid {
    let who = Principal {
        user_id: user.into(),
        role,
        scope: scope.map(str::to_owned),
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(store, secret, &who, days, "test")
        .await
        .expect("token")
}

/// The demo scenario behind the router, with a token per matrix column, a JWT issuer, and the
/// projections following the log as in `bangiao serve`.
async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    for (column, role, scope) in COLUMNS {
        issue(
            &store,
            &secret(column),
            &column.replace(' ', "."),
            role,
            scope,
            1,
        )
        .await;
    }
    let issuer = Issuer::new("tn-2026", 42);
    let jwt = JwtVerifier::new(
        OidcConfig {
            issuer: ISSUER.into(),
            audience: "bangiao".into(),
            role_claim: "bangiao_role".into(),
            scope_claim: "bangiao_scope".into(),
            name_claim: "name".into(),
            title_claim: "bangiao_title".into(),
            organ_claim: "bangiao_organ".into(),
            leeway_seconds: 60,
        },
        &issuer.jwks(),
    )
    .expect("keys");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read.clone(), HttpConfig::default()).with_jwt(jwt);
    bangiao_app::demo::load_demo(&state.service, &mut |_| {})
        .await
        .expect("demo");
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

/// Status and body of a request, with an optional bearer token and JSON body.
async fn call(
    app: &axum::Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    // The event feed (Server-Sent Events) never ends: its status is the answer.
    let streaming = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if streaming {
        return (status, Vec::new());
    }
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, bytes.to_vec())
}

fn json_of(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|_| {
        panic!("not JSON: {}", String::from_utf8_lossy(body));
    })
}

/// docs/security.md's matrix: endpoint → the eight cells.
fn documented() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/security.md"
    ))
    .expect("docs/security.md");
    text.lines()
        .filter(|l| l.starts_with("| `GET ") || l.starts_with("| `POST "))
        .map(|line| {
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .collect();
            (cells[0].clone(), cells[1..].to_vec())
        })
        .collect()
}

/// Any file code of a fonds, an open (01) file of it, and any handover id.
fn sample_ids(read: &ReadModel) -> (String, String, String) {
    read.readers()
        .with_blocking(|c| {
            let file: String = c.query_row(
                "SELECT file_code FROM files WHERE fonds_code = ?1 ORDER BY seq LIMIT 1",
                [FONDS],
                |r| r.get(0),
            )?;
            let open: String = c.query_row(
                "SELECT file_code FROM files WHERE fonds_code = ?1 AND access = '01' ORDER BY seq LIMIT 1",
                [FONDS],
                |r| r.get(0),
            )?;
            let handover: String =
                c.query_row("SELECT handover_id FROM handovers LIMIT 1", [], |r| {
                    r.get(0)
                })?;
            Ok::<_, bangiao_projections::ProjectionError>((file, open, handover))
        })
        .expect("ids")
}

#[tokio::test]
async fn every_endpoint_answers_each_role_as_the_documented_matrix_says() {
    let w = world().await;
    let (file, open_file, handover) = sample_ids(&w.read);
    let matrix = documented();
    assert!(matrix.len() > 40, "the matrix was read: {}", matrix.len());
    let mut opened = 0;
    let mut checked = 0;
    for (endpoint, cells) in &matrix {
        let (method, route) = endpoint.split_once(' ').expect("METHOD path");
        let method: Method = method.parse().expect("method");
        // A file's copies are refused to a reader not cleared for a restricted file, whatever
        // the route allows (tests/copies.rs): the matrix is asked of an open file's.
        let file = if route.contains("/copies") {
            &open_file
        } else {
            &file
        };
        let path = route
            .replace("/fonds/{code}", &format!("/fonds/{FONDS}"))
            .replace("/units/{code}", "/units/066")
            .replace("/files/{code}", &format!("/files/{file}"))
            .replace("{id}", &handover);
        for (cell, (column, _, _)) in cells.iter().zip(COLUMNS) {
            // Opening a fonds is judged on the unit its body names: 066, in scope of "clerk in".
            let body = match (&method, route) {
                (&Method::POST, "/api/v1/fonds") => {
                    opened += 1;
                    Some(
                        json!({"fonds_code": format!("066-T{opened:02}"), "name": "Phông thử",
                        "kind": "state", "creator_organ_id": "000.00.66.H06", "creator_name": "UBND",
                        "unit_code": "066", "custodian": "UBND-066", "opened_on": "2003-07-01"}),
                    )
                }
                (&Method::POST, _) => Some(json!({})),
                _ => None,
            };
            let token = (cell != "public").then(|| secret(column));
            let (status, body) = call(&w.app, method.clone(), &path, token.as_deref(), body).await;
            let what = format!(
                "{endpoint} as {column}: {status} {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
            match cell.as_str() {
                "deny" => {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
                    let problem = json_of(&body);
                    assert!(problem["code"].is_string(), "{what}");
                }
                "allow" | "public" => assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{what}"
                ),
                other => panic!("{endpoint}: unknown cell {other:?}"),
            }
            checked += 1;
        }
    }
    println!(
        "permission matrix: {} endpoints × 8 columns = {checked} calls, all as documented",
        matrix.len()
    );
    // Refusals are kept in the audit log, which inspectors read.
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let (status, body) = call(
        &w.app,
        Method::GET,
        "/api/v1/audit?limit=1000",
        Some(&secret("inspector")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let audit = String::from_utf8_lossy(&body);
    assert!(
        audit.contains("clerk.out") && audit.contains("POST /api/v1/fonds/{code}/close"),
        "{audit}"
    );
}

/// Appends the revocation of token `id`.
async fn revoke(store: &Store, id: uuid::Uuid) {
    let revoke = TokenEvent::TokenRevoked(TokenRevoked {
        token_id: id,
        revoked_by: "test".into(),
    });
    store
        .append(AppendRequest {
            stream: format!("token-{id}"),
            expected: ExpectedState::StreamExists,
            command_id: None,
            events: vec![NewEvent::new(
                uuid::Uuid::now_v7(),
                revoke.event_type(),
                revoke.schema_version(),
                revoke.to_payload(),
                &EventMetadata::recorded_now(),
            )],
        })
        .await
        .expect("revoked");
}

#[tokio::test]
async fn a_token_in_use_stops_working_once_its_revocation_is_projected() {
    let w = world().await;
    let secret = "bg_security-http-in-use-000000000000000000";
    let id = issue(&w.store, secret, "vanthu.dang", Role::Inspector, None, 30).await;
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    for _ in 0..3 {
        // Used several times first, so the service has it in memory.
        let (status, _) = call(&w.app, Method::GET, "/api/v1/units", Some(secret), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    revoke(&w.store, id).await;
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let (status, body) = call(&w.app, Method::GET, "/api/v1/units", Some(secret), None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(json_of(&body)["code"], "invalid_token");
}

#[tokio::test]
async fn bad_credentials_get_401_and_change_nothing() {
    let w = world().await;
    let expired_api = "bg_security-http-expired-000000000000000000";
    issue(
        &w.store,
        expired_api,
        "quantri.cu",
        Role::Administrator,
        None,
        -1,
    )
    .await;
    let revoked_api = "bg_security-http-revoked-000000000000000000";
    let id = issue(
        &w.store,
        revoked_api,
        "quantri.thoi",
        Role::Administrator,
        None,
        30,
    )
    .await;
    revoke(&w.store, id).await;
    let now = chrono::Utc::now().timestamp();
    let claims = |iss: &str, exp: i64| {
        json!({"iss": iss, "aud": "bangiao", "sub": "quantri.sso", "exp": exp,
            "bangiao_role": "administrator"})
    };
    let good_jwt = w.issuer.sign(&claims(ISSUER, now + 600));
    let cases = [
        ("expired JWT", w.issuer.sign(&claims(ISSUER, now - 3600))),
        (
            "JWT with a wrong signature",
            Issuer::new("tn-2026", 43).sign(&claims(ISSUER, now + 600)),
        ),
        (
            "JWT of another issuer",
            w.issuer
                .sign(&claims("https://sso.other.gov.vn", now + 600)),
        ),
        ("expired API token", expired_api.to_owned()),
        ("revoked API token", revoked_api.to_owned()),
        (
            "unknown API token",
            "bg_never-issued-0000000000000000000000".to_owned(),
        ),
    ];
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let unit = json!({"code": "06699", "details": {"name": "Xã Thử", "level": "commune",
        "unit_type": "commune", "parent": "19"}, "valid_from": "2025-07-01",
        "legal_basis": {"number": "1/NQ-UBTVQH15", "issued_on": "2025-06-16", "issuer": "UBTVQH"}});
    for (what, token) in &cases {
        let head = w.store.head_position();
        let (status, body) = call(
            &w.app,
            Method::POST,
            "/api/v1/units",
            Some(token),
            Some(unit.clone()),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{what}: {}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(json_of(&body)["code"], "invalid_token", "{what}");
        let (status, _) = call(&w.app, Method::GET, "/api/v1/units", Some(token), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: reading");
        assert_eq!(
            w.store.head_position(),
            head,
            "{what}: the log is unchanged"
        );
    }
    let (status, _) = call(
        &w.app,
        Method::GET,
        "/api/v1/units/06699",
        Some(&good_jwt),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no unit was registered by a refused token"
    );
    // The same request with a valid JWT goes through: the refusals were about the credentials.
    let (status, body) = call(
        &w.app,
        Method::POST,
        "/api/v1/units",
        Some(&good_jwt),
        Some(unit),
    )
    .await;
    assert!(
        status.is_success(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    let (status, _) = call(&w.app, Method::POST, "/api/v1/units", None, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no anonymous writes");
}

/// Restricted titles of fonds 06605-UB (leaving out titles that some open file also bears).
fn restricted_titles(read: &ReadModel) -> Vec<String> {
    read.readers()
        .with_blocking(|c| {
            let mut statement = c.prepare(
                "SELECT title FROM files r WHERE fonds_code = '06605-UB' AND access <> '01'
                 AND NOT EXISTS (SELECT 1 FROM files o WHERE o.title = r.title AND o.access = '01')",
            )?;
            let titles = statement
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok::<_, bangiao_projections::ProjectionError>(titles)
        })
        .expect("titles")
}

#[tokio::test]
async fn a_clerk_of_one_commune_never_sees_restricted_titles_of_another() {
    let w = world().await;
    let clerk = "bg_security-http-clerk-066N1-00000000000000000";
    issue(
        &w.store,
        clerk,
        "vanthu.066n1",
        Role::Clerk,
        Some("066N1"),
        1,
    )
    .await;
    let own = "bg_security-http-clerk-066N2-00000000000000000";
    issue(&w.store, own, "vanthu.066n2", Role::Clerk, Some("066N2"), 1).await;
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let titles = restricted_titles(&w.read);
    assert!(titles.len() >= 10, "the demo fonds has restricted files");
    let handover: String = w
        .read
        .readers()
        .with_blocking(|c| {
            Ok::<_, bangiao_projections::ProjectionError>(c.query_row(
                "SELECT handover_id FROM handovers WHERE fonds_code = '06605-UB'",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("a handover of 06605-UB");
    let word = titles[0]
        .split_whitespace()
        .max_by_key(|w| w.chars().count())
        .expect("a word")
        .to_lowercase();
    let paths = [
        "/api/v1/fonds/06605-UB/files?limit=1000".to_owned(),
        format!(
            "/api/v1/fonds/06605-UB/files?limit=1000&q={}",
            urlencode(&word)
        ),
        "/api/v1/fonds/06605-UB/inventory?limit=1000".to_owned(),
        "/api/v1/fonds/06605-UB/inventory?format=csv".to_owned(),
        "/api/v1/fonds/06605-UB/inventory?format=ead3".to_owned(),
        "/api/v1/fonds/06605-UB/inventory?format=html".to_owned(),
        "/api/v1/units/066N2/inventory?format=csv".to_owned(),
        format!("/api/v1/handovers/{handover}?format=html"),
    ];
    for path in &paths {
        let (status, mine) = call(&w.app, Method::GET, path, Some(clerk), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let text = String::from_utf8_lossy(&mine);
        for title in &titles {
            assert!(!text.contains(title.as_str()), "{path} leaks {title:?}");
        }
        // The clerk of the commune that inherited the fonds sees every title.
        let (_, theirs) = call(&w.app, Method::GET, path, Some(own), None).await;
        let full = String::from_utf8_lossy(&theirs);
        if !path.contains("q=") {
            assert!(
                titles.iter().any(|t| full.contains(t.as_str())),
                "{path}: the cleared clerk sees the titles"
            );
            assert!(
                text.contains(REDACTED_TITLE),
                "{path}: the rows stay, redacted"
            );
        }
        if path.ends_with("format=csv") {
            assert_eq!(
                text.lines().count(),
                full.lines().count(),
                "{path}: every row stays"
            );
        }
        if path.contains("inventory?limit") {
            assert_eq!(
                json_of(&mine)["totals"],
                json_of(&theirs)["totals"],
                "{path}: totals"
            );
        }
    }
    let (status, _) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/handovers/{handover}?format=bag"),
        Some(clerk),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the bag holds the titles whole"
    );
    let (status, _) = call(
        &w.app,
        Method::GET,
        &format!("/api/v1/handovers/{handover}?format=bag"),
        Some(own),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the cleared clerk gets the bag");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_proposer_cannot_approve_their_own_destruction_list() {
    let w = world().await;
    // One person holding two tokens: archivist of the finance office's records, and approver
    // for the district.
    let proposer = "bg_security-http-proposer-0000000000000000000";
    issue(
        &w.store,
        proposer,
        "nguyen.van.a",
        Role::Archivist,
        Some("PTCKH-066"),
        1,
    )
    .await;
    let same_person = "bg_security-http-same-approver-000000000000000";
    issue(
        &w.store,
        same_person,
        "nguyen.van.a",
        Role::Approver,
        Some("066"),
        1,
    )
    .await;
    let other = "bg_security-http-other-approver-00000000000000";
    issue(
        &w.store,
        other,
        "tran.thi.b",
        Role::Approver,
        Some("066"),
        1,
    )
    .await;
    w.read
        .wait_for(w.store.head_position(), Duration::from_secs(10))
        .await;
    let destruction = uuid::Uuid::now_v7();
    let (status, body) = call(
        &w.app,
        Method::POST,
        "/api/v1/fonds/066-D03/destructions",
        Some(proposer),
        Some(json!({"destruction_id": destruction,
            "file_codes": ["000.03.66.H06.2004.06", "000.03.66.H06.2004.08"],
            "council_decision": {"number": "20/BB-HĐXĐGTTL", "issued_on": "2026-10-01",
                "issuer": "Hội đồng xác định giá trị tài liệu"},
            "proposed_by": "nguyen.van.a", "proposed_on": "2026-10-02"})),
    )
    .await;
    assert!(
        status.is_success(),
        "proposed: {status} {}",
        String::from_utf8_lossy(&body)
    );
    let approve = |by: &str| json!({"destruction_id": destruction, "approved_by": by, "approved_on": "2026-10-05"});
    let path = "/api/v1/fonds/066-D03/destructions/approve";
    let (status, body) = call(
        &w.app,
        Method::POST,
        path,
        Some(same_person),
        Some(approve("nguyen.van.a")),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let problem = json_of(&body);
    assert_ne!(problem["code"], "invalid_token");
    println!("own approval refused: {status} {}", problem["code"]);
    let (status, body) = call(
        &w.app,
        Method::POST,
        path,
        Some(same_person),
        Some(approve("tran.thi.b")),
    )
    .await;
    assert_eq!(
        (status, json_of(&body)["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("acting_as_another"))
    );
    let (status, body) = call(
        &w.app,
        Method::POST,
        path,
        Some(other),
        Some(approve("tran.thi.b")),
    )
    .await;
    assert!(
        status.is_success(),
        "another approver may: {status} {}",
        String::from_utf8_lossy(&body)
    );
}

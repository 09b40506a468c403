//! The public verification page of printed minutes (`/xac-minh/{id}`, issue 18 item 4) and its
//! JSON twin (`/api/v1/verifications/{id}`), through the router over the demo: the QR code of
//! minutes printed by the service answers "genuine" with the right facts and no title; a
//! forged or unknown id answers "not genuine" in Vietnamese and English; a signed checkpoint is
//! cited when it covers the position; too many requests get 429 with Retry-After.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_app::Service;
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_server::reads::verification::CheckpointSource;
use bangiao_server::{AppState, HttpConfig, Store};
use bangiao_store::MemoryStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const INSPECTOR: &str = "bg_verify-test-inspector-00000000000000000000000";

/// The demo behind the API and the pages, with an inspector's token; `adjust` tunes the state.
async fn app(adjust: impl FnOnce(AppState) -> AppState) -> (tempfile::TempDir, AppState, Router) {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store = Arc::new(MemoryStore::new());
    bangiao_app::demo::load_demo(&Service::new(store.clone()), &mut |_| {})
        .await
        .expect("demo");
    let who = Principal {
        user_id: "thanhtra".into(),
        role: Role::Inspector,
        scope: None,
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(&store, INSPECTOR, &who, 1, "test")
        .await
        .expect("token");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = adjust(AppState::new(store, read, HttpConfig::default()));
    state.read.catch_up(&state.store).await.expect("projected");
    let options = bangiao_web::PagesOptions {
        data_dir: dir.path().to_owned(),
        oidc: None,
    };
    let pages = bangiao_web::pages(state.clone(), options).expect("templates");
    let router = bangiao_server::router(state.clone()).merge(pages);
    (dir, state, router)
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("json")
    }
}

async fn get(app: &Router, uri: &str, token: Option<&str>, accept: Option<&str>) -> Answer {
    let mut request = Request::get(uri).header(header::HOST, "bangiao.example");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answered");
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        retry_after,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A signed handover of the demo and the verification path its printed minutes' QR code holds,
/// read from the minutes as the service prints them (HTML).
async fn printed_minutes(app: &Router) -> (Value, String) {
    let list = get(app, "/api/v1/handovers", Some(INSPECTOR), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let handover = list.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|h| h["status"] == "signed" || h["status"] == "received")
        .cloned()
        .expect("a signed handover in the demo");
    let id = handover["handover_id"].as_str().expect("id");
    let minutes = get(
        app,
        &format!("/api/v1/handovers/{id}?format=html"),
        Some(INSPECTOR),
        None,
    )
    .await;
    assert_eq!(minutes.status, StatusCode::OK);
    let at = minutes
        .body
        .find("http://bangiao.example/xac-minh/")
        .expect("the minutes print the verification address");
    let url = &minutes.body[at..];
    let end = url.find('<').expect("end of the address");
    let path = url[..end]
        .trim_start_matches("http://bangiao.example")
        .to_owned();
    (handover, path)
}

const NOT_GENUINE_VI: &str = "KHÔNG XÁC THỰC";
const NOT_GENUINE_EN: &str = "NOT GENUINE";

#[tokio::test]
async fn printed_minutes_verify_as_genuine_with_their_facts_and_no_title() {
    let (_dir, _state, app) = app(|s| s).await;
    let (handover, path) = printed_minutes(&app).await;
    let id = path.trim_start_matches("/xac-minh/");
    let position = handover["event_position"].as_u64().expect("position");
    assert!(
        id.starts_with("bb-") && id.contains(&format!("-{position}-")),
        "{id}"
    );

    // The page, without any account.
    let page = get(&app, &path, None, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("XÁC THỰC: biên bản giao nhận này khớp"));
    assert!(page.body.contains("GENUINE: these handover minutes match"));
    assert!(!page.body.contains(NOT_GENUINE_EN));
    assert!(
        page.body
            .contains(handover["fonds_code"].as_str().expect("fonds"))
    );
    assert!(
        page.body
            .contains(handover["handover_id"].as_str().expect("id"))
    );
    let event_hash = handover["event_hash"].as_str().expect("hash");
    assert!(page.body.contains(event_hash), "the head hash is shown");

    // The same as JSON, by the API path and by Accept on the page's.
    let json = get(&app, &format!("/api/v1/verifications/{id}"), None, None).await;
    assert_eq!(json.status, StatusCode::OK);
    let by_accept = get(&app, &path, None, Some("application/json")).await;
    assert_eq!(by_accept.status, StatusCode::OK);
    assert_eq!(by_accept.json(), json.json());
    let v = json.json();
    assert_eq!(v["genuine"], true);
    let d = &v["document"];
    assert_eq!(d["kind"], "handover_minutes");
    assert_eq!(d["act_id"], handover["handover_id"]);
    assert_eq!(d["fonds_code"], handover["fonds_code"]);
    assert_eq!(d["position"], position);
    assert_eq!(d["head"], event_hash);
    assert_eq!(d["files"], handover["listed"]["files"]);
    assert_eq!(d["status_at_print"], handover["status"]);
    assert_eq!(d["changed_since"], false);
    let signed_on = handover["signed_on"].as_str().expect("signed");
    assert_eq!(d["date"], signed_on);
    for side in ["giving_organ", "receiving_organ"] {
        let organ = d[side].as_str().expect("organ");
        assert!(!organ.is_empty());
        assert!(page.body.contains(organ), "{side} {organ} on the page");
    }
    assert!(d.get("checkpoint").is_none(), "no checkpoint is configured");

    // No title of the fonds' files, restricted or not, appears in either answer.
    let fonds = handover["fonds_code"].as_str().expect("fonds");
    let files = get(
        &app,
        &format!("/api/v1/fonds/{fonds}/files?limit=1000"),
        Some(INSPECTOR),
        None,
    )
    .await;
    let files = files.json();
    let titles: Vec<&str> = files["items"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert!(!titles.is_empty());
    for title in titles {
        assert!(!page.body.contains(title), "title {title:?} on the page");
        assert!(!json.body.contains(title), "title {title:?} in the JSON");
    }
}

#[tokio::test]
async fn forged_or_unknown_ids_are_not_genuine_in_both_languages() {
    let (_dir, _state, app) = app(|s| s).await;
    let (handover, path) = printed_minutes(&app).await;
    let id = path.trim_start_matches("/xac-minh/").to_owned();
    let (rest, prefix) = id.rsplit_once('-').expect("prefix");
    let (head, position) = rest.rsplit_once('-').expect("position");
    let position: u64 = position.parse().expect("number");
    let flipped = {
        let mut chars: Vec<char> = prefix.chars().collect();
        chars[0] = if chars[0] == '0' { '1' } else { '0' };
        chars.into_iter().collect::<String>()
    };
    let other_act = format!("bb-{}", uuid::Uuid::now_v7().simple());
    // Another real event of the log, with its true hash prefix, but not one of this handover.
    let fonds_event = get(&app, "/api/v1/events?limit=1", Some(INSPECTOR), None).await;
    let first = &fonds_event.json()["items"][0];
    let first_prefix = &first["hash"].as_str().expect("hash")[..16];
    let first_position = first["position"].as_u64().expect("position");
    let forged = [
        format!("{head}-{position}-{flipped}"),
        format!("{head}-{}-{prefix}", position + 1),
        format!("{head}-{}-{prefix}", position - 1),
        format!("{head}-{first_position}-{first_prefix}"),
        format!("{other_act}-{position}-{prefix}"),
        format!("{head}-999999999-{prefix}"),
        "bb-not-a-real-id".to_owned(),
    ];
    assert!(handover["handover_id"].is_string());
    for forged in forged {
        let page = get(&app, &format!("/xac-minh/{forged}"), None, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{forged}");
        assert!(page.body.contains(NOT_GENUINE_VI), "{forged}");
        assert!(page.body.contains(NOT_GENUINE_EN), "{forged}");
        assert!(!page.body.contains("XÁC THỰC: biên bản"), "{forged}");
        let json = get(&app, &format!("/api/v1/verifications/{forged}"), None, None).await;
        assert_eq!(json.status, StatusCode::NOT_FOUND, "{forged}");
        let v = json.json();
        assert_eq!(v["genuine"], false, "{forged}");
        assert!(
            v["message_vi"]
                .as_str()
                .expect("vi")
                .starts_with(NOT_GENUINE_VI)
        );
        assert!(
            v["message_en"]
                .as_str()
                .expect("en")
                .starts_with(NOT_GENUINE_EN)
        );
        assert!(v.get("document").is_none());
    }
    // The genuine id still verifies after all that.
    assert_eq!(get(&app, &path, None, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_signed_checkpoint_covering_the_position_is_cited() {
    let checkpoints = tempfile::tempdir().expect("dir");
    let key = bangiao_auth::checkpoint::generate_key().expect("key");
    let other = bangiao_auth::checkpoint::generate_key().expect("key");
    let public = bangiao_auth::checkpoint::encode_public(&key.verifying_key());
    let source = CheckpointSource {
        dir: checkpoints.path().to_owned(),
        public_key: public.clone(),
    };
    let (_dir, state, app) = app(|s| s.with_checkpoints(source)).await;
    let (_, path) = printed_minutes(&app).await;
    let id = path.trim_start_matches("/xac-minh/");
    let uri = format!("/api/v1/verifications/{id}");
    assert!(
        get(&app, &uri, None, None).await.json()["document"]
            .get("checkpoint")
            .is_none()
    );

    // The log's head now, signed by another key: not cited; then by the province's key: cited.
    let head_position = state.store.head_position();
    let head = state.store.read_all(head_position, 1).await.expect("head")[0].hash_hex();
    let now = chrono::Utc::now();
    let write = |name: &str, cp: &bangiao_auth::checkpoint::Checkpoint| {
        std::fs::write(
            checkpoints.path().join(name),
            serde_json::to_string(cp).expect("json"),
        )
        .expect("write")
    };
    let foreign = bangiao_auth::checkpoint::sign(&other, head_position, head_position, &head, now);
    write("foreign.json", &foreign);
    let forged_head =
        bangiao_auth::checkpoint::sign(&key, head_position, head_position, &"00".repeat(32), now);
    write("wrong-head.json", &forged_head);
    assert!(
        get(&app, &uri, None, None).await.json()["document"]
            .get("checkpoint")
            .is_none()
    );
    let signed = bangiao_auth::checkpoint::sign(&key, head_position, head_position, &head, now);
    write("province.json", &signed);
    let v = get(&app, &uri, None, None).await.json();
    let cited = &v["document"]["checkpoint"];
    assert_eq!(cited["position"], head_position);
    assert_eq!(cited["head"], head);
    assert_eq!(cited["public_key"], public);
    let page = get(&app, &path, None, None).await;
    assert!(page.body.contains("Có, đến vị trí"), "{}", page.body);
}

#[tokio::test]
async fn too_many_verifications_from_one_address_get_429_with_retry_after() {
    let (_dir, _state, app) = app(|s| s.with_verification_limit(3, Duration::from_secs(60))).await;
    let (_, path) = printed_minutes(&app).await;
    let id = path.trim_start_matches("/xac-minh/").to_owned();
    assert_eq!(get(&app, &path, None, None).await.status, StatusCode::OK);
    let api = format!("/api/v1/verifications/{id}");
    assert_eq!(get(&app, &api, None, None).await.status, StatusCode::OK);
    // Forged ids count too: guessing is limited the same way.
    // (The last hex digit changed: to 1 when it is 0, else to 0.)
    let last = if id.ends_with('0') { '1' } else { '0' };
    let forged = format!("/xac-minh/{}{last}", &id[..id.len() - 1]);
    assert_eq!(
        get(&app, &forged, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    for uri in [&path, &api] {
        let refused = get(&app, uri, None, None).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{uri}");
        let wait: u64 = refused
            .retry_after
            .as_deref()
            .expect("Retry-After")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&wait));
    }
    let refused = get(&app, &api, None, None).await;
    assert_eq!(refused.json()["code"], "too_many_verifications");
}

/// A fonds' whole list printed by the service (HTML) ends with its verification address: the
/// page answers genuine with the fonds and its file count at the printed position; an earlier
/// position of the same fonds verifies with the count of then and says the fonds moved on; a
/// filtered list carries no address; another fonds or an altered prefix is not genuine.
#[tokio::test]
async fn a_printed_fonds_list_verifies_with_the_files_of_its_position() {
    let (_dir, state, app) = app(|s| s).await;
    let list = get(
        &app,
        "/api/v1/fonds/066-UB/inventory?format=html",
        Some(INSPECTOR),
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    let at = list
        .body
        .find("http://bangiao.example/xac-minh/ml-")
        .expect("the list prints its verification address");
    let url = &list.body[at..];
    let path = url[..url.find('<').expect("end of the address")]
        .trim_start_matches("http://bangiao.example")
        .to_owned();
    let id = path.trim_start_matches("/xac-minh/").to_owned();

    let inventory = get(
        &app,
        "/api/v1/fonds/066-UB/inventory",
        Some(INSPECTOR),
        None,
    )
    .await
    .json();
    let held = inventory["totals"]["files"].as_u64().expect("total files");
    let answer = get(&app, &format!("/api/v1/verifications/{id}"), None, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let d = &answer.json()["document"];
    assert_eq!(d["kind"], "fonds_list");
    assert_eq!(d["fonds_code"], "066-UB");
    assert_eq!(d["files"], held);
    assert_eq!(d["changed_since"], false);
    assert!(d.get("giving_organ").is_none());
    let page = get(&app, &path, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("XÁC THỰC: mục lục hồ sơ phông 066-UB"));
    assert!(page.body.contains(d["fonds_name"].as_str().expect("name")));

    // The same fonds printed before its last event: the count of then, and "moved on".
    let printed_at = d["position"].as_u64().expect("position");
    let earlier =
        bangiao_server::reads::verification::fonds_list_id(&*state.store, printed_at - 1, "066-UB")
            .await
            .expect("store")
            .expect("an earlier event of the fonds");
    let then = get(
        &app,
        &format!("/api/v1/verifications/{earlier}"),
        None,
        None,
    )
    .await;
    assert_eq!(then.status, StatusCode::OK, "{}", then.body);
    let d = &then.json()["document"];
    assert_eq!(d["changed_since"], true);
    assert!(d["position"].as_u64().expect("position") < printed_at);
    assert!(d["files"].as_u64().expect("files") <= held);

    // A filtered list is not the whole list: no address.
    let filtered = get(
        &app,
        "/api/v1/fonds/066-UB/inventory?format=html&retention=01",
        Some(INSPECTOR),
        None,
    )
    .await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(!filtered.body.contains("/xac-minh/"));

    // Another fonds' code, or an altered prefix, with the same position: not genuine.
    let (rest, prefix) = id.rsplit_once('-').expect("prefix");
    let (_, position) = rest.rsplit_once('-').expect("position");
    let other: String = "066N1-UB".bytes().map(|b| format!("{b:02x}")).collect();
    let flipped: String = prefix
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' { '1' } else { '0' }
            } else {
                c
            }
        })
        .collect();
    for forged in [
        format!("ml-{other}-{position}-{prefix}"),
        format!("{rest}-{flipped}"),
    ] {
        let answer = get(&app, &format!("/api/v1/verifications/{forged}"), None, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{forged}");
    }
}

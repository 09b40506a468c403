//! Refusals that protect the record (issue 17): custody is not claimed by writing it, an
//! Idempotency-Key is bound to its request, dates a court would question and text that lies on
//! screen are refused — and a refusal writes nothing to the log.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::Role;
use bangiao_server::{HttpConfig, Store, router};
use bangiao_store::EventStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "bg_record-integrity-clerk-of-066N1-000000000000";
const FONDS: &str = "066N1-UB";

/// A service with one open fonds of commune 066N1, held by UBND-066N1, and its clerk's token.
struct App {
    _dir: tempfile::TempDir,
    store: Store,
    router: axum::Router,
}

async fn app() -> App {
    let (dir, store, state) = support::service(HttpConfig::default());
    support::issue(&store, TOKEN, "vanthu.066n1", Role::Clerk, Some("066N1")).await;
    let open: bangiao_domain::fonds::OpenFonds = serde_json::from_value(json!({
        "fonds_code": FONDS, "name": "Phông UBND xã Bằng Thành", "kind": "state",
        "creator_organ_id": "000.00.07.X66", "creator_name": "Ủy ban nhân dân xã Bằng Thành",
        "unit_code": "066N1", "custodian": "UBND-066N1", "opened_on": "2003-07-01"
    }))
    .expect("valid command");
    let code = open.fonds_code.clone();
    let meta = bangiao_app::handler::CommandMeta::new(uuid::Uuid::now_v7());
    state
        .service
        .fonds_command(&code, open.into(), &meta)
        .await
        .expect("opened");
    state.read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    App {
        _dir: dir,
        store,
        router: router(state),
    }
}

/// A file of the fonds, as a clerk would send it.
fn file(n: u32) -> Value {
    json!({
        "file_code": format!("000.00.07.X66.2010.{n:02}"), "title": format!("Hồ sơ số {n}"),
        "start_date": "2010-01-05", "end_date": "2010-12-20", "retention": {"code": "01"},
        "access": "01", "carrier": "paper", "box_number": "1", "sheets": 10,
        "language": "Tiếng Việt"
    })
}

/// The answer to a request: status, headers, JSON body.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl App {
    async fn post(&self, path: &str, body: &Value, key: Option<&str>) -> Answer {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let request = request.body(Body::from(body.to_string())).expect("request");
        let response = self.router.clone().oneshot(request).await.expect("answer");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    /// The event types recorded in the fonds' stream, in order.
    async fn fonds_events(&self) -> Vec<String> {
        let stream = format!("fonds-{FONDS}");
        self.store
            .read_stream(&stream, 0, 1000)
            .await
            .expect("read")
            .into_iter()
            .map(|e| e.event_type)
            .collect()
    }

    /// Sends `body` and checks it is refused with `code` and that nothing reached the fonds.
    async fn refused(&self, path: &str, body: &Value, status: StatusCode, code: &str) -> Value {
        let before = self.fonds_events().await;
        let answer = self.post(path, body, None).await;
        assert_eq!(answer.status, status, "{}", answer.body);
        assert_eq!(answer.body["code"], code, "{}", answer.body);
        assert_eq!(self.fonds_events().await, before, "a refusal wrote nothing");
        answer.body
    }
}

fn files_path() -> String {
    format!("/api/v1/fonds/{FONDS}/files")
}

#[tokio::test]
async fn custody_cannot_be_claimed_by_writing_it_on_a_new_file() {
    let app = app().await;
    let mut claimed = file(1);
    claimed["custodian"] = json!("LTLS-19");
    let problem = app
        .refused(
            &files_path(),
            &claimed,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_fonds_custodian",
        )
        .await;
    assert!(
        problem["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("UBND-066N1"))
    );

    let mut as_holder = file(1);
    as_holder["custodian"] = json!("UBND-066N1");
    assert_eq!(app.post(&files_path(), &as_holder, None).await.status, 201);
    assert_eq!(app.post(&files_path(), &file(2), None).await.status, 201);
    let stream = format!("fonds-{FONDS}");
    let recorded = app.store.read_stream(&stream, 0, 10).await.expect("read");
    let held_by: Vec<Value> = recorded
        .iter()
        .filter(|e| e.event_type == "FileRecorded")
        .map(|e| serde_json::from_str::<Value>(&e.payload).expect("payload")["custodian"].clone())
        .collect();
    assert_eq!(held_by, [json!("UBND-066N1"), json!("UBND-066N1")]);
}

#[tokio::test]
async fn an_idempotency_key_with_another_body_or_path_is_refused_and_a_true_replay_answers_as_first()
 {
    let app = app().await;
    let key = "01a20023-0000-7000-8000-00000000f001";
    let first = app.post(&files_path(), &file(1), Some(key)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["replayed"], false);

    let again = app.post(&files_path(), &file(1), Some(key)).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.headers[header::ETAG], first.headers[header::ETAG]);
    for field in ["position", "revision", "events"] {
        assert_eq!(again.body[field], first.body[field], "{field}");
    }

    let before = app.fonds_events().await;
    let other_body = app.post(&files_path(), &file(2), Some(key)).await;
    assert_eq!(other_body.status, 422, "{}", other_body.body);
    assert_eq!(other_body.body["code"], "idempotency_key_reused");
    let close = json!({"closed_on": "2025-06-30", "closing_act": {
        "number": "45/QĐ-UBND", "issued_on": "2025-06-27", "issuer": "UBND xã Bằng Thành"}});
    let other_path = app
        .post(&format!("/api/v1/fonds/{FONDS}/close"), &close, Some(key))
        .await;
    assert_eq!(other_path.status, 422, "{}", other_path.body);
    assert_eq!(other_path.body["code"], "idempotency_key_reused");
    assert_eq!(
        app.fonds_events().await,
        before,
        "the refused retries wrote nothing"
    );
    assert_eq!(
        before.iter().filter(|t| *t == "FondsClosed").count(),
        0,
        "the fonds is still open"
    );
}

#[tokio::test]
async fn dates_a_court_would_question_are_refused() {
    let app = app().await;
    let mut year_zero = file(1);
    year_zero["start_date"] = json!("0000-01-01");
    app.refused(
        &files_path(),
        &year_zero,
        StatusCode::UNPROCESSABLE_ENTITY,
        "date_too_early",
    )
    .await;
    let mut in_2099 = file(1);
    in_2099["end_date"] = json!("2099-12-31");
    let problem = app
        .refused(
            &files_path(),
            &in_2099,
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_in_future",
        )
        .await;
    assert!(
        problem["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("31/12/2099"))
    );
    let tomorrow = bangiao_app::today_in_vietnam() + chrono::Days::new(1);
    let mut ending_tomorrow = file(1);
    ending_tomorrow["end_date"] = json!(tomorrow.to_string());
    app.refused(
        &files_path(),
        &ending_tomorrow,
        StatusCode::UNPROCESSABLE_ENTITY,
        "date_in_future",
    )
    .await;
    let mut from_1890 = file(1);
    from_1890["start_date"] = json!("1890-03-01");
    assert_eq!(app.post(&files_path(), &from_1890, None).await.status, 201);
}

#[tokio::test]
async fn text_with_bidirectional_or_invisible_characters_is_refused_in_every_field() {
    let app = app().await;
    for (field, c) in [
        ("title", '\u{202E}'),
        ("title", '\u{2067}'),
        ("title", '\u{200B}'),
        ("notes", '\u{202B}'),
        ("language", '\u{FEFF}'),
    ] {
        let mut lying = file(1);
        lying[field] = json!(format!("Hồ sơ {c}txt.exe"));
        // The value types refuse it while the body is decoded: a 422 naming the field.
        let problem = app
            .refused(
                &files_path(),
                &lying,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            )
            .await;
        let expected = format!("U+{:04X}", u32::from(c));
        for message in ["message_en", "message_vi"] {
            let text = problem[message].as_str().unwrap_or_default();
            assert!(text.contains(&expected), "{field}: {problem}");
            assert!(
                !text.contains(c),
                "the message itself shows no {expected}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_box_listing_more_sheets_than_a_box_holds_is_recorded_with_a_warning() {
    let app = app().await;
    let mut first = file(1);
    first["sheets"] = json!(600);
    let answer = app.post(&files_path(), &first, None).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["warnings"], json!([]));
    let mut second = file(2);
    second["sheets"] = json!(500);
    let answer = app.post(&files_path(), &second, None).await;
    assert_eq!(
        answer.status, 201,
        "a warning, not a refusal: {}",
        answer.body
    );
    let warning = &answer.body["warnings"][0];
    assert_eq!(warning["code"], "box_over_capacity", "{}", answer.body);
    assert!(
        warning["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("1100 tờ"))
    );
    assert!(
        warning["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("1100 sheets"))
    );
}

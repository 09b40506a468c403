// Over 500 lines: bad inputs of every kind through one router, sharing its helpers.
//! The HTTP layer without a socket: every kind of bad input becomes problem+json, and the
//! OpenAPI description and metrics are served.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_auth::Role;
use bangiao_server::{AppState, HttpConfig, router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The token every request of these tests carries; each test app issues it to a clerk of 066.
const TOKEN: &str = "bg_api-test-clerk-of-unit-066-0000000000000000";
/// The token of the province's administrator (unit commands).
const ADMIN: &str = "bg_api-test-administrator-of-19-00000000000000";

async fn app() -> (tempfile::TempDir, axum::Router) {
    let (dir, _, app) = app_with(HttpConfig::default()).await;
    (dir, app)
}

/// The test app under `config`, with its state (to project by hand).
async fn app_with(config: HttpConfig) -> (tempfile::TempDir, AppState, axum::Router) {
    let (dir, store, state) = support::service(config);
    support::issue(&store, TOKEN, "vanthu.066", Role::Clerk, Some("066")).await;
    support::issue(&store, ADMIN, "quantri.19", Role::Administrator, None).await;
    let open: bangiao_domain::fonds::OpenFonds = serde_json::from_str(
        r#"{"fonds_code":"066-UB","name":"Phông","kind":"state","creator_organ_id":"000.00.66.H06","creator_name":"UBND","unit_code":"066","custodian":"UBND-066","opened_on":"2003-07-01"}"#,
    )
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
    let app = router(state.clone());
    (dir, state, app)
}

/// The same request carrying the test clerk's token.
fn authorized(mut request: Request<Body>) -> Request<Body> {
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {TOKEN}").parse().expect("header"),
    );
    request
}

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app
        .clone()
        .oneshot(authorized(request))
        .await
        .expect("answered");
    let status = response.status();
    let content_type = response
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
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn post(path: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request")
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).expect("request")
}

async fn problem(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let (status, content_type, body) = send(app, request).await;
    assert_eq!(content_type, "application/problem+json", "{body}");
    let value: Value = serde_json::from_str(&body).expect("problem JSON");
    assert!(
        value["message_vi"].as_str().is_some_and(|m| !m.is_empty()),
        "{value}"
    );
    assert!(
        value["message_en"].as_str().is_some_and(|m| !m.is_empty()),
        "{value}"
    );
    assert_eq!(value["status"], status.as_u16());
    (status, value)
}

#[tokio::test]
async fn bad_input_of_every_kind_is_a_problem_with_a_stable_code() {
    let (_dir, app) = app().await;
    let cases = [
        (
            post("/api/v1/fonds/066-UB/close", "{\"closed_on\":"),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            post(
                "/api/v1/fonds/066-UB/close",
                "{\"closed_on\":\"2025-06-30\",\"closing_act\":{\"number\":\"1\",\"issued_on\":\"2025-06-30\",\"issuer\":\"x\"},\"extra\":1}",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            post(
                "/api/v1/fonds/066-UB/close",
                "{\"closed_on\":42,\"closing_act\":null}",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            Request::post("/api/v1/fonds/066-UB/close")
                .body(Body::from("{}"))
                .expect("request"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_expected",
        ),
        (get("/api/v1/nowhere"), StatusCode::NOT_FOUND, "not_found"),
        (
            get("/api/v1/files/000.00.07.X01.2010.01/custody?as_of=30-06-2025"),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            get("/api/v1/files/000.00.07.X01.2010.01/custody"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            get("/api/v1/fonds/066-UB/inventory?format=pdfx"),
            StatusCode::BAD_REQUEST,
            "unknown_format",
        ),
        (
            post(
                "/api/v1/fonds/bad%20code/close",
                r#"{"closed_on":"2025-06-30","closing_act":{"number":"1","issued_on":"2025-06-30","issuer":"x"}}"#,
            ),
            StatusCode::FORBIDDEN,
            "out_of_scope",
        ),
    ];
    for (request, status, code) in cases {
        let path = request.uri().to_string();
        let (got, body) = problem(&app, request).await;
        assert_eq!(
            (got, body["code"].as_str()),
            (status, Some(code)),
            "{path}: {body}"
        );
    }
    let bad_key = Request::post("/api/v1/fonds/066-UB/close")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", "not-a-uuid")
        .body(Body::from("{}"))
        .expect("request");
    let (status, body) = problem(&app, bad_key).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_idempotency_key"))
    );
}

#[tokio::test]
async fn a_refusal_of_the_rules_carries_the_domain_code() {
    let (_dir, app) = app().await;
    let open = r#"{"fonds_code":"066-D01","name":"Phông","kind":"state","creator_organ_id":"000.00.66.H06","creator_name":"UBND","unit_code":"066","custodian":"UBND-066","opened_on":"2003-07-01"}"#;
    let (status, _, body) = send(&app, post("/api/v1/fonds", open)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = problem(&app, post("/api/v1/fonds", open)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_exists"))
    );
}

#[tokio::test]
async fn the_openapi_description_lists_every_route_and_metrics_are_served() {
    let (_dir, app) = app().await;
    let (status, _, body) = send(&app, get("/api/v1/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    let spec: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/units/{code}/lineage",
        "/api/v1/fonds/{code}/handovers/receive",
        "/api/v1/files/{code}/custody",
        "/api/v1/deadlines",
        "/api/v1/events",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    let receive = &paths["/api/v1/fonds/{code}/handovers/receive"]["post"];
    assert!(
        receive["requestBody"].is_object(),
        "commands document their body"
    );
    let (status, content_type, page) = send(&app, get("/api/v1/docs")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(page.contains("/api/v1/fonds/{code}/handovers/sign"));
    send(&app, get("/health/live")).await;
    let (status, _, metrics) = send(&app, get("/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(metrics.contains("bangiao_http_requests_total"), "{metrics}");
    assert!(metrics.contains("bangiao_projection_position"));
}

/// The status, headers and body of a request carrying the test clerk's token.
async fn answer(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app
        .clone()
        .oneshot(authorized(request))
        .await
        .expect("answered");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (parts.status, parts.headers, value)
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_naming_the_limit() {
    let (_dir, app) = app().await;
    let huge = format!("{{\"title\":\"{}\"}}", "a".repeat(20 * 1024 * 1024));
    let (status, body) = problem(&app, post("/api/v1/fonds/066-UB/files", &huge)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{body}"
    );
    assert!(
        body["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("2 MB")),
        "{body}"
    );
    assert!(
        body["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("2 MB")),
        "{body}"
    );
}

#[tokio::test]
async fn a_list_of_an_unknown_fonds_or_unit_is_404_and_an_empty_fonds_is_an_empty_list() {
    let (_dir, app) = app().await;
    for (path, code) in [
        ("/api/v1/fonds/066-UBX/inventory", "fonds_not_found"),
        (
            "/api/v1/fonds/066-UBX/inventory?format=csv",
            "fonds_not_found",
        ),
        (
            "/api/v1/fonds/066-UBX/inventory?format=ead3",
            "fonds_not_found",
        ),
        ("/api/v1/fonds/066-UBX/files", "fonds_not_found"),
        ("/api/v1/fonds/066-UBX/files?format=csv", "fonds_not_found"),
        ("/api/v1/fonds/066-UBX/history", "fonds_not_found"),
        ("/api/v1/units/0666/inventory", "unit_not_found"),
        ("/api/v1/units/0666/inventory?format=csv", "unit_not_found"),
        ("/api/v1/units/0666/lineage", "unit_not_found"),
    ] {
        let (status, body) = problem(&app, get(path)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::NOT_FOUND, Some(code)),
            "{path}: {body}"
        );
        assert!(
            body["message_vi"]
                .as_str()
                .is_some_and(|m| m.contains("066-UBX") || m.contains("0666")),
            "{path}: {body}"
        );
    }
    let (status, _, body) = answer(&app, get("/api/v1/fonds/066-UB/inventory")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["items"], serde_json::json!([]));
    let (status, _, csv) = send(&app, get("/api/v1/fonds/066-UB/inventory?format=csv")).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow_and_a_problem() {
    let (_dir, app) = app().await;
    let cases = [
        (Request::delete("/api/v1/fonds/066-UB"), "GET, HEAD"),
        (Request::post("/api/v1/fonds/066-UB/inventory"), "GET, HEAD"),
        (Request::get("/api/v1/fonds/066-UB/close"), "POST"),
        (Request::put("/api/v1/fonds"), "GET, HEAD, POST"),
        (Request::post("/metrics"), "GET, HEAD"),
    ];
    for (request, allow) in cases {
        let request = request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .expect("request");
        let path = format!("{} {}", request.method(), request.uri());
        let (status, headers, body) = answer(&app, request).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}: {body}");
        assert_eq!(
            headers.get(header::ALLOW).and_then(|v| v.to_str().ok()),
            Some(allow),
            "{path}"
        );
        assert_eq!(
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{path}"
        );
        assert_eq!(body["code"], "method_not_allowed", "{path}: {body}");
        assert!(
            body["message_vi"]
                .as_str()
                .is_some_and(|m| m.contains(allow)),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn wait_for_beyond_the_log_is_refused_at_once_and_a_lagging_read_is_503() {
    let config = HttpConfig {
        max_read_wait: std::time::Duration::from_millis(200),
        ..HttpConfig::default()
    };
    let (_dir, state, app) = app_with(config).await;
    // A write the read models have not applied (nothing follows the log in this test).
    let history = r#"{"history":"Thành lập năm 1965.","recorded_on":"2025-07-01"}"#;
    let (status, _, body) =
        answer(&app, post("/api/v1/fonds/066-UB/creator-history", history)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let position = body["position"].as_u64().expect("a position");

    let started = std::time::Instant::now();
    let beyond = format!("/api/v1/fonds/066-UB?wait_for={}", position + 1000);
    let (status, body) = problem(&app, get(&beyond)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("position_not_reached")),
        "{body}"
    );
    assert_eq!(body["head_position"], position, "{body}");
    assert!(
        body["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains(&position.to_string())),
        "{body}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_millis(150),
        "answered at once"
    );

    let lagging = format!("/api/v1/fonds/066-UB?wait_for={position}");
    let (status, headers, body) = answer(&app, get(&lagging)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("projection_lagging")),
        "{body}"
    );
    assert!(headers.contains_key(header::RETRY_AFTER), "{headers:?}");

    state.read.catch_up(&state.store).await.expect("projected");
    let (status, headers, body) = answer(&app, get(&lagging)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        headers
            .get("x-projection-position")
            .and_then(|v| v.to_str().ok()),
        Some(position.to_string().as_str())
    );
}

/// English words of the parsers that must not reach a Vietnamese message.
const PARSER_ENGLISH: [&str; 9] = [
    "Failed", "invalid", "expected", "missing", "unknown", "type:", "EOF", "line", "column",
];

#[tokio::test]
async fn a_refused_body_or_query_names_the_field_in_vietnamese_and_keeps_the_parser_text() {
    let (_dir, app) = app().await;
    let act = r#""closing_act":{"number":"96/QĐ-UBND","issued_on":"2025-06-26","issuer":"UBND"}"#;
    let cases = [
        (
            post(
                "/api/v1/fonds/066-UB/close",
                &format!(r#"{{"closed_on":42,{act}}}"#),
            ),
            "invalid_body",
            Some("closed_on"),
            "nhận số nguyên 42",
            "invalid type: integer `42`",
        ),
        (
            post(
                "/api/v1/fonds/066-UB/close",
                &format!(r#"{{"closed_on":"2025-06-30",{act},"extra":1}}"#),
            ),
            "invalid_body",
            Some("extra"),
            "không có trong mẫu",
            "unknown field `extra`",
        ),
        (
            post(
                "/api/v1/fonds/066-UB/close",
                r#"{"closed_on":"2025-06-30"}"#,
            ),
            "invalid_body",
            Some("closing_act"),
            "thiếu trường bắt buộc",
            "missing field `closing_act`",
        ),
        (
            post(
                "/api/v1/fonds/066-UB/close",
                r#"{"closed_on":"2025-06-30","closing_act":{"number":"96/QĐ-UBND","issued_on":"26/06/2025","issuer":"UBND"}}"#,
            ),
            "invalid_body",
            Some("closing_act.issued_on"),
            "YYYY-MM-DD",
            "closing_act.issued_on",
        ),
        (
            post("/api/v1/fonds/066-UB/close", "{\"closed_on\":"),
            "malformed_json",
            None,
            "không phải JSON hợp lệ",
            "EOF while parsing",
        ),
        (
            get("/api/v1/files/000.00.07.X01.2010.01/custody?as_of=30-06-2025"),
            "invalid_query",
            Some("as_of"),
            "YYYY-MM-DD",
            "as_of: trailing input",
        ),
    ];
    for (request, code, field, vi_part, detail_part) in cases {
        let path = request.uri().to_string();
        let (_, body) = problem(&app, request).await;
        assert_eq!(body["code"], code, "{path}: {body}");
        assert_eq!(body["field"].as_str(), field, "{path}: {body}");
        let vi = body["message_vi"].as_str().unwrap_or_default();
        assert!(vi.contains(vi_part), "{path}: {vi}");
        if let Some(field) = field {
            assert!(vi.contains(field), "{path}: {vi}");
            assert!(
                body["message_en"]
                    .as_str()
                    .is_some_and(|m| m.contains(field)),
                "{path}: {body}"
            );
        }
        for word in PARSER_ENGLISH {
            assert!(!vi.contains(word), "{path}: {word:?} in {vi}");
        }
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains(detail_part)),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn refusals_name_the_role_in_vietnamese_and_what_is_out_of_scope() {
    let (_dir, app) = app().await;
    let unit = r#"{"code":"0667","details":{"name":"Xã Mới","level":"commune","unit_type":"commune","parent":"066"}}"#;
    let (status, body) = problem(&app, post("/api/v1/units", unit)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden_role"))
    );
    let vi = body["message_vi"].as_str().unwrap_or_default();
    assert!(vi.contains("văn thư") && !vi.contains("clerk"), "{vi}");

    let close = r#"{"closed_on":"2025-06-30","closing_act":{"number":"1","issued_on":"2025-06-30","issuer":"x"}}"#;
    let (_, body) = problem(&app, post("/api/v1/fonds/07-UB/close", close)).await;
    assert_eq!(body["code"], "out_of_scope", "{body}");
    assert_eq!(
        body["message_vi"],
        "Phông 07-UB nằm ngoài phạm vi được giao của vanthu.066."
    );
    assert_eq!(
        body["message_en"],
        "Fonds 07-UB is outside the scope of vanthu.066."
    );

    let open = r#"{"fonds_code":"07-UB","name":"Phông","kind":"state","creator_organ_id":"000.00.07.H06","creator_name":"UBND","unit_code":"07","custodian":"UBND-07","opened_on":"2003-07-01"}"#;
    let (_, body) = problem(&app, post("/api/v1/fonds", open)).await;
    assert_eq!(body["code"], "out_of_scope", "{body}");
    assert!(
        body["message_vi"]
            .as_str()
            .is_some_and(|m| m.starts_with("Đơn vị 07 nằm ngoài phạm vi")),
        "{body}"
    );
}

/// A unit command sent by the administrator: status, `ETag` and body.
async fn as_admin(
    app: &axum::Router,
    path: &str,
    key: &str,
    body: &str,
) -> (StatusCode, Option<String>, Value) {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_owned()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let etag = response
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        etag,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn merge_and_split_answer_the_revision_of_the_unit_in_the_path() {
    use bangiao_store::EventStore;
    let (_dir, state, app) = app_with(HttpConfig::default()).await;
    let basis =
        r#""legal_basis":{"number":"56/2003/NĐ-CP","issued_on":"2003-05-28","issuer":"Chính phủ"}"#;
    for (code, name, level, parent) in [
        ("06", "Tỉnh Bắc Kạn", "province", None),
        ("19", "Tỉnh Thái Nguyên", "province", None),
        ("066", "Huyện Pác Nặm", "district", Some("06")),
        ("06601", "Xã Bộc Bố", "commune", Some("066")),
        ("06607", "Xã Công Bằng", "commune", Some("066")),
        ("06610", "Xã Nghiên Loan", "commune", Some("066")),
    ] {
        let parent = parent.map_or(String::new(), |p| format!(r#","parent":"{p}""#));
        let body = format!(
            r#"{{"code":"{code}","details":{{"name":"{name}","level":"{level}","unit_type":"{level}"{parent}}},"valid_from":"2003-07-01",{basis}}}"#
        );
        let key = uuid::Uuid::now_v7().to_string();
        let (status, _, answer) = as_admin(&app, "/api/v1/units", &key, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{code}: {answer}");
    }
    let resolution = r#""effective_on":"2025-07-01","legal_basis":{"number":"1683/NQ-UBTVQH15","issued_on":"2025-06-16","issuer":"Ủy ban Thường vụ Quốc hội"}"#;
    let new_commune = format!(
        r#"{{"predecessors":["06601","06607"],"merger_id":"01a20023-0000-7000-8000-000000000001",{resolution},"new_successor":{{"name":"Xã Bộc Bố","level":"commune","unit_type":"commune","parent":"19"}}}}"#
    );
    let absorbed = format!(
        r#"{{"predecessors":["06"],"merger_id":"01a20023-0000-7000-8000-000000000002",{resolution}}}"#
    );
    let split = format!(
        r#"{{"successors":[{{"code":"06611","details":{{"name":"Xã Nghiên Loan","level":"commune","unit_type":"commune","parent":"066"}}}},{{"code":"06612","details":{{"name":"Xã Xuân La","level":"commune","unit_type":"commune","parent":"066"}}}}],"split_id":"01a20023-0000-7000-8000-000000000003",{resolution}}}"#
    );
    for (path, stream, body) in [
        ("/api/v1/units/066N4/merge", "unit-066N4", &new_commune),
        ("/api/v1/units/19/merge", "unit-19", &absorbed),
        ("/api/v1/units/06610/split", "unit-06610", &split),
    ] {
        let key = uuid::Uuid::now_v7().to_string();
        let (status, etag, answer) = as_admin(&app, path, &key, body).await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {answer}");
        let revision = state
            .store
            .stream_revision(stream)
            .await
            .expect("read")
            .expect("the stream exists");
        assert_eq!(answer["revision"], revision, "{path}: {answer}");
        assert_eq!(etag, Some(format!("\"{revision}\"")), "{path}");
        let (status, etag, again) = as_admin(&app, path, &key, body).await;
        assert_eq!(
            (status, again["replayed"].as_bool(), &again["revision"]),
            (StatusCode::CREATED, Some(true), &answer["revision"]),
            "a retry answers the same revision: {again}"
        );
        assert_eq!(etag, Some(format!("\"{revision}\"")), "{path}");
    }
}

/// A GET by the administrator (who may read every list): status and JSON body.
async fn get_as_admin(app: &axum::Router, path: &str) -> (StatusCode, Value) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_limit_above_the_maximum_is_400_naming_the_maximum_not_a_short_page() {
    let (_dir, app) = app().await;
    for list in [
        "/api/v1/units",
        "/api/v1/fonds",
        "/api/v1/fonds/066-UB/inventory",
        "/api/v1/fonds/066-UB/files",
        "/api/v1/events",
        "/api/v1/audit",
    ] {
        let (status, body) = get_as_admin(&app, &format!("{list}?limit=1000")).await;
        assert_eq!(status, StatusCode::OK, "{list}: {body}");
        for limit in ["1001", "5000", "0"] {
            let (status, body) = get_as_admin(&app, &format!("{list}?limit={limit}")).await;
            assert_eq!(
                (status, body["code"].as_str(), body["field"].as_str()),
                (
                    StatusCode::BAD_REQUEST,
                    Some("limit_out_of_range"),
                    Some("limit")
                ),
                "{list}?limit={limit}: {body}"
            );
            assert_eq!(body["maximum"], 1000, "{list}: {body}");
            for message in ["message_vi", "message_en"] {
                let text = body[message].as_str().unwrap_or_default();
                assert!(
                    text.contains("1000") && text.contains(limit),
                    "{list}: {message}: {text}"
                );
            }
        }
    }
}

#[tokio::test]
async fn lineage_that_makes_no_sense_in_time_is_refused_with_its_code() {
    let (_dir, _state, app) = app_with(HttpConfig::default()).await;
    let basis =
        r#""legal_basis":{"number":"56/2003/NĐ-CP","issued_on":"2003-05-28","issuer":"Chính phủ"}"#;
    let unit = |code: &str, name: &str, level: &str, parent: Option<&str>, from: &str| {
        let parent = parent.map_or(String::new(), |p| format!(r#","parent":"{p}""#));
        format!(
            r#"{{"code":"{code}","details":{{"name":"{name}","level":"{level}","unit_type":"{level}"{parent}}},"valid_from":"{from}",{basis}}}"#
        )
    };
    let send = |path: &'static str, body: String| {
        let app = app.clone();
        async move {
            let key = uuid::Uuid::now_v7().to_string();
            let (status, _, answer) = as_admin(&app, path, &key, &body).await;
            (status, answer)
        }
    };
    for body in [
        unit("06", "Tỉnh Bắc Kạn", "province", None, "2003-07-01"),
        unit("066", "Huyện Pác Nặm", "district", Some("06"), "2003-07-01"),
        unit("06601", "Xã Bộc Bố", "commune", Some("066"), "2003-07-01"),
        unit(
            "066N4",
            "Xã Bằng Thành",
            "commune",
            Some("066"),
            "2025-06-01",
        ),
    ] {
        let (status, answer) = send("/api/v1/units", body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let refused = |status: StatusCode, answer: &Value, code: &str| {
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{answer}"
        );
        let (vi, en) = (
            answer["message_vi"].as_str().unwrap_or_default(),
            answer["message_en"].as_str().unwrap_or_default(),
        );
        assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{answer}");
    };
    // A commune cannot begin before its district (01/07/2003) exists: the service looks the
    // district's first day up, as it looks its level up.
    let (status, answer) = send(
        "/api/v1/units",
        unit(
            "06607",
            "Xã Công Bằng",
            "commune",
            Some("066"),
            "2001-01-01",
        ),
    )
    .await;
    refused(status, &answer, "parent_not_in_existence");
    // A unit cannot end on (or before) its first day.
    let end = r#"{"effective_on":"2003-07-01","legal_basis":{"number":"1683/NQ-UBTVQH15","issued_on":"2025-06-16","issuer":"Ủy ban Thường vụ Quốc hội"},"reason":"dissolved"}"#;
    let (status, answer) = send("/api/v1/units/06601/end", end.to_owned()).await;
    refused(status, &answer, "unit_ends_before_start");
    // A commune cannot merge into a commune that does not exist yet on the merger's date.
    let merge = r#"{"predecessors":["06601"],"merger_id":"01a20023-0000-7000-8000-000000000009","effective_on":"2025-05-01","legal_basis":{"number":"1683/NQ-UBTVQH15","issued_on":"2025-04-16","issuer":"Ủy ban Thường vụ Quốc hội"}}"#;
    let (status, answer) = send("/api/v1/units/066N4/merge", merge.to_owned()).await;
    refused(status, &answer, "successor_not_in_existence");
}

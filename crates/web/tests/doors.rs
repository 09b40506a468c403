//! The three front doors share one command pipeline: the same refusal — a role that may not take
//! the act, a caller out of the fonds' scope, no write permit free, a correlation id that is not
//! a UUID — gives the same stable code through the HTTP API, gRPC and a page form. One act
//! (placing a hold on a file of 066-D03, which the finance office's archivist holds) is asked
//! through each door by each caller of the table.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use bangiao_auth::Role;
use bangiao_grpc::pb;
use bangiao_server::{AppState, HttpConfig};
use http_body_util::BodyExt;
use prost::Message;
use tower::ServiceExt;

const CLERK: &str = "bg_doors-test-clerk-of-066-0000000000000000000000";
const ARCHIVIST: &str = "bg_doors-test-archivist-of-ltls19-00000000000000";
const HOLDER: &str = "bg_doors-test-archivist-of-ptckh066-000000000000";
const HOLDER_ID: &str = "luutru.ptckh066";
const FONDS: &str = "066-D03";

/// The three doors over one state (one write permit), with the demo loaded.
struct Doors {
    _dir: tempfile::TempDir,
    state: AppState,
    http_and_pages: Router,
    grpc: Router,
}

async fn doors() -> Doors {
    let config = HttpConfig {
        max_pending_writes: 1,
        ..HttpConfig::default()
    };
    let (dir, state, http_and_pages) = support::demo_service(
        config,
        &[
            (CLERK, "vanthu.066", Role::Clerk, "066"),
            (ARCHIVIST, "luutru.19", Role::Archivist, "LTLS-19"),
            (HOLDER, HOLDER_ID, Role::Archivist, "PTCKH-066"),
        ],
    )
    .await;
    Doors {
        _dir: dir,
        http_and_pages,
        grpc: bangiao_grpc::routes(state.clone())
            .prepare()
            .into_axum_router(),
        state,
    }
}

/// What a caller asks: the file held and the correlation id sent.
struct Ask<'a> {
    token: &'a str,
    file: &'a str,
    correlation_id: Option<&'a str>,
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The stable code of the HTTP API's answer (`code` of the problem), or its status when none.
async fn through_http(doors: &Doors, ask: &Ask<'_>) -> String {
    let body = serde_json::json!({
        "hold_id": uuid::Uuid::now_v7(),
        "reason": "dispute",
        "file_codes": [ask.file],
        "legal_basis": {"number": "12/QD-TTr", "issued_on": "2026-01-08", "issuer": "Thanh tra tỉnh"},
        "placed_by": HOLDER_ID,
        "placed_on": "2026-01-09",
    });
    let mut request = Request::post(format!("/api/v1/fonds/{FONDS}/holds"))
        .header(header::AUTHORIZATION, format!("Bearer {}", ask.token))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(id) = ask.correlation_id {
        request = request.header("x-correlation-id", id);
    }
    let request = request.body(Body::from(body.to_string())).expect("request");
    let response = doors
        .http_and_pages
        .clone()
        .oneshot(request)
        .await
        .expect("answered");
    let status = response.status();
    let text = body_text(response).await;
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|problem| problem["code"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("HTTP {status}"))
}

/// The stable code of the gRPC answer (`bangiao-code`), or `grpc-status` when none.
async fn through_grpc(doors: &Doors, ask: &Ask<'_>) -> String {
    let message = pb::FondsCommandRequest {
        options: Some(pb::CommandOptions {
            command_id: String::new(),
            expected_revision: None,
            correlation_id: ask.correlation_id.map(str::to_owned),
        }),
        fonds_code: FONDS.into(),
        command: Some(pb::fonds_command_request::Command::PlaceHold(
            pb::PlaceHold {
                hold_id: uuid::Uuid::now_v7().to_string(),
                reason: "dispute".into(),
                file_codes: vec![ask.file.to_owned()],
                legal_basis: Some(pb::LegalBasis {
                    number: "12/QD-TTr".into(),
                    issued_on: "2026-01-08".into(),
                    issuer: "Thanh tra tỉnh".into(),
                    title: None,
                }),
                placed_by: HOLDER_ID.into(),
                placed_on: "2026-01-09".into(),
            },
        )),
    };
    let body = message.encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(body.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&body);
    let request = Request::post("/bangiao.v1.Commands/ExecuteFondsCommand")
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("authorization", format!("Bearer {}", ask.token))
        .body(Body::from(frame))
        .expect("request");
    let response = doors.grpc.clone().oneshot(request).await.expect("answered");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    header("bangiao-code").unwrap_or_else(|| {
        format!(
            "grpc-status {}",
            header("grpc-status").unwrap_or_else(|| "0 (accepted)".into())
        )
    })
}

/// The stable code the error page shows (`<code>…</code>`), or where the form redirected.
async fn through_page(doors: &Doors, ask: &Ask<'_>) -> String {
    let mut form = format!(
        "_csrf={}&command_id={}&pick=ticked&file={}&reason=dispute&on=2026-01-09\
         &basis_number=12%2FQD-TTr&basis_date=2026-01-08&basis_issuer=Thanh+tra",
        bangiao_web::session::csrf_token(ask.token),
        uuid::Uuid::now_v7(),
        ask.file,
    );
    if let Some(id) = ask.correlation_id {
        form.push_str(&format!("&correlation_id={id}"));
    }
    let request = Request::post(format!("/trang/phong/{FONDS}/tam-giu"))
        .header(header::COOKIE, format!("bg_token={}", ask.token))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .expect("request");
    let response = doors
        .http_and_pages
        .clone()
        .oneshot(request)
        .await
        .expect("answered");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = body_text(response).await;
    text.split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("page {status} {location:?}"))
}

/// A file of 066-D03 the finance office's archivist holds, as its hold form lists it.
async fn held_file(doors: &Doors) -> String {
    let request = Request::get(format!("/trang/phong/{FONDS}/tam-giu"))
        .header(header::COOKIE, format!("bg_token={HOLDER}"))
        .body(Body::empty())
        .expect("request");
    let response = doors
        .http_and_pages
        .clone()
        .oneshot(request)
        .await
        .expect("answered");
    let page = body_text(response).await;
    page.split("name=\"file\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a file on the hold form")
        .to_owned()
}

#[tokio::test]
async fn the_same_refusal_has_the_same_code_through_every_door() {
    let doors = doors().await;
    let file = held_file(&doors).await;
    let table = [
        (
            "a clerk may not place a hold",
            CLERK,
            None,
            "forbidden_role",
        ),
        (
            "an archive that holds none of the fonds' files",
            ARCHIVIST,
            None,
            "out_of_scope",
        ),
        (
            "a correlation id that is not a UUID",
            HOLDER,
            Some("not-a-uuid"),
            "invalid_correlation_id",
        ),
    ];
    for (case, token, correlation_id, code) in table {
        let ask = Ask {
            token,
            file: &file,
            correlation_id,
        };
        assert_eq!(through_http(&doors, &ask).await, code, "HTTP: {case}");
        assert_eq!(through_grpc(&doors, &ask).await, code, "gRPC: {case}");
        assert_eq!(through_page(&doors, &ask).await, code, "page: {case}");
    }

    // Every write permit taken (the service allows one here): busy through every door.
    let taken = doors.state.write_permits.try_acquire().expect("the permit");
    let ask = Ask {
        token: HOLDER,
        file: &file,
        correlation_id: None,
    };
    assert_eq!(through_http(&doors, &ask).await, "busy", "HTTP: busy");
    assert_eq!(through_grpc(&doors, &ask).await, "busy", "gRPC: busy");
    assert_eq!(through_page(&doors, &ask).await, "busy", "page: busy");
    drop(taken);

    // With the permit free and a good correlation id, the same act goes through (so the
    // refusals above were the doors' answers to the refusal cases, not to a broken request).
    let correlation = uuid::Uuid::now_v7().to_string();
    let ask = Ask {
        token: HOLDER,
        file: &file,
        correlation_id: Some(&correlation),
    };
    assert!(
        through_page(&doors, &ask).await.contains("/trang/tam-giu/"),
        "the page form places the hold"
    );
}

//! gRPC commands share the HTTP API's write admission: with every permit taken, a command is
//! answered UNAVAILABLE with the stable code `busy` at once, before anything else is done; a
//! read still goes through to authentication.

use std::sync::Arc;

use bangiao_grpc::pb;
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store};
use bangiao_store::MemoryStore;
use prost::Message;
use tower::ServiceExt;

/// A unary gRPC call through the routes, as a client's HTTP/2 request would arrive.
async fn call(state: &AppState, path: &str, message: &impl Message) -> (String, String) {
    let body = message.encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(body.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&body);
    let request = tonic::codegen::http::Request::post(path)
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(tonic::body::Body::new(http_body_util::Full::new(
            bytes::Bytes::from(frame),
        )))
        .expect("request");
    let response = bangiao_grpc::routes(state.clone())
        .prepare()
        .into_axum_router()
        .oneshot(request)
        .await
        .expect("answered");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    (header("grpc-status"), header("bangiao-code"))
}

#[tokio::test]
async fn with_every_write_permit_taken_a_command_is_refused_busy() {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store = Arc::new(MemoryStore::new());
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let config = HttpConfig {
        max_pending_writes: 1,
        ..HttpConfig::default()
    };
    let state = AppState::new(store, read, config);
    let taken = state.write_permits.try_acquire().expect("the one permit");
    let (status, code) = call(
        &state,
        "/bangiao.v1.Commands/RegisterUnit",
        &pb::RegisterUnitRequest::default(),
    )
    .await;
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("14", "busy"),
        "UNAVAILABLE, busy"
    );
    drop(taken);
    let (status, code) = call(
        &state,
        "/bangiao.v1.Commands/RegisterUnit",
        &pb::RegisterUnitRequest::default(),
    )
    .await;
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("16", "unauthenticated"),
        "with a permit free the call goes on to authentication"
    );
}

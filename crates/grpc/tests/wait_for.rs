//! gRPC reads refuse a `wait_for` as HTTP reads do: a position beyond the log's end is
//! answered at once (ABORTED, `position_not_reached`), never with stale data after a wait.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bangiao_auth::{Principal, Role};
use bangiao_grpc::pb;
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store};
use bangiao_store::MemoryStore;
use prost::Message;
use tower::ServiceExt;

const TOKEN: &str = "bg_grpc-wait-for-inspector-0000000000000000000";

#[tokio::test]
async fn a_wait_for_beyond_the_log_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store = Arc::new(MemoryStore::new());
    let inspector = Principal {
        user_id: "thanhtra.19".into(),
        role: Role::Inspector,
        scope: None,
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(&store, TOKEN, &inspector, 1, "test")
        .await
        .expect("token");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    read.catch_up(&store).await.expect("projected");
    let state = AppState::new(store, read, HttpConfig::default());
    state.mark_caught_up();

    let message = pb::GetCustodyRequest {
        file_code: "000.00.07.X01.2010.01".into(),
        wait_for: Some(1_000),
        ..Default::default()
    };
    let body = message.encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(body.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&body);
    let request = tonic::codegen::http::Request::post("/bangiao.v1.Queries/GetCustody")
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(tonic::body::Body::new(http_body_util::Full::new(
            bytes::Bytes::from(frame),
        )))
        .expect("request");
    let started = Instant::now();
    let response = bangiao_grpc::routes(state.clone())
        .prepare()
        .into_axum_router()
        .oneshot(request)
        .await
        .expect("answered");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "at once, not after a wait"
    );
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        header("grpc-status"),
        (tonic::Code::Aborted as i32).to_string()
    );
    assert_eq!(header("bangiao-code"), "position_not_reached");
}

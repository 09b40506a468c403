//! What the page tests share: the service over the demo, with the callers' tokens issued.

use std::sync::Arc;

use axum::Router;
use bangiao_app::Service;
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store};
use bangiao_store::MemoryStore;

/// The demo's service under `config`, a token issued to each `(secret, user, role, scope)`, its
/// read models following the log: its state, and the HTTP API with the pages on one router.
pub async fn demo_service(
    config: HttpConfig,
    callers: &[(&str, &str, Role, &str)],
) -> (tempfile::TempDir, AppState, Router) {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store = Arc::new(MemoryStore::new());
    bangiao_app::demo::load_demo(&Service::new(store.clone()), &mut |_| {})
        .await
        .expect("demo");
    for &(secret, user, role, scope) in callers {
        let who = Principal {
            user_id: user.into(),
            role,
            scope: Some(scope.into()),
            person: Default::default(),
        };
        bangiao_server::auth::issue_token(&store, secret, &who, 1, "test")
            .await
            .expect("token");
    }
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store, read, config);
    state.read.catch_up(&state.store).await.expect("projected");
    tokio::spawn(bangiao_server::run_projections(state.clone()));
    let options = bangiao_web::PagesOptions {
        data_dir: dir.path().to_owned(),
        oidc: None,
    };
    let pages = bangiao_web::pages(state.clone(), options).expect("templates");
    let router = bangiao_server::router(state.clone()).merge(pages);
    (dir, state, router)
}

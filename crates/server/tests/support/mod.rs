//! What the HTTP tests share: a SQLite-backed service in a temporary folder, and its tokens.

use std::sync::Arc;

use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_server::{AppState, HttpConfig, Store};
use bangiao_store::SqliteStore;

/// An empty service under `config` in a new temporary folder: its event store and its state.
pub fn service(config: HttpConfig) -> (tempfile::TempDir, Store, AppState) {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store =
        Arc::new(SqliteStore::open_path(dir.path().join("events.db")).expect("store"));
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let state = AppState::new(store.clone(), read, config);
    (dir, store, state)
}

/// Issues the token `secret` to `user_id` with `role` over `scope` (none: everywhere).
pub async fn issue(store: &Store, secret: &str, user_id: &str, role: Role, scope: Option<&str>) {
    let who = Principal {
        user_id: user_id.into(),
        role,
        scope: scope.map(str::to_owned),
        person: Default::default(),
    };
    bangiao_server::auth::issue_token(store, secret, &who, 1, "test")
        .await
        .expect("token");
}

//! docs/security.md holds the permission matrix (endpoint × role × in/out of scope); this test
//! reads it and holds it against the code that decides every request (the route table for reads,
//! each command's own action for commands, and the policy), and fails when an endpoint of the API is missing from the matrix or vice versa.
//! `BANGIAO_PRINT_MATRIX=1` prints the matrix the code implements.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request};
use bangiao_auth::policy::{Facts, authorize};
use bangiao_auth::{Principal, Role};
use bangiao_projections::ReadModel;
use bangiao_server::auth::routes::{Rule, rule};
use bangiao_server::{AppState, HttpConfig, Store, router};
use bangiao_store::MemoryStore;
use http_body_util::BodyExt;
use tower::ServiceExt;

const COLUMNS: [(Role, bool); 8] = [
    (Role::Clerk, true),
    (Role::Clerk, false),
    (Role::Archivist, true),
    (Role::Archivist, false),
    (Role::Approver, true),
    (Role::Approver, false),
    (Role::Inspector, false),
    (Role::Administrator, false),
];

fn decide(method: &Method, path: &str, role: Role, in_scope: bool) -> &'static str {
    match rule(method, path) {
        None => "deny",
        Some(Rule::Public) => "public",
        Some(Rule::Command) => match bangiao_server::commands::route_action(path) {
            Some(action) => allowed(action, role, in_scope),
            None => "deny",
        },
        Some(Rule::Needs(action)) => allowed(action, role, in_scope),
    }
}

fn allowed(action: bangiao_auth::Action, role: Role, in_scope: bool) -> &'static str {
    let who = Principal {
        user_id: "u".into(),
        role,
        scope: Some("S".into()),
        person: Default::default(),
    };
    let facts = Facts {
        in_unit_scope: in_scope,
        custodian_matches: in_scope,
    };
    if authorize(&who, action, facts).is_ok() {
        "allow"
    } else {
        "deny"
    }
}

async fn endpoints() -> Vec<(Method, String)> {
    let dir = tempfile::tempdir().expect("dir");
    let store: Store = Arc::new(MemoryStore::new());
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    let app = router(AppState::new(store, read, HttpConfig::default()));
    let response = app
        .oneshot(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answered");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let spec: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let mut out = vec![
        (Method::GET, "/api/v1/openapi.json".to_owned()),
        (Method::GET, "/api/v1/docs".to_owned()),
        (Method::GET, "/metrics".to_owned()),
    ];
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "delete", "patch"] {
            if item.get(method).is_some() {
                out.push((method.to_uppercase().parse().expect("method"), path.clone()));
            }
        }
    }
    out.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    out
}

fn documented() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/security.md"
    ))
    .expect("docs/security.md");
    let mut rows = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("| `GET ") || l.starts_with("| `POST "))
    {
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_owned())
            .collect();
        rows.insert(cells[0].clone(), cells[1..].to_vec());
    }
    rows
}

#[tokio::test]
async fn the_documented_matrix_is_the_one_the_code_decides() {
    let endpoints = endpoints().await;
    let mut expected = BTreeMap::new();
    for (method, path) in &endpoints {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|(role, in_scope)| decide(method, path, *role, *in_scope).to_owned())
            .collect();
        expected.insert(format!("{method} {path}"), cells);
    }
    if std::env::var("BANGIAO_PRINT_MATRIX").is_ok() {
        for (endpoint, cells) in &expected {
            println!("| `{endpoint}` | {} |", cells.join(" | "));
        }
    }
    let documented = documented();
    for endpoint in expected.keys() {
        assert!(
            documented.contains_key(endpoint),
            "{endpoint} is missing from docs/security.md"
        );
    }
    for (endpoint, cells) in &documented {
        let code = expected.get(endpoint).unwrap_or_else(|| {
            panic!("docs/security.md names {endpoint}, which the API does not have")
        });
        assert_eq!(
            cells, code,
            "{endpoint}: docs/security.md and the code disagree"
        );
    }
}

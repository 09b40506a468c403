//! OIDC through the real binary: `bangiao serve` fetches the identity provider's JWKS from a
//! URL, accepts the JWTs it signs, picks up rotated keys, and refuses to start when the JWKS
//! cannot be fetched.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bangiao_auth::jwt::testing::Issuer;
use serde_json::json;
use support::{Server, bangiao, data_dir};

const ISSUER: &str = "https://sso.thainguyen.gov.vn/realms/bangiao";

/// A stand-in identity provider publishing whatever JWKS `keys` holds, on a free port.
async fn provider(keys: Arc<Mutex<String>>) -> String {
    let app = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || {
            let keys = keys.clone();
            async move { keys.lock().expect("keys").clone() }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/jwks.json",
        listener.local_addr().expect("address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn jwt(issuer: &Issuer) -> String {
    issuer.sign(
        &json!({"iss": ISSUER, "aud": "bangiao", "sub": "thanhtra.sso",
        "exp": chrono::Utc::now().timestamp() + 600, "bangiao_role": "inspector"}),
    )
}

async fn status(server: &Server, token: &str) -> u16 {
    server.act_as(token);
    server.get("/api/v1/units").await.0
}

#[tokio::test]
async fn jwts_are_checked_against_keys_fetched_from_the_providers_url() {
    let (guard, data) = data_dir();
    let old = Issuer::new("2026-a", 11);
    let new = Issuer::new("2026-b", 12);
    let keys = Arc::new(Mutex::new(old.jwks()));
    let url = provider(keys.clone()).await;
    let config = guard.path().join("bangiao.toml");
    std::fs::write(
        &config,
        format!(
            "[oidc]\nissuer = \"{ISSUER}\"\naudience = \"bangiao\"\njwks_url = \"{url}\"\njwks_refresh_seconds = 1\n"
        ),
    )
    .expect("config");
    let server = Server::start_with(&data, &["--config", config.to_str().expect("path")]).await;
    assert_eq!(status(&server, &jwt(&old)).await, 200, "a key from the URL");
    assert_eq!(
        status(&server, &jwt(&new)).await,
        401,
        "a key not yet published"
    );

    // The provider rotates its key: the service picks the new one up and drops the old.
    *keys.lock().expect("keys") = new.jwks();
    let started = Instant::now();
    while status(&server, &jwt(&new)).await != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the rotated key was not picked up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status(&server, &jwt(&old)).await, 401, "the retired key");

    // A malformed document does not wipe the keys in use.
    *keys.lock().expect("keys") = "<html>maintenance</html>".into();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status(&server, &jwt(&new)).await, 200, "keys kept");
}

#[test]
fn serve_refuses_to_start_when_the_jwks_cannot_be_fetched() {
    let (guard, data) = data_dir();
    let config = guard.path().join("bangiao.toml");
    std::fs::write(
        &config,
        format!("[oidc]\nissuer = \"{ISSUER}\"\naudience = \"bangiao\"\njwks_url = \"http://127.0.0.1:9/jwks.json\"\n"),
    )
    .expect("config");
    let out = bangiao()
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must not start: {stderr}");
    assert!(
        stderr.contains("could not fetch the JWKS"),
        "says why: {stderr}"
    );
}

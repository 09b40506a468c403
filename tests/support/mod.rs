//! Helpers of the end-to-end tests: start the real `bangiao` binary on a free port with its own
//! data directory, and talk to it over HTTP.

#![allow(dead_code)]

pub mod scenario;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The binary under test.
pub fn bangiao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bangiao"))
}

/// A running `bangiao serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    client: reqwest::Client,
    token: std::sync::Mutex<Option<String>>,
}

/// Issues an API token with `bangiao token create` and returns its secret.
pub fn token(data_dir: &Path, user: &str, role: &str, scope: Option<&str>) -> String {
    let mut command = bangiao();
    command
        .args(["token", "create", "--data-dir"])
        .arg(data_dir)
        .args(["--user", user, "--role", role]);
    if let Some(scope) = scope {
        command.args(["--scope", scope]);
    }
    let out = command.output().expect("run token create");
    assert!(
        out.status.success(),
        "token create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_whitespace()
        .find(|w| w.starts_with("bg_"))
        .expect("the token is printed")
        .to_owned()
}

impl Server {
    /// Starts the service on a free port over `data_dir` and waits until it is ready.
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[]).await
    }

    /// The same, with more arguments for `bangiao serve` (e.g. `--config FILE`).
    pub async fn start_with(data_dir: &Path, extra: &[&str]) -> Self {
        let mut child = bangiao()
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(extra)
            .env("BANGIAO_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start bangiao serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let base = tokio::task::spawn_blocking(move || {
            for line in BufReader::new(stdout).lines() {
                let line = line.expect("stdout line");
                if let Some(rest) = line.split("http://").nth(1) {
                    let addr = rest.split_whitespace().next().expect("address");
                    return format!("http://{addr}");
                }
            }
            panic!("bangiao serve exited before listening");
        })
        .await
        .expect("read the address");
        let server = Self {
            child,
            base,
            client: reqwest::Client::new(),
            token: std::sync::Mutex::new(None),
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if let Ok(r) = self
                .client
                .get(format!("{}/health/ready", self.base))
                .send()
                .await
                && r.status().is_success()
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "not ready within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends the next requests with this bearer token.
    pub fn act_as(&self, token: &str) {
        *self.token.lock().expect("token lock") = Some(token.to_owned());
    }

    fn bearer(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.token.lock().expect("token lock").as_deref() {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// The process id of the running service.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process at once (SIGKILL), as a power cut would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// POSTs a JSON command; returns the status and the body.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.post_with(path, body, &[]).await
    }

    /// POSTs a JSON command with extra headers.
    pub async fn post_with(
        &self,
        path: &str,
        body: Value,
        headers: &[(&str, String)],
    ) -> (u16, Value) {
        let mut request = self.bearer(self.client.post(format!("{}{path}", self.base)).json(&body));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.expect("POST");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// GETs JSON; returns the status and the body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .bearer(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .expect("GET");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// GETs text.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self
            .bearer(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .expect("GET");
        (
            response.status().as_u16(),
            response.text().await.expect("text"),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh temporary data directory.
pub fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("data");
    (dir, path)
}

//! One HTTP/1.1 connection per task: hyper directly (lean), or reqwest (what an application
//! would use), to compare what the load generator itself costs.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, header};
use hyper_util::rt::TokioIo;

/// Which client library sends the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// hyper's HTTP/1.1 connection, one per task, no pool.
    Hyper,
    /// A shared reqwest client (its pool keeps one connection per task).
    Reqwest,
}

/// A request: method, path and query, optional JSON body, optional `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// GET or POST.
    pub method: Method,
    /// Path and query, e.g. `/api/v1/files/X/custody`.
    pub path: &'a str,
    /// JSON body.
    pub body: Option<Bytes>,
    /// The command id header.
    pub idempotency_key: Option<uuid::Uuid>,
}

impl<'a> Call<'a> {
    /// A GET of `path`.
    pub fn get(path: &'a str) -> Self {
        Self {
            method: Method::GET,
            path,
            body: None,
            idempotency_key: None,
        }
    }

    /// A POST of a JSON body with a fresh command id.
    pub fn post(path: &'a str, body: Bytes) -> Self {
        Self {
            method: Method::POST,
            path,
            body: Some(body),
            idempotency_key: Some(uuid::Uuid::now_v7()),
        }
    }
}

/// One client's connection to the server.
pub enum Conn {
    /// A hyper connection, opened again after an error.
    Hyper {
        /// The server.
        addr: SocketAddr,
        /// The open connection, if any.
        sender: Option<SendRequest<Full<Bytes>>>,
    },
    /// A handle on a shared reqwest client.
    Reqwest {
        /// The client.
        client: reqwest::Client,
        /// `http://addr`.
        base: String,
    },
}

/// Opens a hyper HTTP/1.1 connection with Nagle's algorithm off.
pub async fn hyper_connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// The bearer token every request carries: `BANGIAO_TOKEN` (issue one with `bangiao token
/// create`; the service refuses unauthenticated calls).
pub fn token() -> Option<&'static str> {
    static TOKEN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    TOKEN
        .get_or_init(|| {
            std::env::var("BANGIAO_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
        })
        .as_deref()
}

/// Builds a hyper request for a call.
pub fn hyper_request(addr: SocketAddr, call: &Call<'_>) -> Result<Request<Full<Bytes>>, String> {
    let mut builder = Request::builder()
        .method(call.method.clone())
        .uri(call.path)
        .header(header::HOST, addr.to_string());
    if call.body.is_some() {
        builder = builder.header(header::CONTENT_TYPE, "application/json");
    }
    if let Some(key) = call.idempotency_key {
        builder = builder.header("idempotency-key", key.to_string());
    }
    if let Some(token) = token() {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder
        .body(Full::new(call.body.clone().unwrap_or_default()))
        .map_err(|e| e.to_string())
}

impl Conn {
    /// A connection of the given kind; `shared` is the reqwest client every task shares.
    pub fn new(kind: Kind, addr: SocketAddr, shared: &reqwest::Client) -> Self {
        match kind {
            Kind::Hyper => Self::Hyper { addr, sender: None },
            Kind::Reqwest => Self::Reqwest {
                client: shared.clone(),
                base: format!("http://{addr}"),
            },
        }
    }

    /// Sends one request and reads the whole answer: status and body.
    pub async fn send(&mut self, call: &Call<'_>) -> Result<(u16, Bytes), String> {
        match self {
            Self::Hyper { addr, sender } => {
                let mut open = match sender.take() {
                    Some(open) => open,
                    None => hyper_connect(*addr).await?,
                };
                open.ready().await.map_err(|e| e.to_string())?;
                let response = open
                    .send_request(hyper_request(*addr, call)?)
                    .await
                    .map_err(|e| e.to_string())?;
                let status = response.status().as_u16();
                let body = response
                    .into_body()
                    .collect()
                    .await
                    .map_err(|e| e.to_string())?
                    .to_bytes();
                *sender = Some(open);
                Ok((status, body))
            }
            Self::Reqwest { client, base } => {
                let mut request =
                    client.request(call.method.clone(), format!("{base}{}", call.path));
                if let Some(body) = &call.body {
                    request = request
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(body.clone());
                }
                if let Some(key) = call.idempotency_key {
                    request = request.header("idempotency-key", key.to_string());
                }
                if let Some(token) = token() {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.map_err(|e| e.to_string())?;
                let status = response.status().as_u16();
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                Ok((status, body))
            }
        }
    }
}

/// The reqwest client the tasks share: no proxy, no timeout beyond the run's own bound.
pub fn shared_reqwest() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1024)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}

//! The load generator: HTTP clients, and one module per load mode.

pub mod client;
pub mod commands;
pub mod custody;
pub mod inventory;
pub mod runner;
pub mod startup;

use std::time::Duration;

/// How long and how hard to load the server.
#[derive(Debug, Clone)]
pub struct Load {
    /// The server, e.g. `127.0.0.1:8080` (loopback only).
    pub addr: std::net::SocketAddr,
    /// Concurrent clients, each with its own connection.
    pub clients: usize,
    /// Longest the measured phase runs.
    pub duration: Duration,
    /// Most requests in the measured phase, over all clients (0: no limit but the duration).
    pub max_requests: u64,
    /// Unmeasured warm-up before the measured phase.
    pub warmup: Duration,
    /// Which HTTP client library.
    pub client: client::Kind,
    /// The server's pid, to sample its memory and CPU time.
    pub server_pid: Option<u32>,
}

/// Refuses any address outside the loopback range.
pub fn check_loopback(addr: &std::net::SocketAddr) -> Result<(), String> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(format!(
            "{addr} is not a loopback address: this tool loads 127.0.0.1 only"
        ))
    }
}

//! `startup`: spawns the server and times how long it takes to answer `GET /health/ready` with
//! 200, polling every 10 ms; then stops it with SIGTERM.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::client::{Call, hyper_connect, hyper_request};

/// How often readiness is polled.
const POLL_EVERY: Duration = Duration::from_millis(10);

/// What one start gave.
#[derive(Debug, Clone, Copy)]
pub struct Startup {
    /// From spawning the process to the first 200 of `/health/ready`.
    pub ready: Duration,
    /// From spawning to the first answer of any status (the port is open).
    pub listening: Duration,
    /// Polls sent.
    pub polls: u32,
}

async fn poll(addr: std::net::SocketAddr) -> Option<u16> {
    let mut sender = hyper_connect(addr).await.ok()?;
    sender.ready().await.ok()?;
    let request = hyper_request(addr, &Call::get("/health/ready")).ok()?;
    let response = sender.send_request(request).await.ok()?;
    Some(response.status().as_u16())
}

/// Stops the child with SIGTERM (through `kill`, since this crate has no unsafe code), then
/// SIGKILL if it has not exited within ten seconds.
pub fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Spawns `command` and waits (at most `limit`) for it to be ready on `addr`.
pub async fn measure(
    addr: std::net::SocketAddr,
    command: &[String],
    limit: Duration,
) -> Result<Startup, String> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| "no server command given after --".to_owned())?;
    let spawned = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let mut listening = None;
    let mut polls = 0u32;
    let outcome = loop {
        let tick = Instant::now();
        if tick - spawned > limit {
            break Err(format!("not ready after {limit:?}"));
        }
        if let Ok(Some(status)) = child.try_wait() {
            break Err(format!("the server exited early: {status}"));
        }
        polls += 1;
        if let Some(status) = poll(addr).await {
            listening.get_or_insert(spawned.elapsed());
            if status == 200 {
                let ready = spawned.elapsed();
                break Ok(Startup {
                    ready,
                    listening: listening.unwrap_or(ready),
                    polls,
                });
            }
        }
        tokio::time::sleep_until((tick + POLL_EVERY).into()).await;
    };
    stop(&mut child);
    outcome
}

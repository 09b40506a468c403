//! A small per-client rate limiter for the public pages that need no account (the verification
//! page): a fixed window of requests per client address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Clients remembered at most; past that, windows that have ended are forgotten first.
const CLIENTS_LIMIT: usize = 10_000;

/// At most `limit` requests per client address in each `window`.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    clients: Mutex<HashMap<String, (u32, Instant)>>,
}

impl RateLimiter {
    /// A limiter of `limit` requests per client per `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            clients: Mutex::default(),
        }
    }

    /// Counts one request of `client`: `Ok` when allowed, else the seconds until its window
    /// ends (the `Retry-After` to send; at least 1).
    pub fn check(&self, client: &str) -> Result<(), u64> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if clients.len() >= CLIENTS_LIMIT && !clients.contains_key(client) {
            let window = self.window;
            clients.retain(|_, (_, since)| since.elapsed() < window);
            if clients.len() >= CLIENTS_LIMIT {
                clients.clear();
            }
        }
        let entry = clients
            .entry(client.to_owned())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        if entry.0 >= self.limit {
            let left = self.window.saturating_sub(entry.1.elapsed());
            return Err(left.as_secs().max(1));
        }
        entry.0 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_past_its_limit_waits_and_others_do_not() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(limiter.check("10.0.0.1"), Ok(()));
        }
        let wait = limiter.check("10.0.0.1").expect_err("limited");
        assert!((1..=60).contains(&wait));
        assert_eq!(limiter.check("10.0.0.2"), Ok(()));
    }

    #[test]
    fn a_new_window_starts_afresh() {
        let limiter = RateLimiter::new(1, Duration::from_millis(30));
        assert_eq!(limiter.check("a"), Ok(()));
        assert!(limiter.check("a").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(limiter.check("a"), Ok(()));
    }
}

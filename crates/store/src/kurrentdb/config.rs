//! Settings of the KurrentDB backend: the connection string, the streams it follows, where its
//! local position index lives, and how long it retries.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::StoreError;

/// The stream prefixes the service writes: units, fonds, API tokens (issue 6) and the audit log
/// of refused requests. `$all` is read filtered to these, and an append to any other stream is
/// refused. The store does not depend on the domain, so these repeat the prefixes of
/// `bangiao_domain::streams::StreamKind`; a test of `bangiao-app` pins that they are the same.
pub const DEFAULT_STREAM_PREFIXES: &[&str] = &["unit-", "fonds-", "token-", "audit-", "fixity-"];

/// URL schemes of KurrentDB connection strings (`kurrentdb://n1:2113,n2:2113?tls=true`).
pub const SCHEMES: &[&str] = &[
    "kurrentdb://",
    "kurrentdb+discover://",
    "esdb://",
    "esdb+discover://",
];

/// Whether a store setting names a KurrentDB cluster rather than a local file.
pub fn is_connection_string(text: &str) -> bool {
    SCHEMES.iter().any(|s| text.starts_with(s))
}

/// The connection string with any password replaced by `***`, fit for logs and errors.
pub fn redact(connection: &str) -> String {
    let Some(scheme_end) = connection.find("://").map(|i| i + 3) else {
        return connection.to_owned();
    };
    let rest = &connection[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return connection.to_owned();
    };
    let user = rest[..at].split(':').next().unwrap_or_default();
    if rest[..at].len() == user.len() {
        return connection.to_owned();
    }
    format!("{}{user}:***{}", &connection[..scheme_end], &rest[at..])
}

/// The password of a connection string, if it has one.
fn password(connection: &str) -> Option<&str> {
    let rest = &connection[connection.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    userinfo.split_once(':').map(|(_, p)| p)
}

/// Where the local position index is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexLocation {
    /// In memory: rebuilt from `$all` at every start (tests, one-off commands).
    Memory,
    /// A SQLite file in the replica's data directory: only new events are read at start.
    File(PathBuf),
}

/// How transient failures (not leader, unavailable, deadline) are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// Wait before the second attempt; doubled each time.
    pub first_delay: Duration,
    /// Longest wait between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 6,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based), or None when it was the last.
    pub fn delay_after(&self, attempt: u32) -> Option<Duration> {
        if attempt >= self.attempts {
            return None;
        }
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        Some(self.first_delay.saturating_mul(factor).min(self.max_delay))
    }
}

/// Settings of a [`super::KurrentStore`].
#[derive(Debug, Clone)]
pub struct KurrentConfig {
    /// `kurrentdb://user:password@n1:2113,n2:2113,n3:2113?tls=true&tlsCaFile=/certs/ca.crt`.
    pub connection: String,
    /// Prepended to every stream name in KurrentDB; empty in production, unique per test.
    pub namespace: String,
    /// Our stream prefixes (without the namespace); empty means every stream of the namespace.
    pub stream_prefixes: Vec<String>,
    /// Where the position index is kept.
    pub index: IndexLocation,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// Longest an append waits for its events to show in `$all` before reporting unavailable.
    pub visible_timeout: Duration,
}

impl KurrentConfig {
    /// Production defaults for a connection string: our prefixes, no namespace, index in memory.
    pub fn new(connection: impl Into<String>) -> Self {
        Self {
            connection: connection.into(),
            namespace: String::new(),
            stream_prefixes: DEFAULT_STREAM_PREFIXES
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
            index: IndexLocation::Memory,
            retry: RetryPolicy::default(),
            visible_timeout: Duration::from_secs(10),
        }
    }

    /// Keeps the position index in a file.
    pub fn with_index_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.index = IndexLocation::File(path.into());
        self
    }

    /// Parses the connection string (without connecting).
    pub fn settings(&self) -> Result<kurrentdb::ClientSettings, StoreError> {
        self.connection
            .parse()
            .map_err(|e: kurrentdb::ClientSettingsParseError| {
                // The client's message quotes the string, password included.
                let why = e
                    .message()
                    .replace(&self.connection, &redact(&self.connection));
                let why = match password(&self.connection) {
                    Some(secret) if !secret.is_empty() => why.replace(secret, "***"),
                    _ => why,
                };
                StoreError::InvalidRequest(format!(
                    "bad KurrentDB connection string {}: {why}",
                    redact(&self.connection)
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("kurrentdb://admin:changeit@n1:2113,n2:2113?tls=true"),
            "kurrentdb://admin:***@n1:2113,n2:2113?tls=true"
        );
        assert_eq!(
            redact("kurrentdb://n1:2113?tls=true"),
            "kurrentdb://n1:2113?tls=true"
        );
        assert_eq!(redact("esdb://u:p@h:1/?x=a@b"), "esdb://u:***@h:1/?x=a@b");
        assert_eq!(redact("esdb://u@h:1"), "esdb://u@h:1");
        assert_eq!(password("kurrentdb://admin:s3cr@t@h:1"), Some("s3cr@t"));
    }

    #[test]
    fn cluster_and_tls_connection_strings_parse() {
        for url in [
            "kurrentdb://n1:2113,n2:2113,n3:2113?tls=true",
            "kurrentdb://admin:changeit@n1:2113,n2:2113,n3:2113?tls=true&tlsCaFile=/certs/ca/ca.crt",
            "kurrentdb+discover://cluster.example:2113?tls=true",
            "kurrentdb://localhost:2113?tls=false",
        ] {
            assert!(is_connection_string(url));
            let settings = KurrentConfig::new(url).settings().expect(url);
            assert!(!settings.hosts().is_empty() || settings.is_dns_discovery_enabled());
        }
        let three = KurrentConfig::new("kurrentdb://n1:2113,n2:2113,n3:2113?tls=true")
            .settings()
            .expect("parses");
        assert_eq!(three.hosts().len(), 3);
        assert!(three.is_secure_mode_enabled());
        let plain = KurrentConfig::new("kurrentdb://localhost:2113?tls=false")
            .settings()
            .expect("parses");
        assert!(!plain.is_secure_mode_enabled());
        let bad = KurrentConfig::new("kurrentdb://admin:secret@?tls=maybe").settings();
        match bad {
            Err(StoreError::InvalidRequest(why)) => assert!(!why.contains("secret"), "{why}"),
            other => panic!("expected a parse error, got {other:?}"),
        }
        assert!(!is_connection_string("sqlite:/srv/events.db"));
    }

    #[test]
    fn retries_back_off_and_stop() {
        let p = RetryPolicy::default();
        let delays: Vec<_> = (1..=6).map(|a| p.delay_after(a)).collect();
        assert_eq!(
            delays,
            vec![
                Some(Duration::from_millis(100)),
                Some(Duration::from_millis(200)),
                Some(Duration::from_millis(400)),
                Some(Duration::from_millis(800)),
                Some(Duration::from_millis(1600)),
                None
            ]
        );
        let long = RetryPolicy { attempts: 40, ..p };
        assert_eq!(long.delay_after(39), Some(Duration::from_secs(2)));
    }
}

//! Settings of the PostgreSQL backend: the connection string (one host or several, with
//! `target_session_attrs=read-write` to find the primary), TLS (system roots or a given CA),
//! batch and queue sizes, and how long transient failures are retried.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::error::StoreError;
use crate::kurrentdb::{RetryPolicy, redact};

/// URL schemes of PostgreSQL connection strings.
pub const SCHEMES: &[&str] = &["postgres://", "postgresql://"];

/// Whether a store setting names a PostgreSQL database.
pub fn is_connection_string(text: &str) -> bool {
    SCHEMES.iter().any(|s| text.starts_with(s))
}

/// Settings of a [`super::PostgresStore`].
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    /// `postgres://user:password@db1:5432,db2:5432/bangiao?target_session_attrs=read-write`;
    /// TLS with `sslmode=require` (or `verify-full`), a private CA with `sslrootcert=FILE`.
    pub connection: String,
    /// Most appends committed in one transaction.
    pub max_batch: usize,
    /// Most appends waiting for the writer before new ones are refused as busy.
    pub queue_capacity: usize,
    /// Connections shared by the readers (each carries many queries at once).
    pub readers: usize,
    /// How transient failures (connection lost, no primary yet) are retried.
    pub retry: RetryPolicy,
    /// Longest wait for one transaction or query before the server counts as unavailable.
    pub timeout: Duration,
    /// How often the head is read even when no notification came.
    pub poll_every: Duration,
}

impl PostgresConfig {
    /// Defaults for a connection string.
    pub fn new(connection: impl Into<String>) -> Self {
        Self {
            connection: connection.into(),
            max_batch: 1024,
            queue_capacity: 16_384,
            readers: 4,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            poll_every: Duration::from_secs(1),
        }
    }

    /// The connection string with its password hidden.
    pub fn redacted(&self) -> String {
        redact(&self.connection)
    }

    /// Parses the connection string into the client's settings and a TLS connector.
    pub(crate) fn connector(&self) -> Result<Connector, StoreError> {
        let (url, ca_file) = split_own_options(&self.connection)?;
        let mut config = tokio_postgres::Config::from_str(&url).map_err(|e| {
            StoreError::InvalidRequest(format!(
                "bad PostgreSQL connection string {}: {e}",
                self.redacted()
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        if config.get_application_name().is_none() {
            config.application_name("bangiao");
        }
        config.keepalives_idle(Duration::from_secs(15));
        let tls = tls_config(ca_file.as_deref())?;
        Ok(Connector {
            config,
            tls: tokio_postgres_rustls::MakeRustlsConnect::new(tls),
            timeout: self.timeout,
        })
    }
}

/// Removes the options this backend handles itself from the connection string, which the
/// client would refuse: `sslrootcert=FILE` (a CA to trust) and the `sslmode` values libpq
/// knows and the client does not (`verify-ca`, `verify-full`: certificates are always verified
/// here, so they mean `require`). Returns the rest and the CA file.
fn split_own_options(connection: &str) -> Result<(String, Option<PathBuf>), StoreError> {
    let Some((base, query)) = connection.split_once('?') else {
        return Ok((connection.to_owned(), None));
    };
    let mut ca_file = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (key, value) {
            ("sslrootcert", file) => ca_file = Some(PathBuf::from(percent_decode(file))),
            ("sslmode", "verify-ca" | "verify-full") => kept.push("sslmode=require".to_owned()),
            _ => kept.push(pair.to_owned()),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, ca_file))
}

/// Decodes `%XX` escapes of a URL query value.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The TLS settings: the system's roots, plus the given CA.
fn tls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig, StoreError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        // A broken certificate in the system store is skipped, as browsers do.
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect())
            .map_err(|e| {
                StoreError::InvalidRequest(format!(
                    "cannot read the CA file {}: {e}",
                    path.display()
                ))
            })?;
        if certs.is_empty() {
            return Err(StoreError::InvalidRequest(format!(
                "the CA file {} holds no certificate",
                path.display()
            )));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| {
                StoreError::InvalidRequest(format!("bad CA certificate in {}: {e}", path.display()))
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS settings: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// Everything needed to open a connection.
#[derive(Clone)]
pub(crate) struct Connector {
    pub config: tokio_postgres::Config,
    pub tls: tokio_postgres_rustls::MakeRustlsConnect,
    pub timeout: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_options_are_taken_out_and_the_rest_is_kept() {
        let (url, ca) = split_own_options(
            "postgres://u:p@a:5432,b:5433/bangiao?target_session_attrs=read-write&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .expect("parses");
        assert_eq!(
            url,
            "postgres://u:p@a:5432,b:5433/bangiao?target_session_attrs=read-write&sslmode=require"
        );
        assert_eq!(ca, Some(PathBuf::from("/etc/ca.pem")));
        let (url, ca) = split_own_options("postgres://h/db").expect("parses");
        assert_eq!((url.as_str(), ca), ("postgres://h/db", None));
    }

    #[test]
    fn several_hosts_and_read_write_parse() {
        let config = PostgresConfig::new(
            "postgresql://bangiao:secret@db1:5432,db2:5433/bangiao?target_session_attrs=read-write",
        );
        let connector = config.connector().expect("parses");
        assert_eq!(connector.config.get_hosts().len(), 2);
        assert_eq!(connector.config.get_ports(), &[5432, 5433]);
        assert_eq!(
            connector.config.get_target_session_attrs(),
            tokio_postgres::config::TargetSessionAttrs::ReadWrite
        );
        assert!(!config.redacted().contains("secret"));
    }

    #[test]
    fn a_bad_string_is_refused_without_its_password() {
        let config = PostgresConfig::new("postgres://u:secret@h/db?nonsense=1");
        let Err(StoreError::InvalidRequest(why)) = config.connector() else {
            panic!("refused");
        };
        assert!(!why.contains("secret"), "{why}");
        let missing = PostgresConfig::new("postgres://u@h/db?sslrootcert=/nonexistent/ca.pem");
        assert!(matches!(
            missing.connector(),
            Err(StoreError::InvalidRequest(_))
        ));
    }
}

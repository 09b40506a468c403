//! Settings of `bangiao serve`: each from the command line, else the environment (clap reads
//! both), else the TOML file given by `--config`, else the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use bangiao_store::Durability;
use serde::Deserialize;

use crate::commands::CliError;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The config file: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Listen address.
    pub addr: Option<SocketAddr>,
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Log format.
    pub log_format: Option<LogFormat>,
    /// `full` (default) or `normal`.
    pub durability: Option<Durability>,
    /// The event store: `sqlite:PATH` or `kurrentdb://…` [default: events.db in data_dir].
    pub store: Option<String>,
    /// OIDC/JWT bearer tokens from the province's identity provider.
    pub oidc: Option<OidcFileConfig>,
}

/// The `[oidc]` section of the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcFileConfig {
    /// The expected `iss`.
    pub issuer: String,
    /// The expected `aud`.
    pub audience: String,
    /// A JWKS document with the issuer's public keys.
    pub jwks_file: PathBuf,
    /// The claim holding the role [default: bangiao_role].
    pub role_claim: Option<String>,
    /// The claim holding the scope [default: bangiao_scope].
    pub scope_claim: Option<String>,
    /// Clock skew allowed, in seconds [default: 60].
    pub leeway_seconds: Option<u64>,
}

impl OidcFileConfig {
    /// Reads the JWKS file and builds the verifier.
    pub fn verifier(&self) -> Result<bangiao_auth::jwt::JwtVerifier, CliError> {
        let jwks = std::fs::read_to_string(&self.jwks_file)
            .map_err(|e| CliError::Config(format!("{}: {e}", self.jwks_file.display())))?;
        let config = bangiao_auth::jwt::OidcConfig {
            issuer: self.issuer.clone(),
            audience: self.audience.clone(),
            role_claim: self
                .role_claim
                .clone()
                .unwrap_or_else(|| "bangiao_role".into()),
            scope_claim: self
                .scope_claim
                .clone()
                .unwrap_or_else(|| "bangiao_scope".into()),
            leeway_seconds: self.leeway_seconds.unwrap_or(60),
        };
        bangiao_auth::jwt::JwtVerifier::new(config, &jwks)
            .map_err(|e| CliError::Config(e.to_string()))
    }
}

impl FileConfig {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Self, CliError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Config(format!("{}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| CliError::Config(format!("{}: {e}", path.display())))
    }
}

/// The resolved settings of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Listen address.
    pub addr: SocketAddr,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Log format.
    pub log_format: LogFormat,
    /// Commit durability of the event store.
    pub durability: Durability,
}

/// The default listen address: this machine only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

impl Settings {
    /// Command line and environment first, then the file, then the defaults.
    pub fn resolve(
        addr: Option<SocketAddr>,
        data_dir: Option<PathBuf>,
        log_format: Option<LogFormat>,
        durability: Option<Durability>,
        file: FileConfig,
    ) -> Self {
        let default_addr: SocketAddr = DEFAULT_ADDR
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080)));
        Self {
            addr: addr.or(file.addr).unwrap_or(default_addr),
            data_dir: data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("./data")),
            log_format: log_format.or(file.log_format).unwrap_or_default(),
            durability: durability.or(file.durability).unwrap_or_default(),
        }
    }
}

/// Parses `full` or `normal`.
pub fn parse_durability(text: &str) -> Result<Durability, String> {
    match text {
        "full" => Ok(Durability::Full),
        "normal" => Ok(Durability::Normal),
        other => Err(format!("expected full or normal, got {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let file: FileConfig = toml::from_str(
            "addr = \"0.0.0.0:9000\"\ndata_dir = \"/srv/bg\"\nlog_format = \"json\"",
        )
        .expect("valid config");
        let s = Settings::resolve(
            Some("127.0.0.1:1".parse().expect("addr")),
            None,
            None,
            None,
            file,
        );
        assert_eq!(s.addr.port(), 1);
        assert_eq!(s.data_dir, PathBuf::from("/srv/bg"));
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.durability, Durability::Full);
        let d = Settings::resolve(None, None, None, None, FileConfig::default());
        assert_eq!(
            (d.addr.to_string().as_str(), d.data_dir.clone()),
            (DEFAULT_ADDR, PathBuf::from("./data"))
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<FileConfig>("adress = \"x\"").is_err());
    }
}

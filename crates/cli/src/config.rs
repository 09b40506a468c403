//! Settings of `bangiao serve`: each from the command line, else the environment (clap reads
//! both), else the TOML file given by `--config`, else the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// The event store: `sqlite:PATH`, `postgres://…` or `kurrentdb://…` [default: events.db in
    /// data_dir].
    pub store: Option<String>,
    /// Where digital copies live: a folder, `file:///…` or `s3://bucket/prefix` [default:
    /// blobs in data_dir].
    pub blobs: Option<String>,
    /// Largest digital copy an upload accepts, in bytes [default: 2 GiB].
    pub max_upload_bytes: Option<u64>,
    /// OIDC/JWT bearer tokens from the province's identity provider.
    pub oidc: Option<OidcFileConfig>,
    /// The province's checkpoint public key (base64, as `bangiao checkpoint keygen` prints it):
    /// the verification page cites the checkpoints in `<data dir>/checkpoints/` it signed.
    pub checkpoint_public_key: Option<String>,
}

/// The `[oidc]` section of the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcFileConfig {
    /// The expected `iss`.
    pub issuer: String,
    /// The expected `aud`.
    pub audience: String,
    /// A JWKS document with the issuer's public keys (this or `jwks_url`).
    pub jwks_file: Option<PathBuf>,
    /// Where the issuer publishes its JWKS (this or `jwks_file`); fetched at start and again
    /// every `jwks_refresh_seconds`, so rotated keys are picked up.
    pub jwks_url: Option<String>,
    /// How often the JWKS at `jwks_url` is fetched again, in seconds [default: 600].
    pub jwks_refresh_seconds: Option<u64>,
    /// The claim holding the role [default: bangiao_role].
    pub role_claim: Option<String>,
    /// The claim holding the scope [default: bangiao_scope].
    pub scope_claim: Option<String>,
    /// The claim holding the person's full name, printed on the minutes they sign [default: name].
    pub name_claim: Option<String>,
    /// The claim holding the person's title (chức vụ) [default: bangiao_title].
    pub title_claim: Option<String>,
    /// The claim holding the organ (cơ quan) the person acts for [default: bangiao_organ].
    pub organ_claim: Option<String>,
    /// Clock skew allowed, in seconds [default: 60].
    pub leeway_seconds: Option<u64>,
    /// The provider's authorization endpoint: with `token_endpoint` and `redirect_url`, the
    /// sign-in page offers sign-in through the provider (authorization code flow with PKCE).
    pub authorization_endpoint: Option<String>,
    /// The provider's token endpoint.
    pub token_endpoint: Option<String>,
    /// This site's callback as registered at the provider: `https://HOST/trang/dang-nhap/oidc/ve`.
    pub redirect_url: Option<String>,
    /// The pages' client id at the provider [default: audience]; ID tokens name it in `aud`,
    /// and they are checked against `audience`, so the two must be the same.
    pub client_id: Option<String>,
    /// The client secret, for providers that require one beside PKCE.
    pub client_secret: Option<String>,
}

impl OidcFileConfig {
    /// Builds the verifier from the JWKS file, or from the JWKS URL; with a URL it also starts
    /// a background task that fetches the keys again every `jwks_refresh_seconds`.
    pub async fn verifier(&self) -> Result<bangiao_auth::jwt::JwtVerifier, CliError> {
        let jwks = match (&self.jwks_file, &self.jwks_url) {
            (Some(file), None) => std::fs::read_to_string(file)
                .map_err(|e| CliError::Config(format!("{}: {e}", file.display())))?,
            (None, Some(url)) => fetch_jwks(url).await?,
            _ => {
                return Err(CliError::Config(
                    "[oidc]: cần đúng một trong jwks_file và jwks_url / give exactly one of jwks_file and jwks_url".into(),
                ));
            }
        };
        let defaults = bangiao_auth::jwt::OidcConfig::new(&self.issuer, &self.audience);
        let config = bangiao_auth::jwt::OidcConfig {
            role_claim: self.role_claim.clone().unwrap_or(defaults.role_claim),
            scope_claim: self.scope_claim.clone().unwrap_or(defaults.scope_claim),
            name_claim: self.name_claim.clone().unwrap_or(defaults.name_claim),
            title_claim: self.title_claim.clone().unwrap_or(defaults.title_claim),
            organ_claim: self.organ_claim.clone().unwrap_or(defaults.organ_claim),
            leeway_seconds: self.leeway_seconds.unwrap_or(defaults.leeway_seconds),
            ..defaults
        };
        let verifier = bangiao_auth::jwt::JwtVerifier::new(config, &jwks)
            .map_err(|e| CliError::Config(e.to_string()))?;
        if let Some(url) = self.jwks_url.clone() {
            let every = Duration::from_secs(self.jwks_refresh_seconds.unwrap_or(600).max(1));
            tokio::spawn(refresh_jwks(url, every, verifier.clone()));
        }
        Ok(verifier)
    }
}

impl OidcFileConfig {
    /// The redirect sign-in of the pages, when its endpoints are configured; it checks ID
    /// tokens with `verifier`. Only some of the three settings is a mistake.
    pub fn redirect(
        &self,
        verifier: &bangiao_auth::jwt::JwtVerifier,
    ) -> Result<Option<bangiao_web::oidc::OidcRedirect>, CliError> {
        match (
            &self.authorization_endpoint,
            &self.token_endpoint,
            &self.redirect_url,
        ) {
            (None, None, None) => Ok(None),
            (Some(authorization), Some(token), Some(redirect)) => {
                let client_id = self.client_id.clone().unwrap_or_else(|| self.audience.clone());
                if client_id != self.audience {
                    return Err(CliError::Config(
                        "[oidc]: client_id phải trùng audience / client_id must equal audience (ID tokens are checked against it)".into(),
                    ));
                }
                Ok(Some(bangiao_web::oidc::OidcRedirect {
                    authorization_endpoint: authorization.clone(),
                    token_endpoint: token.clone(),
                    client_id,
                    client_secret: self.client_secret.clone(),
                    redirect_url: redirect.clone(),
                    verifier: verifier.clone(),
                }))
            }
            _ => Err(CliError::Config(
                "[oidc]: cần đủ authorization_endpoint, token_endpoint và redirect_url / give all of authorization_endpoint, token_endpoint and redirect_url".into(),
            )),
        }
    }
}

/// Fetches a JWKS document.
async fn fetch_jwks(url: &str) -> Result<String, CliError> {
    let failed = |e: reqwest::Error| {
        CliError::Config(format!(
            "không tải được khóa JWKS / could not fetch the JWKS {url}: {e}"
        ))
    };
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(failed)?
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(failed)?
        .text()
        .await
        .map_err(failed)
}

/// Fetches the JWKS again every `every`; a failed or bad fetch keeps the keys already held.
async fn refresh_jwks(url: String, every: Duration, verifier: bangiao_auth::jwt::JwtVerifier) {
    loop {
        tokio::time::sleep(every).await;
        match fetch_jwks(&url).await {
            Ok(text) => match verifier.replace_keys(&text) {
                Ok(keys) => tracing::debug!(%url, keys, "JWKS refreshed"),
                Err(error) => {
                    tracing::warn!(%url, %error, "JWKS refresh refused; keeping the old keys")
                }
            },
            Err(error) => tracing::warn!(%error, "JWKS refresh failed; keeping the old keys"),
        }
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
        other => Err(format!(
            "cần full hoặc normal, không phải {other:?} / expected full or normal, got {other:?}"
        )),
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

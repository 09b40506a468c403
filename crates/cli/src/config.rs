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

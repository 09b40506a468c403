//! Which event store to open: `sqlite:PATH` (an events.db file), a data directory (its
//! events.db), a PostgreSQL connection string
//! (`postgres://bangiao@db1:5432,db2:5432/bangiao?target_session_attrs=read-write`), or a
//! KurrentDB connection string (`kurrentdb://n1:2113,n2:2113?tls=true`).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use bangiao_store::kurrentdb::{IndexLocation, is_connection_string, redact};
use bangiao_store::{
    Durability, EventStore, KurrentConfig, KurrentStore, PostgresConfig, PostgresStore,
    SqliteConfig, SqliteStore,
};

use crate::commands::CliError;
use crate::data_dir::DataDir;

/// The name of the KurrentDB position index in a data directory.
pub const KURRENTDB_INDEX: &str = "kurrentdb-index.db";

/// An event store named on the command line, in the environment or in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSpec {
    /// The embedded store file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (one host, or a primary and its standbys).
    Postgres(String),
    /// A KurrentDB cluster.
    Kurrent(String),
}

impl FromStr for StoreSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err("tên kho trống / an empty store name".into());
        }
        if is_connection_string(text) {
            return Ok(Self::Kurrent(text.to_owned()));
        }
        if bangiao_store::postgres::is_connection_string(text) {
            return Ok(Self::Postgres(text.to_owned()));
        }
        if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(
                    "sqlite: cần một tệp, ví dụ sqlite:/srv/bangiao/events.db / \
                     sqlite: needs a file, e.g. sqlite:/srv/bangiao/events.db"
                        .into(),
                );
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if text.contains("://") {
            return Err(format!(
                "không rõ kho {store}: cần sqlite:ĐƯỜNG_DẪN, một thư mục dữ liệu, postgres://… hoặc \
                 kurrentdb://… / unknown store {store}: expected sqlite:PATH, a data directory, \
                 postgres://… or kurrentdb://…",
                store = redact(text)
            ));
        }
        let path = PathBuf::from(text);
        Ok(if path.extension().is_some_and(|e| e == "db") {
            Self::Sqlite(path)
        } else {
            Self::Sqlite(path.join("events.db"))
        })
    }
}

impl std::fmt::Display for StoreSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Self::Postgres(url) | Self::Kurrent(url) => f.write_str(&redact(url)),
        }
    }
}

impl StoreSpec {
    /// Opens the store; a KurrentDB store keeps its position index in `index_dir` (in memory
    /// when None).
    pub async fn open(
        &self,
        durability: Durability,
        index_dir: Option<&Path>,
    ) -> Result<Arc<dyn EventStore>, CliError> {
        match self {
            Self::Sqlite(path) => {
                let mut config = SqliteConfig::new(path);
                config.durability = durability;
                Ok(Arc::new(SqliteStore::open(config)?))
            }
            Self::Postgres(url) => Ok(Arc::new(
                PostgresStore::connect(PostgresConfig::new(url.clone())).await?,
            )),
            Self::Kurrent(url) => {
                let mut config = KurrentConfig::new(url.clone());
                if let Some(dir) = index_dir {
                    config.index = IndexLocation::File(dir.join(KURRENTDB_INDEX));
                }
                Ok(Arc::new(KurrentStore::connect(config).await?))
            }
        }
    }
}

/// Opens the store named by `--store` (a KurrentDB index then lives in the data directory), or
/// else the data directory's own events.db, refused when `must_exist` and it does not exist.
pub async fn open_store(
    spec: Option<&StoreSpec>,
    data: &DataDir,
    must_exist: bool,
) -> Result<Arc<dyn EventStore>, CliError> {
    match spec {
        Some(spec) => spec.open(Durability::Full, Some(data.root())).await,
        None => {
            if must_exist {
                data.require_store()?;
            }
            Ok(Arc::new(data.open_store(Durability::Full)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_store_name_parses() {
        let parse = |s: &str| s.parse::<StoreSpec>();
        assert_eq!(
            parse("sqlite:/srv/bangiao/events.db"),
            Ok(StoreSpec::Sqlite("/srv/bangiao/events.db".into()))
        );
        assert_eq!(
            parse("sqlite:///srv/bg/events.db"),
            Ok(StoreSpec::Sqlite("/srv/bg/events.db".into()))
        );
        assert_eq!(
            parse("/var/lib/bangiao"),
            Ok(StoreSpec::Sqlite("/var/lib/bangiao/events.db".into()))
        );
        assert_eq!(
            parse("./backup.db"),
            Ok(StoreSpec::Sqlite("./backup.db".into()))
        );
        let cluster = "kurrentdb://admin:changeit@n1:2113,n2:2113,n3:2113?tls=true";
        assert_eq!(parse(cluster), Ok(StoreSpec::Kurrent(cluster.into())));
        assert_eq!(
            parse(cluster).expect("parses").to_string(),
            "kurrentdb://admin:***@n1:2113,n2:2113,n3:2113?tls=true"
        );
        assert!(parse("").is_err());
        assert!(parse("sqlite:").is_err());
        let primary_and_standby =
            "postgres://bangiao:secret@db1:5432,db2:5432/bangiao?target_session_attrs=read-write";
        assert_eq!(
            parse(primary_and_standby),
            Ok(StoreSpec::Postgres(primary_and_standby.into()))
        );
        assert_eq!(
            parse(primary_and_standby).expect("parses").to_string(),
            "postgres://bangiao:***@db1:5432,db2:5432/bangiao?target_session_attrs=read-write"
        );
        assert_eq!(
            parse("postgresql://h/db"),
            Ok(StoreSpec::Postgres("postgresql://h/db".into()))
        );
        let unknown = parse("mysql://u:secret@h/db").expect_err("refused");
        assert!(!unknown.contains("secret"), "{unknown}");
    }
}

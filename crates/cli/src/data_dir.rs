//! The data directory: the event store and the read models, side by side.

use std::path::{Path, PathBuf};

use bangiao_store::{Durability, SqliteConfig, SqliteStore};

use crate::commands::CliError;
use crate::lock::DirLock;

/// The files of one data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The directory at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The event store file.
    pub fn events(&self) -> PathBuf {
        self.root.join("events.db")
    }

    /// The read-model file.
    pub fn read_model(&self) -> PathBuf {
        self.root.join("readmodel.db")
    }

    /// Opens (creating) the event store.
    pub fn open_store(&self, durability: Durability) -> Result<SqliteStore, CliError> {
        let mut config = SqliteConfig::new(self.events());
        config.durability = durability;
        Ok(SqliteStore::open(config)?)
    }

    /// Takes the directory (created when missing) for `command` until the lock is dropped;
    /// refuses when another process holds it.
    pub fn lock(&self, command: &str) -> Result<DirLock, CliError> {
        DirLock::acquire(&self.root, command)
    }

    /// Refuses to go on when the event store does not exist (a typo in `--data-dir`).
    pub fn require_store(&self) -> Result<(), CliError> {
        if self.events().exists() {
            Ok(())
        } else {
            Err(CliError::NoStore(self.events()))
        }
    }
}

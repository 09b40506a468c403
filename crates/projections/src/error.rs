//! Errors of the read models.

use bangiao_store::StoreError;

/// Why a projection or a query failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// The read-model database failed.
    #[error("read model: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The event store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored event could not be read as a domain event.
    #[error("event at position {position} ({event_type}) cannot be read: {reason}")]
    Decode {
        /// Global position of the event.
        position: u64,
        /// Its type name.
        event_type: String,
        /// What went wrong.
        reason: String,
    },
    /// The read-model file is from another version of this program and must be rebuilt.
    #[error(
        "the read model has version {found}, this program needs {needed}: run `bangiao rebuild`"
    )]
    NeedsRebuild {
        /// Version in the file.
        found: u32,
        /// Version this code writes.
        needed: u32,
    },
    /// A file system operation around the read-model file failed.
    #[error("read model file: {0}")]
    Io(String),
}

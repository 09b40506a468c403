//! Typed errors of every event store backend.

use uuid::Uuid;

use crate::event::ExpectedState;

/// Why an event store operation failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The stream is not in the state the writer expected; `current` is its last revision.
    #[error("stream {stream}: expected {expected}, but its current revision is {}", current.map_or("none".to_owned(), |r| r.to_string()))]
    WrongExpectedVersion {
        /// The stream appended to.
        stream: String,
        /// What the writer expected.
        expected: ExpectedState,
        /// The stream's last revision (None: the stream does not exist).
        current: Option<u64>,
    },
    /// An event id already exists at another place in the log.
    #[error("event id {event_id} already exists elsewhere in the log")]
    DuplicateEventId {
        /// The clashing id.
        event_id: Uuid,
    },
    /// A command id already produced an append to another stream.
    #[error("command {command_id} was already applied to stream {stream}")]
    CommandIdReused {
        /// The reused command id.
        command_id: Uuid,
        /// The stream the first append went to.
        stream: String,
    },
    /// The request itself is malformed (no events, empty stream name, …).
    #[error("invalid append: {0}")]
    InvalidRequest(String),
    /// The writer's queue is full: retry later.
    #[error("the event store is busy: too many writes are waiting")]
    Busy,
    /// The disk is full: nothing was written.
    #[error("the disk holding the event store is full: nothing was written")]
    StorageFull,
    /// The database cannot be written (read-only file or filesystem).
    #[error("the event store is read-only: nothing was written")]
    ReadOnly,
    /// The backend refused our credentials or permissions (KurrentDB access denied).
    #[error("the event store refused access: {0}")]
    AccessDenied(String),
    /// A stream or resource the operation needs does not exist.
    #[error("not found in the event store: {0}")]
    NotFound(String),
    /// The stream was deleted in the backend (KurrentDB tombstone or soft delete).
    #[error("stream {stream} was deleted in the event store")]
    StreamDeleted {
        /// The deleted stream.
        stream: String,
    },
    /// The backend cannot be reached or is not the leader; retrying may help.
    #[error("the event store is unavailable: {0}")]
    Unavailable(String),
    /// A stored row cannot be read back as an event.
    #[error("stored event at position {position} is unreadable: {reason}")]
    Corrupt {
        /// Global position of the bad row.
        position: u64,
        /// What is wrong.
        reason: String,
    },
    /// Anything else the backend reported.
    #[error("event store failure: {0}")]
    Backend(String),
}

impl StoreError {
    /// Whether retrying the same operation later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Busy | Self::Unavailable(_))
    }
}

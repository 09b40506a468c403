//! The few KurrentDB operations the backend needs, behind a trait: the gRPC client implements it
//! for a real cluster ([`super::grpc`]), an in-memory stand-in implements it for tests
//! ([`super::fake`]). Everything above this trait runs the same code on both.

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;
use kurrentdb::{Position, StreamState, WriteResult};
use uuid::Uuid;

/// One event as KurrentDB stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// KurrentDB stream name (with the namespace, if any).
    pub stream: String,
    /// Revision in the stream, from 0.
    pub revision: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Event type.
    pub event_type: String,
    /// Payload bytes.
    pub data: Bytes,
    /// Custom (user) metadata bytes: our envelope.
    pub custom_metadata: Bytes,
    /// Where the event sits in `$all`.
    pub position: Position,
}

/// One event to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNewEvent {
    /// Event id (ours, so the server's duplicate detection applies).
    pub event_id: Uuid,
    /// Event type.
    pub event_type: String,
    /// Payload bytes.
    pub data: Bytes,
    /// Whether the payload is JSON (content type `application/json`).
    pub is_json: bool,
    /// Custom metadata bytes: our envelope.
    pub custom_metadata: Bytes,
}

/// What a catch-up subscription to `$all` delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An event matching the filter.
    Event(RawEvent),
    /// The server's filter checkpoint: a place in `$all` it has searched up to. Never a place
    /// to resume from (KurrentDB issue #4970: it may lie past events not yet delivered).
    Checkpoint(Position),
    /// The subscription has delivered everything written so far; what follows is live.
    CaughtUp,
}

/// A live subscription; ends with an error when the connection drops.
pub type Deliveries = BoxStream<'static, Result<Delivery, kurrentdb::Error>>;

/// The KurrentDB operations the backend uses.
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Appends events to one stream if it is in the expected state.
    async fn append(
        &self,
        stream: &str,
        expected: StreamState,
        events: Vec<RawNewEvent>,
    ) -> Result<WriteResult, kurrentdb::Error>;

    /// Reads `$all` forward, only streams starting with one of `prefixes`, from `from`
    /// (the start when None; a position may or may not be included: callers skip it).
    async fn read_all(
        &self,
        from: Option<Position>,
        prefixes: &[String],
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error>;

    /// Reads a stream forward from a revision (inclusive); `ResourceNotFound` when it does not
    /// exist.
    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error>;

    /// The last event of a stream; `ResourceNotFound` when it does not exist.
    async fn last_event(&self, stream: &str) -> Result<Option<RawEvent>, kurrentdb::Error>;

    /// Subscribes to `$all` after `from` (exclusive; the start when None), filtered by prefix.
    fn subscribe_all(&self, from: Option<Position>, prefixes: &[String]) -> Deliveries;
}

//! Pure translations between our store and KurrentDB: stream names, expected states, errors,
//! the event envelope and positions. No I/O; every rule here is unit-tested without a server.
//!
//! **The envelope.** KurrentDB keeps an event's id, type, payload (`data`) and one free
//! "custom metadata" blob. Ours is this JSON object:
//!
//! ```json
//! { "$correlationId": "…", "$causationId": "…",
//!   "bangiao": { "format": 1, "schema_version": 1, "command_id": "…" },
//!   "metadata": { …our metadata JSON, byte for byte… } }
//! ```
//!
//! `bangiao` is the reserved key: the fields the SQLite backend keeps in its own columns
//! (schema version; the command id of the append, for idempotent retries). `metadata` is the
//! metadata text exactly as the caller gave it (embedded raw, so the hash chain, which covers
//! those bytes, is the same on every backend); metadata that is not JSON goes, as a string,
//! under `metadata_text`. `$correlationId` and `$causationId` are copies for KurrentDB's own
//! `$by_correlation_id` projection; they are never read back. The chain hash is not stored:
//! see `super::index`.

use bytes::Bytes;
use kurrentdb::{CurrentRevision, Position, StreamState};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::transport::{RawEvent, RawNewEvent};
use crate::error::StoreError;
use crate::event::{EventMetadata, ExpectedState, NewEvent};

/// Version of the envelope layout written by this code.
pub const ENVELOPE_FORMAT: u32 = 1;

/// The reserved key of the envelope.
pub const RESERVED_KEY: &str = "bangiao";

/// Our stream names in KurrentDB: an optional namespace before each, and the prefixes we own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    namespace: String,
    prefixes: Vec<String>,
}

impl Names {
    /// Names under `namespace`, owning streams that start with one of `prefixes` (all when empty).
    pub fn new(namespace: &str, prefixes: &[String]) -> Result<Self, StoreError> {
        if namespace.is_empty() && prefixes.iter().all(String::is_empty) {
            return Err(StoreError::InvalidRequest(
                "the KurrentDB backend needs a namespace or stream prefixes: it never follows all of $all".into(),
            ));
        }
        if namespace.starts_with('$') || prefixes.iter().any(|p| p.starts_with('$')) {
            return Err(StoreError::InvalidRequest(
                "streams starting with $ are KurrentDB's own".into(),
            ));
        }
        Ok(Self {
            namespace: namespace.to_owned(),
            prefixes: prefixes.iter().filter(|p| !p.is_empty()).cloned().collect(),
        })
    }

    /// Whether we may write this stream (it is one the `$all` filter will show us).
    pub fn owns(&self, stream: &str) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|p| stream.starts_with(p.as_str()))
    }

    /// The KurrentDB name of one of our streams.
    pub fn to_kurrent(&self, stream: &str) -> String {
        format!("{}{stream}", self.namespace)
    }

    /// Our name of a KurrentDB stream, when it is one of ours.
    pub fn from_kurrent<'a>(&self, name: &'a str) -> Option<&'a str> {
        name.strip_prefix(self.namespace.as_str())
            .filter(|stream| self.owns(stream))
    }

    /// The stream-name prefixes of the `$all` filter.
    pub fn filter_prefixes(&self) -> Vec<String> {
        if self.prefixes.is_empty() {
            vec![self.namespace.clone()]
        } else {
            self.prefixes
                .iter()
                .map(|p| format!("{}{p}", self.namespace))
                .collect()
        }
    }

    /// A text that changes when the set of followed streams changes (kept in the index).
    pub fn identity(&self) -> String {
        format!("{}|{}", self.namespace, self.prefixes.join(","))
    }
}

/// Our expected state as KurrentDB's `StreamState` (the same four cases).
pub fn stream_state(expected: ExpectedState) -> StreamState {
    match expected {
        ExpectedState::Any => StreamState::Any,
        ExpectedState::NoStream => StreamState::NoStream,
        ExpectedState::StreamExists => StreamState::StreamExists,
        ExpectedState::Revision(r) => StreamState::StreamRevision(r),
    }
}

/// KurrentDB's current revision as ours (None: no stream).
pub fn current_revision(current: CurrentRevision) -> Option<u64> {
    match current {
        CurrentRevision::Current(r) => Some(r),
        CurrentRevision::NoStream => None,
    }
}

/// What an operation was doing when KurrentDB failed, to name it in the error.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Our stream name, when the operation had one.
    pub stream: Option<&'a str>,
    /// The expected state of an append.
    pub expected: Option<ExpectedState>,
}

impl<'a> Context<'a> {
    /// An operation on `$all`.
    pub const ALL: Context<'static> = Context {
        stream: None,
        expected: None,
    };

    /// A read of one stream.
    pub fn stream(stream: &'a str) -> Self {
        Self {
            stream: Some(stream),
            expected: None,
        }
    }

    /// An append to one stream.
    pub fn append(stream: &'a str, expected: ExpectedState) -> Self {
        Self {
            stream: Some(stream),
            expected: Some(expected),
        }
    }
}

/// Maps a KurrentDB failure to the store's typed errors; [`StoreError::is_transient`] tells
/// which ones are retried.
pub fn map_error(e: &kurrentdb::Error, cx: Context<'_>) -> StoreError {
    use kurrentdb::Error as K;
    let stream = || cx.stream.unwrap_or("$all").to_owned();
    match e {
        K::WrongExpectedVersion { current, .. } => StoreError::WrongExpectedVersion {
            stream: stream(),
            expected: cx.expected.unwrap_or(ExpectedState::Any),
            current: current_revision(*current),
        },
        K::NotLeaderException(leader) => StoreError::Unavailable(format!(
            "this node is not the leader (the leader is {}:{})",
            leader.host, leader.port
        )),
        K::ConnectionClosed => StoreError::Unavailable("the connection closed".into()),
        K::GrpcConnectionError(e) => StoreError::Unavailable(e.to_string()),
        K::DeadlineExceeded => StoreError::Unavailable("the deadline passed".into()),
        K::InitializationError(why) => StoreError::Unavailable(format!("cannot connect: {why}")),
        K::ServerError(why) if why.contains("Unavailable") => StoreError::Unavailable(why.clone()),
        K::ServerError(why) => StoreError::Backend(format!("KurrentDB server error: {why}")),
        K::AccessDenied => StoreError::AccessDenied(format!(
            "KurrentDB denied access to {} (check the user and its ACLs)",
            stream()
        )),
        K::ResourceNotFound => StoreError::NotFound(stream()),
        K::ResourceDeleted => StoreError::StreamDeleted { stream: stream() },
        K::Grpc { code, message } => match i32::from(*code) {
            GRPC_RESOURCE_EXHAUSTED => StoreError::Busy,
            GRPC_INVALID_ARGUMENT => StoreError::InvalidRequest(message.clone()),
            GRPC_ABORTED | GRPC_CANCELLED => StoreError::Unavailable(message.clone()),
            other => StoreError::Backend(format!("KurrentDB gRPC status {other}: {message}")),
        },
        other => StoreError::Backend(format!("KurrentDB: {other}")),
    }
}

/// gRPC status code: the call was cancelled.
const GRPC_CANCELLED: i32 = 1;
/// gRPC status code: a malformed request (e.g. an append above the server's size limit).
const GRPC_INVALID_ARGUMENT: i32 = 3;
/// gRPC status code: too many requests.
const GRPC_RESOURCE_EXHAUSTED: i32 = 8;
/// gRPC status code: the operation was aborted.
const GRPC_ABORTED: i32 = 10;

/// The reserved part of the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reserved {
    /// Envelope layout version.
    pub format: u32,
    /// Version of the payload's schema.
    pub schema_version: u32,
    /// The command id of the append the event belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_id: Option<Uuid>,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    #[serde(rename = "$correlationId", skip_serializing_if = "Option::is_none")]
    correlation_id: Option<Uuid>,
    #[serde(rename = "$causationId", skip_serializing_if = "Option::is_none")]
    causation_id: Option<Uuid>,
    bangiao: Reserved,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata_text: Option<&'a str>,
}

#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    bangiao: Option<Reserved>,
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
    metadata_text: Option<String>,
}

/// Builds the KurrentDB event for one of ours: our id, type and payload bytes, the envelope.
pub fn encode_event(event: &NewEvent, command_id: Option<Uuid>) -> Result<RawNewEvent, StoreError> {
    let raw_metadata: Option<&RawValue> = serde_json::from_str(&event.metadata).ok();
    let parsed: Option<EventMetadata> = serde_json::from_str(&event.metadata).ok();
    let envelope = EnvelopeOut {
        correlation_id: parsed.as_ref().and_then(|m| m.correlation_id),
        causation_id: parsed.as_ref().and_then(|m| m.causation_id),
        bangiao: Reserved {
            format: ENVELOPE_FORMAT,
            schema_version: event.schema_version,
            command_id,
        },
        metadata: raw_metadata,
        metadata_text: raw_metadata.is_none().then_some(event.metadata.as_str()),
    };
    let custom_metadata = serde_json::to_vec(&envelope)
        .map_err(|e| StoreError::InvalidRequest(format!("metadata cannot be encoded: {e}")))?;
    Ok(RawNewEvent {
        event_id: event.event_id,
        event_type: event.event_type.clone(),
        data: Bytes::from(event.payload.clone().into_bytes()),
        is_json: serde_json::from_str::<&RawValue>(&event.payload).is_ok(),
        custom_metadata: Bytes::from(custom_metadata),
    })
}

/// One of our events read back from KurrentDB, before it gets a global position and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Our stream name.
    pub stream: String,
    /// Revision in the stream.
    pub revision: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Type name.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: u32,
    /// Payload text, as appended.
    pub payload: String,
    /// Metadata text, as appended.
    pub metadata: String,
    /// Command id of the append.
    pub command_id: Option<Uuid>,
    /// Where it sits in `$all`.
    pub position: Position,
}

/// Why a KurrentDB event is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The stream is outside our namespace and prefixes.
    #[error("stream {0} is not one of ours")]
    ForeignStream(String),
    /// The event has no `bangiao` envelope: something else wrote it.
    #[error("event {event_id} in {stream} has no bangiao envelope: it was not written by Bàn Giao")]
    NoEnvelope {
        /// The stream.
        stream: String,
        /// The event.
        event_id: Uuid,
    },
    /// The envelope is from a newer Bàn Giao.
    #[error(
        "event {event_id} has envelope format {found}, newer than {ENVELOPE_FORMAT}: upgrade Bàn Giao"
    )]
    NewerFormat {
        /// The event.
        event_id: Uuid,
        /// The format found.
        found: u32,
    },
    /// Payload or metadata bytes are not UTF-8.
    #[error("event {event_id}: {what} is not valid UTF-8")]
    NotText {
        /// The event.
        event_id: Uuid,
        /// Which part.
        what: &'static str,
    },
}

/// Reads one of our events back from its KurrentDB form.
pub fn decode_event(names: &Names, raw: &RawEvent) -> Result<Decoded, MappingError> {
    let stream = names
        .from_kurrent(&raw.stream)
        .ok_or_else(|| MappingError::ForeignStream(raw.stream.clone()))?;
    let no_envelope = || MappingError::NoEnvelope {
        stream: stream.to_owned(),
        event_id: raw.event_id,
    };
    fn text<'b>(
        bytes: &'b Bytes,
        event_id: Uuid,
        what: &'static str,
    ) -> Result<&'b str, MappingError> {
        std::str::from_utf8(bytes).map_err(|_| MappingError::NotText { event_id, what })
    }
    let envelope: EnvelopeIn<'_> =
        serde_json::from_str(text(&raw.custom_metadata, raw.event_id, "metadata")?)
            .map_err(|_| no_envelope())?;
    let reserved = envelope.bangiao.ok_or_else(no_envelope)?;
    if reserved.format > ENVELOPE_FORMAT {
        return Err(MappingError::NewerFormat {
            event_id: raw.event_id,
            found: reserved.format,
        });
    }
    let metadata = match (envelope.metadata, envelope.metadata_text) {
        (Some(raw), _) => raw.get().to_owned(),
        (None, Some(text)) => text,
        (None, None) => return Err(no_envelope()),
    };
    Ok(Decoded {
        stream: stream.to_owned(),
        revision: raw.revision,
        event_id: raw.event_id,
        event_type: raw.event_type.clone(),
        schema_version: reserved.schema_version,
        payload: text(&raw.data, raw.event_id, "payload")?.to_owned(),
        metadata,
        command_id: reserved.command_id,
        position: raw.position,
    })
}

/// A KurrentDB position as two SQLite integers (commit, prepare).
pub fn position_to_sql(p: Position) -> Result<(i64, i64), StoreError> {
    let convert = |v: u64| {
        i64::try_from(v)
            .map_err(|_| StoreError::Backend(format!("KurrentDB position {p} is beyond 2^63")))
    };
    Ok((convert(p.commit)?, convert(p.prepare)?))
}

/// Two SQLite integers back into a KurrentDB position.
pub fn position_from_sql(commit: i64, prepare: i64) -> Position {
    Position {
        commit: commit as u64,
        prepare: prepare as u64,
    }
}

#[cfg(test)]
mod tests;

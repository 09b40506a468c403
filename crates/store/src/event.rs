//! The event envelope: what a caller appends and what a reader gets back.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A 32-byte SHA-256 digest that chains an event to the one before it in the global log.
pub type Hash = [u8; 32];

/// The hash that precedes the first event of the log.
pub const GENESIS_HASH: Hash = [0; 32];

/// Who performed the act that an event records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorRef {
    /// The user's stable id.
    pub user_id: String,
    /// The role the user acted in (clerk, archivist, …).
    pub role: String,
    /// The unit or custodian the user acted for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The user's full name as their credential gave it when they acted, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's title (chức vụ) when they acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The organ (cơ quan) the user acted for, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organ: Option<String>,
}

impl ActorRef {
    /// An actor known only by id, role and the unit acted for.
    pub fn new(user_id: impl Into<String>, role: impl Into<String>, unit: Option<String>) -> Self {
        Self {
            user_id: user_id.into(),
            role: role.into(),
            unit,
            name: None,
            title: None,
            organ: None,
        }
    }
}

/// The legal act an event rests on (resolution, decision, minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasisRef {
    /// Number and notation, e.g. `202/2025/QH15`.
    pub number: String,
    /// Date the act was issued.
    pub issued_on: NaiveDate,
    /// Who issued it, e.g. `Quốc hội`.
    pub issuer: String,
}

/// Metadata carried by every event beside its payload (design.md §3, the envelope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    /// The business date of the act, e.g. the date written on the minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<NaiveDate>,
    /// When the service recorded the event.
    pub recorded_at: DateTime<Utc>,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorRef>,
    /// The command that produced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_id: Option<Uuid>,
    /// The conversation the command belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    /// The message that caused the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
    /// The legal act the event rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<LegalBasisRef>,
    /// SHA-256 (hex) of the request that carried the command, so that a retry with the same
    /// command id is recognised as the same request (see `CommandMeta::request_digest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_digest: Option<String>,
}

impl EventMetadata {
    /// Metadata with only the recording time set.
    pub fn recorded_now() -> Self {
        Self::recorded_at(Utc::now())
    }

    /// Metadata with only the recording time set, to the given instant.
    pub fn recorded_at(recorded_at: DateTime<Utc>) -> Self {
        Self {
            effective_on: None,
            recorded_at,
            actor: None,
            command_id: None,
            correlation_id: None,
            causation_id: None,
            legal_basis: None,
            request_digest: None,
        }
    }
}

/// An event to append: payload and metadata already serialized to JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// Unique id (UUIDv7), also the KurrentDB event id.
    pub event_id: Uuid,
    /// Stable type name.
    pub event_type: String,
    /// Version of the payload's schema.
    pub schema_version: u32,
    /// Payload as JSON text.
    pub payload: String,
    /// Metadata as JSON text (serialized [`EventMetadata`]).
    pub metadata: String,
}

impl NewEvent {
    /// Builds an event from a JSON payload and typed metadata.
    pub fn new(
        event_id: Uuid,
        event_type: impl Into<String>,
        schema_version: u32,
        payload: String,
        metadata: &EventMetadata,
    ) -> Self {
        Self {
            event_id,
            event_type: event_type.into(),
            schema_version,
            payload,
            metadata: serde_json::to_string(metadata)
                .expect("metadata holds only strings, dates and ids"),
        }
    }
}

/// What the writer expects of the stream before appending (KurrentDB's `StreamState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedState {
    /// No check.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must have at least one event.
    StreamExists,
    /// The stream's last event must have this revision.
    Revision(u64),
}

impl ExpectedState {
    /// Whether a stream whose last revision is `current` (None: no stream) satisfies this.
    pub fn accepts(self, current: Option<u64>) -> bool {
        match self {
            Self::Any => true,
            Self::NoStream => current.is_none(),
            Self::StreamExists => current.is_some(),
            Self::Revision(expected) => current == Some(expected),
        }
    }
}

impl std::fmt::Display for ExpectedState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Any => f.write_str("any"),
            Self::NoStream => f.write_str("no stream"),
            Self::StreamExists => f.write_str("stream exists"),
            Self::Revision(r) => write!(f, "revision {r}"),
        }
    }
}

/// One append: events for one stream, with the expected state and the command behind them.
#[derive(Debug, Clone)]
pub struct AppendRequest {
    /// Target stream name, e.g. `fonds-066`.
    pub stream: String,
    /// What the stream must look like before the append.
    pub expected: ExpectedState,
    /// The command id; a second append with the same id appends nothing and returns the first result.
    pub command_id: Option<Uuid>,
    /// The events, in order; at least one.
    pub events: Vec<NewEvent>,
}

/// Where an append landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    /// Revision of the last event written: the expected revision of the next append.
    pub next_expected_revision: u64,
    /// Global position of the first event written.
    pub first_position: u64,
    /// Global position of the last event written.
    pub position: u64,
}

/// An event as stored, with its place in its stream and in the global log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// Gapless position in the global log, starting at 1.
    pub position: u64,
    /// Stream name.
    pub stream: String,
    /// Revision in the stream, starting at 0.
    pub revision: u64,
    /// Unique event id.
    pub event_id: Uuid,
    /// Stable type name.
    pub event_type: String,
    /// Version of the payload's schema as stored.
    pub schema_version: u32,
    /// Payload as stored JSON text.
    pub payload: String,
    /// Metadata as stored JSON text.
    pub metadata: String,
    /// Chain hash: SHA-256 over the previous hash and this event.
    pub hash: Hash,
}

impl RecordedEvent {
    /// Parses the metadata JSON.
    pub fn metadata(&self) -> Result<EventMetadata, serde_json::Error> {
        serde_json::from_str(&self.metadata)
    }

    /// The chain hash in lowercase hex.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_without_a_name_is_stored_as_before_and_a_named_one_keeps_its_name() {
        let before = r#"{"recorded_at":"2025-07-01T08:30:00Z","actor":{"user_id":"vanthu.066","role":"clerk","unit":"066"}}"#;
        let metadata: EventMetadata = serde_json::from_str(before).expect("older metadata");
        assert_eq!(serde_json::to_string(&metadata).expect("json"), before);
        let named = ActorRef {
            name: Some("Nông Văn Páo".into()),
            title: Some("Chủ tịch Ủy ban nhân dân xã".into()),
            organ: None,
            ..ActorRef::new("chutich.06602", "clerk", None)
        };
        let json = serde_json::to_string(&named).expect("json");
        assert_eq!(
            json,
            r#"{"user_id":"chutich.06602","role":"clerk","name":"Nông Văn Páo","title":"Chủ tịch Ủy ban nhân dân xã"}"#
        );
        assert_eq!(
            serde_json::from_str::<ActorRef>(&json).expect("back"),
            named
        );
    }
}

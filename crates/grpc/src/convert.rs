//! Conversions between the stored JSON and the protobuf messages.
//!
//! Event and command messages have the field names of the stored JSON payloads (and derive
//! serde), so an event converts by decoding its payload into the message of its type, and back
//! by encoding the message as JSON: no hand-written field mapping that could drift. The test
//! `tests/round_trip.rs` holds every stored event type to a lossless round trip.

use bangiao_store::RecordedEvent;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::pb;
use crate::pb::event::Payload;

/// A payload or envelope that does not fit its protobuf message.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The event type has no protobuf message.
    #[error("event type {0:?} has no protobuf message")]
    UnknownType(String),
    /// The JSON does not match the message's fields.
    #[error("{what} does not match its protobuf message: {source}")]
    Json {
        /// What was converted (an event type, "metadata", a command).
        what: String,
        /// What serde reported.
        source: serde_json::Error,
    },
}

fn json_error(what: &str) -> impl FnOnce(serde_json::Error) -> ConvertError + '_ {
    move |source| ConvertError::Json {
        what: what.to_owned(),
        source,
    }
}

/// Declares the event types that have a protobuf message: each is a variant of
/// `Event.payload` named like the stored type.
macro_rules! published {
    ($($name:ident),+ $(,)?) => {
        /// Every event type published with a protobuf message.
        pub const PUBLISHED_TYPES: &[&str] = &[$(stringify!($name)),+];

        /// The protobuf payload of a stored event from its type name and JSON payload.
        pub fn payload_to_proto(event_type: &str, json: &str) -> Result<Payload, ConvertError> {
            match event_type {
                $(stringify!($name) => Ok(Payload::$name(
                    serde_json::from_str(json).map_err(json_error(event_type))?,
                )),)+
                other => Err(ConvertError::UnknownType(other.to_owned())),
            }
        }

        /// The stored type name and JSON payload of a protobuf payload.
        pub fn payload_to_json(payload: &Payload) -> (&'static str, String) {
            match payload {
                $(Payload::$name(p) => (stringify!($name), to_json(p)),)+
            }
        }
    };
}

published! {
    UnitRegistered, UnitMergedInto, UnitFormedByMerger, UnitAbsorbed, UnitSplitInto,
    UnitFormedBySplit, UnitEnded,
    FondsOpened, CreatorHistoryRecorded, FondsClosed, FileRecorded, FileCorrected,
    FileRetentionAppraised, FileDigitised, FileMarkedMissing, FileMarkedDamaged, FileFound,
    FileFlaggedUnfinished, FileDeclassified, HandoverDrafted, HandoverSigned, HandoverReceived,
    HandoverCancelled, TransferRegistered, TransferListAppraised, TransferAccepted,
    DestructionProposed, DestructionApproved, DestructionExecuted, DestructionCancelled,
    HoldPlaced, HoldLifted, CopyAttached, DocumentRecorded, CopyReplaced,
}

/// A message as JSON text; generated messages hold only strings, numbers and lists.
fn to_json<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).expect("protobuf messages serialize to JSON")
}

/// The protobuf envelope of the stored metadata JSON.
pub fn metadata_to_proto(json: &str) -> Result<pb::EventMetadata, ConvertError> {
    serde_json::from_str(json).map_err(json_error("metadata"))
}

/// The metadata JSON of a protobuf envelope (absent fields left out, as the store writes them).
pub fn metadata_to_json(metadata: &pb::EventMetadata) -> String {
    let mut value = serde_json::to_value(metadata).expect("metadata serializes");
    strip_nulls(&mut value);
    value.to_string()
}

/// Removes `null` members of objects, recursively: the store leaves absent fields out.
fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// A stored event (payload already current, possibly redacted) as a published event.
pub fn event_to_proto(event: &RecordedEvent, redacted: bool) -> Result<pb::Event, ConvertError> {
    Ok(pb::Event {
        position: event.position,
        stream: event.stream.clone(),
        revision: event.revision,
        event_id: event.event_id.to_string(),
        event_type: event.event_type.clone(),
        schema_version: event.schema_version,
        metadata: Some(metadata_to_proto(&event.metadata)?),
        hash: event.hash_hex(),
        redacted,
        payload: Some(payload_to_proto(&event.event_type, &event.payload)?),
    })
}

/// A protobuf command as the domain command with the same fields (unknown and missing fields
/// are refused by the domain's own decoding, as for an HTTP body).
pub fn command<P: Serialize, D: DeserializeOwned>(message: &P) -> Result<D, ConvertError> {
    let value = serde_json::to_value(message).expect("messages serialize");
    serde_json::from_value(value).map_err(json_error("command"))
}

/// The JSON of a corrected value: a string (title, notes, box, date), a number (sheets) or
/// `null`; in protobuf a `CorrectionValue` with `text` or `number`, or unset.
pub mod correction_value {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::pb::CorrectionValue;
    use crate::pb::correction_value::Value;

    /// Any JSON value a correction may hold.
    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Json {
        Number(u32),
        Text(String),
    }

    /// Writes the value as a plain JSON string, number or null.
    pub fn serialize<S: Serializer>(
        value: &Option<CorrectionValue>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let json = match value.as_ref().and_then(|v| v.value.as_ref()) {
            None => None,
            Some(Value::Text(text)) => Some(Json::Text(text.clone())),
            Some(Value::Number(number)) => Some(Json::Number(*number)),
        };
        json.serialize(serializer)
    }

    /// Reads a plain JSON string, number or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<CorrectionValue>, D::Error> {
        let json = Option::<Json>::deserialize(deserializer)?;
        Ok(json.map(|json| CorrectionValue {
            value: Some(match json {
                Json::Text(text) => Value::Text(text),
                Json::Number(number) => Value::Number(number),
            }),
        }))
    }
}

/// A custody answer of the read models.
pub fn custody(row: bangiao_projections::query::custody::Custody, position: u64) -> pb::Custody {
    pb::Custody {
        file_code: row.file_code,
        fonds_code: row.fonds_code,
        custodian: row.custodian,
        status: row.status,
        box_number: row.box_number,
        since: row.since.map(|d| d.to_string()),
        via: row.via,
        pending_in: row.pending_in,
        as_of: row.as_of.map(|d| d.to_string()),
        projection_position: position,
    }
}

/// One period of a custody history.
pub fn custody_span(span: bangiao_projections::query::custody::CustodySpan) -> pb::CustodySpan {
    pb::CustodySpan {
        custodian: span.custodian,
        from: span.from.to_string(),
        to: span.to.map(|d| d.to_string()),
        via_kind: span.via_kind,
        via_id: span.via_id,
    }
}

/// The totals of an inventory list.
pub fn totals(totals: bangiao_projections::query::inventory::Totals) -> pb::Totals {
    let counts = |counts: Vec<bangiao_projections::query::inventory::CodeCount>| {
        counts
            .into_iter()
            .map(|c| pb::CodeCount {
                code: c.code,
                files: c.files,
            })
            .collect()
    };
    pb::Totals {
        files: totals.files,
        boxes: totals.boxes,
        sheets: totals.sheets,
        linear_mm: totals.linear_mm,
        by_retention: counts(totals.by_retention),
        by_access: counts(totals.by_access),
    }
}

/// One row of an inventory list.
pub fn file_row(row: bangiao_projections::query::inventory::FileRow) -> pb::FileRow {
    let tasks: Vec<String> = match &row.unfinished {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    pb::FileRow {
        seq: row.seq,
        list_number: row.list_number,
        fonds_code: row.fonds_code,
        file_code: row.file_code,
        title: row.title,
        start_date: row.start_date.to_string(),
        end_date: row.end_date.to_string(),
        retention: row.retention,
        retention_years: row.retention_years,
        access: row.access,
        carrier: row.carrier,
        box_number: row.box_number,
        sheets: row.sheets,
        language: row.language,
        notes: row.notes,
        custodian: row.custodian,
        status: row.status,
        unfinished: row.unfinished.is_some(),
        unfinished_tasks: tasks,
        damaged: row.damaged,
        sha256: row.sha256,
        rejected_on: row.rejected.as_ref().map(|r| r.on.to_string()),
        rejected_reason: row.rejected.map(|r| r.reason),
        holds: row
            .holds
            .into_iter()
            .map(|h| pb::FileHold {
                reason: h.reason,
                basis: h.basis,
                placed_on: h.placed_on.to_string(),
            })
            .collect(),
    }
}

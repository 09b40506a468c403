//! Applying events to the read-model tables: one function per event family, all inside the
//! caller's transaction.

mod access;
mod fold;
mod fonds;
mod processes;
mod units;

use bangiao_auth::token::{AuditEvent, TokenEvent};
use bangiao_domain::{DomainEvent, FondsEvent, UnitEvent};
use bangiao_store::RecordedEvent;
use bangiao_store::upcast::Upcasters;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::ProjectionError;
pub(crate) use fold::search_words;
pub use fonds::FileRow;

/// An event of the log decoded into the domain event of its stream.
#[derive(Debug, Clone)]
pub enum Decoded {
    /// An event of a `unit-{code}` stream.
    Unit(String, UnitEvent),
    /// An event of a `fonds-{code}` stream.
    Fonds(String, FondsEvent),
    /// A `FileRecorded` of a `fonds-{code}` stream, as the row it inserts.
    File(Box<FileRow>),
    /// An event of a `token-{id}` stream.
    Token(TokenEvent),
    /// An event of an `audit-{date}` stream.
    Audit(AuditEvent),
    /// An event of a stream no read model follows.
    Other,
}

/// Decodes one stored event, upcasting old payloads.
pub fn decode(recorded: &RecordedEvent, upcasters: &Upcasters) -> Result<Decoded, ProjectionError> {
    let fail = |reason: String| ProjectionError::Decode {
        position: recorded.position,
        event_type: recorded.event_type.clone(),
        reason,
    };
    fn read<E: DomainEvent>(recorded: &RecordedEvent, upcasters: &Upcasters) -> Result<E, String> {
        let current = E::current_schema_version(&recorded.event_type);
        let payload = upcasters
            .upcast(recorded, current)
            .map_err(|e| e.to_string())?;
        E::from_payload(&recorded.event_type, &payload).map_err(|e| e.to_string())
    }
    let stream = recorded.stream.as_str();
    let decoded = if let Some(code) = stream.strip_prefix("fonds-") {
        match read(recorded, upcasters).map_err(fail)? {
            FondsEvent::FileRecorded(e) => Decoded::File(Box::new(FileRow::new(
                code.to_owned(),
                recorded.position,
                e,
            ))),
            event => Decoded::Fonds(code.to_owned(), event),
        }
    } else if let Some(code) = stream.strip_prefix("unit-") {
        Decoded::Unit(code.to_owned(), read(recorded, upcasters).map_err(fail)?)
    } else if stream.starts_with(bangiao_auth::token::STREAM_PREFIX) {
        Decoded::Token(read(recorded, upcasters).map_err(fail)?)
    } else if stream.starts_with("audit-") {
        Decoded::Audit(read(recorded, upcasters).map_err(fail)?)
    } else {
        Decoded::Other
    };
    Ok(decoded)
}

/// Applies one decoded event; `recorded` gives its position and chain hash.
pub fn apply(
    conn: &Connection,
    recorded: &RecordedEvent,
    decoded: &Decoded,
) -> Result<(), ProjectionError> {
    match decoded {
        Decoded::Unit(code, event) => units::apply(conn, code, event),
        Decoded::Fonds(code, event) => {
            if !fonds::apply(conn, code, recorded.position, event)? {
                processes::apply(conn, code, recorded, event)?;
            }
            Ok(())
        }
        Decoded::File(row) => row.insert(conn),
        Decoded::Token(event) => access::token(conn, recorded, event),
        Decoded::Audit(event) => access::audit(conn, recorded, event),
        Decoded::Other => Ok(()),
    }
}

/// The stored code of a value that serializes as a JSON string (an enum, a code).
pub(crate) fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => format!("<{e}>"),
    }
}

/// A value kept as JSON text in a column (legal bases, discrepancy lists).
pub(crate) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("\"<{e}>\""))
}

/// Records a mark in a file's history: missing, found, damaged, transfer_rejected,
/// hold_placed or hold_lifted, on the date of the act, with the act's id and a note.
pub(crate) const FILE_MARK: &str =
    "INSERT OR REPLACE INTO file_marks (file_code, seq, kind, on_date, ref_id, note)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Runs a cached statement with parameters.
pub(crate) fn exec(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<usize, ProjectionError> {
    Ok(conn.prepare_cached(sql)?.execute(params)?)
}

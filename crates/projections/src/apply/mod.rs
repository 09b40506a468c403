//! Applying events to the read-model tables, all inside the caller's transaction.
//!
//! [`decode`] tells the stream's kind from its name ([`StreamKind`]) and [`apply`] sends each
//! event to the module that projects it: one match per event family, naming every event type
//! with no wildcard arm, so a new event type does not compile until someone writes where it is
//! projected (or writes, in its own arm, that no read model needs it).

mod access;
mod copies;
mod destructions;
mod files;
mod fold;
mod fonds;
mod handovers;
mod holds;
mod transfers;
mod units;

use bangiao_auth::token::{AuditEvent, TokenEvent};
use bangiao_domain::fixity::FixityEvent;
use bangiao_domain::upcast::Upcasters;
use bangiao_domain::values::FileCode;
use bangiao_domain::{DomainEvent, FondsEvent, UnitEvent};
use bangiao_store::RecordedEvent;
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::ProjectionError;
pub use bangiao_domain::streams::StreamKind;
pub use files::FileRow;
pub(crate) use fold::search_words;

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
    /// An event of a `fixity-{run id}` stream.
    Fixity(String, FixityEvent),
}

/// Decodes one stored event, upcasting old payloads. An event of a stream whose name has no
/// prefix the program writes is refused like an event that does not decode: it is a misspelt
/// prefix or another program's stream, and projecting nothing for it would hide that.
pub fn decode(recorded: &RecordedEvent, upcasters: &Upcasters) -> Result<Decoded, ProjectionError> {
    let fail = |reason: String| ProjectionError::Decode {
        position: recorded.position,
        event_type: recorded.event_type.clone(),
        reason,
    };
    fn read<E: DomainEvent>(recorded: &RecordedEvent, upcasters: &Upcasters) -> Result<E, String> {
        bangiao_domain::events::decode(
            upcasters,
            &recorded.event_type,
            recorded.schema_version,
            &recorded.payload,
        )
        .map_err(|e| e.to_string())
    }
    let Some((kind, id)) = StreamKind::of(&recorded.stream) else {
        return Err(fail(format!(
            "stream {} is of no kind the read models know",
            recorded.stream
        )));
    };
    let decoded = match kind {
        StreamKind::Fonds => match read(recorded, upcasters).map_err(fail)? {
            FondsEvent::FileRecorded(e) => {
                Decoded::File(Box::new(FileRow::new(id.to_owned(), recorded.position, e)))
            }
            event => Decoded::Fonds(id.to_owned(), event),
        },
        StreamKind::Unit => Decoded::Unit(id.to_owned(), read(recorded, upcasters).map_err(fail)?),
        StreamKind::Token => Decoded::Token(read(recorded, upcasters).map_err(fail)?),
        StreamKind::Audit => Decoded::Audit(read(recorded, upcasters).map_err(fail)?),
        StreamKind::Fixity => {
            Decoded::Fixity(id.to_owned(), read(recorded, upcasters).map_err(fail)?)
        }
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
        Decoded::Unit(code, event) => unit_event(conn, code, event),
        Decoded::Fonds(code, event) => fonds_event(conn, code, recorded, event),
        Decoded::File(row) => row.insert(conn),
        Decoded::Token(event) => match event {
            TokenEvent::TokenIssued(e) => access::token_issued(conn, recorded, e),
            TokenEvent::TokenRevoked(e) => access::token_revoked(conn, recorded, e),
        },
        Decoded::Audit(event) => match event {
            AuditEvent::AccessDenied(e) => access::access_denied(conn, recorded, e),
        },
        Decoded::Fixity(run, event) => {
            let seq = recorded.position as i64;
            match event {
                FixityEvent::FixityChecked(e) => copies::fixity_checked(conn, run, seq, e),
                FixityEvent::FixityRunCompleted(e) => copies::fixity_completed(conn, run, seq, e),
            }
        }
    }
}

/// Applies one event of stream `unit-{unit}`.
fn unit_event(conn: &Connection, unit: &str, event: &UnitEvent) -> Result<(), ProjectionError> {
    match event {
        UnitEvent::UnitRegistered(e) => units::registered(conn, unit, e),
        UnitEvent::UnitMergedInto(e) => units::merged_into(conn, unit, e),
        UnitEvent::UnitFormedByMerger(e) => units::formed_by_merger(conn, unit, e),
        UnitEvent::UnitAbsorbed(e) => units::absorbed(conn, unit, e),
        UnitEvent::UnitSplitInto(e) => units::split_into(conn, unit, e),
        UnitEvent::UnitFormedBySplit(e) => units::formed_by_split(conn, unit, e),
        UnitEvent::UnitEnded(e) => units::ended(conn, unit, e),
    }
}

/// Applies one event of stream `fonds-{fonds}` recorded as `recorded`.
fn fonds_event(
    conn: &Connection,
    fonds: &str,
    recorded: &RecordedEvent,
    event: &FondsEvent,
) -> Result<(), ProjectionError> {
    let seq = recorded.position as i64;
    match event {
        FondsEvent::FondsOpened(e) => fonds::opened(conn, fonds, e),
        FondsEvent::CreatorHistoryRecorded(e) => fonds::creator_history(conn, fonds, e),
        FondsEvent::FondsClosed(e) => fonds::closed(conn, fonds, e),
        FondsEvent::FileRecorded(e) => files::recorded(conn, fonds, recorded.position, e),
        FondsEvent::FileCorrected(e) => files::corrected(conn, e),
        FondsEvent::FileRetentionAppraised(e) => files::retention_appraised(conn, e),
        FondsEvent::FileDigitised(e) => files::digitised(conn, e),
        FondsEvent::FileMarkedMissing(e) => files::marked_missing(conn, seq, e),
        FondsEvent::FileMarkedDamaged(e) => files::marked_damaged(conn, seq, e),
        FondsEvent::FileFound(e) => files::found(conn, seq, e),
        FondsEvent::FileFlaggedUnfinished(e) => files::flagged_unfinished(conn, e),
        FondsEvent::FileDeclassified(e) => files::declassified(conn, e),
        FondsEvent::HandoverDrafted(e) => handovers::drafted(conn, fonds, e)
            .and_then(|()| handovers::last_event(conn, &e.handover_id, recorded)),
        FondsEvent::HandoverSigned(e) => handovers::signed(conn, recorded, e)
            .and_then(|()| handovers::last_event(conn, &e.handover_id, recorded)),
        FondsEvent::HandoverReceived(e) => handovers::received(conn, recorded, e)
            .and_then(|()| handovers::last_event(conn, &e.handover_id, recorded)),
        FondsEvent::HandoverCancelled(e) => handovers::cancelled(conn, e)
            .and_then(|()| handovers::last_event(conn, &e.handover_id, recorded)),
        FondsEvent::TransferRegistered(e) => transfers::registered(conn, fonds, e),
        FondsEvent::TransferListAppraised(e) => transfers::list_appraised(conn, e),
        FondsEvent::TransferAccepted(e) => transfers::accepted(conn, seq, e),
        FondsEvent::DestructionProposed(e) => destructions::proposed(conn, fonds, e),
        FondsEvent::DestructionApproved(e) => destructions::approved(conn, e),
        FondsEvent::DestructionExecuted(e) => {
            destructions::executed(conn, seq, e)?;
            copies::deleted(conn, e)
        }
        FondsEvent::DestructionCancelled(e) => destructions::cancelled(conn, e),
        FondsEvent::HoldPlaced(e) => holds::placed(conn, fonds, seq, e),
        FondsEvent::HoldLifted(e) => holds::lifted(conn, seq, e),
        FondsEvent::CopyAttached(e) => copies::attached(conn, fonds, seq, e),
        FondsEvent::DocumentRecorded(e) => copies::document_recorded(conn, fonds, seq, e),
        FondsEvent::CopyReplaced(e) => copies::replaced(conn, e),
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

/// Sets the status of `files` to `status`, taken by the act `id` (a handover, a transfer, a
/// destruction) until it is done or cancelled.
pub(crate) fn set_status(
    conn: &Connection,
    files: &[FileCode],
    status: &str,
    id: &str,
) -> Result<(), ProjectionError> {
    for file in files {
        exec(
            conn,
            "UPDATE files SET status = ?2, status_ref = ?3 WHERE file_code = ?1",
            params![file.as_str(), status, id],
        )?;
    }
    Ok(())
}

/// Gives back to custody the files the act `id` still holds: all of them when it is cancelled,
/// the refused ones when a transfer is accepted.
pub(crate) fn release(conn: &Connection, id: &str) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET status = 'in_custody', status_ref = NULL WHERE status_ref = ?1",
        params![id],
    )?;
    Ok(())
}

/// Inserts one row (`id`, file code) per file of an act's list with `sql`.
pub(crate) fn list_files(
    conn: &Connection,
    sql: &str,
    id: &str,
    files: &[FileCode],
) -> Result<(), ProjectionError> {
    for file in files {
        exec(conn, sql, params![id, file.as_str()])?;
    }
    Ok(())
}

// How a new event type without a projection fails: `unit_event`, `fonds_event` and the token and
// audit matches in `apply` name every variant of `UnitEvent`, `FondsEvent`, `TokenEvent` and
// `AuditEvent` with no wildcard arm, so adding a variant to one of those enums stops the build of
// this crate with `error[E0004]: non-exhaustive patterns: `&FondsEvent::NewEvent(_)` not
// covered` until it has an arm here: the module that projects it, or `Ok(())` with a one-line
// reason why no read model needs it. The same holds for a new `StreamKind` in `decode`. The
// tests below pin what the compiler cannot see: that every kind of stream is told apart by its
// prefix and that a stream of no known kind is refused, not skipped.
#[cfg(test)]
mod tests {
    use super::*;

    /// The position of each kind in [`StreamKind::ALL`]; the exhaustive match makes a new kind
    /// fail to compile here until it is listed.
    fn position(kind: StreamKind) -> usize {
        match kind {
            StreamKind::Fonds => 0,
            StreamKind::Unit => 1,
            StreamKind::Token => 2,
            StreamKind::Audit => 3,
            StreamKind::Fixity => 4,
        }
    }

    fn recorded(stream: &str) -> RecordedEvent {
        RecordedEvent {
            position: 7,
            stream: stream.to_owned(),
            revision: 0,
            event_id: uuid::Uuid::nil(),
            event_type: "FondsOpened".to_owned(),
            schema_version: 1,
            payload: "{}".to_owned(),
            metadata: "{}".to_owned(),
            hash: [0; 32],
        }
    }

    #[test]
    fn every_kind_of_stream_is_told_apart_by_its_prefix() {
        for (i, kind) in StreamKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?} is listed out of place");
            let name = format!("{}066", kind.prefix());
            assert_eq!(StreamKind::of(&name), Some((kind, "066")), "{name}");
        }
        assert_eq!(StreamKind::of("fonds-"), Some((StreamKind::Fonds, "")));
    }

    #[test]
    fn an_event_of_a_stream_of_no_known_kind_is_refused_not_skipped() {
        for stream in ["fond-066", "Fonds-066", "units-066", "066"] {
            assert_eq!(StreamKind::of(stream), None, "{stream}");
            match decode(&recorded(stream), &bangiao_domain::events::upcasters()) {
                Err(ProjectionError::Decode {
                    position, reason, ..
                }) => {
                    assert_eq!(position, 7);
                    assert!(reason.contains(stream), "{reason}");
                }
                other => panic!("{stream}: {other:?}"),
            }
        }
        // The same event in a stream of a known kind gets as far as its payload.
        match decode(&recorded("fonds-066"), &bangiao_domain::events::upcasters()) {
            Err(ProjectionError::Decode { reason, .. }) => {
                assert!(!reason.contains("no kind"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
}

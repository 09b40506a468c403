//! Handovers between custodians (Biên bản giao nhận): drafted, signed, received, cancelled.

use bangiao_domain::fonds::{
    Discrepancy, HandoverCancelled, HandoverDrafted, HandoverReceived, HandoverSigned,
};
use bangiao_domain::values::UserId;
use bangiao_store::RecordedEvent;
use rusqlite::{Connection, params};

use super::{FILE_MARK, exec, json, list_files, release, set_status};
use crate::error::ProjectionError;
use crate::query::acts::Signer;

/// Keeps the position and chain hash of the handover's latest event: what its printed minutes
/// were printed at (the QR code's verification id is made of them).
pub fn last_event(
    conn: &Connection,
    handover_id: &impl ToString,
    recorded: &RecordedEvent,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE handovers SET event_position = ?2, event_hash = ?3 WHERE handover_id = ?1",
        params![
            handover_id.to_string(),
            recorded.position as i64,
            recorded.hash_hex()
        ],
    )?;
    Ok(())
}

/// A `HandoverSigned` recorded as `recorded`: signed, with the chain head and the giving signer.
pub fn signed(
    conn: &Connection,
    recorded: &RecordedEvent,
    e: &HandoverSigned,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE handovers SET status = 'signed', signed_on = ?2, chain_head = ?3, giving_signer = ?4
         WHERE handover_id = ?1",
        params![
            e.handover_id.to_string(),
            e.signed_on.to_string(),
            recorded.hash_hex(),
            json(&signer(recorded, &e.signed_by))
        ],
    )?;
    Ok(())
}

/// A `HandoverReceived` recorded as `recorded`: the files change custodian, discrepancies are
/// marked, and the receiving signer is kept.
pub fn received(
    conn: &Connection,
    recorded: &RecordedEvent,
    e: &HandoverReceived,
) -> Result<(), ProjectionError> {
    receive(conn, recorded.position as i64, e)?;
    exec(
        conn,
        "UPDATE handovers SET receiving_signer = ?2 WHERE handover_id = ?1",
        params![
            e.handover_id.to_string(),
            json(&signer(recorded, &e.received_by))
        ],
    )?;
    Ok(())
}

/// A `HandoverCancelled`: cancelled, and its files released.
pub fn cancelled(conn: &Connection, e: &HandoverCancelled) -> Result<(), ProjectionError> {
    let id = e.handover_id.to_string();
    exec(
        conn,
        "UPDATE handovers SET status = 'cancelled', cancelled_on = ?2, cancel_reason = ?3 WHERE handover_id = ?1",
        params![id, e.cancelled_on.to_string(), e.reason.as_str()],
    )?;
    release(conn, &id)
}

/// Who signed, from the signing event: the account the event names, with the name, title and
/// organ its envelope's actor carries when that actor is the signer (a service that records an
/// act on another's behalf names nobody by the wrong name).
fn signer(recorded: &RecordedEvent, signed_by: &UserId) -> Signer {
    let actor = recorded
        .metadata()
        .ok()
        .and_then(|m| m.actor)
        .filter(|a| a.user_id == signed_by.as_str());
    match actor {
        Some(a) => Signer {
            user_id: a.user_id,
            name: a.name,
            title: a.title,
            organ: a.organ,
        },
        None => Signer {
            user_id: signed_by.as_str().to_owned(),
            ..Signer::default()
        },
    }
}

/// A `HandoverDrafted` of fonds `fonds`: the handover, its list and declared and listed counts.
pub fn drafted(conn: &Connection, fonds: &str, e: &HandoverDrafted) -> Result<(), ProjectionError> {
    let id = e.handover_id.to_string();
    list_files(
        conn,
        "INSERT OR REPLACE INTO handover_files (handover_id, file_code) VALUES (?1, ?2)",
        &id,
        &e.file_codes,
    )?;
    let (boxes, sheets): (i64, i64) = conn.prepare_cached(
        "SELECT COUNT(DISTINCT f.box), COALESCE(SUM(f.sheets), 0) FROM handover_files h JOIN files f USING (file_code)
         WHERE h.handover_id = ?1",
    )?
    .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let batch_fonds = e
        .batch
        .as_ref()
        .map(|b| json(&b.fonds_codes.iter().map(|f| f.as_str()).collect::<Vec<_>>()));
    exec(conn, "INSERT OR REPLACE INTO handovers
        (handover_id, fonds_code, batch_id, batch_fonds, giving, receiving, giving_person, receiving_person, legal_basis,
         status, drafted_on, declared_files, declared_boxes, declared_sheets, declared_mm, listed_files, listed_boxes, listed_sheets)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'drafted', ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![id, fonds, e.batch.as_ref().map(|b| b.batch_id.to_string()), batch_fonds, e.giving_custodian.as_str(),
            e.receiving_custodian.as_str(), e.giving_person.as_str(), e.receiving_person.as_str(), json(&e.legal_basis),
            e.drafted_on.to_string(), e.declared_files, e.declared_extent.boxes, e.declared_extent.sheets,
            e.declared_extent.linear_mm as i64, e.file_codes.len() as i64, boxes, sheets])?;
    set_status(conn, &e.file_codes, "in_handover", &id)
}

fn receive(conn: &Connection, seq: i64, e: &HandoverReceived) -> Result<(), ProjectionError> {
    let id = e.handover_id.to_string();
    exec(
        conn,
        "UPDATE handovers SET status = 'received', received_on = ?2, discrepancies = ?3 WHERE handover_id = ?1",
        params![id, e.received_on.to_string(), json(&e.discrepancies)],
    )?;
    let receiving: String = conn
        .prepare_cached("SELECT receiving FROM handovers WHERE handover_id = ?1")?
        .query_row([&id], |r| r.get(0))?;
    for d in &e.discrepancies {
        match d {
            Discrepancy::Missing { file_code } => {
                exec(
                    conn,
                    "UPDATE files SET status = 'missing', status_ref = NULL, since = ?2 WHERE file_code = ?1",
                    params![file_code.as_str(), e.received_on.to_string()],
                )?;
                exec(
                    conn,
                    FILE_MARK,
                    params![
                        file_code.as_str(),
                        seq,
                        "missing",
                        e.received_on.to_string(),
                        id,
                        None::<String>
                    ],
                )?;
            }
            Discrepancy::Damaged {
                file_code,
                description,
            } => {
                exec(
                    conn,
                    "UPDATE files SET damaged = ?2 WHERE file_code = ?1",
                    params![file_code.as_str(), description.as_str()],
                )?;
                exec(
                    conn,
                    FILE_MARK,
                    params![
                        file_code.as_str(),
                        seq,
                        "damaged",
                        e.received_on.to_string(),
                        id,
                        description.as_str()
                    ],
                )?;
            }
            Discrepancy::NotOnList { .. } => {}
        }
    }
    exec(conn, "INSERT OR REPLACE INTO custody_changes (file_code, seq, custodian, from_date, via_kind, via_id)
        SELECT file_code, ?2, ?3, ?4, 'handover', ?1 FROM files WHERE status_ref = ?1",
        params![id, seq, receiving, e.received_on.to_string()])?;
    exec(
        conn,
        "UPDATE files SET custodian = ?2, status = 'in_custody', status_ref = NULL, since = ?3, via = ?1 WHERE status_ref = ?1",
        params![id, receiving, e.received_on.to_string()],
    )?;
    Ok(())
}

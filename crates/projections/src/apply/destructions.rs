//! Destruction of files whose retention has expired (Hủy tài liệu hết giá trị): proposed,
//! approved, executed, cancelled.

use bangiao_domain::fonds::{
    DestructionApproved, DestructionCancelled, DestructionExecuted, DestructionProposed,
};
use rusqlite::{Connection, params};

use super::{exec, json, list_files, release, set_status};
use crate::error::ProjectionError;

/// A `DestructionProposed` of fonds `fonds`: the destruction, its list, its files held for it.
pub fn proposed(
    conn: &Connection,
    fonds: &str,
    e: &DestructionProposed,
) -> Result<(), ProjectionError> {
    let id = e.destruction_id.to_string();
    exec(
        conn,
        "INSERT OR REPLACE INTO destructions
        (destruction_id, fonds_code, status, council, proposed_by, proposed_on, listed_files)
        VALUES (?1, ?2, 'proposed', ?3, ?4, ?5, ?6)",
        params![
            id,
            fonds,
            json(&e.council_decision),
            e.proposed_by.as_str(),
            e.proposed_on.to_string(),
            e.file_codes.len() as i64
        ],
    )?;
    list_files(
        conn,
        "INSERT OR REPLACE INTO destruction_files (destruction_id, file_code) VALUES (?1, ?2)",
        &id,
        &e.file_codes,
    )?;
    set_status(conn, &e.file_codes, "in_destruction", &id)
}

/// A `DestructionApproved`: who approved it and when.
pub fn approved(conn: &Connection, e: &DestructionApproved) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE destructions SET status = 'approved', approved_by = ?2, approved_on = ?3 WHERE destruction_id = ?1",
        params![
            e.destruction_id.to_string(),
            e.approved_by.as_str(),
            e.approved_on.to_string()
        ],
    )?;
    Ok(())
}

/// A `DestructionExecuted` at `seq`: its files are destroyed and leave custody.
pub fn executed(
    conn: &Connection,
    seq: i64,
    e: &DestructionExecuted,
) -> Result<(), ProjectionError> {
    let id = e.destruction_id.to_string();
    exec(
        conn,
        "UPDATE destructions SET status = 'executed', executed_on = ?2 WHERE destruction_id = ?1",
        params![id, e.executed_on.to_string()],
    )?;
    exec(conn, "INSERT OR REPLACE INTO custody_changes (file_code, seq, custodian, from_date, via_kind, via_id)
        SELECT file_code, ?2, NULL, ?3, 'destruction', ?1 FROM files WHERE status_ref = ?1",
        params![id, seq, e.executed_on.to_string()])?;
    exec(
        conn,
        "UPDATE files SET status = 'destroyed', status_ref = NULL, since = ?2, via = ?1 WHERE status_ref = ?1",
        params![id, e.executed_on.to_string()],
    )?;
    Ok(())
}

/// A `DestructionCancelled`: cancelled, and its files released.
pub fn cancelled(conn: &Connection, e: &DestructionCancelled) -> Result<(), ProjectionError> {
    let id = e.destruction_id.to_string();
    exec(
        conn,
        "UPDATE destructions SET status = 'cancelled', cancelled_on = ?2 WHERE destruction_id = ?1",
        params![id, e.cancelled_on.to_string()],
    )?;
    release(conn, &id)
}

//! Legal holds that freeze files (Tạm giữ): placed and lifted.

use bangiao_domain::fonds::{HoldLifted, HoldPlaced};
use rusqlite::{Connection, params};

use super::{FILE_MARK, code, exec, json, list_files};
use crate::error::ProjectionError;

/// A `HoldPlaced` of fonds `fonds` at `seq`: the hold, its files, a mark in each file's history.
pub fn placed(
    conn: &Connection,
    fonds: &str,
    seq: i64,
    e: &HoldPlaced,
) -> Result<(), ProjectionError> {
    exec(conn, "INSERT OR REPLACE INTO holds (hold_id, fonds_code, reason, legal_basis, placed_by, placed_on, listed_files)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![e.hold_id.to_string(), fonds, code(&e.reason), json(&e.legal_basis), e.placed_by.as_str(),
            e.placed_on.to_string(), e.file_codes.len() as i64])?;
    list_files(
        conn,
        "INSERT OR REPLACE INTO hold_files (hold_id, file_code) VALUES (?1, ?2)",
        &e.hold_id.to_string(),
        &e.file_codes,
    )?;
    for file in &e.file_codes {
        exec(
            conn,
            FILE_MARK,
            params![
                file.as_str(),
                seq,
                "hold_placed",
                e.placed_on.to_string(),
                e.hold_id.to_string(),
                code(&e.reason)
            ],
        )?;
    }
    Ok(())
}

/// A `HoldLifted` at `seq`: the hold ends, its files are free, each file's history says so.
pub fn lifted(conn: &Connection, seq: i64, e: &HoldLifted) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE holds SET lifted_on = ?2 WHERE hold_id = ?1",
        params![e.hold_id.to_string(), e.lifted_on.to_string()],
    )?;
    exec(
        conn,
        "DELETE FROM hold_files WHERE hold_id = ?1",
        params![e.hold_id.to_string()],
    )?;
    exec(
        conn,
        "INSERT OR REPLACE INTO file_marks (file_code, seq, kind, on_date, ref_id, note)
         SELECT file_code, ?2, 'hold_lifted', ?3, ref_id, NULL FROM file_marks
         WHERE kind = 'hold_placed' AND ref_id = ?1",
        params![e.hold_id.to_string(), seq, e.lifted_on.to_string()],
    )?;
    Ok(())
}

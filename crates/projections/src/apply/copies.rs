//! Digital copies of files (bản số hóa, tài liệu số): attached, replaced, deleted with their
//! destroyed file (a tombstone keeping the checksum), and the last fixity verdict of each.

use bangiao_domain::fixity::{FixityChecked, FixityRunCompleted};
use bangiao_domain::fonds::{CopyAttached, CopyReplaced, DestructionExecuted, DocumentRecorded};
use rusqlite::{Connection, params};

use super::{exec, json};
use crate::error::ProjectionError;

const INSERT: &str = "INSERT OR REPLACE INTO copies
    (copy_id, fonds_code, file_code, seq, kind, sha256, size_bytes, format, pages, dpi,
     original_name, made_by, made_on, document, status)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'current')";

/// A `CopyAttached` of fonds `fonds` at `seq`: a current scan of its file.
pub fn attached(
    conn: &Connection,
    fonds: &str,
    seq: i64,
    e: &CopyAttached,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        INSERT,
        params![
            e.copy_id,
            fonds,
            e.file_code,
            seq,
            "scan",
            e.sha256,
            e.size_bytes as i64,
            e.format,
            e.pages,
            e.dpi,
            e.original_name,
            e.digitised_by,
            e.digitised_on.to_string(),
            Option::<String>::None
        ],
    )?;
    Ok(())
}

/// The TT 05 metadata of a born-digital document, as kept in the `document` column.
#[derive(serde::Serialize)]
struct DocumentColumn<'a> {
    number: &'a Option<String>,
    notation: &'a Option<String>,
    issued_on: String,
    issuer: &'a str,
    summary: &'a str,
    language: &'a str,
    confidence_level: &'a Option<String>,
}

/// A `DocumentRecorded` of fonds `fonds` at `seq`: a current born-digital document of its file.
pub fn document_recorded(
    conn: &Connection,
    fonds: &str,
    seq: i64,
    e: &DocumentRecorded,
) -> Result<(), ProjectionError> {
    let document = DocumentColumn {
        number: &e.number,
        notation: &e.notation,
        issued_on: e.issued_on.to_string(),
        issuer: &e.issuer,
        summary: &e.summary,
        language: &e.language,
        confidence_level: &e.confidence_level,
    };
    exec(
        conn,
        INSERT,
        params![
            e.copy_id,
            fonds,
            e.file_code,
            seq,
            "document",
            e.sha256,
            e.size_bytes as i64,
            e.format,
            e.pages,
            Option::<u32>::None,
            e.original_name,
            e.recorded_by,
            e.recorded_on.to_string(),
            json(&document)
        ],
    )?;
    Ok(())
}

/// A `CopyReplaced`: the old copy is kept, marked replaced by the new one.
pub fn replaced(conn: &Connection, e: &CopyReplaced) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE copies SET status = 'replaced', replaced_by = ?2, replaced_on = ?3 WHERE copy_id = ?1",
        params![e.copy_id, e.replaced_by, e.replaced_on.to_string()],
    )?;
    Ok(())
}

/// The copies a `DestructionExecuted` deleted: tombstones, their checksums kept.
pub fn deleted(conn: &Connection, e: &DestructionExecuted) -> Result<(), ProjectionError> {
    for copy in &e.deleted_copies {
        exec(
            conn,
            "UPDATE copies SET status = 'deleted', deleted_on = ?2, deleted_by = ?3 WHERE copy_id = ?1",
            params![
                copy.copy_id,
                e.executed_on.to_string(),
                e.destruction_id.to_string()
            ],
        )?;
    }
    Ok(())
}

/// A `FixityChecked` of run `run` at `seq`: each copy's last verdict.
pub fn fixity_checked(
    conn: &Connection,
    run: &str,
    seq: i64,
    e: &FixityChecked,
) -> Result<(), ProjectionError> {
    for result in &e.results {
        exec(
            conn,
            "UPDATE copies SET fixity = ?2, fixity_run = ?3, fixity_seq = ?4 WHERE copy_id = ?1",
            params![result.copy_id, result.verdict.as_str(), run, seq],
        )?;
    }
    Ok(())
}

/// A `FixityRunCompleted` of run `run` at `seq`: the run's figures.
pub fn fixity_completed(
    conn: &Connection,
    run: &str,
    seq: i64,
    e: &FixityRunCompleted,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "INSERT OR REPLACE INTO fixity_runs
        (run_id, seq, started_at, finished_at, sample_percent, checked, bytes, intact, missing, altered)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            run,
            seq,
            e.started_at.to_rfc3339(),
            e.finished_at.to_rfc3339(),
            e.sample_percent,
            e.checked as i64,
            e.bytes as i64,
            e.intact as i64,
            e.missing as i64,
            e.altered as i64
        ],
    )?;
    Ok(())
}

//! Transfers to the historical archive (Nộp lưu): registered, list appraised, accepted.

use bangiao_domain::fonds::{TransferAccepted, TransferListAppraised, TransferRegistered};
use rusqlite::{Connection, params};

use super::{FILE_MARK, code, exec, json, list_files, release, set_status};
use crate::error::ProjectionError;

/// The custody of a file from a date, by an act.
const CUSTODY_CHANGE: &str = "INSERT OR REPLACE INTO custody_changes (file_code, seq, custodian, from_date, via_kind, via_id)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// A `TransferRegistered` of fonds `fonds`: the transfer and its list of files.
pub fn registered(
    conn: &Connection,
    fonds: &str,
    e: &TransferRegistered,
) -> Result<(), ProjectionError> {
    let id = e.transfer_id.to_string();
    exec(conn, "INSERT OR REPLACE INTO transfers
        (transfer_id, fonds_code, batch_id, transferring, archive, declared_kind, status, registered_on, registered_by, listed_files)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'registered', ?7, ?8, ?9)",
        params![id, fonds, e.batch.as_ref().map(|b| b.batch_id.to_string()), e.transferring_custodian.as_str(),
            e.archive.as_str(), code(&e.declared_kind), e.registered_on.to_string(), e.registered_by.as_str(),
            e.file_codes.len() as i64])?;
    list_files(
        conn,
        "INSERT OR REPLACE INTO transfer_files (transfer_id, file_code) VALUES (?1, ?2)",
        &id,
        &e.file_codes,
    )?;
    set_status(conn, &e.file_codes, "in_transfer", &id)
}

/// A `TransferListAppraised`: the outcome of the appraisal of the list.
pub fn list_appraised(conn: &Connection, e: &TransferListAppraised) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE transfers SET status = 'appraised', appraised_on = ?2, outcome = ?3 WHERE transfer_id = ?1",
        params![
            e.transfer_id.to_string(),
            e.appraised_on.to_string(),
            code(&e.outcome)
        ],
    )?;
    Ok(())
}

/// A `TransferAccepted` at `seq`: the accepted files go to the archive, the refused stay marked.
pub fn accepted(conn: &Connection, seq: i64, e: &TransferAccepted) -> Result<(), ProjectionError> {
    let id = e.transfer_id.to_string();
    let rejected: Vec<(&str, &str)> = e
        .rejected
        .iter()
        .map(|r| (r.file_code.as_str(), r.reason.as_str()))
        .collect();
    exec(
        conn,
        "UPDATE transfers SET status = 'accepted', accepted_on = ?2, accepted = ?3, rejected = ?4 WHERE transfer_id = ?1",
        params![
            id,
            e.accepted_on.to_string(),
            e.accepted.len() as i64,
            json(&rejected)
        ],
    )?;
    let archive: String = conn
        .prepare_cached("SELECT archive FROM transfers WHERE transfer_id = ?1")?
        .query_row([&id], |r| r.get(0))?;
    // A refused file stays with the transferor, marked with the day and the archive's reason
    // until a later transfer takes it.
    for (file, reason) in &rejected {
        exec(
            conn,
            "UPDATE files SET rejected_on = ?2, rejected_reason = ?3 WHERE file_code = ?1",
            params![file, e.accepted_on.to_string(), reason],
        )?;
    }
    for file in &e.accepted {
        exec(
            conn,
            CUSTODY_CHANGE,
            params![
                file.as_str(),
                seq,
                archive,
                e.accepted_on.to_string(),
                "transfer",
                id
            ],
        )?;
        exec(
            conn,
            "UPDATE files SET custodian = ?2, status = 'transferred', status_ref = NULL, since = ?3, via = ?4,
                rejected_on = NULL, rejected_reason = NULL WHERE file_code = ?1",
            params![file.as_str(), archive, e.accepted_on.to_string(), id],
        )?;
    }
    for (file, reason) in &rejected {
        exec(
            conn,
            FILE_MARK,
            params![
                file,
                seq,
                "transfer_rejected",
                e.accepted_on.to_string(),
                id,
                reason
            ],
        )?;
    }
    release(conn, &id)
}

//! Handovers, transfers to the historical archive, destruction and holds: the acts that move
//! or freeze files, and so change custody.

use bangiao_domain::FondsEvent;
use bangiao_domain::fonds::{
    Discrepancy, HandoverDrafted, HandoverReceived, TransferAccepted, TransferRegistered,
};
use bangiao_domain::values::{FileCode, UserId};
use bangiao_store::RecordedEvent;
use rusqlite::{Connection, params};

use super::{FILE_MARK, code, exec, json};
use crate::error::ProjectionError;
use crate::query::processes::Signer;

const SET_STATUS: &str = "UPDATE files SET status = ?2, status_ref = ?3 WHERE file_code = ?1";
const RELEASE: &str =
    "UPDATE files SET status = 'in_custody', status_ref = NULL WHERE status_ref = ?1";
const CUSTODY_CHANGE: &str = "INSERT OR REPLACE INTO custody_changes (file_code, seq, custodian, from_date, via_kind, via_id)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Applies the process events of stream `fonds-{fonds}`.
pub fn apply(
    conn: &Connection,
    fonds: &str,
    recorded: &RecordedEvent,
    event: &FondsEvent,
) -> Result<(), ProjectionError> {
    let seq = recorded.position as i64;
    match event {
        FondsEvent::HandoverDrafted(e) => draft(conn, fonds, e)?,
        FondsEvent::HandoverSigned(e) => {
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
        }
        FondsEvent::HandoverReceived(e) => {
            receive(conn, seq, e)?;
            exec(
                conn,
                "UPDATE handovers SET receiving_signer = ?2 WHERE handover_id = ?1",
                params![
                    e.handover_id.to_string(),
                    json(&signer(recorded, &e.received_by))
                ],
            )?;
        }
        FondsEvent::HandoverCancelled(e) => {
            let id = e.handover_id.to_string();
            exec(
                conn,
                "UPDATE handovers SET status = 'cancelled', cancelled_on = ?2, cancel_reason = ?3 WHERE handover_id = ?1",
                params![id, e.cancelled_on.to_string(), e.reason.as_str()],
            )?;
            exec(conn, RELEASE, params![id])?;
        }
        FondsEvent::TransferRegistered(e) => register_transfer(conn, fonds, e)?,
        FondsEvent::TransferListAppraised(e) => {
            exec(
                conn,
                "UPDATE transfers SET status = 'appraised', appraised_on = ?2, outcome = ?3 WHERE transfer_id = ?1",
                params![
                    e.transfer_id.to_string(),
                    e.appraised_on.to_string(),
                    code(&e.outcome)
                ],
            )?;
        }
        FondsEvent::TransferAccepted(e) => accept_transfer(conn, seq, e)?,
        FondsEvent::DestructionProposed(e) => {
            let id = e.destruction_id.to_string();
            exec(conn, "INSERT OR REPLACE INTO destructions
                (destruction_id, fonds_code, status, council, proposed_by, proposed_on, listed_files)
                VALUES (?1, ?2, 'proposed', ?3, ?4, ?5, ?6)",
                params![id, fonds, json(&e.council_decision), e.proposed_by.as_str(), e.proposed_on.to_string(), e.file_codes.len() as i64])?;
            list_files(
                conn,
                "INSERT OR REPLACE INTO destruction_files (destruction_id, file_code) VALUES (?1, ?2)",
                &id,
                &e.file_codes,
            )?;
            mark(conn, &e.file_codes, "in_destruction", &id)?;
        }
        FondsEvent::DestructionApproved(e) => {
            exec(
                conn,
                "UPDATE destructions SET status = 'approved', approved_by = ?2, approved_on = ?3 WHERE destruction_id = ?1",
                params![
                    e.destruction_id.to_string(),
                    e.approved_by.as_str(),
                    e.approved_on.to_string()
                ],
            )?;
        }
        FondsEvent::DestructionExecuted(e) => {
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
        }
        FondsEvent::DestructionCancelled(e) => {
            let id = e.destruction_id.to_string();
            exec(
                conn,
                "UPDATE destructions SET status = 'cancelled', cancelled_on = ?2 WHERE destruction_id = ?1",
                params![id, e.cancelled_on.to_string()],
            )?;
            exec(conn, RELEASE, params![id])?;
        }
        FondsEvent::HoldPlaced(e) => {
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
        }
        FondsEvent::HoldLifted(e) => {
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
        }
        _ => {}
    }
    Ok(())
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

fn list_files(
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

fn mark(
    conn: &Connection,
    files: &[FileCode],
    status: &str,
    id: &str,
) -> Result<(), ProjectionError> {
    for file in files {
        exec(conn, SET_STATUS, params![file.as_str(), status, id])?;
    }
    Ok(())
}

fn draft(conn: &Connection, fonds: &str, e: &HandoverDrafted) -> Result<(), ProjectionError> {
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
    mark(conn, &e.file_codes, "in_handover", &id)
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

fn register_transfer(
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
    mark(conn, &e.file_codes, "in_transfer", &id)
}

fn accept_transfer(
    conn: &Connection,
    seq: i64,
    e: &TransferAccepted,
) -> Result<(), ProjectionError> {
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
    exec(conn, RELEASE, params![id])?;
    Ok(())
}

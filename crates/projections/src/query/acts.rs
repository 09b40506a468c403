//! Handovers (Biên bản giao nhận) and their batches, transfers to the historical archive,
//! destruction procedures and holds: the acts on a fonds' files.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{date_column, json_value};
use crate::error::ProjectionError;

/// One set of handover minutes, with the declared counts checked against the attached list.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HandoverRow {
    /// Handover id.
    pub handover_id: String,
    /// Mã phông.
    pub fonds_code: String,
    /// The batch the minutes belong to, if any.
    pub batch_id: Option<String>,
    /// Bên giao.
    pub giving: String,
    /// Bên nhận.
    pub receiving: String,
    /// The person signing for the giving side.
    pub giving_person: String,
    /// The person signing for the receiving side.
    pub receiving_person: String,
    /// Căn cứ.
    pub legal_basis: Option<serde_json::Value>,
    /// drafted, signed, received or cancelled.
    pub status: String,
    /// Drafted on.
    pub drafted_on: NaiveDate,
    /// Signed by the giving side on.
    pub signed_on: Option<NaiveDate>,
    /// The hash-chain head when the giving side signed (printed on the minutes).
    pub chain_head: Option<String>,
    /// Received on.
    pub received_on: Option<NaiveDate>,
    /// Cancelled on.
    pub cancelled_on: Option<NaiveDate>,
    /// Files, boxes and sheets as declared in the minutes.
    pub declared: Counts,
    /// Shelf length declared, in millimetres.
    pub declared_linear_mm: u64,
    /// Files, boxes and sheets of the attached list.
    pub listed: Counts,
    /// Whether the declared counts equal the list's.
    pub counts_match: bool,
    /// Discrepancies found on receipt.
    pub discrepancies: Option<serde_json::Value>,
    /// Who signed for the giving side, as named when they signed; none until signed.
    pub giving_signer: Option<Signer>,
    /// Who signed for the receiving side, as named when they received; none until received.
    pub receiving_signer: Option<Signer>,
    /// Global log position of the handover's latest event (drafted, signed, received or
    /// cancelled): the state its minutes print.
    pub event_position: u64,
    /// The chain hash (hex) of that event.
    pub event_hash: String,
}

/// Who signed one side of the minutes: the account, and the full name, title (chức vụ) and
/// organ (cơ quan) the signing event's envelope recorded, each absent when the signer's
/// credential gave none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Signer {
    /// The account that signed.
    pub user_id: String,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Title (chức vụ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The organ signed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organ: Option<String>,
}

/// Files, boxes and sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    /// Hồ sơ.
    pub files: u64,
    /// Hộp.
    pub boxes: u64,
    /// Tờ.
    pub sheets: u64,
}

const HANDOVER_SELECT: &str = "SELECT handover_id, fonds_code, batch_id, giving, receiving, giving_person, receiving_person,
    legal_basis, status, drafted_on, signed_on, chain_head, received_on, cancelled_on, declared_files, declared_boxes,
    declared_sheets, declared_mm, listed_files, listed_boxes, listed_sheets, discrepancies, giving_signer, receiving_signer,
    event_position, event_hash
    FROM handovers";

fn handover_row(r: &Row<'_>) -> rusqlite::Result<HandoverRow> {
    let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)? as u64) };
    let declared = Counts {
        files: n(14)?,
        boxes: n(15)?,
        sheets: n(16)?,
    };
    let listed = Counts {
        files: n(18)?,
        boxes: n(19)?,
        sheets: n(20)?,
    };
    Ok(HandoverRow {
        handover_id: r.get(0)?,
        fonds_code: r.get(1)?,
        batch_id: r.get(2)?,
        giving: r.get(3)?,
        receiving: r.get(4)?,
        giving_person: r.get(5)?,
        receiving_person: r.get(6)?,
        legal_basis: json_value(r, 7)?,
        status: r.get(8)?,
        drafted_on: date_column(r, 9)?.unwrap_or_default(),
        signed_on: date_column(r, 10)?,
        chain_head: r.get(11)?,
        received_on: date_column(r, 12)?,
        cancelled_on: date_column(r, 13)?,
        declared,
        declared_linear_mm: n(17)?,
        listed,
        counts_match: declared == listed,
        discrepancies: json_value(r, 21)?,
        giving_signer: signer_column(r, 22)?,
        receiving_signer: signer_column(r, 23)?,
        event_position: n(24)?,
        event_hash: r.get(25)?,
    })
}

/// A signer stored as JSON; none when absent (or unreadable, which a rebuild repairs).
fn signer_column(r: &Row<'_>, index: usize) -> rusqlite::Result<Option<Signer>> {
    let text: Option<String> = r.get(index)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Handovers, optionally of one fonds, one status or one custodian (giving or receiving).
pub fn handovers(
    conn: &Connection,
    fonds: Option<&str>,
    status: Option<&str>,
    custodian: Option<&str>,
) -> Result<Vec<HandoverRow>, ProjectionError> {
    let sql = format!(
        "{HANDOVER_SELECT} WHERE (?1 IS NULL OR fonds_code = ?1) AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR giving = ?3 OR receiving = ?3) ORDER BY drafted_on, handover_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![fonds, status, custodian], handover_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One handover.
pub fn handover(conn: &Connection, id: &str) -> Result<Option<HandoverRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("{HANDOVER_SELECT} WHERE handover_id = ?1"))?
        .query_row([id], handover_row)
        .optional()?)
}

/// The file codes attached to a handover, in list order.
pub fn handover_files(conn: &Connection, id: &str) -> Result<Vec<String>, ProjectionError> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.file_code FROM handover_files h LEFT JOIN files f USING (file_code) WHERE h.handover_id = ?1
         ORDER BY f.seq",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// A batch: the handovers of several fonds under one set of minutes.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BatchRow {
    /// Batch id.
    pub batch_id: String,
    /// Every fonds the batch names.
    pub fonds: Vec<String>,
    /// The handovers recorded so far: fonds code, handover id, status.
    #[schema(value_type = Vec<Vec<String>>)]
    pub handovers: Vec<(String, String, String)>,
    /// Whether every named fonds has a received handover.
    pub complete: bool,
}

/// Every handover batch with its completeness.
pub fn batches(conn: &Connection) -> Result<Vec<BatchRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(
        "SELECT batch_id, batch_fonds, fonds_code, handover_id, status FROM handovers WHERE batch_id IS NOT NULL
         ORDER BY batch_id, fonds_code",
    )?;
    let mut out: Vec<BatchRow> = Vec::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            json_value(r, 1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (batch_id, fonds, fonds_code, handover_id, status) = row?;
        if out.last().is_none_or(|b| b.batch_id != batch_id) {
            let fonds: Vec<String> = fonds
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            out.push(BatchRow {
                batch_id: batch_id.clone(),
                fonds,
                handovers: Vec::new(),
                complete: false,
            });
        }
        if let Some(batch) = out.last_mut() {
            batch.handovers.push((fonds_code, handover_id, status));
        }
    }
    for batch in &mut out {
        batch.complete = batch.fonds.iter().all(|f| {
            batch
                .handovers
                .iter()
                .any(|(code, _, status)| code == f && status == "received")
        });
    }
    Ok(out)
}

/// One transfer to a historical archive (nộp lưu).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TransferRow {
    /// Transfer id.
    pub transfer_id: String,
    /// Mã phông.
    pub fonds_code: String,
    /// The batch, if any.
    pub batch_id: Option<String>,
    /// The transferring custodian.
    pub transferring: String,
    /// The historical archive.
    pub archive: String,
    /// state or party.
    pub declared_kind: String,
    /// registered, appraised or accepted.
    pub status: String,
    /// Registered on.
    pub registered_on: NaiveDate,
    /// Appraised on.
    pub appraised_on: Option<NaiveDate>,
    /// approved or rejected.
    pub outcome: Option<String>,
    /// Accepted on.
    pub accepted_on: Option<NaiveDate>,
    /// Files listed.
    pub listed_files: u64,
    /// Files accepted.
    pub accepted: Option<u64>,
    /// Files rejected with reasons.
    pub rejected: Option<serde_json::Value>,
}

const TRANSFER_SELECT: &str = "SELECT transfer_id, fonds_code, batch_id, transferring, archive, declared_kind, status,
    registered_on, appraised_on, outcome, accepted_on, listed_files, accepted, rejected FROM transfers";

fn transfer_row(r: &Row<'_>) -> rusqlite::Result<TransferRow> {
    Ok(TransferRow {
        transfer_id: r.get(0)?,
        fonds_code: r.get(1)?,
        batch_id: r.get(2)?,
        transferring: r.get(3)?,
        archive: r.get(4)?,
        declared_kind: r.get(5)?,
        status: r.get(6)?,
        registered_on: date_column(r, 7)?.unwrap_or_default(),
        appraised_on: date_column(r, 8)?,
        outcome: r.get(9)?,
        accepted_on: date_column(r, 10)?,
        listed_files: r.get::<_, i64>(11)? as u64,
        accepted: r.get::<_, Option<i64>>(12)?.map(|n| n as u64),
        rejected: json_value(r, 13)?,
    })
}

/// Transfers, optionally of one fonds or one status.
pub fn transfers(
    conn: &Connection,
    fonds: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<TransferRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRANSFER_SELECT} WHERE (?1 IS NULL OR fonds_code = ?1) AND (?2 IS NULL OR status = ?2)
         ORDER BY registered_on, transfer_id"
    ))?;
    let rows = stmt.query_map(rusqlite::params![fonds, status], transfer_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One transfer.
pub fn transfer(conn: &Connection, id: &str) -> Result<Option<TransferRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("{TRANSFER_SELECT} WHERE transfer_id = ?1"))?
        .query_row([id], transfer_row)
        .optional()?)
}

/// One destruction procedure.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DestructionRow {
    /// Destruction id.
    pub destruction_id: String,
    /// Mã phông.
    pub fonds_code: String,
    /// proposed, approved, executed or cancelled.
    pub status: String,
    /// The appraisal council's decision.
    pub council: Option<serde_json::Value>,
    /// Proposed by.
    pub proposed_by: String,
    /// Proposed on.
    pub proposed_on: NaiveDate,
    /// Approved by (a different person).
    pub approved_by: Option<String>,
    /// Approved on.
    pub approved_on: Option<NaiveDate>,
    /// Executed on.
    pub executed_on: Option<NaiveDate>,
    /// Files on the frozen list.
    pub listed_files: u64,
}

const DESTRUCTION_SELECT: &str =
    "SELECT destruction_id, fonds_code, status, council, proposed_by, proposed_on,
    approved_by, approved_on, executed_on, listed_files FROM destructions";

fn destruction_row(r: &Row<'_>) -> rusqlite::Result<DestructionRow> {
    Ok(DestructionRow {
        destruction_id: r.get(0)?,
        fonds_code: r.get(1)?,
        status: r.get(2)?,
        council: json_value(r, 3)?,
        proposed_by: r.get(4)?,
        proposed_on: date_column(r, 5)?.unwrap_or_default(),
        approved_by: r.get(6)?,
        approved_on: date_column(r, 7)?,
        executed_on: date_column(r, 8)?,
        listed_files: r.get::<_, i64>(9)? as u64,
    })
}

/// Destruction procedures, optionally of one fonds.
pub fn destructions(
    conn: &Connection,
    fonds: Option<&str>,
) -> Result<Vec<DestructionRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DESTRUCTION_SELECT} WHERE (?1 IS NULL OR fonds_code = ?1) ORDER BY proposed_on, destruction_id"
    ))?;
    let rows = stmt.query_map([fonds], destruction_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One destruction procedure.
pub fn destruction(conn: &Connection, id: &str) -> Result<Option<DestructionRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("{DESTRUCTION_SELECT} WHERE destruction_id = ?1"))?
        .query_row([id], destruction_row)
        .optional()?)
}

/// A hold (tạm giữ, phong tỏa) on files of a fonds, for an inspection or a dispute.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HoldRow {
    /// Hold id.
    pub hold_id: String,
    /// Mã phông.
    pub fonds_code: String,
    /// inspection or dispute.
    pub reason: String,
    /// The document that ordered it.
    pub legal_basis: Option<serde_json::Value>,
    /// Placed by.
    pub placed_by: String,
    /// Placed on.
    pub placed_on: NaiveDate,
    /// Lifted on; none while it holds.
    pub lifted_on: Option<NaiveDate>,
    /// Files under the hold.
    pub listed_files: u64,
}

const HOLD_SELECT: &str =
    "SELECT hold_id, fonds_code, reason, legal_basis, placed_by, placed_on, lifted_on,
    listed_files FROM holds";

fn hold_row(r: &Row<'_>) -> rusqlite::Result<HoldRow> {
    Ok(HoldRow {
        hold_id: r.get(0)?,
        fonds_code: r.get(1)?,
        reason: r.get(2)?,
        legal_basis: json_value(r, 3)?,
        placed_by: r.get(4)?,
        placed_on: date_column(r, 5)?.unwrap_or_default(),
        lifted_on: date_column(r, 6)?,
        listed_files: r.get::<_, i64>(7)? as u64,
    })
}

/// Holds, optionally of one fonds, in the order they were placed.
pub fn holds(conn: &Connection, fonds: Option<&str>) -> Result<Vec<HoldRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{HOLD_SELECT} WHERE (?1 IS NULL OR fonds_code = ?1) ORDER BY placed_on, hold_id"
    ))?;
    let rows = stmt.query_map([fonds], hold_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One hold.
pub fn hold(conn: &Connection, id: &str) -> Result<Option<HoldRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("{HOLD_SELECT} WHERE hold_id = ?1"))?
        .query_row([id], hold_row)
        .optional()?)
}

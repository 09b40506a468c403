//! Fonds: the list with status and totals, and one fonds with its creator history.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use utoipa::ToSchema;

use super::{date_column, json_value};
use crate::error::ProjectionError;

/// One fonds with its status and counts.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FondsRow {
    /// Mã phông.
    pub code: String,
    /// Tên phông.
    pub name: String,
    /// state or party.
    pub kind: String,
    /// The creator's organ id.
    pub creator_organ_id: String,
    /// The creator's name.
    pub creator_name: String,
    /// The creator's unit.
    pub unit_code: String,
    /// First custodian.
    pub custodian: String,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Closed on (đóng phông), if closed.
    pub closed_on: Option<NaiveDate>,
    /// The closing act.
    pub closing_act: Option<serde_json::Value>,
    /// open, closed, partly_transferred or transferred.
    pub status: String,
    /// Files recorded.
    pub files: u64,
    /// Files already transferred to a historical archive.
    pub transferred: u64,
    /// Lịch sử đơn vị hình thành phông.
    pub history: Option<String>,
}

const FONDS_SELECT: &str =
    "SELECT d.code, d.name, d.kind, d.creator_organ_id, d.creator_name, d.unit_code, d.custodian,
    d.opened_on, d.closed_on, d.closing_act, d.history,
    (SELECT COUNT(*) FROM files f WHERE f.fonds_code = d.code),
    (SELECT COUNT(*) FROM files f WHERE f.fonds_code = d.code AND f.status = 'transferred')
    FROM fonds d";

fn fonds_row(r: &Row<'_>) -> rusqlite::Result<FondsRow> {
    let closed_on = date_column(r, 8)?;
    let files = r.get::<_, i64>(11)? as u64;
    let transferred = r.get::<_, i64>(12)? as u64;
    let status = match (closed_on, transferred) {
        (_, t) if t > 0 && t == files => "transferred",
        (_, t) if t > 0 => "partly_transferred",
        (Some(_), _) => "closed",
        (None, _) => "open",
    };
    Ok(FondsRow {
        code: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        creator_organ_id: r.get(3)?,
        creator_name: r.get(4)?,
        unit_code: r.get(5)?,
        custodian: r.get(6)?,
        opened_on: date_column(r, 7)?.unwrap_or_default(),
        closed_on,
        closing_act: json_value(r, 9)?,
        history: r.get(10)?,
        status: status.into(),
        files,
        transferred,
    })
}

/// Fonds whose code or name matches `q` (diacritics ignored), optionally of one unit, by code.
pub fn list(
    conn: &Connection,
    q: Option<&str>,
    unit: Option<&str>,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<FondsRow>, ProjectionError> {
    let pattern = format!(
        "%{}%",
        q.map(bangiao_domain::values::fold_vietnamese)
            .unwrap_or_default()
    );
    let sql = format!(
        "{FONDS_SELECT} WHERE (d.name_folded LIKE ?1 OR d.code LIKE ?1) AND (?2 IS NULL OR d.unit_code = ?2)
         AND (?3 IS NULL OR d.code > ?3) ORDER BY d.code LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![pattern, unit, after, limit], fonds_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Whether a fonds with this code exists (an index lookup, whatever its size).
pub fn exists(conn: &Connection, code: &str) -> Result<bool, ProjectionError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM fonds WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

/// One fonds.
pub fn get(conn: &Connection, code: &str) -> Result<Option<FondsRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("{FONDS_SELECT} WHERE d.code = ?1"))?
        .query_row([code], fonds_row)
        .optional()?)
}

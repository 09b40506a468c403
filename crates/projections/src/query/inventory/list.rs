//! The rows of an inventory list and the lists in recording order: pages, a process's files,
//! and every row in turn for exports.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::filter::{from_where, with_scope};
use super::{Filter, Scope, merge};
use crate::error::ProjectionError;
use crate::query::date_column;

/// One row of the inventory list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FileRow {
    /// Order of recording in the log: the cursor of the list.
    pub seq: i64,
    /// Hồ sơ số: the file's number in the list it was recorded from, as that list wrote it;
    /// none when it was not recorded from a list.
    pub list_number: Option<u32>,
    /// Mã phông.
    pub fonds_code: String,
    /// Số, ký hiệu hồ sơ (file code).
    pub file_code: String,
    /// Tiêu đề hồ sơ.
    pub title: String,
    /// Ngày bắt đầu.
    pub start_date: NaiveDate,
    /// Ngày kết thúc.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản, code 01–07.
    pub retention: String,
    /// Years of a fixed-term retention; none when permanent.
    pub retention_years: Option<u32>,
    /// Chế độ sử dụng, code 01–03.
    pub access: String,
    /// paper, electronic, audiovisual, other.
    pub carrier: String,
    /// Hộp số.
    pub box_number: Option<String>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Ngôn ngữ.
    pub language: String,
    /// Ghi chú.
    pub notes: Option<String>,
    /// Who holds it now.
    pub custodian: String,
    /// Custody status.
    pub status: String,
    /// Unfinished tasks, when the file is unfinished work.
    pub unfinished: Option<serde_json::Value>,
    /// What is damaged, when damaged.
    pub damaged: Option<String>,
    /// SHA-256 of the digitised copy.
    pub sha256: Option<String>,
    /// The last refusal by a historical archive at a transfer; none once a transfer took it.
    pub rejected: Option<Rejection>,
    /// The holds (phong tỏa) standing on the file, oldest first.
    pub holds: Vec<HoldMark>,
}

/// A file refused at a transfer: it stays with the transferor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rejection {
    /// The day the archive signed the transfer record refusing it.
    pub on: NaiveDate,
    /// Why the archive refused it.
    pub reason: String,
}

/// A hold standing on a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HoldMark {
    /// Why: `inspection` or `dispute`.
    pub reason: String,
    /// The number of the decision ordering it (e.g. "215/QĐ-TTr").
    pub basis: String,
    /// The day it was placed.
    pub placed_on: NaiveDate,
}

pub(super) const ROW_COLUMNS: &str = "f.seq, f.fonds_code, f.file_code, f.title, f.start_date, f.end_date, f.retention, \
    f.retention_years, f.access, f.carrier, f.box, f.sheets, f.language, f.notes, f.custodian, f.status, \
    f.unfinished, f.damaged, f.sha256, f.rejected_on, f.rejected_reason, \
    CASE WHEN EXISTS (SELECT 1 FROM hold_files hf WHERE hf.file_code = f.file_code) THEN \
    (SELECT json_group_array(json_object('reason', h.reason, 'basis', json_extract(h.legal_basis, '$.number'), \
    'placed_on', h.placed_on) ORDER BY h.placed_on, h.hold_id) FROM hold_files hf \
    JOIN holds h ON h.hold_id = hf.hold_id WHERE hf.file_code = f.file_code) END, f.list_number";

/// How many columns [`ROW_COLUMNS`] selects.
pub(super) const ROW_COLUMN_COUNT: usize = 23;

pub(super) fn file_row(r: &Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        seq: r.get(0)?,
        fonds_code: r.get(1)?,
        file_code: r.get(2)?,
        title: r.get(3)?,
        start_date: date_column(r, 4)?.unwrap_or_default(),
        end_date: date_column(r, 5)?.unwrap_or_default(),
        retention: r.get(6)?,
        retention_years: r.get(7)?,
        access: r.get(8)?,
        carrier: r.get(9)?,
        box_number: r.get(10)?,
        sheets: r.get(11)?,
        language: r.get(12)?,
        notes: r.get(13)?,
        custodian: r.get(14)?,
        status: r.get(15)?,
        unfinished: crate::query::json_value(r, 16)?,
        damaged: r.get(17)?,
        sha256: r.get(18)?,
        rejected: match (date_column(r, 19)?, r.get::<_, Option<String>>(20)?) {
            (Some(on), Some(reason)) => Some(Rejection { on, reason }),
            _ => None,
        },
        holds: holds_column(r, 21)?,
        list_number: r.get(22)?,
    })
}

/// The JSON array of holds the row query builds; none when the file has no hold.
fn holds_column(r: &Row<'_>, index: usize) -> rusqlite::Result<Vec<HoldMark>> {
    let Some(text) = r.get::<_, Option<String>>(index)? else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The fonds a unit's list spans (its own, its predecessors' and those of the units below it),
/// by code.
pub fn fonds_of_unit(conn: &Connection, unit: &str) -> Result<Vec<String>, ProjectionError> {
    merge::fonds_in_scope(conn, unit)
}

/// One page of the list, in recording order, after the row whose `seq` is `after`.
pub fn page(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
    after: Option<i64>,
    limit: u32,
) -> Result<Vec<FileRow>, ProjectionError> {
    let (mut from, mut params) = from_where(scope, filter);
    if let Some(after) = after {
        params.push(Value::Integer(after));
        from.push_str(&format!(" AND f.seq > ?{}", params.len()));
    }
    params.push(Value::Integer(i64::from(limit)));
    let sql = with_scope(
        scope,
        format!(
            "SELECT {ROW_COLUMNS} {from} ORDER BY f.seq LIMIT ?{}",
            params.len()
        ),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), file_row)?;
    let mut rows = rows.collect::<Result<Vec<_>, _>>()?;
    for row in &mut rows {
        filter.redact(row);
    }
    Ok(rows)
}

/// A process whose list of files the read model keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessList {
    /// A transfer to the historical archive (`transfer_files`).
    Transfer,
    /// A destruction procedure (`destruction_files`).
    Destruction,
}

/// The files listed in a transfer or a destruction, in recording order; titles the reader may
/// not see are hidden as in the inventory (only `filter.cleared_fonds` is used).
pub fn listed_in(
    conn: &Connection,
    list: ProcessList,
    id: &str,
    filter: &Filter,
) -> Result<Vec<FileRow>, ProjectionError> {
    let (table, column) = match list {
        ProcessList::Transfer => ("transfer_files", "transfer_id"),
        ProcessList::Destruction => ("destruction_files", "destruction_id"),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM {table} l JOIN files f ON f.file_code = l.file_code
         WHERE l.{column} = ?1 ORDER BY f.seq"
    ))?;
    let rows = stmt.query_map([id], file_row)?;
    let mut rows = rows.collect::<Result<Vec<_>, _>>()?;
    for row in &mut rows {
        filter.redact(row);
    }
    Ok(rows)
}

/// Visits every row of the list in order without holding them all; `visit` may stop early by
/// returning false. Used to stream exports.
pub fn for_each(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
    mut visit: impl FnMut(FileRow) -> bool,
) -> Result<u64, ProjectionError> {
    if let Scope::Unit(unit) = scope {
        return merge::for_each_in_unit(conn, unit, filter, visit);
    }
    let (from, params) = from_where(scope, filter);
    let sql = with_scope(scope, format!("SELECT {ROW_COLUMNS} {from} ORDER BY f.seq"));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        count += 1;
        let mut row = file_row(row)?;
        filter.redact(&mut row);
        if !visit(row) {
            break;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::inventory::REDACTED_TITLE;
    use crate::query::inventory::fixture::model;

    #[test]
    fn a_hidden_file_keeps_its_marks_without_their_words() {
        let conn = model();
        conn.execute_batch(
            "UPDATE files SET damaged = 'Rách bìa', rejected_on = '2024-05-20', rejected_reason = 'Thiếu mục lục'
             WHERE seq IN (5, 6);
             INSERT INTO holds (hold_id, fonds_code, reason, legal_basis, placed_by, placed_on, listed_files)
             VALUES ('h1', '066-UB', 'inspection', '{\"number\":\"215/QĐ-TTr\"}', 'x', '2025-08-25', 1);
             INSERT INTO hold_files (hold_id, file_code) SELECT 'h1', file_code FROM files WHERE seq IN (5, 6);",
        )
        .expect("marks");
        let hidden = Filter {
            cleared_fonds: Some(vec![]),
            ..Filter::default()
        };
        let rows = page(&conn, &Scope::Fonds("066-UB".into()), &hidden, Some(4), 2).expect("page");
        let (secret, open) = (&rows[0], &rows[1]);
        assert_eq!((secret.seq, secret.access.as_str()), (5, "02"));
        assert_eq!(secret.damaged.as_deref(), Some(REDACTED_TITLE));
        let rejected = secret.rejected.as_ref().expect("still refused");
        assert_eq!(
            (rejected.on.to_string().as_str(), rejected.reason.as_str()),
            ("2024-05-20", REDACTED_TITLE)
        );
        assert_eq!(open.damaged.as_deref(), Some("Rách bìa"));
        assert_eq!(
            open.rejected.as_ref().map(|r| r.reason.as_str()),
            Some("Thiếu mục lục")
        );
        for row in &rows {
            assert_eq!(row.holds.len(), 1);
            assert_eq!(
                (row.holds[0].reason.as_str(), row.holds[0].basis.as_str()),
                ("inspection", "215/QĐ-TTr")
            );
        }
    }
}

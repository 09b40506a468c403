//! Transfer deadlines of permanent files to the provincial historical archive, and what is
//! overdue on a given date.
//!
//! Luật Lưu trữ 2024 Art. 17: files go to the current archive within 1 year after the work ends
//! and to the historical archive within 5 years after that: due 6 years after the file's end.
//! Art. 65 (transition, from 1 July 2025): records made before that day are a backlog that
//! agencies have 5 years to process (1 July 2030), and provinces 10 years for the permanent
//! records of commune People's Councils and Committees (1 July 2035). A pre-2025 file is due at
//! the later of its Art. 17 date and its Art. 65 date.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use utoipa::ToSchema;

use super::date_column;
use crate::error::ProjectionError;

/// The day the 2024 Law took effect.
pub const LAW_IN_FORCE: &str = "2025-07-01";
/// End of the 5-year backlog period for agencies (Art. 65).
pub const AGENCY_BACKLOG_DUE: &str = "2030-07-01";
/// End of the 10-year period for commune HĐND/UBND permanent records (Art. 65).
pub const COMMUNE_BACKLOG_DUE: &str = "2035-07-01";

/// Where a fonds stands against its transfer deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeadlineRow {
    /// Mã phông.
    pub fonds_code: String,
    /// Tên phông.
    pub fonds_name: String,
    /// The creator's unit.
    pub unit_code: String,
    /// Its level (a commune's records have the longer Art. 65 period).
    pub unit_level: Option<String>,
    /// Permanent files not yet transferred.
    pub pending_files: u64,
    /// Boxes holding them.
    pub pending_boxes: u64,
    /// Their estimated shelf length, in millimetres.
    pub pending_linear_mm: u64,
    /// The earliest date one of them is due.
    pub next_due: Option<NaiveDate>,
    /// Of them, files already past their date.
    pub overdue_files: u64,
    /// The rule behind `next_due`: art17 or art65.
    pub rule: Option<String>,
}

/// Deadlines per fonds on `as_of`, most urgent first; only fonds with pending permanent files.
pub fn deadlines(
    conn: &Connection,
    as_of: NaiveDate,
    overdue_only: bool,
) -> Result<Vec<DeadlineRow>, ProjectionError> {
    let sql = format!(
        "WITH due AS (
            SELECT f.fonds_code, f.box,
                   date(f.end_date, '+6 years') AS art17,
                   CASE WHEN f.end_date < '{LAW_IN_FORCE}'
                        THEN CASE WHEN u.level = 'commune' THEN '{COMMUNE_BACKLOG_DUE}' ELSE '{AGENCY_BACKLOG_DUE}' END
                   END AS art65
            FROM files f JOIN fonds d ON d.code = f.fonds_code LEFT JOIN units u ON u.code = d.unit_code
            WHERE f.retention = '01' AND f.status NOT IN ('transferred', 'destroyed')
         ), dated AS (
            SELECT fonds_code, box, CASE WHEN art65 IS NOT NULL AND art65 > art17 THEN art65 ELSE art17 END AS due_on,
                   CASE WHEN art65 IS NOT NULL AND art65 > art17 THEN 'art65' ELSE 'art17' END AS rule
            FROM due
         )
         SELECT d.code, d.name, d.unit_code, u.level, COUNT(*), COUNT(DISTINCT x.box), MIN(x.due_on),
                SUM(x.due_on < ?1),
                (SELECT y.rule FROM dated y WHERE y.fonds_code = d.code ORDER BY y.due_on LIMIT 1)
         FROM dated x JOIN fonds d ON d.code = x.fonds_code LEFT JOIN units u ON u.code = d.unit_code
         GROUP BY d.code HAVING (?2 = 0 OR SUM(x.due_on < ?1) > 0)
         ORDER BY MIN(x.due_on), d.code"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![as_of.to_string(), overdue_only], |r| {
        let boxes = r.get::<_, i64>(5)? as u64;
        Ok(DeadlineRow {
            fonds_code: r.get(0)?,
            fonds_name: r.get(1)?,
            unit_code: r.get(2)?,
            unit_level: r.get(3)?,
            pending_files: r.get::<_, i64>(4)? as u64,
            pending_boxes: boxes,
            pending_linear_mm: boxes * super::inventory::MM_PER_BOX,
            next_due: date_column(r, 6)?,
            overdue_files: r.get::<_, i64>(7)? as u64,
            rule: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

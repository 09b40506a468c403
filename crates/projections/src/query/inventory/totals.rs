//! The totals of an inventory list: the header of the Mục lục.

use rusqlite::Connection;
use serde::Serialize;
use utoipa::ToSchema;

use super::filter::{from_where, with_scope};
use super::{Filter, Scope};
use crate::error::ProjectionError;

/// How many files of one code (retention or access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CodeCount {
    /// The code.
    pub code: String,
    /// Files with it.
    pub files: u64,
}

/// Totals of an inventory list (the header of the Mục lục: figures to be written in words too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Files (hồ sơ, đơn vị bảo quản).
    pub files: u64,
    /// Distinct boxes (hộp).
    pub boxes: u64,
    /// Sheets (tờ).
    pub sheets: u64,
    /// Shelf length estimated from boxes, 8 boxes to the metre, in millimetres.
    pub linear_mm: u64,
    /// Files by retention code.
    pub by_retention: Vec<CodeCount>,
    /// Files by access code.
    pub by_access: Vec<CodeCount>,
}

/// Millimetres of shelf per box: about 8 boxes to the metre (Điện Biên's figures, domain.md §5).
pub const MM_PER_BOX: u64 = 125;

/// Totals of the list under the same scope and filter.
pub fn totals(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
) -> Result<Totals, ProjectionError> {
    let (from, params) = from_where(scope, filter);
    let sql = with_scope(
        scope,
        format!(
            "SELECT COUNT(*), COUNT(DISTINCT f.fonds_code || '/' || f.box), COALESCE(SUM(f.sheets), 0) {from}"
        ),
    );
    let (files, boxes, sheets): (i64, i64, i64) = conn
        .prepare(&sql)?
        .query_row(rusqlite::params_from_iter(params.clone()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let by = |column: &str| -> Result<Vec<CodeCount>, ProjectionError> {
        let sql = with_scope(
            scope,
            format!("SELECT {column}, COUNT(*) {from} GROUP BY {column} ORDER BY {column}"),
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.clone()), |r| {
            Ok(CodeCount {
                code: r.get(0)?,
                files: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    };
    Ok(Totals {
        files: files as u64,
        boxes: boxes as u64,
        sheets: sheets as u64,
        linear_mm: boxes as u64 * MM_PER_BOX,
        by_retention: by("f.retention")?,
        by_access: by("f.access")?,
    })
}

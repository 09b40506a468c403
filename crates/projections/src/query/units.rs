//! Administrative units and their lineage.

use bangiao_domain::values::fold_vietnamese;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use utoipa::ToSchema;

use super::{date_column, json_value};
use crate::error::ProjectionError;

/// One administrative unit as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitRow {
    /// Mã đơn vị hành chính.
    pub code: String,
    /// Tên.
    pub name: String,
    /// province, district or commune.
    pub level: String,
    /// The kind of unit (tỉnh, huyện, xã, phường, …).
    pub unit_type: String,
    /// The unit above it.
    pub parent: Option<String>,
    /// The day it began.
    pub valid_from: NaiveDate,
    /// The act that created it.
    pub legal_basis: Option<serde_json::Value>,
    /// The effective date of the act that ended it (merger, split, end), if it has ended: the
    /// first day it no longer exists, as the resolution says ("từ ngày 01/7/2025").
    pub ended_on: Option<NaiveDate>,
    /// Its last day, the day before `ended_on` (30/06/2025 for an end effective 01/07/2025).
    pub last_day: Option<NaiveDate>,
    /// merged, split, dissolved or tier_abolished.
    pub end_reason: Option<String>,
}

const UNIT_COLUMNS: &str =
    "code, name, level, unit_type, parent, valid_from, legal_basis, ended_on, end_reason";

fn unit_row(r: &Row<'_>) -> rusqlite::Result<UnitRow> {
    Ok(UnitRow {
        code: r.get(0)?,
        name: r.get(1)?,
        level: r.get(2)?,
        unit_type: r.get(3)?,
        parent: r.get(4)?,
        valid_from: date_column(r, 5)?.unwrap_or_default(),
        legal_basis: json_value(r, 6)?,
        ended_on: date_column(r, 7)?,
        last_day: date_column(r, 7)?.and_then(|d| d.pred_opt()),
        end_reason: r.get(8)?,
    })
}

/// Units whose name or code matches `q` (diacritics and case ignored), by code.
pub fn search(
    conn: &Connection,
    q: Option<&str>,
    limit: u32,
) -> Result<Vec<UnitRow>, ProjectionError> {
    let pattern = format!("%{}%", q.map(fold_vietnamese).unwrap_or_default());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE name_folded LIKE ?1 OR code LIKE ?1 ORDER BY code LIMIT ?2"
    ))?;
    let rows = stmt.query_map(rusqlite::params![pattern, limit], unit_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Whether an administrative unit with this code is registered.
pub fn exists(conn: &Connection, code: &str) -> Result<bool, ProjectionError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM units WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

/// One unit.
pub fn get(conn: &Connection, code: &str) -> Result<Option<UnitRow>, ProjectionError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = ?1"))?
        .query_row([code], unit_row)
        .optional()?)
}

/// One link of the lineage graph, seen from the unit asked about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LineageLink {
    /// The other unit.
    pub code: String,
    /// Its name, when registered.
    pub name: Option<String>,
    /// merged or split.
    pub kind: String,
    /// The day the reorganisation took effect.
    pub effective_on: NaiveDate,
    /// The resolution behind it.
    pub legal_basis: Option<serde_json::Value>,
    /// 1 for a direct predecessor or successor, 2 for one of theirs, …
    pub depth: u32,
    /// Who it descends from (for predecessors) or leads to (for successors) at the level above.
    pub via: String,
}

/// A unit's lineage: every predecessor and every successor, transitively, with dates and bases.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Lineage {
    /// The unit asked about.
    pub unit: UnitRow,
    /// Units that went into it, directly or through others.
    pub predecessors: Vec<LineageLink>,
    /// Units it went into, directly or through others.
    pub successors: Vec<LineageLink>,
    /// Units directly below it.
    pub children: Vec<UnitRow>,
}

fn links(
    conn: &Connection,
    code: &str,
    backwards: bool,
) -> Result<Vec<LineageLink>, ProjectionError> {
    let (near, far) = if backwards {
        ("successor", "predecessor")
    } else {
        ("predecessor", "successor")
    };
    let sql = format!(
        "WITH RECURSIVE walk(code, via, depth, kind, effective_on, legal_basis) AS (
            SELECT l.{far}, l.{near}, 1, l.kind, l.effective_on, l.legal_basis FROM unit_links l WHERE l.{near} = ?1
            UNION
            SELECT l.{far}, l.{near}, w.depth + 1, l.kind, l.effective_on, l.legal_basis
            FROM unit_links l JOIN walk w ON l.{near} = w.code WHERE w.depth < 20
         )
         SELECT w.code, u.name, w.kind, w.effective_on, w.legal_basis, w.depth, w.via
         FROM walk w LEFT JOIN units u ON u.code = w.code ORDER BY w.depth, w.code"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([code], |r| {
        Ok(LineageLink {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            effective_on: date_column(r, 3)?.unwrap_or_default(),
            legal_basis: json_value(r, 4)?,
            depth: r.get(5)?,
            via: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The lineage of a unit; None when it is not registered.
pub fn lineage(conn: &Connection, code: &str) -> Result<Option<Lineage>, ProjectionError> {
    let Some(unit) = get(conn, code)? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE parent = ?1 ORDER BY code"
    ))?;
    let children = stmt
        .query_map([code], unit_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Lineage {
        unit,
        predecessors: links(conn, code, true)?,
        successors: links(conn, code, false)?,
        children,
    }))
}

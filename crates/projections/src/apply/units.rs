//! Units and their lineage.

use bangiao_domain::unit::{
    UnitAbsorbed, UnitEnded, UnitFormedByMerger, UnitFormedBySplit, UnitMergedInto, UnitRegistered,
    UnitSplitInto,
};
use bangiao_domain::values::{LegalBasis, Name, UnitCode, UnitLevel, UnitType};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::fold::fold;
use super::{code, exec, json};
use crate::error::ProjectionError;

const END_UNIT: &str =
    "UPDATE units SET ended_on = ?2, end_reason = ?3, end_basis = ?4 WHERE code = ?1";

/// What a unit row holds when the unit begins (registered, or formed by a reorganisation).
struct NewUnit<'a> {
    name: &'a Name,
    level: UnitLevel,
    unit_type: UnitType,
    parent: Option<&'a UnitCode>,
    valid_from: NaiveDate,
    legal_basis: &'a LegalBasis,
}

fn insert_unit(conn: &Connection, unit: &str, u: NewUnit<'_>) -> Result<(), ProjectionError> {
    exec(
        conn,
        "INSERT OR REPLACE INTO units
            (code, name, name_folded, level, unit_type, parent, valid_from, legal_basis)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            unit,
            u.name.as_str(),
            fold(u.name.as_str()),
            code(&u.level),
            code(&u.unit_type),
            u.parent.map(|p| p.as_str()),
            u.valid_from.to_string(),
            json(u.legal_basis)
        ],
    )?;
    Ok(())
}

/// One edge of the lineage graph: `predecessor` went into `successor` by a merger or a split.
fn link(
    conn: &Connection,
    predecessor: &str,
    successor: &str,
    kind: &str,
    effective_on: NaiveDate,
    legal_basis: &LegalBasis,
    act_id: String,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "INSERT OR REPLACE INTO unit_links
            (predecessor, successor, kind, effective_on, legal_basis, act_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![predecessor, successor, kind, effective_on.to_string(), json(legal_basis), act_id],
    )?;
    Ok(())
}

fn end(
    conn: &Connection,
    unit: &str,
    on: NaiveDate,
    reason: &str,
    basis: &LegalBasis,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        END_UNIT,
        params![unit, on.to_string(), reason, json(basis)],
    )?;
    Ok(())
}

/// A `UnitRegistered` of stream `unit-{unit}`: the unit row.
pub fn registered(
    conn: &Connection,
    unit: &str,
    e: &UnitRegistered,
) -> Result<(), ProjectionError> {
    insert_unit(
        conn,
        unit,
        NewUnit {
            name: &e.name,
            level: e.level,
            unit_type: e.unit_type,
            parent: e.parent.as_ref(),
            valid_from: e.valid_from,
            legal_basis: &e.legal_basis,
        },
    )
}

/// A `UnitFormedByMerger`: the new unit and an edge from each predecessor.
pub fn formed_by_merger(
    conn: &Connection,
    unit: &str,
    e: &UnitFormedByMerger,
) -> Result<(), ProjectionError> {
    insert_unit(
        conn,
        unit,
        NewUnit {
            name: &e.name,
            level: e.level,
            unit_type: e.unit_type,
            parent: e.parent.as_ref(),
            valid_from: e.effective_on,
            legal_basis: &e.legal_basis,
        },
    )?;
    for p in &e.predecessors {
        link(
            conn,
            p.as_str(),
            unit,
            "merged",
            e.effective_on,
            &e.legal_basis,
            e.merger_id.to_string(),
        )?;
    }
    Ok(())
}

/// A `UnitAbsorbed`: an edge from each unit merged into this one, which goes on.
pub fn absorbed(conn: &Connection, unit: &str, e: &UnitAbsorbed) -> Result<(), ProjectionError> {
    for p in &e.predecessors {
        link(
            conn,
            p.as_str(),
            unit,
            "merged",
            e.effective_on,
            &e.legal_basis,
            e.merger_id.to_string(),
        )?;
    }
    Ok(())
}

/// A `UnitMergedInto`: the unit ends, merged.
pub fn merged_into(
    conn: &Connection,
    unit: &str,
    e: &UnitMergedInto,
) -> Result<(), ProjectionError> {
    end(conn, unit, e.effective_on, "merged", &e.legal_basis)
}

/// A `UnitSplitInto`: the unit ends, split.
pub fn split_into(conn: &Connection, unit: &str, e: &UnitSplitInto) -> Result<(), ProjectionError> {
    end(conn, unit, e.effective_on, "split", &e.legal_basis)
}

/// A `UnitFormedBySplit`: the new unit and an edge from the unit split.
pub fn formed_by_split(
    conn: &Connection,
    unit: &str,
    e: &UnitFormedBySplit,
) -> Result<(), ProjectionError> {
    insert_unit(
        conn,
        unit,
        NewUnit {
            name: &e.name,
            level: e.level,
            unit_type: e.unit_type,
            parent: e.parent.as_ref(),
            valid_from: e.effective_on,
            legal_basis: &e.legal_basis,
        },
    )?;
    link(
        conn,
        e.predecessor.as_str(),
        unit,
        "split",
        e.effective_on,
        &e.legal_basis,
        e.split_id.to_string(),
    )
}

/// A `UnitEnded`: the unit ends for its reason.
pub fn ended(conn: &Connection, unit: &str, e: &UnitEnded) -> Result<(), ProjectionError> {
    end(conn, unit, e.effective_on, &code(&e.reason), &e.legal_basis)
}

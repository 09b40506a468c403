//! Units and their lineage.

use bangiao_domain::UnitEvent;
use rusqlite::{Connection, params};

use super::fold::fold;
use super::{code, exec, json};
use crate::error::ProjectionError;

const INSERT_UNIT: &str = "INSERT OR REPLACE INTO units
    (code, name, name_folded, level, unit_type, parent, valid_from, legal_basis)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const INSERT_LINK: &str = "INSERT OR REPLACE INTO unit_links
    (predecessor, successor, kind, effective_on, legal_basis, act_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const END_UNIT: &str =
    "UPDATE units SET ended_on = ?2, end_reason = ?3, end_basis = ?4 WHERE code = ?1";

/// Applies one event of the stream `unit-{unit}`.
pub fn apply(conn: &Connection, unit: &str, event: &UnitEvent) -> Result<(), ProjectionError> {
    match event {
        UnitEvent::UnitRegistered(e) => {
            exec(
                conn,
                INSERT_UNIT,
                params![
                    unit,
                    e.name.as_str(),
                    fold(e.name.as_str()),
                    code(&e.level),
                    code(&e.unit_type),
                    e.parent.as_ref().map(|p| p.as_str()),
                    e.valid_from.to_string(),
                    json(&e.legal_basis)
                ],
            )?;
        }
        UnitEvent::UnitFormedByMerger(e) => {
            exec(
                conn,
                INSERT_UNIT,
                params![
                    unit,
                    e.name.as_str(),
                    fold(e.name.as_str()),
                    code(&e.level),
                    code(&e.unit_type),
                    e.parent.as_ref().map(|p| p.as_str()),
                    e.effective_on.to_string(),
                    json(&e.legal_basis)
                ],
            )?;
            for p in &e.predecessors {
                exec(
                    conn,
                    INSERT_LINK,
                    params![
                        p.as_str(),
                        unit,
                        "merged",
                        e.effective_on.to_string(),
                        json(&e.legal_basis),
                        e.merger_id.to_string()
                    ],
                )?;
            }
        }
        UnitEvent::UnitAbsorbed(e) => {
            for p in &e.predecessors {
                exec(
                    conn,
                    INSERT_LINK,
                    params![
                        p.as_str(),
                        unit,
                        "merged",
                        e.effective_on.to_string(),
                        json(&e.legal_basis),
                        e.merger_id.to_string()
                    ],
                )?;
            }
        }
        UnitEvent::UnitMergedInto(e) => {
            exec(
                conn,
                END_UNIT,
                params![
                    unit,
                    e.effective_on.to_string(),
                    "merged",
                    json(&e.legal_basis)
                ],
            )?;
        }
        UnitEvent::UnitSplitInto(e) => {
            exec(
                conn,
                END_UNIT,
                params![
                    unit,
                    e.effective_on.to_string(),
                    "split",
                    json(&e.legal_basis)
                ],
            )?;
        }
        UnitEvent::UnitFormedBySplit(e) => {
            exec(
                conn,
                INSERT_UNIT,
                params![
                    unit,
                    e.name.as_str(),
                    fold(e.name.as_str()),
                    code(&e.level),
                    code(&e.unit_type),
                    e.parent.as_ref().map(|p| p.as_str()),
                    e.effective_on.to_string(),
                    json(&e.legal_basis)
                ],
            )?;
            exec(
                conn,
                INSERT_LINK,
                params![
                    e.predecessor.as_str(),
                    unit,
                    "split",
                    e.effective_on.to_string(),
                    json(&e.legal_basis),
                    e.split_id.to_string()
                ],
            )?;
        }
        UnitEvent::UnitEnded(e) => {
            exec(
                conn,
                END_UNIT,
                params![
                    unit,
                    e.effective_on.to_string(),
                    code(&e.reason),
                    json(&e.legal_basis)
                ],
            )?;
        }
    }
    Ok(())
}

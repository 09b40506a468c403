//! The fonds itself: opened, its creator's history, closed.

use bangiao_domain::fonds::{CreatorHistoryRecorded, FondsClosed, FondsOpened};
use rusqlite::{Connection, params};

use super::fold::fold;
use super::{code, exec, json};
use crate::error::ProjectionError;

/// A `FondsOpened`: the fonds row.
pub fn opened(conn: &Connection, fonds: &str, e: &FondsOpened) -> Result<(), ProjectionError> {
    exec(conn, "INSERT OR REPLACE INTO fonds
        (code, name, name_folded, kind, creator_organ_id, creator_name, unit_code, custodian, opened_on)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", params![
        fonds, e.name.as_str(), fold(e.name.as_str()), code(&e.kind), e.creator_organ_id.as_str(),
        e.creator_name.as_str(), e.unit_code.as_str(), e.custodian.as_str(), e.opened_on.to_string()
    ])?;
    Ok(())
}

/// A `CreatorHistoryRecorded`: the history of the fonds' creator.
pub fn creator_history(
    conn: &Connection,
    fonds: &str,
    e: &CreatorHistoryRecorded,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE fonds SET history = ?2 WHERE code = ?1",
        params![fonds, e.history.as_str()],
    )?;
    Ok(())
}

/// A `FondsClosed`: the date and act of closure.
pub fn closed(conn: &Connection, fonds: &str, e: &FondsClosed) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE fonds SET closed_on = ?2, closing_act = ?3 WHERE code = ?1",
        params![fonds, e.closed_on.to_string(), json(&e.closing_act)],
    )?;
    Ok(())
}

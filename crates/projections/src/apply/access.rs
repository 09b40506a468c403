//! API tokens and the audit log of refusals.

use bangiao_auth::token::{AccessDenied, TokenIssued, TokenRevoked};
use bangiao_store::RecordedEvent;
use rusqlite::{Connection, params};

use super::exec;
use crate::error::ProjectionError;

/// When the event was recorded, from its envelope.
fn recorded_at(recorded: &RecordedEvent) -> String {
    recorded
        .metadata()
        .map(|m| m.recorded_at.to_rfc3339())
        .unwrap_or_default()
}

/// A `TokenIssued` recorded as `recorded`: the token's row (its digest, never the token).
pub fn token_issued(
    conn: &Connection,
    recorded: &RecordedEvent,
    e: &TokenIssued,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "INSERT OR REPLACE INTO tokens
        (token_id, token_sha256, user_id, role, scope, expires_at, issued_by, issued_at, name, title, organ)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            e.token_id.to_string(),
            e.token_sha256,
            e.user_id,
            e.role.as_str(),
            e.scope,
            e.expires_at.to_rfc3339(),
            e.issued_by,
            recorded_at(recorded),
            e.name,
            e.title,
            e.organ
        ],
    )?;
    Ok(())
}

/// A `TokenRevoked` recorded as `recorded`: when and by whom.
pub fn token_revoked(
    conn: &Connection,
    recorded: &RecordedEvent,
    e: &TokenRevoked,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE tokens SET revoked_at = ?2, revoked_by = ?3 WHERE token_id = ?1",
        params![e.token_id.to_string(), recorded_at(recorded), e.revoked_by],
    )?;
    Ok(())
}

/// An `AccessDenied` recorded as `recorded`: one row of the audit log.
pub fn access_denied(
    conn: &Connection,
    recorded: &RecordedEvent,
    e: &AccessDenied,
) -> Result<(), ProjectionError> {
    exec(conn, "INSERT OR REPLACE INTO audit (position, recorded_at, user_id, role, action, resource, reason)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![recorded.position as i64, recorded_at(recorded), e.user_id, e.role.map(|r| r.as_str()),
            e.action, e.resource, e.reason])?;
    Ok(())
}

//! API tokens and the audit log of refusals.

use bangiao_auth::token::{AuditEvent, TokenEvent};
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

/// Applies one event of a `token-{id}` stream.
pub fn token(
    conn: &Connection,
    recorded: &RecordedEvent,
    event: &TokenEvent,
) -> Result<(), ProjectionError> {
    match event {
        TokenEvent::TokenIssued(e) => {
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
        }
        TokenEvent::TokenRevoked(e) => {
            exec(
                conn,
                "UPDATE tokens SET revoked_at = ?2, revoked_by = ?3 WHERE token_id = ?1",
                params![e.token_id.to_string(), recorded_at(recorded), e.revoked_by],
            )?;
        }
    }
    Ok(())
}

/// Applies one event of an `audit-{date}` stream.
pub fn audit(
    conn: &Connection,
    recorded: &RecordedEvent,
    event: &AuditEvent,
) -> Result<(), ProjectionError> {
    match event {
        AuditEvent::AccessDenied(e) => {
            exec(conn, "INSERT OR REPLACE INTO audit (position, recorded_at, user_id, role, action, resource, reason)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![recorded.position as i64, recorded_at(recorded), e.user_id, e.role.map(|r| r.as_str()),
                    e.action, e.resource, e.reason])?;
        }
    }
    Ok(())
}

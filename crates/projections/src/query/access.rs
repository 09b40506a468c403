//! API tokens, the audit log, and the scope facts the permission policy needs.

use bangiao_auth::{Person, Principal, Role};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ProjectionError;

/// One API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TokenRow {
    /// Token id.
    pub token_id: String,
    /// The user it authenticates.
    pub user_id: String,
    /// Its role.
    pub role: String,
    /// Its scope.
    pub scope: Option<String>,
    /// When it stops working.
    pub expires_at: String,
    /// Who issued it.
    pub issued_by: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// The person's full name, if the token names them.
    pub name: Option<String>,
    /// The person's title (chức vụ).
    pub title: Option<String>,
    /// The organ (cơ quan) the person acts for.
    pub organ: Option<String>,
}

/// user, role, scope, expiry and revocation of a stored token.
type TokenColumns = (String, String, Option<String>, String, Option<String>);

/// The person a stored token names (name, title, organ columns from `index`).
fn person_columns(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Person> {
    Ok(Person {
        name: r.get(index)?,
        title: r.get(index + 1)?,
        organ: r.get(index + 2)?,
    })
}

/// The principal and expiry of a live token (known, not revoked, not expired at `now`), by
/// secret hash.
pub fn live_token(
    conn: &Connection,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Principal, DateTime<Utc>)>, ProjectionError> {
    let row: Option<(TokenColumns, Person)> = conn
        .prepare_cached("SELECT user_id, role, scope, expires_at, revoked_at, name, title, organ FROM tokens WHERE token_sha256 = ?1")?
        .query_row([token_sha256], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?), person_columns(r, 5)?)))
        .optional()?;
    let Some(((user_id, role, scope, expires_at, revoked_at), person)) = row else {
        return Ok(None);
    };
    let Ok(expires_at) = DateTime::parse_from_rfc3339(&expires_at) else {
        return Ok(None);
    };
    let expires_at = expires_at.with_timezone(&Utc);
    let live = revoked_at.is_none() && expires_at > now;
    Ok(match (live, Role::parse(&role)) {
        (true, Some(role)) => Some((
            Principal {
                user_id,
                role,
                scope,
                person,
            },
            expires_at,
        )),
        _ => None,
    })
}

/// Every token, newest first.
pub fn tokens(conn: &Connection) -> Result<Vec<TokenRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(
        "SELECT token_id, user_id, role, scope, expires_at, issued_by, revoked_at, name, title, organ FROM tokens
         ORDER BY issued_at DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TokenRow {
            token_id: r.get(0)?,
            user_id: r.get(1)?,
            role: r.get(2)?,
            scope: r.get(3)?,
            expires_at: r.get(4)?,
            issued_by: r.get(5)?,
            revoked_at: r.get(6)?,
            name: r.get(7)?,
            title: r.get(8)?,
            organ: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The person the latest token issued to `user_id` names, if any token of theirs names one:
/// how minutes not yet signed name the person they say will sign.
pub fn person(conn: &Connection, user_id: &str) -> Result<Option<Person>, ProjectionError> {
    Ok(conn
        .prepare_cached(
            "SELECT name, title, organ FROM tokens
             WHERE user_id = ?1 AND (name IS NOT NULL OR title IS NOT NULL OR organ IS NOT NULL)
             ORDER BY issued_at DESC, token_id DESC LIMIT 1",
        )?
        .query_row([user_id], |r| person_columns(r, 0))
        .optional()?)
}

/// One refused request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DenialRow {
    /// Global position of the audit event.
    pub position: i64,
    /// When.
    pub recorded_at: String,
    /// Who asked.
    pub user_id: String,
    /// In which role.
    pub role: Option<String>,
    /// Method and route.
    pub action: String,
    /// The fonds or unit concerned.
    pub resource: Option<String>,
    /// Why it was refused.
    pub reason: String,
}

/// Refused requests after a position, oldest first.
pub fn denials(
    conn: &Connection,
    after: i64,
    limit: u32,
) -> Result<Vec<DenialRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, recorded_at, user_id, role, action, resource, reason FROM audit WHERE position > ?1
         ORDER BY position LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![after, limit], |r| {
        Ok(DenialRow {
            position: r.get(0)?,
            recorded_at: r.get(1)?,
            user_id: r.get(2)?,
            role: r.get(3)?,
            action: r.get(4)?,
            resource: r.get(5)?,
            reason: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Units within a unit scope: the unit, its predecessors through mergers and splits, and the
/// units below each of them, recursively.
const SCOPE: &str = "WITH RECURSIVE scope(code) AS (
        SELECT ?1
        UNION SELECT l.predecessor FROM unit_links l JOIN scope s ON l.successor = s.code
        UNION SELECT u.code FROM units u JOIN scope s ON u.parent = s.code
    )";

/// The recursive part of "the units a unit lies within": itself, its parents and the
/// successors it merged or split into, recursively. A unit is in scope `s` exactly when `s` is
/// among them: the reverse of [`SCOPE`]'s walk, and far shorter (a unit has few units above
/// it, a province thousands below).
const ABOVE: &str = "
        UNION SELECT u.parent FROM units u JOIN above a ON u.code = a.code WHERE u.parent IS NOT NULL
        UNION SELECT l.successor FROM unit_links l JOIN above a ON l.predecessor = a.code
    )";

/// Whether a fonds' unit lies within the unit scope `scope`.
pub fn fonds_in_unit_scope(
    conn: &Connection,
    scope: &str,
    fonds_code: &str,
) -> Result<bool, ProjectionError> {
    let found: Option<i64> = conn
        .prepare_cached(&format!(
            "WITH RECURSIVE above(code) AS (SELECT unit_code FROM fonds WHERE code = ?2{ABOVE}
             SELECT 1 FROM above WHERE code = ?1 LIMIT 1"
        ))?
        .query_row(rusqlite::params![scope, fonds_code], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

/// Whether a unit lies within the unit scope `scope`.
pub fn unit_in_scope(
    conn: &Connection,
    scope: &str,
    unit_code: &str,
) -> Result<bool, ProjectionError> {
    let found: Option<i64> = conn
        .prepare_cached(&format!(
            "WITH RECURSIVE above(code) AS (SELECT ?2{ABOVE} SELECT 1 FROM above WHERE code = ?1 LIMIT 1"
        ))?
        .query_row(rusqlite::params![scope, unit_code], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

/// Whether a custodian holds, or is handed, any file of a fonds (now or in an open process).
pub fn custodian_concerned(
    conn: &Connection,
    custodian: &str,
    fonds_code: &str,
) -> Result<bool, ProjectionError> {
    let found: Option<i64> = conn
        .prepare_cached(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM files WHERE fonds_code = ?2 AND custodian = ?1)
                OR EXISTS (SELECT 1 FROM handovers WHERE fonds_code = ?2 AND receiving = ?1)
                OR EXISTS (SELECT 1 FROM transfers WHERE fonds_code = ?2 AND archive = ?1)
                OR EXISTS (SELECT 1 FROM fonds WHERE code = ?2 AND custodian = ?1)",
        )?
        .query_row(rusqlite::params![custodian, fonds_code], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

/// The fonds whose restricted titles a caller is cleared for (see `bangiao_auth::policy::cleared`);
/// `None` when cleared for every fonds.
pub fn cleared_fonds(
    conn: &Connection,
    who: &Principal,
) -> Result<Option<Vec<String>>, ProjectionError> {
    let scope = who.scope.clone().unwrap_or_default();
    let sql = match who.role {
        Role::Inspector | Role::Administrator => return Ok(None),
        Role::Clerk | Role::Approver => format!("{SCOPE} SELECT code FROM fonds WHERE unit_code IN (SELECT code FROM scope) ORDER BY code"),
        Role::Archivist => "SELECT code FROM fonds d WHERE d.custodian = ?1
            OR EXISTS (SELECT 1 FROM files f WHERE f.fonds_code = d.code AND f.custodian = ?1)
            OR EXISTS (SELECT 1 FROM handovers h WHERE h.fonds_code = d.code AND h.receiving = ?1)
            OR EXISTS (SELECT 1 FROM transfers t WHERE t.fonds_code = d.code AND t.archive = ?1) ORDER BY code"
            .to_owned(),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([scope], |r| r.get(0))?;
    Ok(Some(rows.collect::<Result<Vec<_>, _>>()?))
}

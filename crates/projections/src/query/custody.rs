//! Custody now, custody as of a date, and the custody history of a file and of a fonds.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ProjectionError;

/// Who holds a file (now, or on the date asked), where, since when and by which act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Custody {
    /// Mã hồ sơ.
    pub file_code: String,
    /// Mã phông.
    pub fonds_code: String,
    /// The custodian; none once destroyed, or before the file existed.
    pub custodian: Option<String>,
    /// in_custody, in_handover, in_transfer, in_destruction, transferred, destroyed, missing
    /// (now); for an `as_of` date: held, not_yet_created or destroyed.
    pub status: String,
    /// Hộp số: where the file is packed.
    pub box_number: Option<String>,
    /// Since which date.
    pub since: Option<NaiveDate>,
    /// The minutes, transfer or destruction that brought the present custody, if any.
    pub via: Option<String>,
    /// The handover, transfer or destruction the file is waiting in, if any.
    pub pending_in: Option<String>,
    /// The date asked for, when the question was "as of".
    pub as_of: Option<NaiveDate>,
}

/// One period during which one custodian held a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CustodySpan {
    /// Who held it; none after destruction.
    pub custodian: Option<String>,
    /// From this date.
    pub from: NaiveDate,
    /// Until this date (exclusive); none while it lasts.
    pub to: Option<NaiveDate>,
    /// recorded, handover, transfer or destruction.
    pub via_kind: String,
    /// The id of the act, when not `recorded`.
    pub via_id: Option<String>,
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| t.parse().ok())
}

/// Custody now of a file; None when no such file is recorded.
pub fn now(conn: &Connection, file_code: &str) -> Result<Option<Custody>, ProjectionError> {
    let row = conn
        .prepare_cached(
            "SELECT file_code, fonds_code, custodian, status, box, since, via, status_ref FROM files WHERE file_code = ?1",
        )?
        .query_row([file_code], |r| {
            let status: String = r.get(3)?;
            Ok(Custody {
                file_code: r.get(0)?,
                fonds_code: r.get(1)?,
                custodian: if status == "destroyed" { None } else { Some(r.get(2)?) },
                status,
                box_number: r.get(4)?,
                since: date(r.get(5)?),
                via: r.get(6)?,
                pending_in: r.get(7)?,
                as_of: None,
            })
        })
        .optional()?;
    Ok(row)
}

/// The custody history of a file, oldest first; empty when no such file is recorded.
pub fn history(conn: &Connection, file_code: &str) -> Result<Vec<CustodySpan>, ProjectionError> {
    let first: Option<(String, String)> = conn
        .prepare_cached("SELECT initial_custodian, start_date FROM files WHERE file_code = ?1")?
        .query_row([file_code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((initial, start)) = first else {
        return Ok(Vec::new());
    };
    let mut spans = vec![CustodySpan {
        custodian: Some(initial),
        from: start.parse().unwrap_or_default(),
        to: None,
        via_kind: "recorded".into(),
        via_id: None,
    }];
    let mut stmt = conn.prepare_cached(
        "SELECT custodian, from_date, via_kind, via_id FROM custody_changes WHERE file_code = ?1 ORDER BY seq",
    )?;
    let changes = stmt.query_map([file_code], |r| {
        Ok(CustodySpan {
            custodian: r.get(0)?,
            from: r.get::<_, String>(1)?.parse().unwrap_or_default(),
            to: None,
            via_kind: r.get(2)?,
            via_id: r.get(3)?,
        })
    })?;
    for change in changes {
        let change = change?;
        if let Some(last) = spans.last_mut() {
            last.to = Some(change.from);
        }
        spans.push(change);
    }
    Ok(spans)
}

/// Who held a file on a given date ("who held it on 30/06/2025"); None when no such file.
pub fn as_of(
    conn: &Connection,
    file_code: &str,
    day: NaiveDate,
) -> Result<Option<Custody>, ProjectionError> {
    let Some(current) = now(conn, file_code)? else {
        return Ok(None);
    };
    let spans = history(conn, file_code)?;
    let held = spans.iter().rev().find(|s| s.from <= day);
    let (custodian, status, since, via) = match held {
        None => (None, "not_yet_created", None, None),
        Some(span) if span.custodian.is_none() => {
            (None, "destroyed", Some(span.from), span.via_id.clone())
        }
        Some(span) => (
            span.custodian.clone(),
            "held",
            Some(span.from),
            span.via_id.clone(),
        ),
    };
    Ok(Some(Custody {
        custodian,
        status: status.into(),
        since,
        via,
        pending_in: None,
        as_of: Some(day),
        ..current
    }))
}

/// One change of custody of part of a fonds: how many files passed to whom, when, by which act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FondsCustodyChange {
    /// The new custodian; none for destruction.
    pub custodian: Option<String>,
    /// The date of the act.
    pub from: NaiveDate,
    /// handover, transfer or destruction.
    pub via_kind: String,
    /// The act's id.
    pub via_id: String,
    /// Files that changed hands.
    pub files: u64,
}

/// The custody history of a fonds: its first custodian, then every act that moved files.
pub fn fonds_history(
    conn: &Connection,
    fonds_code: &str,
) -> Result<Option<(String, NaiveDate, Vec<FondsCustodyChange>)>, ProjectionError> {
    let first: Option<(String, String)> = conn
        .prepare_cached("SELECT custodian, opened_on FROM fonds WHERE code = ?1")?
        .query_row([fonds_code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((custodian, opened)) = first else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT c.custodian, c.from_date, c.via_kind, c.via_id, COUNT(*) FROM custody_changes c
         JOIN files f ON f.file_code = c.file_code WHERE f.fonds_code = ?1
         GROUP BY c.seq, c.custodian, c.from_date, c.via_kind, c.via_id ORDER BY c.seq",
    )?;
    let changes = stmt
        .query_map(params![fonds_code], |r| {
            Ok(FondsCustodyChange {
                custodian: r.get(0)?,
                from: r.get::<_, String>(1)?.parse().unwrap_or_default(),
                via_kind: r.get(2)?,
                via_id: r.get(3)?,
                files: r.get::<_, i64>(4)? as u64,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((
        custodian,
        opened.parse().unwrap_or_default(),
        changes,
    )))
}

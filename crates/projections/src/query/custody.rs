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
    /// (now); for an `as_of` date: held, missing, destroyed or not_yet_created.
    pub status: String,
    /// Hộp số: where the file is packed.
    pub box_number: Option<String>,
    /// Since which date: of the present custody (now); of the period the day falls in (as_of).
    pub since: Option<NaiveDate>,
    /// The act that began that custody or period, if any: minutes, transfer, destruction, hold.
    pub via: Option<String>,
    /// For an `as_of` answer, what began the period the day falls in (a `via_kind` of the
    /// history: handover, missing, found, damaged, transfer_rejected, hold_placed, ...).
    pub via_kind: Option<String>,
    /// For an `as_of` answer, the reason that act gave (a rejection's reason, a damage).
    pub note: Option<String>,
    /// The damage noted on the file by then, if any (hư hỏng).
    pub damaged: Option<String>,
    /// The holds (phong tỏa) in force on the file then, by id.
    pub holds: Vec<String>,
    /// The handover, transfer or destruction the file is waiting in, if any.
    pub pending_in: Option<String>,
    /// The date asked for, when the question was "as of".
    pub as_of: Option<NaiveDate>,
}

/// One period of a file's history: who held it and in what state, from the act that began
/// the period until the next act. A new period begins with every change of custody
/// (recorded, handover, transfer, destruction) and every mark (missing, found, damaged,
/// transfer_rejected, hold_placed, hold_lifted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CustodySpan {
    /// Who held it; none after destruction.
    pub custodian: Option<String>,
    /// From this date.
    pub from: NaiveDate,
    /// Until this date (exclusive); none while it lasts.
    pub to: Option<NaiveDate>,
    /// What began the period: recorded, handover, transfer, destruction (custody), or
    /// missing, found, damaged, transfer_rejected, hold_placed, hold_lifted (marks).
    pub via_kind: String,
    /// The id of the act (minutes, transfer, destruction, hold), when there is one.
    pub via_id: Option<String>,
    /// The file's state in the period: held, missing or destroyed.
    pub status: String,
    /// The damage noted on the file, from the day it was noted.
    pub damaged: Option<String>,
    /// The holds in force during the period, by id.
    pub holds: Vec<String>,
    /// The reason the act gave: a transfer's rejection reason, a damage, a hold's reason.
    pub note: Option<String>,
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| t.parse().ok())
}

/// Custody now of a file; None when no such file is recorded.
pub fn now(conn: &Connection, file_code: &str) -> Result<Option<Custody>, ProjectionError> {
    let row = conn
        .prepare_cached(
            "SELECT file_code, fonds_code, custodian, status, box, since, via, status_ref, damaged FROM files WHERE file_code = ?1",
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
                via_kind: None,
                note: None,
                damaged: r.get(8)?,
                holds: Vec::new(),
                pending_in: r.get(7)?,
                as_of: None,
            })
        })
        .optional()?;
    let Some(mut custody) = row else {
        return Ok(None);
    };
    custody.holds = conn
        .prepare_cached(
            "SELECT ref_id FROM file_marks p WHERE p.file_code = ?1 AND p.kind = 'hold_placed'
             AND NOT EXISTS (SELECT 1 FROM file_marks l WHERE l.file_code = p.file_code
                             AND l.kind = 'hold_lifted' AND l.ref_id = p.ref_id)
             ORDER BY p.seq",
        )?
        .query_map([file_code], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(Some(custody))
}

/// One act in a file's life, custody change or mark, as read from the tables.
struct Step {
    on: NaiveDate,
    seq: i64,
    custody: bool,
    kind: String,
    custodian: Option<String>,
    via_id: Option<String>,
    note: Option<String>,
}

impl Step {
    /// Applies the act to the state of the period it begins (or joins).
    fn apply(&self, span: &mut CustodySpan) {
        if self.custody {
            span.custodian = self.custodian.clone();
            span.status = if self.custodian.is_some() {
                "held"
            } else {
                "destroyed"
            }
            .into();
            return;
        }
        match self.kind.as_str() {
            "missing" => span.status = "missing".into(),
            "found" => span.status = "held".into(),
            "damaged" => span.damaged = self.note.clone(),
            "hold_placed" => span.holds.extend(self.via_id.clone()),
            "hold_lifted" => span.holds.retain(|h| Some(h) != self.via_id.as_ref()),
            _ => {}
        }
    }
}

/// The history of a file, oldest first: custody periods cut by every mark (missing, found,
/// damaged, rejected at a transfer, held, released); empty when no such file is recorded.
pub fn history(conn: &Connection, file_code: &str) -> Result<Vec<CustodySpan>, ProjectionError> {
    let first: Option<(String, String, i64)> = conn
        .prepare_cached(
            "SELECT initial_custodian, start_date, seq FROM files WHERE file_code = ?1",
        )?
        .query_row([file_code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((initial, start, recorded_seq)) = first else {
        return Ok(Vec::new());
    };
    let mut steps = conn
        .prepare_cached(
            "SELECT from_date, seq, 1, via_kind, custodian, via_id, NULL FROM custody_changes WHERE file_code = ?1
             UNION ALL
             SELECT on_date, seq, 0, kind, NULL, ref_id, note FROM file_marks WHERE file_code = ?1",
        )?
        .query_map([file_code], |r| {
            Ok(Step {
                on: r.get::<_, String>(0)?.parse().unwrap_or_default(),
                seq: r.get(1)?,
                custody: r.get::<_, i64>(2)? == 1,
                kind: r.get(3)?,
                custodian: r.get(4)?,
                via_id: r.get(5)?,
                note: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    // By the date of the act; acts of one event keep custody before marks.
    steps.sort_by_key(|s| (s.on, s.seq, !s.custody));
    let mut spans = vec![CustodySpan {
        custodian: Some(initial),
        from: start.parse().unwrap_or_default(),
        to: None,
        via_kind: "recorded".into(),
        via_id: None,
        status: "held".into(),
        damaged: None,
        holds: Vec::new(),
        note: None,
    }];
    let mut began_by = recorded_seq;
    for step in steps {
        let Some(last) = spans.last_mut() else {
            break;
        };
        if !step.custody && step.seq == began_by {
            // A mark made by the act that began this period (damage noted at a receipt).
            step.apply(last);
            continue;
        }
        let mut next = CustodySpan {
            from: step.on,
            to: None,
            via_kind: step.kind.clone(),
            via_id: step.via_id.clone(),
            note: step.note.clone(),
            ..last.clone()
        };
        step.apply(&mut next);
        last.to = Some(step.on);
        spans.push(next);
        began_by = step.seq;
    }
    Ok(spans)
}

/// Who held a file on a given date ("who held it on 30/06/2025") and in what state (held,
/// missing, destroyed, damaged, under hold); None when no such file.
pub fn as_of(
    conn: &Connection,
    file_code: &str,
    day: NaiveDate,
) -> Result<Option<Custody>, ProjectionError> {
    let Some(current) = now(conn, file_code)? else {
        return Ok(None);
    };
    let spans = history(conn, file_code)?;
    let answer = match spans.iter().rev().find(|s| s.from <= day) {
        None => Custody {
            custodian: None,
            status: "not_yet_created".into(),
            since: None,
            via: None,
            via_kind: None,
            note: None,
            damaged: None,
            holds: Vec::new(),
            pending_in: None,
            as_of: Some(day),
            ..current
        },
        Some(span) => Custody {
            custodian: span.custodian.clone(),
            status: span.status.clone(),
            since: Some(span.from),
            via: span.via_id.clone(),
            via_kind: Some(span.via_kind.clone()),
            note: span.note.clone(),
            damaged: span.damaged.clone(),
            holds: span.holds.clone(),
            pending_in: None,
            as_of: Some(day),
            ..current
        },
    };
    Ok(Some(answer))
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

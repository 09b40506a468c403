//! Digital copies: a file's copies (current, replaced, deleted tombstones) with their last
//! fixity verdict, one copy, the copies of a digest still alive, and the fixity figures.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use utoipa::ToSchema;

use super::{date_column, json_value};
use crate::error::ProjectionError;

/// One digital copy of a file.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CopyRow {
    /// The copy.
    pub copy_id: String,
    /// Its fonds.
    pub fonds_code: String,
    /// Its file.
    pub file_code: String,
    /// `scan` (a digitised paper file) or `document` (a born-digital document).
    pub kind: String,
    /// SHA-256 of its bytes (also its `ETag`).
    pub sha256: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Format by signature: pdf, tiff, jpeg2000, jpeg, png or other.
    pub format: String,
    /// Pages, when known.
    pub pages: Option<u32>,
    /// Resolution in dpi, when known.
    pub dpi: Option<u32>,
    /// The uploaded file's name (hidden like titles from those not cleared).
    pub original_name: Option<String>,
    /// Who digitised or recorded it.
    pub made_by: String,
    /// When.
    pub made_on: Option<chrono::NaiveDate>,
    /// A born-digital document's TT 05 metadata (number, notation, issued_on, issuer,
    /// summary, language, confidence_level).
    pub document: Option<serde_json::Value>,
    /// `current`, `replaced` or `deleted` (a tombstone: the bytes are gone, the checksum kept).
    pub status: String,
    /// The copy that replaced it.
    pub replaced_by: Option<String>,
    /// When it was replaced.
    pub replaced_on: Option<chrono::NaiveDate>,
    /// When it was deleted with its destroyed file.
    pub deleted_on: Option<chrono::NaiveDate>,
    /// The last fixity verdict: intact, missing or altered; absent until checked.
    pub fixity: Option<String>,
    /// The fixity run that gave it.
    pub fixity_run: Option<String>,
}

const SELECT: &str = "SELECT copy_id, fonds_code, file_code, kind, sha256, size_bytes, format,
    pages, dpi, original_name, made_by, made_on, document, status, replaced_by, replaced_on,
    deleted_on, fixity, fixity_run FROM copies";

fn copy_row(r: &Row<'_>) -> rusqlite::Result<CopyRow> {
    Ok(CopyRow {
        copy_id: r.get(0)?,
        fonds_code: r.get(1)?,
        file_code: r.get(2)?,
        kind: r.get(3)?,
        sha256: r.get(4)?,
        size_bytes: r.get::<_, i64>(5)? as u64,
        format: r.get(6)?,
        pages: r.get(7)?,
        dpi: r.get(8)?,
        original_name: r.get(9)?,
        made_by: r.get(10)?,
        made_on: date_column(r, 11)?,
        document: json_value(r, 12)?,
        status: r.get(13)?,
        replaced_by: r.get(14)?,
        replaced_on: date_column(r, 15)?,
        deleted_on: date_column(r, 16)?,
        fixity: r.get(17)?,
        fixity_run: r.get(18)?,
    })
}

impl CopyRow {
    /// The media type to serve its bytes with.
    pub fn media_type(&self) -> &'static str {
        match self.format.as_str() {
            "pdf" => "application/pdf",
            "tiff" => "image/tiff",
            "jpeg2000" => "image/jp2",
            "jpeg" => "image/jpeg",
            "png" => "image/png",
            _ => "application/octet-stream",
        }
    }

    /// Whether a browser shows it inline (PDF and the images browsers render).
    pub fn viewable(&self) -> bool {
        matches!(self.format.as_str(), "pdf" | "jpeg" | "png")
    }

    /// Whether its bytes are still kept (current or replaced, not deleted).
    pub fn kept(&self) -> bool {
        self.status != "deleted"
    }
}

/// The copies of one file, oldest first (deleted tombstones included).
pub fn of_file(conn: &Connection, file_code: &str) -> Result<Vec<CopyRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE file_code = ?1 ORDER BY seq"))?;
    let rows = stmt
        .query_map([file_code], copy_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One copy.
pub fn one(conn: &Connection, copy_id: &str) -> Result<Option<CopyRow>, ProjectionError> {
    let row = conn
        .prepare_cached(&format!("{SELECT} WHERE copy_id = ?1"))?
        .query_row([copy_id], copy_row)
        .optional()?;
    Ok(row)
}

/// How many copies not deleted name this digest (a blob shared by several files' copies is
/// deleted only with the last of them).
pub fn kept_with_digest(conn: &Connection, sha256: &str) -> Result<u64, ProjectionError> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM copies WHERE sha256 = ?1 AND status != 'deleted'")?
        .query_row([sha256], |r| r.get(0))?;
    Ok(n as u64)
}

/// Kept copies whose last fixity verdict is missing or altered.
pub fn damaged(conn: &Connection) -> Result<Vec<CopyRow>, ProjectionError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE fixity IN ('missing', 'altered') AND status != 'deleted' ORDER BY fonds_code, file_code, seq"
    ))?;
    let rows = stmt
        .query_map([], copy_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One fixity run's figures.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FixityRunRow {
    /// The run.
    pub run_id: String,
    /// When it began (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339).
    pub finished_at: String,
    /// Share of the copies drawn, in percent.
    pub sample_percent: u32,
    /// Copies checked.
    pub checked: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Intact.
    pub intact: u64,
    /// Missing.
    pub missing: u64,
    /// Altered.
    pub altered: u64,
}

/// The last fixity run, if any.
pub fn last_run(conn: &Connection) -> Result<Option<FixityRunRow>, ProjectionError> {
    run_where(conn, "ORDER BY seq DESC LIMIT 1", [])
}

/// One fixity run by its id.
pub fn run(conn: &Connection, run_id: &str) -> Result<Option<FixityRunRow>, ProjectionError> {
    run_where(conn, "WHERE run_id = ?1", [run_id])
}

fn run_where<P: rusqlite::Params>(
    conn: &Connection,
    clause: &str,
    params: P,
) -> Result<Option<FixityRunRow>, ProjectionError> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT run_id, started_at, finished_at, sample_percent, checked, bytes, intact,
            missing, altered FROM fixity_runs {clause}"
        ))?
        .query_row(params, |r| {
            Ok(FixityRunRow {
                run_id: r.get(0)?,
                started_at: r.get(1)?,
                finished_at: r.get(2)?,
                sample_percent: r.get(3)?,
                checked: r.get::<_, i64>(4)? as u64,
                bytes: r.get::<_, i64>(5)? as u64,
                intact: r.get::<_, i64>(6)? as u64,
                missing: r.get::<_, i64>(7)? as u64,
                altered: r.get::<_, i64>(8)? as u64,
            })
        })
        .optional()?;
    Ok(row)
}

/// Copies by status, with the bytes of those kept, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CopyCounts {
    /// Current copies.
    pub current: u64,
    /// Replaced copies (kept).
    pub replaced: u64,
    /// Deleted copies (tombstones).
    pub deleted: u64,
    /// Bytes of the current and replaced copies.
    pub kept_bytes: u64,
}

/// How many copies there are in each status.
pub fn counts(conn: &Connection) -> Result<CopyCounts, ProjectionError> {
    let counts = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(status = 'current'), 0), COALESCE(SUM(status = 'replaced'), 0),
            COALESCE(SUM(status = 'deleted'), 0),
            COALESCE(SUM(CASE WHEN status != 'deleted' THEN size_bytes ELSE 0 END), 0) FROM copies",
        )?
        .query_row([], |r| {
            Ok(CopyCounts {
                current: r.get::<_, i64>(0)? as u64,
                replaced: r.get::<_, i64>(1)? as u64,
                deleted: r.get::<_, i64>(2)? as u64,
                kept_bytes: r.get::<_, i64>(3)? as u64,
            })
        })?;
    Ok(counts)
}

/// The fonds and access code of a file, if recorded.
pub fn file_access(
    conn: &Connection,
    file_code: &str,
) -> Result<Option<(String, String)>, ProjectionError> {
    let row = conn
        .prepare_cached("SELECT fonds_code, access FROM files WHERE file_code = ?1")?
        .query_row([file_code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row)
}

/// The digests of the copies a destruction deleted (every destruction's when `None`) that no
/// kept copy names any more: the blobs that may go.
pub fn orphaned_digests(
    conn: &Connection,
    destruction: Option<&str>,
) -> Result<Vec<String>, ProjectionError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT d.sha256 FROM copies d WHERE d.status = 'deleted'
        AND (?1 IS NULL OR d.deleted_by = ?1)
        AND NOT EXISTS (SELECT 1 FROM copies k WHERE k.sha256 = d.sha256 AND k.status != 'deleted')",
    )?;
    let rows = stmt
        .query_map([destruction], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

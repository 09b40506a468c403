//! Inventory lists (Mục lục hồ sơ) of a fonds or of a unit with every predecessor through the
//! lineage graph and every unit below it: rows, filters, cursor pages and totals.

use bangiao_domain::values::fold_vietnamese;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::date_column;
use crate::error::ProjectionError;

mod merge;

/// Whose inventory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One fonds.
    Fonds(String),
    /// A unit: its fonds, its predecessors' (recursively) and those of the units below it.
    Unit(String),
}

/// Filters of an inventory list; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Retention code: 01 (permanent) … 07.
    pub retention: Option<String>,
    /// Access code: 01 open, 02 conditional, 03 secret.
    pub access: Option<String>,
    /// Files ending in or after this year.
    pub year_from: Option<i32>,
    /// Files starting in or before this year.
    pub year_to: Option<i32>,
    /// Custody status (in_custody, in_handover, transferred, …).
    pub status: Option<String>,
    /// Current custodian.
    pub custodian: Option<String>,
    /// Only files of unfinished work (true) or only the others (false).
    pub unfinished: Option<bool>,
    /// Words of the title, without regard to diacritics or case ("pac nam" finds "Pác Nặm").
    pub q: Option<String>,
    /// The fonds whose restricted (02) and secret (03) titles the reader may see; `None`: all.
    /// Set by the server from the caller's clearance, never from the query string.
    #[serde(skip)]
    #[param(ignore)]
    #[schema(ignore)]
    pub cleared_fonds: Option<Vec<String>>,
}

/// What a reader who is not cleared for a fonds sees instead of a restricted title.
pub const REDACTED_TITLE: &str = "[Hạn chế tiếp cận / Restricted]";

impl Filter {
    /// Hides the title and content fields of a restricted or secret file the reader is not
    /// cleared for; the row itself stays, so counts and totals remain correct.
    pub fn redact(&self, row: &mut FileRow) {
        let Some(cleared) = &self.cleared_fonds else {
            return;
        };
        if row.access != "01" && !cleared.contains(&row.fonds_code) {
            row.title = REDACTED_TITLE.to_owned();
            row.notes = None;
            row.unfinished = None;
            row.damaged = None;
        }
    }
}

/// One row of the inventory list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FileRow {
    /// Order of recording in the log: the cursor of the list.
    pub seq: i64,
    /// Mã phông.
    pub fonds_code: String,
    /// Số, ký hiệu hồ sơ (file code).
    pub file_code: String,
    /// Tiêu đề hồ sơ.
    pub title: String,
    /// Ngày bắt đầu.
    pub start_date: NaiveDate,
    /// Ngày kết thúc.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản, code 01–07.
    pub retention: String,
    /// Years of a fixed-term retention; none when permanent.
    pub retention_years: Option<u32>,
    /// Chế độ sử dụng, code 01–03.
    pub access: String,
    /// paper, electronic, audiovisual, other.
    pub carrier: String,
    /// Hộp số.
    pub box_number: Option<String>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Ngôn ngữ.
    pub language: String,
    /// Ghi chú.
    pub notes: Option<String>,
    /// Who holds it now.
    pub custodian: String,
    /// Custody status.
    pub status: String,
    /// Unfinished tasks, when the file is unfinished work.
    pub unfinished: Option<serde_json::Value>,
    /// What is damaged, when damaged.
    pub damaged: Option<String>,
    /// SHA-256 of the digitised copy.
    pub sha256: Option<String>,
}

const ROW_COLUMNS: &str = "f.seq, f.fonds_code, f.file_code, f.title, f.start_date, f.end_date, f.retention, \
    f.retention_years, f.access, f.carrier, f.box, f.sheets, f.language, f.notes, f.custodian, f.status, \
    f.unfinished, f.damaged, f.sha256";

fn file_row(r: &Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        seq: r.get(0)?,
        fonds_code: r.get(1)?,
        file_code: r.get(2)?,
        title: r.get(3)?,
        start_date: date_column(r, 4)?.unwrap_or_default(),
        end_date: date_column(r, 5)?.unwrap_or_default(),
        retention: r.get(6)?,
        retention_years: r.get(7)?,
        access: r.get(8)?,
        carrier: r.get(9)?,
        box_number: r.get(10)?,
        sheets: r.get(11)?,
        language: r.get(12)?,
        notes: r.get(13)?,
        custodian: r.get(14)?,
        status: r.get(15)?,
        unfinished: super::json_value(r, 16)?,
        damaged: r.get(17)?,
        sha256: r.get(18)?,
    })
}

/// The units of a unit's scope: itself, its predecessors and the units below, recursively.
const UNIT_SCOPE: &str = "WITH RECURSIVE scope(code) AS (
        SELECT ?1
        UNION SELECT l.predecessor FROM unit_links l JOIN scope s ON l.successor = s.code
        UNION SELECT u.code FROM units u JOIN scope s ON u.parent = s.code
    )";

/// A growing `WHERE` clause and its positional parameters.
struct Where {
    sql: String,
    params: Vec<Value>,
}

impl Where {
    /// Adds ` AND {left} ?n{right}` with `value` as parameter n.
    fn and(&mut self, left: &str, value: Value, right: &str) {
        self.params.push(value);
        self.sql
            .push_str(&format!(" AND {left} ?{}{right}", self.params.len()));
    }
}

/// The SQL `FROM … WHERE …` of a scope and filter, with its parameters.
fn from_where(scope: &Scope, filter: &Filter) -> (String, Vec<Value>) {
    let mut w = match scope {
        Scope::Fonds(code) => Where {
            sql: "FROM files f WHERE f.fonds_code = ?1".to_owned(),
            params: vec![Value::Text(code.clone())],
        },
        Scope::Unit(code) => Where {
            sql: "FROM files f JOIN fonds d ON d.code = f.fonds_code WHERE d.unit_code IN (SELECT code FROM scope)".to_owned(),
            params: vec![Value::Text(code.clone())],
        },
    };
    let text = |v: &String| Value::Text(v.clone());
    if let Some(v) = &filter.retention {
        w.and("f.retention =", text(v), "");
    }
    if let Some(v) = &filter.access {
        w.and("f.access =", text(v), "");
    }
    if let Some(v) = filter.year_from {
        w.and("f.end_date >=", Value::Text(format!("{v:04}-01-01")), "");
    }
    if let Some(v) = filter.year_to {
        w.and("f.start_date <=", Value::Text(format!("{v:04}-12-31")), "");
    }
    if let Some(v) = &filter.status {
        w.and("f.status =", text(v), "");
    }
    if let Some(v) = &filter.custodian {
        w.and("f.custodian =", text(v), "");
    }
    if let Some(v) = filter.unfinished {
        w.sql.push_str(if v {
            " AND f.unfinished IS NOT NULL"
        } else {
            " AND f.unfinished IS NULL"
        });
    }
    if let Some(q) = filter
        .q
        .as_deref()
        .map(fold_vietnamese)
        .filter(|q| !q.is_empty())
    {
        for word in q.split_whitespace() {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            w.and(
                "f.title_folded LIKE",
                Value::Text(format!("%{escaped}%")),
                " ESCAPE '\\'",
            );
        }
        // A word may only find a restricted title the reader is cleared for: otherwise the
        // search itself would tell what the hidden title says.
        if let Some(cleared) = &filter.cleared_fonds {
            let mut allowed = vec!["f.access = '01'".to_owned()];
            for fonds in cleared {
                w.params.push(Value::Text(fonds.clone()));
                allowed.push(format!("f.fonds_code = ?{}", w.params.len()));
            }
            w.sql.push_str(&format!(" AND ({})", allowed.join(" OR ")));
        }
    }
    (w.sql, w.params)
}

fn with_scope(scope: &Scope, body: String) -> String {
    match scope {
        Scope::Fonds(_) => body,
        Scope::Unit(_) => format!("{UNIT_SCOPE} {body}"),
    }
}

/// One page of the list, in recording order, after the row whose `seq` is `after`.
pub fn page(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
    after: Option<i64>,
    limit: u32,
) -> Result<Vec<FileRow>, ProjectionError> {
    let (mut from, mut params) = from_where(scope, filter);
    if let Some(after) = after {
        params.push(Value::Integer(after));
        from.push_str(&format!(" AND f.seq > ?{}", params.len()));
    }
    params.push(Value::Integer(i64::from(limit)));
    let sql = with_scope(
        scope,
        format!(
            "SELECT {ROW_COLUMNS} {from} ORDER BY f.seq LIMIT ?{}",
            params.len()
        ),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), file_row)?;
    let mut rows = rows.collect::<Result<Vec<_>, _>>()?;
    for row in &mut rows {
        filter.redact(row);
    }
    Ok(rows)
}

/// Visits every row of the list in order without holding them all; `visit` may stop early by
/// returning false. Used to stream exports.
pub fn for_each(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
    mut visit: impl FnMut(FileRow) -> bool,
) -> Result<u64, ProjectionError> {
    if let Scope::Unit(unit) = scope {
        return merge::for_each_in_unit(conn, unit, filter, visit);
    }
    let (from, params) = from_where(scope, filter);
    let sql = with_scope(scope, format!("SELECT {ROW_COLUMNS} {from} ORDER BY f.seq"));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        count += 1;
        let mut row = file_row(row)?;
        filter.redact(&mut row);
        if !visit(row) {
            break;
        }
    }
    Ok(count)
}

/// How many files of one code (retention or access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CodeCount {
    /// The code.
    pub code: String,
    /// Files with it.
    pub files: u64,
}

/// Totals of an inventory list (the header of the Mục lục: figures to be written in words too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Files (hồ sơ, đơn vị bảo quản).
    pub files: u64,
    /// Distinct boxes (hộp).
    pub boxes: u64,
    /// Sheets (tờ).
    pub sheets: u64,
    /// Shelf length estimated from boxes, 8 boxes to the metre, in millimetres.
    pub linear_mm: u64,
    /// Files by retention code.
    pub by_retention: Vec<CodeCount>,
    /// Files by access code.
    pub by_access: Vec<CodeCount>,
}

/// Millimetres of shelf per box: about 8 boxes to the metre (Điện Biên's figures, domain.md §5).
pub const MM_PER_BOX: u64 = 125;

/// Totals of the list under the same scope and filter.
pub fn totals(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
) -> Result<Totals, ProjectionError> {
    let (from, params) = from_where(scope, filter);
    let sql = with_scope(
        scope,
        format!(
            "SELECT COUNT(*), COUNT(DISTINCT f.fonds_code || '/' || f.box), COALESCE(SUM(f.sheets), 0) {from}"
        ),
    );
    let (files, boxes, sheets): (i64, i64, i64) = conn
        .prepare(&sql)?
        .query_row(rusqlite::params_from_iter(params.clone()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let by = |column: &str| -> Result<Vec<CodeCount>, ProjectionError> {
        let sql = with_scope(
            scope,
            format!("SELECT {column}, COUNT(*) {from} GROUP BY {column} ORDER BY {column}"),
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.clone()), |r| {
            Ok(CodeCount {
                code: r.get(0)?,
                files: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    };
    Ok(Totals {
        files: files as u64,
        boxes: boxes as u64,
        sheets: sheets as u64,
        linear_mm: boxes as u64 * MM_PER_BOX,
        by_retention: by("f.retention")?,
        by_access: by("f.access")?,
    })
}

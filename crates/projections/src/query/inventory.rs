//! Inventory lists (Mục lục hồ sơ) of a fonds or of a unit with every predecessor through the
//! lineage graph and every unit below it: rows, filters, cursor pages and totals.

use bangiao_domain::values::{AccessRegime, fold_vietnamese};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::date_column;
use crate::apply::search_words;
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
    /// Words of the title, without regard to diacritics or case. Several words, or words in
    /// double quotes, are a phrase found on word boundaries ("pac nam" finds "Pác Nặm", and
    /// "phong dien" finds "Phong Điền" but not "quốc phòng … Điền Môn"); a single word is
    /// found anywhere, also inside a longer word ("pac" finds "Pác Nặm").
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
        if hides_content(self.cleared_fonds.as_deref(), &row.fonds_code, &row.access) {
            row.title = REDACTED_TITLE.to_owned();
            row.notes = None;
            row.unfinished = None;
            // That the file is damaged or was refused stays known; what the description or the
            // reason says may tell of its content, so it is hidden like the title.
            if let Some(damaged) = &mut row.damaged {
                REDACTED_TITLE.clone_into(damaged);
            }
            if let Some(rejected) = &mut row.rejected {
                REDACTED_TITLE.clone_into(&mut rejected.reason);
            }
        }
    }
}

/// Whether a reader cleared for `cleared` (`None`: every fonds) may not see the content of a file
/// of `fonds_code` whose access code is `access`: its title, notes, tasks, damage and refusal
/// reasons. The one rule of the lists, the exports and the event feed.
pub fn hides_content(cleared: Option<&[String]>, fonds_code: &str, access: &str) -> bool {
    cleared.is_some_and(|cleared| {
        access != AccessRegime::Open.code() && !cleared.iter().any(|f| f == fonds_code)
    })
}

/// One row of the inventory list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FileRow {
    /// Order of recording in the log: the cursor of the list.
    pub seq: i64,
    /// Hồ sơ số: the file's number in the list it was recorded from, as that list wrote it;
    /// none when it was not recorded from a list.
    pub list_number: Option<u32>,
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
    /// The last refusal by a historical archive at a transfer; none once a transfer took it.
    pub rejected: Option<Rejection>,
    /// The holds (phong tỏa) standing on the file, oldest first.
    pub holds: Vec<HoldMark>,
}

/// A file refused at a transfer: it stays with the transferor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rejection {
    /// The day the archive signed the transfer record refusing it.
    pub on: NaiveDate,
    /// Why the archive refused it.
    pub reason: String,
}

/// A hold standing on a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HoldMark {
    /// Why: `inspection` or `dispute`.
    pub reason: String,
    /// The number of the decision ordering it (e.g. "215/QĐ-TTr").
    pub basis: String,
    /// The day it was placed.
    pub placed_on: NaiveDate,
}

const ROW_COLUMNS: &str = "f.seq, f.fonds_code, f.file_code, f.title, f.start_date, f.end_date, f.retention, \
    f.retention_years, f.access, f.carrier, f.box, f.sheets, f.language, f.notes, f.custodian, f.status, \
    f.unfinished, f.damaged, f.sha256, f.rejected_on, f.rejected_reason, \
    CASE WHEN EXISTS (SELECT 1 FROM hold_files hf WHERE hf.file_code = f.file_code) THEN \
    (SELECT json_group_array(json_object('reason', h.reason, 'basis', json_extract(h.legal_basis, '$.number'), \
    'placed_on', h.placed_on) ORDER BY h.placed_on, h.hold_id) FROM hold_files hf \
    JOIN holds h ON h.hold_id = hf.hold_id WHERE hf.file_code = f.file_code) END, f.list_number";

/// How many columns [`ROW_COLUMNS`] selects.
const ROW_COLUMN_COUNT: usize = 23;

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
        rejected: match (date_column(r, 19)?, r.get::<_, Option<String>>(20)?) {
            (Some(on), Some(reason)) => Some(Rejection { on, reason }),
            _ => None,
        },
        holds: holds_column(r, 21)?,
        list_number: r.get(22)?,
    })
}

/// The JSON array of holds the row query builds; none when the file has no hold.
fn holds_column(r: &Row<'_>, index: usize) -> rusqlite::Result<Vec<HoldMark>> {
    let Some(text) = r.get::<_, Option<String>>(index)? else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
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

/// What a search box asks for, without regard to diacritics or case.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SearchTerm {
    /// Words in this order, each a whole word of the title ("phong dien" finds "Xã Phong
    /// Điền" but not "quốc phòng … Điền Môn"); folded, one space between words.
    Phrase(String),
    /// One word, found anywhere in the title, also inside a longer word ("pac" finds "Pác").
    Word(String),
}

/// The terms of a query: each text in double quotes is a phrase; so is each run of several
/// words outside quotes; a single word outside quotes is a word.
fn search_terms(q: &str) -> Vec<SearchTerm> {
    let mut terms = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        let words = search_words(part);
        let words = words.trim();
        if words.is_empty() {
            continue;
        }
        let quoted = i % 2 == 1;
        if quoted || words.contains(' ') {
            terms.push(SearchTerm::Phrase(words.to_owned()));
        } else {
            terms.push(SearchTerm::Word(fold_vietnamese(part.trim())));
        }
    }
    terms
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
    let terms = filter.q.as_deref().map(search_terms).unwrap_or_default();
    if !terms.is_empty() {
        for term in &terms {
            match term {
                SearchTerm::Phrase(words) => {
                    w.and(
                        "f.title_words LIKE",
                        Value::Text(format!("% {words} %")),
                        "",
                    );
                }
                SearchTerm::Word(word) => {
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
            }
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

/// The fonds a unit's list spans (its own, its predecessors' and those of the units below it),
/// by code.
pub fn fonds_of_unit(conn: &Connection, unit: &str) -> Result<Vec<String>, ProjectionError> {
    merge::fonds_in_scope(conn, unit)
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

/// A column an inventory list can be sorted on. Every order ends with `seq` (unique), so rows
/// with the same value keep their recording order and the order is total: keyset pages neither
/// skip nor repeat a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Recording order (the inventory's own order).
    Seq,
    /// File code (số, ký hiệu hồ sơ).
    FileCode,
    /// Title, without regard to diacritics or case (the folded title).
    Title,
    /// Start date, then end date.
    Dates,
    /// Retention code (01 permanent first).
    Retention,
    /// Box number: boxes that are a number as numbers (9 before 10), then the others as text
    /// (files without a box first among them).
    Boxes,
    /// Sheets; files without a count first.
    Sheets,
}

impl SortKey {
    /// Every sort key, in the order a page offers them.
    pub const ALL: [SortKey; 7] = [
        SortKey::Seq,
        SortKey::FileCode,
        SortKey::Title,
        SortKey::Dates,
        SortKey::Retention,
        SortKey::Boxes,
        SortKey::Sheets,
    ];

    /// The key's name in URLs.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Seq => "seq",
            SortKey::FileCode => "file_code",
            SortKey::Title => "title",
            SortKey::Dates => "dates",
            SortKey::Retention => "retention",
            SortKey::Boxes => "box",
            SortKey::Sheets => "sheets",
        }
    }

    /// The key of a URL name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An order of an inventory list: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// The column.
    pub key: SortKey,
    /// Largest first.
    pub descending: bool,
}

impl Default for Order {
    fn default() -> Self {
        Order {
            key: SortKey::Seq,
            descending: false,
        }
    }
}

/// The sort key of the last row of a page, where the next page starts: text for URLs, a JSON
/// array of the key's values ending with the row's `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor(Vec<Value>);

/// A cursor that does not belong to the order it was given with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a page cursor of this order: {0}")]
pub struct BadCursor(String);

impl Cursor {
    /// The cursor as text (a JSON array).
    pub fn encode(&self) -> String {
        let values: Vec<serde_json::Value> = self
            .0
            .iter()
            .map(|v| match v {
                Value::Integer(i) => serde_json::Value::from(*i),
                Value::Text(t) => serde_json::Value::from(t.as_str()),
                _ => serde_json::Value::Null,
            })
            .collect();
        serde_json::Value::Array(values).to_string()
    }

    /// Reads a cursor of `order` back from its text; the number and types of the values must
    /// be those of the order's key.
    pub fn decode(order: Order, text: &str) -> Result<Cursor, BadCursor> {
        let bad = || BadCursor(text.chars().take(80).collect());
        let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|_| bad())?;
        let kinds = order.key.kinds();
        if values.len() != kinds.len() {
            return Err(bad());
        }
        values
            .into_iter()
            .zip(kinds)
            .map(|(value, kind)| match (kind, value) {
                (Kind::Integer, serde_json::Value::Number(n)) => {
                    n.as_i64().map(Value::Integer).ok_or_else(bad)
                }
                (Kind::Text, serde_json::Value::String(s)) => Ok(Value::Text(s)),
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Cursor)
    }
}

/// The SQL type of one value of a sort key.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Integer,
    Text,
}

/// A box number that is only digits, as a number; others sort after every number.
const BOX_NUMBER: &str = "CASE WHEN trim(COALESCE(f.box, '')) <> '' AND trim(f.box) NOT GLOB '*[^0-9]*' \
    THEN CAST(trim(f.box) AS INTEGER) ELSE 9223372036854775807 END";

impl SortKey {
    /// The types of the key's values, `seq` last.
    fn kinds(self) -> Vec<Kind> {
        use Kind::{Integer, Text};
        match self {
            SortKey::Seq => vec![Integer],
            SortKey::FileCode | SortKey::Title | SortKey::Retention => vec![Text, Integer],
            SortKey::Dates => vec![Text, Text, Integer],
            SortKey::Boxes => vec![Integer, Text, Integer],
            SortKey::Sheets => vec![Integer, Integer],
        }
    }

    /// The SQL expressions of the key, `f.seq` last. A title the reader may not see sorts as
    /// the redaction notice, so its place in the list tells nothing of what it says; the
    /// cleared fonds are added to `w` as parameters.
    fn expressions(self, filter: &Filter, w: &mut Where) -> Vec<String> {
        let mut keys = match self {
            SortKey::Seq => vec![],
            SortKey::FileCode => vec!["f.file_code".to_owned()],
            SortKey::Title => match &filter.cleared_fonds {
                None => vec!["f.title_folded".to_owned()],
                Some(cleared) => {
                    let mut seen = vec!["f.access = '01'".to_owned()];
                    for fonds in cleared {
                        w.params.push(Value::Text(fonds.clone()));
                        seen.push(format!("f.fonds_code = ?{}", w.params.len()));
                    }
                    w.params.push(Value::Text(fold_vietnamese(REDACTED_TITLE)));
                    vec![format!(
                        "CASE WHEN {} THEN f.title_folded ELSE ?{} END",
                        seen.join(" OR "),
                        w.params.len()
                    )]
                }
            },
            SortKey::Dates => vec!["f.start_date".to_owned(), "f.end_date".to_owned()],
            SortKey::Retention => vec!["f.retention".to_owned()],
            SortKey::Boxes => vec![BOX_NUMBER.to_owned(), "COALESCE(f.box, '')".to_owned()],
            SortKey::Sheets => vec!["COALESCE(f.sheets, -1)".to_owned()],
        };
        keys.push("f.seq".to_owned());
        keys
    }
}

/// One page of a sorted list and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedPage {
    /// The rows, redacted for the reader.
    pub rows: Vec<FileRow>,
    /// The cursor of the last row when the page is full (there may be more); none at the end.
    pub next: Option<Cursor>,
}

/// One page of the list in `order`, after the row whose key is `after`: a keyset page, so the
/// thousandth page costs what the first does and rows recorded meanwhile neither shift nor
/// repeat the rows already shown.
pub fn sorted_page(
    conn: &Connection,
    scope: &Scope,
    filter: &Filter,
    order: Order,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<SortedPage, ProjectionError> {
    let (from, params) = from_where(scope, filter);
    let mut w = Where { sql: from, params };
    let keys = order.key.expressions(filter, &mut w);
    if let Some(Cursor(values)) = after {
        let mut placeholders = Vec::with_capacity(values.len());
        for value in values {
            w.params.push(value.clone());
            placeholders.push(format!("?{}", w.params.len()));
        }
        let comparison = if order.descending { "<" } else { ">" };
        w.sql.push_str(&format!(
            " AND ({}) {comparison} ({})",
            keys.join(", "),
            placeholders.join(", ")
        ));
    }
    let direction = if order.descending { " DESC" } else { "" };
    let order_by: Vec<String> = keys.iter().map(|k| format!("{k}{direction}")).collect();
    w.params.push(Value::Integer(i64::from(limit)));
    let sql = with_scope(
        scope,
        format!(
            "SELECT {ROW_COLUMNS}, {} {} ORDER BY {} LIMIT ?{}",
            keys.join(", "),
            w.sql,
            order_by.join(", "),
            w.params.len()
        ),
    );
    let kinds = order.key.kinds();
    let mut stmt = conn.prepare(&sql)?;
    let mut result = stmt.query(rusqlite::params_from_iter(w.params))?;
    let (mut rows, mut last) = (Vec::new(), None);
    while let Some(r) = result.next()? {
        let mut row = file_row(r)?;
        filter.redact(&mut row);
        rows.push(row);
        let first_key = ROW_COLUMN_COUNT;
        let mut values = Vec::with_capacity(kinds.len());
        for (i, kind) in kinds.iter().enumerate() {
            values.push(match kind {
                Kind::Integer => Value::Integer(r.get(first_key + i)?),
                Kind::Text => Value::Text(r.get(first_key + i)?),
            });
        }
        last = Some(Cursor(values));
    }
    let next = if rows.len() == limit as usize {
        last
    } else {
        None
    };
    Ok(SortedPage { rows, next })
}

/// A process whose list of files the read model keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessList {
    /// A transfer to the historical archive (`transfer_files`).
    Transfer,
    /// A destruction procedure (`destruction_files`).
    Destruction,
}

/// The files listed in a transfer or a destruction, in recording order; titles the reader may
/// not see are hidden as in the inventory (only `filter.cleared_fonds` is used).
pub fn listed_in(
    conn: &Connection,
    list: ProcessList,
    id: &str,
    filter: &Filter,
) -> Result<Vec<FileRow>, ProjectionError> {
    let (table, column) = match list {
        ProcessList::Transfer => ("transfer_files", "transfer_id"),
        ProcessList::Destruction => ("destruction_files", "destruction_id"),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM {table} l JOIN files f ON f.file_code = l.file_code
         WHERE l.{column} = ?1 ORDER BY f.seq"
    ))?;
    let rows = stmt.query_map([id], file_row)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One fonds of 60 files (and one file of another fonds) whose every sort column has ties,
    /// missing values and, for boxes, numbers and text mixed.
    fn model() -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory database");
        crate::schema::create(&conn).expect("schema");
        let titles = ["Đất đai", "dat dai", "Báo cáo", "Dân số", "Ảnh", "bao cao"];
        let boxes = [
            Some("10"),
            Some("9"),
            None,
            Some("2a"),
            Some(" 3 "),
            Some("9"),
            Some(""),
        ];
        for seq in 1..=61i64 {
            let fonds = if seq == 61 { "OTHER" } else { "066-UB" };
            let i = seq as usize;
            let title = titles[i % titles.len()];
            let year = 2000 + (i % 4) as i32;
            let start = format!("{year}-0{}-01", 1 + i % 3);
            let end = format!("{year}-12-{}", 10 + i % 2);
            let retention = ["01", "02", "05"][i % 3];
            let access = if i.is_multiple_of(5) { "02" } else { "01" };
            let sheets = (!i.is_multiple_of(4)).then_some((i % 3) as i64 * 10);
            conn.execute(
                "INSERT INTO files (file_code, fonds_code, seq, title, title_folded, start_date, end_date, retention,
                    access, carrier, box, sheets, language, initial_custodian, custodian, status, since)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'paper', ?10, ?11, 'vi', 'X', 'X', 'in_custody', '2010-01-01')",
                rusqlite::params![
                    format!("{fonds}.F{:03}", (i * 37) % 101),
                    fonds,
                    seq,
                    title,
                    fold_vietnamese(title),
                    start,
                    end,
                    retention,
                    access,
                    boxes[i % boxes.len()],
                    sheets,
                ],
            )
            .expect("file");
        }
        conn
    }

    /// The list's rows in `key` order, worked out here without SQL.
    fn expected(conn: &Connection, filter: &Filter, order: Order) -> Vec<i64> {
        let mut rows = Vec::new();
        for_each(conn, &Scope::Fonds("066-UB".into()), filter, |r| {
            rows.push(r);
            true
        })
        .expect("rows");
        let box_number = |r: &FileRow| {
            let b = r.box_number.clone().unwrap_or_default();
            let t = b.trim();
            let n = if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
                t.parse().expect("digits")
            } else {
                i64::MAX
            };
            (n, b)
        };
        match order.key {
            SortKey::Seq => rows.sort_by_key(|r| r.seq),
            SortKey::FileCode => rows.sort_by_key(|r| (r.file_code.clone(), r.seq)),
            SortKey::Title => rows.sort_by_key(|r| (fold_vietnamese(&r.title), r.seq)),
            SortKey::Dates => rows.sort_by_key(|r| (r.start_date, r.end_date, r.seq)),
            SortKey::Retention => rows.sort_by_key(|r| (r.retention.clone(), r.seq)),
            SortKey::Boxes => rows.sort_by_key(|r| (box_number(r), r.seq)),
            SortKey::Sheets => rows.sort_by_key(|r| (r.sheets.map_or(-1, i64::from), r.seq)),
        }
        if order.descending {
            rows.reverse();
        }
        rows.iter().map(|r| r.seq).collect()
    }

    /// Every page of the list in `order`, `limit` rows each, with each cursor sent as text.
    fn paged(conn: &Connection, filter: &Filter, order: Order, limit: u32) -> Vec<i64> {
        let (mut seqs, mut after) = (Vec::new(), None::<Cursor>);
        loop {
            let page = sorted_page(
                conn,
                &Scope::Fonds("066-UB".into()),
                filter,
                order,
                after.as_ref(),
                limit,
            )
            .expect("page");
            assert!(page.rows.len() <= limit as usize);
            seqs.extend(page.rows.iter().map(|r| r.seq));
            match page.next {
                Some(next) => {
                    after = Some(Cursor::decode(order, &next.encode()).expect("own cursor"))
                }
                None => return seqs,
            }
        }
    }

    #[test]
    fn pages_of_every_order_in_both_directions_add_up_to_the_sorted_list() {
        let conn = model();
        let filters = [
            Filter::default(),
            Filter {
                retention: Some("01".into()),
                ..Filter::default()
            },
            Filter {
                cleared_fonds: Some(vec![]),
                ..Filter::default()
            },
        ];
        for filter in &filters {
            for key in SortKey::ALL {
                for descending in [false, true] {
                    let order = Order { key, descending };
                    let full = expected(&conn, filter, order);
                    assert!(full.len() >= 20, "{order:?}: {}", full.len());
                    for limit in [1, 3, 7, 100] {
                        assert_eq!(
                            paged(&conn, filter, order, limit),
                            full,
                            "{order:?}, {limit} a page, {filter:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ties_keep_recording_order_and_boxes_sort_as_numbers() {
        let conn = model();
        let scope = Scope::Fonds("066-UB".into());
        let order = Order {
            key: SortKey::Boxes,
            descending: false,
        };
        let rows = sorted_page(&conn, &scope, &Filter::default(), order, None, 100)
            .expect("page")
            .rows;
        let boxes: Vec<Option<&str>> = rows.iter().map(|r| r.box_number.as_deref()).collect();
        let first_of = |b: Option<&str>| boxes.iter().position(|x| *x == b).expect("box");
        assert!(first_of(Some(" 3 ")) < first_of(Some("9")));
        assert!(first_of(Some("9")) < first_of(Some("10")));
        assert!(first_of(Some("10")) < first_of(None));
        assert!(first_of(None) < first_of(Some("2a")));
        let nines: Vec<i64> = rows
            .iter()
            .filter(|r| r.box_number.as_deref() == Some("9"))
            .map(|r| r.seq)
            .collect();
        assert!(nines.len() > 1 && nines.is_sorted(), "{nines:?}");
    }

    #[test]
    fn a_hidden_title_sorts_as_the_notice_that_replaces_it() {
        let conn = model();
        let order = Order {
            key: SortKey::Title,
            descending: false,
        };
        let hidden = Filter {
            cleared_fonds: Some(vec![]),
            ..Filter::default()
        };
        let rows = sorted_page(
            &conn,
            &Scope::Fonds("066-UB".into()),
            &hidden,
            order,
            None,
            100,
        )
        .expect("page")
        .rows;
        let redacted: Vec<usize> = (0..rows.len())
            .filter(|i| rows[*i].title == REDACTED_TITLE)
            .collect();
        assert!(redacted.len() > 1);
        assert!(
            redacted.windows(2).all(|w| w[1] == w[0] + 1),
            "hidden titles sort together: {redacted:?}"
        );
    }

    #[test]
    fn a_hidden_file_keeps_its_marks_without_their_words() {
        let conn = model();
        conn.execute_batch(
            "UPDATE files SET damaged = 'Rách bìa', rejected_on = '2024-05-20', rejected_reason = 'Thiếu mục lục'
             WHERE seq IN (5, 6);
             INSERT INTO holds (hold_id, fonds_code, reason, legal_basis, placed_by, placed_on, listed_files)
             VALUES ('h1', '066-UB', 'inspection', '{\"number\":\"215/QĐ-TTr\"}', 'x', '2025-08-25', 1);
             INSERT INTO hold_files (hold_id, file_code) SELECT 'h1', file_code FROM files WHERE seq IN (5, 6);",
        )
        .expect("marks");
        let hidden = Filter {
            cleared_fonds: Some(vec![]),
            ..Filter::default()
        };
        let rows = page(&conn, &Scope::Fonds("066-UB".into()), &hidden, Some(4), 2).expect("page");
        let (secret, open) = (&rows[0], &rows[1]);
        assert_eq!((secret.seq, secret.access.as_str()), (5, "02"));
        assert_eq!(secret.damaged.as_deref(), Some(REDACTED_TITLE));
        let rejected = secret.rejected.as_ref().expect("still refused");
        assert_eq!(
            (rejected.on.to_string().as_str(), rejected.reason.as_str()),
            ("2024-05-20", REDACTED_TITLE)
        );
        assert_eq!(open.damaged.as_deref(), Some("Rách bìa"));
        assert_eq!(
            open.rejected.as_ref().map(|r| r.reason.as_str()),
            Some("Thiếu mục lục")
        );
        for row in &rows {
            assert_eq!(row.holds.len(), 1);
            assert_eq!(
                (row.holds[0].reason.as_str(), row.holds[0].basis.as_str()),
                ("inspection", "215/QĐ-TTr")
            );
        }
    }

    #[test]
    fn a_cursor_of_another_order_or_malformed_is_refused() {
        let seq = Order::default();
        let dates = Order {
            key: SortKey::Dates,
            descending: true,
        };
        let cursor = Cursor::decode(dates, r#"["2001-01-01","2001-12-10",7]"#).expect("dates");
        assert_eq!(cursor.encode(), r#"["2001-01-01","2001-12-10",7]"#);
        assert!(Cursor::decode(seq, &cursor.encode()).is_err());
        assert!(Cursor::decode(seq, r#"["7"]"#).is_err());
        assert!(Cursor::decode(seq, "7").is_err());
        assert!(Cursor::decode(seq, "[7").is_err());
        assert_eq!(
            Cursor::decode(seq, "[7]"),
            Ok(Cursor(vec![Value::Integer(7)]))
        );
    }
}

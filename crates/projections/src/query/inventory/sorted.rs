//! Keyset pages of an inventory list in any order of its columns, and their cursors.

use bangiao_domain::values::fold_vietnamese;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::filter::{Where, from_where, with_scope};
use super::list::{ROW_COLUMN_COUNT, ROW_COLUMNS, file_row};
use super::{FileRow, Filter, REDACTED_TITLE, Scope};
use crate::error::ProjectionError;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::inventory::fixture::model;
    use crate::query::inventory::for_each;

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

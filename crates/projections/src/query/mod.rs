//! Queries over the read models. Each takes a read-only connection (see `ReadModel::readers`)
//! and returns plain rows, which are also the bodies of the HTTP read API.

pub mod access;
pub mod custody;
pub mod deadlines;
pub mod fonds;
pub mod inventory;
pub mod processes;
pub mod units;

use rusqlite::Row;

/// Reads an optional JSON column as a JSON value; unparsable text comes back as a JSON string.
pub(crate) fn json_value(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<serde_json::Value>> {
    let text: Option<String> = row.get(index)?;
    Ok(text.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t))))
}

/// Reads an optional ISO date column.
pub(crate) fn date_column(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    let text: Option<String> = row.get(index)?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Most rows one page of a list returns.
pub const MAX_PAGE: u32 = 1_000;

/// Clamps a requested page size to 1..=[`MAX_PAGE`], 100 by default.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested.unwrap_or(100).clamp(1, MAX_PAGE)
}

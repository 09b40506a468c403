//! Queries over the read models. Each takes a read-only connection (see `ReadModel::readers`)
//! and returns plain rows, which are also the bodies of the HTTP read API.

pub mod access;
pub mod acts;
pub mod copies;
pub mod custody;
pub mod deadlines;
pub mod fonds;
pub mod inventory;
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

/// Rows of a page when the caller names no size.
pub const DEFAULT_PAGE: u32 = 100;

/// A page size outside 1..=[`MAX_PAGE`]: refused rather than cut, so a caller who asked for
/// more never takes a short page for the whole list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("page size {requested} is outside 1..={MAX_PAGE}")]
pub struct PageSizeError {
    /// The size asked for.
    pub requested: u32,
}

/// The page size asked for, [`DEFAULT_PAGE`] when none; one outside 1..=[`MAX_PAGE`] is refused.
pub fn page_size(requested: Option<u32>) -> Result<u32, PageSizeError> {
    match requested {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(n) => Err(PageSizeError { requested: n }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_size_beyond_the_bounds_is_refused_not_cut() {
        assert_eq!(page_size(None), Ok(DEFAULT_PAGE));
        assert_eq!(page_size(Some(1)), Ok(1));
        assert_eq!(page_size(Some(MAX_PAGE)), Ok(MAX_PAGE));
        assert_eq!(
            page_size(Some(MAX_PAGE + 1)),
            Err(PageSizeError { requested: 1_001 })
        );
        assert_eq!(page_size(Some(0)), Err(PageSizeError { requested: 0 }));
    }
}

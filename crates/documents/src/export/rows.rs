//! Where a document's rows come from, and the figures a pass over them gives.

use std::collections::{BTreeMap, HashSet};

use bangiao_projections::query::inventory::{self, FileRow, Filter, MM_PER_BOX, Scope};
use chrono::NaiveDate;
use rusqlite::Connection;

use super::ExportError;

/// Rows of an inventory list, visited in order without holding them all.
pub trait RowSource {
    /// Calls `visit` on every row in order; stops at the first error and returns it.
    fn each(
        &mut self,
        visit: &mut dyn FnMut(&FileRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError>;
}

impl RowSource for &[FileRow] {
    fn each(
        &mut self,
        visit: &mut dyn FnMut(&FileRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        self.iter().try_for_each(visit)
    }
}

/// The rows of a read-model query: a fonds' or a unit's list under a filter, optionally only
/// the files of one handover.
pub struct QueryRows<'c> {
    conn: &'c Connection,
    scope: Scope,
    filter: Filter,
    only: Option<HashSet<String>>,
}

impl<'c> QueryRows<'c> {
    /// The list of a scope under a filter.
    pub fn new(conn: &'c Connection, scope: Scope, filter: Filter) -> Self {
        Self {
            conn,
            scope,
            filter,
            only: None,
        }
    }

    /// Only these file codes (a handover's attached list), in the list's order.
    pub fn only(mut self, codes: impl IntoIterator<Item = String>) -> Self {
        self.only = Some(codes.into_iter().collect());
        self
    }
}

impl RowSource for QueryRows<'_> {
    fn each(
        &mut self,
        visit: &mut dyn FnMut(&FileRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let mut failure = None;
        let only = self.only.as_ref();
        inventory::for_each(self.conn, &self.scope, &self.filter, |row| {
            if only.is_some_and(|codes| !codes.contains(&row.file_code)) {
                return true;
            }
            match visit(&row) {
                Ok(()) => true,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        })?;
        failure.map_or(Ok(()), Err)
    }
}

/// Figures of a list, from one pass over its rows: what the heading and the totals print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListStats {
    /// Files (hồ sơ, đơn vị bảo quản).
    pub files: u64,
    /// Distinct boxes.
    pub boxes: u64,
    /// Sheets.
    pub sheets: u64,
    /// Earliest start date.
    pub first: Option<NaiveDate>,
    /// Latest end date.
    pub last: Option<NaiveDate>,
    /// Files by retention code.
    pub by_retention: BTreeMap<String, u64>,
    /// Files by access code.
    pub by_access: BTreeMap<String, u64>,
    /// Files on an electronic carrier.
    pub electronic: u64,
    /// Files with a digitised copy (a computer file with its SHA-256).
    pub digitised: u64,
    /// Files marked damaged.
    pub damaged: u64,
    /// Files marked missing.
    pub missing: u64,
    /// The longest file code (in characters): what the code column of a printed list must hold
    /// on one line.
    pub longest_code: String,
}

impl ListStats {
    /// Counts every row of `rows`.
    pub fn gather(rows: &mut dyn RowSource) -> Result<Self, ExportError> {
        let mut stats = Self::default();
        let mut boxes = HashSet::new();
        rows.each(&mut |row| {
            stats.add(row, &mut boxes);
            Ok(())
        })?;
        stats.boxes = boxes.len() as u64;
        Ok(stats)
    }

    fn add(&mut self, row: &FileRow, boxes: &mut HashSet<(String, String)>) {
        self.files += 1;
        self.sheets += u64::from(row.sheets.unwrap_or(0));
        if let Some(b) = &row.box_number
            && !boxes.contains(&(row.fonds_code.clone(), b.clone()))
        {
            boxes.insert((row.fonds_code.clone(), b.clone()));
        }
        self.first = Some(self.first.map_or(row.start_date, |d| d.min(row.start_date)));
        self.last = Some(self.last.map_or(row.end_date, |d| d.max(row.end_date)));
        *self.by_retention.entry(row.retention.clone()).or_default() += 1;
        *self.by_access.entry(row.access.clone()).or_default() += 1;
        self.electronic += u64::from(row.carrier == "electronic");
        self.digitised += u64::from(row.sha256.is_some());
        self.damaged += u64::from(row.damaged.is_some());
        self.missing += u64::from(row.status == "missing");
        if row.file_code.chars().count() > self.longest_code.chars().count() {
            self.longest_code.clone_from(&row.file_code);
        }
    }

    /// Shelf length estimated from the boxes (8 boxes to the metre), in millimetres.
    pub fn linear_mm(&self) -> u64 {
        self.boxes * MM_PER_BOX
    }

    /// The date range, when the list has rows.
    pub fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.first.zip(self.last)
    }
}

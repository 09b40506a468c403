//! The report of an import: what was read, what is valid, what is already there, every problem,
//! and what was written. The CLI prints it and writes it as CSV; the server returns it as JSON.

use std::io::Write;

use super::header::Column;
use super::problem::RowProblem;
use super::table::Format;
use super::warning::ImportWarning;

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The fonds imported into.
    pub fonds_code: String,
    /// The format read.
    pub format: Format,
    /// The worksheet read (XLSX).
    pub sheet: Option<String>,
    /// The row of the header, as shown.
    pub header_row: u32,
    /// The columns recognised.
    pub columns: Vec<Column>,
    /// Headers not recognised: their columns were not read.
    pub ignored_columns: Vec<String>,
    /// Whether this was a dry run (nothing written, ever).
    pub dry_run: bool,
    /// Whether only the valid rows were to be taken.
    pub valid_only: bool,
    /// Rows under the header that hold a file (blank rows and lines of text are passed over).
    pub rows_read: u64,
    /// Rows that can be recorded (or were, if applied).
    pub rows_valid: u64,
    /// Rows whose file is already recorded in the fonds exactly as the row describes it.
    pub rows_present: u64,
    /// Rows with at least one problem.
    pub rows_with_problems: u64,
    /// Every problem, in row order.
    pub problems: Vec<RowProblem>,
    /// What is pointed out without blocking anything (a box over its capacity).
    pub warnings: Vec<ImportWarning>,
    /// Whether the problems blocked the apply (all-or-nothing, not a dry run).
    pub blocked: bool,
    /// Files recorded by this run.
    pub files_recorded: u64,
    /// Batches an earlier run had already written (a re-run after an interruption).
    pub batches_replayed: u64,
    /// Global position of the last event written, 0 if none: pass it as `wait_for` to reads.
    pub last_position: u64,
    /// The import's id, derived from the fonds and the file's content.
    pub import_id: String,
}

impl ImportReport {
    /// Whether nothing stands in the way of applying every row.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// Writes the problems as CSV (UTF-8 with BOM, so Excel shows Vietnamese), one per line,
    /// under [`REPORT_HEADER`].
    pub fn write_csv(&self, out: impl Write) -> Result<(), csv::Error> {
        let mut out = out;
        out.write_all(b"\xEF\xBB\xBF")?;
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(REPORT_HEADER)?;
        for p in &self.problems {
            let row = p.row.to_string();
            writer.write_record([
                row.as_str(),
                p.column.as_deref().unwrap_or_default(),
                p.header.as_deref().unwrap_or_default(),
                &p.field,
                &neutralised(&p.value),
                &p.code,
                &p.message_vi,
                &p.message_en,
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// The header of the problems CSV, in Vietnamese as the clerk who fixes the list reads it; the
/// last column is the message in English.
pub const REPORT_HEADER: [&str; 8] = [
    "Dòng",
    "Cột",
    "Tiêu đề cột",
    "Trường",
    "Giá trị",
    "Mã lỗi",
    "Thông báo",
    "Thông báo (tiếng Anh)",
];

/// A cell value that a spreadsheet would run as a formula gets a leading apostrophe. A plain
/// number ("-5", "-0.5": a negative count the list held) is left as it is, so the spreadsheet
/// reads it as the number it was, not as text.
fn neutralised(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) && !plain_number(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// Digits, with a leading minus and a decimal point at most: nothing a spreadsheet would run.
fn plain_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    [whole, fraction]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::neutralised;

    #[test]
    fn numbers_stay_numbers_and_formulas_are_neutralised() {
        for number in ["-5", "-0.5", "12", "-120"] {
            assert_eq!(neutralised(number), number);
        }
        for formula in ["-5+1", "=1+2", "+5", "@SUM(A1)", "-", "-.5", "-5.", "-1e5"] {
            assert_eq!(neutralised(formula), format!("'{formula}"));
        }
        assert_eq!(neutralised("Hồ sơ"), "Hồ sơ");
    }
}

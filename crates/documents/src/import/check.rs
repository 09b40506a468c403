//! Rows whose file code the fonds already holds: the same file as recorded (a re-import, or
//! the same list in another format) is "already present" and written again never; a different
//! file under the same code is a problem.

use std::collections::HashSet;

use bangiao_app::Service;
use bangiao_domain::fonds::{FileRecorded, FondsCommand, RecordFile};
use bangiao_domain::values::{FileCode, FondsCode};
use bangiao_store::EventStore;

use super::error::ImportError;
use super::problem::RowProblem;
use super::row::ParsedRow;

/// The rows sorted out: to record, already present, with problems.
#[derive(Debug, Default)]
pub struct Sorted {
    /// Rows to record: row number and command, in row order.
    pub valid: Vec<(u32, FondsCommand)>,
    /// Rows already recorded exactly so.
    pub present: u64,
    /// Rows with problems.
    pub rows_with_problems: u64,
    /// Every problem, in row order.
    pub problems: Vec<RowProblem>,
}

/// Compares the rows whose code is taken with the files as first recorded, then sorts.
pub async fn sort<S: EventStore + Clone>(
    service: &Service<S>,
    fonds: &FondsCode,
    rows: Vec<ParsedRow>,
) -> Result<Sorted, ImportError> {
    let taken: HashSet<FileCode> = rows
        .iter()
        .filter(|r| r.recorded_before)
        .filter_map(|r| r.file_code.clone())
        .collect();
    let recorded = service.recorded_files(fonds, &taken).await?;
    let mut sorted = Sorted::default();
    for mut row in rows {
        if row.recorded_before
            && let Some(FondsCommand::RecordFile(record)) = &row.command
        {
            match recorded.get(&record.file_code) {
                Some(first) if same_file(record, first) => {
                    sorted.present += 1;
                    continue;
                }
                _ => {
                    row.problems.push(taken_problem(row.row, &record.file_code));
                    row.command = None;
                }
            }
        }
        match row.command {
            Some(command) if row.problems.is_empty() => sorted.valid.push((row.row, command)),
            _ => {
                sorted.rows_with_problems += 1;
                sorted.problems.extend(row.problems);
            }
        }
    }
    Ok(sorted)
}

/// Whether the row describes the file exactly as it was recorded. Custody is no part of a
/// description: it moves by handovers, so a list imported again after one still matches.
fn same_file(row: &RecordFile, first: &FileRecorded) -> bool {
    row.file_code == first.file_code
        && row.title == first.title
        && row.start_date == first.start_date
        && row.end_date == first.end_date
        && row.retention == first.retention
        && row.access == first.access
        && row.carrier == first.carrier
        && row.box_number == first.box_number
        && row.sheets == first.sheets
        && row.language == first.language
        && row.notes == first.notes
}

fn taken_problem(row: u32, code: &FileCode) -> RowProblem {
    RowProblem {
        row,
        column: None,
        header: None,
        field: "row".into(),
        value: code.to_string(),
        code: "already_exists".into(),
        message_vi: format!(
            "Hồ sơ {code} đã có trong phông với nội dung khác; muốn sửa thì dùng đính chính."
        ),
        message_en: format!(
            "File {code} is already recorded in the fonds with other content; correct it instead."
        ),
    }
}

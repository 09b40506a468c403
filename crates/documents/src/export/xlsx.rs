//! The Mục lục hồ sơ as an Excel workbook in its official layout: the title block (agency,
//! "MỤC LỤC HỒ SƠ", fonds, code, years, total in figures and words), the header, one row per
//! file, then the closing lines (total in figures and in words, numbers, boxes, sheets, metres).
//!
//! The sheet is written in `rust_xlsxwriter`'s constant-memory mode: each row goes to a
//! temporary file as it is written, so a list of any length needs the same memory.

use std::io::Write;

use bangiao_projections::query::inventory::FileRow;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::ExportError;
use super::heading::ListHeading;
use super::labels::{Column, spreadsheet_columns};
use super::rows::RowSource;

/// The worksheet's name.
pub const SHEET_NAME: &str = "Mục lục hồ sơ";

/// The row (from 0) of the header: below the title block.
pub const HEADER_ROW: u32 = 7;

/// The styles of the sheet.
struct Styles {
    agency: Format,
    title: Format,
    centred: Format,
    header: Format,
    text: Format,
    centre_cell: Format,
    date: Format,
    closing: Format,
}

impl Styles {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
            .set_text_wrap();
        Self {
            agency: base.clone().set_bold(),
            title: base
                .clone()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            centred: base.clone().set_bold().set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#E7E6E6"),
            text: cell.clone(),
            centre_cell: cell.clone().set_align(FormatAlign::Center),
            date: cell
                .set_align(FormatAlign::Center)
                .set_num_format("dd/mm/yyyy"),
            closing: base.set_italic(),
        }
    }
}

fn width(column: Column) -> f64 {
    match column {
        Column::Number => 6.0,
        Column::ListNumber => 8.0,
        Column::Fonds => 11.0,
        Column::Box => 7.0,
        Column::FileCode => 16.0,
        Column::Title => 60.0,
        Column::StartDate | Column::EndDate => 12.0,
        Column::Retention => 11.0,
        Column::Access => 11.0,
        Column::Sheets => 7.0,
        Column::Notes | Column::Remarks => 24.0,
        Column::Condition => 30.0,
    }
}

/// Writes the workbook of a list to `out`; returns the number of rows.
pub fn write<W: Write + Send>(
    heading: &ListHeading,
    rows: &mut dyn RowSource,
    out: W,
) -> Result<u64, ExportError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();
    let columns = spreadsheet_columns(heading.with_fonds());
    let last = (columns.len() - 1) as u16;
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(SHEET_NAME)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    for (i, column) in columns.iter().enumerate() {
        sheet.set_column_width(i as u16, width(*column))?;
    }
    title_block(sheet, heading, &styles, last)?;
    for (i, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, i as u16, column.header(), &styles.header)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    let mut n: u64 = 0;
    rows.each(&mut |row| {
        n += 1;
        let r = HEADER_ROW + n as u32;
        for (i, column) in columns.iter().enumerate() {
            cell(sheet, r, i as u16, *column, n, row, &styles)?;
        }
        Ok(())
    })?;
    let first = HEADER_ROW + n as u32 + 2;
    for (r, line) in (first..).zip(heading.closing_lines()) {
        sheet.merge_range(r, 0, r, last, &line, &styles.closing)?;
    }
    workbook.save_to_writer(out)?;
    Ok(n)
}

fn title_block(
    sheet: &mut Worksheet,
    heading: &ListHeading,
    styles: &Styles,
    last: u16,
) -> Result<(), ExportError> {
    sheet.merge_range(
        0,
        0,
        0,
        last,
        &heading.agency.to_uppercase(),
        &styles.agency,
    )?;
    sheet.merge_range(1, 0, 1, last, "MỤC LỤC HỒ SƠ", &styles.title)?;
    sheet.merge_range(2, 0, 2, last, &heading.subject_line(), &styles.centred)?;
    sheet.merge_range(3, 0, 3, last, &heading.code_line(), &styles.centred)?;
    let years = heading.years_line().unwrap_or_default();
    sheet.merge_range(4, 0, 4, last, &years, &styles.centred)?;
    sheet.merge_range(5, 0, 5, last, &heading.total_line(), &styles.centred)?;
    Ok(())
}

fn cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    column: Column,
    n: u64,
    row: &FileRow,
    styles: &Styles,
) -> Result<(), ExportError> {
    match column {
        Column::Number => {
            sheet.write_number_with_format(r, c, n as f64, &styles.centre_cell)?;
        }
        Column::StartDate => {
            sheet.write_datetime_with_format(r, c, row.start_date, &styles.date)?;
        }
        Column::EndDate => {
            sheet.write_datetime_with_format(r, c, row.end_date, &styles.date)?;
        }
        Column::ListNumber => match row.list_number {
            Some(l) => {
                sheet.write_number_with_format(r, c, f64::from(l), &styles.centre_cell)?;
            }
            None => {
                sheet.write_blank(r, c, &styles.centre_cell)?;
            }
        },
        Column::Sheets => match row.sheets {
            Some(s) => {
                sheet.write_number_with_format(r, c, f64::from(s), &styles.centre_cell)?;
            }
            None => {
                sheet.write_blank(r, c, &styles.centre_cell)?;
            }
        },
        Column::Box => match row.box_number.as_deref().and_then(plain_number) {
            Some(b) => {
                sheet.write_number_with_format(r, c, b, &styles.centre_cell)?;
            }
            None => {
                let text = column.text(n, row);
                sheet.write_string_with_format(r, c, &text, &styles.centre_cell)?;
            }
        },
        Column::Title | Column::Notes | Column::Remarks | Column::Condition => {
            sheet.write_string_with_format(r, c, column.text(n, row), &styles.text)?;
        }
        _ => {
            sheet.write_string_with_format(r, c, column.text(n, row), &styles.centre_cell)?;
        }
    }
    Ok(())
}

/// A box number that is a plain integer ("12", not "012" or "12a") is written as a number.
fn plain_number(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text.len() <= 9
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    plain
        .then(|| text.parse::<u32>().ok().map(f64::from))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::plain_number;

    #[test]
    fn only_plain_integers_become_numbers() {
        assert_eq!(plain_number("12"), Some(12.0));
        assert_eq!(plain_number("0"), Some(0.0));
        assert_eq!(plain_number("012"), None);
        assert_eq!(plain_number("12a"), None);
        assert_eq!(plain_number(""), None);
    }
}

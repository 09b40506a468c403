//! The table of a Mục lục on PDF pages: bordered cells, wrapped text, the header repeated at the
//! top of every page.

use bangiao_projections::query::inventory::FileRow;

use super::canvas::{Align, Canvas, Margins};
use super::fonts::{Fonts, Style};
use crate::export::labels::Column;

const SIZE: f32 = 8.5;
const LEADING: f32 = 10.5;
const PAD: f32 = 2.5;

/// The most of the text area the code column may take, however long the codes: the title
/// needs the rest.
const MAX_CODE_SHARE: f32 = 0.25;

/// Whether a column's cells are printed on one line, never broken: a code cut across lines
/// reads as two codes (or none). A cell wider than its column is set smaller instead.
fn one_line(column: Column) -> bool {
    matches!(column, Column::FileCode | Column::Fonds)
}

/// What the widest usual cell of a column holds; `None` for the columns that share the rest.
fn sample(column: Column) -> Option<&'static str> {
    match column {
        Column::Number | Column::ListNumber | Column::Box | Column::Sheets => Some("99999"),
        Column::Fonds => Some("06610-UB"),
        Column::FileCode => Some("000.00.66.H06.2003.15"),
        Column::StartDate | Column::EndDate => Some("00/00/0000"),
        Column::Retention => Some("Vĩnh viễn"),
        Column::Access => Some("Công khai"),
        Column::Title | Column::Notes | Column::Remarks | Column::Condition => None,
    }
}

/// The width a column needs: its usual content or its header's longest word, with padding.
fn natural(fonts: &Fonts, column: Column) -> Option<f32> {
    let content = fonts.width(Style::Regular, SIZE, sample(column)?);
    let header = column
        .header()
        .split_whitespace()
        .map(|w| fonts.width(Style::Bold, SIZE, w))
        .fold(0.0, f32::max);
    Some(content.max(header) + 2.0 * PAD + 1.0)
}

/// A table laid across the text area of landscape pages.
pub struct Table {
    columns: Vec<Column>,
    widths: Vec<f32>,
    margins: Margins,
}

impl Table {
    /// A table of these columns across the canvas' current text area; the code column is as
    /// wide as `longest_code` (the list's longest file code) needs, up to [`MAX_CODE_SHARE`].
    pub fn new(
        canvas: &Canvas,
        columns: Vec<Column>,
        margins: Margins,
        longest_code: &str,
    ) -> Self {
        let fonts = canvas.fonts();
        let code_width = fonts.width(Style::Regular, SIZE, longest_code) + 2.0 * PAD + 1.0;
        let fixed_width = |c: Column| {
            let w = natural(fonts, c)?;
            Some(match c {
                Column::FileCode => w.max(code_width.min(canvas.width() * MAX_CODE_SHARE)),
                _ => w,
            })
        };
        let fixed: f32 = columns.iter().filter_map(|c| fixed_width(*c)).sum();
        // Title and notes share what is left, three to one.
        let rest = (canvas.width() - fixed).max(120.0);
        let widths = columns
            .iter()
            .map(|c| match (fixed_width(*c), c) {
                (Some(w), _) => w,
                (None, Column::Title) => rest * 0.75,
                (None, _) => rest * 0.25,
            })
            .collect();
        Self {
            columns,
            widths,
            margins,
        }
    }

    /// Draws the header row.
    pub fn header(&self, canvas: &mut Canvas) {
        let cells: Vec<String> = self.columns.iter().map(|c| c.header().to_owned()).collect();
        self.draw(canvas, &cells, Style::Bold, true);
    }

    /// Draws row `n` of the list, on a new page (with the header) when it does not fit.
    pub fn row(&self, canvas: &mut Canvas, n: u64, row: &FileRow) {
        let cells: Vec<String> = self.columns.iter().map(|c| c.text(n, row)).collect();
        self.draw(canvas, &cells, Style::Regular, false);
    }

    fn draw(&self, canvas: &mut Canvas, cells: &[String], style: Style, header: bool) {
        let fonts = canvas.fonts();
        // Each cell's lines and type size.
        let wrapped: Vec<(Vec<String>, f32)> = cells
            .iter()
            .zip(&self.widths)
            .zip(&self.columns)
            .map(|((text, w), column)| {
                let room = w - 2.0 * PAD;
                if header || !one_line(*column) {
                    return (fonts.wrap(style, SIZE, text, room), SIZE);
                }
                let natural = fonts.width(style, SIZE, text);
                let size = if natural > room {
                    SIZE * room / natural
                } else {
                    SIZE
                };
                (vec![text.clone()], size)
            })
            .collect();
        let lines = wrapped
            .iter()
            .map(|(lines, _)| lines.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let height = lines as f32 * LEADING + 2.0 * PAD;
        if canvas.room() < height && !header {
            canvas.page(true, self.margins);
            self.header(canvas);
        }
        let top = canvas.y;
        let left = canvas.left();
        let right = left + self.widths.iter().sum::<f32>();
        if header {
            canvas.fill((left, top, right - left, height), 225);
        }
        let mut rules = Vec::with_capacity(self.columns.len() + 3);
        if header {
            rules.push(((left, top), (right, top)));
        }
        let mut x = left;
        for ((column, width), (lines, size)) in self.columns.iter().zip(&self.widths).zip(&wrapped)
        {
            let wide = matches!(
                column,
                Column::Title | Column::Notes | Column::Remarks | Column::Condition
            );
            let align = if header || !wide {
                Align::Centre
            } else {
                Align::Left
            };
            for (i, line) in lines.iter().enumerate() {
                let y = top + PAD + i as f32 * LEADING;
                canvas.text_at(x + PAD, y, width - 2.0 * PAD, style, *size, align, line);
            }
            rules.push(((x, top), (x, top + height)));
            x += width;
        }
        rules.push(((right, top), (right, top + height)));
        rules.push(((left, top + height), (right, top + height)));
        canvas.lines(rules, 0.6);
        canvas.y = top + height;
    }
}

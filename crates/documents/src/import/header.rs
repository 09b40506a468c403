//! Finding the header row under the title block, and what each column holds: Vietnamese
//! headers in their usual spellings, matched without regard to case, diacritics or punctuation.

use bangiao_domain::values::fold_vietnamese;

use super::error::ImportError;
use super::table::{Cell, Row};

/// Rows searched for the header, from the top.
pub const HEADER_SEARCH: usize = 30;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Hộp số.
    BoxNumber,
    /// Hồ sơ số — the running number in the list.
    FileNumber,
    /// Số, ký hiệu hồ sơ — e.g. "01.2003" or "12/TCCB".
    Notation,
    /// Tiêu đề hồ sơ.
    Title,
    /// Thời gian bắt đầu / kết thúc, both in one cell.
    Dates,
    /// Ngày bắt đầu.
    StartDate,
    /// Ngày kết thúc.
    EndDate,
    /// Số tờ.
    Sheets,
    /// Thời hạn bảo quản (THBQ).
    Retention,
    /// Chế độ sử dụng.
    Access,
    /// Ghi chú.
    Notes,
}

/// Every field with the header spellings it answers to (folded: lower case, no diacritics,
/// punctuation as spaces).
const ALIASES: [(Field, &[&str]); 11] = [
    (
        Field::BoxNumber,
        &[
            "hop so",
            "hop",
            "so hop",
            "hop so cap so",
            "cap hop so",
            "hop cap so",
        ],
    ),
    (
        Field::FileNumber,
        &["ho so so", "so ho so", "hs so", "so hs", "so thu tu ho so"],
    ),
    (
        Field::Notation,
        &[
            "so ky hieu ho so",
            "ky hieu ho so",
            "so va ky hieu ho so",
            "so ky hieu",
            "ky hieu",
        ],
    ),
    (
        Field::Title,
        &[
            "tieu de ho so",
            "tieu de",
            "ten ho so",
            "tieu de ho so tai lieu",
        ],
    ),
    (
        Field::Dates,
        &[
            "thoi gian bat dau ket thuc",
            "thoi gian bat dau va ket thuc",
            "thoi gian",
            "thoi gian tai lieu",
            "ngay thang bat dau ket thuc",
        ],
    ),
    (
        Field::StartDate,
        &["ngay bat dau", "thoi gian bat dau", "tu ngay", "ngay bd"],
    ),
    (
        Field::EndDate,
        &["ngay ket thuc", "thoi gian ket thuc", "den ngay", "ngay kt"],
    ),
    (Field::Sheets, &["so to", "so luong to", "so to trang"]),
    (
        Field::Retention,
        &["thbq", "thoi han bao quan", "thoi han luu tru", "thoi han"],
    ),
    (
        Field::Access,
        &[
            "che do su dung",
            "che do su dung tai lieu",
            "cdsd",
            "muc do tiep can",
            "che do tiep can",
        ],
    ),
    (Field::Notes, &["ghi chu"]),
];

impl Field {
    /// The stable snake_case name, as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BoxNumber => "box_number",
            Self::FileNumber => "file_number",
            Self::Notation => "notation",
            Self::Title => "title",
            Self::Dates => "dates",
            Self::StartDate => "start_date",
            Self::EndDate => "end_date",
            Self::Sheets => "sheets",
            Self::Retention => "retention",
            Self::Access => "access",
            Self::Notes => "notes",
        }
    }

    /// What the field is, in English, for messages: "file number and notation".
    pub fn label_en(self) -> &'static str {
        match self {
            Self::BoxNumber => "box number",
            Self::FileNumber => "file number",
            Self::Notation => "file number and notation",
            Self::Title => "file title",
            Self::Dates => "start and end dates",
            Self::StartDate => "start date",
            Self::EndDate => "end date",
            Self::Sheets => "sheet count",
            Self::Retention => "retention period",
            Self::Access => "access regime",
            Self::Notes => "notes",
        }
    }

    /// The usual Vietnamese header.
    pub fn header_vi(self) -> &'static str {
        match self {
            Self::BoxNumber => "Hộp số",
            Self::FileNumber => "Hồ sơ số",
            Self::Notation => "Số, ký hiệu hồ sơ",
            Self::Title => "Tiêu đề hồ sơ",
            Self::Dates => "Thời gian bắt đầu / kết thúc",
            Self::StartDate => "Ngày bắt đầu",
            Self::EndDate => "Ngày kết thúc",
            Self::Sheets => "Số tờ",
            Self::Retention => "Thời hạn bảo quản",
            Self::Access => "Chế độ sử dụng",
            Self::Notes => "Ghi chú",
        }
    }

    /// The field a header names, if any.
    pub fn of_header(header: &str) -> Option<Self> {
        let key = normalise(header);
        ALIASES
            .iter()
            .find(|(_, spellings)| spellings.contains(&key.as_str()))
            .map(|(field, _)| *field)
    }
}

/// Folds a header for matching: "Số, ký hiệu hồ sơ" becomes "so ky hieu ho so".
fn normalise(header: &str) -> String {
    let folded: String = fold_vietnamese(header)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One recognised column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    /// Its letter, as the spreadsheet shows it ("A", "AB").
    pub letter: String,
    /// Its header, as written.
    pub header: String,
    /// What it holds.
    pub field: Field,
}

/// The header: where it is and which column holds what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its row number.
    pub row: u32,
    /// The recognised columns.
    pub columns: Vec<Column>,
    /// Headers not recognised (their columns are not read).
    pub ignored: Vec<String>,
    index: Vec<(Field, usize)>,
}

impl Header {
    /// Recognises `row` as the header if it names a title column and at least two others.
    pub fn recognise(row: &Row) -> Option<Self> {
        let mut header = Self {
            row: row.number,
            columns: Vec::new(),
            ignored: Vec::new(),
            index: Vec::new(),
        };
        for (position, cell) in row.cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            match Field::of_header(text) {
                // The first column of a field wins; a repeat is left unread.
                Some(field) if header.column(field).is_none() => {
                    header.index.push((field, position));
                    header.columns.push(Column {
                        letter: column_letter(position),
                        header: text.clone(),
                        field,
                    });
                }
                _ => header.ignored.push(text.clone()),
            }
        }
        let enough = header.columns.len() >= 3 && header.column(Field::Title).is_some();
        enough.then_some(header)
    }

    /// The column index of a field, if present.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.index
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, position)| *position)
    }

    /// The header text of a field's column (its usual name when absent).
    pub fn header_of(&self, field: Field) -> &str {
        self.columns
            .iter()
            .find(|c| c.field == field)
            .map_or(field.header_vi(), |c| c.header.as_str())
    }

    /// Whether a row under the header is a line of text rather than a file: nothing under any
    /// recognised column and no number or date anywhere. Such are the group headings of a list
    /// ("Năm 2003") and the closing lines of a Mục lục ("Mục lục này gồm có: 1.500 hồ sơ",
    /// "Viết bằng chữ: …"), which the service's own XLSX writes below the rows. A row holding
    /// a number, such as a lone STT, is still read, so a row left unfilled is reported.
    pub fn is_text_line(&self, row: &Row) -> bool {
        let recognised_empty = self
            .index
            .iter()
            .all(|(_, column)| row.cell(*column).is_empty());
        let only_text = row
            .cells
            .iter()
            .all(|cell| matches!(cell, Cell::Empty | Cell::Text(_)));
        recognised_empty && only_text
    }

    /// Refuses a header without the columns a file record needs.
    pub fn require(&self) -> Result<(), ImportError> {
        let has = |field| self.column(field).is_some();
        let mut missing = Vec::new();
        if !has(Field::Notation) && !has(Field::FileNumber) {
            missing.push(Field::Notation.header_vi());
        }
        if !has(Field::Dates) {
            for field in [Field::StartDate, Field::EndDate] {
                if !has(field) {
                    missing.push(field.header_vi());
                }
            }
        }
        for field in [Field::Retention, Field::Access] {
            if !has(field) {
                missing.push(field.header_vi());
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(ImportError::MissingColumns {
            row: self.row,
            missing,
        })
    }
}

/// The letter of a column from its index: 0 is "A", 26 is "AA".
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_their_usual_spellings() {
        for (header, field) in [
            ("Hộp số", Field::BoxNumber),
            ("HỘP SỐ", Field::BoxNumber),
            ("Hồ sơ số", Field::FileNumber),
            ("Số, ký hiệu hồ sơ", Field::Notation),
            ("Ký hiệu hồ sơ", Field::Notation),
            ("Tiêu đề hồ sơ", Field::Title),
            ("Thời gian bắt đầu / kết thúc", Field::Dates),
            ("Ngày bắt đầu", Field::StartDate),
            ("Ngày kết thúc", Field::EndDate),
            ("THBQ", Field::Retention),
            ("Thời hạn bảo quản", Field::Retention),
            ("Số tờ", Field::Sheets),
            ("Chế độ sử dụng", Field::Access),
            ("Ghi chú", Field::Notes),
            ("ghi   chú:", Field::Notes),
        ] {
            assert_eq!(Field::of_header(header), Some(field), "{header}");
        }
        assert_eq!(Field::of_header("STT"), None);
    }

    #[test]
    fn the_header_needs_a_title_and_two_more_columns() {
        let row = |cells: &[&str]| Row {
            number: 5,
            cells: cells.iter().map(|c| Cell::Text((*c).to_owned())).collect(),
        };
        assert!(Header::recognise(&row(&["MỤC LỤC HỒ SƠ"])).is_none());
        assert!(Header::recognise(&row(&["Hộp số", "Số tờ", "Ghi chú"])).is_none());
        let header =
            Header::recognise(&row(&["STT", "Tiêu đề hồ sơ", "THBQ", "Số tờ"])).expect("a header");
        assert_eq!(header.column(Field::Title), Some(1));
        assert_eq!(header.ignored, ["STT"]);
        assert_eq!(header.columns[0].letter, "B");
        let missing = header.require().expect_err("lacks columns");
        assert_eq!(missing.code(), "missing_columns");
    }

    #[test]
    fn lines_of_text_under_the_header_are_not_files() {
        let header = Header::recognise(&Row {
            number: 8,
            cells: ["STT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "THBQ"]
                .map(|c| Cell::Text(c.into()))
                .to_vec(),
        })
        .expect("a header");
        let row = |cells: Vec<Cell>| Row { number: 9, cells };
        let text = |t: &str| Cell::Text(t.into());
        let closing = row(vec![text(
            "Mục lục này gồm có: 1.500 hồ sơ (đơn vị bảo quản).",
        )]);
        assert!(header.is_text_line(&closing));
        assert!(header.is_text_line(&row(vec![text("Năm 2003"), Cell::Empty])));
        assert!(!header.is_text_line(&row(vec![Cell::Number(17.0)])));
        assert!(!header.is_text_line(&row(vec![Cell::Empty, Cell::Empty, text("Hồ sơ")])));
    }

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}

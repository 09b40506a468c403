//! Problems in one row: where (row number as shown, column), what was there, a stable code and
//! the messages in Vietnamese and English.

use bangiao_domain::{DomainError, ValueError};

use super::header::{Field, Header, column_letter};
use super::table::Row;
use super::values::{CountProblem, DateProblem};

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it.
    pub row: u32,
    /// The column letter, when the problem is in one cell ("D").
    pub column: Option<String>,
    /// The column's header as written ("Tiêu đề hồ sơ"), when in one cell.
    pub header: Option<String>,
    /// The field (`title`, `start_date`, …), or `row` for the row as a whole.
    pub field: String,
    /// The value as the spreadsheet shows it.
    pub value: String,
    /// Stable machine code (see the module docs of `import`).
    pub code: String,
    /// Thông báo bằng tiếng Việt.
    pub message_vi: String,
    /// The message in English.
    pub message_en: String,
}

/// Builds the problems of one row, naming its cells through the header.
pub struct Problems<'a> {
    row: &'a Row,
    header: &'a Header,
    /// The problems found so far.
    pub found: Vec<RowProblem>,
}

impl<'a> Problems<'a> {
    /// No problem yet in `row`.
    pub fn new(row: &'a Row, header: &'a Header) -> Self {
        Self {
            row,
            header,
            found: Vec::new(),
        }
    }

    /// A problem in the cell of `field`.
    pub fn cell(&mut self, field: Field, code: &str, vi: String, en: String) {
        let column = self.header.column(field);
        let value = column.map(|c| self.row.cell(c).shown()).unwrap_or_default();
        self.found.push(RowProblem {
            row: self.row.number,
            column: column.map(column_letter),
            header: Some(self.header.header_of(field).to_owned()),
            field: field.as_str().to_owned(),
            value: visible(value),
            code: code.to_owned(),
            message_vi: visible(vi),
            message_en: visible(en),
        });
    }

    /// An empty cell where a value is needed.
    pub fn missing(&mut self, field: Field) {
        let name = self.header.header_of(field).to_owned();
        self.cell(
            field,
            "missing_value",
            format!("Thiếu {name}."),
            format!("Missing {} ({name}).", field.label_en()),
        );
    }

    /// A date that cannot be read.
    pub fn date(&mut self, field: Field, problem: DateProblem) {
        match problem {
            DateProblem::Missing => self.missing(field),
            DateProblem::Invalid => self.cell(
                field,
                "invalid_date",
                "Không đọc được ngày: cần dạng dd/mm/yyyy, mm/yyyy, yyyy hoặc yyyy-mm-dd.".into(),
                "Unreadable date: expected dd/mm/yyyy, mm/yyyy, yyyy or yyyy-mm-dd.".into(),
            ),
            DateProblem::Impossible => self.cell(
                field,
                "impossible_date",
                "Ngày không tồn tại trong lịch.".into(),
                "Impossible date: no such day in the calendar.".into(),
            ),
        }
    }

    /// A count (sheets, file number) that cannot be read.
    pub fn count(&mut self, field: Field, problem: CountProblem) {
        match (problem, field) {
            (CountProblem::Negative, Field::Sheets) => self.cell(
                field,
                "negative_sheet_count",
                "Số tờ không được âm.".into(),
                "Negative sheet count.".into(),
            ),
            (_, Field::Sheets) => self.cell(
                field,
                "invalid_sheet_count",
                "Số tờ phải là số nguyên, ví dụ 12 hoặc \"12 tờ\".".into(),
                "Invalid sheet count: expected a whole number such as 12 or \"12 tờ\".".into(),
            ),
            _ => self.cell(
                field,
                "invalid_file_number",
                "Hồ sơ số phải là số nguyên dương.".into(),
                "Invalid file number: expected a whole number above zero.".into(),
            ),
        }
    }

    /// A value the domain's value types refused.
    pub fn value(&mut self, field: Field, error: &ValueError) {
        let code = match field {
            Field::Retention => "unknown_retention",
            Field::Access => "unknown_access",
            Field::Notation => "invalid_notation",
            Field::BoxNumber => "invalid_box_number",
            _ => "invalid_value",
        };
        let (vi, en) = match field {
            Field::Retention => (
                "Thời hạn bảo quản không có trong danh mục (cần \"Vĩnh viễn\", \"VV\", \"70 năm\", \"10\"…): không tự suy đoán.",
                "Unknown retention period (expected \"Vĩnh viễn\", \"VV\", \"70 năm\", \"10\"…): never guessed.",
            ),
            Field::Access => (
                "Chế độ sử dụng không có trong danh mục (cần \"Công khai\", \"Hạn chế\", \"Mật\").",
                "Unknown access regime (expected \"Công khai\", \"Hạn chế\", \"Mật\").",
            ),
            _ => ("", ""),
        };
        if vi.is_empty() {
            let (vi, en) = self.value_messages(field, error);
            self.cell(field, code, vi, en);
        } else {
            self.cell(field, code, vi.into(), en.into());
        }
    }

    /// The domain's messages for a refused value, led by the column's header as the list
    /// writes it ("Số, ký hiệu hồ sơ: giá trị «12 TCCB» không đúng dạng: …") rather than by the
    /// value type's snake_case name ("Trường file_notation: …"), which means nothing to a clerk.
    fn value_messages(&self, field: Field, error: &ValueError) -> (String, String) {
        let header = self.header.header_of(field);
        let vi = error.message_vi();
        let vi_prefix = format!("Trường {}: ", error.field());
        let vi_problem = vi.strip_prefix(&vi_prefix).unwrap_or(&vi);
        let en = error.message_en();
        let en_prefix = format!("{}: ", error.field());
        let en_problem = en.strip_prefix(&en_prefix).unwrap_or(&en);
        (
            format!("{header}: {vi_problem}"),
            format!("{} ({header}): {en_problem}", capitalised(field.label_en())),
        )
    }

    /// A second row with the same file number or file code.
    pub fn duplicate(&mut self, field: Field, first_row: u32) {
        let (code, vi, en) = match field {
            Field::FileNumber => (
                "duplicate_file_number",
                format!("Hồ sơ số trùng với dòng {first_row}."),
                format!("Duplicate file number: row {first_row} has it too."),
            ),
            _ => (
                "duplicate_file_code",
                format!("Mã hồ sơ trùng với dòng {first_row}."),
                format!("Duplicate file code: row {first_row} has it too."),
            ),
        };
        self.cell(field, code, vi, en);
    }

    /// A refusal of the domain's rules against the fonds as it stands, on the cell it is
    /// about: the end date's for dates, the notation's (or file number's) for the code's prefix.
    pub fn domain(&mut self, error: &DomainError) {
        let cells: &[Field] = match error {
            DomainError::EndBeforeStart { .. } | DomainError::FileAfterClosure { .. } => {
                &[Field::EndDate, Field::Dates]
            }
            DomainError::DateTooEarly { field, .. } | DomainError::DateInFuture { field, .. } => {
                match *field {
                    "start_date" => &[Field::StartDate, Field::Dates],
                    _ => &[Field::EndDate, Field::Dates],
                }
            }
            DomainError::WrongFileCodePrefix { .. } => &[Field::Notation, Field::FileNumber],
            _ => &[],
        };
        let field = cells
            .iter()
            .copied()
            .find(|f| self.header.column(*f).is_some());
        match field {
            Some(field) => self.cell(field, error.code(), error.message_vi(), error.message_en()),
            None => self.row_wide(error.code(), error.message_vi(), error.message_en()),
        }
    }

    /// A problem of the row as a whole.
    pub fn row_wide(&mut self, code: &str, vi: String, en: String) {
        self.found.push(RowProblem {
            row: self.row.number,
            column: None,
            header: None,
            field: "row".into(),
            value: String::new(),
            code: code.to_owned(),
            message_vi: vi,
            message_en: en,
        });
    }
}

/// Text as a report shows it: the characters that change how text displays without being
/// seen (bidirectional controls such as U+202E, zero-width characters, the BOM) are written as
/// `<U+202E>`, so that a report shows what a cell holds instead of displaying it as the cell
/// would ("Hồ sơ exe.txt" for "Hồ sơ \u{202E}txt.exe").
fn visible(text: String) -> String {
    if !text.chars().any(unseen) {
        return text;
    }
    text.chars()
        .map(|c| {
            if unseen(c) {
                format!("<U+{:04X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether a character changes how text displays without showing itself.
fn unseen(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The text with a capital first letter.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn reports_show_the_characters_that_hide() {
        assert_eq!(
            visible("Hồ sơ \u{202E}txt.exe".into()),
            "Hồ sơ <U+202E>txt.exe"
        );
        assert_eq!(
            visible("a\u{200B}b\u{2066}c\u{FEFF}".into()),
            "a<U+200B>b<U+2066>c<U+FEFF>"
        );
        assert_eq!(visible("Hồ sơ\ndòng 2".into()), "Hồ sơ\ndòng 2");
    }
}

//! The spreadsheet as rows of cells, whatever the format: XLSX through calamine, CSV through
//! the csv crate (UTF-8 with or without BOM, or UTF-16 with a BOM as Excel's "Unicode text";
//! comma, semicolon or tab). Row numbers are those a spreadsheet program shows, from 1.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;

use super::error::ImportError;

/// The format of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// An Excel workbook (Office Open XML).
    Xlsx,
    /// Comma-, semicolon- or tab-separated text.
    Csv,
}

impl Format {
    /// Tells XLSX (a zip archive) from CSV by the first bytes; a hint (file name or media type)
    /// decides only when the bytes do not.
    pub fn detect(bytes: &[u8], hint: Option<&str>) -> Result<Self, ImportError> {
        if bytes.starts_with(b"PK\x03\x04") {
            return Ok(Self::Xlsx);
        }
        let hint = hint.unwrap_or_default().to_ascii_lowercase();
        let zip_hint = hint.ends_with(".xlsx") || hint.contains("spreadsheetml");
        if zip_hint || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
            // An old binary .xls, or a workbook that is not a zip: not something we read.
            return Err(ImportError::UnknownFormat);
        }
        if bytes.contains(&0) && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF")
        {
            return Err(ImportError::UnknownFormat);
        }
        Ok(Self::Csv)
    }
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number.
    Number(f64),
    /// A cell formatted as a date; `None` when its serial is not a real day (1900-02-29).
    Date(Option<NaiveDate>),
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The cell as the spreadsheet shows it, for reports.
    pub fn shown(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.clone(),
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Self::Number(n) => n.to_string(),
            Self::Date(Some(day)) => day.format("%d/%m/%Y").to_string(),
            Self::Date(None) => "29/02/1900".to_owned(),
        }
    }

    fn text(raw: &str) -> Self {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            Self::Empty
        } else {
            Self::Text(trimmed.to_owned())
        }
    }

    /// A CSV field: text, without the apostrophe that CSV exports (the service's own among
    /// them) put before a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return so
    /// that a spreadsheet shows it rather than runs it. A spreadsheet saving a CSV never writes
    /// that apostrophe itself, so where it stands before one of those it is the export's.
    fn csv_text(raw: &str) -> Self {
        match raw.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => Self::text(rest),
            _ => Self::text(raw),
        }
    }
}

/// One row: its number as shown (from 1) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Row number as a spreadsheet program shows it.
    pub number: u32,
    /// The cells, from column A.
    pub cells: Vec<Cell>,
}

impl Row {
    /// Whether every cell is empty (a blank separator row).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }

    /// The cell in column `index` (from 0), empty when the row is shorter.
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }
}

/// The rows of one sheet, read one at a time.
pub enum Rows {
    /// A worksheet already read by calamine.
    Xlsx {
        /// The used range.
        range: Range<Data>,
        /// The next row, relative to the range.
        next: usize,
        /// The sheet's name.
        sheet: String,
    },
    /// A CSV read lazily.
    Csv {
        /// The reader.
        reader: csv::Reader<Cursor<Arc<[u8]>>>,
        /// Rows passed so far (records and blank lines).
        read: u32,
        /// The text read, to count the blank lines the reader skips.
        text: Arc<[u8]>,
    },
}

impl Rows {
    /// The name of the worksheet read, for XLSX.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            Self::Xlsx { sheet, .. } => Some(sheet),
            Self::Csv { .. } => None,
        }
    }

    /// How many rows there are at most, for progress bars.
    pub fn total_hint(&self, bytes: &[u8]) -> u64 {
        match self {
            Self::Xlsx { range, .. } => range.height() as u64,
            Self::Csv { .. } => bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1,
        }
    }

    /// The next row, or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row>, ImportError> {
        match self {
            Self::Xlsx { range, next, .. } => Ok(xlsx_row(range, next)),
            Self::Csv { reader, read, text } => {
                let mut record = csv::StringRecord::new();
                let more = reader
                    .read_record(&mut record)
                    .map_err(|e| ImportError::Unreadable(format!("CSV: {e}")))?;
                if !more {
                    return Ok(None);
                }
                // The csv crate skips blank lines, which a spreadsheet shows as rows: count
                // the line breaks between where the record's parse began and its first byte.
                let from = record.position().map_or(0, csv::Position::byte);
                let from = usize::try_from(from).unwrap_or(usize::MAX);
                let blanks = text
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'\n' | b'\r'))
                    .filter(|b| **b == b'\n')
                    .count();
                *read += 1 + u32::try_from(blanks).unwrap_or(0);
                Ok(Some(Row {
                    number: *read,
                    cells: record.iter().map(Cell::csv_text).collect(),
                }))
            }
        }
    }
}

/// Opens the first worksheet of a workbook whose size was already checked.
pub fn open_xlsx(bytes: &[u8]) -> Result<Rows, ImportError> {
    let unreadable = |e: calamine::XlsxError| ImportError::Unreadable(format!("XLSX: {e}"));
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| ImportError::Unreadable("XLSX: the workbook has no sheet".into()))?;
    let range = workbook.worksheet_range(&sheet).map_err(unreadable)?;
    Ok(Rows::Xlsx {
        range,
        next: 0,
        sheet,
    })
}

fn xlsx_row(range: &Range<Data>, next: &mut usize) -> Option<Row> {
    let (first_row, first_col) = range.start()?;
    if *next >= range.height() {
        return None;
    }
    let number = first_row + u32::try_from(*next).unwrap_or(u32::MAX) + 1;
    let mut cells = vec![Cell::Empty; first_col as usize];
    // Indexing the range is O(1) per cell; `rows().nth` would walk from the top every time.
    cells.extend(
        (0..range.width()).map(|col| range.get((*next, col)).map_or(Cell::Empty, xlsx_cell)),
    );
    *next += 1;
    Some(Row { number, cells })
}

fn xlsx_cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::text(text),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(when) => {
            let (year, month, day, ..) = when.to_ymd_hms_milli();
            Cell::Date(NaiveDate::from_ymd_opt(
                i32::from(year),
                u32::from(month),
                u32::from(day),
            ))
        }
    }
}

/// The text of a CSV as UTF-8 without BOM, shared by the readers tried for each delimiter.
pub fn decode_csv(bytes: &[u8]) -> Result<Arc<[u8]>, ImportError> {
    utf8(bytes).map(Arc::from)
}

/// Reads decoded CSV text with one delimiter.
pub fn open_csv(text: Arc<[u8]>, delimiter: u8) -> Rows {
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(text.clone()));
    Rows::Csv {
        reader,
        read: 0,
        text,
    }
}

/// The delimiters tried, in order.
pub const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The bytes as UTF-8 without BOM: UTF-8 is taken as is, UTF-16 only with its BOM; anything
/// else is refused rather than guessed (a wrong guess would import garbled titles).
fn utf8(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return checked_utf8(rest, 3);
    }
    let utf16 = |rest: &[u8], little: bool| -> Result<Vec<u8>, ImportError> {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|pair| match (pair, little) {
                ([a, b], true) => u16::from_le_bytes([*a, *b]),
                ([a, b], false) => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFF,
            })
            .collect();
        String::from_utf16(&units)
            .map(String::into_bytes)
            .map_err(|_| ImportError::NotUtf8 { offset: 2 })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    checked_utf8(bytes, 0)
}

fn checked_utf8(bytes: &[u8], skipped: usize) -> Result<Vec<u8>, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(bytes.to_vec()),
        Err(e) => Err(ImportError::NotUtf8 {
            offset: skipped + e.valid_up_to(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_rows(text: &[u8]) -> Vec<Row> {
        let mut rows = open_csv(decode_csv(text).expect("decodes"), b',');
        let mut out = Vec::new();
        while let Some(row) = rows.next_row().expect("reads") {
            out.push(row);
        }
        out
    }

    #[test]
    fn csv_rows_are_numbered_from_one_and_trimmed() {
        let rows = csv_rows(b"\xEF\xBB\xBFa, b \n\n c ,\"d\ne\"\n");
        let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3], "the blank line is row 2");
        assert_eq!(
            rows[0].cells,
            [Cell::Text("a".into()), Cell::Text("b".into())]
        );
        assert_eq!(rows[1].cell(1), &Cell::Text("d\ne".into()));
        assert_eq!(rows[1].cell(5), &Cell::Empty);
    }

    #[test]
    fn the_apostrophe_of_a_neutralised_csv_cell_goes() {
        let rows = csv_rows(b"'=SUM(A1),'-5,'@x,'+1,'abc,l'=x\n");
        assert_eq!(
            rows[0].cells,
            ["=SUM(A1)", "-5", "@x", "+1", "'abc", "l'=x"]
                .map(|t| Cell::Text(t.into()))
                .to_vec()
        );
    }

    #[test]
    fn utf16_with_bom_is_read_and_other_encodings_refused() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Hộp số\tx".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(
            utf8(&bytes).expect("decodes"),
            "Hộp số\tx".as_bytes().to_vec()
        );
        // "Hộp" in Windows-1258 is not UTF-8: refused, never guessed.
        let refused = utf8(b"H\xF4p so").expect_err("refused");
        assert!(matches!(refused, ImportError::NotUtf8 { offset: 1 }));
    }

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(
            Format::detect(b"PK\x03\x04rest", None).ok(),
            Some(Format::Xlsx)
        );
        assert_eq!(
            Format::detect(b"a,b\n", Some("x.csv")).ok(),
            Some(Format::Csv)
        );
        assert!(Format::detect(b"\xD0\xCF\x11\xE0", None).is_err());
        assert!(Format::detect(b"a,b", Some("list.xlsx")).is_err());
    }

    #[test]
    fn cells_show_as_the_spreadsheet_does() {
        assert_eq!(Cell::Number(12.0).shown(), "12");
        assert_eq!(Cell::Number(-3.0).shown(), "-3");
        assert_eq!(Cell::Number(1.5).shown(), "1.5");
        let day = NaiveDate::from_ymd_opt(2003, 1, 2);
        assert_eq!(Cell::Date(day).shown(), "02/01/2003");
    }
}

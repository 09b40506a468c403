//! The inventory list (Mục lục hồ sơ) as CSV: UTF-8 with a BOM so Excel shows Vietnamese, cells
//! that a spreadsheet would run as formulas neutralised, dates as dd/mm/yyyy. Written in chunks,
//! so a list of any length streams in constant memory.

use std::io::Write;

use bangiao_projections::query::inventory::FileRow;

use super::ExportError;
use super::labels;
use super::rows::RowSource;

/// The header row: the row's place in this list (STT), the file's number in the list it came
/// from as that list wrote it (Hồ sơ số, blank when none), the columns in the order of the
/// official list, then who holds each file and where it
/// stands: in words as the web pages say it ("Đang bảo quản"), followed by every mark of the
/// file (missing, damaged, refused at a transfer, destroyed, on hold: see
/// [`labels::condition`]), and the custody status as its stable code (`in_custody`) for
/// programs. The importer passes over these last three columns.
pub const HEADER: [&str; 15] = [
    "STT",
    "Hồ sơ số",
    "Mã phông",
    "Số, ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Thời hạn bảo quản",
    "Chế độ sử dụng",
    "Hộp số",
    "Số tờ",
    "Ghi chú",
    "Đơn vị đang giữ",
    "Tình trạng",
    "Mã tình trạng",
];

/// Rows written per chunk when streaming.
pub const CHUNK_ROWS: usize = 512;

/// Writes rows into chunks of CSV bytes; the first chunk carries the BOM and the header.
pub struct MucLucWriter {
    writer: csv::Writer<Vec<u8>>,
    numbered: u64,
    in_chunk: usize,
}

impl Default for MucLucWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl MucLucWriter {
    /// A writer whose first chunk starts with the BOM and the header row.
    pub fn new() -> Self {
        let mut buffer = Vec::with_capacity(64 * 1024);
        buffer.extend_from_slice("\u{feff}".as_bytes());
        let mut writer = csv::Writer::from_writer(buffer);
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(HEADER);
        Self {
            writer,
            numbered: 0,
            in_chunk: 0,
        }
    }

    /// Adds one file.
    pub fn row(&mut self, row: &FileRow) {
        self.numbered += 1;
        self.in_chunk += 1;
        let record = [
            self.numbered.to_string(),
            row.list_number.map(|l| l.to_string()).unwrap_or_default(),
            safe(&row.fonds_code),
            safe(&row.file_code),
            safe(&row.title),
            labels::date(row.start_date),
            labels::date(row.end_date),
            labels::retention(row),
            labels::access(&row.access).to_owned(),
            safe(row.box_number.as_deref().unwrap_or("")),
            row.sheets.map(|s| s.to_string()).unwrap_or_default(),
            safe(row.notes.as_deref().unwrap_or("")),
            safe(&row.custodian),
            labels::condition(row),
            row.status.clone(),
        ];
        // Writing to a Vec cannot fail.
        let _ = self.writer.write_record(&record);
    }

    /// Rows written since the last chunk was taken.
    pub fn rows(&self) -> usize {
        self.in_chunk
    }

    /// Takes the bytes written so far.
    pub fn take(&mut self) -> Vec<u8> {
        self.in_chunk = 0;
        let fresh = csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
        match std::mem::replace(&mut self.writer, fresh).into_inner() {
            Ok(bytes) => bytes,
            // Flushing into a Vec cannot fail.
            Err(e) => e.into_inner().into_inner().unwrap_or_default(),
        }
    }
}

/// Writes the whole list to `out`, a chunk of [`CHUNK_ROWS`] rows at a time.
pub fn write(rows: &mut dyn RowSource, out: &mut dyn Write) -> Result<u64, ExportError> {
    let mut chunk = MucLucWriter::new();
    let mut count = 0;
    rows.each(&mut |row| {
        chunk.row(row);
        count += 1;
        if chunk.rows() >= CHUNK_ROWS {
            out.write_all(&chunk.take())?;
        }
        Ok(())
    })?;
    out.write_all(&chunk.take())?;
    out.flush()?;
    Ok(count)
}

/// A cell a spreadsheet would evaluate (= + - @, tab, carriage return) gets a leading apostrophe.
pub fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_text_kept() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("-5"), "'-5");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("+1"), "'+1");
        assert_eq!(safe("Hồ sơ"), "Hồ sơ");
        assert_eq!(safe(""), "");
    }

    #[test]
    fn the_first_chunk_has_bom_and_header() {
        let mut w = MucLucWriter::new();
        let text = String::from_utf8(w.take()).expect("utf-8");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("Tiêu đề hồ sơ"));
    }
}

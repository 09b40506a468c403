//! The inventory list (Mục lục hồ sơ) as CSV: UTF-8 with a BOM so Excel shows Vietnamese, cells
//! that a spreadsheet would run as formulas neutralised, dates as dd/mm/yyyy.

use bangiao_projections::query::inventory::FileRow;
use bytes::Bytes;

/// The header row, in the order of the official list.
pub const HEADER: [&str; 13] = [
    "STT",
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
];

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
        let retention = match row.retention_years {
            None => "Vĩnh viễn".to_owned(),
            Some(years) => format!("{years} năm"),
        };
        let access = match row.access.as_str() {
            "01" => "Công khai",
            "02" => "Hạn chế",
            "03" => "Mật",
            other => other,
        };
        let record = [
            self.numbered.to_string(),
            safe(&row.fonds_code),
            safe(&row.file_code),
            safe(&row.title),
            row.start_date.format("%d/%m/%Y").to_string(),
            row.end_date.format("%d/%m/%Y").to_string(),
            retention,
            access.to_owned(),
            safe(row.box_number.as_deref().unwrap_or("")),
            row.sheets.map(|s| s.to_string()).unwrap_or_default(),
            safe(row.notes.as_deref().unwrap_or("")),
            safe(&row.custodian),
            row.status.clone(),
        ];
        let _ = self.writer.write_record(&record);
    }

    /// Rows written since the last chunk was taken.
    pub fn rows(&self) -> usize {
        self.in_chunk
    }

    /// Takes the bytes written so far.
    pub fn take(&mut self) -> Bytes {
        self.in_chunk = 0;
        let fresh = csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
        match std::mem::replace(&mut self.writer, fresh).into_inner() {
            Ok(bytes) => Bytes::from(bytes),
            // Flushing into a Vec cannot fail.
            Err(e) => Bytes::from(e.into_inner().into_inner().unwrap_or_default()),
        }
    }
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
        assert_eq!(safe("Hồ sơ"), "Hồ sơ");
        assert_eq!(safe(""), "");
    }

    #[test]
    fn the_first_chunk_has_bom_and_header() {
        let mut w = MucLucWriter::new();
        let text = String::from_utf8(w.take().to_vec()).expect("utf-8");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("Tiêu đề hồ sơ"));
    }
}

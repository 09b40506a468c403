//! What the documents print for codes and dates, and the columns of the Mục lục hồ sơ.
//!
//! The columns follow Decree 30/2020 Annex V (No. / file number and notation / title / date
//! range / retention / sheets / notes) with the box number and the access regime the offices'
//! own lists carry; a unit's list (several fonds) adds the fonds code. The headers use the
//! spellings offices use, so an exported list imports back.

use bangiao_projections::query::inventory::FileRow;
use chrono::NaiveDate;

/// Thời hạn bảo quản as printed: "Vĩnh viễn" or "70 năm".
pub fn retention(row: &FileRow) -> String {
    if row.retention == "01" {
        return "Vĩnh viễn".to_owned();
    }
    match row.retention_years {
        Some(years) => format!("{years} năm"),
        None => row.retention.clone(),
    }
}

/// Chế độ sử dụng as printed.
pub fn access(code: &str) -> &str {
    match code {
        "01" => "Công khai",
        "02" => "Hạn chế",
        "03" => "Mật",
        other => other,
    }
}

/// A custody status as printed, in the words of the web pages (`status_*` of
/// `crates/web/i18n/vi.toml`; a test keeps the two the same).
pub fn status(code: &str) -> &str {
    match code {
        "in_custody" => "Đang bảo quản",
        "in_handover" => "Đang giao nhận",
        "in_transfer" => "Đang nộp lưu",
        "in_destruction" => "Đang chờ hủy",
        "transferred" => "Đã nộp lưu",
        "destroyed" => "Đã hủy",
        "missing" => "Thất lạc",
        other => other,
    }
}

/// Why a hold was placed, as printed.
pub fn hold_reason(code: &str) -> &str {
    match code {
        "inspection" => "thanh tra, kiểm tra",
        "dispute" => "tranh chấp, khiếu nại",
        other => other,
    }
}

/// What a reader of the list must know of a file beyond its description, in words, one mark
/// each: missing, destroyed, damaged (with what is damaged), refused at a transfer (with the day
/// and the archive's reason), on hold (with the reason, the order and the day). None for a
/// file in its normal state.
pub fn marks(row: &FileRow) -> Vec<String> {
    let mut marks = Vec::new();
    if matches!(row.status.as_str(), "missing" | "destroyed") {
        marks.push(status(&row.status).to_owned());
    }
    if let Some(damaged) = &row.damaged {
        marks.push(format!("Hư hỏng: {damaged}"));
    }
    if let Some(rejected) = &row.rejected {
        marks.push(format!(
            "Bị từ chối khi nộp lưu ngày {}: {}",
            date(rejected.on),
            rejected.reason
        ));
    }
    for hold in &row.holds {
        marks.push(format!(
            "Đang bị phong tỏa ({}) theo văn bản số {} từ ngày {}",
            hold_reason(&hold.reason),
            hold.basis,
            date(hold.placed_on)
        ));
    }
    marks
}

/// Tình trạng, as the spreadsheets write it: the custody status in words, then every mark
/// ("Đang bảo quản; Hư hỏng: …"), so a damaged or refused file never reads as merely held.
pub fn condition(row: &FileRow) -> String {
    let words = status(&row.status);
    let mut parts = vec![words.to_owned()];
    parts.extend(marks(row).into_iter().filter(|m| m != words));
    parts.join("; ")
}

/// Ghi chú as the printed lists write it: the list's own note, then every mark on its own line
/// (the Biên bản sends its reader to this column for damaged files).
pub fn remarks(row: &FileRow) -> String {
    let mut lines: Vec<String> = row.notes.iter().cloned().collect();
    lines.extend(marks(row));
    lines.join("\n")
}

/// A date as Vietnamese documents write it: 02/01/2003.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// "ngày 02 tháng 01 năm 2003", as the minutes write their date.
pub fn date_long(day: NaiveDate) -> String {
    day.format("ngày %d tháng %m năm %Y").to_string()
}

/// A date range: "02/01/2003 – 25/05/2003", or one date when both ends are the same day.
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        date(start)
    } else {
        format!("{} – {}", date(start), date(end))
    }
}

/// A year range: "2003 – 2025", or one year.
pub fn year_range(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start.year() == end.year() {
        start.year().to_string()
    } else {
        format!("{} – {}", start.year(), end.year())
    }
}

/// Linear metres with a decimal comma, from millimetres: 1250 → "1,25".
pub fn metres(mm: u64) -> String {
    let whole = mm / 1000;
    let rest = mm % 1000;
    if rest == 0 {
        return whole.to_string();
    }
    let decimals = format!("{rest:03}");
    format!("{whole},{}", decimals.trim_end_matches('0'))
}

/// One column of the Mục lục.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Số thứ tự: the row's place in this list.
    Number,
    /// Hồ sơ số: the file's number in the list it came from, as that list wrote it (blank when
    /// it came from no list); never renumbered.
    ListNumber,
    /// Mã phông (only in a unit's list).
    Fonds,
    /// Hộp số.
    Box,
    /// Số, ký hiệu hồ sơ.
    FileCode,
    /// Tiêu đề hồ sơ.
    Title,
    /// Ngày bắt đầu.
    StartDate,
    /// Ngày kết thúc.
    EndDate,
    /// Thời hạn bảo quản.
    Retention,
    /// Chế độ sử dụng.
    Access,
    /// Số tờ.
    Sheets,
    /// Ghi chú: the list's own note only (spreadsheets, which import back).
    Notes,
    /// Ghi chú: the list's own note and the file's marks (printed lists).
    Remarks,
    /// Tình trạng: the custody status and the file's marks (spreadsheets).
    Condition,
}

impl Column {
    /// The header as printed.
    pub fn header(self) -> &'static str {
        match self {
            Self::Number => "STT",
            Self::ListNumber => "Hồ sơ số",
            Self::Fonds => "Mã phông",
            Self::Box => "Hộp số",
            Self::FileCode => "Số, ký hiệu hồ sơ",
            Self::Title => "Tiêu đề hồ sơ",
            Self::StartDate => "Ngày bắt đầu",
            Self::EndDate => "Ngày kết thúc",
            Self::Retention => "Thời hạn bảo quản",
            Self::Access => "Chế độ sử dụng",
            Self::Sheets => "Số tờ",
            Self::Notes | Self::Remarks => "Ghi chú",
            Self::Condition => "Tình trạng",
        }
    }

    /// The cell as text, for row number `n` (from 1).
    pub fn text(self, n: u64, row: &FileRow) -> String {
        match self {
            Self::Number => n.to_string(),
            Self::ListNumber => row.list_number.map(|l| l.to_string()).unwrap_or_default(),
            Self::Fonds => row.fonds_code.clone(),
            Self::Box => row.box_number.clone().unwrap_or_default(),
            Self::FileCode => row.file_code.clone(),
            Self::Title => row.title.clone(),
            Self::StartDate => date(row.start_date),
            Self::EndDate => date(row.end_date),
            Self::Retention => retention(row),
            Self::Access => access(&row.access).to_owned(),
            Self::Sheets => row.sheets.map(|s| s.to_string()).unwrap_or_default(),
            Self::Notes => row.notes.clone().unwrap_or_default(),
            Self::Remarks => remarks(row),
            Self::Condition => condition(row),
        }
    }
}

/// The columns of a printed list (HTML, PDF); `with_fonds` for a unit's list, which spans
/// several fonds. Ghi chú carries the file's marks.
pub fn columns(with_fonds: bool) -> Vec<Column> {
    let mut columns = common_columns(with_fonds);
    columns.push(Column::Remarks);
    columns
}

/// The columns of a spreadsheet list (XLSX): Ghi chú as the list wrote it, so the sheet imports
/// back unchanged, and the marks in Tình trạng after it, which the importer passes over.
pub fn spreadsheet_columns(with_fonds: bool) -> Vec<Column> {
    let mut columns = common_columns(with_fonds);
    columns.extend([Column::Notes, Column::Condition]);
    columns
}

fn common_columns(with_fonds: bool) -> Vec<Column> {
    let mut columns = vec![Column::Number, Column::ListNumber];
    if with_fonds {
        columns.push(Column::Fonds);
    }
    columns.extend([
        Column::Box,
        Column::FileCode,
        Column::Title,
        Column::StartDate,
        Column::EndDate,
        Column::Retention,
        Column::Access,
        Column::Sheets,
    ]);
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metres_use_a_decimal_comma() {
        assert_eq!(metres(0), "0");
        assert_eq!(metres(1000), "1");
        assert_eq!(metres(1250), "1,25");
        assert_eq!(metres(125), "0,125");
        assert_eq!(metres(12_500), "12,5");
    }

    #[test]
    fn statuses_read_as_the_web_pages_say_them() {
        let catalogue = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/i18n/vi.toml"),
        )
        .expect("the web pages' Vietnamese catalogue");
        let mut statuses = 0;
        for line in catalogue.lines() {
            let Some((key, value)) = line.split_once(" = ") else {
                continue;
            };
            let Some(code) = key.trim().strip_prefix("status_") else {
                continue;
            };
            statuses += 1;
            assert_eq!(status(code), value.trim().trim_matches('"'), "{code}");
        }
        assert_eq!(statuses, 7, "every custody status has its words");
    }

    fn row(status: &str) -> FileRow {
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).expect("date");
        FileRow {
            seq: 1,
            list_number: None,
            fonds_code: "066-UB".into(),
            file_code: "000.00.66.H06.2003.01".into(),
            title: "Hồ sơ".into(),
            start_date: day(1, 2),
            end_date: day(5, 25),
            retention: "01".into(),
            retention_years: None,
            access: "01".into(),
            carrier: "paper".into(),
            box_number: None,
            sheets: None,
            language: "Tiếng Việt".into(),
            notes: None,
            custodian: "UBND-066".into(),
            status: status.into(),
            unfinished: None,
            damaged: None,
            sha256: None,
            rejected: None,
            holds: Vec::new(),
        }
    }

    #[test]
    fn a_file_in_its_normal_state_has_no_mark() {
        let plain = row("in_custody");
        assert!(marks(&plain).is_empty());
        assert_eq!(condition(&plain), "Đang bảo quản");
        assert_eq!(remarks(&plain), "");
        let noted = FileRow {
            notes: Some("Có bản đồ".into()),
            ..plain
        };
        assert_eq!(remarks(&noted), "Có bản đồ");
    }

    #[test]
    fn every_mark_reads_in_words_in_the_condition_and_in_the_notes() {
        use bangiao_projections::query::inventory::{HoldMark, Rejection};
        let destroyed = row("destroyed");
        assert_eq!(marks(&destroyed), ["Đã hủy"]);
        assert_eq!(condition(&destroyed), "Đã hủy");
        assert_eq!(condition(&row("missing")), "Thất lạc");
        let marked = FileRow {
            notes: Some("Có bản đồ".into()),
            damaged: Some("Rách bìa".into()),
            rejected: Some(Rejection {
                on: NaiveDate::from_ymd_opt(2024, 5, 20).expect("date"),
                reason: "Thiếu mục lục văn bản".into(),
            }),
            holds: vec![HoldMark {
                reason: "dispute".into(),
                basis: "12/QĐ-TTr".into(),
                placed_on: NaiveDate::from_ymd_opt(2025, 8, 25).expect("date"),
            }],
            ..row("in_custody")
        };
        let words = [
            "Hư hỏng: Rách bìa",
            "Bị từ chối khi nộp lưu ngày 20/05/2024: Thiếu mục lục văn bản",
            "Đang bị phong tỏa (tranh chấp, khiếu nại) theo văn bản số 12/QĐ-TTr từ ngày 25/08/2025",
        ];
        assert_eq!(marks(&marked), words);
        assert_eq!(
            condition(&marked),
            format!("Đang bảo quản; {}", words.join("; "))
        );
        assert_eq!(remarks(&marked), format!("Có bản đồ\n{}", words.join("\n")));
        assert_eq!(Column::Notes.text(1, &marked), "Có bản đồ");
        assert_eq!(Column::Remarks.header(), Column::Notes.header());
    }

    #[test]
    fn dates_print_day_first() {
        let d = NaiveDate::from_ymd_opt(2003, 1, 2).expect("date");
        let e = NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
        assert_eq!(date(d), "02/01/2003");
        assert_eq!(date_long(e), "ngày 30 tháng 06 năm 2025");
        assert_eq!(date_range(d, e), "02/01/2003 – 30/06/2025");
        assert_eq!(date_range(d, d), "02/01/2003");
        assert_eq!(year_range(d, e), "2003 – 2025");
    }
}

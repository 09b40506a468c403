//! Property tests (proptest) of the spreadsheet importer and the cell parsers behind it (dates,
//! retention, access, sheet counts, file numbers): any upload is taken or refused — never a
//! panic; every row read is either valid, already present, or reported with its problems; what
//! is applied is recorded once, and applying the same list again records nothing more.
//! `PROPTEST_CASES` sets the cases per property.

use bangiao_documents::import::harness::Harness;
use proptest::prelude::*;

const HEADER: &str = "Hộp số,Hồ sơ số,Ký hiệu hồ sơ,Tiêu đề hồ sơ,Ngày bắt đầu,Ngày kết thúc,Số tờ,Thời hạn bảo quản,Chế độ sử dụng,Ghi chú";

/// What clerks put in a cell: well-formed values, near misses, and anything at all.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9]{1,3}",
        2 => "[0-3]?[0-9][/.-][01]?[0-9][/.-](19|20)[0-9]{2}",
        1 => "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]",
        1 => "(0?[1-9]|1[0-2])/(19|20)[0-9]{2}",
        1 => "(19|20)[0-9]{2}",
        2 => "(Vĩnh viễn|VV|70 năm|10 năm|5 năm|05|06|Công khai|Hạn chế|Mật|01|02|03|12 tờ)",
        2 => "[A-Za-zĐđàáảãạâấầơớờưứừêếềôốồ ]{1,30}",
        1 => any::<String>().prop_map(|s| s.chars().take(40).collect()),
        1 => Just(String::new()),
    ]
}

fn quoted(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

/// A row as a careful clerk writes it (row `i` of the list), its title and terms varying.
fn careful_row(i: usize, title: &str, retention: &str, access: &str) -> Vec<String> {
    let n = i + 1;
    [
        (i / 5 + 1).to_string(),
        n.to_string(),
        format!("{n}.2010"),
        format!("Hồ sơ {title}"),
        "05/01/2010".into(),
        "20/12/2010".into(),
        "12 tờ".into(),
        retention.into(),
        access.into(),
        String::new(),
    ]
    .into()
}

/// A CSV inventory list: the header, then rows of ten cells, some careful, some anything.
fn inventory_csv() -> impl Strategy<Value = (String, usize)> {
    let row = prop_oneof![
        prop::collection::vec(cell(), 10).prop_map(Err),
        (
            "[A-Za-zđêôơư ]{1,20}",
            "(Vĩnh viễn|70 năm|10 năm|5 năm|05)",
            "(Công khai|Hạn chế|01|02)"
        )
            .prop_map(Ok),
    ];
    prop::collection::vec(row, 0..25).prop_map(|rows| {
        let mut text = format!("{HEADER}\n");
        for (i, row) in rows.iter().enumerate() {
            let cells = match row {
                Ok((title, retention, access)) => careful_row(i, title, retention, access),
                Err(cells) => cells.clone(),
            };
            let cells: Vec<String> = cells.iter().map(|c| quoted(c)).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        (text, rows.len())
    })
}

fn harness() -> &'static Harness {
    static HARNESS: std::sync::OnceLock<Harness> = std::sync::OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

proptest! {
    #[test]
    fn any_bytes_are_taken_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = harness().import(&bytes, false);
    }

    #[test]
    fn any_text_under_the_header_is_taken_or_refused(body in any::<String>()) {
        let _ = harness().import(format!("{HEADER}\n{body}").as_bytes(), false);
    }

    #[test]
    fn every_row_is_valid_present_or_reported((csv, rows) in inventory_csv()) {
        let report = harness().import(csv.as_bytes(), false).expect("a CSV with a header is read");
        prop_assert!(report.rows_read <= rows as u64);
        prop_assert_eq!(
            report.rows_valid + report.rows_present + report.rows_with_problems,
            report.rows_read
        );
        prop_assert_eq!(report.rows_with_problems == 0, report.problems.is_empty());
        for problem in &report.problems {
            prop_assert!(!problem.message_vi.is_empty() && !problem.message_en.is_empty());
        }
    }

    #[test]
    fn applying_twice_records_each_valid_row_once((csv, _) in inventory_csv()) {
        let fresh = Harness::new();
        let first = fresh.import(csv.as_bytes(), true).expect("read");
        prop_assert_eq!(first.files_recorded, first.rows_valid);
        let second = fresh.import(csv.as_bytes(), true).expect("read again");
        prop_assert_eq!(second.files_recorded, 0);
        prop_assert_eq!(second.rows_present, first.files_recorded);
    }
}

#[test]
fn careful_rows_are_valid() {
    let fresh = Harness::new();
    let mut text = format!("{HEADER}\n");
    for i in 0..3 {
        let row: Vec<String> = careful_row(i, "đất đai", "Vĩnh viễn", "Công khai")
            .iter()
            .map(|c| quoted(c))
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let report = fresh.import(text.as_bytes(), true).expect("read");
    assert_eq!(
        (report.rows_valid, report.files_recorded),
        (3, 3),
        "{:?}",
        report.problems
    );
}

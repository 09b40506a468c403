//! What an import report says, through the real importer: refused values named by their
//! column as the list writes it, boxes said to hold more sheets than a box can warned of
//! (never refused), and text that would display otherwise than it reads refused on its cell.

mod import_setup;

use bangiao_app::Service;
use bangiao_documents::import::{
    Format, ImportOptions, ImportReport, SHEETS_PER_BOX, import_inventory,
};
use bangiao_domain::values::FondsCode;
use bangiao_store::{EventStore, MemoryStore};

use import_setup::{fonds, register_units};

/// The commune fonds of the samples, open: its codes start with its organ id.
const FONDS: &str = "06601-UB";

const HEADER: &str = "STT;Hộp số;Số, ký hiệu hồ sơ;Tiêu đề hồ sơ;Ngày bắt đầu;Ngày kết thúc;THBQ;Chế độ sử dụng;Số tờ\n";

async fn service() -> Service<MemoryStore> {
    let service = Service::new(MemoryStore::new());
    register_units(&service).await;
    fonds(&service, &[FONDS]).await;
    service
}

async fn import(
    service: &Service<MemoryStore>,
    rows: &str,
    options: &ImportOptions,
) -> ImportReport {
    let bytes = format!("{HEADER}{rows}");
    import_inventory(
        service,
        &FondsCode::parse(FONDS).expect("valid"),
        bytes.as_bytes(),
        Format::Csv,
        options,
        &mut |_| {},
    )
    .await
    .expect("the file is taken")
}

fn dry_run() -> ImportOptions {
    ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    }
}

#[tokio::test]
async fn refused_values_are_named_by_their_column_not_by_a_field_name() {
    let service = service().await;
    let long_title = "Hồ sơ ".repeat(100);
    let rows = format!(
        "1;1;12 TCCB;Hồ sơ tổ chức cán bộ;02/01/2003;25/05/2003;VV;Công khai;12\n\
         2;1 2;13;Hồ sơ thi đua;02/01/2003;25/05/2003;VV;Công khai;12\n\
         3;1;14;{long_title};02/01/2003;25/05/2003;VV;Công khai;12\n"
    );
    let report = import(&service, &rows, &dry_run()).await;
    let found: Vec<(u32, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str(), p.header.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        [
            (2, "notation", "Số, ký hiệu hồ sơ"),
            (3, "box_number", "Hộp số"),
            (4, "title", "Tiêu đề hồ sơ"),
        ]
    );
    for (problem, label_en) in
        report
            .problems
            .iter()
            .zip(["File number and notation", "Box number", "File title"])
    {
        let header = problem.header.as_deref().unwrap_or("");
        for message in [&problem.message_vi, &problem.message_en] {
            for name in ["file_notation", "box_number", "file_code", "Trường title"] {
                assert!(!message.contains(name), "{name} in {message}");
            }
        }
        assert!(
            problem
                .message_vi
                .starts_with(&format!("{header}: giá trị «")),
            "{}",
            problem.message_vi
        );
        assert!(
            problem
                .message_en
                .starts_with(&format!("{label_en} ({header}): value ")),
            "{}",
            problem.message_en
        );
    }
    assert!(report.problems[0].message_vi.contains("không có dấu chấm"));
    assert!(report.problems[2].message_en.contains("longer than 500"));
}

#[tokio::test]
async fn a_box_holding_more_sheets_than_a_box_can_is_warned_of_and_still_applied() {
    let service = service().await;
    // Box 1: 600 + 500 sheets, over; box 2: 900 + 100, exactly what a box holds.
    let rows = "1;1;01.2003;Hồ sơ tổ chức cán bộ;02/01/2003;25/05/2003;VV;Công khai;600\n\
                2;2;02.2003;Hồ sơ thi đua khen thưởng;02/01/2003;25/05/2003;VV;Công khai;900\n\
                3;1;03.2003;Hồ sơ ngân sách;02/01/2003;25/05/2003;VV;Công khai;500\n\
                4;2;04.2003;Hồ sơ xây dựng cơ bản;02/01/2003;25/05/2003;VV;Công khai;100\n";
    assert_eq!(SHEETS_PER_BOX, 1_000);
    let checked = import(&service, rows, &dry_run()).await;
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    assert_eq!(checked.warnings.len(), 1, "{:?}", checked.warnings);
    let warning = &checked.warnings[0];
    assert_eq!(
        (
            warning.code.as_str(),
            warning.box_number.as_str(),
            warning.sheets,
            warning.limit,
            warning.rows.as_slice()
        ),
        ("box_over_capacity", "1", 1_100, 1_000, [2, 4].as_slice())
    );
    assert!(
        warning.message_vi.contains("Hộp 1 có 1.100 tờ") && warning.message_vi.contains("1.000 tờ"),
        "{}",
        warning.message_vi
    );
    assert!(
        warning.message_en.contains("Box 1 holds 1,100 sheets")
            && warning.message_en.contains("1,000 A4 sheets"),
        "{}",
        warning.message_en
    );
    let head = service.store().head_position();
    assert_eq!(checked.files_recorded, 0);

    // All or nothing, and the warning blocks nothing.
    let applied = import(&service, rows, &ImportOptions::default()).await;
    assert!(!applied.blocked);
    assert_eq!(applied.files_recorded, 4);
    assert_eq!(applied.warnings, checked.warnings);
    assert!(service.store().head_position() > head);
}

#[tokio::test]
async fn a_refused_value_with_hidden_characters_is_reported_as_it_is_not_as_it_displays() {
    let service = service().await;
    let rows = "1;1;12\u{202E}TCCB;Hồ sơ tổ chức cán bộ;02/01/2003;25/05/2003;VV;Công khai;12\n";
    let report = import(&service, rows, &dry_run()).await;
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(
        (
            problem.row,
            problem.column.as_deref(),
            problem.value.as_str()
        ),
        (2, Some("C"), "12<U+202E>TCCB")
    );
    for message in [&problem.message_vi, &problem.message_en] {
        assert!(!message.contains('\u{202E}'), "{message}");
    }
    assert!(
        problem.message_vi.contains("«12<U+202E>TCCB»"),
        "{}",
        problem.message_vi
    );
}

#[tokio::test]
async fn a_title_that_displays_otherwise_than_it_reads_is_refused_on_its_cell() {
    let service = service().await;
    let rows = "1;1;01.2003;Hồ sơ tổ chức cán bộ;02/01/2003;25/05/2003;VV;Công khai;12\n\
                2;1;02.2003;Hồ sơ \u{202E}txt.exe;02/01/2003;25/05/2003;VV;Công khai;12\n";
    let report = import(&service, rows, &dry_run()).await;
    assert_eq!(report.rows_valid, 1, "{:?}", report.problems);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(
        (
            problem.row,
            problem.column.as_deref(),
            problem.header.as_deref(),
            problem.field.as_str(),
            problem.value.as_str()
        ),
        (
            3,
            Some("D"),
            Some("Tiêu đề hồ sơ"),
            "title",
            "Hồ sơ <U+202E>txt.exe"
        )
    );
    let head = service.store().head_position();
    let applied = import(&service, rows, &ImportOptions::default()).await;
    assert!(applied.blocked, "the row is refused, so nothing is written");
    assert_eq!(service.store().head_position(), head);
}

#[tokio::test]
async fn the_problems_csv_has_vietnamese_headers_and_keeps_negative_numbers_numbers() {
    let service = service().await;
    let rows = "1;1;01.2003;Hồ sơ tổ chức cán bộ;02/01/2003;25/05/2003;VV;Công khai;-5\n\
                2;1;=1+2;Hồ sơ thi đua;02/01/2003;25/05/2003;VV;Công khai;12\n\
                3;1;03.2003;Hồ sơ ngân sách;02/01/2003;25/05/2003;VV;Công khai;-0.5\n";
    let report = import(&service, rows, &dry_run()).await;
    assert_eq!(report.problems.len(), 3, "{:?}", report.problems);
    let mut out = Vec::new();
    report.write_csv(&mut out).expect("written");
    assert!(
        out.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for Excel"
    );
    let mut reader = csv::Reader::from_reader(&out[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "Dòng",
            "Cột",
            "Tiêu đề cột",
            "Trường",
            "Giá trị",
            "Mã lỗi",
            "Thông báo",
            "Thông báo (tiếng Anh)"
        ]
    );
    assert_eq!(header, bangiao_documents::import::REPORT_HEADER);
    let lines: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (r[0].to_owned(), r[2].to_owned(), r[4].to_owned())
        })
        .collect();
    let line = |row: &str| {
        lines
            .iter()
            .find(|(r, _, _)| r == row)
            .unwrap_or_else(|| panic!("row {row} in {lines:?}"))
    };
    // A negative count is written as the number it is, which a spreadsheet reads as a number;
    // a value a spreadsheet would run as a formula is still neutralised.
    assert_eq!(line("2").1, "Số tờ");
    assert_eq!(line("2").2, "-5");
    assert_eq!(line("4").2, "-0.5");
    assert_eq!(line("3").1, "Số, ký hiệu hồ sơ");
    assert_eq!(line("3").2, "'=1+2");
}

//! What an import report says, through the real importer: refused values named by their
//! column as the list writes it.

mod import_setup;

use bangiao_app::Service;
use bangiao_documents::import::{Format, ImportOptions, ImportReport, import_inventory};
use bangiao_domain::values::FondsCode;
use bangiao_store::MemoryStore;

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

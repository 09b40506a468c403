//! What an import refuses as a whole (zip bombs, size and row limits, unreadable text, a
//! missing header), the CSV spellings it accepts, and an interrupted apply completed by
//! importing the same file again, with nothing recorded twice.

mod import_setup;

use std::io::Write;

use bangiao_app::Service;
use bangiao_documents::import::{
    Format, ImportError, ImportLimits, ImportOptions, ImportReport, import_inventory,
};
use bangiao_domain::values::{FileCode, FondsCode};
use bangiao_store::failing::FailAfter;
use bangiao_store::{EventStore, MemoryStore};

use import_setup::{day, fonds, pac_nam, register_units, sample};

fn code(text: &str) -> FondsCode {
    FondsCode::parse(text).expect("valid")
}

async fn try_import<S: EventStore + Clone>(
    service: &Service<S>,
    fonds: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let format = Format::detect(bytes, None)?;
    import_inventory(service, &code(fonds), bytes, format, options, &mut |_| {}).await
}

/// A zip whose one worksheet is `size` bytes of zeros: a few kilobytes on disk.
fn zip_bomb(size: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(size > u32::MAX as usize);
    zip.start_file("[Content_Types].xml", options)
        .expect("entry");
    zip.write_all(b"<Types/>").expect("writes");
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("entry");
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).expect("writes");
    }
    zip.finish().expect("finishes");
    out.into_inner()
}

#[tokio::test]
async fn a_zip_bomb_is_refused_before_anything_inflates_it() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let head = service.store().head_position();
    let bomb = zip_bomb(256 << 20);
    assert!(bomb.len() < 1 << 20, "{} bytes on disk", bomb.len());
    let refused = try_import(&service, "066-UB", &bomb, &ImportOptions::default())
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), "zip_bomb", "{refused}");
    assert!(refused.message_vi().contains("bom nén"));

    // Under a total limit, a workbook that compresses normally is refused too.
    let tight = ImportOptions {
        limits: ImportLimits {
            max_uncompressed_bytes: 64 * 1024,
            ..ImportLimits::default()
        },
        ..ImportOptions::default()
    };
    let real = sample("muc-luc-066-UB.xlsx");
    let refused = try_import(&service, "066-UB", &real, &tight)
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), "zip_bomb");
    assert_eq!(
        service.store().head_position(),
        head,
        "nothing else happened"
    );
}

#[tokio::test]
async fn size_and_row_limits_refuse_the_whole_file() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let bytes = sample("muc-luc-066-D01.xlsx");
    let small = |limits: ImportLimits| ImportOptions {
        limits,
        ..ImportOptions::default()
    };
    let too_big = small(ImportLimits {
        max_file_bytes: 1000,
        ..ImportLimits::default()
    });
    let error = try_import(&service, "066-D01", &bytes, &too_big)
        .await
        .expect_err("refused");
    assert_eq!(error.code(), "file_too_large");
    let too_long = small(ImportLimits {
        max_rows: 100,
        ..ImportLimits::default()
    });
    let error = try_import(&service, "066-D01", &bytes, &too_long)
        .await
        .expect_err("refused");
    assert_eq!(error.code(), "too_many_rows");
    let state = service
        .fonds_state(&code("066-D01"))
        .await
        .expect("loads")
        .0;
    assert_eq!(state.file_count(), 0);
}

#[tokio::test]
async fn unreadable_files_and_missing_columns_are_refused_with_a_code() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let options = ImportOptions::default();
    let refusal = |bytes: &'static [u8]| {
        let service = &service;
        let options = &options;
        async move {
            try_import(service, "066-UB", bytes, options)
                .await
                .expect_err("refused")
                .code()
        }
    };
    assert_eq!(
        refusal(b"Ti\xEAu \xF0\xEA h\xF4 s\xF5,THBQ\n").await,
        "not_utf8"
    );
    assert_eq!(refusal(b"a,b,c\n1,2,3\n").await, "no_header");
    assert_eq!(refusal(b"Ti\xC3\xAAu \xC4\x91\xE1\xBB\x81 h\xE1\xBB\x93 s\xC6\xA1,THBQ,S\xE1\xBB\x91 t\xE1\xBB\x9D\n").await, "missing_columns");
    assert_eq!(
        refusal(b"PK\x03\x04not really a zip").await,
        "unreadable_file"
    );
    let missing = try_import(&service, "066-D99", b"x", &options)
        .await
        .expect_err("refused");
    assert_eq!(missing.code(), "not_found");
}

/// A list as a clerk might save it from Excel: BOM, title rows, semicolons, the dates in one
/// column, THBQ, "Số, ký hiệu hồ sơ" with notations without a year.
const SEMICOLON_CSV: &str = "\u{feff}ỦY BAN NHÂN DÂN XÃ BỘC BỐ;;;;;;\n\
MỤC LỤC HỒ SƠ;;;;;;\n\
;;;;;;\n\
STT;Số, ký hiệu hồ sơ;Tiêu đề hồ sơ;Thời gian bắt đầu / kết thúc;THBQ;Số tờ;CHẾ ĐỘ SỬ DỤNG\n\
1;12/TCCB;Hồ sơ tổ chức cán bộ;02/01/2003 - 25/05/2003;VV;12 tờ;Công khai\n\
2;13/TCCB;Hồ sơ thi đua khen thưởng;2004;70 năm;;Hạn chế\n\
3;14/TCCB;Báo cáo năm;05/2005;Tạm thời;3;Công khai\n";

#[tokio::test]
async fn a_semicolon_csv_with_a_title_block_and_combined_dates_is_read() {
    let service = Service::new(MemoryStore::new());
    register_units(&service).await;
    fonds(&service, &["06601-UB"]).await;
    let report = try_import(
        &service,
        "06601-UB",
        SEMICOLON_CSV.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .expect("read");
    assert_eq!(report.header_row, 4);
    assert_eq!(report.ignored_columns, ["STT"]);
    assert!(report.blocked, "row 7's retention is unknown");
    let problem = &report.problems[0];
    assert_eq!(
        (problem.row, problem.code.as_str(), problem.value.as_str()),
        (7, "unknown_retention", "Tạm thời")
    );
    assert_eq!(problem.column.as_deref(), Some("E"));

    let valid_only = ImportOptions {
        valid_only: true,
        ..ImportOptions::default()
    };
    let report = try_import(&service, "06601-UB", SEMICOLON_CSV.as_bytes(), &valid_only)
        .await
        .expect("read");
    assert_eq!(report.files_recorded, 2);
    let state = service
        .fonds_state(&code("06601-UB"))
        .await
        .expect("loads")
        .0;
    // The fonds is open: codes start with the organ id; the year is the start date's.
    let first = state
        .file(&FileCode::parse("06601-UB.2003.12/TCCB").expect("valid"))
        .expect("recorded");
    assert_eq!(
        (first.start_date, first.end_date),
        (day(2003, 1, 2), day(2003, 5, 25))
    );
    assert_eq!(first.sheets, Some(12));
    let second = state
        .file(&FileCode::parse("06601-UB.2004.13/TCCB").expect("valid"))
        .expect("recorded");
    assert_eq!(
        (second.start_date, second.end_date),
        (day(2004, 1, 1), day(2004, 12, 31))
    );
    assert_eq!(second.sheets, None);
}

#[tokio::test]
async fn an_interrupted_apply_is_completed_by_importing_the_same_file_again() {
    let memory = MemoryStore::new();
    let store = FailAfter::new(memory.clone(), usize::MAX);
    let dying = Service::new(store.clone());
    pac_nam(&dying).await;
    let bytes = sample("muc-luc-066-D02.xlsx");
    let options = ImportOptions {
        batch_size: 50,
        ..ImportOptions::default()
    };
    // Two batches of 50 files get in, then the "process" dies.
    store.allow(2);
    let error = try_import(&dying, "066-D02", &bytes, &options)
        .await
        .expect_err("dies");
    assert!(
        matches!(error, ImportError::Apply { recorded: 100, .. }),
        "{error}"
    );

    let service = Service::new(memory);
    let state = service
        .fonds_state(&code("066-D02"))
        .await
        .expect("loads")
        .0;
    assert_eq!(state.file_count(), 100, "whole batches only");
    let report = try_import(&service, "066-D02", &bytes, &options)
        .await
        .expect("completes");
    assert_eq!((report.rows_present, report.files_recorded), (100, 117));
    let state = service
        .fonds_state(&code("066-D02"))
        .await
        .expect("loads")
        .0;
    assert_eq!(state.file_count(), 217);
    let again = try_import(&service, "066-D02", &bytes, &options)
        .await
        .expect("nothing left");
    assert_eq!((again.rows_present, again.files_recorded), (217, 0));
}

//! Every sample of tests/fixtures/pac-nam imported through the real service: the clean lists
//! import fully and a second import appends nothing; the messy list yields exactly the problems
//! of its `.expected.csv`, accepts its lenient spellings, and blocks an all-or-nothing apply.

mod import_setup;

use std::collections::BTreeSet;

use bangiao_app::Service;
use bangiao_documents::import::{ImportOptions, ImportReport};
use bangiao_domain::values::{FileCode, RetentionPeriod};
use bangiao_store::{EventStore, MemoryStore};

use import_setup::{day, fixtures, fonds_of, import, pac_nam};

const MESSY: &str = "muc-luc-066-UB-loi.xlsx";

/// The clean inventories, XLSX first so that the CSV twin of 066-UB finds its files present.
fn clean_samples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("muc-luc-") && !name.contains("-loi"))
        .filter(|name| name.ends_with(".xlsx") || name.ends_with(".csv"))
        .collect();
    names.sort_by_key(|name| (name.ends_with(".csv"), name.clone()));
    names
}

fn applied() -> ImportOptions {
    ImportOptions::default()
}

#[tokio::test]
async fn every_clean_sample_imports_fully_and_a_second_import_appends_nothing() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let samples = clean_samples();
    assert_eq!(samples.len(), 7, "{samples:?}");
    let mut files = 0;
    for name in &samples {
        let report = import(&service, name, &applied()).await;
        assert!(
            report.problems.is_empty(),
            "{name}: {:?}",
            &report.problems[..3.min(report.problems.len())]
        );
        assert!(report.rows_read > 100, "{name}");
        assert_eq!(
            report.header_row,
            if name.ends_with(".csv") { 1 } else { 5 },
            "{name}"
        );
        assert_eq!(
            report.rows_valid + report.rows_present,
            report.rows_read,
            "{name}"
        );
        assert_eq!(report.files_recorded, report.rows_valid, "{name}");
        if name == "muc-luc-066-UB.csv" {
            // The same list as the XLSX, in another format: every file is already there.
            assert_eq!((report.rows_present, report.files_recorded), (1500, 0));
        }
        let state = service.fonds_state(&fonds_of(name)).await.expect("loads").0;
        assert_eq!(state.file_count() as u64, report.rows_read, "{name}");
        files += report.files_recorded;
    }
    assert_eq!(files, 1500 + 141 + 217 + 204 + 290 + 163);

    let head = service.store().head_position();
    for name in &samples {
        let again = import(&service, name, &applied()).await;
        assert_eq!(again.files_recorded, 0, "{name}");
        assert_eq!(again.rows_present, again.rows_read, "{name}");
    }
    assert_eq!(service.store().head_position(), head, "nothing appended");
}

#[tokio::test]
async fn clean_samples_record_what_the_rows_say() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    import(&service, "muc-luc-066-D01.xlsx", &applied()).await;
    let code = FileCode::parse("066-D01.2005.03").expect("valid");
    let state = service
        .fonds_state(&fonds_of("muc-luc-066-D01.xlsx"))
        .await
        .expect("loads")
        .0;
    let file = state
        .file(&code)
        .expect("row 8 recorded under the fonds code");
    assert_eq!(
        (file.start_date, file.end_date),
        (day(2005, 4, 23), day(2006, 3, 13))
    );
    assert_eq!(file.sheets, Some(34));
    assert_eq!(file.retention, RetentionPeriod::PERMANENT);
    assert_eq!(file.box_number.as_ref().map(|b| b.as_str()), Some("1"));
}

/// The expected problems: (data row index, description), as in the `.expected.csv`.
fn expected() -> BTreeSet<(u32, String)> {
    let path = fixtures().join("muc-luc-066-UB-loi.expected.csv");
    let mut reader = csv::Reader::from_path(path).expect("readable");
    let headers = reader.headers().expect("a header").clone();
    assert_eq!(
        &headers[0],
        "data_row_index_0_based_after_blank_insert_at_100"
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (r[0].parse().expect("an index"), r[1].to_owned())
        })
        .collect()
}

/// A reported problem in the expected file's terms. The index counts data rows from 0 right
/// under the header, the blank row inserted at index 100 included; the report gives the row
/// number the spreadsheet shows, so index = row - header row - 1.
fn in_expected_terms(report: &ImportReport) -> BTreeSet<(u32, String)> {
    report
        .problems
        .iter()
        .map(|p| {
            let index = p.row - report.header_row - 1;
            let description = match (p.code.as_str(), p.field.as_str()) {
                ("missing_value", "title") => "missing title".to_owned(),
                ("end_before_start", _) => "end date before start date".to_owned(),
                ("duplicate_file_number", _) => "duplicate file number".to_owned(),
                ("unknown_retention", _) => "unknown retention period".to_owned(),
                ("negative_sheet_count", _) => "negative sheet count".to_owned(),
                ("impossible_date", _) => "impossible date".to_owned(),
                ("file_after_closure", _) => {
                    "file ends after the fonds was closed (2025-06-30)".to_owned()
                }
                (code, field) => format!("unexpected: {code} in {field}"),
            };
            (index, description)
        })
        .collect()
}

#[tokio::test]
async fn the_messy_sample_yields_exactly_the_expected_problems() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let head = service.store().head_position();
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import(&service, MESSY, &dry).await;
    assert_eq!(report.header_row, 5);
    assert_eq!(in_expected_terms(&report), expected());
    assert_eq!(
        report.problems.len(),
        7,
        "one problem per listed row, nothing else"
    );
    let rows: Vec<(u32, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            (46, Some("D")),
            (47, Some("F")),
            (83, Some("B")),
            (127, Some("H")),
            (157, Some("G")),
            (207, Some("E")),
            (257, Some("F")),
        ]
    );
    // 301 rows under the header, one of them blank.
    assert_eq!((report.rows_read, report.rows_valid), (300, 293));
    assert!(
        report
            .problems
            .iter()
            .all(|p| !p.message_vi.is_empty() && !p.message_en.is_empty())
    );
    assert_eq!(
        service.store().head_position(),
        head,
        "a dry run writes nothing"
    );

    let all_or_nothing = import(&service, MESSY, &applied()).await;
    assert!(all_or_nothing.blocked);
    assert_eq!(all_or_nothing.files_recorded, 0);
    assert_eq!(
        service.store().head_position(),
        head,
        "a blocked apply writes nothing"
    );
}

#[tokio::test]
async fn the_valid_rows_of_the_messy_sample_are_taken_with_their_lenient_spellings() {
    let service = Service::new(MemoryStore::new());
    pac_nam(&service).await;
    let valid_only = ImportOptions {
        valid_only: true,
        ..ImportOptions::default()
    };
    let report = import(&service, MESSY, &valid_only).await;
    assert_eq!((report.files_recorded, report.problems.len()), (293, 7));
    let state = service
        .fonds_state(&fonds_of(MESSY))
        .await
        .expect("loads")
        .0;
    assert_eq!(state.file_count(), 293);
    let file = |code: &str| {
        state
            .file(&FileCode::parse(code).expect("valid"))
            .unwrap_or_else(|| panic!("{code} recorded"))
            .clone()
    };
    // Row 6: dates typed as text, "02/01/2003" and "25-05-2003".
    let row6 = file("066-UB.2003.01");
    assert_eq!(
        (row6.start_date, row6.end_date),
        (day(2003, 1, 2), day(2003, 5, 25))
    );
    // Row 9: retention "10" (years); row 11: "16 tờ"; row 32: "vĩnh viễn"; row 240: "VV".
    assert_eq!(file("066-UB.2003.04").retention.years(), Some(10));
    assert_eq!(file("066-UB.2003.06").sheets, Some(16));
    assert!(file("066-UB.2003.27").retention.is_permanent());
    assert!(file("066-UB.2006.234").retention.is_permanent());
    // Row 101: "15" is a 15-year term (code 07).
    assert_eq!(file("066-UB.2004.96").retention.code(), "07");
    // Row 83 repeats file number 77: not recorded, and its notation 78 is not taken either.
    assert!(
        state
            .file(&FileCode::parse("066-UB.2004.78").expect("valid"))
            .is_none()
    );

    let again = import(&service, MESSY, &valid_only).await;
    assert_eq!((again.files_recorded, again.rows_present), (0, 293));
}

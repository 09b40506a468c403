//! What the list said stays: a list's own "Hồ sơ số" (out of order, with gaps, and unlike the
//! notation) is kept through the real importer, printed unchanged by every Mục lục (CSV, XLSX
//! read with calamine, HTML, PDF read with pdftotext) beside the row's place in the printed list
//! (STT), and read back when the exported list is imported again.

#[allow(dead_code)]
mod export_support;
mod import_setup;

use std::collections::BTreeMap;

use bangiao_app::Service;
use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::{ExportError, csv, html, pdf, xlsx};
use bangiao_documents::import::{Format, ImportOptions, import_inventory};
use bangiao_domain::values::FondsCode;
use bangiao_projections::ReadModel;
use bangiao_projections::query::inventory::{self, Filter, Scope};
use bangiao_store::MemoryStore;
use calamine::{Data, Reader, Xlsx};
use export_support::{run, tool};
use import_setup::{fonds, register_units};

/// An open commune fonds of the samples: its codes start with its organ id, the fonds code.
const FONDS: &str = "06601-UB";

/// The list: "Hồ sơ số" in the list's own order, with gaps, and a notation that is not the
/// number (12/TC is file number 8).
const LIST: &str = "Hồ sơ số;Hộp số;Số, ký hiệu hồ sơ;Tiêu đề hồ sơ;Ngày bắt đầu;Ngày kết thúc;THBQ;Chế độ sử dụng;Số tờ
17;1;17;Hồ sơ hội nghị tổng kết năm 2003;02/01/2003;25/05/2003;Vĩnh viễn;Công khai;12
3;1;3;Hồ sơ giải quyết đơn thư năm 2003;10/02/2003;20/06/2003;10 năm;Công khai;8
42;2;42;Tập lưu công văn đi năm 2004;05/01/2004;30/12/2004;Vĩnh viễn;Hạn chế;150
8;2;12/TC;Hồ sơ tổ chức cán bộ năm 2004;03/03/2004;15/09/2004;70 năm;Công khai;30
";

/// The list's numbers by the code each file gets.
fn expected() -> BTreeMap<String, String> {
    [
        ("06601-UB.2003.17", "17"),
        ("06601-UB.2003.3", "3"),
        ("06601-UB.2004.42", "42"),
        ("06601-UB.2004.12/TC", "8"),
    ]
    .into_iter()
    .map(|(c, n)| (c.to_owned(), n.to_owned()))
    .collect()
}

/// The Pác Nặm units and fonds, with the commune's fonds open.
async fn fresh_service() -> Service<MemoryStore> {
    let service = Service::new(MemoryStore::new());
    register_units(&service).await;
    fonds(&service, &[FONDS]).await;
    service
}

/// Imports `bytes` into the fonds, which must take every row, and projects the store.
async fn import_and_project(
    service: &Service<MemoryStore>,
    bytes: &[u8],
    format: Format,
    dir: &tempfile::TempDir,
) -> ReadModel {
    let fonds = FondsCode::parse(FONDS).expect("valid");
    let report = import_inventory(
        service,
        &fonds,
        bytes,
        format,
        &ImportOptions::default(),
        &mut |_| {},
    )
    .await
    .expect("the list is taken");
    assert!(
        report.problems.is_empty(),
        "{format:?}: {:?}",
        report.problems
    );
    assert_eq!(report.files_recorded, 4, "{format:?}");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    read.catch_up(service.store()).await.expect("projected");
    read
}

/// The list numbers the read model holds, by file code.
fn stored(read: &ReadModel) -> BTreeMap<String, String> {
    read.readers()
        .with_blocking(|c| {
            let mut numbers = BTreeMap::new();
            inventory::for_each(c, &Scope::Fonds(FONDS.into()), &Filter::default(), |r| {
                let n = r.list_number.map(|n| n.to_string()).unwrap_or_default();
                numbers.insert(r.file_code, n);
                true
            })?;
            Ok::<_, bangiao_projections::ProjectionError>(numbers)
        })
        .expect("rows")
}

/// The fonds' Mục lục as CSV, XLSX, HTML and PDF.
fn exports(read: &ReadModel) -> (Vec<u8>, Vec<u8>, String, Vec<u8>) {
    read.readers()
        .with_blocking(|c| {
            let scope = Scope::Fonds(FONDS.into());
            let rows = || QueryRows::new(c, scope.clone(), Filter::default());
            let heading = ListHeading::load(c, &scope, &Filter::default())?;
            let mut csv_bytes = Vec::new();
            csv::write(&mut rows(), &mut csv_bytes)?;
            let mut xlsx_bytes = Vec::new();
            xlsx::write(&heading, &mut rows(), &mut xlsx_bytes)?;
            let mut page = Vec::new();
            html::write_list(&heading, &mut rows(), &mut page)?;
            let (pdf_bytes, _) = pdf::write_list(&heading, &mut rows())?;
            let page = String::from_utf8(page).expect("utf-8");
            Ok::<_, ExportError>((csv_bytes, xlsx_bytes, page, pdf_bytes))
        })
        .expect("the exports write")
}

/// (STT, Hồ sơ số) of each file in the CSV.
fn csv_numbers(bytes: &[u8]) -> BTreeMap<String, (String, String)> {
    let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (stt, number, code) = (col("STT"), col("Hồ sơ số"), col("Số, ký hiệu hồ sơ"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (
                r[code].to_owned(),
                (r[stt].to_owned(), r[number].to_owned()),
            )
        })
        .collect()
}

/// (STT, Hồ sơ số) of each file in the workbook, read with a spreadsheet reader.
fn xlsx_numbers(bytes: Vec<u8>) -> BTreeMap<String, (String, String)> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range(xlsx::SHEET_NAME).expect("sheet");
    let mut rows = range.rows().skip(xlsx::HEADER_ROW as usize);
    let header: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (stt, number, code) = (col("STT"), col("Hồ sơ số"), col("Số, ký hiệu hồ sơ"));
    let shown = |c: &Data| match c {
        Data::Float(f) => format!("{f}"),
        other => other.to_string(),
    };
    rows.take_while(|r| !r[code].to_string().is_empty())
        .map(|r| {
            assert!(
                matches!(r[number], Data::Float(_) | Data::Int(_)),
                "a number: {:?}",
                r[number]
            );
            (r[code].to_string(), (shown(&r[stt]), shown(&r[number])))
        })
        .collect()
}

/// The text of the HTML cells of each file's row.
fn html_cells(page: &str, code: &str) -> Vec<String> {
    let at = page.find(&format!(">{code}</td>")).expect("the file's row");
    let start = page[..at].rfind("<tr>").expect("row start");
    let end = at + page[at..].find("</tr>").expect("row end");
    page[start..end]
        .split("</td>")
        .filter_map(|cell| cell.rsplit_once('>').map(|(_, text)| text.to_owned()))
        .collect()
}

fn pdftotext_layout(bytes: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("muc-luc.pdf");
    std::fs::write(&file, bytes).expect("write");
    Some(run(std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")))
}

/// Checks that every format prints each file's list number, unchanged, beside its STT.
fn check_exports(read: &ReadModel) -> (Vec<u8>, Vec<u8>) {
    let want = expected();
    let (csv_bytes, xlsx_bytes, page, pdf_bytes) = exports(read);
    let in_csv = csv_numbers(&csv_bytes);
    let in_xlsx = xlsx_numbers(xlsx_bytes.clone());
    for (format, got) in [("CSV", &in_csv), ("XLSX", &in_xlsx)] {
        let numbers: BTreeMap<String, String> = got
            .iter()
            .map(|(c, (_, n))| (c.clone(), n.clone()))
            .collect();
        assert_eq!(numbers, want, "{format}");
        let stt: Vec<&str> = got.values().map(|(s, _)| s.as_str()).collect();
        assert!(
            stt.iter().all(|s| ["1", "2", "3", "4"].contains(s)),
            "{format}: {stt:?}"
        );
    }
    for (code, number) in &want {
        let cells = html_cells(&page, code);
        let (stt, _) = &in_csv[code];
        assert_eq!(&cells[..2], [stt.clone(), number.clone()], "HTML {code}");
    }
    if let Some(text) = pdftotext_layout(&pdf_bytes) {
        for (code, number) in &want {
            let (stt, _) = &in_csv[code];
            let line = text
                .lines()
                .find(|l| l.contains(code.as_str()))
                .unwrap_or_else(|| panic!("PDF: {code} on one line in:\n{text}"));
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.iter().position(|w| w == code).expect("the code");
            // STT, Hồ sơ số, Hộp số, then the code.
            assert!(at >= 3, "PDF: {line}");
            assert_eq!(&words[at - 3..at - 1], [stt, number], "PDF: {line}");
        }
    }
    (csv_bytes, xlsx_bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lists_own_file_numbers_are_kept_printed_and_read_back() {
    let service = fresh_service().await;
    let dir = tempfile::tempdir().expect("dir");
    let read = import_and_project(&service, LIST.as_bytes(), Format::Csv, &dir).await;
    assert_eq!(stored(&read), expected(), "stored as the list wrote them");
    let (csv_bytes, xlsx_bytes) = check_exports(&read);
    // The exported lists, imported into a fresh store, keep the same numbers.
    for (format, bytes) in [(Format::Csv, csv_bytes), (Format::Xlsx, xlsx_bytes)] {
        let fresh = fresh_service().await;
        let dir = tempfile::tempdir().expect("dir");
        let back = import_and_project(&fresh, &bytes, format, &dir).await;
        assert_eq!(stored(&back), expected(), "{format:?} imported back");
    }
}

//! A file's state shows in every Mục lục the service prints: the demo's handover of Phòng Nội
//! vụ's fonds received with one file missing and one damaged, its 2024 transfer of 066-UB with
//! one file refused, and the inspection hold on two files of Phòng Tài chính - Kế hoạch are
//! read back from the CSV, the XLSX (calamine), the HTML and the PDF (pdftotext) of each fonds
//! and of the successor unit, Thái Nguyên (19), whose list spans every fonds of the district.
//!
//! What each file must show is taken from the stored events (the commands' own words), not
//! from the read model the exports print from.

#[allow(dead_code)]
mod export_support;

use std::collections::BTreeMap;

use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::{ExportError, csv, events, html, pdf, xlsx};
use bangiao_projections::query::inventory::{self, Filter, Scope};
use calamine::{Reader, Xlsx};
use chrono::NaiveDate;
use export_support::{demo, run, tool};
use serde_json::Value;

/// The kinds of marks, with the words every format must print for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Missing,
    Damaged,
    Rejected,
    Held,
}

impl Kind {
    /// The words that open the mark.
    fn lead(self) -> &'static str {
        match self {
            Kind::Missing => "Thất lạc",
            Kind::Damaged => "Hư hỏng:",
            Kind::Rejected => "Bị từ chối khi nộp lưu",
            Kind::Held => "Đang bị phong tỏa",
        }
    }
}

/// One mark a file must show: its kind and the phrases from the act that made it.
#[derive(Debug, Clone)]
struct Mark {
    fonds: String,
    file_code: String,
    kind: Kind,
    phrases: Vec<String>,
}

fn dmy(iso: &Value) -> String {
    let day: NaiveDate = iso.as_str().expect("a date").parse().expect("ISO date");
    day.format("%d/%m/%Y").to_string()
}

fn text(v: &Value) -> String {
    v.as_str().expect("text").to_owned()
}

/// The marks the stored events of `fonds` put on its files.
async fn marks_of(fonds: &str) -> Vec<Mark> {
    let mut marks: Vec<Mark> = Vec::new();
    let mut events = Vec::new();
    events::each_event(&demo().store, &events::fonds_stream(fonds), |e| {
        events.push((e.event_type.clone(), e.payload.clone()));
        Ok(())
    })
    .await
    .expect("the fonds' events");
    let mark = |file_code: &Value, kind, phrases: Vec<String>| Mark {
        fonds: fonds.to_owned(),
        file_code: text(file_code),
        kind,
        phrases,
    };
    for (event_type, payload) in events {
        let p: Value = serde_json::from_str(&payload).expect("JSON payload");
        match event_type.as_str() {
            "HandoverReceived" => {
                for d in p["discrepancies"].as_array().expect("discrepancies") {
                    match d["kind"].as_str() {
                        Some("missing") => marks.push(mark(&d["file_code"], Kind::Missing, vec![])),
                        Some("damaged") => marks.push(mark(
                            &d["file_code"],
                            Kind::Damaged,
                            vec![text(&d["description"])],
                        )),
                        _ => {}
                    }
                }
            }
            "TransferAccepted" => {
                for r in p["rejected"].as_array().expect("rejected") {
                    marks.push(mark(
                        &r["file_code"],
                        Kind::Rejected,
                        vec![dmy(&p["accepted_on"]), text(&r["reason"])],
                    ));
                }
            }
            "HoldPlaced" => {
                for code in p["file_codes"].as_array().expect("files") {
                    marks.push(mark(
                        code,
                        Kind::Held,
                        vec![text(&p["legal_basis"]["number"]), dmy(&p["placed_on"])],
                    ));
                }
            }
            "HoldLifted" | "FileFound" | "DestructionExecuted" => {
                panic!("the demo has no {event_type}: this test would need to follow it")
            }
            _ => {}
        }
    }
    marks
}

/// Every mark on the files of a list's scope.
async fn marks_in(scope: &Scope) -> Vec<Mark> {
    let fonds = match scope {
        Scope::Fonds(code) => vec![code.clone()],
        Scope::Unit(unit) => {
            let unit = unit.clone();
            demo()
                .read
                .readers()
                .with_blocking(move |c| inventory::fonds_of_unit(c, &unit))
                .expect("the unit's fonds")
        }
    };
    let mut marks = Vec::new();
    for code in fonds {
        marks.extend(marks_of(&code).await);
    }
    marks
}

/// The list of `scope` in every format: CSV, XLSX, HTML, PDF.
fn exports(scope: &Scope) -> (Vec<u8>, Vec<u8>, String, Vec<u8>) {
    let scope = scope.clone();
    demo()
        .read
        .readers()
        .with_blocking(move |c| {
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

/// Whether `cell` shows every word of `mark`.
fn shows(cell: &str, mark: &Mark) -> bool {
    let cell = one_line(cell);
    cell.contains(mark.kind.lead()) && mark.phrases.iter().all(|p| cell.contains(&one_line(p)))
}

/// Whitespace (line breaks of a wrapped cell included) as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The CSV's "Tình trạng" cell of each file.
fn csv_conditions(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (code, condition) = (col("Số, ký hiệu hồ sơ"), col("Tình trạng"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (r[code].to_owned(), r[condition].to_owned())
        })
        .collect()
}

/// The XLSX's "Tình trạng" cell of each file, read with a spreadsheet reader.
fn xlsx_conditions(bytes: Vec<u8>) -> BTreeMap<String, String> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range(xlsx::SHEET_NAME).expect("sheet");
    let mut rows = range.rows().skip(xlsx::HEADER_ROW as usize);
    let header: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (code, condition) = (col("Số, ký hiệu hồ sơ"), col("Tình trạng"));
    rows.take_while(|r| !r[code].to_string().is_empty())
        .map(|r| (r[code].to_string(), r[condition].to_string()))
        .collect()
}

/// The HTML table row of a file.
fn html_row<'p>(page: &'p str, file_code: &str) -> &'p str {
    let at = page
        .find(&format!(">{file_code}</td>"))
        .unwrap_or_else(|| panic!("{file_code} is not in the page"));
    let start = page[..at].rfind("<tr>").expect("its row");
    let end = at + page[at..].find("</tr>").expect("its row's end");
    &page[start..end]
}

fn pdftotext(bytes: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("muc-luc.pdf");
    std::fs::write(&file, bytes).expect("write");
    Some(run(std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")))
}

async fn check(scope: Scope) {
    let marks = marks_in(&scope).await;
    let kinds: std::collections::BTreeSet<Kind> = marks.iter().map(|m| m.kind).collect();
    let (csv_bytes, xlsx_bytes, page, pdf_bytes) = exports(&scope);
    let csv = csv_conditions(&csv_bytes);
    let sheet = xlsx_conditions(xlsx_bytes);
    for mark in &marks {
        let code = &mark.file_code;
        let in_csv = csv
            .get(code)
            .unwrap_or_else(|| panic!("{code} not in the CSV"));
        assert!(
            shows(in_csv, mark),
            "{scope:?} CSV {code}: {in_csv:?}, want {mark:?}"
        );
        let in_sheet = sheet
            .get(code)
            .unwrap_or_else(|| panic!("{code} not in the XLSX"));
        assert!(
            shows(in_sheet, mark),
            "{scope:?} XLSX {code}: {in_sheet:?}, want {mark:?}"
        );
        let row = html_row(&page, code);
        assert!(
            shows(row, mark),
            "{scope:?} HTML {code}: {row}, want {mark:?}"
        );
    }
    // A file with no mark reads as held, in words, and nothing else.
    assert!(csv.values().any(|c| c == "Đang bảo quản"), "{scope:?}");
    for (code, condition) in &csv {
        if !marks.iter().any(|m| &m.file_code == code) {
            assert!(!condition.contains(';'), "{code}: {condition}");
        }
    }
    let Some(text) = pdftotext(&pdf_bytes) else {
        return;
    };
    let text = one_line(&text);
    for kind in kinds {
        let want = marks.iter().filter(|m| m.kind == kind).count();
        assert_eq!(
            text.matches(kind.lead()).count(),
            want,
            "{scope:?} PDF: {kind:?} printed once a file"
        );
    }
    for mark in &marks {
        for phrase in &mark.phrases {
            assert!(
                text.contains(&one_line(phrase)),
                "{scope:?} PDF: {phrase:?} of {} missing",
                mark.file_code
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_missing_damaged_refused_and_held_files_show_in_every_list_of_their_fonds() {
    let expected = [
        ("066-D02", vec![Kind::Missing, Kind::Damaged]),
        ("066-UB", vec![Kind::Rejected]),
        ("066-D03", vec![Kind::Held, Kind::Held]),
    ];
    for (fonds, kinds) in expected {
        let scope = Scope::Fonds(fonds.into());
        let found: Vec<Kind> = marks_in(&scope).await.iter().map(|m| m.kind).collect();
        assert_eq!(found, kinds, "the demo's acts on {fonds}");
        check(scope).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_successor_units_list_shows_them_too() {
    let scope = Scope::Unit("19".into());
    let marks = marks_in(&scope).await;
    assert!(
        marks.iter().any(|m| m.fonds == "066-D02") && marks.iter().any(|m| m.fonds == "066-UB"),
        "Thái Nguyên's list spans the district's fonds: {marks:?}"
    );
    check(scope).await;
}

// Over 500 lines: one demo scenario checked in every export format, sharing its validators.
//! Exports of the demo scenario: CSV and XLSX read back equal to the read model; EAD3 validates
//! against the official schema (xmllint); PREMIS has one event per stored event with custody
//! changes as `transfer`, each dated by its act with every file it names declared; the handover bag validates (bagit.py); PDF text (pdftotext) holds the
//! Vietnamese headings and the rows.

mod export_support;

use std::collections::BTreeMap;
use std::process::Command;

use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::minutes::{Minutes, attached_rows};
use bangiao_documents::export::rows::{QueryRows, RowSource};
use bangiao_documents::export::{bag, csv, ead3, events, html, pdf, premis, xlsx};
use bangiao_projections::query::acts;
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope};
use bangiao_store::EventStore;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use export_support::{demo, ead3_schema, premis as premis_doc, run, tool};

const FONDS: &str = "066-UB";
const UNIT: &str = "066";

/// The fields both spreadsheet exports carry, as text: what must read back equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    fonds: Option<String>,
    file_code: String,
    title: String,
    start: NaiveDate,
    end: NaiveDate,
    retention: String,
    access: String,
    box_number: String,
    sheets: String,
    notes: String,
}

fn expected(rows: &[FileRow], with_fonds: bool) -> Vec<Line> {
    rows.iter()
        .map(|r| Line {
            fonds: with_fonds.then(|| r.fonds_code.clone()),
            file_code: r.file_code.clone(),
            title: r.title.clone(),
            start: r.start_date,
            end: r.end_date,
            retention: bangiao_documents::export::labels::retention(r),
            access: bangiao_documents::export::labels::access(&r.access).to_owned(),
            box_number: r.box_number.clone().unwrap_or_default(),
            sheets: r.sheets.map(|s| s.to_string()).unwrap_or_default(),
            notes: r.notes.clone().unwrap_or_default(),
        })
        .collect()
}

fn all_rows(scope: &Scope) -> Vec<FileRow> {
    let conn = demo().read.readers().clone();
    let scope = scope.clone();
    conn.with_blocking(move |c| {
        let mut rows = Vec::new();
        inventory::for_each(c, &scope, &Filter::default(), |r| {
            rows.push(r);
            true
        })?;
        Ok::<_, bangiao_projections::ProjectionError>(rows)
    })
    .expect("rows")
}

fn undo_safe(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell.to_owned(),
    }
}

fn parse_day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("dd/mm/yyyy")
}

#[test]
fn csv_reads_back_equal_to_the_read_model() {
    let rows = all_rows(&Scope::Fonds(FONDS.into()));
    assert!(rows.len() > 100, "the demo fonds has files");
    let mut out = Vec::new();
    let n = demo()
        .read
        .readers()
        .with_blocking(|c| {
            csv::write(
                &mut QueryRows::new(c, Scope::Fonds(FONDS.into()), Filter::default()),
                &mut out,
            )
        })
        .expect("csv");
    assert_eq!(n as usize, rows.len());
    assert!(out.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM");
    let mut reader = ::csv::Reader::from_reader(&out[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, csv::HEADER);
    let mut got = Vec::new();
    let mut statuses = std::collections::BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        let r = record.expect("record");
        assert_eq!(&r[0], (i + 1).to_string());
        // The status in words, as the web pages say it, and its code beside it.
        assert_eq!(&r[14], rows[i].status, "{}", rows[i].file_code);
        statuses.insert((r[13].to_owned(), r[14].to_owned()));
        got.push(Line {
            fonds: None,
            file_code: undo_safe(&r[3]),
            title: undo_safe(&r[4]),
            start: parse_day(&r[5]),
            end: parse_day(&r[6]),
            retention: r[7].to_owned(),
            access: r[8].to_owned(),
            box_number: undo_safe(&r[9]),
            sheets: r[10].to_owned(),
            notes: undo_safe(&r[11]),
        });
    }
    assert_eq!(got, expected(&rows, false));
    let vi = |code: &str| {
        statuses
            .iter()
            .find(|(_, c)| c == code)
            .map(|(words, _)| words.as_str())
    };
    assert_eq!(vi("in_custody"), Some("Đang bảo quản"), "{statuses:?}");
    assert_eq!(vi("transferred"), Some("Đã nộp lưu"), "{statuses:?}");
    for (words, code) in &statuses {
        assert_ne!(words, code, "no status is left as its code");
    }
}

/// Reads the data rows of an exported workbook back, by the header's names.
fn read_xlsx(bytes: Vec<u8>) -> (Vec<String>, Vec<Line>) {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range(xlsx::SHEET_NAME).expect("sheet");
    let title: Vec<String> = (0..6)
        .map(|r| range.get((r, 0)).map(|c| c.to_string()).unwrap_or_default())
        .collect();
    let header_row = xlsx::HEADER_ROW as usize;
    let header: Vec<String> = range
        .rows()
        .nth(header_row)
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let text = |c: &Data| match c {
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    let day = |c: &Data| match c {
        Data::DateTime(d) => d.as_datetime().expect("a date").date(),
        other => panic!("not a date: {other:?}"),
    };
    let mut lines = Vec::new();
    for (i, row) in range.rows().skip(header_row + 1).enumerate() {
        if matches!(row[0], Data::Empty) {
            break;
        }
        assert_eq!(text(&row[0]), (i + 1).to_string());
        let get = |name: &str| col(name).map(|c| text(&row[c])).expect(name);
        lines.push(Line {
            fonds: col("Mã phông").map(|c| text(&row[c])),
            file_code: get("Số, ký hiệu hồ sơ"),
            title: get("Tiêu đề hồ sơ"),
            start: day(&row[col("Ngày bắt đầu").expect("start")]),
            end: day(&row[col("Ngày kết thúc").expect("end")]),
            retention: get("Thời hạn bảo quản"),
            access: get("Chế độ sử dụng"),
            box_number: get("Hộp số"),
            sheets: get("Số tờ"),
            notes: get("Ghi chú"),
        });
    }
    (title, lines)
}

#[test]
fn xlsx_reads_back_equal_to_the_read_model_with_the_official_title_block() {
    for (scope, with_fonds) in [
        (Scope::Fonds(FONDS.into()), false),
        (Scope::Unit(UNIT.into()), true),
    ] {
        let rows = all_rows(&scope);
        let s = scope.clone();
        let (bytes, heading) = demo()
            .read
            .readers()
            .with_blocking(move |c| {
                let heading = ListHeading::load(c, &s, &Filter::default())?;
                let mut out = Vec::new();
                xlsx::write(
                    &heading,
                    &mut QueryRows::new(c, s, Filter::default()),
                    &mut out,
                )?;
                Ok::<_, bangiao_documents::export::ExportError>((out, heading))
            })
            .expect("xlsx");
        let (title, lines) = read_xlsx(bytes);
        assert_eq!(title[1], "MỤC LỤC HỒ SƠ");
        assert_eq!(title[0], heading.agency.to_uppercase());
        assert!(
            title[2].contains(bangiao_documents::export::heading::without_fonds_word(
                &heading.name
            )),
            "{title:?}"
        );
        assert!(title[4].starts_with("Năm: "), "{title:?}");
        assert!(title[5].contains(" hồ sơ ("), "{title:?}");
        assert_eq!(lines, expected(&rows, with_fonds), "{scope:?}");
        assert_eq!(heading.stats.files as usize, rows.len());
    }
}

#[test]
fn ead3_validates_against_the_official_schema() {
    let mut out = Vec::new();
    let options = ead3::Ead3Options {
        agency_name: "Sở Nội vụ tỉnh Thái Nguyên".into(),
        generated_at: "2025-07-15T08:00:00Z".parse().expect("instant"),
        ..ead3::Ead3Options::default()
    };
    let n = demo()
        .read
        .readers()
        .with_blocking(|c| ead3::write(c, "066-D02", &options, &mut out))
        .expect("ead3");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.matches("<c level=\"file\">").count() as u64, n);
    // The fonds is named "Phông Phòng Nội vụ …": the title says "phông" once.
    assert!(
        text.contains(
            "<titleproper>Mục lục hồ sơ phông Phòng Nội vụ huyện Pác Nặm (066-D02)</titleproper>"
        ),
        "{}",
        head(&text)
    );
    assert!(!text.to_lowercase().contains("phông phông"));
    assert!(text.contains("<custodhist>") && text.contains("<acqinfo>"));
    assert!(text.contains("<container localtype=\"box\">"));
    assert!(
        text.contains("Biên bản giao nhận"),
        "custody history names the handover"
    );
    let (Some(schema), true) = (ead3_schema(), tool("xmllint")) else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("066-D02.ead3.xml");
    std::fs::write(&file, &text).expect("write");
    run(Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file));
}

#[tokio::test]
async fn premis_has_every_stored_event_and_custody_changes_as_transfers() {
    let store = &demo().store;
    let mut stored = Vec::new();
    events::each_event(store, "fonds-066-D02", |e| {
        stored.push(e.event_type.clone());
        Ok(())
    })
    .await
    .expect("events");
    let mut out = Vec::new();
    let n = premis::write(store, "066-D02", &mut out)
        .await
        .expect("premis");
    assert_eq!(n as usize, stored.len());
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.matches("<event>").count(), stored.len());
    let received = stored.iter().filter(|t| *t == "HandoverReceived").count();
    assert!(received >= 1);
    assert!(text.contains(">transfer</eventType>"));
    assert!(text.contains("<linkingAgentRole>giving side (bên giao)</linkingAgentRole>"));
    assert!(text.contains("<linkingAgentRole>receiving side (bên nhận)</linkingAgentRole>"));
    assert!(text.contains(">accession</eventType>"));
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut depth_names = BTreeMap::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) => {
                *depth_names
                    .entry(e.name().into_inner().to_owned())
                    .or_insert(0) += 1;
            }
            _ => {}
        }
    }
    assert_eq!(depth_names.get("premis"), Some(&1));
    assert!(depth_names.get("agent").copied().unwrap_or(0) >= 3);
    assert!(
        premis::write(store, "NO-SUCH", &mut Vec::new())
            .await
            .is_err()
    );
}

/// The date an event's command gave for its act: the one `…_on` field of its payload, or the
/// issue date of the decision it applies; none when the command carries no date.
fn command_date(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object().expect("a payload object");
    let dates: Vec<&str> = object
        .iter()
        .filter(|(key, _)| key.ends_with("_on"))
        .filter_map(|(_, v)| v.as_str())
        .collect();
    assert!(dates.len() <= 1, "one date per command: {payload}");
    dates
        .first()
        .map(|d| (*d).to_owned())
        .or_else(|| payload["decision"]["issued_on"].as_str().map(str::to_owned))
}

/// PREMIS of a fonds of the demo, read back, with the stored events it was written from.
async fn premis_of(fonds: &str) -> (premis_doc::Premis, Vec<bangiao_store::RecordedEvent>) {
    let store = &demo().store;
    let mut stored = Vec::new();
    events::each_event(store, &format!("fonds-{fonds}"), |e| {
        stored.push(e.clone());
        Ok(())
    })
    .await
    .expect("events");
    let mut out = Vec::new();
    premis::write(store, fonds, &mut out).await.expect("premis");
    let text = String::from_utf8(out).expect("utf-8");
    dump(&format!("{fonds}.premis.xml"), text.as_bytes());
    (premis_doc::parse(&text), stored)
}

#[tokio::test]
async fn premis_events_carry_the_date_of_the_act_and_declare_every_file() {
    // The acts of the demo and their dates (crates/app/src/demo: handovers.rs, transfers.rs,
    // fonds.rs): what its commands said, whenever the demo was loaded.
    let acts: [(&str, &str, &[&str]); 7] = [
        ("066-D02", "HandoverDrafted", &["2025-07-10"]),
        ("066-D02", "HandoverSigned", &["2025-07-10"]),
        ("066-D02", "HandoverReceived", &["2025-07-15"]),
        (
            "066-UB",
            "TransferRegistered",
            &["2024-03-12", "2025-08-12"],
        ),
        (
            "066-UB",
            "TransferListAppraised",
            &["2024-04-05", "2025-09-05"],
        ),
        ("066-UB", "TransferAccepted", &["2024-05-20"]),
        ("066-UB", "FondsClosed", &["2025-06-30"]),
    ];
    for fonds in ["066-D02", "066-UB"] {
        let (doc, stored) = premis_of(fonds).await;
        assert_eq!(doc.sections, ["object", "event", "agent"], "{fonds}");
        assert_eq!(doc.events.len(), stored.len());
        for (event, recorded) in doc.events.iter().zip(&stored) {
            let what = format!("{fonds}: {} {}", recorded.event_type, event.id);
            assert_eq!(event.id, recorded.event_id.to_string(), "{what}");
            let payload: serde_json::Value =
                serde_json::from_str(&recorded.payload).expect("payload");
            let meta = recorded.metadata().expect("metadata");
            let expected = command_date(&payload)
                .or(meta.effective_on.map(|d| d.to_string()))
                .unwrap_or_else(|| meta.recorded_at.to_rfc3339());
            assert_eq!(event.date, expected, "{what}: the date of the act");
            let note = format!("(recorded at): {}", meta.recorded_at.to_rfc3339());
            assert!(
                event.details.iter().any(|d| d.ends_with(&note)),
                "{what}: the recording time is a note of its own: {:?}",
                event.details
            );
            assert!(
                event
                    .objects
                    .contains(&("bangiao:fonds".to_owned(), fonds.to_owned())),
                "{what}: linked to its fonds"
            );
            for object in &event.objects {
                assert!(
                    doc.objects.contains(object),
                    "{what}: {object:?} is declared as an object"
                );
            }
            for agent in &event.agents {
                assert!(doc.agents.contains(agent), "{what}: agent {agent:?}");
            }
        }
        for (in_fonds, kind, dates) in acts.iter().filter(|(f, _, _)| *f == fonds) {
            let mut seen: Vec<&str> = doc
                .events
                .iter()
                .zip(&stored)
                .filter(|(_, s)| s.event_type == *kind)
                .map(|(e, _)| e.date.as_str())
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, *dates, "{in_fonds}: {kind}");
        }
    }
    // The files named by the receipt (one missing, one damaged) and by the acceptance (one
    // rejected) are linked to those events and declared, each as part of its fonds.
    let (doc, stored) = premis_of("066-D02").await;
    let files = |kind: &str| -> Vec<String> {
        doc.events
            .iter()
            .zip(&stored)
            .filter(|(_, s)| s.event_type == kind)
            .flat_map(|(e, _)| e.objects.iter())
            .filter(|(t, _)| t == "bangiao:file_code")
            .map(|(_, v)| v.clone())
            .collect()
    };
    let discrepancies = files("HandoverReceived");
    assert_eq!(discrepancies.len(), 2, "one missing, one damaged");
    for code in &discrepancies {
        assert!(doc.part_of.contains(&(code.clone(), "066-D02".to_owned())));
    }
    let (doc, stored) = premis_of("066-UB").await;
    let accepted = stored
        .iter()
        .find(|s| s.event_type == "TransferAccepted")
        .expect("the 2024 transfer was accepted");
    let payload: serde_json::Value = serde_json::from_str(&accepted.payload).expect("payload");
    let rejected = payload["rejected"][0]["file_code"]
        .as_str()
        .expect("one file rejected");
    let event = doc
        .events
        .iter()
        .find(|e| e.id == accepted.event_id.to_string())
        .expect("the acceptance");
    let file = ("bangiao:file_code".to_owned(), rejected.to_owned());
    assert!(event.objects.contains(&file) && doc.objects.contains(&file));
    let digitised = stored
        .iter()
        .find(|s| s.event_type == "FileDigitised")
        .expect("066-UB has scanned files");
    let payload: serde_json::Value = serde_json::from_str(&digitised.payload).expect("payload");
    let copy = (
        "sha256".to_owned(),
        payload["sha256"].as_str().expect("sha").to_owned(),
    );
    assert!(
        doc.objects.contains(&copy),
        "the digital copy is a file object"
    );
}

/// The received handover of Phòng Nội vụ's fonds (one file missing, one damaged).
fn received_handover() -> String {
    demo()
        .read
        .readers()
        .with_blocking(|c| acts::handovers(c, Some("066-D02"), Some("received"), None))
        .expect("handovers")
        .first()
        .map(|h| h.handover_id.clone())
        .expect("a received handover")
}

#[tokio::test]
async fn the_handover_bag_validates_with_the_library_of_congress_tool() {
    let id = received_handover();
    let dir = tempfile::tempdir().expect("dir");
    let root = dir.path().join(bag::bag_name(&id));
    let options = bag::BagOptions {
        base_url: "https://bangiao.example".into(),
        bagging_date: NaiveDate::from_ymd_opt(2025, 7, 15).expect("date"),
    };
    let d = demo();
    let subject = bag::BagSubject::Handover(id.clone());
    let report = bag::write_dir(&d.store, d.read.readers(), &subject, &options, &root)
        .await
        .expect("bag");
    assert_eq!(report.fonds_code, "066-D02");
    assert_eq!(
        report.events,
        d.store
            .stream_revision("fonds-066-D02")
            .await
            .expect("revision")
            .expect("stream")
            + 1
    );
    let info = std::fs::read_to_string(root.join("bag-info.txt")).expect("bag-info");
    assert!(info.contains(&format!(
        "Payload-Oxum: {}.{}",
        report.oxum.0, report.oxum.1
    )));
    assert!(
        info.contains("Bagging-Date: 2025-07-15")
            && info.contains(&format!("External-Identifier: {id}"))
    );
    let lines = std::fs::read_to_string(root.join("data/su-kien.jsonl")).expect("events");
    for line in lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(v["hash"].as_str().map(str::len), Some(64));
        assert!(v["payload"].is_object() && v["metadata"]["recorded_at"].is_string());
    }
    let zipped = bag::zip_dir(&root, &bag::bag_name(&id), Vec::new()).expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).expect("a zip");
    let unzipped = dir.path().join("unzipped");
    archive.extract(&unzipped).expect("extract");
    if !tool("bagit.py") {
        return;
    }
    for bag_dir in [root, unzipped.join(bag::bag_name(&id))] {
        run(Command::new("bagit.py").arg("--validate").arg(&bag_dir));
    }
}

/// Zips the bag in `root`, unzips it, and validates both with the Library of Congress tool
/// when it is installed.
fn validate_bag(root: &std::path::Path, name: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let zipped = bag::zip_dir(root, name, Vec::new()).expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).expect("a zip");
    archive.extract(dir.path()).expect("extract");
    if !tool("bagit.py") {
        return;
    }
    for bag_dir in [root.to_path_buf(), dir.path().join(name)] {
        run(Command::new("bagit.py").arg("--validate").arg(&bag_dir));
    }
}

/// The data rows of a CSV export (after its header line).
fn csv_rows(path: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(path).expect("a CSV");
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .records()
        .inspect(|r| assert!(r.is_ok(), "a CSV record: {r:?}"))
        .count()
}

#[tokio::test]
async fn the_bags_of_a_transfer_and_of_a_fonds_validate_and_hold_their_lists() {
    let d = demo();
    let options = bag::BagOptions {
        base_url: "https://bangiao.example".into(),
        bagging_date: NaiveDate::from_ymd_opt(2025, 7, 15).expect("date"),
    };
    let transfer = d
        .read
        .readers()
        .with_blocking(|c| acts::transfers(c, Some(FONDS), Some("accepted")))
        .expect("transfers")
        .first()
        .cloned()
        .expect("the 2024 transfer, accepted");
    let subject = bag::BagSubject::Transfer(transfer.transfer_id.clone());
    let dir = tempfile::tempdir().expect("dir");
    let root = dir.path().join(subject.name());
    let report = bag::write_dir(&d.store, d.read.readers(), &subject, &options, &root)
        .await
        .expect("the transfer's bag");
    assert_eq!(
        (report.fonds_code.as_str(), report.files),
        (FONDS, transfer.listed_files)
    );
    let data = root.join("data");
    assert_eq!(
        csv_rows(&data.join("muc-luc.csv")) as u64,
        transfer.listed_files
    );
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("nop-luu.json")).expect("the transfer record"),
    )
    .expect("JSON");
    assert_eq!(
        record["transfer"]["transfer_id"],
        transfer.transfer_id.as_str()
    );
    let outcomes: Vec<&str> = record["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["outcome"].as_str())
        .collect();
    let count = |what: &str| outcomes.iter().filter(|o| **o == what).count() as u64;
    assert_eq!(count("rejected"), 1, "one file refused by the archive");
    assert_eq!(Some(count("accepted")), transfer.accepted);
    assert!(
        record["files"]
            .as_array()
            .expect("files")
            .iter()
            .any(|f| f["reason"]
                .as_str()
                .is_some_and(|r| r.contains("chưa được chỉnh lý"))),
        "the rejection keeps its reason"
    );
    let info = std::fs::read_to_string(root.join("bag-info.txt")).expect("bag-info");
    assert!(info.contains(&format!("External-Identifier: {}", transfer.transfer_id)));
    assert!(info.contains(&format!("Source-Organization: {}", transfer.transferring)));
    let pdf = std::fs::read(data.join("muc-luc.pdf")).expect("the list as PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    let premis = std::fs::read_to_string(data.join("su-kien.premis.xml")).expect("PREMIS");
    assert!(premis.contains(&format!("mã: {}", transfer.transfer_id)));
    validate_bag(&root, &subject.name());

    let subject = bag::BagSubject::Fonds("066-D02".to_owned());
    let root = dir.path().join(subject.name());
    let report = bag::write_dir(&d.store, d.read.readers(), &subject, &options, &root)
        .await
        .expect("the fonds' bag");
    let files = all_rows(&Scope::Fonds("066-D02".into())).len() as u64;
    assert_eq!(
        (report.fonds_code.as_str(), report.files),
        ("066-D02", files)
    );
    let data = root.join("data");
    assert_eq!(csv_rows(&data.join("muc-luc.csv")) as u64, files);
    let ead = std::fs::read_to_string(data.join("muc-luc.ead3.xml")).expect("EAD3");
    assert_eq!(ead.matches("<c level=\"file\">").count() as u64, files);
    let events = std::fs::read_to_string(data.join("su-kien.jsonl")).expect("events");
    assert_eq!(events.lines().count() as u64, report.events);
    let premis = std::fs::read_to_string(data.join("su-kien.premis.xml")).expect("PREMIS");
    assert_eq!(premis.matches("<event>").count() as u64, report.events);
    let info = std::fs::read_to_string(root.join("bag-info.txt")).expect("bag-info");
    assert!(info.contains("External-Identifier: 066-D02"));
    assert!(
        info.contains("External-Description: Phông Phòng Nội vụ huyện Pác Nặm (066-D02)"),
        "{info}"
    );
    assert!(
        std::fs::read(data.join("muc-luc.pdf"))
            .expect("PDF")
            .starts_with(b"%PDF-")
    );
    validate_bag(&root, &subject.name());
    if let (Some(schema), true) = (ead3_schema(), tool("xmllint")) {
        run(Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(data.join("muc-luc.ead3.xml")));
    }
}

/// Writes an export to `$BANGIAO_EXPORT_DUMP/{name}` when that variable is set, to look at.
fn dump(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("BANGIAO_EXPORT_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).expect("dump");
    }
}

/// The start of a long text, for failure messages.
fn head(text: &str) -> String {
    text.chars().take(3000).collect()
}

fn pdftotext(bytes: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, bytes).expect("write");
    Some(run(Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")))
}

#[test]
fn pdf_list_and_minutes_carry_the_vietnamese_headings_and_rows() {
    let scope = Scope::Fonds(FONDS.into());
    let rows = all_rows(&scope);
    let (list, n) = demo()
        .read
        .readers()
        .with_blocking(|c| {
            let heading = ListHeading::load(c, &scope, &Filter::default())?;
            pdf::write_list(
                &heading,
                &mut QueryRows::new(c, scope.clone(), Filter::default()),
            )
        })
        .expect("pdf");
    assert_eq!(n as usize, rows.len());
    assert!(list.starts_with(b"%PDF-"));
    let id = received_handover();
    let (minutes_pdf, listed) = demo()
        .read
        .readers()
        .with_blocking(|c| {
            let m = Minutes::load(c, &id, "https://bangiao.example")?;
            pdf::write_minutes(&m, &mut attached_rows(c, &m.handover)?)
        })
        .expect("minutes");
    assert!(listed > 0);
    dump("muc-luc.pdf", &list);
    dump("bien-ban.pdf", &minutes_pdf);
    let Some(text) = pdftotext(&list) else {
        return;
    };
    for heading in [
        "MỤC LỤC HỒ SƠ",
        "Tiêu đề hồ sơ",
        "Số, ký hiệu hồ sơ",
        "Viết bằng chữ",
    ] {
        assert!(
            text.contains(heading),
            "{heading} missing from:\n{}",
            head(&text)
        );
    }
    for row in [&rows[0], &rows[rows.len() / 2], &rows[rows.len() - 1]] {
        assert!(text.contains(&row.file_code), "{} missing", row.file_code);
    }
    let shortest = rows
        .iter()
        .min_by_key(|r| r.title.chars().count())
        .expect("a row");
    assert!(text.contains(&shortest.title), "{} missing", shortest.title);
    let text = pdftotext(&minutes_pdf).expect("pdftotext");
    for heading in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Về việc giao nhận hồ sơ, tài liệu",
        "BÊN GIAO",
        "BÊN NHẬN",
        "Tình trạng tài liệu giao nộp",
        "ĐẠI DIỆN BÊN GIAO",
        "MỤC LỤC HỒ SƠ, TÀI LIỆU GIAO NỘP",
        "Đầu chuỗi băm",
    ] {
        assert!(
            text.contains(heading),
            "{heading} missing from:\n{}",
            head(&text)
        );
    }
}

#[test]
fn html_of_a_real_list_and_minutes_streams_every_row() {
    let id = received_handover();
    let (page, minutes, listed, at) = demo()
        .read
        .readers()
        .with_blocking(|c| {
            let scope = Scope::Unit(UNIT.into());
            let heading = ListHeading::load(c, &scope, &Filter::default())?;
            let mut page = Vec::new();
            html::write_list(
                &heading,
                &mut QueryRows::new(c, scope, Filter::default()),
                &mut page,
            )?;
            let m = Minutes::load(c, &id, "https://bangiao.example")?;
            let mut minutes = Vec::new();
            let listed =
                html::write_minutes(&m, &mut attached_rows(c, &m.handover)?, &mut minutes)?;
            let at = (m.handover.event_position, m.handover.event_hash.clone());
            Ok::<_, bangiao_documents::export::ExportError>((page, minutes, listed, at))
        })
        .expect("html");
    let (m_position, m_hash) = at;
    dump("muc-luc-066.html", &page);
    dump("bien-ban.html", &minutes);
    let page = String::from_utf8(page).expect("utf-8");
    let rows = all_rows(&Scope::Unit(UNIT.into()));
    assert_eq!(page.matches("<tr><td").count(), rows.len());
    let minutes = String::from_utf8(minutes).expect("utf-8");
    assert_eq!(minutes.matches("<tr><td").count() as u64, listed);
    // The QR code and the printed link open the public verification page of these minutes as
    // printed: the handover, the position of its latest event and a prefix of that event's hash.
    let verification = format!(
        "https://bangiao.example/xac-minh/bb-{}-{}-{}",
        uuid::Uuid::parse_str(&id).expect("uuid").simple(),
        m_position,
        &m_hash[..16]
    );
    assert!(m_position > 0 && minutes.contains("<svg") && minutes.contains(&verification));
    assert!(
        minutes.contains("sai lệch"),
        "the receipt's discrepancies are printed"
    );
    // The demo's people sign as named by the demo: the department's head gives, the
    // Department of Home Affairs' archivist receives; neither account nor custodian is printed.
    let giver = bangiao_app::demo::identity("truongphong.pnv066").expect("in the cast");
    let receiver = bangiao_app::demo::identity("luutru.snv19").expect("in the cast");
    for line in [
        "BÊN GIAO: Phòng Nội vụ huyện Pác Nặm".to_owned(),
        "BÊN NHẬN: Sở Nội vụ tỉnh Thái Nguyên".to_owned(),
        format!("Ông (bà): {} — Chức vụ: Trưởng phòng", giver.name),
        format!("Ông (bà): {} — Chức vụ: Lưu trữ viên", receiver.name),
        "- Số hồ sơ thiếu, không giao được (thất lạc): 1 hồ sơ (một hồ sơ);".to_owned(),
        "- Số hồ sơ hư hỏng: 1 hồ sơ (một hồ sơ).".to_owned(),
    ] {
        assert!(minutes.contains(&line), "{line} missing from the minutes");
    }
    for unwanted in ["PNV-066", "SNV-19", "truongphong.pnv066", "luutru.snv19"] {
        assert!(!minutes.contains(unwanted), "{unwanted} printed");
    }
    let mut counted = 0;
    demo()
        .read
        .readers()
        .with_blocking(|c| {
            let h = acts::handover(c, &id)?.expect("handover");
            attached_rows(c, &h)?.each(&mut |_| {
                counted += 1;
                Ok(())
            })?;
            Ok::<_, bangiao_documents::export::ExportError>(())
        })
        .expect("rows");
    assert_eq!(counted, listed);
}

//! Our own exports import back: a fonds' Mục lục exported as CSV and as XLSX, imported into a
//! fresh fonds of the same creator (same organ id, so the same file-code prefix), gives the same
//! files with the same titles, dates, boxes, sheets, retention, access and totals. Tested on the
//! demo's district fonds and on a generated list of 10,000 files, whose export imported back
//! into its own fonds (closed since) finds every file already present and writes nothing.

#[allow(dead_code)]
mod export_support;

use std::collections::BTreeMap;

use bangiao_app::handler::CommandMeta;
use bangiao_app::{CommandBatch, Service};
use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::{ExportError, csv, xlsx};
use bangiao_documents::import::{Format, ImportOptions, ImportReport, import_inventory};
use bangiao_domain::fonds::{CloseFonds, FondsCommand, OpenFonds, RecordFile};
use bangiao_domain::unit::{RegisterUnit, UnitDetails};
use bangiao_domain::values::{
    AccessRegime, BoxNumber, Carrier, CustodianId, DocumentNumber, FileCode, FileNotation,
    FondsCode, FondsKind, LegalBasis, Name, Note, OrganId, RetentionPeriod, Title, UnitCode,
    UnitLevel, UnitType,
};
use bangiao_projections::ReadModel;
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope};
use bangiao_store::{EventStore, MemoryStore};
use chrono::{Days, NaiveDate};
use uuid::Uuid;

/// The demo's district People's Committee and its creator's organ id.
const DEMO_FONDS: &str = "066-UB";
const DEMO_ORGAN: &str = "000.00.66.H06";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn meta() -> CommandMeta {
    CommandMeta::new(Uuid::now_v7())
}

fn basis() -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse("56/2003/NĐ-CP").expect("valid"),
        issued_on: day(2003, 5, 28),
        issuer: Name::parse("Chính phủ").expect("valid"),
        title: None,
    }
}

/// A province and a district, and one open fonds of the creator `organ` in the district.
async fn fresh_fonds(service: &Service<MemoryStore>, code: &str, organ: &str) -> FondsCode {
    let unit = |code: &str, name: &str, level, unit_type, parent: Option<&str>| RegisterUnit {
        code: UnitCode::parse(code).expect("valid"),
        details: UnitDetails {
            name: Name::parse(name).expect("valid"),
            level,
            unit_type,
            parent: parent.map(|p| UnitCode::parse(p).expect("valid")),
            parent_level: None,
            parent_lifespan: None,
        },
        valid_from: day(2003, 5, 28),
        legal_basis: basis(),
    };
    service
        .register_unit(
            unit(
                "19",
                "Tỉnh Thái Nguyên",
                UnitLevel::Province,
                UnitType::Province,
                None,
            ),
            &meta(),
        )
        .await
        .expect("the province registers");
    service
        .register_unit(
            unit(
                "066",
                "Huyện Pác Nặm",
                UnitLevel::District,
                UnitType::District,
                Some("19"),
            ),
            &meta(),
        )
        .await
        .expect("the district registers");
    let fonds = FondsCode::parse(code).expect("valid");
    let open = OpenFonds {
        fonds_code: fonds.clone(),
        name: Name::parse("Phông Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse(organ).expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("UBND-066").expect("valid"),
        opened_on: day(1990, 1, 1),
        unit_ended_on: None,
    };
    service
        .fonds_command(&fonds, open.into(), &meta())
        .await
        .expect("the fonds opens");
    fonds
}

async fn import(
    service: &Service<MemoryStore>,
    fonds: &FondsCode,
    bytes: &[u8],
    format: Format,
    options: &ImportOptions,
) -> ImportReport {
    import_inventory(service, fonds, bytes, format, options, &mut |_| {})
        .await
        .expect("the file is taken")
}

/// What a Mục lục carries of a file, and must come back the same.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    file_code: String,
    title: String,
    start: NaiveDate,
    end: NaiveDate,
    retention: String,
    retention_years: Option<u32>,
    access: String,
    box_number: Option<String>,
    sheets: Option<u32>,
    notes: Option<String>,
}

fn lines(rows: &[FileRow]) -> Vec<Line> {
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|r| Line {
            file_code: r.file_code.clone(),
            title: r.title.clone(),
            start: r.start_date,
            end: r.end_date,
            retention: r.retention.clone(),
            retention_years: r.retention_years,
            access: r.access.clone(),
            box_number: r.box_number.clone(),
            sheets: r.sheets,
            notes: r.notes.clone(),
        })
        .collect();
    lines.sort();
    lines
}

/// Every row of a fonds' list, its figures and its closing lines (the totals).
struct Listed {
    rows: Vec<FileRow>,
    totals: Vec<String>,
    by_retention: BTreeMap<String, u64>,
    by_access: BTreeMap<String, u64>,
    boxes: u64,
    sheets: u64,
}

fn listed(read: &ReadModel, fonds: &str) -> Listed {
    let scope = Scope::Fonds(fonds.to_owned());
    read.readers()
        .with_blocking(|c| {
            let mut rows = Vec::new();
            inventory::for_each(c, &scope, &Filter::default(), |r| {
                rows.push(r);
                true
            })?;
            let heading = ListHeading::load(c, &scope, &Filter::default())?;
            Ok::<_, ExportError>(Listed {
                rows,
                totals: heading.closing_lines(),
                by_retention: heading.stats.by_retention.clone(),
                by_access: heading.stats.by_access.clone(),
                boxes: heading.stats.boxes,
                sheets: heading.stats.sheets,
            })
        })
        .expect("the list reads")
}

/// The fonds' list as CSV and as XLSX, as the service sends them.
fn exports(read: &ReadModel, fonds: &str) -> [(Format, Vec<u8>); 2] {
    let scope = Scope::Fonds(fonds.to_owned());
    read.readers()
        .with_blocking(|c| {
            let mut csv_bytes = Vec::new();
            csv::write(
                &mut QueryRows::new(c, scope.clone(), Filter::default()),
                &mut csv_bytes,
            )?;
            let heading = ListHeading::load(c, &scope, &Filter::default())?;
            let mut xlsx_bytes = Vec::new();
            xlsx::write(
                &heading,
                &mut QueryRows::new(c, scope.clone(), Filter::default()),
                &mut xlsx_bytes,
            )?;
            Ok::<_, ExportError>([(Format::Csv, csv_bytes), (Format::Xlsx, xlsx_bytes)])
        })
        .expect("the exports write")
}

/// Imports each export into a fresh fonds of creator `organ` and checks that the fresh fonds
/// lists the same files with the same figures.
async fn round_trip(source: &Listed, exports: [(Format, Vec<u8>); 2], organ: &str) {
    for (format, bytes) in exports {
        let service = Service::new(MemoryStore::new());
        let fresh = fresh_fonds(&service, "066-UB-MOI", organ).await;
        let report = import(&service, &fresh, &bytes, format, &ImportOptions::default()).await;
        assert!(
            report.problems.is_empty(),
            "{format:?}: {} problems, first {:?}",
            report.problems.len(),
            report.problems.first()
        );
        assert!(!report.blocked, "{format:?}");
        if format == Format::Csv {
            // Who holds each file and where it stands are not the importer's to set.
            for column in ["Mã phông", "Đơn vị đang giữ", "Tình trạng", "Mã tình trạng"]
            {
                assert!(
                    report.ignored_columns.iter().any(|c| c == column),
                    "{column}: {:?}",
                    report.ignored_columns
                );
            }
        }
        assert_eq!(
            report.files_recorded as usize,
            source.rows.len(),
            "{format:?}"
        );
        let dir = tempfile::tempdir().expect("dir");
        let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
        read.catch_up(service.store()).await.expect("projected");
        let back = listed(&read, fresh.as_str());
        assert_eq!(back.rows.len(), source.rows.len(), "{format:?}");
        assert_eq!(lines(&back.rows), lines(&source.rows), "{format:?}");
        assert_eq!(back.totals, source.totals, "{format:?}");
        assert_eq!(back.by_retention, source.by_retention, "{format:?}");
        assert_eq!(back.by_access, source.by_access, "{format:?}");
        assert_eq!(
            (back.boxes, back.sheets),
            (source.boxes, source.sheets),
            "{format:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_fonds_exported_as_csv_and_xlsx_imports_back_the_same() {
    let demo = export_support::demo();
    let source = listed(&demo.read, DEMO_FONDS);
    assert!(source.rows.len() > 1000, "the demo fonds has its files");
    assert!(source.boxes > 0 && source.sheets > 0);
    round_trip(&source, exports(&demo.read, DEMO_FONDS), DEMO_ORGAN).await;
}

/// Ten thousand files of one creator, with what lists hold at their edges: titles and notes
/// that a spreadsheet would run as formulas, commas, quotes and line breaks, notations with
/// slashes and dashes, boxes that are not plain numbers, files without a box or a sheet count,
/// every retention period (other terms too) and every access regime.
fn generated_files(organ: &str, custodian: &CustodianId) -> Vec<RecordFile> {
    const FILES: u32 = 10_000;
    let retentions = [
        RetentionPeriod::PERMANENT,
        RetentionPeriod::fixed_term(70).expect("valid"),
        RetentionPeriod::fixed_term(50).expect("valid"),
        RetentionPeriod::fixed_term(30).expect("valid"),
        RetentionPeriod::fixed_term(20).expect("valid"),
        RetentionPeriod::fixed_term(10).expect("valid"),
        RetentionPeriod::fixed_term(5).expect("valid"),
        RetentionPeriod::fixed_term(15).expect("valid"),
    ];
    let accesses = [
        AccessRegime::Open,
        AccessRegime::Conditional,
        AccessRegime::Secret,
    ];
    (0..FILES)
        .map(|i| {
            let year = 1990 + (i % 35) as i32;
            let notation = match i % 4 {
                0 => format!("{i:05}"),
                1 => format!("{i}/TCCB"),
                2 => format!("{i}-VP"),
                _ => format!("HS_{i}"),
            };
            let title = match i % 9 {
                0 => format!("- Hồ sơ số {i} về công tác cán bộ"),
                1 => format!("=HYPERLINK(\"http://x\";\"{i}\")"),
                2 => format!("+{i} Kế hoạch, báo cáo \"tổng kết\"; năm {year}"),
                3 => format!("@Tập lưu công văn đi số {i}"),
                _ => format!("Hồ sơ giải quyết đơn thư của công dân, số {i}, năm {year}"),
            };
            let start = day(year, 1, 1) + Days::new(u64::from(i % 300));
            let end = start + Days::new(u64::from(i % 60));
            let box_number = match i % 11 {
                0 => None,
                1 => Some(format!("{:03}", i / 30)),
                2 => Some(format!("{}A", i / 30)),
                3 => Some(format!("{}.{}", i / 300, i % 3)),
                _ => Some((i / 30 + 1).to_string()),
            };
            let notes = match i % 13 {
                0 => Some("Có bản đồ kèm theo,\nkhổ A3".to_owned()),
                1 => Some(format!("=1+{i}")),
                2 => Some("-".to_owned()),
                _ => None,
            };
            RecordFile {
                file_code: FileCode::new(
                    organ,
                    year,
                    &FileNotation::parse(&notation).expect("valid"),
                )
                .expect("valid"),
                title: Title::parse(&title).expect("valid"),
                start_date: start,
                end_date: end,
                retention: retentions[i as usize % retentions.len()],
                access: accesses[i as usize % accesses.len()],
                carrier: Carrier::Paper,
                box_number: box_number.map(|b| BoxNumber::parse(&b).expect("valid")),
                sheets: (i % 17 != 0).then_some(1 + i % 250),
                language: Name::parse("Tiếng Việt").expect("valid"),
                notes: notes.map(|n| Note::parse(&n).expect("valid")),
                custodian: Some(custodian.clone()),
                list_number: None,
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_list_of_ten_thousand_files_imports_back_the_same() {
    const ORGAN: &str = "000.00.07.H56";
    let service = Service::new(MemoryStore::new());
    let fonds = fresh_fonds(&service, "066-UB", ORGAN).await;
    let custodian = CustodianId::parse("UBND-066").expect("valid");
    let batches = generated_files(ORGAN, &custodian)
        .chunks(5_000)
        .map(|chunk| CommandBatch {
            command_id: Uuid::now_v7(),
            commands: chunk.iter().cloned().map(FondsCommand::from).collect(),
        })
        .collect();
    service
        .fonds_batches(&fonds, batches, &meta(), &mut |_| {})
        .await
        .expect("the files record");
    // Closed, so that files recorded now would take the fonds code: the list's codes keep the
    // organ id they were recorded under.
    let close = CloseFonds {
        closed_on: day(2025, 6, 30),
        closing_act: basis(),
    };
    service
        .fonds_command(&fonds, close.into(), &meta())
        .await
        .expect("the fonds closes");
    let dir = tempfile::tempdir().expect("dir");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    read.catch_up(service.store()).await.expect("projected");
    let source = listed(&read, fonds.as_str());
    assert_eq!(source.rows.len(), 10_000);
    let exported = exports(&read, fonds.as_str());
    let head = service.store().head_position();
    for (format, bytes) in exported.clone() {
        let again = import(&service, &fonds, &bytes, format, &ImportOptions::default()).await;
        assert!(
            again.problems.is_empty(),
            "{format:?}: {:?}",
            again.problems.first()
        );
        assert_eq!(
            (again.rows_present, again.files_recorded),
            (10_000, 0),
            "{format:?}"
        );
    }
    assert_eq!(service.store().head_position(), head, "nothing appended");
    round_trip(&source, exported, ORGAN).await;
}

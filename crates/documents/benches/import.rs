//! Import throughput, end to end and durable: a generated inventory list read from disk,
//! checked row by row, and recorded as `FileRecorded` events in the embedded SQLite store
//! (`synchronous=FULL`), through `import_inventory` exactly as the CLI runs it.
//!
//! `cargo bench -p bangiao-documents --bench import -- [xlsx] [csv]` (both by default).
//! Sizes: `BENCH_XLSX_ROWS` (default 100,000), `BENCH_CSV_ROWS` (default 1,000,000); files per
//! append: `BENCH_BATCH` (default: the import's own, 5,000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_documents::import::{Format, ImportOptions, Phase, import_inventory};
use bangiao_domain::fonds::{CloseFonds, OpenFonds};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
};
use bangiao_store::{EventStore, SqliteConfig, SqliteStore};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format as CellFormat, Workbook};
use uuid::Uuid;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const HEADER: [&str; 10] = [
    "Hộp số",
    "Hồ sơ số",
    "Ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Số tờ",
    "Thời hạn bảo quản",
    "Chế độ sử dụng",
    "Ghi chú",
];

const TOPICS: [&str; 8] = [
    "tài chính ngân sách",
    "đất đai",
    "giáo dục",
    "y tế",
    "xây dựng cơ bản",
    "lao động thương binh xã hội",
    "nông nghiệp",
    "văn hóa thông tin",
];

const RETENTION: [&str; 5] = ["Vĩnh viễn", "70 năm", "20 năm", "15 năm", "10 năm"];

/// One row of a generated list, the way the samples write it: 40 files a box, dates within
/// one year from 1990 on, numbered through the whole list.
fn row(n: usize) -> [String; 10] {
    let year = 1990 + (n / 40_000) as i32;
    let start = NaiveDate::from_ymd_opt(year, 1 + (n % 12) as u32, 1 + (n % 28) as u32)
        .expect("a real day");
    let end = start + chrono::Days::new((n % 200) as u64);
    [
        (n / 40 + 1).to_string(),
        (n + 1).to_string(),
        format!("{:02}.{year}", n + 1),
        format!(
            "Hồ sơ số {} về công tác {} của Ủy ban nhân dân huyện Pác Nặm năm {year}",
            n + 1,
            TOPICS[n % TOPICS.len()]
        ),
        start.format("%Y-%m-%d").to_string(),
        end.format("%Y-%m-%d").to_string(),
        (5 + n % 200).to_string(),
        RETENTION[n % RETENTION.len()].to_owned(),
        if n.is_multiple_of(7) {
            "Hạn chế"
        } else {
            "Công khai"
        }
        .to_owned(),
        if n.is_multiple_of(5) {
            "Đã số hóa"
        } else {
            ""
        }
        .to_owned(),
    ]
}

fn csv_list(rows: usize) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows * 200));
    writer.write_record(HEADER).expect("writes");
    for n in 0..rows {
        writer.write_record(row(n)).expect("writes");
    }
    writer.into_inner().expect("flushes")
}

/// An XLSX like the samples: a title block, the header on row 5, dates as date cells.
fn xlsx_list(rows: usize) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = CellFormat::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "MỤC LỤC HỒ SƠ").expect("writes");
    sheet
        .write_string(1, 0, "Phông: Ủy ban nhân dân huyện Pác Nặm")
        .expect("writes");
    for (col, title) in HEADER.iter().enumerate() {
        sheet.write_string(4, col as u16, *title).expect("writes");
    }
    for n in 0..rows {
        let r = 5 + n as u32;
        let cells = row(n);
        sheet
            .write_number(r, 0, (n / 40 + 1) as f64)
            .expect("writes");
        sheet.write_number(r, 1, (n + 1) as f64).expect("writes");
        sheet.write_string(r, 2, &cells[2]).expect("writes");
        sheet.write_string(r, 3, &cells[3]).expect("writes");
        for (col, text) in [(4u16, &cells[4]), (5, &cells[5])] {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
            sheet
                .write_date_with_format(r, col, day, &date)
                .expect("writes");
        }
        sheet
            .write_number(r, 6, (5 + n % 200) as f64)
            .expect("writes");
        sheet.write_string(r, 7, &cells[7]).expect("writes");
        sheet.write_string(r, 8, &cells[8]).expect("writes");
        if !cells[9].is_empty() {
            sheet.write_string(r, 9, &cells[9]).expect("writes");
        }
    }
    workbook.save_to_buffer().expect("saves")
}

fn basis() -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse("96/QĐ-UBND").expect("valid"),
        issued_on: NaiveDate::from_ymd_opt(2025, 6, 26).expect("valid"),
        issuer: Name::parse("UBND huyện Pác Nặm").expect("valid"),
        title: None,
    }
}

/// A closed fonds in a fresh durable store.
async fn closed_fonds(dir: &std::path::Path) -> (Service<Arc<SqliteStore>>, FondsCode) {
    let store =
        Arc::new(SqliteStore::open(SqliteConfig::new(dir.join("events.db"))).expect("opens"));
    let service = Service::new(store);
    let code = FondsCode::parse("066-UB").expect("valid");
    let open = OpenFonds {
        fonds_code: code.clone(),
        name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse("000.00.66.H06").expect("valid"),
        creator_name: Name::parse("UBND huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("UBND-066").expect("valid"),
        opened_on: NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid"),
        unit_ended_on: None,
    };
    let close = CloseFonds {
        closed_on: NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid"),
        closing_act: basis(),
    };
    for command in [open.into(), close.into()] {
        service
            .fonds_command(&code, command, &CommandMeta::new(Uuid::now_v7()))
            .await
            .expect("accepted");
    }
    (service, code)
}

/// Peak resident memory of this process, from /proc (Linux), in MiB.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

async fn run(label: &str, format: Format, rows: usize) {
    let generated = Instant::now();
    let bytes = match format {
        Format::Xlsx => xlsx_list(rows),
        Format::Csv => csv_list(rows),
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(format!("list.{label}"));
    std::fs::write(&path, &bytes).expect("writes");
    println!(
        "{label}: {rows} rows, {:.1} MiB, generated in {:.1} s",
        bytes.len() as f64 / 1_048_576.0,
        generated.elapsed().as_secs_f64()
    );
    drop(bytes);
    let (service, code) = closed_fonds(dir.path()).await;
    let start = Instant::now();
    let bytes = std::fs::read(&path).expect("reads");
    let mut applying: Option<Duration> = None;
    let report = import_inventory(
        &service,
        &code,
        &bytes,
        format,
        &ImportOptions {
            batch_size: env_usize("BENCH_BATCH", ImportOptions::default().batch_size),
            ..ImportOptions::default()
        },
        &mut |step| {
            if step.phase == Phase::Applying && applying.is_none() {
                applying = Some(start.elapsed());
            }
        },
    )
    .await
    .expect("imports");
    let total = start.elapsed();
    assert_eq!(
        report.files_recorded as usize,
        rows,
        "{:?}",
        report.problems.first()
    );
    let checked = applying.unwrap_or(total);
    println!(
        "{label}: {rows} rows in {:.2} s = {:.0} rows/s end to end (read and check {:.2} s, \
         record {:.2} s), {} events, peak RSS {} MiB",
        total.as_secs_f64(),
        rows as f64 / total.as_secs_f64(),
        checked.as_secs_f64(),
        (total - checked).as_secs_f64(),
        service.store().head_position(),
        peak_mib().unwrap_or(0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        if wanted("xlsx") {
            run("xlsx", Format::Xlsx, env_usize("BENCH_XLSX_ROWS", 100_000)).await;
        }
        if wanted("csv") {
            run("csv", Format::Csv, env_usize("BENCH_CSV_ROWS", 1_000_000)).await;
        }
    });
}

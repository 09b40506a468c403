//! Export of a 100,000-file inventory: CSV, XLSX, EAD3 and PDF (and HTML, PREMIS), each timed
//! and with the process's peak resident memory during it (VmHWM, reset before each export
//! through /proc/self/clear_refs). The files are generated as a CSV list, imported into a fonds
//! of a temporary SQLite store and projected before the clock starts.
//!
//! `cargo bench -p bangiao-documents --bench export -- [csv] [xlsx] [ead3] [pdf] [html] [premis]`
//! (all by default); size: `BENCH_FILES` (default 100,000).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::time::Instant;

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_documents::export::ead3::{self, Ead3Options};
use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::{ExportError, csv, html, pdf, premis, xlsx};
use bangiao_documents::import::{Format, ImportOptions, import_inventory};
use bangiao_domain::fonds::OpenFonds;
use bangiao_domain::values::{CustodianId, FondsCode, FondsKind, Name, OrganId, UnitCode};
use bangiao_projections::ReadModel;
use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_store::{SqliteConfig, SqliteStore};
use chrono::NaiveDate;

const TOPICS: [&str; 6] = [
    "tài chính ngân sách",
    "đất đai",
    "giáo dục và đào tạo",
    "y tế, dân số",
    "xây dựng cơ bản",
    "lao động thương binh xã hội",
];

/// A generated list: 40 files a box, one year of files per 4,000, titles of 60–90 characters.
fn list(files: usize) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::with_capacity(files * 200));
    w.write_record([
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
    ])
    .expect("writes");
    for n in 0..files {
        let year = 1980 + (n / 4_000) as i32;
        let start =
            NaiveDate::from_ymd_opt(year, 1 + (n % 12) as u32, 1 + (n % 28) as u32).expect("a day");
        let end = start + chrono::Days::new((n % 150) as u64);
        w.write_record([
            (n / 40 + 1).to_string(),
            (n + 1).to_string(),
            format!("{:02}.{year}", n + 1),
            format!(
                "Hồ sơ về công tác {} của Ủy ban nhân dân huyện Pác Nặm năm {year}",
                TOPICS[n % TOPICS.len()]
            ),
            start.to_string(),
            end.to_string(),
            (5 + n % 200).to_string(),
            ["Vĩnh viễn", "70 năm", "20 năm", "10 năm"][n % 4].to_owned(),
            if n % 7 == 0 {
                "Hạn chế"
            } else {
                "Công khai"
            }
            .to_owned(),
            if n % 9 == 0 {
                "Tài liệu bị ố vàng"
            } else {
                ""
            }
            .to_owned(),
        ])
        .expect("writes");
    }
    w.into_inner().expect("flushes")
}

/// Resident memory now and at its peak since the last reset, in MiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn reset_peak() {
    // "5" resets the peak resident set size (Linux ≥ 4.0).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let files: usize = std::env::var("BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let code = "066-UB";
    let (store, read) = runtime.block_on(async {
        let store = Arc::new(
            SqliteStore::open(SqliteConfig::new(dir.path().join("events.db"))).expect("store"),
        );
        let service = Service::new(store.clone());
        let fonds = FondsCode::parse(code).expect("code");
        let open = OpenFonds {
            fonds_code: fonds.clone(),
            name: Name::parse("Phông Ủy ban nhân dân huyện Pác Nặm").expect("name"),
            kind: FondsKind::State,
            creator_organ_id: OrganId::parse("000.00.66.H06").expect("organ"),
            creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("name"),
            unit_code: UnitCode::parse("066").expect("unit"),
            custodian: CustodianId::parse("UBND-066").expect("custodian"),
            opened_on: NaiveDate::from_ymd_opt(1980, 1, 1).expect("day"),
            unit_ended_on: None,
        };
        service
            .fonds_command(&fonds, open.into(), &CommandMeta::new(uuid::Uuid::now_v7()))
            .await
            .expect("opened");
        let started = Instant::now();
        let report = import_inventory(
            &service,
            &fonds,
            &list(files),
            Format::Csv,
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await
        .expect("imported");
        assert_eq!(report.files_recorded as usize, files);
        let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
        read.catch_up(&*store).await.expect("projected");
        println!(
            "setup: {files} files imported and projected in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        (store, read)
    });
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).expect("dir");
    let scope = Scope::Fonds(code.into());
    let readers = read.readers().clone();
    for name in ["csv", "xlsx", "ead3", "pdf", "html", "premis"] {
        if !wanted(name) {
            continue;
        }
        let path = out_dir.join(format!("muc-luc.{name}"));
        let mut out = BufWriter::new(File::create(&path).expect("file"));
        reset_peak();
        let (before, _) = memory();
        let started = Instant::now();
        let rows = if name == "premis" {
            runtime
                .block_on(premis::write(&*store, code, &mut out))
                .expect("premis")
        } else {
            readers
                .with_blocking(|c| -> Result<u64, ExportError> {
                    let mut rows = QueryRows::new(c, scope.clone(), Filter::default());
                    Ok(match name {
                        "csv" => csv::write(&mut rows, &mut out)?,
                        "ead3" => ead3::write(c, code, &Ead3Options::default(), &mut out)?,
                        _ => {
                            let heading = ListHeading::load(c, &scope, &Filter::default())?;
                            match name {
                                "xlsx" => xlsx::write(&heading, &mut rows, &mut out)?,
                                "html" => html::write_list(&heading, &mut rows, &mut out)?,
                                _ => {
                                    let (bytes, n) = pdf::write_list(&heading, &mut rows)?;
                                    out.write_all(&bytes)?;
                                    n
                                }
                            }
                        }
                    })
                })
                .expect("export")
        };
        out.flush().expect("flush");
        let seconds = started.elapsed().as_secs_f64();
        let (_, peak) = memory();
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        println!(
            "{name}: {rows} rows in {seconds:.2} s, {:.1} MiB written, RSS {before} MiB before, peak {peak} MiB",
            size as f64 / 1_048_576.0
        );
    }
}

//! `bangiao import`: imports an inventory list (XLSX or CSV) into a fonds of the embedded
//! store, with a progress bar and a summary; `--report` writes every problem as CSV.

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_documents::import::{
    Format, ImportOptions, ImportReport, Phase, Progress, import_inventory,
};
use bangiao_domain::values::FondsCode;
use bangiao_server::Store;
use bangiao_store::Durability;

use super::CliError;
use crate::data_dir::DataDir;
use crate::progress::bar;

/// Options of `bangiao import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The fonds to import into (mã phông), e.g. 066-UB.
    #[arg(long)]
    pub fonds: String,
    /// The inventory list, .xlsx or .csv.
    pub file: PathBuf,
    /// Check only: report the problems, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Record the valid rows even if other rows have problems.
    #[arg(long)]
    pub valid_only: bool,
    /// Write every problem to this CSV file.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Imports the file; fails (non-zero exit) when problems blocked the apply.
pub async fn run(args: Args) -> Result<(), CliError> {
    let invalid = |e: bangiao_domain::ValueError| {
        CliError::Import(format!("{} / {}", e.message_vi(), e.message_en()))
    };
    let fonds = FondsCode::parse(&args.fonds).map_err(invalid)?;
    let options = ImportOptions {
        dry_run: args.dry_run,
        valid_only: args.valid_only,
        ..ImportOptions::default()
    };
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::Io(format!("{}: {e}", args.file.display())))?;
    let format = Format::detect(&bytes, args.file.to_str()).map_err(refused)?;
    let dir = DataDir::new(&args.data_dir);
    dir.require_store()?;
    let store: Store = std::sync::Arc::new(dir.open_store(Durability::Full)?);
    let service = Service::new(store);
    let mut current: Option<(Phase, indicatif::ProgressBar)> = None;
    let report = import_inventory(&service, &fonds, &bytes, format, &options, &mut |step| {
        show(&mut current, step);
    })
    .await
    .map_err(refused)?;
    if let Some((_, done)) = current.take() {
        done.finish();
    }
    if let Some(path) = &args.report {
        let file = std::fs::File::create(path)
            .map_err(|e| CliError::Io(format!("{}: {e}", path.display())))?;
        report
            .write_csv(std::io::BufWriter::new(file))
            .map_err(|e| CliError::Io(format!("{}: {e}", path.display())))?;
    }
    summary(&report);
    if report.blocked {
        return Err(CliError::Import(format!(
            "{} dòng có lỗi, chưa ghi gì (sửa tệp, hoặc dùng --valid-only) / {} rows have problems, nothing written (fix the file, or use --valid-only)",
            report.rows_with_problems, report.rows_with_problems
        )));
    }
    Ok(())
}

fn refused(e: bangiao_documents::import::ImportError) -> CliError {
    CliError::Import(format!(
        "{} / {} [{}]",
        e.message_vi(),
        e.message_en(),
        e.code()
    ))
}

/// Moves the bar along, starting a new one when the phase changes.
fn show(current: &mut Option<(Phase, indicatif::ProgressBar)>, step: Progress) {
    if current
        .as_ref()
        .is_none_or(|(phase, _)| *phase != step.phase)
    {
        if let Some((_, done)) = current.take() {
            done.finish();
        }
        let label = match step.phase {
            Phase::Checking => "Kiểm tra / checking",
            Phase::Applying => "Ghi / recording",
        };
        *current = Some((step.phase, bar(step.total, label)));
    }
    if let Some((_, progress)) = current {
        progress.set_length(step.total.max(step.done));
        progress.set_position(step.done);
    }
}

fn summary(report: &ImportReport) {
    for p in report.problems.iter().take(20) {
        println!(
            "  dòng/row {} {} [{}] {} / {}",
            p.row,
            p.column.as_deref().unwrap_or("-"),
            p.code,
            p.message_vi,
            p.message_en
        );
    }
    if report.problems.len() > 20 {
        println!(
            "  … {} lỗi nữa / more problems (--report FILE)",
            report.problems.len() - 20
        );
    }
    for w in &report.warnings {
        println!(
            "  cảnh báo/warning [{}] {} / {}",
            w.code, w.message_vi, w.message_en
        );
    }
    let mode = if report.dry_run {
        "chạy thử / dry run"
    } else {
        "đã ghi / applied"
    };
    println!(
        "Nhập / import {} ({mode}): {} dòng đọc / rows read, {} hợp lệ / valid, {} lỗi / with problems \
         ({} lỗi / problems), {} hồ sơ được ghi / files recorded, {} đã có / already present.",
        report.fonds_code,
        report.rows_read,
        report.rows_valid,
        report.rows_with_problems,
        report.problems.len(),
        report.files_recorded,
        report.rows_present,
    );
}

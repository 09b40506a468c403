//! `bangiao ingest PACKAGE.zip`: the archive receives an E-ARK submission package (ours or
//! another system's) into a fonds of the embedded store: checked whole (structure, METS, every
//! checksum, ZIP bombs, paths that climb out), then its files recorded through the inventory
//! importer, all or nothing, and its copies stored in the blob store and attached to their
//! files. Every problem is printed with its code; a refusal exits non-zero
//! and records nothing.

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_documents::import::ImportOptions;
use bangiao_documents::import::sip::{self, IngestReport, SipLimits};
use bangiao_domain::values::FondsCode;
use bangiao_server::Store;
use bangiao_server::commands::sip::record_copies;
use bangiao_store::Durability;

use super::CliError;
use crate::data_dir::DataDir;

/// Options of `bangiao ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The fonds to record into (mã phông); by default the one the package describes.
    #[arg(long)]
    pub fonds: Option<String>,
    /// The package, a .zip.
    pub package: PathBuf,
    /// Check only: report the problems, record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where the package's digital copies are stored, as for `serve --blobs` [default: blobs
    /// in the data directory].
    #[arg(long, env = "BANGIAO_BLOBS")]
    pub blobs: Option<String>,
}

/// Checks the package and records its files; fails (non-zero exit) when it is refused.
pub async fn run(args: Args) -> Result<(), CliError> {
    let file = std::fs::File::open(&args.package)
        .map_err(|e| CliError::Io(format!("{}: {e}", args.package.display())))?;
    let dir = DataDir::new(&args.data_dir);
    dir.require_store()?;
    let store: Store = std::sync::Arc::new(dir.open_store(Durability::Full)?);
    let service = Service::new(store);
    let options = ImportOptions {
        dry_run: args.dry_run,
        ..ImportOptions::default()
    };
    let again = file
        .try_clone()
        .map_err(|e| CliError::Io(format!("{}: {e}", args.package.display())))?;
    let mut report = sip::ingest(
        &service,
        file,
        args.fonds.as_deref(),
        &SipLimits::default(),
        &options,
    )
    .await
    .map_err(|e| {
        CliError::Import(format!(
            "{} / {} [{}]",
            e.message_vi(),
            e.message_en(),
            e.code()
        ))
    })?;
    if !report.refused && !args.dry_run && !report.copies.is_empty() {
        let blobs = super::fixity::open_blobs(args.blobs.as_deref(), &args.data_dir)?;
        let fonds = report.fonds_code.clone().unwrap_or_default();
        let fonds = FondsCode::parse(&fonds).map_err(|e| CliError::Import(e.to_string()))?;
        let copies = record_copies(&service, &blobs, again, &fonds, &report.copies, None)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?;
        report.copies_recorded = copies.recorded;
        report.copies_present = copies.present;
    }
    summary(&report);
    if report.refused {
        return Err(CliError::Import(
            "gói bị từ chối, chưa ghi gì / the package is refused, nothing recorded".to_owned(),
        ));
    }
    Ok(())
}

fn summary(report: &IngestReport) {
    for p in &report.problems {
        println!(
            "  [{}] {} {} / {}",
            p.code,
            p.path.as_deref().unwrap_or("-"),
            p.message_vi,
            p.message_en
        );
    }
    if let Some(import) = &report.import {
        for p in import.problems.iter().take(20) {
            println!(
                "  hồ sơ/file, dòng/row {} [{}] {} / {}",
                p.row, p.code, p.message_vi, p.message_en
            );
        }
        println!(
            "Tiếp nhận gói / ingest {} ({}) vào phông / into fonds {}: {} hồ sơ / files, {} bản sao / copies, \
             {} hồ sơ được ghi / recorded, {} đã có / already present.",
            report.objid.as_deref().unwrap_or("-"),
            report.package_type.as_deref().unwrap_or("-"),
            report.fonds_code.as_deref().unwrap_or("-"),
            report.files,
            report.copies.len(),
            import.files_recorded,
            import.rows_present
        );
        if !report.copies.is_empty() {
            println!(
                "Bản sao / copies: {} được lưu và gắn / stored and attached, {} đã có / already present.",
                report.copies_recorded, report.copies_present
            );
        }
    }
}

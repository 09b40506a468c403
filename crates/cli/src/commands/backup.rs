//! `bangiao backup` and `bangiao restore`.

use std::path::PathBuf;

use bangiao_projections::rebuild;
use bangiao_store::sqlite::backup_file;
use bangiao_store::verify::verify_chain;
use bangiao_store::{Durability, EventStore};

use super::CliError;
use crate::data_dir::DataDir;

/// Options of `bangiao backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Directory of the running service's store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The backup file to write (must not exist).
    #[arg(long)]
    pub to: PathBuf,
}

/// Copies the event store as one consistent snapshot; the service may keep running.
pub async fn backup(args: BackupArgs) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    data.require_store()?;
    let source = data.events();
    let target = args.to.clone();
    tokio::task::spawn_blocking(move || backup_file(&source, &target))
        .await
        .map_err(|e| CliError::Io(e.to_string()))??;
    let bytes = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    let to = args.to.display();
    println!("Đã sao lưu vào {to} ({bytes} byte) / backed up to {to} ({bytes} bytes).");
    Ok(())
}

/// Options of `bangiao restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A file written by `bangiao backup`.
    #[arg(long)]
    pub from: PathBuf,
    /// A new data directory (its event store must not exist yet).
    #[arg(long)]
    pub data_dir: PathBuf,
}

/// Restores a backup into a new data directory, verifies its chain and rebuilds its read models.
pub async fn restore(args: RestoreArgs) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    let _lock = data.lock("restore")?;
    if data.events().exists() {
        return Err(CliError::Io(format!(
            "{} đã có dữ liệu; chọn thư mục mới / already holds a store; choose a new directory",
            data.events().display()
        )));
    }
    std::fs::copy(&args.from, data.events())
        .map_err(|e| CliError::Io(format!("{}: {e}", args.from.display())))?;
    let store = data.open_store(Durability::Full)?;
    let report = verify_chain(&store, |_| ())
        .await
        .map_err(|e| CliError::Verify(e.to_string()))?;
    let rebuilt = rebuild(&store, &data.read_model(), |_, _| ()).await?;
    let (events, dir) = (report.events, data.root().display());
    let (position, head) = (rebuilt.position, store.head_position());
    println!(
        "Đã khôi phục {events} sự kiện vào {dir}; chuỗi băm nguyên vẹn; dữ liệu đọc dựng lại đến vị \
         trí {position} (cuối nhật ký {head}) / restored {events} events into {dir}; chain intact; \
         read models rebuilt to position {position} (head {head})."
    );
    Ok(())
}

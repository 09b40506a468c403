//! `bangiao backup` and `bangiao restore`.

use std::path::PathBuf;

use bangiao_projections::rebuild;
use bangiao_store::migrate::{MigrateError, MigrateOptions, migrate};
use bangiao_store::sqlite::backup_file;
use bangiao_store::verify::verify_chain;
use bangiao_store::{Durability, EventStore, SqliteStore};

use super::CliError;
use crate::data_dir::DataDir;
use crate::store_spec::StoreSpec;

/// Options of `bangiao backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Directory of the running service's store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The backup file to write (must not exist).
    #[arg(long)]
    pub to: PathBuf,
    /// The event store, when not the data directory's own: a PostgreSQL or KurrentDB store is
    /// copied event by event into a new embedded store file (every hash checked), which
    /// `bangiao restore` and `bangiao migrate` take back.
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Copies the event store as one consistent snapshot; the service may keep running.
pub async fn backup(args: BackupArgs) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    let source = match &args.store {
        None => {
            data.require_store()?;
            data.events()
        }
        Some(StoreSpec::Sqlite(path)) => path.clone(),
        Some(server) => return logical_backup(server, &args.to).await,
    };
    let target = args.to.clone();
    tokio::task::spawn_blocking(move || backup_file(&source, &target))
        .await
        .map_err(|e| CliError::Io(e.to_string()))??;
    let bytes = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    let to = args.to.display();
    println!("Đã sao lưu vào {to} ({bytes} byte) / backed up to {to} ({bytes} bytes).");
    Ok(())
}

/// Copies a server store's log as it stands into a new embedded store file: every event up to
/// the head at the start, with its id, position and hash; the copy's chain is verified.
async fn logical_backup(source: &StoreSpec, to: &std::path::Path) -> Result<(), CliError> {
    if to.exists() {
        return Err(CliError::Io(format!(
            "{} đã tồn tại / already exists",
            to.display()
        )));
    }
    let source = source.open(Durability::Full, None).await?;
    let head = source.head_position();
    let target = SqliteStore::open_path(to)?;
    let options = MigrateOptions {
        max_events: Some(head),
    };
    let report = migrate(source.as_ref(), &target, options, |_, _| ())
        .await
        .map_err(|e| match e {
            MigrateError::Store(e) => CliError::Store(e),
            other => CliError::Verify(other.to_string()),
        })?;
    drop(target);
    let (events, to) = (report.target_head, to.display());
    println!(
        "Đã sao lưu {events} sự kiện vào {to}; chuỗi băm nguyên vẹn / backed up {events} events to \
         {to}; hash chain intact."
    );
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

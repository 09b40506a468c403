//! `bangiao migrate --from STORE --to STORE`: copies every event in global order between any
//! two stores (embedded file, data directory, PostgreSQL, KurrentDB), resuming after what the target
//! already holds, then verifies the target's hash chain.

use std::path::PathBuf;

use bangiao_store::Durability;
use bangiao_store::migrate::{MigrateError, MigrateOptions, migrate};

use super::CliError;
use crate::lock::DirLock;
use crate::progress::bar;
use crate::store_spec::StoreSpec;

/// Options of `bangiao migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The store to copy: sqlite:PATH, a data directory, postgres://… or kurrentdb://… (stop writing to it,
    /// or run migrate again afterwards to copy what was written meanwhile).
    #[arg(long)]
    pub from: StoreSpec,
    /// The store to fill: empty, or holding the start of the same log (a resumed migration).
    #[arg(long)]
    pub to: StoreSpec,
    /// Stop after about this many events (at an append boundary); run again to continue.
    #[arg(long)]
    pub max_events: Option<u64>,
    /// Where KurrentDB position indexes are kept while migrating [default: in memory].
    #[arg(long)]
    pub index_dir: Option<PathBuf>,
}

/// Runs the migration and prints what it did.
pub async fn run(args: Args) -> Result<(), CliError> {
    if args.from == args.to {
        return Err(CliError::Config(
            "--from và --to là cùng một kho / --from and --to name the same store".into(),
        ));
    }
    if let StoreSpec::Sqlite(path) = &args.from
        && !path.exists()
    {
        return Err(CliError::NoStore(path.clone()));
    }
    // A data directory filled by the migration is owned by it, as by a service.
    let _lock = match &args.to {
        StoreSpec::Sqlite(path) => DirLock::acquire_for_store(path, "migrate")?,
        StoreSpec::Postgres(_) | StoreSpec::Kurrent(_) => None,
    };
    let index = |side: &str| args.index_dir.as_ref().map(|d| d.join(side));
    let from_index = index("from");
    let to_index = index("to");
    let source = args
        .from
        .open(Durability::Full, from_index.as_deref())
        .await?;
    let target = args.to.open(Durability::Full, to_index.as_deref()).await?;
    println!("Chuyển / migrating {} → {}", args.from, args.to);
    let progress = bar(source.head_position(), "Chuyển / migrating");
    let options = MigrateOptions {
        max_events: args.max_events,
    };
    let report = migrate(source.as_ref(), target.as_ref(), options, |copied, head| {
        progress.set_length(head);
        progress.set_position(copied);
    })
    .await
    .map_err(|e| {
        progress.abandon();
        match e {
            MigrateError::Store(e) => CliError::Store(e),
            other => CliError::Verify(other.to_string()),
        }
    })?;
    progress.finish_and_clear();
    println!(
        "Đã có sẵn / already there: {}; đã chép / copied: {}; đích đến vị trí / target at position {}.",
        report.already, report.copied, report.target_head
    );
    println!(
        "Chuỗi băm của đích nguyên vẹn / target hash chain intact: {} sự kiện / events, đầu chuỗi / head {}",
        report.chain.events,
        hex(&report.chain.head)
    );
    if report.complete {
        println!("Hoàn tất / complete.");
    } else {
        println!(
            "Chưa xong: chạy lại lệnh để tiếp tục / not finished: run the same command again to continue."
        );
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

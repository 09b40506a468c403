//! `bangiao verify`: the hash chain from the first event, then the read models against a fresh
//! rebuild of the same log. Fails loudly, naming the first bad event or table.

use std::path::PathBuf;

use bangiao_projections::{ReadModel, digest, rebuild_until};
use bangiao_store::EventStore;
use bangiao_store::verify::{VerifyError, verify_chain};

use super::CliError;
use crate::data_dir::DataDir;
use crate::progress::bar;
use crate::store_spec::{StoreSpec, open_store};

/// Options of `bangiao verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store and the read models.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://… (the read models checked are still those of the data directory).
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Verifies the chain and the read models.
pub async fn run(args: Args) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    let store = open_store(args.store.as_ref(), &data, true).await?;
    let progress = bar(store.head_position(), "Chuỗi băm / hash chain");
    let report = match verify_chain(store.as_ref(), |n| progress.set_position(n)).await {
        Ok(report) => report,
        Err(VerifyError::Broken(bad)) => {
            progress.abandon();
            return Err(CliError::Verify(bad.to_string()));
        }
        Err(VerifyError::Store(e)) => {
            progress.abandon();
            return Err(CliError::Verify(format!(
                "không đọc được nhật ký sự kiện / the log cannot be read: {e}"
            )));
        }
    };
    progress.finish();
    println!(
        "Chuỗi băm nguyên vẹn / hash chain intact: {} sự kiện / events, đầu chuỗi / head {}",
        report.events,
        hex(&report.head)
    );

    let live = ReadModel::open(data.read_model())?;
    let position = live.catch_up(store.as_ref()).await?;
    let fresh_path = data.root().join("readmodel.verify.db");
    rebuild_until(store.as_ref(), &fresh_path, position, |_, _| ()).await?;
    let fresh = ReadModel::open(&fresh_path)?;
    let theirs = fresh.readers().with(digest::table_digests).await?;
    let ours = live.readers().with(digest::table_digests).await?;
    drop(fresh);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", fresh_path.display()));
    }
    for ((table, live_hash, live_rows), (_, fresh_hash, fresh_rows)) in ours.iter().zip(&theirs) {
        if live_hash != fresh_hash {
            return Err(CliError::Verify(format!(
                "bảng {table} của dữ liệu đọc khác bản dựng lại ở vị trí {position} ({live_rows} \
                 dòng đang dùng, {fresh_rows} dòng dựng lại): chạy `bangiao rebuild` / read model \
                 table {table} differs from a fresh rebuild at position {position} ({live_rows} \
                 rows live, {fresh_rows} rebuilt): run `bangiao rebuild`"
            )));
        }
    }
    println!(
        "Dữ liệu đọc khớp với bản dựng lại / read models equal a fresh rebuild at position {position}."
    );
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

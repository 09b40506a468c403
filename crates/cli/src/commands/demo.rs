//! `bangiao demo`: loads the illustrative reorganisation.

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_app::demo::{DemoPhase, load_demo};
use bangiao_server::Store;
use bangiao_store::Durability;

use super::CliError;
use crate::data_dir::DataDir;
use crate::progress::bar;

/// Options of `bangiao demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

/// Loads the demo into the data directory's store.
pub async fn run(args: Args) -> Result<(), CliError> {
    let store: Store =
        std::sync::Arc::new(DataDir::new(&args.data_dir).open_store(Durability::Full)?);
    load(store).await
}

/// Loads the demo through the application service, with a progress bar per phase.
pub async fn load(store: Store) -> Result<(), CliError> {
    let service = Service::new(store);
    let mut current: Option<(DemoPhase, indicatif::ProgressBar)> = None;
    let summary = load_demo(&service, &mut |step| {
        if current
            .as_ref()
            .is_none_or(|(phase, _)| *phase != step.phase)
        {
            if let Some((_, done)) = current.take() {
                done.finish();
            }
            current = Some((step.phase, bar(step.total, step.phase.label_vi())));
        }
        if let Some((_, progress)) = &current {
            progress.set_position(step.done);
        }
    })
    .await?;
    if let Some((_, done)) = current.take() {
        done.finish();
    }
    println!(
        "Dữ liệu mẫu / demo: {} đơn vị / units, {} phông / fonds, {} hồ sơ / files, {} biên bản giao nhận / handovers, \
         {} nộp lưu / transfers; {} sự kiện mới / new events (vị trí cuối / last position {}).",
        summary.units,
        summary.fonds,
        summary.files,
        summary.handovers,
        summary.transfers,
        summary.events_appended,
        summary.last_position
    );
    Ok(())
}

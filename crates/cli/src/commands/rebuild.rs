//! `bangiao rebuild`: every read model again from position 0.

use std::path::PathBuf;

use bangiao_projections::rebuild;
use bangiao_store::EventStore;

use super::CliError;
use crate::data_dir::DataDir;
use crate::progress::bar;
use crate::store_spec::{StoreSpec, open_store};

/// Options of `bangiao rebuild`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store and the read models (refused while a service runs on it).
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://… (the read models rebuilt are still those of the data directory).
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Rebuilds the read models, replacing the file only when done.
pub async fn run(args: Args) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    if args.store.is_none() {
        data.require_store()?;
    }
    let _lock = data.lock("rebuild")?;
    let store = open_store(args.store.as_ref(), &data, true).await?;
    let progress = bar(store.head_position(), "Dựng lại / rebuilding");
    let started = std::time::Instant::now();
    let report = rebuild(store.as_ref(), &data.read_model(), |position, head| {
        progress.set_length(head);
        progress.set_position(position);
    })
    .await?;
    progress.finish();
    let seconds = started.elapsed().as_secs_f64();
    let (events, position) = (report.events, report.position);
    let rate = events as f64 / seconds.max(1e-9);
    println!(
        "Đã dựng lại {events} sự kiện trong {seconds:.2} giây ({rate:.0} sự kiện/giây), đến vị trí \
         {position} / rebuilt {events} events in {seconds:.2} s ({rate:.0} events/s), to position \
         {position}."
    );
    Ok(())
}

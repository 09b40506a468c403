//! `bangiao-bench-data`: writes a data directory with N real domain events through the store's
//! append API in batches of 1,000, and optionally builds its read model.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use bangiao_bench::data::{self, Config};
use clap::Parser;

/// Writes a benchmark data directory.
#[derive(Debug, Parser)]
#[command(name = "bangiao-bench-data", about)]
struct Args {
    /// The data directory to create (must not hold a store yet).
    #[arg(long)]
    data_dir: PathBuf,
    /// Events in the log.
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Files recorded in each fonds.
    #[arg(long, default_value_t = 10_000)]
    files_per_fonds: usize,
    /// The commune whose inventory list is the CSV target.
    #[arg(long, default_value = "06601")]
    inventory_unit: String,
    /// Files under that commune (a multiple of --files-per-fonds).
    #[arg(long, default_value_t = 100_000)]
    inventory_files: usize,
    /// Also build the read model (`bangiao_projections::rebuild`), so checkpoints are current.
    #[arg(long)]
    build_read_model: bool,
    /// Accept a data directory whose store already holds exactly --events events (written by
    /// this tool with the same options): write nothing, only the read model and the manifest.
    #[arg(long)]
    reuse: bool,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = Config {
        data_dir: args.data_dir.clone(),
        events: args.events,
        files_per_fonds: args.files_per_fonds,
        inventory_unit: args.inventory_unit,
        inventory_files: args.inventory_files,
    };
    match run(&config, args.build_read_model, args.reuse).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bangiao-bench-data: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: &Config, build_read_model: bool, reuse: bool) -> Result<(), String> {
    let (mut manifest, timing) = data::generate(config, reuse).await?;
    if timing.append_seconds > 0.0 {
        println!(
            "data: {} events ({} fonds, {} files, {} handovers) in {:.1} s: {:.0} events/s durable, batches of {}",
            manifest.events,
            manifest.fonds,
            manifest.files,
            manifest.handovers,
            timing.append_seconds,
            manifest.events as f64 / timing.append_seconds,
            data::BATCH
        );
    } else {
        println!("data: reused the store of {} events", manifest.events);
    }
    if build_read_model {
        let store = bangiao_store::SqliteStore::open_path(config.data_dir.join("events.db"))
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let report =
            bangiao_projections::rebuild(&store, &config.data_dir.join("readmodel.db"), |_, _| {})
                .await
                .map_err(|e| e.to_string())?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "read model: {} events in {seconds:.1} s ({:.0} events/s), checkpoint {}",
            report.events,
            report.events as f64 / seconds,
            report.position
        );
        manifest.read_model_built = true;
    }
    manifest.save(&config.data_dir)?;
    Ok(())
}

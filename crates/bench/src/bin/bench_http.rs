//! `bangiao-bench-http`: loads a running `bangiao serve` on loopback and reports throughput,
//! latency percentiles, time to first byte and server memory (see docs/benchmarks.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bangiao_bench::load::{self, Load, client, commands, custody, inventory, runner, startup};
use bangiao_bench::manifest::Manifest;
use clap::{Parser, Subcommand};

/// HTTP load generator for the Bàn Giao service (loopback only, bounded in time and count).
#[derive(Debug, Parser)]
#[command(name = "bangiao-bench-http", about)]
struct Args {
    /// The server address (127.0.0.0/8 or ::1 only).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Concurrent clients, each with its own connection.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds of the measured phase.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds of unmeasured warm-up before it.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Most requests in the measured phase.
    #[arg(long, default_value_t = 5_000_000)]
    max_requests: u64,
    /// Client library.
    #[arg(long, value_enum, default_value = "hyper")]
    client: client::Kind,
    /// Worker threads of the load generator's runtime.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// The server's pid: its memory and CPU time are sampled from /proc.
    #[arg(long)]
    server_pid: Option<u32>,
    /// The data directory written by bangiao-bench-data (for its manifest).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// GET the custody of files: one hot file, or many in turn.
    Custody {
        /// Ask for these codes instead of the manifest's samples (repeatable).
        #[arg(long = "file-code")]
        file_codes: Vec<String>,
        /// Use only the first code (one hot row).
        #[arg(long)]
        one: bool,
    },
    /// POST RecordFile commands, each task to a fonds it opens first.
    Commands {
        /// The unit the new fonds belong to.
        #[arg(long, default_value = "06602")]
        unit: String,
    },
    /// GET a unit's inventory list as CSV.
    Inventory {
        /// The unit [default: the manifest's inventory unit].
        #[arg(long)]
        unit: Option<String>,
        /// Downloads, one after another.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Spawn the server (the command after --) and time it until /health/ready answers 200.
    Startup {
        /// Starts, one after another.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Longest wait for one start, in seconds.
        #[arg(long, default_value_t = 120.0)]
        limit: f64,
        /// The server command line.
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bangiao-bench-http: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bangiao-bench-http: {e}");
            ExitCode::FAILURE
        }
    }
}

fn manifest(args: &Args) -> Result<Manifest, String> {
    let dir = args
        .data_dir
        .as_ref()
        .ok_or_else(|| "--data-dir is needed to read the manifest".to_owned())?;
    Manifest::load(dir)
}

async fn run(args: Args) -> Result<(), String> {
    load::check_loopback(&args.addr)?;
    let load = Load {
        addr: args.addr,
        clients: args.clients.max(1),
        duration: Duration::from_secs_f64(args.duration.clamp(0.1, 600.0)),
        max_requests: args.max_requests,
        warmup: Duration::from_secs_f64(args.warmup.clamp(0.0, 60.0)),
        client: args.client,
        server_pid: args.server_pid,
    };
    match &args.mode {
        Mode::Custody { file_codes, one } => {
            let mut codes = if file_codes.is_empty() {
                manifest(&args)?.sample_file_codes
            } else {
                file_codes.clone()
            };
            if *one {
                codes.truncate(1);
            }
            let report = custody::run(&load, &codes).await?;
            let title = format!("custody ({} file codes)", codes.len());
            runner::print(&title, &load, &report, "requests");
        }
        Mode::Commands { unit } => {
            let report = commands::run(&load, unit).await?;
            runner::print("commands (RecordFile, durable)", &load, &report, "commands");
        }
        Mode::Inventory { unit, repeat } => {
            let unit = match unit {
                Some(unit) => unit.clone(),
                None => manifest(&args)?.inventory_unit,
            };
            println!("inventory of unit {unit} as CSV");
            for n in 1..=(*repeat).clamp(1, 20) {
                let download = inventory::download(&load, &unit).await?;
                inventory::print(n, &download);
            }
        }
        Mode::Startup {
            repeat,
            limit,
            command,
        } => {
            for n in 1..=(*repeat).clamp(1, 20) {
                let limit = Duration::from_secs_f64(limit.clamp(1.0, 600.0));
                let s = startup::measure(load.addr, command, limit).await?;
                println!(
                    "startup #{n}: ready (GET /health/ready = 200) {:.0} ms after spawn; port open at {:.0} ms; {} polls",
                    s.ready.as_secs_f64() * 1e3,
                    s.listening.as_secs_f64() * 1e3,
                    s.polls
                );
            }
        }
    }
    Ok(())
}

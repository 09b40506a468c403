//! `bangiao`: the Bàn Giao service and its operator commands.

mod commands;
mod config;
mod data_dir;
mod lock;
mod progress;
mod store_spec;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Bàn Giao — chain of custody of public records through the 2025 reorganisation.
#[derive(Debug, Parser)]
#[command(name = "bangiao", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service on the embedded store (Chạy dịch vụ).
    Serve(commands::serve::Args),
    /// Rebuild every read model from the event log (Dựng lại dữ liệu đọc).
    Rebuild(commands::rebuild::Args),
    /// Check the hash chain and that the read models equal a fresh rebuild (Kiểm tra toàn vẹn).
    Verify(commands::verify::Args),
    /// Load an illustrative reorganisation into the store (Nạp dữ liệu mẫu).
    Demo(commands::demo::Args),
    /// Copy the event store while the service runs (Sao lưu).
    Backup(commands::backup::BackupArgs),
    /// Restore a backup into a new data directory and verify it (Khôi phục).
    Restore(commands::backup::RestoreArgs),
    /// Issue, list and revoke API tokens (Mã truy cập).
    #[command(subcommand)]
    Token(commands::token::Args),
    /// Sign and verify checkpoints of the hash chain (Điểm kiểm tra có chữ ký).
    #[command(subcommand)]
    Checkpoint(commands::checkpoint::Args),
    /// Export an inventory list or a handover as a document (Xuất mục lục, biên bản).
    Export(commands::export::Args),
    /// Import an inventory list (XLSX or CSV) into a fonds (Nhập mục lục hồ sơ).
    Import(commands::import::Args),
    /// Receive an E-ARK submission package (SIP) into a fonds (Tiếp nhận gói nộp lưu).
    Ingest(commands::ingest::Args),
    /// Copy every event to another store (SQLite or KurrentDB) and verify it (Chuyển kho).
    Migrate(commands::migrate::Args),
    /// Re-read every digital copy (or a sample) and record what is intact, missing or altered
    /// (Kiểm tra toàn vẹn bản số hóa).
    Fixity(commands::fixity::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("không khởi động được / cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Rebuild(args) => commands::rebuild::run(args).await,
            Command::Verify(args) => commands::verify::run(args).await,
            Command::Demo(args) => commands::demo::run(args).await,
            Command::Backup(args) => commands::backup::backup(args).await,
            Command::Restore(args) => commands::backup::restore(args).await,
            Command::Token(args) => commands::token::run(args).await,
            Command::Checkpoint(args) => commands::checkpoint::run(args).await,
            Command::Export(args) => commands::export::run(args).await,
            Command::Import(args) => commands::import::run(args).await,
            Command::Ingest(args) => commands::ingest::run(args).await,
            Command::Migrate(args) => commands::migrate::run(args).await,
            Command::Fixity(args) => commands::fixity::run(args).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi / error: {e}");
            ExitCode::FAILURE
        }
    }
}

//! One module per subcommand, and the errors they report.

pub mod backup;
pub mod checkpoint;
pub mod demo;
pub mod export;
pub mod fixity;
pub mod import;
pub mod ingest;
pub mod migrate;
pub mod rebuild;
pub mod serve;
pub mod token;
pub mod verify;

use std::path::PathBuf;

/// Why a subcommand failed; each message says what to do in Vietnamese and English.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The event store failed.
    #[error("kho sự kiện / event store: {0}")]
    Store(#[from] bangiao_store::StoreError),
    /// The read models failed.
    #[error("dữ liệu đọc / read model: {0}")]
    Projection(#[from] bangiao_projections::ProjectionError),
    /// The config file is unreadable.
    #[error("tệp cấu hình / config file: {0}")]
    Config(String),
    /// The data directory holds no event store.
    #[error(
        "không có kho sự kiện tại {0} (kiểm tra --data-dir) / no event store at {0} (check --data-dir)"
    )]
    NoStore(PathBuf),
    /// The demo could not be loaded.
    #[error("dữ liệu mẫu / demo: {0}")]
    Demo(#[from] bangiao_app::demo::DemoError),
    /// The hash chain or the read models do not verify.
    #[error("KIỂM TRA THẤT BẠI / VERIFICATION FAILED: {0}")]
    Verify(String),
    /// Digital copies were found missing or altered.
    #[error("HỎNG TOÀN VẸN / FIXITY DAMAGE: {0}")]
    Fixity(String),
    /// A file system or network operation failed.
    #[error("{0}")]
    Io(String),
    /// An import was refused, or blocked by problems in its rows.
    #[error("nhập / import: {0}")]
    Import(String),
    /// A private key file is readable or writable by group or others.
    #[error(
        "tệp khóa bí mật {path} để nhóm hoặc người khác đọc/ghi được (quyền {mode:03o}); chạy \
         `chmod 600 {path}` rồi thử lại / the private key file {path} is readable or writable by \
         group or others (mode {mode:03o}); run `chmod 600 {path}` and try again",
        path = .path.display()
    )]
    KeyExposed {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Another process holds the data directory (a running service, a rebuild, …).
    #[error(
        "thư mục dữ liệu {dir} đang được tiến trình {pid} (bangiao {command}) sử dụng; dừng tiến trình đó \
         trước, hoặc chọn thư mục khác / the data directory {dir} is in use by process {pid} \
         (bangiao {command}); stop that process first, or choose another directory",
        dir = .dir.display(),
        pid = .holder.pid,
        command = .holder.command
    )]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// The process holding it.
        holder: crate::lock::Holder,
    },
}

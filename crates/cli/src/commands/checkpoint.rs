//! `bangiao checkpoint keygen|sign|verify`: the province signs the hash-chain head with an
//! Ed25519 key it keeps; a checkpoint printed on old minutes or kept in a bag later proves that
//! nothing before it changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use bangiao_auth::checkpoint::{self, Checkpoint};
use bangiao_store::verify::{VerifyError, verify_chain, verify_chain_until};
use bangiao_store::{Durability, EventStore};

use super::CliError;
use crate::data_dir::DataDir;

/// `bangiao checkpoint …`.
#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Make a new signing key (keep it secret; give out the public key it prints).
    Keygen {
        /// Where to write the private key (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify the chain and sign its head.
    Sign {
        /// Directory of the embedded store.
        #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// The private key file from `keygen`.
        #[arg(long)]
        key: PathBuf,
        /// Where to write the signed checkpoint (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a checkpoint's signature and that the log still matches it.
    Verify {
        /// Directory of the embedded store.
        #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// The checkpoint file.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The public key (base64) the province trusts; without it, the key in the file.
        #[arg(long)]
        public_key: Option<String>,
    },
}

fn io(e: impl std::fmt::Display) -> CliError {
    CliError::Io(e.to_string())
}

/// Runs a checkpoint subcommand.
pub async fn run(args: Args) -> Result<(), CliError> {
    match args {
        Args::Keygen { out } => {
            let key = checkpoint::generate_key().map_err(io)?;
            write_private(&out, &checkpoint::encode_key(&key))?;
            println!(
                "Khóa công khai / public key: {}",
                checkpoint::encode_public(&key.verifying_key())
            );
            Ok(())
        }
        Args::Sign { data_dir, key, out } => {
            let data = DataDir::new(&data_dir);
            data.require_store()?;
            let key = checkpoint::decode_key(&read_private(&key)?)
                .map_err(|e| CliError::Io(format!("{}: {e}", key.display())))?;
            let store = data.open_store(Durability::Full)?;
            let report = verify_chain(&store, |_| ())
                .await
                .map_err(|e| CliError::Verify(e.to_string()))?;
            let signed = checkpoint::sign(
                &key,
                store.head_position().min(report.events),
                report.events,
                &hex(&report.head),
                chrono::Utc::now(),
            );
            std::fs::write(&out, serde_json::to_string_pretty(&signed).map_err(io)?).map_err(io)?;
            println!(
                "Đã ký / signed: {} sự kiện / events, đầu chuỗi / head {}",
                signed.events, signed.head
            );
            Ok(())
        }
        Args::Verify {
            data_dir,
            checkpoint: file,
            public_key,
        } => {
            let data = DataDir::new(&data_dir);
            data.require_store()?;
            let signed: Checkpoint =
                serde_json::from_str(&std::fs::read_to_string(&file).map_err(io)?).map_err(io)?;
            checkpoint::verify_signature(&signed, public_key.as_deref())
                .map_err(|e| CliError::Verify(e.to_string()))?;
            let store = data.open_store(Durability::Full)?;
            let report = match verify_chain_until(&store, signed.position, |_| ()).await {
                Ok(report) => report,
                Err(VerifyError::Broken(bad)) => return Err(CliError::Verify(bad.to_string())),
                Err(VerifyError::Store(e)) => return Err(e.into()),
            };
            let head = (report.events == signed.position).then(|| hex(&report.head));
            checkpoint::verify_against_log(&signed, head.as_deref())
                .map_err(|e| CliError::Verify(e.to_string()))?;
            println!(
                "Điểm kiểm tra hợp lệ / checkpoint holds: {} sự kiện / events, đầu chuỗi / head {}",
                signed.events, signed.head
            );
            Ok(())
        }
    }
}

/// Writes a new private key file readable and writable by its owner only (0600 from its
/// creation, never wider for a moment); refuses to replace an existing file.
fn write_private(path: &Path, text: &str) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            CliError::Io(format!("{} đã tồn tại / already exists", path.display()))
        }
        _ => CliError::Io(format!("{}: {e}", path.display())),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::Io(format!("{}: {e}", path.display())))
}

/// Reads a private key file's text, refusing a file that group or others may read or write: a
/// key others could read is no longer the province's alone.
fn read_private(path: &Path) -> Result<String, CliError> {
    let failed = |e: std::io::Error| CliError::Io(format!("{}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().map_err(failed)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(CliError::KeyExposed {
                path: path.to_path_buf(),
                mode: mode & 0o777,
            });
        }
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(failed)?;
    Ok(text)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

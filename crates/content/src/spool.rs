//! Writing an incoming body to a temporary file: hashed as it goes, bounded, fsynced, sniffed.

use std::path::Path;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest as _, Sha256};
use tempfile::TempPath;
use tokio::io::{AsyncWriteExt, BufWriter};

use crate::{ContentError, Digest, Format, PutLimits, describe};

/// The write buffer: large, so that the disk sees few big writes.
const WRITE_BUFFER: usize = 1 << 20;

/// A body written whole to a temporary file that is removed when this is dropped.
pub(crate) struct Spooled {
    /// The temporary file (removed on drop unless persisted).
    pub path: TempPath,
    /// The SHA-256 of its bytes.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// What its signature says.
    pub format: Format,
}

/// Streams `body` into a new temporary file in `tmp_dir`, checking `limits` as it goes.
///
/// On any error the temporary file is removed before this returns.
pub(crate) async fn spool<S>(
    tmp_dir: &Path,
    mut body: S,
    limits: &crate::PutLimits,
) -> Result<Spooled, ContentError>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin,
{
    let dir = tmp_dir.to_path_buf();
    let temp = blocking(move || {
        tempfile::Builder::new()
            .prefix("put-")
            .suffix(".part")
            .tempfile_in(dir)
    })
    .await?;
    let (file, path) = temp.into_parts();
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, tokio::fs::File::from_std(file));
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let PutLimits {
        max_bytes,
        expected,
    } = *limits;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(ContentError::TooLarge { limit: max_bytes });
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    let file = out.into_inner();
    file.sync_all().await?;
    drop(file);
    let digest = Digest(hasher.finalize().into());
    if let Some(expected) = expected
        && expected != digest
    {
        return Err(ContentError::Mismatch {
            expected,
            actual: digest,
        });
    }
    let sniff_path = path.to_path_buf();
    let format = blocking(move || describe(&sniff_path)).await?;
    Ok(Spooled {
        path,
        digest,
        size,
        format,
    })
}

/// Runs blocking file work off the async threads.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, std::io::Error>
where
    F: FnOnce() -> Result<T, std::io::Error> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}

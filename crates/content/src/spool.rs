//! Writing an incoming body to a temporary file: hashed as it goes, bounded, fsynced, sniffed.

use std::path::Path;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest as _, Sha256};
use std::io::Write;
use tempfile::TempPath;

use crate::{ContentError, Digest, Format, PutLimits, describe};

/// The write buffer: large, so that the disk sees few big writes.
const WRITE_BUFFER: usize = 1 << 20;
/// Chunks of the body in flight between the hashing task and the writing thread.
const CHUNKS_IN_FLIGHT: usize = 16;
/// The writing thread asks the disk to write out what it holds every this many bytes, so the
/// final fsync has little left to wait for and the disk works while the body is hashed.
const SYNC_EVERY: u64 = 64 << 20;

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

/// Streams `body` into a new temporary file in `tmp_dir`, checking `limits` as it goes: the
/// body is hashed here while a blocking thread writes it, so hashing and the disk overlap.
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
    let (chunks, mut received) = tokio::sync::mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut unsynced = 0u64;
        while let Some(chunk) = received.blocking_recv() {
            out.write_all(&chunk)?;
            unsynced += chunk.len() as u64;
            if unsynced >= SYNC_EVERY {
                out.flush()?;
                out.get_ref().sync_data()?;
                unsynced = 0;
            }
        }
        out.flush()?;
        out.get_ref().sync_all()
    });
    let PutLimits {
        max_bytes,
        expected,
    } = *limits;
    let hashed = async {
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(ContentError::TooLarge { limit: max_bytes });
            }
            hasher.update(&chunk);
            if chunks.send(chunk).await.is_err() {
                // The writer stopped on an error, which its result reports.
                break;
            }
        }
        Ok((Digest(hasher.finalize().into()), size))
    }
    .await;
    drop(chunks);
    let written = writer.await.map_err(std::io::Error::other)?;
    let (digest, size) = hashed?;
    written?;
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

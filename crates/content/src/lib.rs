//! The content-addressed blob store of Bàn Giao: digital copies (scans, born-digital documents)
//! named by the SHA-256 of their bytes.
//!
//! A blob is written to a temporary file first (hashed as it streams in, bounded, fsynced,
//! sniffed for its format), then renamed — or uploaded — under its digest. An existing blob is
//! never overwritten, so a repeated put of the same bytes is idempotent. Blobs live in a folder
//! (`<dir>/<first 2 hex>/<digest hex>`, the embedded default) or in an object store
//! (`s3://bucket/prefix`, or `memory://` for tests). This crate knows nothing of the domain.

mod digest;
mod error;
mod format;
mod local;
mod object;
mod spool;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures::Stream;
use futures::stream::BoxStream;
use tokio_util::io::{StreamReader, SyncIoBridge};

pub use digest::{Digest, ParseDigestError};
pub use error::ContentError;
pub use format::{Format, FormatKind, SIGNATURE_LEN, describe, kind_of};
/// The object store crate, re-exported for [`Blobs::object_store`].
pub use object_store;

/// What a put may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PutLimits {
    /// The largest body accepted, in bytes.
    pub max_bytes: u64,
    /// The SHA-256 the client announced, if any: other bytes are refused.
    pub expected: Option<Digest>,
}

/// What a put stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Put {
    /// The blob's name.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// What its signature says.
    pub format: Format,
    /// Whether the same bytes were already stored (nothing was written then).
    pub already_present: bool,
}

/// A stream of a blob's bytes with the blob's total size and the range's length.
pub struct BlobStream {
    /// The blob's whole size in bytes.
    pub total: u64,
    /// The number of bytes the stream yields.
    pub len: u64,
    /// The bytes.
    pub stream: BoxStream<'static, Result<Bytes, std::io::Error>>,
}

impl std::fmt::Debug for BlobStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStream")
            .field("total", &self.total)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// The result of re-reading a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixity {
    /// The bytes still hash to the blob's name and have the expected size.
    Intact,
    /// The blob is gone.
    Missing,
    /// The bytes changed: what they hash to now, and their size.
    Altered {
        /// The SHA-256 of the bytes found.
        actual: Digest,
        /// The size of the bytes found.
        size: u64,
    },
}

impl Fixity {
    /// Intact when the bytes read hash to the name and have the expected size.
    fn judge(name: Digest, expected_size: u64, actual: Digest, size: u64) -> Fixity {
        if actual == name && size == expected_size {
            Fixity::Intact
        } else {
            Fixity::Altered { actual, size }
        }
    }
}

/// Where blobs live: a folder (embedded default, `<data dir>/blobs`) or an object store.
#[derive(Clone, Debug)]
pub struct Blobs {
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    Local(Arc<local::LocalDir>),
    Object(Arc<object::ObjectBlobs>),
}

impl Blobs {
    /// A folder of blobs, created if missing.
    pub fn local(dir: impl Into<PathBuf>) -> Result<Blobs, ContentError> {
        Ok(Blobs {
            backend: Backend::Local(Arc::new(local::LocalDir::open(dir.into())?)),
        })
    }

    /// From a `--blobs` location: a path, `file:///…`, `s3://bucket/prefix` (object_store, with
    /// the usual AWS_* environment), or `memory://` (tests).
    pub fn open(location: &str) -> Result<Blobs, ContentError> {
        if location.is_empty() {
            return Err(ContentError::BadLocation(location.to_owned()));
        }
        if let Some(path) = location.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(ContentError::BadLocation(location.to_owned()));
            }
            return Blobs::local(path);
        }
        if location.contains("://") || location.starts_with("memory:") {
            return Ok(Blobs {
                backend: Backend::Object(Arc::new(object::open(location)?)),
            });
        }
        Blobs::local(location)
    }

    /// Streams `body` to a temporary file (hashing as it goes, refusing past `limits.max_bytes`
    /// and a digest other than `limits.expected`), fsyncs, sniffs the format, then renames (or
    /// uploads) it under its digest; an existing blob is never overwritten (idempotent).
    pub async fn put<S>(&self, body: S, limits: &PutLimits) -> Result<Put, ContentError>
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin,
    {
        match &self.backend {
            Backend::Local(dir) => dir.put(body, limits).await,
            Backend::Object(store) => store.put(body, limits).await,
        }
    }

    /// Blobs in an already built object store; bodies are spooled in `spool_dir` before upload.
    pub fn object_store(
        store: Arc<dyn object_store::ObjectStore>,
        spool_dir: impl Into<PathBuf>,
    ) -> Result<Blobs, ContentError> {
        Ok(Blobs {
            backend: Backend::Object(Arc::new(object::ObjectBlobs::new(store, spool_dir.into())?)),
        })
    }

    /// The size of a blob, or None when it is absent.
    pub async fn size(&self, digest: &Digest) -> Result<Option<u64>, ContentError> {
        match &self.backend {
            Backend::Local(dir) => dir.size(digest).await,
            Backend::Object(store) => store.size(digest).await,
        }
    }

    /// The bytes of a blob, whole or a byte range (end exclusive), as a stream.
    ///
    /// A range must lie inside the blob (`start < size`, `start <= end <= size`), else
    /// `RangeNotSatisfiable`; an absent blob is `NotFound`.
    pub async fn read(
        &self,
        digest: &Digest,
        range: Option<Range<u64>>,
    ) -> Result<BlobStream, ContentError> {
        match &self.backend {
            Backend::Local(dir) => dir.read(digest, range).await,
            Backend::Object(store) => store.read(digest, range).await,
        }
    }

    /// The first `n` bytes of a blob (all of it when shorter); an absent blob is `NotFound`.
    pub async fn head(&self, digest: &Digest, n: u64) -> Result<Vec<u8>, ContentError> {
        let size = self
            .size(digest)
            .await?
            .ok_or(ContentError::NotFound(*digest))?;
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut blob = self.read(digest, Some(0..n.min(size))).await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = futures::StreamExt::next(&mut blob.stream).await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(bytes)
    }

    /// A blocking reader of a whole blob, for a synchronous writer (a package's ZIP) running on
    /// a blocking thread of the runtime behind `handle`; never call it from an async task.
    pub fn blocking_reader(
        &self,
        digest: &Digest,
        handle: &tokio::runtime::Handle,
    ) -> Result<impl std::io::Read + Send + 'static, ContentError> {
        let blob = handle.block_on(self.read(digest, None))?;
        Ok(SyncIoBridge::new_with_handle(
            StreamReader::new(blob.stream),
            handle.clone(),
        ))
    }

    /// Deletes a blob; false when it was already absent.
    pub async fn delete(&self, digest: &Digest) -> Result<bool, ContentError> {
        match &self.backend {
            Backend::Local(dir) => dir.delete(digest).await,
            Backend::Object(store) => store.delete(digest).await,
        }
    }

    /// Re-reads a blob and compares it with its name and expected size.
    pub async fn check(&self, digest: &Digest, expected_size: u64) -> Result<Fixity, ContentError> {
        match &self.backend {
            Backend::Local(dir) => dir.check(digest, expected_size).await,
            Backend::Object(store) => store.check(digest, expected_size).await,
        }
    }
}

/// The range to read of a blob of `size` bytes (the whole blob when None).
fn check_range(range: Option<Range<u64>>, size: u64) -> Result<Range<u64>, ContentError> {
    match range {
        None => Ok(0..size),
        Some(r) if r.start < size && r.start <= r.end && r.end <= size => Ok(r),
        Some(_) => Err(ContentError::RangeNotSatisfiable { size }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_inside_the_blob_only() {
        assert_eq!(check_range(None, 10).ok(), Some(0..10));
        assert_eq!(check_range(Some(2..5), 10).ok(), Some(2..5));
        assert_eq!(check_range(Some(9..10), 10).ok(), Some(9..10));
        assert!(check_range(Some(10..10), 10).is_err());
        assert!(check_range(Some(5..11), 10).is_err());
        assert!(check_range(Some(0..1), 0).is_err());
    }

    #[test]
    fn bad_locations_are_refused() {
        for bad in ["", "file://relative", "ftp://x", "s3://", "memory://x"] {
            assert!(
                matches!(Blobs::open(bad), Err(ContentError::BadLocation(_))),
                "{bad}"
            );
        }
    }
}

//! Blobs in a folder: `<dir>/<first 2 hex>/<digest hex>`, temporary files in `<dir>/tmp/`.

use std::io::{Read, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use crate::spool::{blocking, spool};
use crate::{BlobStream, ContentError, Digest, Fixity, Put, PutLimits, check_range};

/// The read buffer of downloads and fixity checks.
pub(crate) const READ_BUFFER: usize = 1 << 20;

/// A folder of blobs.
#[derive(Debug)]
pub(crate) struct LocalDir {
    root: PathBuf,
    tmp: PathBuf,
}

impl LocalDir {
    /// Opens (creating if missing) a folder of blobs and its `tmp/` folder.
    pub(crate) fn open(root: PathBuf) -> Result<LocalDir, ContentError> {
        let tmp = root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        Ok(LocalDir { root, tmp })
    }

    fn path_of(&self, digest: &Digest) -> PathBuf {
        self.root.join(digest.fan_out()).join(digest.to_hex())
    }

    pub(crate) async fn put<S>(&self, body: S, limits: &PutLimits) -> Result<Put, ContentError>
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin,
    {
        let spooled = spool(&self.tmp, body, limits).await?;
        let target = self.path_of(&spooled.digest);
        let root = self.root.clone();
        let temp = spooled.path;
        let already_present = blocking(move || place(temp, &root, &target)).await?;
        Ok(Put {
            digest: spooled.digest,
            size: spooled.size,
            format: spooled.format,
            already_present,
        })
    }

    pub(crate) async fn size(&self, digest: &Digest) -> Result<Option<u64>, ContentError> {
        match tokio::fs::metadata(self.path_of(digest)).await {
            Ok(meta) => Ok(Some(meta.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn read(
        &self,
        digest: &Digest,
        range: Option<Range<u64>>,
    ) -> Result<BlobStream, ContentError> {
        let mut file = match tokio::fs::File::open(self.path_of(digest)).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ContentError::NotFound(*digest));
            }
            Err(e) => return Err(e.into()),
        };
        let total = file.metadata().await?.len();
        let range = check_range(range, total)?;
        if range.start > 0 {
            file.seek(SeekFrom::Start(range.start)).await?;
        }
        let len = range.end - range.start;
        let stream = ReaderStream::with_capacity(file.take(len), READ_BUFFER).boxed();
        Ok(BlobStream { total, len, stream })
    }

    pub(crate) async fn delete(&self, digest: &Digest) -> Result<bool, ContentError> {
        let path = self.path_of(digest);
        Ok(blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => {
                if let Some(parent) = path.parent() {
                    sync_dir(parent)?;
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        })
        .await?)
    }

    pub(crate) async fn check(
        &self,
        digest: &Digest,
        expected_size: u64,
    ) -> Result<Fixity, ContentError> {
        let path = self.path_of(digest);
        let digest = *digest;
        Ok(blocking(move || {
            let file = match std::fs::File::open(&path) {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Fixity::Missing),
                Err(e) => return Err(e),
            };
            let (actual, size) = hash_reader(file)?;
            Ok(Fixity::judge(digest, expected_size, actual, size))
        })
        .await?)
    }
}

/// Renames the fsynced temporary file to `target` unless a blob is already there; true when
/// it was (the temporary file is then removed).
fn place(temp: tempfile::TempPath, root: &Path, target: &Path) -> std::io::Result<bool> {
    let Some(parent) = target.parent() else {
        return Err(std::io::Error::other("blob path has no parent"));
    };
    if !parent.exists() {
        std::fs::create_dir_all(parent)?;
        sync_dir(root)?;
    }
    match temp.persist_noclobber(target) {
        Ok(()) => {
            sync_dir(parent)?;
            Ok(false)
        }
        // The error gives the temporary path back; dropping it removes the file.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(true),
        Err(e) => Err(e.error),
    }
}

/// Makes a folder's entries durable (a rename or a removal in it).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// The SHA-256 and size of everything a reader yields, read in large blocks.
pub(crate) fn hash_reader(mut reader: impl Read) -> std::io::Result<(Digest, u64)> {
    let mut buf = vec![0u8; READ_BUFFER];
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((Digest(hasher.finalize().into()), size))
}

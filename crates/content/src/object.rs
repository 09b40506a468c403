//! Blobs in an object store (any S3-compatible store, or memory for tests) via `object_store`.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncReadExt;

use crate::spool::spool;
use crate::{BlobStream, ContentError, Digest, Fixity, Put, PutLimits, check_range};

/// Bodies up to this size are uploaded in one request; larger ones in parts of this size.
pub(crate) const PART_SIZE: usize = 8 << 20;
/// How many parts of one upload may be in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

/// An object store holding blobs under `<first 2 hex>/<digest hex>`.
#[derive(Debug)]
pub(crate) struct ObjectBlobs {
    store: Arc<dyn ObjectStore>,
    /// Where bodies are spooled (hashed, bounded, sniffed) before they are uploaded.
    spool_dir: PathBuf,
}

impl ObjectBlobs {
    /// Wraps an object store; bodies are spooled in `spool_dir` (created if missing).
    pub(crate) fn new(
        store: Arc<dyn ObjectStore>,
        spool_dir: PathBuf,
    ) -> Result<ObjectBlobs, ContentError> {
        std::fs::create_dir_all(&spool_dir)?;
        Ok(ObjectBlobs { store, spool_dir })
    }

    fn path_of(digest: &Digest) -> ObjectPath {
        ObjectPath::from(format!("{}/{}", digest.fan_out(), digest.to_hex()))
    }

    pub(crate) async fn put<S>(&self, body: S, limits: &PutLimits) -> Result<Put, ContentError>
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin,
    {
        let spooled = spool(&self.spool_dir, body, limits).await?;
        let location = Self::path_of(&spooled.digest);
        let already_present = self.size(&spooled.digest).await?.is_some();
        if !already_present {
            let mut file = tokio::fs::File::open(&spooled.path).await?;
            if spooled.size <= PART_SIZE as u64 {
                let mut whole = Vec::with_capacity(spooled.size as usize);
                file.read_to_end(&mut whole).await?;
                self.store.put(&location, PutPayload::from(whole)).await?;
            } else {
                self.upload_in_parts(&location, file).await?;
            }
        }
        Ok(Put {
            digest: spooled.digest,
            size: spooled.size,
            format: spooled.format,
            already_present,
        })
    }

    async fn upload_in_parts(
        &self,
        location: &ObjectPath,
        mut file: tokio::fs::File,
    ) -> Result<(), ContentError> {
        let upload = self.store.put_multipart(location).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        let mut buf = vec![0u8; PART_SIZE];
        let result: Result<(), ContentError> = async {
            loop {
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Ok(());
                }
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                writer.write(&buf[..n]);
            }
        }
        .await;
        match result {
            Ok(()) => {
                writer.finish().await?;
                Ok(())
            }
            Err(e) => {
                // The upload failed already; its abort is best effort.
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    pub(crate) async fn size(&self, digest: &Digest) -> Result<Option<u64>, ContentError> {
        match self.store.head(&Self::path_of(digest)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn read(
        &self,
        digest: &Digest,
        range: Option<Range<u64>>,
    ) -> Result<BlobStream, ContentError> {
        let Some(total) = self.size(digest).await? else {
            return Err(ContentError::NotFound(*digest));
        };
        let range = check_range(range, total)?;
        let len = range.end - range.start;
        if len == 0 {
            return Ok(BlobStream {
                total,
                len,
                stream: futures::stream::empty().boxed(),
            });
        }
        let options = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..GetOptions::default()
        };
        let got = match self.store.get_opts(&Self::path_of(digest), options).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(ContentError::NotFound(*digest));
            }
            Err(e) => return Err(e.into()),
        };
        let stream = got.into_stream().map_err(std::io::Error::other).boxed();
        Ok(BlobStream { total, len, stream })
    }

    pub(crate) async fn delete(&self, digest: &Digest) -> Result<bool, ContentError> {
        if self.size(digest).await?.is_none() {
            return Ok(false);
        }
        match self.store.delete(&Self::path_of(digest)).await {
            Ok(()) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn check(
        &self,
        digest: &Digest,
        expected_size: u64,
    ) -> Result<Fixity, ContentError> {
        let got = match self.store.get(&Self::path_of(digest)).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(Fixity::Missing),
            Err(e) => return Err(e.into()),
        };
        let mut stream = got.into_stream();
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            hasher.update(&chunk);
        }
        let actual = Digest(hasher.finalize().into());
        Ok(Fixity::judge(*digest, expected_size, actual, size))
    }
}

/// Opens `s3://bucket/prefix` from the AWS_* environment, or `memory://`.
pub(crate) fn open(location: &str) -> Result<ObjectBlobs, ContentError> {
    let store: Arc<dyn ObjectStore> = if location == "memory://" || location == "memory:" {
        Arc::new(object_store::memory::InMemory::new())
    } else if let Some(rest) = location.strip_prefix("s3://") {
        let (bucket, prefix) = match rest.split_once('/') {
            Some((bucket, prefix)) => (bucket, prefix.trim_matches('/')),
            None => (rest, ""),
        };
        if bucket.is_empty() {
            return Err(ContentError::BadLocation(location.to_owned()));
        }
        let s3 = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| ContentError::BadLocation(format!("{location}: {e}")))?;
        if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        }
    } else {
        return Err(ContentError::BadLocation(location.to_owned()));
    };
    ObjectBlobs::new(store, default_spool_dir())
}

/// Where bodies bound for an object store are spooled by default.
pub(crate) fn default_spool_dir() -> PathBuf {
    std::env::temp_dir().join("bangiao-blob-spool")
}

//! The blob store through its public API, against a folder and against an in-memory object
//! store (the same `object_store` code path an S3 bucket takes), and against a real
//! S3-compatible server when `BANGIAO_S3_URL` is set.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bangiao_content::object_store::memory::InMemory;
use bangiao_content::object_store::path::Path as ObjectPath;
use bangiao_content::object_store::{ObjectStoreExt, PutPayload};
use bangiao_content::{Blobs, ContentError, Digest, Fixity, FormatKind, PutLimits};
use bytes::Bytes;
use futures::{TryStreamExt, stream};

/// Bytes that do not repeat in any short period (a simple generator, no randomness).
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The body as a stream of 64 KiB chunks, as an HTTP upload arrives.
fn body(data: &[u8]) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin {
    let chunks: Vec<_> = data
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(chunks)
}

fn limits() -> PutLimits {
    PutLimits {
        max_bytes: 64 << 20,
        expected: None,
    }
}

/// A backend under test, with a way to damage its blobs from outside the API.
enum Fixture {
    Local {
        dir: tempfile::TempDir,
        blobs: Blobs,
    },
    Memory {
        store: Arc<InMemory>,
        spool: tempfile::TempDir,
        blobs: Blobs,
    },
}

impl Fixture {
    fn local() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = Blobs::local(dir.path().join("blobs")).expect("local");
        Fixture::Local { dir, blobs }
    }

    fn memory() -> Fixture {
        let store = Arc::new(InMemory::new());
        let spool = tempfile::tempdir().expect("tempdir");
        let blobs = Blobs::object_store(store.clone(), spool.path()).expect("memory");
        Fixture::Memory {
            store,
            spool,
            blobs,
        }
    }

    fn blobs(&self) -> &Blobs {
        match self {
            Fixture::Local { blobs, .. } | Fixture::Memory { blobs, .. } => blobs,
        }
    }

    fn temp_dir(&self) -> PathBuf {
        match self {
            Fixture::Local { dir, .. } => dir.path().join("blobs").join("tmp"),
            Fixture::Memory { spool, .. } => spool.path().to_path_buf(),
        }
    }

    /// How many temporary files are left.
    fn temp_files(&self) -> usize {
        std::fs::read_dir(self.temp_dir()).expect("tmp dir").count()
    }

    /// Replaces a stored blob's bytes behind the store's back.
    async fn overwrite(&self, digest: &Digest, new: Vec<u8>) {
        match self {
            Fixture::Local { dir, .. } => {
                let path = blob_path(dir.path(), digest);
                assert!(path.exists(), "{path:?}");
                std::fs::write(path, new).expect("overwrite");
            }
            Fixture::Memory { store, .. } => {
                store
                    .put(&object_path(digest), PutPayload::from(new))
                    .await
                    .expect("overwrite");
            }
        }
    }

    /// Removes a stored blob behind the store's back.
    async fn remove(&self, digest: &Digest) {
        match self {
            Fixture::Local { dir, .. } => {
                std::fs::remove_file(blob_path(dir.path(), digest)).expect("remove")
            }
            Fixture::Memory { store, .. } => {
                store.delete(&object_path(digest)).await.expect("remove")
            }
        }
    }
}

fn blob_path(root: &Path, digest: &Digest) -> PathBuf {
    let hex = digest.to_string();
    root.join("blobs").join(&hex[..2]).join(hex)
}

fn object_path(digest: &Digest) -> ObjectPath {
    let hex = digest.to_string();
    ObjectPath::from(format!("{}/{hex}", &hex[..2]))
}

async fn collect(blobs: &Blobs, digest: &Digest, range: Option<std::ops::Range<u64>>) -> Vec<u8> {
    let read = blobs.read(digest, range).await.expect("read");
    let chunks: Vec<Bytes> = read.stream.try_collect().await.expect("stream");
    let all = chunks.concat();
    assert_eq!(all.len() as u64, read.len);
    all
}

// ---------------------------------------------------------------------------------------------
// The suite, run against each backend.

async fn put_read_and_range(f: Fixture) {
    let data = bytes(3 << 20, 1);
    let blobs = f.blobs();
    let put = blobs.put(body(&data), &limits()).await.expect("put");
    assert_eq!(put.digest, Digest::of(&data));
    assert_eq!(put.size, data.len() as u64);
    assert_eq!(put.format.kind, FormatKind::Other);
    assert!(!put.already_present);
    assert_eq!(
        blobs.size(&put.digest).await.expect("size"),
        Some(data.len() as u64)
    );

    assert_eq!(collect(blobs, &put.digest, None).await, data);
    let read = blobs
        .read(&put.digest, Some(100..1000))
        .await
        .expect("range");
    assert_eq!((read.total, read.len), (data.len() as u64, 900));
    assert_eq!(
        collect(blobs, &put.digest, Some(100..1000)).await,
        &data[100..1000]
    );
    let end = data.len() as u64;
    assert_eq!(
        collect(blobs, &put.digest, Some(end - 1..end)).await,
        &data[data.len() - 1..]
    );
    for bad in [end..end + 1, 10..end + 1, end + 5..end + 10] {
        assert!(
            matches!(
                blobs.read(&put.digest, Some(bad.clone())).await,
                Err(ContentError::RangeNotSatisfiable { size }) if size == end
            ),
            "{bad:?}"
        );
    }
    let absent = Digest::of(b"absent");
    assert!(
        matches!(blobs.read(&absent, None).await, Err(ContentError::NotFound(d)) if d == absent)
    );
    assert_eq!(blobs.size(&absent).await.expect("size"), None);
    assert_eq!(f.temp_files(), 0, "no temporary file is left behind");
}

async fn put_is_idempotent(f: Fixture) {
    let data = bytes(100_000, 2);
    let blobs = f.blobs();
    let first = blobs.put(body(&data), &limits()).await.expect("put");
    let second = blobs.put(body(&data), &limits()).await.expect("put again");
    assert!(!first.already_present);
    assert!(second.already_present);
    assert_eq!((first.digest, first.size), (second.digest, second.size));
    assert_eq!(collect(blobs, &first.digest, None).await, data);
    assert_eq!(f.temp_files(), 0);
}

async fn put_never_overwrites(f: Fixture) {
    // A blob damaged on disk is not silently repaired or replaced by a later put: the damage
    // stays for the fixity check to find.
    let data = bytes(10_000, 3);
    let blobs = f.blobs();
    let put = blobs.put(body(&data), &limits()).await.expect("put");
    f.overwrite(&put.digest, b"damaged".to_vec()).await;
    let again = blobs.put(body(&data), &limits()).await.expect("put again");
    assert!(again.already_present);
    assert_eq!(collect(blobs, &put.digest, None).await, b"damaged");
}

async fn put_refuses_past_the_limit(f: Fixture) {
    let data = bytes(300_000, 4);
    let blobs = f.blobs();
    let tight = PutLimits {
        max_bytes: 200_000,
        expected: None,
    };
    assert!(matches!(
        blobs.put(body(&data), &tight).await,
        Err(ContentError::TooLarge { limit: 200_000 })
    ));
    assert_eq!(blobs.size(&Digest::of(&data)).await.expect("size"), None);
    assert_eq!(f.temp_files(), 0, "the partial temporary file is removed");
    // Exactly at the limit is accepted.
    let exact = PutLimits {
        max_bytes: data.len() as u64,
        expected: None,
    };
    blobs.put(body(&data), &exact).await.expect("at the limit");
}

async fn put_refuses_a_digest_mismatch(f: Fixture) {
    let data = bytes(50_000, 5);
    let blobs = f.blobs();
    let wrong = Digest::of(b"other bytes");
    let limits = PutLimits {
        max_bytes: 1 << 20,
        expected: Some(wrong),
    };
    match blobs.put(body(&data), &limits).await {
        Err(ContentError::Mismatch { expected, actual }) => {
            assert_eq!((expected, actual), (wrong, Digest::of(&data)));
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
    assert_eq!(blobs.size(&Digest::of(&data)).await.expect("size"), None);
    assert_eq!(f.temp_files(), 0);
    let right = PutLimits {
        max_bytes: 1 << 20,
        expected: Some(Digest::of(&data)),
    };
    blobs
        .put(body(&data), &right)
        .await
        .expect("the announced digest");
}

async fn a_failing_body_leaves_nothing(f: Fixture) {
    let blobs = f.blobs();
    let failing = stream::iter(vec![
        Ok(Bytes::from_static(b"first part")),
        Err(std::io::Error::other("client went away")),
    ]);
    assert!(matches!(
        blobs.put(failing, &limits()).await,
        Err(ContentError::Io(_))
    ));
    assert_eq!(f.temp_files(), 0);
}

async fn delete_then_absent(f: Fixture) {
    let data = bytes(20_000, 6);
    let blobs = f.blobs();
    let put = blobs.put(body(&data), &limits()).await.expect("put");
    assert!(blobs.delete(&put.digest).await.expect("delete"));
    assert!(!blobs.delete(&put.digest).await.expect("delete again"));
    assert!(matches!(
        blobs.read(&put.digest, None).await,
        Err(ContentError::NotFound(_))
    ));
    assert_eq!(
        blobs.check(&put.digest, put.size).await.expect("check"),
        Fixity::Missing
    );
    // Put again after a delete stores it anew.
    assert!(
        !blobs
            .put(body(&data), &limits())
            .await
            .expect("put")
            .already_present
    );
}

async fn fixity_finds_one_flipped_byte_and_a_missing_blob(f: Fixture) {
    let data = bytes(1 << 20, 7);
    let blobs = f.blobs();
    let put = blobs.put(body(&data), &limits()).await.expect("put");
    assert_eq!(
        blobs.check(&put.digest, put.size).await.expect("check"),
        Fixity::Intact
    );
    // Intact bytes of another size than recorded are not intact.
    assert!(matches!(
        blobs.check(&put.digest, put.size + 1).await.expect("check"),
        Fixity::Altered { actual, size } if actual == put.digest && size == put.size
    ));

    let mut flipped = data.clone();
    flipped[12_345] ^= 0x01;
    f.overwrite(&put.digest, flipped.clone()).await;
    assert_eq!(
        blobs.check(&put.digest, put.size).await.expect("check"),
        Fixity::Altered {
            actual: Digest::of(&flipped),
            size: put.size
        }
    );

    f.remove(&put.digest).await;
    assert_eq!(
        blobs.check(&put.digest, put.size).await.expect("check"),
        Fixity::Missing
    );
}

async fn big_body_round_trips(f: Fixture) {
    // Larger than one upload part (8 MiB): the object store takes the multipart path.
    let data = bytes(9 << 20, 8);
    let blobs = f.blobs();
    let put = blobs.put(body(&data), &limits()).await.expect("put");
    assert_eq!(put.digest, Digest::of(&data));
    let back = collect(blobs, &put.digest, None).await;
    assert!(back == data, "the bytes read back are the bytes put");
    assert_eq!(
        blobs.check(&put.digest, put.size).await.expect("check"),
        Fixity::Intact
    );
}

async fn put_sniffs_the_format(f: Fixture) {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    for i in 0..4 {
        pdf.extend(format!("{} 0 obj << /Type /Page /Parent 9 0 R >> endobj\n", i + 1).bytes());
    }
    pdf.extend(b"9 0 obj << /Type /Pages /Count 4 >> endobj\n%%EOF\n");
    let put = f.blobs().put(body(&pdf), &limits()).await.expect("put");
    assert_eq!(
        (put.format.kind, put.format.pages),
        (FormatKind::Pdf, Some(4))
    );
    assert_eq!(put.format.mime(), "application/pdf");
}

macro_rules! suite {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[tokio::test]
            async fn put_read_and_range() {
                super::put_read_and_range(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn put_is_idempotent() {
                super::put_is_idempotent(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn put_never_overwrites() {
                super::put_never_overwrites(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn put_refuses_past_the_limit() {
                super::put_refuses_past_the_limit(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn put_refuses_a_digest_mismatch() {
                super::put_refuses_a_digest_mismatch(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn a_failing_body_leaves_nothing() {
                super::a_failing_body_leaves_nothing(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn delete_then_absent() {
                super::delete_then_absent(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn fixity_finds_one_flipped_byte_and_a_missing_blob() {
                super::fixity_finds_one_flipped_byte_and_a_missing_blob(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn big_body_round_trips() {
                super::big_body_round_trips(Fixture::$backend()).await;
            }
            #[tokio::test]
            async fn put_sniffs_the_format() {
                super::put_sniffs_the_format(Fixture::$backend()).await;
            }
        }
    };
}

suite!(local);
suite!(memory);

#[tokio::test]
async fn local_blob_lives_under_its_fan_out_folder() {
    let f = Fixture::local();
    let Fixture::Local { dir, .. } = &f else {
        unreachable!()
    };
    let put = f.blobs().put(body(b"hello"), &limits()).await.expect("put");
    let path = blob_path(dir.path(), &put.digest);
    assert_eq!(std::fs::read(&path).expect("on disk"), b"hello");
    let hex = put.digest.to_string();
    assert!(path.ends_with(format!("{}/{hex}", &hex[..2])));
}

#[tokio::test]
async fn open_understands_paths_file_urls_and_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let by_path = Blobs::open(dir.path().join("a").to_str().expect("utf-8")).expect("path");
    let url = format!("file://{}", dir.path().join("b").display());
    let by_url = Blobs::open(&url).expect("file url");
    let memory = Blobs::open("memory://").expect("memory");
    for blobs in [by_path, by_url, memory] {
        let put = blobs.put(body(b"x"), &limits()).await.expect("put");
        assert_eq!(collect(&blobs, &put.digest, None).await, b"x");
    }
    assert!(dir.path().join("a/tmp").is_dir());
    assert!(dir.path().join("b/tmp").is_dir());
}

/// The same flow against a real S3-compatible server, when one is configured:
/// `BANGIAO_S3_URL=s3://bucket/prefix` with the usual AWS_* variables (AWS_ENDPOINT,
/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ALLOW_HTTP for a local server).
#[tokio::test]
async fn s3_when_configured() {
    let Ok(url) = std::env::var("BANGIAO_S3_URL") else {
        println!("skipped: BANGIAO_S3_URL not set");
        return;
    };
    let blobs = Blobs::open(&url).expect("s3 location");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(9);
    for len in [1 << 20, 9 << 20] {
        let data = bytes(len, seed ^ len as u64);
        let put = blobs.put(body(&data), &limits()).await.expect("put");
        assert!(!put.already_present);
        assert!(
            blobs
                .put(body(&data), &limits())
                .await
                .expect("again")
                .already_present
        );
        assert_eq!(
            collect(&blobs, &put.digest, Some(10..20)).await,
            &data[10..20]
        );
        assert!(collect(&blobs, &put.digest, None).await == data);
        assert_eq!(
            blobs.check(&put.digest, put.size).await.expect("check"),
            Fixity::Intact
        );
        assert!(blobs.delete(&put.digest).await.expect("delete"));
        assert_eq!(
            blobs.check(&put.digest, put.size).await.expect("check"),
            Fixity::Missing
        );
    }
}

#[test]
fn errors_speak_vietnamese_and_english() {
    let e = ContentError::TooLarge { limit: 10 };
    assert_eq!(e.message_vi(), "tệp vượt quá giới hạn 10 byte");
    assert_eq!(
        e.message_en(),
        "the file is larger than the limit of 10 bytes"
    );
    assert!(e.to_string().contains(" / "));
}

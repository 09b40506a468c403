//! The embedded default backend: one SQLite file in WAL mode, durable commits, one writer
//! thread with group commit, a pool of readers beside it.

mod read;
mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use async_trait::async_trait;
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, RecordedEvent};
use crate::store::{EventStore, EventStream, follow};

pub use read::{PREPARED_STATEMENTS, ReaderPool};
pub use schema::SCHEMA_VERSION;

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// `synchronous=FULL`: a commit is on disk before it is acknowledged (the default).
    #[default]
    Full,
    /// `synchronous=NORMAL`: a power cut may lose the last commits, never corrupt the file.
    Normal,
}

/// Settings of the embedded store.
#[derive(Debug, Clone)]
pub struct SqliteConfig {
    /// The database file.
    pub path: PathBuf,
    /// Commit durability.
    pub durability: Durability,
    /// Most appends committed in one transaction.
    pub max_batch: usize,
    /// Most appends waiting for the writer before new ones are refused as busy.
    pub queue_capacity: usize,
    /// Read connections kept open (and async reads run at once).
    pub readers: usize,
}

impl SqliteConfig {
    /// Defaults for a database file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            durability: Durability::Full,
            max_batch: 1024,
            queue_capacity: 16_384,
            readers: 16,
        }
    }
}

/// Maps a SQLite failure to the store's typed errors.
pub(crate) fn map_sqlite_error(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::StorageFull,
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
        _ => StoreError::Backend(e.to_string()),
    }
}

struct Inner {
    queue: Option<mpsc::Sender<writer::Job>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    checkpointer: Option<(std::sync::mpsc::Sender<()>, JoinHandle<()>)>,
    readers: read::ReaderPool,
    head: Arc<watch::Sender<u64>>,
    path: PathBuf,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the queue ends the writer loop; wait so the file is closed when we return.
        self.queue.take();
        if let Some(handle) = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = handle.join();
        }
        if let Some((stop, handle)) = self.checkpointer.take() {
            drop(stop);
            let _ = handle.join();
        }
    }
}

/// The embedded event store; clones share one writer.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

/// How often the checkpointer copies committed WAL frames into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Copies the WAL into the database file on its own thread and connection, so the writer mostly
/// does not pause for it; and raises `head` when another process appended to the file (say
/// `bangiao token create` while the service runs), so followers see those events too. Stops
/// when `stop` is dropped.
fn spawn_checkpointer(
    config: &SqliteConfig,
    head: Arc<watch::Sender<u64>>,
) -> Result<(std::sync::mpsc::Sender<()>, JoinHandle<()>), StoreError> {
    let conn = open_connection(config)?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::Builder::new()
        .name("bangiao-sqlite-checkpoint".into())
        .spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(CHECKPOINT_EVERY)
            {
                if let Err(error) = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)") {
                    tracing::warn!(%error, "WAL checkpoint failed; will retry");
                }
                let on_disk: Result<Option<i64>, _> =
                    conn.query_row("SELECT MAX(position) FROM events", [], |r| r.get(0));
                if let Ok(Some(on_disk)) = on_disk {
                    head.send_if_modified(|seen| {
                        let raised = on_disk as u64 > *seen;
                        if raised {
                            *seen = on_disk as u64;
                        }
                        raised
                    });
                }
            }
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        })
        .map_err(|e| StoreError::Backend(format!("cannot start the checkpoint thread: {e}")))?;
    Ok((stop, handle))
}

/// Opens the writer's connection. Checkpoints are split in two (measured together: +25% durable
/// appends per second with 64 writers): the checkpointer thread copies WAL frames into the
/// database in the background, and the writer checkpoints itself only every 50,000 pages (about
/// 200 MB), by which time most frames are already copied. The writer's own checkpoint is what
/// lets the WAL be reset and reused: a WAL only ever checkpointed from outside keeps growing.
fn open_writer_connection(config: &SqliteConfig) -> Result<Connection, StoreError> {
    let conn = open_connection(config)?;
    conn.execute_batch("PRAGMA wal_autocheckpoint = 50000;")
        .map_err(map_sqlite_error)?;
    Ok(conn)
}

/// Opens a read-write connection with the pragmas every such connection of the store uses.
fn open_connection(config: &SqliteConfig) -> Result<Connection, StoreError> {
    let conn = Connection::open(&config.path).map_err(crate::sqlite::map_sqlite_error)?;
    conn.set_prepared_statement_cache_capacity(read::PREPARED_STATEMENTS);
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(map_sqlite_error)?;
    let synchronous = match config.durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {synchronous};
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;"
    ))
    .map_err(map_sqlite_error)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating if needed) the store file, migrates it, and starts the writer thread.
    pub fn open(config: SqliteConfig) -> Result<Self, StoreError> {
        if let Some(dir) = config.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut conn = open_writer_connection(&config)?;
        schema::migrate(&mut conn).map_err(|e| match e {
            schema::MigrationError::Sqlite(e) => map_sqlite_error(e),
            other => StoreError::Backend(other.to_string()),
        })?;
        let head = Arc::new(watch::channel(0).0);
        let writer = writer::Writer::new(conn, config.max_batch, head.clone())?;
        let (queue, jobs) = mpsc::channel(config.queue_capacity.max(1));
        let checkpointer = spawn_checkpointer(&config, head.clone())?;
        let handle = std::thread::Builder::new()
            .name("bangiao-sqlite-writer".into())
            .spawn(move || writer.run(jobs))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                queue: Some(queue),
                writer: Mutex::new(Some(handle)),
                checkpointer: Some(checkpointer),
                readers: read::ReaderPool::new(config.path.clone(), config.readers),
                head,
                path: config.path,
            }),
        })
    }

    /// Opens the store at `path` with default settings.
    pub fn open_path(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open(SqliteConfig::new(path.as_ref()))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Writes a consistent copy of the database to `target` while the store keeps running.
    pub async fn backup_to(&self, target: impl Into<PathBuf>) -> Result<(), StoreError> {
        let target = target.into();
        self.inner
            .readers
            .with(move |conn| vacuum_into(conn, &target))
            .await
    }
}

/// Copies the store file at `source` to `target` as one consistent snapshot, from any process,
/// while another process may be writing to it (WAL readers never block the writer).
pub fn backup_file(source: &Path, target: &Path) -> Result<(), StoreError> {
    if !source.exists() {
        return Err(StoreError::InvalidRequest(format!(
            "{} does not exist",
            source.display()
        )));
    }
    let conn = Connection::open_with_flags(source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(map_sqlite_error)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(map_sqlite_error)?;
    vacuum_into(&conn, target)
}

fn vacuum_into(conn: &Connection, target: &Path) -> Result<(), StoreError> {
    if target.exists() {
        return Err(StoreError::InvalidRequest(format!(
            "{} already exists",
            target.display()
        )));
    }
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy().as_ref()])
        .map_err(map_sqlite_error)?;
    Ok(())
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        let queue = self
            .inner
            .queue
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("store closed".into()))?;
        let (reply, outcome) = oneshot::channel();
        queue
            .try_send(writer::Job { request, reply })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => StoreError::Busy,
                mpsc::error::TrySendError::Closed(_) => {
                    StoreError::Unavailable("the writer stopped".into())
                }
            })?;
        outcome
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        let from = i64::try_from(from_revision).unwrap_or(i64::MAX);
        // On the caller's thread, like the other point reads below: a command catches its
        // stream up by a few events, which takes less time than waking a blocking thread.
        self.inner
            .readers
            .with_blocking(|conn| read::stream_page(conn, stream, from, max))
    }

    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        let from = i64::try_from(from_position).unwrap_or(i64::MAX);
        self.inner
            .readers
            .with(move |conn| {
                read::query_events(
                    conn,
                    &format!(
                        "SELECT {} FROM events WHERE position >= ?1 ORDER BY position LIMIT ?2",
                        read::EVENT_COLUMNS
                    ),
                    rusqlite::params![from, max],
                )
            })
            .await
    }

    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        self.inner
            .readers
            .with_blocking(|conn| writer::stream_revision(conn, stream))
    }

    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        self.inner
            .readers
            .with_blocking(|conn| Ok(writer::find_command(conn, command_id)?.map(|(_, r)| r)))
    }

    fn head_position(&self) -> u64 {
        *self.inner.head.borrow()
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.head.subscribe()
    }

    fn subscribe_all(&self, from_position: u64) -> EventStream {
        follow(self.clone(), from_position)
    }
}

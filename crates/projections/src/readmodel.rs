//! The read-model file: opening it, following the event log into it, and rebuilding it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bangiao_domain::upcast::Upcasters;
use bangiao_store::sqlite::ReaderPool;
use bangiao_store::{EventStore, RecordedEvent};
use rusqlite::Connection;
use tokio::sync::watch;

use crate::apply::{Decoded, apply, decode};
use crate::error::ProjectionError;
use crate::schema;

/// Read-only connections of the read model kept open (and async queries run at once).
const READERS: usize = 16;

/// Events read from the log per page while following it.
const FOLLOW_PAGE: usize = 2_048;

/// The read models of one service replica, in one SQLite file.
#[derive(Clone)]
pub struct ReadModel {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: ReaderPool,
    projected: Arc<watch::Sender<u64>>,
    tokens_changed: Arc<AtomicU64>,
    upcasters: Upcasters,
}

fn open_connection(path: &Path) -> Result<Connection, ProjectionError> {
    let conn = Connection::open(path)?;
    conn.set_prepared_statement_cache_capacity(bangiao_store::sqlite::PREPARED_STATEMENTS);
    conn.busy_timeout(Duration::from_secs(5))?;
    // The read model is disposable: NORMAL durability suffices, because the checkpoint commits
    // with the rows it covers, and whatever a power cut loses is projected again.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
    )?;
    Ok(conn)
}

impl ReadModel {
    /// Opens the read-model file, creating it empty when missing.
    ///
    /// A file written by another version of the read model is refused with
    /// [`ProjectionError::NeedsRebuild`]: rebuild it with [`rebuild`].
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, ProjectionError> {
        let path = path.into();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| ProjectionError::Io(format!("{}: {e}", dir.display())))?;
        }
        let conn = open_connection(&path)?;
        match schema::version(&conn)? {
            0 => schema::create(&conn)?,
            schema::READ_MODEL_VERSION => {}
            found => {
                return Err(ProjectionError::NeedsRebuild {
                    found,
                    needed: schema::READ_MODEL_VERSION,
                });
            }
        }
        let position = checkpoint(&conn)?;
        Ok(Self {
            readers: ReaderPool::new(path.clone(), READERS),
            path,
            writer: Arc::new(Mutex::new(conn)),
            projected: Arc::new(watch::channel(position).0),
            tokens_changed: Arc::new(AtomicU64::new(0)),
            upcasters: bangiao_domain::events::upcasters(),
        })
    }

    /// The same read model, reading old payloads through `upcasters` instead of the domain's
    /// registry ([`bangiao_domain::events::upcasters`]).
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read-only connections for queries.
    pub fn readers(&self) -> &ReaderPool {
        &self.readers
    }

    /// The position of the last event applied.
    pub fn position(&self) -> u64 {
        *self.projected.borrow()
    }

    /// A number that changes after every committed change to the tokens table (issue, revoke).
    ///
    /// Read it before looking a token up: an answer cached under the number read stays true for
    /// as long as the number is unchanged.
    pub fn tokens_generation(&self) -> u64 {
        self.tokens_changed.load(Ordering::Acquire)
    }

    /// Watches the position of the last event applied.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.projected.subscribe()
    }

    /// Waits until the read model has applied `position`, at most `timeout`; returns its position.
    pub async fn wait_for(&self, position: u64, timeout: Duration) -> u64 {
        let mut rx = self.watch();
        let wait = async {
            loop {
                let current = *rx.borrow_and_update();
                if current >= position || rx.changed().await.is_err() {
                    return current;
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or_else(|_| self.position())
    }

    /// Applies every event the store holds beyond the checkpoint; returns the new position.
    pub async fn catch_up<S: EventStore + ?Sized>(
        &self,
        store: &S,
    ) -> Result<u64, ProjectionError> {
        loop {
            let from = self.position() + 1;
            let page = store.read_all(from, FOLLOW_PAGE).await?;
            if page.is_empty() {
                return Ok(self.position());
            }
            self.apply_page(page).await?;
        }
    }

    /// Follows the log for as long as the store lives: catch up, then apply new events as they
    /// commit. Returns only on an error.
    pub async fn follow<S: EventStore + ?Sized>(&self, store: &S) -> Result<(), ProjectionError> {
        let mut head = store.watch_head();
        loop {
            let seen = *head.borrow_and_update();
            if seen > self.position() {
                self.catch_up(store).await?;
                continue;
            }
            if head.changed().await.is_err() {
                return Ok(());
            }
        }
    }

    async fn apply_page(&self, page: Vec<RecordedEvent>) -> Result<(), ProjectionError> {
        let writer = self.writer.clone();
        let upcasters = self.upcasters.clone();
        let (position, tokens) =
            tokio::task::spawn_blocking(move || -> Result<(u64, bool), ProjectionError> {
                let decoded = page
                    .iter()
                    .map(|e| decode(e, &upcasters))
                    .collect::<Result<Vec<_>, _>>()?;
                let tokens = decoded.iter().any(|d| matches!(d, Decoded::Token(_)));
                let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
                Ok((apply_batch(&mut conn, &page, &decoded)?, tokens))
            })
            .await
            .map_err(|e| ProjectionError::Io(format!("projection task failed: {e}")))??;
        if tokens {
            // After the commit: a lookup that began before it sees the old number and is not kept.
            self.tokens_changed.fetch_add(1, Ordering::AcqRel);
        }
        self.projected.send_replace(position);
        Ok(())
    }
}

/// The checkpoint stored in the file.
fn checkpoint(conn: &Connection) -> Result<u64, ProjectionError> {
    let position: i64 =
        conn.query_row("SELECT position FROM checkpoint WHERE id = 1", [], |r| {
            r.get(0)
        })?;
    Ok(position as u64)
}

/// Applies events in one transaction with the checkpoint; returns the new checkpoint.
/// Events at or before the stored checkpoint are skipped, so a replayed page applies nothing twice.
fn apply_batch(
    conn: &mut Connection,
    page: &[RecordedEvent],
    decoded: &[Decoded],
) -> Result<u64, ProjectionError> {
    let tx = conn.transaction()?;
    let position = apply_events(&tx, page, decoded, checkpoint(&tx)?)?;
    set_checkpoint(&tx, position)?;
    tx.commit()?;
    Ok(position)
}

/// Applies the events after `position` inside the caller's transaction; returns the last
/// position applied.
fn apply_events(
    conn: &Connection,
    page: &[RecordedEvent],
    decoded: &[Decoded],
    mut position: u64,
) -> Result<u64, ProjectionError> {
    for (recorded, event) in page.iter().zip(decoded) {
        if recorded.position <= position {
            continue;
        }
        apply(conn, recorded, event)?;
        position = recorded.position;
    }
    Ok(position)
}

/// Stores the checkpoint, inside the caller's transaction.
fn set_checkpoint(conn: &Connection, position: u64) -> Result<(), ProjectionError> {
    conn.execute(
        "UPDATE checkpoint SET position = ?1 WHERE id = 1",
        [position as i64],
    )?;
    Ok(())
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    /// Events applied.
    pub events: u64,
    /// Position of the last event applied.
    pub position: u64,
}

/// Events per page and per transaction during a rebuild.
const REBUILD_PAGE: usize = 8_192;

/// Rebuilds the read models from position 0 into a fresh file that replaces `path` when done.
///
/// The new file is written beside the old one without a journal, in one transaction, with its
/// secondary indexes created last (all but the small partial one that applying needs); a crash
/// during the rebuild leaves the old file untouched and the new one is discarded, so the rebuild
/// needs no intermediate checkpoints. `progress` gets the position reached and the head of the
/// log. Nothing may hold `path` open meanwhile.
pub async fn rebuild<S: EventStore + ?Sized>(
    store: &S,
    path: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<RebuildReport, ProjectionError> {
    rebuild_until(store, path, u64::MAX, progress).await
}

/// A page of the log and its decoded events, on its way to the rebuild's writer and back.
type Page = (Vec<RecordedEvent>, Vec<Decoded>);

/// Like [`rebuild`], but stops after the event at position `until`: a rebuild of the log as it
/// stood then, to compare with a read model that had reached that position.
///
/// Three stages overlap: the store reads the next page on its reader thread while this task
/// decodes the current one (and computes the rows it writes), and a blocking thread applies the
/// pages in order. Applied pages come back to this task to be freed, so that the writer does not
/// also spend its time returning the reader's memory.
pub async fn rebuild_until<S: EventStore + ?Sized>(
    store: &S,
    path: &Path,
    until: u64,
    mut progress: impl FnMut(u64, u64),
) -> Result<RebuildReport, ProjectionError> {
    let temp = path.with_extension("rebuild");
    remove_database(&temp)?;
    let head = store.head_position().min(until);
    let (pages, received) = std::sync::mpsc::sync_channel::<Page>(4);
    let (spent, returned) = std::sync::mpsc::channel::<Page>();
    let temp_for_writer = temp.clone();
    let writer =
        tokio::task::spawn_blocking(move || write_rebuild(&temp_for_writer, received, spent));
    let upcasters = bangiao_domain::events::upcasters();
    let read_page = |from: u64| async move {
        if from > until {
            return Ok(Vec::new());
        }
        let mut page = store.read_all(from, REBUILD_PAGE).await?;
        page.retain(|e| e.position <= until);
        Ok::<_, ProjectionError>(page)
    };
    let feed = async {
        let mut page = read_page(1).await?;
        while let Some(last) = page.last() {
            let from = last.position + 1;
            progress(last.position, head.max(last.position));
            let decode_page = async {
                page.iter()
                    .map(|e| decode(e, &upcasters))
                    .collect::<Result<Vec<_>, _>>()
            };
            // The next read is polled first, so the store starts it before this page decodes.
            let (next, decoded) = tokio::join!(read_page(from), decode_page);
            if pages.send((page, decoded?)).is_err() {
                break;
            }
            while let Ok(applied) = returned.try_recv() {
                drop(applied);
            }
            page = next?;
        }
        Ok::<(), ProjectionError>(())
    };
    let fed = feed.await;
    drop(pages);
    let report = writer
        .await
        .map_err(|e| ProjectionError::Io(format!("rebuild task failed: {e}")))??;
    fed?;
    remove_database(path)?;
    std::fs::rename(&temp, path)
        .map_err(|e| ProjectionError::Io(format!("{}: {e}", path.display())))?;
    Ok(report)
}

/// The rebuild's writer: creates the file at `temp`, applies every page received in one
/// transaction, then creates the secondary indexes.
fn write_rebuild(
    temp: &Path,
    received: std::sync::mpsc::Receiver<Page>,
    spent: std::sync::mpsc::Sender<Page>,
) -> Result<RebuildReport, ProjectionError> {
    let mut conn = Connection::open(temp)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA threads = 2;",
    )?;
    schema::create_tables(&conn)?;
    conn.execute_batch(schema::APPLY_INDEXES)?;
    let mut report = RebuildReport {
        events: 0,
        position: 0,
    };
    let tx = conn.transaction()?;
    for (page, decoded) in received {
        report.position = apply_events(&tx, &page, &decoded, report.position)?;
        report.events += page.len() as u64;
        // The feeder may have stopped on an error: then the page is simply freed here.
        let _ = spent.send((page, decoded));
    }
    set_checkpoint(&tx, report.position)?;
    tx.commit()?;
    conn.execute_batch(schema::INDEXES)?;
    conn.execute_batch("PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL;")?;
    Ok(report)
}

/// Deletes a database file and its WAL and shared-memory companions, if present.
fn remove_database(path: &Path) -> Result<(), ProjectionError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ProjectionError::Io(format!(
                    "{}{suffix}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

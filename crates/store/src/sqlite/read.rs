//! Reading events back: row mapping and a small pool of read-only connections.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::sqlite::map_sqlite_error;

/// The columns every read selects, in the order [`event_from_row`] expects.
pub const EVENT_COLUMNS: &str =
    "position, stream, revision, event_id, event_type, schema_version, payload, metadata, hash";

/// Maps one row of [`EVENT_COLUMNS`] to an event; a malformed id or hash is reported as corrupt.
pub fn event_from_row(row: &Row<'_>) -> rusqlite::Result<Result<RecordedEvent, StoreError>> {
    let position: i64 = row.get(0)?;
    let position = position as u64;
    let id: Vec<u8> = row.get(3)?;
    let hash: Vec<u8> = row.get(8)?;
    let corrupt = |reason: &str| StoreError::Corrupt {
        position,
        reason: reason.to_owned(),
    };
    let Ok(event_id) = Uuid::from_slice(&id) else {
        return Ok(Err(corrupt("event id is not 16 bytes")));
    };
    let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) else {
        return Ok(Err(corrupt("hash is not 32 bytes")));
    };
    // Text is read as bytes first: a changed byte that breaks UTF-8 is reported as a corrupt
    // event at its position, not as an anonymous read failure.
    let text = |index: usize, what: &str| -> rusqlite::Result<Result<String, StoreError>> {
        let bytes: Vec<u8> = match row.get_ref(index)? {
            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t.to_vec(),
            _ => return Ok(Err(corrupt(&format!("{what} is not text")))),
        };
        Ok(String::from_utf8(bytes).map_err(|_| corrupt(&format!("{what} is not valid UTF-8"))))
    };
    let stream = match text(1, "stream")? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let event_type = match text(4, "event type")? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let payload = match text(6, "payload")? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let metadata = match text(7, "metadata")? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let revision: i64 = row.get(2)?;
    Ok(Ok(RecordedEvent {
        position,
        stream,
        revision: revision as u64,
        event_id,
        event_type,
        schema_version: row.get(5)?,
        payload,
        metadata,
        hash,
    }))
}

/// Runs a query returning event rows and collects them.
pub fn query_events(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(map_sqlite_error)?;
    let rows = stmt
        .query_map(params, event_from_row)
        .map_err(map_sqlite_error)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(map_sqlite_error)??);
    }
    Ok(out)
}

/// Statements each connection keeps prepared (rusqlite's default, 16, is fewer than the
/// queries of the read models, and preparing a statement costs more than most point reads).
pub const PREPARED_STATEMENTS: usize = 128;

/// Connections kept beyond `keep` for reads that run on the caller's thread ([`ReaderPool::with_blocking`]).
const INLINE_READERS: usize = 8;

/// Read-only connections reused across reads; WAL lets them run beside the writer.
#[derive(Clone)]
pub struct ReaderPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
    keep: usize,
    /// Async reads in flight at most: one per kept connection, so they never open extra ones
    /// (opening a connection parses the whole schema again).
    running: Arc<tokio::sync::Semaphore>,
}

impl ReaderPool {
    /// A pool over the database file that keeps at most `keep` idle connections and runs at
    /// most `keep` async reads at once.
    pub fn new(path: PathBuf, keep: usize) -> Self {
        let keep = keep.max(1);
        Self {
            path,
            idle: Arc::default(),
            keep,
            running: Arc::new(tokio::sync::Semaphore::new(keep)),
        }
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(map_sqlite_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(map_sqlite_error)?;
        conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        Ok(conn)
    }

    /// Runs `f` on a pooled connection, on a blocking thread; waits while the pool is busy.
    pub async fn with<T, E>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| E::from(StoreError::Backend(format!("reader pool closed: {e}"))))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let result = pool.with_blocking(f);
            drop(permit);
            result
        })
        .await
        .map_err(|e| E::from(StoreError::Backend(format!("read task failed: {e}"))))?
    }

    /// Runs `f` on a pooled connection on the current thread.
    pub fn with_blocking<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let pooled = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => self.open()?,
        };
        let result = f(&conn);
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        // Room for the async reads' connections and for those of reads on runtime threads.
        if idle.len() < self.keep + INLINE_READERS {
            idle.push(conn);
        }
        result
    }
}

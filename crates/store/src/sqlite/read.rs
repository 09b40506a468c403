//! Reading events back: row mapping and a small pool of read-only connections.

use std::ops::Not;
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

/// Up to `max` events of `stream` from revision `from` on, in revision order.
///
/// Asked as the revision range `[from, from + max)`, without `ORDER BY`: SQLite re-prepares a
/// statement that orders this table's rows on every read after a write (its plan depends on the
/// table's size), which cost more than the read itself. Revisions this store writes are gapless,
/// so the range holds exactly the page; a stream with gaps (imported from elsewhere) is read
/// with the ordered query instead.
pub fn stream_page(
    conn: &Connection,
    stream: &str,
    from: i64,
    max: i64,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut page = query_events(
        conn,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream = ?1 AND revision >= ?2 AND revision < ?2 + ?3"
        ),
        rusqlite::params![stream, from, max],
    )?;
    page.sort_unstable_by_key(|e| e.revision);
    let gapless = page
        .iter()
        .zip(from..)
        .all(|(e, revision)| e.revision as i64 == revision);
    let whole = page.len() as i64 == max || {
        let after = from + page.len() as i64;
        conn.prepare_cached("SELECT 1 FROM events WHERE stream = ?1 AND revision >= ?2 LIMIT 1")
            .and_then(|mut s| s.exists(rusqlite::params![stream, after]))
            .map_err(map_sqlite_error)?
            .not()
    };
    if gapless && whole {
        return Ok(page);
    }
    query_events(
        conn,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream = ?1 AND revision >= ?2 ORDER BY revision LIMIT ?3"
        ),
        rusqlite::params![stream, from, max],
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A log holding stream `s` at `revisions` (and stream `t` at 0..3 around it).
    fn log(revisions: &[i64]) -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT, revision INTEGER,
                event_id BLOB, event_type TEXT, schema_version INTEGER, payload TEXT,
                metadata TEXT, hash BLOB);
             CREATE UNIQUE INDEX events_stream_revision ON events(stream, revision);",
        )
        .expect("schema");
        let rows = revisions
            .iter()
            .map(|r| ("s", *r))
            .chain((0..3).map(|r| ("t", r)));
        for (stream, revision) in rows {
            conn.execute(
                "INSERT INTO events (stream, revision, event_id, event_type, schema_version,
                    payload, metadata, hash) VALUES (?1, ?2, ?3, 'X', 1, '{}', '{}', ?4)",
                rusqlite::params![
                    stream,
                    revision,
                    Uuid::now_v7().as_bytes().to_vec(),
                    vec![0u8; 32]
                ],
            )
            .expect("insert");
        }
        conn
    }

    fn revisions(conn: &Connection, from: i64, max: i64) -> Vec<u64> {
        stream_page(conn, "s", from, max)
            .expect("page")
            .iter()
            .map(|e| e.revision)
            .collect()
    }

    #[test]
    fn a_gapless_stream_is_paged_by_revision_range() {
        let conn = log(&[0, 1, 2, 3, 4]);
        assert_eq!(revisions(&conn, 0, 3), [0, 1, 2]);
        assert_eq!(revisions(&conn, 3, 3), [3, 4]);
        assert_eq!(revisions(&conn, 5, 3), Vec::<u64>::new());
        assert_eq!(revisions(&conn, 0, i64::MAX), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_stream_with_gaps_is_still_paged_in_order_without_losing_events() {
        let conn = log(&[5, 6, 9, 10]);
        assert_eq!(revisions(&conn, 0, 3), [5, 6, 9]);
        assert_eq!(revisions(&conn, 7, 1), [9]);
        assert_eq!(revisions(&conn, 10, 3), [10]);
        assert_eq!(revisions(&conn, 11, 3), Vec::<u64>::new());
        assert_eq!(revisions(&conn, 0, i64::MAX), [5, 6, 9, 10]);
    }
}

//! The single writer: one thread owns the write connection and commits every append queued
//! meanwhile in one transaction (group commit), so one fsync serves many commands.
//! A refused append is rolled back alone: one of several events inside a savepoint, one of a
//! single event by its failed statement (and its command's row deleted again).

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, GENESIS_HASH, Hash};
use crate::hash::{HashInput, chain_hash};
use crate::sqlite::map_sqlite_error;
use crate::validate::validate_request;

/// One queued append and where to send its outcome.
pub struct Job {
    /// The append.
    pub request: AppendRequest,
    /// Receives the outcome once the transaction holding it committed (or failed).
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// Longest the writer waits for more appends before committing what it has.
const GATHER_WAIT: std::time::Duration = std::time::Duration::from_micros(300);

/// Stream revisions remembered between appends; cleared when it grows past this.
const REVISION_CACHE_LIMIT: usize = 100_000;

/// What the writer knows about the tail of the log.
pub struct Writer {
    conn: Connection,
    next_position: u64,
    last_hash: Hash,
    revisions: HashMap<String, Option<u64>>,
    max_batch: usize,
    head: Arc<watch::Sender<u64>>,
    /// `PRAGMA data_version` when the tail was last read: it changes when another connection
    /// (another process) commits to the file.
    data_version: i64,
}

impl Writer {
    /// Reads the tail of the log from the database.
    pub fn new(
        conn: Connection,
        max_batch: usize,
        head: Arc<watch::Sender<u64>>,
    ) -> Result<Self, StoreError> {
        let mut writer = Self {
            conn,
            next_position: 1,
            last_hash: GENESIS_HASH,
            revisions: HashMap::new(),
            max_batch: max_batch.max(1),
            head,
            data_version: 0,
        };
        writer.reload_tail()?;
        Ok(writer)
    }

    fn reload_tail(&mut self) -> Result<(), StoreError> {
        let tail: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(map_sqlite_error)?;
        self.revisions.clear();
        self.data_version = data_version(&self.conn)?;
        match tail {
            None => {
                self.next_position = 1;
                self.last_hash = GENESIS_HASH;
            }
            Some((position, hash)) => {
                self.next_position = position as u64 + 1;
                self.last_hash = hash.try_into().map_err(|_| StoreError::Corrupt {
                    position: position as u64,
                    reason: "hash is not 32 bytes".into(),
                })?;
            }
        }
        self.head.send_replace(self.next_position - 1);
        Ok(())
    }

    /// Serves the queue until every sender is gone.
    pub fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        let mut jobs = Vec::with_capacity(self.max_batch);
        let mut last_batch = 1;
        while let Some(first) = queue.blocking_recv() {
            jobs.push(first);
            self.gather(&mut queue, &mut jobs, last_batch);
            last_batch = jobs.len();
            let (requests, replies): (Vec<_>, Vec<_>) =
                jobs.drain(..).map(|j| (j.request, j.reply)).unzip();
            let results = self.commit_batch(requests);
            for (reply, result) in replies.into_iter().zip(results) {
                // The caller may have gone away (timeout, dropped request): its append stands.
                let _ = reply.send(result);
            }
        }
    }

    /// Drains the queue into `jobs`. When fewer appends wait than the last transaction held,
    /// the writers it just answered are most likely preparing their next append: wait a few
    /// hundred microseconds for them, so one fsync keeps serving as many appends as it can.
    fn gather(&self, queue: &mut mpsc::Receiver<Job>, jobs: &mut Vec<Job>, last_batch: usize) {
        let deadline = std::time::Instant::now() + GATHER_WAIT;
        loop {
            while jobs.len() < self.max_batch {
                match queue.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            if jobs.len() >= last_batch.min(self.max_batch) || std::time::Instant::now() >= deadline
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_micros(20));
        }
    }

    /// Applies the appends in one transaction; each result is final only once it commits.
    pub fn commit_batch(
        &mut self,
        requests: Vec<AppendRequest>,
    ) -> Vec<Result<AppendResult, StoreError>> {
        let count = requests.len();
        let outcome = self.try_commit_batch(requests);
        match outcome {
            Ok(results) => {
                self.head.send_replace(self.next_position - 1);
                results
            }
            Err(error) => {
                tracing::error!(%error, "event store transaction failed; nothing of it was written");
                if let Err(reload) = self.reload_tail() {
                    tracing::error!(%reload, "could not re-read the tail of the log");
                }
                vec![Err(error); count]
            }
        }
    }

    fn try_commit_batch(
        &mut self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<Result<AppendResult, StoreError>>, StoreError> {
        // Another process may have appended since the tail was read: under the write lock,
        // PRAGMA data_version tells, and the tail is read again (once) before appending.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(map_sqlite_error)?;
        let version = data_version(&tx)?;
        let tx = if version == self.data_version {
            tx
        } else {
            drop(tx);
            self.reload_tail()?;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(map_sqlite_error)?;
            self.data_version = data_version(&tx)?;
            tx
        };
        let mut tail = Tail {
            next_position: self.next_position,
            last_hash: self.last_hash,
        };
        let mut touched = Vec::new();
        let mut results = Vec::with_capacity(requests.len());
        for request in requests {
            // A single-event append is one INSERT of the event (and one of its command), and a
            // failed statement leaves nothing behind; longer appends need a savepoint so that a
            // failure half-way rolls back the events already inserted.
            let guarded = request.events.len() > 1;
            if guarded {
                run(&tx, "SAVEPOINT append")?;
            }
            let before = tail;
            match apply_one(&tx, &mut self.revisions, &mut tail, &request) {
                Ok((result, wrote)) => {
                    if guarded {
                        run(&tx, "RELEASE append")?;
                    }
                    if wrote {
                        touched.push(request.stream);
                    }
                    results.push(Ok(result));
                }
                Err(e) => {
                    if guarded {
                        run(&tx, "ROLLBACK TO append")?;
                        run(&tx, "RELEASE append")?;
                    }
                    tail = before;
                    // A storage failure inside one append fails the whole transaction.
                    if matches!(
                        e,
                        StoreError::StorageFull | StoreError::ReadOnly | StoreError::Backend(_)
                    ) {
                        return Err(e);
                    }
                    // A clashing event id may be a retry of an append that already landed.
                    let replay = match e {
                        StoreError::DuplicateEventId { .. } => replayed_append(&tx, &request)?,
                        _ => None,
                    };
                    results.push(replay.ok_or(e));
                }
            }
        }
        if let Err(e) = tx.commit() {
            for stream in touched {
                self.revisions.remove(&stream);
            }
            return Err(map_sqlite_error(e));
        }
        self.next_position = tail.next_position;
        self.last_hash = tail.last_hash;
        if self.revisions.len() > REVISION_CACHE_LIMIT {
            self.revisions.clear();
        }
        Ok(results)
    }
}

/// The connection's `PRAGMA data_version`.
fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
        .map_err(map_sqlite_error)
}

/// Runs a parameterless statement through the statement cache.
fn run(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(|_| ())
        .map_err(map_sqlite_error)
}

#[derive(Clone, Copy)]
struct Tail {
    next_position: u64,
    last_hash: Hash,
}

/// Applies one append inside the open transaction; returns its result and whether it wrote.
fn apply_one(
    conn: &Connection,
    revisions: &mut HashMap<String, Option<u64>>,
    tail: &mut Tail,
    request: &AppendRequest,
) -> Result<(AppendResult, bool), StoreError> {
    validate_request(request)?;
    let current = match revisions.get(&request.stream) {
        Some(known) => *known,
        None => stream_revision(conn, &request.stream)?,
    };
    if !request.expected.accepts(current) {
        revisions.insert(request.stream.clone(), current);
        // A retry of an append that already landed is not a conflict.
        if let Some(command_id) = request.command_id
            && let Some(result) = earlier_command(conn, command_id, &request.stream)?
        {
            return Ok((result, false));
        }
        if let Some(result) = replayed_append(conn, request)? {
            return Ok((result, false));
        }
        return Err(StoreError::WrongExpectedVersion {
            stream: request.stream.clone(),
            expected: request.expected,
            current,
        });
    }
    let count = request.events.len() as u64;
    let first_revision = current.map_or(0, |r| r + 1);
    let result = AppendResult {
        next_expected_revision: first_revision + count - 1,
        first_position: tail.next_position,
        position: tail.next_position + count - 1,
    };
    // Recording the command first doubles as the idempotency check: one statement, not two.
    if let Some(command_id) = request.command_id
        && !record_command(conn, command_id, &request.stream, &result)?
    {
        return earlier_command(conn, command_id, &request.stream)?
            .map(|earlier| (earlier, false))
            .ok_or_else(|| {
                StoreError::Backend(format!("command {command_id} vanished during its append"))
            });
    }
    if let Err(e) = insert_events(conn, tail, request, first_revision) {
        if let Some(command_id) = request.command_id {
            forget_command(conn, command_id)?;
        }
        return Err(e);
    }
    revisions.insert(request.stream.clone(), Some(result.next_expected_revision));
    Ok((result, true))
}

/// Inserts the events at the tail of the log, chaining their hashes.
fn insert_events(
    conn: &Connection,
    tail: &mut Tail,
    request: &AppendRequest,
    first_revision: u64,
) -> Result<(), StoreError> {
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO events (position, stream, revision, event_id, event_type, schema_version, payload, metadata, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(map_sqlite_error)?;
    for (revision, event) in (first_revision..).zip(&request.events) {
        let position = tail.next_position;
        let hash = chain_hash(
            &tail.last_hash,
            HashInput {
                position,
                stream: &request.stream,
                revision,
                event_id: event.event_id,
                event_type: &event.event_type,
                schema_version: event.schema_version,
                payload: &event.payload,
                metadata: &event.metadata,
            },
        );
        insert
            .execute(params![
                position as i64,
                request.stream,
                revision as i64,
                event.event_id.as_bytes(),
                event.event_type,
                event.schema_version,
                event.payload,
                event.metadata,
                hash,
            ])
            .map_err(|e| duplicate_or(e, event.event_id))?;
        tail.next_position += 1;
        tail.last_hash = hash;
    }
    Ok(())
}

/// Records where a command's append lands; false when the command id was already recorded.
fn record_command(
    conn: &Connection,
    command_id: Uuid,
    stream: &str,
    result: &AppendResult,
) -> Result<bool, StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO commands (command_id, stream, next_expected_revision, first_position, position)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (command_id) DO NOTHING",
        )
        .and_then(|mut s| {
            s.execute(params![
                command_id.as_bytes(),
                stream,
                result.next_expected_revision as i64,
                result.first_position as i64,
                result.position as i64,
            ])
        })
        .map_err(map_sqlite_error)?;
    Ok(inserted == 1)
}

/// Removes the record of a command whose events could not be written.
fn forget_command(conn: &Connection, command_id: Uuid) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM commands WHERE command_id = ?1")
        .and_then(|mut s| s.execute([command_id.as_bytes()]))
        .map(|_| ())
        .map_err(map_sqlite_error)
}

/// A unique-index violation on insert means the event id exists elsewhere.
fn duplicate_or(e: rusqlite::Error, event_id: Uuid) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::DuplicateEventId { event_id },
        _ => map_sqlite_error(e),
    }
}

/// The last revision of a stream as stored.
pub fn stream_revision(conn: &Connection, stream: &str) -> Result<Option<u64>, StoreError> {
    let max: Option<i64> = conn
        .prepare_cached("SELECT MAX(revision) FROM events WHERE stream = ?1")
        .and_then(|mut s| s.query_row([stream], |r| r.get(0)))
        .map_err(map_sqlite_error)?;
    Ok(max.map(|r| r as u64))
}

/// The stored result of a command id, refusing one that went to another stream.
fn earlier_command(
    conn: &Connection,
    command_id: Uuid,
    stream: &str,
) -> Result<Option<AppendResult>, StoreError> {
    match find_command(conn, command_id)? {
        None => Ok(None),
        Some((first_stream, _)) if first_stream != stream => Err(StoreError::CommandIdReused {
            command_id,
            stream: first_stream,
        }),
        Some((_, result)) => Ok(Some(result)),
    }
}

/// Looks a command id up: the stream it went to and where it landed.
pub fn find_command(
    conn: &Connection,
    command_id: Uuid,
) -> Result<Option<(String, AppendResult)>, StoreError> {
    conn.prepare_cached(
        "SELECT stream, next_expected_revision, first_position, position FROM commands WHERE command_id = ?1",
    )
    .and_then(|mut s| {
        s.query_row([command_id.as_bytes()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                AppendResult {
                    next_expected_revision: r.get::<_, i64>(1)? as u64,
                    first_position: r.get::<_, i64>(2)? as u64,
                    position: r.get::<_, i64>(3)? as u64,
                },
            ))
        })
        .optional()
    })
    .map_err(map_sqlite_error)
}

/// When the request's event ids already stand, in order, in this stream: the earlier result.
fn replayed_append(
    conn: &Connection,
    request: &AppendRequest,
) -> Result<Option<AppendResult>, StoreError> {
    let first = &request.events[0];
    let found: Option<(i64, String)> = conn
        .prepare_cached("SELECT position, stream FROM events WHERE event_id = ?1")
        .and_then(|mut s| {
            s.query_row([first.event_id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(map_sqlite_error)?;
    let Some((start, stream)) = found else {
        return Ok(None);
    };
    if stream != request.stream {
        return Err(StoreError::DuplicateEventId {
            event_id: first.event_id,
        });
    }
    let count = request.events.len() as i64;
    let mut stmt = conn
        .prepare_cached("SELECT event_id, stream, revision FROM events WHERE position >= ?1 AND position < ?2 ORDER BY position")
        .map_err(map_sqlite_error)?;
    let stored: Vec<(Vec<u8>, String, i64)> = stmt
        .query_map(params![start, start + count], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .and_then(|rows| rows.collect())
        .map_err(map_sqlite_error)?;
    let same_place = stored.len() == request.events.len()
        && stored
            .iter()
            .zip(&request.events)
            .all(|((id, s, _), e)| id.as_slice() == e.event_id.as_bytes() && *s == request.stream);
    if !same_place {
        return Err(StoreError::DuplicateEventId {
            event_id: first.event_id,
        });
    }
    let last_revision = stored.last().map_or(0, |(_, _, r)| *r as u64);
    Ok(Some(AppendResult {
        next_expected_revision: last_revision,
        first_position: start as u64,
        position: (start + count - 1) as u64,
    }))
}

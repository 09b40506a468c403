//! The position index of one replica: every event of ours in `$all`, in `$all` order, with our
//! gapless global position, its KurrentDB position, and its chain hash.
//!
//! KurrentDB positions (commit/prepare offsets in its transaction log) increase but are not
//! gapless, and our filter skips other streams. Our position is the event's rank among our
//! events in `$all`. `$all` is one log replicated in the same order to every node, so every
//! replica that indexes it computes the same ranks and the same chain: positions returned by
//! commands, `wait_for` and read-model checkpoints mean the same thing on every replica. The
//! hash chain is computed here exactly as the SQLite writer computes it (same fields, same
//! positions), so a log migrated between backends keeps every hash.
//!
//! The index is derived data: a SQLite file in the replica's data directory (or in memory),
//! deleted and rebuilt from `$all` whenever it no longer matches the cluster.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::config::IndexLocation;
use super::mapping::{Decoded, position_from_sql, position_to_sql};
use crate::error::StoreError;
use crate::event::{AppendResult, GENESIS_HASH, Hash};
use crate::hash::{HashInput, chain_hash};
use crate::sqlite::map_sqlite_error;

/// Layout version of the index file; another version is rebuilt, never migrated.
const INDEX_FORMAT: &str = "1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS log (
    position    INTEGER PRIMARY KEY,
    commit_pos  INTEGER NOT NULL,
    prepare_pos INTEGER NOT NULL,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    event_id    BLOB    NOT NULL,
    hash        BLOB    NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS log_kpos ON log(commit_pos, prepare_pos);
CREATE INDEX IF NOT EXISTS log_event_id ON log(event_id);
CREATE TABLE IF NOT EXISTS commands (
    command_id             BLOB    PRIMARY KEY,
    stream                 TEXT    NOT NULL,
    next_expected_revision INTEGER NOT NULL,
    first_position         INTEGER NOT NULL,
    position               INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;";

/// The last indexed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tail {
    /// Our position of the last indexed event (0: none).
    pub position: u64,
    /// Its KurrentDB position: where following `$all` resumes (None: from the start).
    pub last: Option<kurrentdb::Position>,
    /// Its chain hash.
    pub hash: Hash,
}

impl Tail {
    const EMPTY: Tail = Tail {
        position: 0,
        last: None,
        hash: GENESIS_HASH,
    };
}

/// One indexed event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    /// Our global position.
    pub position: u64,
    /// Its KurrentDB position.
    pub kpos: kurrentdb::Position,
    /// Our stream name.
    pub stream: String,
    /// Its revision.
    pub revision: u64,
    /// Its id.
    pub event_id: Uuid,
    /// Its chain hash.
    pub hash: Hash,
}

/// The index and its tail.
pub struct Index {
    conn: Connection,
    tail: Tail,
}

fn sql(e: rusqlite::Error) -> StoreError {
    map_sqlite_error(e)
}

impl Index {
    /// Opens the index, emptying it when it was built by another format or for other streams.
    pub fn open(location: &IndexLocation, identity: &str) -> Result<Self, StoreError> {
        let conn = match location {
            IndexLocation::Memory => Connection::open_in_memory().map_err(sql)?,
            IndexLocation::File(path) => open_file(path)?,
        };
        conn.execute_batch(SCHEMA).map_err(sql)?;
        let mut index = Self {
            conn,
            tail: Tail::EMPTY,
        };
        let stamp = format!("{INDEX_FORMAT}|{identity}");
        let found: Option<String> = index
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'stamp'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        if found.as_deref() != Some(stamp.as_str()) {
            if found.is_some() {
                tracing::warn!(
                    "the KurrentDB position index was built for other streams: rebuilding it"
                );
            }
            index.reset()?;
            index
                .conn
                .execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('stamp', ?1)",
                    [&stamp],
                )
                .map_err(sql)?;
        }
        index.reload_tail()?;
        Ok(index)
    }

    /// The last indexed event.
    pub fn tail(&self) -> Tail {
        self.tail
    }

    /// Forgets every event (the cluster no longer holds what the index describes).
    pub fn reset(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("DELETE FROM log; DELETE FROM commands;")
            .map_err(sql)?;
        self.tail = Tail::EMPTY;
        Ok(())
    }

    fn reload_tail(&mut self) -> Result<(), StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT position, commit_pos, prepare_pos, hash FROM log ORDER BY position DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(sql)?;
        self.tail = match row {
            None => Tail::EMPTY,
            Some((position, commit, prepare, hash)) => Tail {
                position: position as u64,
                last: Some(position_from_sql(commit, prepare)),
                hash: to_hash(position as u64, &hash)?,
            },
        };
        Ok(())
    }

    /// Indexes events read from `$all` in order, skipping those at or before the tail (a
    /// subscription and a catch-up read may both deliver them); returns how many were new.
    pub fn apply(&mut self, events: &[Decoded]) -> Result<usize, StoreError> {
        let mut tail = self.tail;
        let tx = self.conn.transaction().map_err(sql)?;
        let mut added = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO log (position, commit_pos, prepare_pos, stream, revision, event_id, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            for e in events {
                if tail.last.is_some_and(|last| e.position <= last) {
                    continue;
                }
                let position = tail.position + 1;
                let hash = chain_hash(
                    &tail.hash,
                    HashInput {
                        position,
                        stream: &e.stream,
                        revision: e.revision,
                        event_id: e.event_id,
                        event_type: &e.event_type,
                        schema_version: e.schema_version,
                        payload: &e.payload,
                        metadata: &e.metadata,
                    },
                );
                let (commit, prepare) = position_to_sql(e.position)?;
                insert
                    .execute(params![
                        position as i64,
                        commit,
                        prepare,
                        e.stream,
                        e.revision as i64,
                        e.event_id.as_bytes(),
                        hash,
                    ])
                    .map_err(sql)?;
                if let Some(command_id) = e.command_id {
                    record_command(&tx, command_id, &e.stream, e.revision, position)?;
                }
                tail = Tail {
                    position,
                    last: Some(e.position),
                    hash,
                };
                added += 1;
            }
        }
        tx.commit().map_err(sql)?;
        self.tail = tail;
        Ok(added)
    }

    /// Up to `max` indexed events from `from` (inclusive), in order.
    pub fn rows(&self, from: u64, max: usize) -> Result<Vec<IndexRow>, StoreError> {
        self.query_rows(
            "SELECT position, commit_pos, prepare_pos, stream, revision, event_id, hash FROM log
             WHERE position >= ?1 ORDER BY position LIMIT ?2",
            params![
                i64::try_from(from).unwrap_or(i64::MAX),
                i64::try_from(max).unwrap_or(i64::MAX)
            ],
        )
    }

    /// The indexed event at a KurrentDB position.
    pub fn at_kpos(&self, kpos: kurrentdb::Position) -> Result<Option<IndexRow>, StoreError> {
        let (commit, prepare) = position_to_sql(kpos)?;
        Ok(self
            .query_rows(
                "SELECT position, commit_pos, prepare_pos, stream, revision, event_id, hash FROM log
                 WHERE commit_pos = ?1 AND prepare_pos = ?2",
                params![commit, prepare],
            )?
            .pop())
    }

    /// Every indexed event with this id (more than one only if two replicas raced).
    pub fn by_event_id(&self, event_id: Uuid) -> Result<Vec<IndexRow>, StoreError> {
        self.query_rows(
            "SELECT position, commit_pos, prepare_pos, stream, revision, event_id, hash FROM log
             WHERE event_id = ?1 ORDER BY position",
            params![event_id.as_bytes()],
        )
    }

    /// Where the append of a command id landed, and its stream.
    pub fn command(&self, command_id: Uuid) -> Result<Option<(String, AppendResult)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT stream, next_expected_revision, first_position, position FROM commands
                 WHERE command_id = ?1",
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
            .map_err(sql)
    }

    fn query_rows(
        &self,
        query: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<IndexRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(query).map_err(sql)?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                    r.get::<_, Vec<u8>>(6)?,
                ))
            })
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (position, commit, prepare, stream, revision, id, hash) = row.map_err(sql)?;
            let position = position as u64;
            out.push(IndexRow {
                position,
                kpos: position_from_sql(commit, prepare),
                stream,
                revision: revision as u64,
                event_id: Uuid::from_slice(&id).map_err(|_| StoreError::Corrupt {
                    position,
                    reason: "index: event id is not 16 bytes".into(),
                })?,
                hash: to_hash(position, &hash)?,
            });
        }
        Ok(out)
    }
}

/// Records a command's append: its first event, then each next event of the same append.
fn record_command(
    conn: &Connection,
    command_id: Uuid,
    stream: &str,
    revision: u64,
    position: u64,
) -> Result<(), StoreError> {
    let existing: Option<(String, i64)> = conn
        .prepare_cached("SELECT stream, position FROM commands WHERE command_id = ?1")
        .and_then(|mut s| {
            s.query_row([command_id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(sql)?;
    match existing {
        None => conn
            .prepare_cached(
                "INSERT INTO commands (command_id, stream, next_expected_revision, first_position, position)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    command_id.as_bytes(),
                    stream,
                    revision as i64,
                    position as i64
                ])
            })
            .map(|_| ())
            .map_err(sql),
        // The next event of the same append extends it; a later append that reused the id
        // (two replicas racing on one retry) is not the command's result.
        Some((first_stream, last)) if first_stream == stream && last as u64 + 1 == position => conn
            .prepare_cached(
                "UPDATE commands SET next_expected_revision = ?2, position = ?3 WHERE command_id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    command_id.as_bytes(),
                    revision as i64,
                    position as i64
                ])
            })
            .map(|_| ())
            .map_err(sql),
        Some(_) => Ok(()),
    }
}

fn to_hash(position: u64, bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes.try_into().map_err(|_| StoreError::Corrupt {
        position,
        reason: "index: hash is not 32 bytes".into(),
    })
}

fn open_file(path: &Path) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
    }
    let conn = Connection::open(path).map_err(sql)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sql)?;
    // Derived data: a lost commit is re-read from the cluster, so no fsync per batch.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        .map_err(sql)?;
    Ok(conn)
}

#[cfg(test)]
mod tests;

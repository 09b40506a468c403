//! The on-disk layout of the embedded store and its versioned migrations.

use rusqlite::Connection;

/// Each entry migrates the schema from version `index` to `index + 1`; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: the log, with uniqueness the database itself enforces.
    "CREATE TABLE events (
        position       INTEGER PRIMARY KEY,
        stream         TEXT    NOT NULL,
        revision       INTEGER NOT NULL,
        event_id       BLOB    NOT NULL,
        event_type     TEXT    NOT NULL,
        schema_version INTEGER NOT NULL,
        payload        TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        hash           BLOB    NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX events_stream_revision ON events(stream, revision);
    CREATE UNIQUE INDEX events_event_id ON events(event_id);
    CREATE TABLE commands (
        command_id             BLOB    PRIMARY KEY,
        stream                 TEXT    NOT NULL,
        next_expected_revision INTEGER NOT NULL,
        first_position         INTEGER NOT NULL,
        position               INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;",
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The file was written by a newer Bàn Giao.
    #[error(
        "the event store has schema version {found}, newer than this program's {supported}: upgrade Bàn Giao"
    )]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Highest version this code knows.
        supported: u32,
    },
    /// SQLite refused a migration step.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Applies every migration the file lacks, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrationError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(MigrationError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

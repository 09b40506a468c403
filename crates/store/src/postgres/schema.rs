//! The tables of the PostgreSQL store and their numbered migrations.
//!
//! Every table is prefixed `bangiao_`, so the store can live in a database (or schema) shared
//! with other applications. Payload and metadata are `text`, not `jsonb`: the hash chain covers
//! the exact bytes written, and `jsonb` would reorder keys and reformat numbers.

use tokio_postgres::Client;

use crate::error::StoreError;
use crate::postgres::error::map_error;

/// Each entry migrates the schema from version `index` to `index + 1`; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: the log, with uniqueness the database itself enforces, and no way to change or remove
    // an event short of dropping the triggers (the hash chain would show it anyway).
    "CREATE TABLE bangiao_events (
        position       bigint PRIMARY KEY CHECK (position > 0),
        stream         text   NOT NULL,
        revision       bigint NOT NULL CHECK (revision >= 0),
        event_id       uuid   NOT NULL,
        event_type     text   NOT NULL,
        schema_version bigint NOT NULL,
        payload        text   NOT NULL,
        metadata       text   NOT NULL,
        hash           bytea  NOT NULL CHECK (octet_length(hash) = 32),
        CONSTRAINT bangiao_events_stream_revision UNIQUE (stream, revision),
        CONSTRAINT bangiao_events_event_id UNIQUE (event_id)
    );
    CREATE TABLE bangiao_commands (
        command_id             uuid   PRIMARY KEY,
        stream                 text   NOT NULL,
        next_expected_revision bigint NOT NULL,
        first_position         bigint NOT NULL,
        position               bigint NOT NULL
    );
    CREATE FUNCTION bangiao_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'bangiao: events are never changed or removed (% refused)', TG_OP;
    END $$;
    CREATE TRIGGER bangiao_events_append_only BEFORE UPDATE OR DELETE ON bangiao_events
        FOR EACH ROW EXECUTE FUNCTION bangiao_refuse_change();
    CREATE TRIGGER bangiao_events_no_truncate BEFORE TRUNCATE ON bangiao_events
        FOR EACH STATEMENT EXECUTE FUNCTION bangiao_refuse_change();",
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Serialises migrations of two processes starting at once (a transaction-level advisory lock).
const MIGRATION_LOCK: i64 = 0x6261_6e67_6961_6f00; // "bangiao\0"

/// The schema version found in the database (0: none yet).
async fn current_version(client: &Client) -> Result<u32, StoreError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('bangiao_schema') IS NOT NULL", &[])
        .await
        .map_err(|e| map_error(&e))?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let version: Option<i32> = client
        .query_one("SELECT max(version) FROM bangiao_schema", &[])
        .await
        .map_err(|e| map_error(&e))?
        .get(0);
    Ok(version.map_or(0, |v| v.max(0) as u32))
}

/// Brings the schema up to date in one transaction; writes nothing when it already is (so a
/// read-only standby opens too).
pub(crate) async fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let found = current_version(client).await?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = client.transaction().await.map_err(|e| map_error(&e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(|e| map_error(&e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS bangiao_schema (
            version    integer     PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .await
    .map_err(|e| map_error(&e))?;
    // Read again under the lock: another process may have migrated meanwhile.
    let found: Option<i32> = tx
        .query_one("SELECT max(version) FROM bangiao_schema", &[])
        .await
        .map_err(|e| map_error(&e))?
        .get(0);
    let found = found.map_or(0, |v| v.max(0) as u32);
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).await.map_err(|e| map_error(&e))?;
        let version = index as i32 + 1;
        tx.execute(
            "INSERT INTO bangiao_schema (version) VALUES ($1)",
            &[&version],
        )
        .await
        .map_err(|e| map_error(&e))?;
    }
    tx.commit().await.map_err(|e| map_error(&e))
}

fn too_new(found: u32) -> StoreError {
    StoreError::Backend(format!(
        "the PostgreSQL event store has schema version {found}, newer than this program's \
         {SCHEMA_VERSION}: upgrade Bàn Giao"
    ))
}

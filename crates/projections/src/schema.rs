//! The read-model tables. The read model is disposable: when this code's schema version differs
//! from the file's, the file is rebuilt from the event log instead of migrated.

use rusqlite::Connection;

/// Version of the tables below; bump it whenever they or the way events fill them change.
pub const READ_MODEL_VERSION: u32 = 7;

/// Tables without their secondary indexes (a rebuild creates those last, which is faster).
pub const TABLES: &str = "
CREATE TABLE checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);
INSERT INTO checkpoint (id, position) VALUES (1, 0);
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    level       TEXT NOT NULL,
    unit_type   TEXT NOT NULL,
    parent      TEXT,
    valid_from  TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    ended_on    TEXT,
    end_reason  TEXT,
    end_basis   TEXT
);
CREATE TABLE unit_links (
    predecessor  TEXT NOT NULL,
    successor    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    act_id       TEXT NOT NULL,
    PRIMARY KEY (predecessor, successor)
) WITHOUT ROWID;
CREATE TABLE fonds (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    name_folded      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    creator_organ_id TEXT NOT NULL,
    creator_name     TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    custodian        TEXT NOT NULL,
    opened_on        TEXT NOT NULL,
    closed_on        TEXT,
    closing_act      TEXT,
    history          TEXT
);
CREATE TABLE files (
    file_code         TEXT PRIMARY KEY,
    fonds_code        TEXT NOT NULL,
    seq               INTEGER NOT NULL,
    title             TEXT NOT NULL,
    title_folded      TEXT NOT NULL,
    title_words       TEXT,
    start_date        TEXT NOT NULL,
    end_date          TEXT NOT NULL,
    retention         TEXT NOT NULL,
    retention_years   INTEGER,
    access            TEXT NOT NULL,
    carrier           TEXT NOT NULL,
    box               TEXT,
    sheets            INTEGER,
    language          TEXT NOT NULL,
    notes             TEXT,
    initial_custodian TEXT NOT NULL,
    custodian         TEXT NOT NULL,
    status            TEXT NOT NULL,
    status_ref        TEXT,
    since             TEXT NOT NULL,
    via               TEXT,
    unfinished        TEXT,
    damaged           TEXT,
    sha256            TEXT,
    size_bytes        INTEGER,
    format            TEXT,
    digitised_on      TEXT,
    rejected_on       TEXT,
    rejected_reason   TEXT,
    list_number       INTEGER
);
CREATE TABLE custody_changes (
    file_code  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    custodian  TEXT,
    from_date  TEXT NOT NULL,
    via_kind   TEXT NOT NULL,
    via_id     TEXT NOT NULL,
    PRIMARY KEY (file_code, seq)
) WITHOUT ROWID;
CREATE TABLE file_marks (
    file_code TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    on_date   TEXT NOT NULL,
    ref_id    TEXT,
    note      TEXT,
    PRIMARY KEY (file_code, seq, kind)
) WITHOUT ROWID;
CREATE TABLE handovers (
    handover_id      TEXT PRIMARY KEY,
    fonds_code       TEXT NOT NULL,
    batch_id         TEXT,
    batch_fonds      TEXT,
    giving           TEXT NOT NULL,
    receiving        TEXT NOT NULL,
    giving_person    TEXT NOT NULL,
    receiving_person TEXT NOT NULL,
    legal_basis      TEXT NOT NULL,
    status           TEXT NOT NULL,
    drafted_on       TEXT NOT NULL,
    signed_on        TEXT,
    chain_head       TEXT,
    received_on      TEXT,
    cancelled_on     TEXT,
    cancel_reason    TEXT,
    declared_files   INTEGER NOT NULL,
    declared_boxes   INTEGER NOT NULL,
    declared_sheets  INTEGER NOT NULL,
    declared_mm      INTEGER NOT NULL,
    listed_files     INTEGER NOT NULL,
    listed_boxes     INTEGER NOT NULL,
    listed_sheets    INTEGER NOT NULL,
    discrepancies    TEXT,
    giving_signer    TEXT,
    receiving_signer TEXT,
    event_position   INTEGER NOT NULL DEFAULT 0,
    event_hash       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE handover_files (
    handover_id TEXT NOT NULL,
    file_code   TEXT NOT NULL,
    PRIMARY KEY (handover_id, file_code)
) WITHOUT ROWID;
CREATE TABLE transfers (
    transfer_id   TEXT PRIMARY KEY,
    fonds_code    TEXT NOT NULL,
    batch_id      TEXT,
    transferring  TEXT NOT NULL,
    archive       TEXT NOT NULL,
    declared_kind TEXT NOT NULL,
    status        TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    appraised_on  TEXT,
    outcome       TEXT,
    accepted_on   TEXT,
    listed_files  INTEGER NOT NULL,
    accepted      INTEGER,
    rejected      TEXT
);
CREATE TABLE transfer_files (
    transfer_id TEXT NOT NULL,
    file_code   TEXT NOT NULL,
    PRIMARY KEY (transfer_id, file_code)
) WITHOUT ROWID;
CREATE TABLE destructions (
    destruction_id TEXT PRIMARY KEY,
    fonds_code     TEXT NOT NULL,
    status         TEXT NOT NULL,
    council        TEXT NOT NULL,
    proposed_by    TEXT NOT NULL,
    proposed_on    TEXT NOT NULL,
    approved_by    TEXT,
    approved_on    TEXT,
    executed_on    TEXT,
    cancelled_on   TEXT,
    listed_files   INTEGER NOT NULL
);
CREATE TABLE destruction_files (
    destruction_id TEXT NOT NULL,
    file_code      TEXT NOT NULL,
    PRIMARY KEY (destruction_id, file_code)
) WITHOUT ROWID;
CREATE TABLE holds (
    hold_id     TEXT PRIMARY KEY,
    fonds_code  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    placed_by   TEXT NOT NULL,
    placed_on   TEXT NOT NULL,
    lifted_on   TEXT,
    listed_files INTEGER NOT NULL
);
CREATE TABLE hold_files (
    file_code TEXT NOT NULL,
    hold_id   TEXT NOT NULL,
    PRIMARY KEY (file_code, hold_id)
) WITHOUT ROWID;
CREATE TABLE tokens (
    token_id     TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL,
    role         TEXT NOT NULL,
    scope        TEXT,
    expires_at   TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   TEXT,
    name         TEXT,
    title        TEXT,
    organ        TEXT
);
CREATE TABLE copies (
    copy_id       TEXT PRIMARY KEY,
    fonds_code    TEXT NOT NULL,
    file_code     TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    format        TEXT NOT NULL,
    pages         INTEGER,
    dpi           INTEGER,
    original_name TEXT,
    made_by       TEXT NOT NULL,
    made_on       TEXT NOT NULL,
    document      TEXT,
    status        TEXT NOT NULL,
    replaced_by   TEXT,
    replaced_on   TEXT,
    deleted_on    TEXT,
    deleted_by    TEXT,
    fixity        TEXT,
    fixity_run    TEXT,
    fixity_seq    INTEGER
);
CREATE TABLE fixity_runs (
    run_id         TEXT PRIMARY KEY,
    seq            INTEGER NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    sample_percent INTEGER NOT NULL,
    checked        INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    intact         INTEGER NOT NULL,
    missing        INTEGER NOT NULL,
    altered        INTEGER NOT NULL
);
CREATE TABLE audit (
    position    INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    role        TEXT,
    action      TEXT NOT NULL,
    resource    TEXT,
    reason      TEXT NOT NULL
);
";

/// Indexes that applying events needs: receipts, cancellations and destructions find the files
/// waiting in a process by `status_ref`, and without this index each of them scans every file.
/// A rebuild creates it before applying; it is partial, so files recorded without a process
/// (nearly all) never enter it and bulk inserts do not pay for it.
pub const APPLY_INDEXES: &str = "
CREATE INDEX files_by_status_ref ON files (status_ref) WHERE status_ref IS NOT NULL;
";

/// Secondary indexes, created after the tables are filled during a rebuild.
pub const INDEXES: &str = "
CREATE INDEX files_by_fonds ON files (fonds_code, seq);
CREATE INDEX units_by_parent ON units (parent);
CREATE INDEX unit_links_by_successor ON unit_links (successor);
CREATE INDEX fonds_by_unit ON fonds (unit_code);
CREATE INDEX handovers_by_fonds ON handovers (fonds_code);
CREATE INDEX handovers_by_batch ON handovers (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX transfers_by_fonds ON transfers (fonds_code);
CREATE INDEX destructions_by_fonds ON destructions (fonds_code);
CREATE INDEX tokens_by_user ON tokens (user_id);
CREATE INDEX copies_by_file ON copies (file_code, seq);
CREATE INDEX copies_by_sha256 ON copies (sha256);
";

/// Creates the schema in an empty file, indexes included.
pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    create_tables(conn)?;
    conn.execute_batch(APPLY_INDEXES)?;
    conn.execute_batch(INDEXES)
}

/// Creates the tables and stamps the version, without secondary indexes.
pub fn create_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TABLES)?;
    conn.pragma_update(None, "user_version", READ_MODEL_VERSION)
}

/// The read-model version stamped in the file (0 for an empty file).
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

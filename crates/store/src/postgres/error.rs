//! PostgreSQL failures mapped to the store's typed errors.

use tokio_postgres::error::SqlState;

use crate::error::StoreError;

/// Maps a client error: lost or refused connections and servers shutting down are
/// `Unavailable` (retried), a standby's refusal is `ReadOnly`, a full disk `StorageFull`.
pub(crate) fn map_error(e: &tokio_postgres::Error) -> StoreError {
    if let Some(code) = e.code() {
        return map_code(code, e);
    }
    let text = describe(e);
    // The client's own refusal of a standby when the string asks for target_session_attrs.
    if text.contains("does not allow writes") {
        return StoreError::ReadOnly;
    }
    // No SQL state: the connection was lost, refused, timed out, or TLS failed.
    StoreError::Unavailable(format!("PostgreSQL: {text}"))
}

fn map_code(code: &SqlState, e: &tokio_postgres::Error) -> StoreError {
    let class = &code.code()[..2];
    if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        StoreError::ReadOnly
    } else if *code == SqlState::DISK_FULL {
        StoreError::StorageFull
    } else if class == "08" // connection exception
        || class == "57" // operator intervention: shutdown, cannot connect now, cancelled
        || *code == SqlState::TOO_MANY_CONNECTIONS
        || *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
    {
        StoreError::Unavailable(format!("PostgreSQL: {}", describe(e)))
    } else if class == "28" || *code == SqlState::INSUFFICIENT_PRIVILEGE {
        StoreError::AccessDenied(describe(e))
    } else {
        StoreError::Backend(format!("PostgreSQL: {}", describe(e)))
    }
}

/// The error with its cause (the client's own text often says only "error connecting").
fn describe(e: &tokio_postgres::Error) -> String {
    use std::error::Error as _;
    match (e.as_db_error(), e.source()) {
        (Some(db), _) => format!("{} ({})", db.message(), db.code().code()),
        (None, Some(source)) => format!("{e}: {source}"),
        (None, None) => e.to_string(),
    }
}

/// Whether the writer should reconnect and try the same batch again: the connection is gone,
/// or it reached a server that cannot write (a standby; the primary may be elsewhere now).
pub(crate) fn worth_retrying(e: &StoreError) -> bool {
    matches!(e, StoreError::Unavailable(_) | StoreError::ReadOnly)
}

//! A digest of every read-model table, to compare a live read model with a fresh rebuild.

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use crate::error::ProjectionError;

/// The tables a digest covers: every read model, not the checkpoint.
pub const TABLES: &[&str] = &[
    "units",
    "unit_links",
    "fonds",
    "files",
    "custody_changes",
    "handovers",
    "handover_files",
    "transfers",
    "transfer_files",
    "destructions",
    "destruction_files",
    "holds",
    "hold_files",
    "tokens",
    "audit",
    "copies",
    "fixity_runs",
];

/// SHA-256 of each table's rows in a fixed order, as (table, hex digest, row count).
pub fn table_digests(
    conn: &Connection,
) -> Result<Vec<(&'static str, String, u64)>, ProjectionError> {
    let mut out = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let columns: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM pragma_table_info('{table}')"),
            [],
            |r| r.get(0),
        )?;
        let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM {table} ORDER BY {}",
            order.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut hash = Sha256::new();
        let mut count = 0u64;
        while let Some(row) = rows.next()? {
            count += 1;
            for i in 0..columns as usize {
                match row.get_ref(i)? {
                    ValueRef::Null => hash.update([0u8]),
                    ValueRef::Integer(n) => {
                        hash.update([1u8]);
                        hash.update(n.to_be_bytes());
                    }
                    ValueRef::Real(x) => {
                        hash.update([2u8]);
                        hash.update(x.to_be_bytes());
                    }
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        hash.update([3u8]);
                        hash.update((t.len() as u64).to_be_bytes());
                        hash.update(t);
                    }
                }
            }
        }
        out.push((*table, hex::encode(hash.finalize()), count));
    }
    Ok(out)
}

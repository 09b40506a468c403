//! Deterministic ids: the import's from the fonds and the file's content, each batch's from the
//! import's and the rows it holds. The same file imported again yields the same ids, so the
//! store's idempotency turns a repeated batch into a no-op.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The id of importing `content` into `fonds` with these shared values (custodian, carrier,
/// language: they change what is recorded, so they change the id).
pub fn import_id(fonds: &str, content: &[u8], shared: &[&str]) -> Uuid {
    let mut hash = Sha256::new();
    hash.update(b"bangiao-import/v1\0");
    field(&mut hash, fonds.as_bytes());
    field(&mut hash, &Sha256::digest(content));
    for value in shared {
        field(&mut hash, value.as_bytes());
    }
    uuid_v8(&hash.finalize())
}

/// The command id of the batch of `rows` (their numbers as shown) within an import.
pub fn batch_id(import: Uuid, rows: &[u32]) -> Uuid {
    let mut hash = Sha256::new();
    hash.update(import.as_bytes());
    for row in rows {
        hash.update(row.to_be_bytes());
    }
    uuid_v8(&hash.finalize())
}

/// An id derived from `seed` alone: the same seed gives the same id each time (package
/// identifiers, copies and commands of an ingest).
pub fn seeded(seed: &str) -> Uuid {
    uuid_v8(&Sha256::digest(seed.as_bytes()))
}

/// Length-prefixed, so ("ab", "c") and ("a", "bc") hash apart.
fn field(hash: &mut Sha256, bytes: &[u8]) {
    hash.update((bytes.len() as u64).to_be_bytes());
    hash.update(bytes);
}

/// A version 8 (custom) UUID from the first 16 bytes of a digest.
fn uuid_v8(digest: &[u8]) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seeded_id_is_the_custom_uuid_of_its_digest_as_package_ids_always_were() {
        let digest = Sha256::digest(b"bangiao-sip:0197a1b2");
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        let before = uuid::Builder::from_custom_bytes(bytes).into_uuid();
        assert_eq!(seeded("bangiao-sip:0197a1b2"), before);
        assert_ne!(seeded("bangiao-sip:0197a1b3"), before);
    }

    #[test]
    fn ids_depend_on_every_input() {
        let a = import_id("066-UB", b"rows", &["UBND-066"]);
        assert_eq!(a, import_id("066-UB", b"rows", &["UBND-066"]));
        assert_ne!(a, import_id("066-D01", b"rows", &["UBND-066"]));
        assert_ne!(a, import_id("066-UB", b"rows!", &["UBND-066"]));
        assert_ne!(a, import_id("066-UB", b"rows", &["VP-066"]));
        assert_eq!(a.get_version_num(), 8);
        assert_ne!(batch_id(a, &[6, 7]), batch_id(a, &[6, 8]));
        assert_eq!(batch_id(a, &[6, 7]), batch_id(a, &[6, 7]));
    }
}

//! The SHA-256 hash chain over the global log: each event's hash covers the previous hash and
//! every stored field of the event, so changing one byte anywhere breaks every later link.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::event::{GENESIS_HASH, Hash, RecordedEvent};

/// The stored fields of one event that its chain hash covers.
#[derive(Debug, Clone, Copy)]
pub struct HashInput<'a> {
    /// Global position.
    pub position: u64,
    /// Stream name.
    pub stream: &'a str,
    /// Revision in the stream.
    pub revision: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Type name.
    pub event_type: &'a str,
    /// Payload schema version.
    pub schema_version: u32,
    /// Payload JSON text as stored.
    pub payload: &'a str,
    /// Metadata JSON text as stored.
    pub metadata: &'a str,
}

impl<'a> From<&'a RecordedEvent> for HashInput<'a> {
    fn from(e: &'a RecordedEvent) -> Self {
        Self {
            position: e.position,
            stream: &e.stream,
            revision: e.revision,
            event_id: e.event_id,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            payload: &e.payload,
            metadata: &e.metadata,
        }
    }
}

/// Computes the chain hash of an event from the hash of the event before it.
///
/// Variable-length fields are length-prefixed so that no two different events share an encoding.
pub fn chain_hash(prev: &Hash, e: HashInput<'_>) -> Hash {
    let mut h = Sha256::new();
    h.update(b"bangiao-event-v1");
    h.update(prev);
    h.update(e.position.to_be_bytes());
    put_str(&mut h, e.stream);
    h.update(e.revision.to_be_bytes());
    h.update(e.event_id.as_bytes());
    put_str(&mut h, e.event_type);
    h.update(e.schema_version.to_be_bytes());
    put_str(&mut h, e.payload);
    put_str(&mut h, e.metadata);
    h.finalize().into()
}

fn put_str(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// The first place where the stored log departs from its hash chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An event's stored hash does not match the hash recomputed from its fields.
    #[error(
        "event at position {position} (id {event_id}, stream {stream}) does not match its hash: it was changed after it was written"
    )]
    HashMismatch {
        /// Global position of the first bad event.
        position: u64,
        /// Its id.
        event_id: Uuid,
        /// Its stream.
        stream: String,
    },
    /// Positions are not gapless: an event was removed or inserted.
    #[error("expected position {expected} but found {found}: events are missing or were inserted")]
    Gap {
        /// Position that should come next.
        expected: u64,
        /// Position found instead.
        found: u64,
    },
}

/// Walks the log in order and checks every link; feed it events by calling [`ChainVerifier::check`].
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev: Hash,
    next_position: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev: GENESIS_HASH,
            next_position: 1,
        }
    }
}

impl ChainVerifier {
    /// Checks the next event of the log.
    pub fn check(&mut self, e: &RecordedEvent) -> Result<(), ChainBreak> {
        if e.position != self.next_position {
            return Err(ChainBreak::Gap {
                expected: self.next_position,
                found: e.position,
            });
        }
        let expected = chain_hash(&self.prev, HashInput::from(e));
        if expected != e.hash {
            return Err(ChainBreak::HashMismatch {
                position: e.position,
                event_id: e.event_id,
                stream: e.stream.clone(),
            });
        }
        self.prev = e.hash;
        self.next_position += 1;
        Ok(())
    }

    /// Number of events checked so far.
    pub fn checked(&self) -> u64 {
        self.next_position - 1
    }

    /// Hash of the last event checked (the chain head).
    pub fn head(&self) -> Hash {
        self.prev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(position: u64, prev: &Hash, payload: &str) -> RecordedEvent {
        let mut e = RecordedEvent {
            position,
            stream: "fonds-1".into(),
            revision: position - 1,
            event_id: Uuid::from_u128(position as u128),
            event_type: "T".into(),
            schema_version: 1,
            payload: payload.into(),
            metadata: "{}".into(),
            hash: [0; 32],
        };
        e.hash = chain_hash(prev, HashInput::from(&e));
        e
    }

    #[test]
    fn a_valid_chain_verifies_and_a_changed_byte_is_named() {
        let a = event(1, &GENESIS_HASH, r#"{"a":1}"#);
        let b = event(2, &a.hash, r#"{"b":2}"#);
        let mut v = ChainVerifier::default();
        assert!(v.check(&a).is_ok());
        assert!(v.check(&b).is_ok());
        assert_eq!(v.checked(), 2);

        let mut tampered = b.clone();
        tampered.payload = r#"{"b":3}"#.into();
        let mut v = ChainVerifier::default();
        v.check(&a).expect("first link is intact");
        assert!(matches!(
            v.check(&tampered),
            Err(ChainBreak::HashMismatch { position: 2, .. })
        ));
    }

    #[test]
    fn a_gap_is_reported() {
        let a = event(1, &GENESIS_HASH, "{}");
        let c = event(3, &a.hash, "{}");
        let mut v = ChainVerifier::default();
        v.check(&a).expect("first link is intact");
        assert_eq!(
            v.check(&c),
            Err(ChainBreak::Gap {
                expected: 2,
                found: 3
            })
        );
    }

    #[test]
    fn length_prefixes_keep_field_boundaries_apart() {
        let mut x = event(1, &GENESIS_HASH, "{}");
        x.stream = "ab".into();
        x.event_type = "c".into();
        let mut y = x.clone();
        y.stream = "a".into();
        y.event_type = "bc".into();
        assert_ne!(
            chain_hash(&GENESIS_HASH, HashInput::from(&x)),
            chain_hash(&GENESIS_HASH, HashInput::from(&y))
        );
    }
}

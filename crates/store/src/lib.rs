//! The event store of Bàn Giao: the `EventStore` trait modelled on KurrentDB, the embedded
//! SQLite backend (the default), the PostgreSQL and KurrentDB server backends, an in-memory
//! backend for tests and the SHA-256 hash chain. It knows events and streams, not the domain:
//! the command handler that turns a domain command into an optimistic append lives in `bangiao-app`.

pub mod conformance;
pub mod error;
pub mod event;
pub mod failing;
pub mod hash;
pub mod kurrentdb;
pub mod memory;
pub mod migrate;
pub mod postgres;
pub mod sqlite;
pub mod store;
pub mod validate;
pub mod verify;

pub use crate::kurrentdb::{KurrentConfig, KurrentStore};
pub use error::StoreError;
pub use event::{
    ActorRef, AppendRequest, AppendResult, EventMetadata, ExpectedState, Hash, LegalBasisRef,
    NewEvent, RecordedEvent,
};
pub use memory::MemoryStore;
pub use postgres::{PostgresConfig, PostgresStore};
pub use sqlite::{Durability, SqliteConfig, SqliteStore};
pub use store::{EventStore, EventStream, derived_event_id, follow, wait_for_position};

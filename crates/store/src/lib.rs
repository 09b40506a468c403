//! The event store of Bàn Giao: the `EventStore` trait modelled on KurrentDB, the embedded
//! SQLite backend (the default), the PostgreSQL and KurrentDB server backends, an in-memory
//! backend for tests, the SHA-256 hash chain,
//! and the command handler that turns a domain command into an optimistic append.

pub mod conformance;
pub mod error;
pub mod event;
pub mod failing;
pub mod handler;
pub mod hash;
pub mod kurrentdb;
pub mod memory;
pub mod migrate;
pub mod postgres;
pub mod sqlite;
pub mod store;
pub mod upcast;
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

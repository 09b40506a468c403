//! The pure domain model of Bàn Giao: validated value types, the commands people issue,
//! the events that record accepted acts, and the rules (`decide`/`evolve`) that link them.
//! It does no I/O, no async, and knows nothing of HTTP, SQL or KurrentDB.
//! Commands decode from JSON (unknown fields refused) so a server can take them as request
//! bodies; feature `openapi` adds their utoipa schemas and those of the events.

pub mod aggregate;
pub mod error;
pub mod events;
pub mod fixity;
pub mod fonds;
mod lists;
mod records;
pub mod streams;
pub mod unit;
pub mod upcast;
pub mod values;

pub use aggregate::{Aggregate, DecodeError, DomainEvent};
pub use error::{DomainError, RefusalClass, ValueError};
pub use fixity::FixityEvent;
pub use fonds::{FondsAggregate, FondsCommand, FondsEvent};
pub use unit::{UnitAggregate, UnitCommand, UnitEvent};
pub use values::*;

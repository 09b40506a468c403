//! Read models of Bàn Giao, rebuilt from the event log: custody now and as of any date, custody
//! history, inventory lists (Mục lục hồ sơ) per fonds and per unit through the lineage graph,
//! unit lineage, handovers and batches, transfers, destructions and transfer deadlines.
//! They live in one SQLite file beside the event store; each batch of events is applied in one
//! transaction together with the checkpoint, so a crash never applies an event twice or skips one.

mod apply;
pub mod digest;
pub mod error;
pub mod query;
mod readmodel;
pub mod schema;

pub use error::ProjectionError;
pub use readmodel::{ReadModel, RebuildReport, rebuild, rebuild_until};

//! Phông lưu trữ — one fonds and everything about its files, stream `fonds-{code}`: the
//! consistency boundary for custody (one custodian per file, at most one open process per file).

mod checks;
mod commands;
mod events;
mod evolve;
mod evolve_processes;
mod fingerprint;
pub mod records;
mod state;
mod warnings;

pub use commands::*;
pub use events::*;
pub use state::{
    CopyState, CopyStatus, DestructionState, DestructionStatus, FileState, FileStatus, FondsRecord,
    FondsState, HandoverState, HandoverStatus, HoldState, TransferAppraisal, TransferState,
};
pub use warnings::DomainWarning;

use crate::{Aggregate, DomainError};

/// The fonds aggregate: one fonds' stream.
pub struct FondsAggregate;

impl Aggregate for FondsAggregate {
    type State = FondsState;
    type Command = FondsCommand;
    type Event = FondsEvent;

    const STREAM_PREFIX: &'static str = crate::streams::FONDS_PREFIX;

    fn decide(state: &FondsState, command: &FondsCommand) -> Result<Vec<FondsEvent>, DomainError> {
        commands::decide(state, command)
    }

    fn evolve(state: &mut FondsState, event: &FondsEvent) {
        state.apply(event);
    }
}

//! Đơn vị hành chính — the life of one administrative unit, stream `unit-{code}`: registered,
//! merged, split or ended, each with its legal basis and effective date.

mod commands;
mod events;
pub mod records;
mod reorganise;
mod state;

pub use commands::{EndUnit, RegisterUnit, UnitCommand, UnitDetails};
pub use events::{
    EndReason, UnitAbsorbed, UnitEnded, UnitEvent, UnitFormedByMerger, UnitFormedBySplit,
    UnitMergedInto, UnitRegistered, UnitSplitInto,
};
pub use reorganise::{EventsByUnit, MergeUnits, SplitUnit, decide_merger, decide_split};
pub use state::{Lifespan, UnitEnding, UnitRecord, UnitState};

use crate::{Aggregate, DomainError};

/// The unit aggregate: one administrative unit's stream.
pub struct UnitAggregate;

impl Aggregate for UnitAggregate {
    type State = UnitState;
    type Command = UnitCommand;
    type Event = UnitEvent;

    const STREAM_PREFIX: &'static str = crate::streams::UNIT_PREFIX;

    fn decide(state: &UnitState, command: &UnitCommand) -> Result<Vec<UnitEvent>, DomainError> {
        commands::decide(state, command)
    }

    fn evolve(state: &mut UnitState, event: &UnitEvent) {
        state.apply(event);
    }
}

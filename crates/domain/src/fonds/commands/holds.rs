//! Commands of holds: an inspection or dispute freezes files against destruction until lifted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Act, DomainError, Entity, ListKind};
use crate::fonds::checks::{file, not_before, not_destroyed, opened};
use crate::fonds::events::{FondsEvent, HoldLifted, HoldPlaced, HoldReason};
use crate::fonds::state::FondsState;
use crate::lists;
use crate::values::{FileCode, HoldId, LegalBasis, UserId};

/// Phong tỏa — places a hold on files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceHold {
    /// The hold.
    pub hold_id: HoldId,
    /// Inspection or dispute.
    pub reason: HoldReason,
    /// The files held.
    pub file_codes: Vec<FileCode>,
    /// The act ordering the hold.
    pub legal_basis: LegalBasis,
    /// Who places it.
    pub placed_by: UserId,
    /// When.
    pub placed_on: NaiveDate,
}

/// Gỡ phong tỏa — lifts a hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiftHold {
    /// The hold.
    pub hold_id: HoldId,
    /// Who lifts it.
    pub lifted_by: UserId,
    /// When.
    pub lifted_on: NaiveDate,
}

/// A hold id is placed once, on recorded files that still exist (whatever else they are in).
pub(super) fn place(state: &FondsState, command: &PlaceHold) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    if state.hold(&command.hold_id).is_some() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Hold,
            id: command.hold_id.to_string(),
        });
    }
    lists::non_empty_unique(ListKind::Files, &command.file_codes)?;
    for code in &command.file_codes {
        not_destroyed(code, file(state, code)?)?;
    }
    Ok(HoldPlaced {
        hold_id: command.hold_id,
        reason: command.reason,
        file_codes: command.file_codes.clone(),
        legal_basis: command.legal_basis.clone(),
        placed_by: command.placed_by.clone(),
        placed_on: command.placed_on,
    }
    .into())
}

/// A placed hold is lifted once, not before it was placed.
pub(super) fn lift(state: &FondsState, command: &LiftHold) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let hold = state
        .hold(&command.hold_id)
        .ok_or_else(|| DomainError::NotFound {
            what: Entity::Hold,
            id: command.hold_id.to_string(),
        })?;
    if hold.lifted {
        return Err(DomainError::HoldAlreadyLifted {
            hold: command.hold_id,
        });
    }
    not_before(Act::HoldLifting, command.lifted_on, hold.placed_on)?;
    Ok(HoldLifted {
        hold_id: command.hold_id,
        lifted_by: command.lifted_by.clone(),
        lifted_on: command.lifted_on,
    }
    .into())
}

//! Mergers and splits: acts that span several unit streams, decided as pure functions that
//! return the events for each stream. The caller loads every stream and appends to each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::commands::{UnitDetails, active_unit, check_details, ends_after_start};
use super::events::{
    UnitAbsorbed, UnitEvent, UnitFormedByMerger, UnitFormedBySplit, UnitMergedInto, UnitSplitInto,
};
use super::state::UnitState;
use crate::error::{Act, DomainError, Entity, ListKind};
use crate::lists;
use crate::values::{LegalBasis, ReorganisationId, UnitCode, UnitLevel};

/// Events to append, per unit stream.
pub type EventsByUnit = Vec<(UnitCode, Vec<UnitEvent>)>;

/// Sáp nhập / hợp nhất — merges predecessors into an existing unit or a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeUnits {
    /// Identifies the merger in every stream it touches.
    pub merger_id: ReorganisationId,
    /// The day the merger takes effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering it.
    pub legal_basis: LegalBasis,
    /// The successor's details when it is a new unit; `None` when an existing unit absorbs.
    pub new_successor: Option<UnitDetails>,
}

/// Chia — splits a unit into new units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitUnit {
    /// Identifies the split in every stream it touches.
    pub split_id: ReorganisationId,
    /// The day the split takes effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering it.
    pub legal_basis: LegalBasis,
}

/// Decides a merger: at least two distinct, active predecessors at the successor's level, none
/// of them the successor, none begun after the merger date. Returns the successor's events first.
pub fn decide_merger(
    predecessors: &[(UnitCode, &UnitState)],
    successor: (&UnitCode, &UnitState),
    command: &MergeUnits,
) -> Result<EventsByUnit, DomainError> {
    let codes: Vec<UnitCode> = predecessors.iter().map(|(code, _)| code.clone()).collect();
    // A new unit is formed from two or more; an existing unit may absorb a single one
    // (Bắc Kạn into Thái Nguyên).
    let fewest = if command.new_successor.is_some() {
        2
    } else {
        1
    };
    check_unit_list(ListKind::Predecessors, &codes, successor.0, fewest)?;
    let (level, successor_event) = successor_event(successor, &codes, command)?;
    let mut events = vec![(successor.0.clone(), vec![successor_event])];
    for (code, state) in predecessors {
        check_part(code, state, level, Act::Merger, command.effective_on)?;
        let merged = UnitMergedInto {
            successor: successor.0.clone(),
            effective_on: command.effective_on,
            legal_basis: command.legal_basis.clone(),
            merger_id: command.merger_id,
        };
        events.push((code.clone(), vec![merged.into()]));
    }
    Ok(events)
}

/// Decides a split into new units of the predecessor's level, each given with its (empty)
/// state and its details. Returns the new units' events first.
pub fn decide_split(
    predecessor: (&UnitCode, &UnitState),
    successors: &[(UnitCode, &UnitState, &UnitDetails)],
    command: &SplitUnit,
) -> Result<EventsByUnit, DomainError> {
    let codes: Vec<UnitCode> = successors.iter().map(|(code, ..)| code.clone()).collect();
    check_unit_list(ListKind::Successors, &codes, predecessor.0, 2)?;
    let unit = active_unit(predecessor.1, Some(predecessor.0))?;
    ends_after_start(Act::Split, unit, command.effective_on)?;
    let mut events = Vec::with_capacity(successors.len() + 1);
    for (code, state, details) in successors {
        check_new_unit(code, state, details, unit.level, command.effective_on)?;
        let formed = UnitFormedBySplit {
            code: code.clone(),
            name: details.name.clone(),
            level: details.level,
            unit_type: details.unit_type,
            parent: details.parent.clone(),
            predecessor: predecessor.0.clone(),
            effective_on: command.effective_on,
            legal_basis: command.legal_basis.clone(),
            split_id: command.split_id,
        };
        events.push((code.clone(), vec![formed.into()]));
    }
    let split = UnitSplitInto {
        successors: codes,
        effective_on: command.effective_on,
        legal_basis: command.legal_basis.clone(),
        split_id: command.split_id,
    };
    events.push((predecessor.0.clone(), vec![split.into()]));
    Ok(events)
}

/// At least two units, none twice, and not the unit on the other side of the act.
fn check_unit_list(
    list: ListKind,
    codes: &[UnitCode],
    other_side: &UnitCode,
    fewest: usize,
) -> Result<(), DomainError> {
    if codes.len() < fewest {
        return Err(DomainError::TooFewUnits {
            list,
            given: codes.len(),
        });
    }
    lists::unique(list, codes)?;
    if codes.contains(other_side) {
        return Err(DomainError::OwnSuccessor {
            unit: other_side.clone(),
        });
    }
    Ok(())
}

/// The successor's event and level: an existing unit absorbs, a new one is formed.
fn successor_event(
    (code, state): (&UnitCode, &UnitState),
    predecessors: &[UnitCode],
    command: &MergeUnits,
) -> Result<(UnitLevel, UnitEvent), DomainError> {
    match (state.is_registered(), &command.new_successor) {
        (true, Some(_)) => Err(DomainError::AlreadyExists {
            what: Entity::Unit,
            id: code.to_string(),
        }),
        (true, None) => {
            let unit = active_unit(state, Some(code))?;
            if command.effective_on < unit.valid_from {
                return Err(DomainError::SuccessorNotInExistence {
                    successor: code.clone(),
                    effective_on: command.effective_on,
                    valid_from: unit.valid_from,
                });
            }
            let absorbed = UnitAbsorbed {
                predecessors: predecessors.to_vec(),
                effective_on: command.effective_on,
                legal_basis: command.legal_basis.clone(),
                merger_id: command.merger_id,
            };
            Ok((unit.level, absorbed.into()))
        }
        (false, None) => Err(DomainError::NotFound {
            what: Entity::Unit,
            id: code.to_string(),
        }),
        (false, Some(details)) => {
            check_details(details, command.effective_on)?;
            let formed = UnitFormedByMerger {
                code: code.clone(),
                name: details.name.clone(),
                level: details.level,
                unit_type: details.unit_type,
                parent: details.parent.clone(),
                predecessors: predecessors.to_vec(),
                effective_on: command.effective_on,
                legal_basis: command.legal_basis.clone(),
                merger_id: command.merger_id,
            };
            Ok((details.level, formed.into()))
        }
    }
}

/// A unit ended by an act: active, at the act's level, and begun before the act's date.
fn check_part(
    code: &UnitCode,
    state: &UnitState,
    level: UnitLevel,
    act: Act,
    date: NaiveDate,
) -> Result<(), DomainError> {
    let unit = active_unit(state, Some(code))?;
    if unit.level != level {
        return Err(DomainError::LevelMismatch {
            unit: code.clone(),
            level: unit.level,
            expected: level,
        });
    }
    ends_after_start(act, unit, date)
}

/// A unit formed by a split: not registered yet, valid details (its parent existing on
/// `starts_on`), at the predecessor's level.
fn check_new_unit(
    code: &UnitCode,
    state: &UnitState,
    details: &UnitDetails,
    level: UnitLevel,
    starts_on: NaiveDate,
) -> Result<(), DomainError> {
    if state.is_registered() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Unit,
            id: code.to_string(),
        });
    }
    check_details(details, starts_on)?;
    if details.level != level {
        return Err(DomainError::LevelMismatch {
            unit: code.clone(),
            level: details.level,
            expected: level,
        });
    }
    Ok(())
}

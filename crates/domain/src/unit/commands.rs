//! Commands on one unit's stream: register it, end it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::{EndReason, UnitEnded, UnitEvent, UnitRegistered};
use super::state::{Lifespan, UnitRecord, UnitState};
use crate::error::{Act, DomainError, Entity};
use crate::values::{LegalBasis, Name, UnitCode, UnitLevel, UnitType};

/// What the caller says about a unit being created, with the parent's level as a fact it
/// looked up (the parent lives in another stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitDetails {
    /// Its name.
    pub name: Name,
    /// Its level.
    pub level: UnitLevel,
    /// Its type.
    pub unit_type: UnitType,
    /// The unit it belongs to; none for a province.
    pub parent: Option<UnitCode>,
    /// Fact: the parent's level, or `None` if the parent is not registered. The application
    /// service looks it up, so a request body cannot set it (serde and OpenAPI skip it).
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub parent_level: Option<UnitLevel>,
    /// Fact: the days the parent exists, looked up by the application service like
    /// `parent_level`; `None` when not looked up (the dates are then not checked).
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub parent_lifespan: Option<Lifespan>,
}

/// Đăng ký đơn vị — records a unit as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterUnit {
    /// Its GSO code.
    pub code: UnitCode,
    /// What it is.
    pub details: UnitDetails,
    /// The day it began to exist.
    pub valid_from: NaiveDate,
    /// The act that created it.
    pub legal_basis: LegalBasis,
}

/// Kết thúc hoạt động — ends a unit that has no successor unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndUnit {
    /// The day it ends.
    pub effective_on: NaiveDate,
    /// The resolution ending it.
    pub legal_basis: LegalBasis,
    /// Why it ends.
    pub reason: EndReason,
}

/// A command on one unit's stream; mergers and splits span streams, see [`super::decide_merger`].
#[derive(Debug, Clone, PartialEq)]
pub enum UnitCommand {
    /// Register the unit.
    Register(RegisterUnit),
    /// End the unit.
    End(EndUnit),
}

impl From<RegisterUnit> for UnitCommand {
    fn from(command: RegisterUnit) -> Self {
        Self::Register(command)
    }
}

impl From<EndUnit> for UnitCommand {
    fn from(command: EndUnit) -> Self {
        Self::End(command)
    }
}

pub(crate) fn decide(
    state: &UnitState,
    command: &UnitCommand,
) -> Result<Vec<UnitEvent>, DomainError> {
    let event = match command {
        UnitCommand::Register(command) => register(state, command)?,
        UnitCommand::End(command) => end(state, command)?,
    };
    Ok(vec![event])
}

/// A unit registers once, with a type of its level and a parent of a level that can hold it.
fn register(state: &UnitState, command: &RegisterUnit) -> Result<UnitEvent, DomainError> {
    if state.is_registered() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Unit,
            id: command.code.to_string(),
        });
    }
    check_details(&command.details, command.valid_from)?;
    let details = &command.details;
    Ok(UnitRegistered {
        code: command.code.clone(),
        name: details.name.clone(),
        level: details.level,
        unit_type: details.unit_type,
        parent: details.parent.clone(),
        valid_from: command.valid_from,
        legal_basis: command.legal_basis.clone(),
    }
    .into())
}

/// A unit ends once, after its first day.
fn end(state: &UnitState, command: &EndUnit) -> Result<UnitEvent, DomainError> {
    let unit = active_unit(state, None)?;
    ends_after_start(Act::UnitEnd, unit, command.effective_on)?;
    Ok(UnitEnded {
        effective_on: command.effective_on,
        legal_basis: command.legal_basis.clone(),
        reason: command.reason,
    }
    .into())
}

/// Checks a new unit's type against its level, and its parent against the level rules (a
/// province has no parent, a district's is a province, a commune's a district or province)
/// and against time: the parent must exist on `starts_on`, the new unit's first day.
pub(crate) fn check_details(
    details: &UnitDetails,
    starts_on: NaiveDate,
) -> Result<(), DomainError> {
    if details.unit_type.level() != details.level {
        return Err(DomainError::TypeLevelMismatch {
            unit_type: details.unit_type,
            level: details.level,
        });
    }
    let allowed: &[UnitLevel] = match details.level {
        UnitLevel::Province => &[],
        UnitLevel::District => &[UnitLevel::Province],
        UnitLevel::Commune => &[UnitLevel::District, UnitLevel::Province],
    };
    let invalid = |parent_level| DomainError::InvalidParent {
        level: details.level,
        parent_level,
    };
    match (&details.parent, details.parent_level) {
        (None, _) if allowed.is_empty() => Ok(()),
        (None, _) => Err(invalid(None)),
        (Some(_), parent_level) if allowed.is_empty() => Err(invalid(parent_level)),
        (Some(parent), None) => Err(DomainError::NotFound {
            what: Entity::Unit,
            id: parent.to_string(),
        }),
        (Some(parent), Some(level)) if allowed.contains(&level) => {
            parent_exists(parent, details.parent_lifespan, starts_on)
        }
        (Some(_), Some(level)) => Err(invalid(Some(level))),
    }
}

/// Refuses a parent that does not exist on the new unit's first day (not begun, or ended).
fn parent_exists(
    parent: &UnitCode,
    lifespan: Option<Lifespan>,
    starts_on: NaiveDate,
) -> Result<(), DomainError> {
    match lifespan {
        Some(span) if !span.contains(starts_on) => Err(DomainError::ParentNotInExistence {
            parent: parent.clone(),
            starts_on,
            parent_from: span.from,
            parent_ended_on: span.ended_on,
        }),
        _ => Ok(()),
    }
}

/// Refuses an act ending a unit (its end, a merger or split of it) that takes effect on or
/// before the unit's first day: its last day, the day before, would come before it began.
pub(crate) fn ends_after_start(
    act: Act,
    unit: &UnitRecord,
    effective_on: NaiveDate,
) -> Result<(), DomainError> {
    if effective_on <= unit.valid_from {
        return Err(DomainError::UnitEndsBeforeStart {
            unit: unit.code.clone(),
            act,
            effective_on,
            valid_from: unit.valid_from,
        });
    }
    Ok(())
}

/// The unit, if it is registered and has not ended; `code` names it in errors when the state
/// cannot (an unregistered stream does not know its own code).
pub(crate) fn active_unit<'a>(
    state: &'a UnitState,
    code: Option<&UnitCode>,
) -> Result<&'a UnitRecord, DomainError> {
    let Some(unit) = state.unit() else {
        return Err(DomainError::NotFound {
            what: Entity::Unit,
            id: code.map(UnitCode::to_string).unwrap_or_default(),
        });
    };
    match &unit.ending {
        Some(ending) => Err(DomainError::UnitEnded {
            unit: unit.code.clone(),
            ended_on: ending.on(),
        }),
        None => Ok(unit),
    }
}

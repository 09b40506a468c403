//! Commands on the fonds itself: open it, record its creator's history, close it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Act, DomainError, Entity};
use crate::fonds::checks::{not_before, opened};
use crate::fonds::events::{CreatorHistoryRecorded, FondsClosed, FondsEvent, FondsOpened};
use crate::fonds::state::FondsState;
use crate::values::{CustodianId, FondsCode, FondsKind, LegalBasis, Name, Note, OrganId, UnitCode};

/// Mở phông — opens the fonds of one creator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenFonds {
    /// Mã phông.
    pub fonds_code: FondsCode,
    /// Tên phông.
    pub name: Name,
    /// State or Party.
    pub kind: FondsKind,
    /// The creator's organ id.
    pub creator_organ_id: OrganId,
    /// The creator's name.
    pub creator_name: Name,
    /// The creator's administrative unit.
    pub unit_code: UnitCode,
    /// Who holds the records.
    pub custodian: CustodianId,
    /// The day the fonds is opened.
    pub opened_on: NaiveDate,
    /// Fact from the unit's stream: the day the unit ended, if it has. The application
    /// service fills it in, so a request body cannot set it (serde and OpenAPI skip it).
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unit_ended_on: Option<NaiveDate>,
}

/// Ghi lịch sử đơn vị hình thành phông — records the creator's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCreatorHistory {
    /// The history.
    pub history: Note,
    /// The day it was written.
    pub recorded_on: NaiveDate,
}

/// Đóng phông — closes the fonds from the date its creator ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseFonds {
    /// The day the creator ended operations.
    pub closed_on: NaiveDate,
    /// The act closing the fonds.
    pub closing_act: LegalBasis,
}

/// A fonds opens once, and not for a unit that had already ended on the opening day.
pub(super) fn open(state: &FondsState, command: &OpenFonds) -> Result<FondsEvent, DomainError> {
    if let Some(fonds) = state.fonds() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Fonds,
            id: fonds.fonds_code.to_string(),
        });
    }
    if let Some(ended_on) = command.unit_ended_on
        && ended_on <= command.opened_on
    {
        return Err(DomainError::UnitEnded {
            unit: command.unit_code.clone(),
            ended_on,
        });
    }
    Ok(FondsOpened {
        fonds_code: command.fonds_code.clone(),
        name: command.name.clone(),
        kind: command.kind,
        creator_organ_id: command.creator_organ_id.clone(),
        creator_name: command.creator_name.clone(),
        unit_code: command.unit_code.clone(),
        custodian: command.custodian.clone(),
        opened_on: command.opened_on,
    }
    .into())
}

/// The creator's history may be written at any time, also after closure.
pub(super) fn record_history(
    state: &FondsState,
    command: &RecordCreatorHistory,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    Ok(CreatorHistoryRecorded {
        history: command.history.clone(),
        recorded_on: command.recorded_on,
    }
    .into())
}

/// A fonds closes once, not before it opened, and not before the end of a file it holds.
pub(super) fn close(state: &FondsState, command: &CloseFonds) -> Result<FondsEvent, DomainError> {
    let fonds = opened(state)?;
    if let Some(closed_on) = fonds.closed_on {
        return Err(DomainError::FondsClosed { closed_on });
    }
    not_before(Act::FondsClosure, command.closed_on, fonds.opened_on)?;
    let late_file = state
        .files()
        .find(|(_, file)| file.end_date > command.closed_on);
    if let Some((code, file)) = late_file {
        return Err(DomainError::FileAfterClosure {
            file: code.clone(),
            end_date: file.end_date,
            closed_on: command.closed_on,
        });
    }
    Ok(FondsClosed {
        closed_on: command.closed_on,
        closing_act: command.closing_act.clone(),
    }
    .into())
}

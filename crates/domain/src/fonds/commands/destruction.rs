//! Commands of the destruction of valueless records (hủy tài liệu hết giá trị): a frozen list,
//! the council's decision, approval by a second person, no hold, then execution.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Act, DomainError, Entity};
use crate::fonds::checks::{free_files, not_before, opened};
use crate::fonds::events::{
    CopyTombstone, DestructionApproved, DestructionCancelled, DestructionExecuted,
    DestructionProposed, FondsEvent,
};
use crate::fonds::state::{CopyStatus, DestructionState, DestructionStatus, FileState, FondsState};
use crate::values::{DestructionId, FileCode, LegalBasis, Note, UserId};

/// Đề nghị hủy — proposes destroying expired files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposeDestruction {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// The files; frozen once proposed.
    pub file_codes: Vec<FileCode>,
    /// The appraisal council's decision.
    pub council_decision: LegalBasis,
    /// Who proposes.
    pub proposed_by: UserId,
    /// When.
    pub proposed_on: NaiveDate,
}

/// Duyệt hủy — approves a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApproveDestruction {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who approves: not the proposer.
    pub approved_by: UserId,
    /// When.
    pub approved_on: NaiveDate,
}

/// Thực hiện hủy — records that the approved files were destroyed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecuteDestruction {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who carried it out.
    pub executed_by: UserId,
    /// When.
    pub executed_on: NaiveDate,
}

/// Hủy bỏ đề nghị hủy — abandons a proposal not yet executed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelDestruction {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who cancels.
    pub cancelled_by: UserId,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: Note,
}

/// Only free, fixed-term files whose retention has run out by the proposal date.
pub(super) fn propose(
    state: &FondsState,
    command: &ProposeDestruction,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    if state.destruction(&command.destruction_id).is_some() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Destruction,
            id: command.destruction_id.to_string(),
        });
    }
    let files = free_files(state, &command.file_codes)?;
    for (code, file) in files {
        expired(code, file, command.proposed_on)?;
    }
    Ok(DestructionProposed {
        destruction_id: command.destruction_id,
        file_codes: command.file_codes.clone(),
        council_decision: command.council_decision.clone(),
        proposed_by: command.proposed_by.clone(),
        proposed_on: command.proposed_on,
    }
    .into())
}

/// Permanent files are never destroyed; fixed-term ones once end date + years ≤ the date.
fn expired(code: &FileCode, file: &FileState, on: NaiveDate) -> Result<(), DomainError> {
    match file.retention.expires_on(file.end_date) {
        None => Err(DomainError::FilePermanent { file: code.clone() }),
        Some(expires_on) if expires_on > on => Err(DomainError::RetentionNotExpired {
            file: code.clone(),
            expires_on,
        }),
        Some(_) => Ok(()),
    }
}

/// A second, different person approves once, while no listed file is held.
pub(super) fn approve(
    state: &FondsState,
    command: &ApproveDestruction,
) -> Result<FondsEvent, DomainError> {
    let destruction = open_destruction(state, &command.destruction_id)?;
    if destruction.status == DestructionStatus::Approved {
        return Err(DomainError::DestructionAlreadyApproved {
            destruction: command.destruction_id,
        });
    }
    if command.approved_by == destruction.proposed_by {
        return Err(DomainError::SameApprover {
            person: command.approved_by.clone(),
        });
    }
    not_before(
        Act::DestructionApproval,
        command.approved_on,
        destruction.proposed_on,
    )?;
    no_holds(state, destruction)?;
    Ok(DestructionApproved {
        destruction_id: command.destruction_id,
        approved_by: command.approved_by.clone(),
        approved_on: command.approved_on,
    }
    .into())
}

/// Execution follows approval, and a hold placed since then still stops it.
pub(super) fn execute(
    state: &FondsState,
    command: &ExecuteDestruction,
) -> Result<FondsEvent, DomainError> {
    let destruction = open_destruction(state, &command.destruction_id)?;
    let Some(approved_on) = destruction.approved_on else {
        return Err(DomainError::DestructionNotApproved {
            destruction: command.destruction_id,
        });
    };
    not_before(Act::DestructionExecution, command.executed_on, approved_on)?;
    no_holds(state, destruction)?;
    Ok(DestructionExecuted {
        destruction_id: command.destruction_id,
        executed_by: command.executed_by.clone(),
        executed_on: command.executed_on,
        deleted_copies: tombstones(state, destruction),
    }
    .into())
}

/// A proposal not yet executed can be abandoned, approved or not.
pub(super) fn cancel(
    state: &FondsState,
    command: &CancelDestruction,
) -> Result<FondsEvent, DomainError> {
    let destruction = open_destruction(state, &command.destruction_id)?;
    not_before(
        Act::DestructionCancellation,
        command.cancelled_on,
        destruction.proposed_on,
    )?;
    Ok(DestructionCancelled {
        destruction_id: command.destruction_id,
        cancelled_by: command.cancelled_by.clone(),
        cancelled_on: command.cancelled_on,
        reason: command.reason.clone(),
    }
    .into())
}

/// Every copy of the destroyed files not yet deleted (current and replaced alike: nothing of a
/// destroyed file's content is kept), with its checksum.
fn tombstones(state: &FondsState, destruction: &DestructionState) -> Vec<CopyTombstone> {
    destruction
        .files
        .iter()
        .flat_map(|code| state.copies_of(code))
        .filter(|(_, copy)| copy.status != CopyStatus::Deleted)
        .map(|(id, copy)| CopyTombstone {
            file_code: copy.file_code.to_string(),
            copy_id: id.to_string(),
            sha256: copy.sha256.clone(),
            size_bytes: copy.size_bytes,
        })
        .collect()
}

fn no_holds(state: &FondsState, destruction: &DestructionState) -> Result<(), DomainError> {
    for code in &destruction.files {
        if let Some(hold) = state.file(code).and_then(|file| file.holds.first()) {
            return Err(DomainError::FileOnHold {
                file: code.clone(),
                hold: *hold,
            });
        }
    }
    Ok(())
}

/// A destruction that exists and is neither executed nor cancelled.
fn open_destruction<'a>(
    state: &'a FondsState,
    id: &DestructionId,
) -> Result<&'a DestructionState, DomainError> {
    opened(state)?;
    let destruction = state.destruction(id).ok_or_else(|| DomainError::NotFound {
        what: Entity::Destruction,
        id: id.to_string(),
    })?;
    match destruction.status {
        DestructionStatus::Executed | DestructionStatus::Cancelled => {
            Err(DomainError::DestructionClosed { destruction: *id })
        }
        DestructionStatus::Proposed | DestructionStatus::Approved => Ok(destruction),
    }
}

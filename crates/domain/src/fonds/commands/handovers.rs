//! Commands of a handover (bàn giao): draft the minutes, the giving side signs, the receiving
//! side receives (with discrepancies), or the minutes are cancelled.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Act, CountKind, DomainError, Entity, ListKind};
use crate::fonds::checks::{free_files, in_batch, not_before, opened};
use crate::fonds::events::{
    Batch, Discrepancy, FondsEvent, HandoverCancelled, HandoverDrafted, HandoverReceived,
    HandoverSigned,
};
use crate::fonds::state::{FileState, FondsState, HandoverState, HandoverStatus};
use crate::lists;
use crate::values::{CustodianId, Extent, FileCode, HandoverId, LegalBasis, Note, UserId};

/// Lập biên bản giao nhận — drafts the minutes with the attached list of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftHandover {
    /// The minutes.
    pub handover_id: HandoverId,
    /// The batch, when one set of minutes covers several fonds.
    pub batch: Option<Batch>,
    /// Bên giao: must hold every listed file.
    pub giving_custodian: CustodianId,
    /// Bên nhận.
    pub receiving_custodian: CustodianId,
    /// Who signs for the giving side.
    pub giving_person: UserId,
    /// Who signs for the receiving side.
    pub receiving_person: UserId,
    /// The act ordering the handover.
    pub legal_basis: LegalBasis,
    /// Mục lục.
    pub file_codes: Vec<FileCode>,
    /// Number of files written in the minutes.
    pub declared_files: u32,
    /// Boxes, sheets and metres written in the minutes.
    pub declared_extent: Extent,
    /// Date of the minutes.
    pub drafted_on: NaiveDate,
}

/// Bên giao ký — the giving side signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignHandover {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who signs: the giving person named in the minutes.
    pub signed_by: UserId,
    /// When.
    pub signed_on: NaiveDate,
}

/// Bên nhận ký nhận — the receiving side checks the files and takes custody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiveHandover {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who signs: the receiving person named in the minutes.
    pub received_by: UserId,
    /// When.
    pub received_on: NaiveDate,
    /// What did not match the list.
    pub discrepancies: Vec<Discrepancy>,
}

/// Hủy biên bản — abandons minutes not yet received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelHandover {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who cancels.
    pub cancelled_by: UserId,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: Note,
}

/// Minutes of a closed fonds, dated on or after closure, between two different custodians,
/// listing free files that the giving side holds, finished and unfinished work apart, with
/// counts that match the list.
pub(super) fn draft(
    state: &FondsState,
    command: &DraftHandover,
) -> Result<FondsEvent, DomainError> {
    let fonds = opened(state)?;
    if state.handover(&command.handover_id).is_some() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Handover,
            id: command.handover_id.to_string(),
        });
    }
    in_batch(fonds, command.batch.as_ref())?;
    let Some(closed_on) = fonds.closed_on else {
        return Err(DomainError::FondsNotClosed);
    };
    if command.drafted_on < closed_on {
        return Err(DomainError::HandoverBeforeClosure {
            drafted_on: command.drafted_on,
            closed_on,
        });
    }
    if command.giving_custodian == command.receiving_custodian {
        return Err(DomainError::SameCustodian {
            custodian: command.giving_custodian.clone(),
        });
    }
    let files = free_files(state, &command.file_codes)?;
    held_by(&files, &command.giving_custodian)?;
    unfinished_apart(&files)?;
    counts_match(&files, command.declared_files, &command.declared_extent)?;
    Ok(HandoverDrafted {
        handover_id: command.handover_id,
        batch: command.batch.clone(),
        giving_custodian: command.giving_custodian.clone(),
        receiving_custodian: command.receiving_custodian.clone(),
        giving_person: command.giving_person.clone(),
        receiving_person: command.receiving_person.clone(),
        legal_basis: command.legal_basis.clone(),
        file_codes: command.file_codes.clone(),
        declared_files: command.declared_files,
        declared_extent: command.declared_extent,
        drafted_on: command.drafted_on,
    }
    .into())
}

/// Only the current custodian can hand a file over.
pub(super) fn held_by(
    files: &[(&FileCode, &FileState)],
    custodian: &CustodianId,
) -> Result<(), DomainError> {
    for (code, file) in files {
        if file.custodian != *custodian {
            return Err(DomainError::NotCurrentCustodian {
                file: (*code).clone(),
                custodian: file.custodian.clone(),
                claimed: custodian.clone(),
            });
        }
    }
    Ok(())
}

/// Unfinished work is packed apart: a list is all unfinished-work files or none.
fn unfinished_apart(files: &[(&FileCode, &FileState)]) -> Result<(), DomainError> {
    let unfinished = files.iter().filter(|(_, file)| file.unfinished).count();
    let finished = files.len() - unfinished;
    if unfinished > 0 && finished > 0 {
        return Err(DomainError::MixedUnfinishedWork {
            unfinished,
            finished,
        });
    }
    Ok(())
}

/// The minutes' counts equal the list: files, distinct boxes, total sheets. Metres cannot be
/// counted from the list, so they are recorded as declared.
fn counts_match(
    files: &[(&FileCode, &FileState)],
    declared_files: u32,
    declared: &Extent,
) -> Result<(), DomainError> {
    let boxes: BTreeSet<_> = files
        .iter()
        .filter_map(|(_, file)| file.box_number.as_ref())
        .collect();
    let sheets: u64 = files
        .iter()
        .filter_map(|(_, file)| file.sheets)
        .map(u64::from)
        .sum();
    let counts = [
        (
            CountKind::Files,
            u64::from(declared_files),
            files.len() as u64,
        ),
        (
            CountKind::Boxes,
            u64::from(declared.boxes),
            boxes.len() as u64,
        ),
        (CountKind::Sheets, u64::from(declared.sheets), sheets),
    ];
    for (count, declared, actual) in counts {
        if declared != actual {
            return Err(DomainError::CountsMismatch {
                count,
                declared,
                actual,
            });
        }
    }
    Ok(())
}

/// The giving side signs once, before receipt, as the person named in the minutes.
pub(super) fn sign(state: &FondsState, command: &SignHandover) -> Result<FondsEvent, DomainError> {
    let handover = open_handover(state, &command.handover_id)?;
    if handover.status == HandoverStatus::Signed {
        return Err(DomainError::HandoverAlreadySigned {
            handover: command.handover_id,
        });
    }
    signatory(&handover.giving_person, &command.signed_by)?;
    not_before(Act::HandoverSigning, command.signed_on, handover.drafted_on)?;
    Ok(HandoverSigned {
        handover_id: command.handover_id,
        signed_by: command.signed_by.clone(),
        signed_on: command.signed_on,
    }
    .into())
}

/// The receiving side receives signed minutes, as the person named in them; missing and
/// damaged files must be listed, files "not on the list" must not be.
pub(super) fn receive(
    state: &FondsState,
    command: &ReceiveHandover,
) -> Result<FondsEvent, DomainError> {
    let handover = open_handover(state, &command.handover_id)?;
    let Some(signed_on) = handover.signed_on else {
        return Err(DomainError::HandoverNotSigned {
            handover: command.handover_id,
        });
    };
    signatory(&handover.receiving_person, &command.received_by)?;
    not_before(Act::HandoverReceipt, command.received_on, signed_on)?;
    check_discrepancies(handover, &command.discrepancies)?;
    Ok(HandoverReceived {
        handover_id: command.handover_id,
        received_by: command.received_by.clone(),
        received_on: command.received_on,
        discrepancies: command.discrepancies.clone(),
    }
    .into())
}

fn check_discrepancies(
    handover: &HandoverState,
    discrepancies: &[Discrepancy],
) -> Result<(), DomainError> {
    lists::unique(
        ListKind::Discrepancies,
        discrepancies.iter().map(Discrepancy::file_code),
    )?;
    let listed: BTreeSet<&FileCode> = handover.files.iter().collect();
    for discrepancy in discrepancies {
        let file = discrepancy.file_code();
        match (discrepancy, listed.contains(file)) {
            (Discrepancy::NotOnList { .. }, true) => {
                return Err(DomainError::FileIsListed { file: file.clone() });
            }
            (Discrepancy::Missing { .. } | Discrepancy::Damaged { .. }, false) => {
                return Err(DomainError::FileNotListed { file: file.clone() });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Minutes not yet received can be cancelled, signed or not.
pub(super) fn cancel(
    state: &FondsState,
    command: &CancelHandover,
) -> Result<FondsEvent, DomainError> {
    let handover = open_handover(state, &command.handover_id)?;
    not_before(
        Act::HandoverCancellation,
        command.cancelled_on,
        handover.drafted_on,
    )?;
    Ok(HandoverCancelled {
        handover_id: command.handover_id,
        cancelled_by: command.cancelled_by.clone(),
        cancelled_on: command.cancelled_on,
        reason: command.reason.clone(),
    }
    .into())
}

/// Minutes that exist and are neither received nor cancelled.
fn open_handover<'a>(
    state: &'a FondsState,
    id: &HandoverId,
) -> Result<&'a HandoverState, DomainError> {
    opened(state)?;
    let handover = state.handover(id).ok_or_else(|| DomainError::NotFound {
        what: Entity::Handover,
        id: id.to_string(),
    })?;
    match handover.status {
        HandoverStatus::Received | HandoverStatus::Cancelled => {
            Err(DomainError::HandoverClosed { handover: *id })
        }
        HandoverStatus::Drafted | HandoverStatus::Signed => Ok(handover),
    }
}

fn signatory(expected: &UserId, given: &UserId) -> Result<(), DomainError> {
    if expected != given {
        return Err(DomainError::WrongSignatory {
            expected: expected.clone(),
            given: given.clone(),
        });
    }
    Ok(())
}

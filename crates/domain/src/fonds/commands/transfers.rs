//! Commands of a transfer to the provincial historical archive (nộp lưu): register the list,
//! the archive appraises it, the archive accepts (some files may be rejected).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::handovers::held_by;
use crate::error::{Act, DomainError, Entity, ListKind};
use crate::fonds::checks::{free_files, in_batch, not_before, opened};
use crate::fonds::events::{
    AppraisalOutcome, Batch, FondsEvent, RejectedFile, TransferAccepted, TransferListAppraised,
    TransferRegistered,
};
use crate::fonds::state::{FileState, FondsState, TransferState};
use crate::lists;
use crate::values::{AccessRegime, CustodianId, FileCode, FondsKind, Note, TransferId, UserId};

/// Đăng ký nộp lưu — registers the files proposed for transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The batch, when one transfer covers several fonds.
    pub batch: Option<Batch>,
    /// Who holds the files and transfers them.
    pub transferring_custodian: CustodianId,
    /// The historical archive.
    pub archive: CustodianId,
    /// The kind of every fonds in the transfer.
    pub declared_kind: FondsKind,
    /// The files proposed.
    pub file_codes: Vec<FileCode>,
    /// Who registers.
    pub registered_by: UserId,
    /// When.
    pub registered_on: NaiveDate,
}

/// Thẩm định mục lục — the archive records its appraisal of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppraiseTransferList {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The archivist.
    pub appraised_by: UserId,
    /// When.
    pub appraised_on: NaiveDate,
    /// Approved or rejected.
    pub outcome: AppraisalOutcome,
    /// Remarks.
    pub notes: Option<Note>,
}

/// Thu nộp — the archive accepts files and rejects the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The archivist.
    pub accepted_by: UserId,
    /// When.
    pub accepted_on: NaiveDate,
    /// Files taken by the archive.
    pub accepted: Vec<FileCode>,
    /// Files refused, with reasons.
    pub rejected: Vec<RejectedFile>,
}

/// A transfer of one kind of fonds, between two custodians, of free files the transferor holds,
/// all permanent and none secret.
pub(super) fn register(
    state: &FondsState,
    command: &RegisterTransfer,
) -> Result<FondsEvent, DomainError> {
    let fonds = opened(state)?;
    if state.transfer(&command.transfer_id).is_some() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Transfer,
            id: command.transfer_id.to_string(),
        });
    }
    in_batch(fonds, command.batch.as_ref())?;
    if command.declared_kind != fonds.kind {
        return Err(DomainError::MixedFondsKinds {
            declared: command.declared_kind,
            fonds: fonds.kind,
        });
    }
    if command.transferring_custodian == command.archive {
        return Err(DomainError::SameCustodian {
            custodian: command.archive.clone(),
        });
    }
    let files = free_files(state, &command.file_codes)?;
    held_by(&files, &command.transferring_custodian)?;
    files
        .iter()
        .try_for_each(|(code, file)| fit_for_archive(code, file))?;
    Ok(TransferRegistered {
        transfer_id: command.transfer_id,
        batch: command.batch.clone(),
        transferring_custodian: command.transferring_custodian.clone(),
        archive: command.archive.clone(),
        declared_kind: command.declared_kind,
        file_codes: command.file_codes.clone(),
        registered_by: command.registered_by.clone(),
        registered_on: command.registered_on,
    }
    .into())
}

/// Only permanent files go to a historical archive, and secret ones only once declassified.
fn fit_for_archive(code: &FileCode, file: &FileState) -> Result<(), DomainError> {
    if !file.retention.is_permanent() {
        return Err(DomainError::NotPermanent {
            file: code.clone(),
            retention: file.retention,
        });
    }
    if file.access == AccessRegime::Secret {
        return Err(DomainError::SecretNotDeclassified { file: code.clone() });
    }
    Ok(())
}

/// The archive appraises an open transfer's list once, not before registration.
pub(super) fn appraise(
    state: &FondsState,
    command: &AppraiseTransferList,
) -> Result<FondsEvent, DomainError> {
    let transfer = open_transfer(state, &command.transfer_id)?;
    if transfer.appraisal.is_some() {
        return Err(DomainError::TransferAlreadyAppraised {
            transfer: command.transfer_id,
        });
    }
    not_before(
        Act::TransferAppraisal,
        command.appraised_on,
        transfer.registered_on,
    )?;
    Ok(TransferListAppraised {
        transfer_id: command.transfer_id,
        appraised_by: command.appraised_by.clone(),
        appraised_on: command.appraised_on,
        outcome: command.outcome,
        notes: command.notes.clone(),
    }
    .into())
}

/// Acceptance follows appraisal; a rejected list accepts nothing; accepted and rejected files
/// together are exactly the list.
pub(super) fn accept(
    state: &FondsState,
    command: &AcceptTransfer,
) -> Result<FondsEvent, DomainError> {
    let transfer = open_transfer(state, &command.transfer_id)?;
    let Some(appraisal) = transfer.appraisal else {
        return Err(DomainError::TransferNotAppraised {
            transfer: command.transfer_id,
        });
    };
    not_before(
        Act::TransferAcceptance,
        command.accepted_on,
        appraisal.appraised_on,
    )?;
    if appraisal.outcome == AppraisalOutcome::Rejected && !command.accepted.is_empty() {
        return Err(DomainError::TransferListRejected {
            transfer: command.transfer_id,
        });
    }
    let decided: Vec<&FileCode> = command
        .accepted
        .iter()
        .chain(command.rejected.iter().map(|rejected| &rejected.file_code))
        .collect();
    partition(state, transfer, &decided)?;
    Ok(TransferAccepted {
        transfer_id: command.transfer_id,
        accepted_by: command.accepted_by.clone(),
        accepted_on: command.accepted_on,
        accepted: command.accepted.clone(),
        rejected: command.rejected.clone(),
    }
    .into())
}

/// Every decided file once, each recorded and listed, and every listed file decided.
fn partition(
    state: &FondsState,
    transfer: &TransferState,
    decided: &[&FileCode],
) -> Result<(), DomainError> {
    lists::unique(ListKind::Files, decided.iter().copied())?;
    let listed: BTreeSet<&FileCode> = transfer.files.iter().collect();
    for code in decided {
        if state.file(code).is_none() {
            return Err(DomainError::FileNotFound {
                file: (*code).clone(),
            });
        }
        if !listed.contains(code) {
            return Err(DomainError::FileNotListed {
                file: (*code).clone(),
            });
        }
    }
    let decided: BTreeSet<&FileCode> = decided.iter().copied().collect();
    let missing: Vec<FileCode> = listed
        .difference(&decided)
        .map(|code| (*code).clone())
        .collect();
    if !missing.is_empty() {
        return Err(DomainError::NotAPartition { missing });
    }
    Ok(())
}

/// A transfer that exists and is not accepted yet.
fn open_transfer<'a>(
    state: &'a FondsState,
    id: &TransferId,
) -> Result<&'a TransferState, DomainError> {
    opened(state)?;
    let transfer = state.transfer(id).ok_or_else(|| DomainError::NotFound {
        what: Entity::Transfer,
        id: id.to_string(),
    })?;
    if transfer.accepted {
        return Err(DomainError::TransferClosed { transfer: *id });
    }
    Ok(transfer)
}

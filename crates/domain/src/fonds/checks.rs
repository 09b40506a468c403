//! Checks shared by the fonds commands: the fonds is open, files exist and are free, lists are
//! well formed, dates are in order.

use chrono::NaiveDate;

use super::events::Batch;
use super::state::{FileState, FileStatus, FondsRecord, FondsState};
use crate::error::{Act, DomainError, Entity, ListKind};
use crate::lists;
use crate::values::FileCode;

/// The fonds, if opened; every command but opening needs it.
pub(crate) fn opened(state: &FondsState) -> Result<&FondsRecord, DomainError> {
    state.fonds().ok_or(DomainError::NotFound {
        what: Entity::Fonds,
        id: String::new(),
    })
}

/// A recorded file.
pub(crate) fn file<'a>(
    state: &'a FondsState,
    code: &FileCode,
) -> Result<&'a FileState, DomainError> {
    state
        .file(code)
        .ok_or_else(|| DomainError::FileNotFound { file: code.clone() })
}

/// Refuses a file that is not held and free: listed in an open process, transferred,
/// destroyed or missing. This one check makes "at most one open process per file" hold.
pub(crate) fn in_custody(code: &FileCode, file: &FileState) -> Result<(), DomainError> {
    let file_code = code.clone();
    let error = match file.status {
        FileStatus::InCustody => return Ok(()),
        FileStatus::InHandover(handover) => DomainError::FileInOpenHandover {
            file: file_code,
            handover,
        },
        FileStatus::InTransfer(transfer) => DomainError::FileInOpenTransfer {
            file: file_code,
            transfer,
        },
        FileStatus::InDestruction(destruction) => DomainError::FileInOpenDestruction {
            file: file_code,
            destruction,
        },
        FileStatus::Transferred => DomainError::FileTransferred { file: file_code },
        FileStatus::Destroyed => DomainError::FileDestroyed { file: file_code },
        FileStatus::Missing => DomainError::FileMissing { file: file_code },
    };
    Err(error)
}

/// Refuses changing the description of a destroyed file or of one listed in an open process
/// (its list was checked against the file as it stood). Transferred and missing files may
/// still be described: the archive corrects and declassifies what it holds.
pub(crate) fn not_frozen(code: &FileCode, file: &FileState) -> Result<(), DomainError> {
    match file.status {
        FileStatus::Transferred | FileStatus::Missing => Ok(()),
        _ => in_custody(code, file),
    }
}

/// Refuses a destroyed file.
pub(crate) fn not_destroyed(code: &FileCode, file: &FileState) -> Result<(), DomainError> {
    if file.status == FileStatus::Destroyed {
        return Err(DomainError::FileDestroyed { file: code.clone() });
    }
    Ok(())
}

/// The files of a new handover, transfer or destruction list: something listed, nothing
/// twice, every file recorded and free.
pub(crate) fn free_files<'a>(
    state: &'a FondsState,
    codes: &'a [FileCode],
) -> Result<Vec<(&'a FileCode, &'a FileState)>, DomainError> {
    lists::non_empty_unique(ListKind::Files, codes)?;
    let mut files = Vec::with_capacity(codes.len());
    for code in codes {
        let file = file(state, code)?;
        in_custody(code, file)?;
        files.push((code, file));
    }
    Ok(files)
}

/// A batch must list this fonds, and no fonds twice.
pub(crate) fn in_batch(fonds: &FondsRecord, batch: Option<&Batch>) -> Result<(), DomainError> {
    let Some(batch) = batch else {
        return Ok(());
    };
    lists::unique(ListKind::BatchFonds, &batch.fonds_codes)?;
    if !batch.fonds_codes.contains(&fonds.fonds_code) {
        return Err(DomainError::FondsNotInBatch {
            fonds: fonds.fonds_code.clone(),
        });
    }
    Ok(())
}

/// Refuses an act dated before the one it follows.
pub(crate) fn not_before(
    act: Act,
    date: NaiveDate,
    earliest: NaiveDate,
) -> Result<(), DomainError> {
    if date < earliest {
        return Err(DomainError::DateOutOfOrder {
            act,
            date,
            earliest,
        });
    }
    Ok(())
}

/// Refuses an end date before the start date.
pub(crate) fn dates_in_order(
    start_date: NaiveDate,
    end_date: NaiveDate,
) -> Result<(), DomainError> {
    if end_date < start_date {
        return Err(DomainError::EndBeforeStart {
            start_date,
            end_date,
        });
    }
    Ok(())
}

/// Refuses a file ending after the fonds closed: what the creator made after it ended is not
/// part of its fonds.
pub(crate) fn not_after_closure(
    fonds: &FondsRecord,
    code: &FileCode,
    end_date: NaiveDate,
) -> Result<(), DomainError> {
    match fonds.closed_on {
        Some(closed_on) if end_date > closed_on => Err(DomainError::FileAfterClosure {
            file: code.clone(),
            end_date,
            closed_on,
        }),
        _ => Ok(()),
    }
}

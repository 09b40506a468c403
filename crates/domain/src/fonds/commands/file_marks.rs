//! Commands that mark a file's physical state: missing, damaged, found, unfinished work.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ListKind};
use crate::fonds::checks::{file, in_custody, not_destroyed, not_frozen, opened};
use crate::fonds::events::{
    FileFlaggedUnfinished, FileFound, FileMarkedDamaged, FileMarkedMissing, FondsEvent,
};
use crate::fonds::state::{FileStatus, FondsState};
use crate::lists;
use crate::values::{FileCode, Note};

/// Báo thất lạc — marks a held file missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkFileMissing {
    /// The file.
    pub file_code: FileCode,
    /// The day it was found missing.
    pub noted_on: NaiveDate,
}

/// Báo hư hỏng — marks a file damaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkFileDamaged {
    /// The file.
    pub file_code: FileCode,
    /// What is damaged.
    pub description: Note,
    /// The day the damage was noted.
    pub noted_on: NaiveDate,
}

/// Tìm thấy — marks a missing file found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkFileFound {
    /// The file.
    pub file_code: FileCode,
    /// The day it was found.
    pub found_on: NaiveDate,
}

/// Đánh dấu hồ sơ công việc chưa giải quyết xong — flags a file of unfinished work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagUnfinished {
    /// The file.
    pub file_code: FileCode,
    /// The tasks still open; at least one.
    pub tasks: Vec<Note>,
}

/// Only a file held and free can go missing; one in a handover is reported on receipt instead.
pub(super) fn mark_missing(
    state: &FondsState,
    command: &MarkFileMissing,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    in_custody(code, file(state, code)?)?;
    Ok(FileMarkedMissing {
        file_code: code.clone(),
        noted_on: command.noted_on,
    }
    .into())
}

/// Damage is noted on any file that exists and can be seen.
pub(super) fn mark_damaged(
    state: &FondsState,
    command: &MarkFileDamaged,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    let file = file(state, code)?;
    not_destroyed(code, file)?;
    if file.status == FileStatus::Missing {
        return Err(DomainError::FileMissing { file: code.clone() });
    }
    Ok(FileMarkedDamaged {
        file_code: code.clone(),
        description: command.description.clone(),
        noted_on: command.noted_on,
    }
    .into())
}

/// Only a missing file can be found.
pub(super) fn mark_found(
    state: &FondsState,
    command: &MarkFileFound,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    if file(state, code)?.status != FileStatus::Missing {
        return Err(DomainError::FileNotMissing { file: code.clone() });
    }
    Ok(FileFound {
        file_code: code.clone(),
        found_on: command.found_on,
    }
    .into())
}

/// An unfinished-work file names at least one open task.
pub(super) fn flag_unfinished(
    state: &FondsState,
    command: &FlagUnfinished,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    not_frozen(code, file(state, code)?)?;
    lists::non_empty(ListKind::UnfinishedTasks, &command.tasks)?;
    Ok(FileFlaggedUnfinished {
        file_code: code.clone(),
        tasks: command.tasks.clone(),
    }
    .into())
}

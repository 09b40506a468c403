//! Commands that record and describe files: record, correct, appraise, digitise, declassify.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Entity, ValueError, ValueProblem};
use crate::fonds::checks::{
    dates_in_order, file, not_after_closure, not_destroyed, not_frozen, opened,
};
use crate::fonds::events::{
    Correction, FileCorrected, FileDeclassified, FileDigitised, FileRecorded,
    FileRetentionAppraised, FondsEvent,
};
use crate::fonds::fingerprint;
use crate::fonds::state::{FileState, FondsRecord, FondsState};
use crate::values::{
    AccessRegime, BoxNumber, Carrier, CustodianId, FileCode, LegalBasis, Name, Note,
    RetentionPeriod, Sha256Hex, Title,
};

/// Lập hồ sơ — records a file in the fonds' inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordFile {
    /// Mã hồ sơ: the creator's organ id, the year and the file's notation, before and after
    /// closure alike.
    pub file_code: FileCode,
    /// Tiêu đề.
    pub title: Title,
    /// Date of the earliest document.
    pub start_date: NaiveDate,
    /// Date of the latest document.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản.
    pub retention: RetentionPeriod,
    /// Chế độ sử dụng.
    pub access: AccessRegime,
    /// Carrier.
    pub carrier: Carrier,
    /// Hộp số.
    pub box_number: Option<BoxNumber>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Ngôn ngữ.
    pub language: Name,
    /// Ghi chú.
    pub notes: Option<Note>,
    /// Who holds the file: always the fonds' current holder ([`FondsRecord::custodian`]); it may
    /// be left out, and naming anyone else is refused — custody moves only by a handover or a
    /// transfer, never by writing it on a new file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custodian: Option<CustodianId>,
    /// Hồ sơ số: the file's number in the list it came from, as that list wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_number: Option<u32>,
}

/// Đính chính — corrects one field; the old value must be the file's current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectFile {
    /// The file.
    pub file_code: FileCode,
    /// The field with its current and corrected values.
    pub correction: Correction,
}

/// Xác định lại thời hạn bảo quản — sets a new retention period by appraisal decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppraiseRetention {
    /// The file.
    pub file_code: FileCode,
    /// The period decided.
    pub new_retention: RetentionPeriod,
    /// The appraisal decision.
    pub decision: LegalBasis,
}

/// Số hóa — records a digital copy of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigitiseFile {
    /// The file.
    pub file_code: FileCode,
    /// SHA-256 of the copy.
    pub sha256: Sha256Hex,
    /// Its size in bytes, more than zero.
    pub size_bytes: u64,
    /// Its format.
    pub format: Name,
    /// The day it was made.
    pub digitised_on: NaiveDate,
}

/// Giải mật — lowers a secret file's access regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclassifyFile {
    /// The file.
    pub file_code: FileCode,
    /// Open or conditional.
    pub new_access: AccessRegime,
    /// The declassification decision.
    pub decision: LegalBasis,
}

/// A file code is recorded once, with the prefix the fonds' state requires, dates in order,
/// and (in a closed fonds) no later than the closure.
pub(super) fn record(state: &FondsState, command: &RecordFile) -> Result<FondsEvent, DomainError> {
    let fonds = opened(state)?;
    let code = &command.file_code;
    if let Some((existing, _)) = state.file_with_identity(code) {
        return Err(DomainError::AlreadyExists {
            what: Entity::File,
            id: existing.to_string(),
        });
    }
    check_prefix(fonds, code)?;
    dates_in_order(command.start_date, command.end_date)?;
    not_after_closure(fonds, code, command.end_date)?;
    if let Some(claimed) = &command.custodian
        && *claimed != fonds.custodian
    {
        return Err(DomainError::NotFondsCustodian {
            custodian: fonds.custodian.clone(),
            claimed: claimed.clone(),
        });
    }
    Ok(FileRecorded {
        file_code: code.clone(),
        title: command.title.clone(),
        start_date: command.start_date,
        end_date: command.end_date,
        retention: command.retention,
        access: command.access,
        carrier: command.carrier,
        box_number: command.box_number.clone(),
        sheets: command.sheets,
        language: command.language.clone(),
        notes: command.notes.clone(),
        custodian: fonds.custodian.clone(),
        list_number: command.list_number,
    }
    .into())
}

/// Decree 30, Annex VI: a file code is the creator's organ id, the year and the file's notation,
/// and it stays the file's code for its whole life — before and after the fonds is closed — so
/// that a list imported again after closure finds its files, and one code answers for one file.
/// (Files recorded by earlier versions after closure kept the fonds code as prefix; they keep
/// their codes, and [`FondsState::file_with_identity`] still finds them by year and notation.)
fn check_prefix(fonds: &FondsRecord, code: &FileCode) -> Result<(), DomainError> {
    let expected = fonds.creator_organ_id.as_str();
    if code.prefix() != expected {
        return Err(DomainError::WrongFileCodePrefix {
            file: code.clone(),
            expected: expected.to_owned(),
        });
    }
    Ok(())
}

/// A correction names the current value, changes it, and keeps dates consistent.
pub(super) fn correct(
    state: &FondsState,
    command: &CorrectFile,
) -> Result<FondsEvent, DomainError> {
    let fonds = opened(state)?;
    let code = &command.file_code;
    let file = file(state, code)?;
    not_frozen(code, file)?;
    if !is_current(file, &command.correction) {
        return Err(DomainError::StaleValue {
            file: code.clone(),
            field: command.correction.field(),
        });
    }
    if !command.correction.changes_value() {
        return Err(DomainError::NoChange { file: code.clone() });
    }
    match &command.correction {
        Correction::StartDate { new_value, .. } => dates_in_order(*new_value, file.end_date)?,
        Correction::EndDate { new_value, .. } => {
            dates_in_order(file.start_date, *new_value)?;
            not_after_closure(fonds, code, *new_value)?;
        }
        _ => {}
    }
    Ok(FileCorrected {
        file_code: code.clone(),
        correction: command.correction.clone(),
    }
    .into())
}

/// Whether the correction's old value is the file's current value. Titles and notes are
/// compared by fingerprint, as the state keeps no text.
fn is_current(file: &FileState, correction: &Correction) -> bool {
    match correction {
        Correction::Title { old_value, .. } => {
            fingerprint::of(old_value.as_str()) == file.title_print
        }
        Correction::Notes { old_value, .. } => {
            fingerprint::of_option(old_value.as_ref().map(Note::as_str)) == file.notes_print
        }
        Correction::BoxNumber { old_value, .. } => *old_value == file.box_number,
        Correction::Sheets { old_value, .. } => *old_value == file.sheets,
        Correction::StartDate { old_value, .. } => *old_value == file.start_date,
        Correction::EndDate { old_value, .. } => *old_value == file.end_date,
    }
}

/// An appraisal changes the retention period of a file that is not frozen.
pub(super) fn appraise(
    state: &FondsState,
    command: &AppraiseRetention,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    let file = file(state, code)?;
    not_frozen(code, file)?;
    if file.retention == command.new_retention {
        return Err(DomainError::NoChange { file: code.clone() });
    }
    Ok(FileRetentionAppraised {
        file_code: code.clone(),
        old_retention: file.retention,
        new_retention: command.new_retention,
        decision: command.decision.clone(),
    }
    .into())
}

/// Any file that still exists may be digitised, more than once.
pub(super) fn digitise(
    state: &FondsState,
    command: &DigitiseFile,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    not_destroyed(code, file(state, code)?)?;
    if command.size_bytes == 0 {
        let problem = ValueProblem::Format {
            vi: "số byte lớn hơn 0",
            en: "a size above zero bytes",
        };
        return Err(ValueError::new("size_bytes", "0", problem).into());
    }
    Ok(FileDigitised {
        file_code: code.clone(),
        sha256: command.sha256.clone(),
        size_bytes: command.size_bytes,
        format: command.format.clone(),
        digitised_on: command.digitised_on,
    }
    .into())
}

/// Only a secret file is declassified, to open or conditional access.
pub(super) fn declassify(
    state: &FondsState,
    command: &DeclassifyFile,
) -> Result<FondsEvent, DomainError> {
    opened(state)?;
    let code = &command.file_code;
    let file = file(state, code)?;
    not_frozen(code, file)?;
    if file.access != AccessRegime::Secret {
        return Err(DomainError::NotSecret { file: code.clone() });
    }
    if command.new_access == AccessRegime::Secret {
        return Err(DomainError::NoChange { file: code.clone() });
    }
    Ok(FileDeclassified {
        file_code: code.clone(),
        new_access: command.new_access,
        decision: command.decision.clone(),
    }
    .into())
}

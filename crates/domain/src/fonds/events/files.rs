//! Events that record and describe files (hồ sơ).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use crate::values::{
    AccessRegime, BoxNumber, Carrier, CustodianId, FileCode, LegalBasis, Name, Note,
    RetentionPeriod, Sha256Hex, Title,
};

/// Lập hồ sơ — a file entered in the fonds' inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FileRecorded", try_from = "records::FileRecorded")]
pub struct FileRecorded {
    /// Mã hồ sơ.
    pub file_code: FileCode,
    /// Tiêu đề hồ sơ.
    pub title: Title,
    /// Date of the earliest document.
    pub start_date: NaiveDate,
    /// Date of the latest document.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản.
    pub retention: RetentionPeriod,
    /// Chế độ sử dụng.
    pub access: AccessRegime,
    /// Carrier of the records.
    pub carrier: Carrier,
    /// Hộp số, for paper files.
    pub box_number: Option<BoxNumber>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Ngôn ngữ, e.g. "Tiếng Việt".
    pub language: Name,
    /// Ghi chú.
    pub notes: Option<Note>,
    /// Who holds the file when it is recorded.
    pub custodian: CustodianId,
    /// Hồ sơ số: the file's number in the list it came from, as that list wrote it; absent
    /// when the file was not recorded from a list (and in events stored before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_number: Option<u32>,
}

/// Đính chính — a correction of one field, keeping the old value (changes stay traceable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FileCorrected", try_from = "records::FileCorrected")]
pub struct FileCorrected {
    /// The file.
    pub file_code: FileCode,
    /// The field, its old value and its new value.
    pub correction: Correction,
}

/// One corrected field with its old and new values.
/// Stored as `{"field":"sheets","old_value":12,"new_value":14}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Correction {
    /// Tiêu đề.
    Title {
        /// The title as it was.
        old_value: Title,
        /// The title as corrected.
        new_value: Title,
    },
    /// Ghi chú.
    Notes {
        /// The notes as they were.
        old_value: Option<Note>,
        /// The notes as corrected.
        new_value: Option<Note>,
    },
    /// Hộp số.
    BoxNumber {
        /// The box as it was.
        old_value: Option<BoxNumber>,
        /// The box as corrected.
        new_value: Option<BoxNumber>,
    },
    /// Số tờ.
    Sheets {
        /// The count as it was.
        old_value: Option<u32>,
        /// The count as corrected.
        new_value: Option<u32>,
    },
    /// Ngày bắt đầu.
    StartDate {
        /// The date as it was.
        old_value: NaiveDate,
        /// The date as corrected.
        new_value: NaiveDate,
    },
    /// Ngày kết thúc.
    EndDate {
        /// The date as it was.
        old_value: NaiveDate,
        /// The date as corrected.
        new_value: NaiveDate,
    },
}

impl Correction {
    /// The stored name of the corrected field.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Title { .. } => "title",
            Self::Notes { .. } => "notes",
            Self::BoxNumber { .. } => "box_number",
            Self::Sheets { .. } => "sheets",
            Self::StartDate { .. } => "start_date",
            Self::EndDate { .. } => "end_date",
        }
    }

    /// Whether the new value differs from the old one.
    pub fn changes_value(&self) -> bool {
        match self {
            Self::Title {
                old_value,
                new_value,
            } => old_value != new_value,
            Self::Notes {
                old_value,
                new_value,
            } => old_value != new_value,
            Self::BoxNumber {
                old_value,
                new_value,
            } => old_value != new_value,
            Self::Sheets {
                old_value,
                new_value,
            } => old_value != new_value,
            Self::StartDate {
                old_value,
                new_value,
            } => old_value != new_value,
            Self::EndDate {
                old_value,
                new_value,
            } => old_value != new_value,
        }
    }
}

/// Xác định lại thời hạn bảo quản — the appraisal council set a new retention period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::FileRetentionAppraised",
    try_from = "records::FileRetentionAppraised"
)]
pub struct FileRetentionAppraised {
    /// The file.
    pub file_code: FileCode,
    /// The period before.
    pub old_retention: RetentionPeriod,
    /// The period decided.
    pub new_retention: RetentionPeriod,
    /// The appraisal decision.
    pub decision: LegalBasis,
}

/// Số hóa — a digital copy of the file was made, with its fixity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FileDigitised", try_from = "records::FileDigitised")]
pub struct FileDigitised {
    /// The file.
    pub file_code: FileCode,
    /// SHA-256 of the digital copy.
    pub sha256: Sha256Hex,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its format, e.g. "PDF/A-2b".
    pub format: Name,
    /// The day it was made.
    pub digitised_on: NaiveDate,
}

/// Giải mật — a secret file's access regime was lowered by a declassification decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::FileDeclassified",
    try_from = "records::FileDeclassified"
)]
pub struct FileDeclassified {
    /// The file.
    pub file_code: FileCode,
    /// The access regime from now on (open or conditional).
    pub new_access: AccessRegime,
    /// The declassification decision.
    pub decision: LegalBasis,
}

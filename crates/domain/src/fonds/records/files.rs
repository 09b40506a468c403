//! Stored records of the events describing a file: recorded, corrected, appraised, digitised,
//! declassified.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CarrierRecord, LegalBasisRecord, RetentionRecord, access_text, access_value};
use crate::error::ValueError;
use crate::fonds::events::{self, Correction};
use crate::records::{optional, text, value};

/// Stored [`events::FileRecorded`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecorded {
    /// Mã hồ sơ.
    pub file_code: String,
    /// Tiêu đề.
    pub title: String,
    /// Ngày bắt đầu.
    pub start_date: NaiveDate,
    /// Ngày kết thúc.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản.
    pub retention: RetentionRecord,
    /// Chế độ sử dụng, as its code.
    pub access: String,
    /// Vật mang tin.
    pub carrier: CarrierRecord,
    /// Hộp số.
    pub box_number: Option<String>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Ngôn ngữ.
    pub language: String,
    /// Ghi chú.
    pub notes: Option<String>,
    /// Who holds it.
    pub custodian: String,
    /// Hồ sơ số, when the list gave one (absent from files recorded before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_number: Option<u32>,
}

impl From<events::FileRecorded> for FileRecorded {
    fn from(e: events::FileRecorded) -> Self {
        Self {
            file_code: text(&e.file_code),
            title: text(&e.title),
            start_date: e.start_date,
            end_date: e.end_date,
            retention: e.retention.into(),
            access: access_text(e.access),
            carrier: e.carrier.into(),
            box_number: e.box_number.as_ref().map(text),
            sheets: e.sheets,
            language: text(&e.language),
            notes: e.notes.as_ref().map(text),
            custodian: text(&e.custodian),
            list_number: e.list_number,
        }
    }
}

impl TryFrom<FileRecorded> for events::FileRecorded {
    type Error = ValueError;
    fn try_from(r: FileRecorded) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            title: value(r.title)?,
            start_date: r.start_date,
            end_date: r.end_date,
            retention: r.retention.try_into()?,
            access: access_value(r.access)?,
            carrier: r.carrier.into(),
            box_number: optional(r.box_number)?,
            sheets: r.sheets,
            language: value(r.language)?,
            notes: optional(r.notes)?,
            custodian: value(r.custodian)?,
            list_number: r.list_number,
        })
    }
}

/// Stored [`Correction`]: which field, its old and its new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum CorrectionRecord {
    /// Tiêu đề.
    Title {
        /// Before.
        old_value: String,
        /// After.
        new_value: String,
    },
    /// Ghi chú.
    Notes {
        /// Before.
        old_value: Option<String>,
        /// After.
        new_value: Option<String>,
    },
    /// Hộp số.
    BoxNumber {
        /// Before.
        old_value: Option<String>,
        /// After.
        new_value: Option<String>,
    },
    /// Số tờ.
    Sheets {
        /// Before.
        old_value: Option<u32>,
        /// After.
        new_value: Option<u32>,
    },
    /// Ngày bắt đầu.
    StartDate {
        /// Before.
        old_value: NaiveDate,
        /// After.
        new_value: NaiveDate,
    },
    /// Ngày kết thúc.
    EndDate {
        /// Before.
        old_value: NaiveDate,
        /// After.
        new_value: NaiveDate,
    },
}

impl From<Correction> for CorrectionRecord {
    fn from(c: Correction) -> Self {
        match c {
            Correction::Title {
                old_value,
                new_value,
            } => Self::Title {
                old_value: text(&old_value),
                new_value: text(&new_value),
            },
            Correction::Notes {
                old_value,
                new_value,
            } => Self::Notes {
                old_value: old_value.as_ref().map(text),
                new_value: new_value.as_ref().map(text),
            },
            Correction::BoxNumber {
                old_value,
                new_value,
            } => Self::BoxNumber {
                old_value: old_value.as_ref().map(text),
                new_value: new_value.as_ref().map(text),
            },
            Correction::Sheets {
                old_value,
                new_value,
            } => Self::Sheets {
                old_value,
                new_value,
            },
            Correction::StartDate {
                old_value,
                new_value,
            } => Self::StartDate {
                old_value,
                new_value,
            },
            Correction::EndDate {
                old_value,
                new_value,
            } => Self::EndDate {
                old_value,
                new_value,
            },
        }
    }
}

impl TryFrom<CorrectionRecord> for Correction {
    type Error = ValueError;
    fn try_from(r: CorrectionRecord) -> Result<Self, ValueError> {
        Ok(match r {
            CorrectionRecord::Title {
                old_value,
                new_value,
            } => Self::Title {
                old_value: value(old_value)?,
                new_value: value(new_value)?,
            },
            CorrectionRecord::Notes {
                old_value,
                new_value,
            } => Self::Notes {
                old_value: optional(old_value)?,
                new_value: optional(new_value)?,
            },
            CorrectionRecord::BoxNumber {
                old_value,
                new_value,
            } => Self::BoxNumber {
                old_value: optional(old_value)?,
                new_value: optional(new_value)?,
            },
            CorrectionRecord::Sheets {
                old_value,
                new_value,
            } => Self::Sheets {
                old_value,
                new_value,
            },
            CorrectionRecord::StartDate {
                old_value,
                new_value,
            } => Self::StartDate {
                old_value,
                new_value,
            },
            CorrectionRecord::EndDate {
                old_value,
                new_value,
            } => Self::EndDate {
                old_value,
                new_value,
            },
        })
    }
}

/// Stored [`events::FileCorrected`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCorrected {
    /// The file.
    pub file_code: String,
    /// What changed.
    pub correction: CorrectionRecord,
}

impl From<events::FileCorrected> for FileCorrected {
    fn from(e: events::FileCorrected) -> Self {
        Self {
            file_code: text(&e.file_code),
            correction: e.correction.into(),
        }
    }
}

impl TryFrom<FileCorrected> for events::FileCorrected {
    type Error = ValueError;
    fn try_from(r: FileCorrected) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            correction: r.correction.try_into()?,
        })
    }
}

/// Stored [`events::FileRetentionAppraised`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRetentionAppraised {
    /// The file.
    pub file_code: String,
    /// Before.
    pub old_retention: RetentionRecord,
    /// After.
    pub new_retention: RetentionRecord,
    /// The appraisal council's decision.
    pub decision: LegalBasisRecord,
}

impl From<events::FileRetentionAppraised> for FileRetentionAppraised {
    fn from(e: events::FileRetentionAppraised) -> Self {
        Self {
            file_code: text(&e.file_code),
            old_retention: e.old_retention.into(),
            new_retention: e.new_retention.into(),
            decision: (&e.decision).into(),
        }
    }
}

impl TryFrom<FileRetentionAppraised> for events::FileRetentionAppraised {
    type Error = ValueError;
    fn try_from(r: FileRetentionAppraised) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            old_retention: r.old_retention.try_into()?,
            new_retention: r.new_retention.try_into()?,
            decision: r.decision.try_into()?,
        })
    }
}

/// Stored [`events::FileDigitised`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileDigitised {
    /// The file.
    pub file_code: String,
    /// SHA-256 of the copy, in hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its format.
    pub format: String,
    /// When.
    pub digitised_on: NaiveDate,
}

impl From<events::FileDigitised> for FileDigitised {
    fn from(e: events::FileDigitised) -> Self {
        Self {
            file_code: text(&e.file_code),
            sha256: text(&e.sha256),
            size_bytes: e.size_bytes,
            format: text(&e.format),
            digitised_on: e.digitised_on,
        }
    }
}

impl TryFrom<FileDigitised> for events::FileDigitised {
    type Error = ValueError;
    fn try_from(r: FileDigitised) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            sha256: value(r.sha256)?,
            size_bytes: r.size_bytes,
            format: value(r.format)?,
            digitised_on: r.digitised_on,
        })
    }
}

/// Stored [`events::FileDeclassified`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileDeclassified {
    /// The file.
    pub file_code: String,
    /// Its access regime from now on, as its code.
    pub new_access: String,
    /// The decision.
    pub decision: LegalBasisRecord,
}

impl From<events::FileDeclassified> for FileDeclassified {
    fn from(e: events::FileDeclassified) -> Self {
        Self {
            file_code: text(&e.file_code),
            new_access: access_text(e.new_access),
            decision: (&e.decision).into(),
        }
    }
}

impl TryFrom<FileDeclassified> for events::FileDeclassified {
    type Error = ValueError;
    fn try_from(r: FileDeclassified) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            new_access: access_value(r.new_access)?,
            decision: r.decision.try_into()?,
        })
    }
}

//! Stored records of the fonds' own events and of the marks on a file.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{FondsKindRecord, LegalBasisRecord};
use crate::error::ValueError;
use crate::fonds::events;
use crate::records::{text, texts, value, values};

/// Stored [`events::FondsOpened`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FondsOpened {
    /// Mã phông.
    pub fonds_code: String,
    /// Tên phông.
    pub name: String,
    /// Loại phông.
    pub kind: FondsKindRecord,
    /// Mã định danh cơ quan.
    pub creator_organ_id: String,
    /// Tên cơ quan hình thành phông.
    pub creator_name: String,
    /// The unit.
    pub unit_code: String,
    /// Who holds it.
    pub custodian: String,
    /// When.
    pub opened_on: NaiveDate,
}

impl From<events::FondsOpened> for FondsOpened {
    fn from(e: events::FondsOpened) -> Self {
        Self {
            fonds_code: text(&e.fonds_code),
            name: text(&e.name),
            kind: e.kind.into(),
            creator_organ_id: text(&e.creator_organ_id),
            creator_name: text(&e.creator_name),
            unit_code: text(&e.unit_code),
            custodian: text(&e.custodian),
            opened_on: e.opened_on,
        }
    }
}

impl TryFrom<FondsOpened> for events::FondsOpened {
    type Error = ValueError;
    fn try_from(r: FondsOpened) -> Result<Self, ValueError> {
        Ok(Self {
            fonds_code: value(r.fonds_code)?,
            name: value(r.name)?,
            kind: r.kind.into(),
            creator_organ_id: value(r.creator_organ_id)?,
            creator_name: value(r.creator_name)?,
            unit_code: value(r.unit_code)?,
            custodian: value(r.custodian)?,
            opened_on: r.opened_on,
        })
    }
}

/// Stored [`events::CreatorHistoryRecorded`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatorHistoryRecorded {
    /// Lịch sử đơn vị hình thành phông.
    pub history: String,
    /// When.
    pub recorded_on: NaiveDate,
}

impl From<events::CreatorHistoryRecorded> for CreatorHistoryRecorded {
    fn from(e: events::CreatorHistoryRecorded) -> Self {
        Self {
            history: text(&e.history),
            recorded_on: e.recorded_on,
        }
    }
}

impl TryFrom<CreatorHistoryRecorded> for events::CreatorHistoryRecorded {
    type Error = ValueError;
    fn try_from(r: CreatorHistoryRecorded) -> Result<Self, ValueError> {
        Ok(Self {
            history: value(r.history)?,
            recorded_on: r.recorded_on,
        })
    }
}

/// Stored [`events::FondsClosed`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FondsClosed {
    /// When.
    pub closed_on: NaiveDate,
    /// The act closing it.
    pub closing_act: LegalBasisRecord,
}

impl From<events::FondsClosed> for FondsClosed {
    fn from(e: events::FondsClosed) -> Self {
        Self {
            closed_on: e.closed_on,
            closing_act: (&e.closing_act).into(),
        }
    }
}

impl TryFrom<FondsClosed> for events::FondsClosed {
    type Error = ValueError;
    fn try_from(r: FondsClosed) -> Result<Self, ValueError> {
        Ok(Self {
            closed_on: r.closed_on,
            closing_act: r.closing_act.try_into()?,
        })
    }
}

/// Stored [`events::FileMarkedMissing`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMarkedMissing {
    /// The file.
    pub file_code: String,
    /// When.
    pub noted_on: NaiveDate,
}

impl From<events::FileMarkedMissing> for FileMarkedMissing {
    fn from(e: events::FileMarkedMissing) -> Self {
        Self {
            file_code: text(&e.file_code),
            noted_on: e.noted_on,
        }
    }
}

impl TryFrom<FileMarkedMissing> for events::FileMarkedMissing {
    type Error = ValueError;
    fn try_from(r: FileMarkedMissing) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            noted_on: r.noted_on,
        })
    }
}

/// Stored [`events::FileMarkedDamaged`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMarkedDamaged {
    /// The file.
    pub file_code: String,
    /// What is damaged.
    pub description: String,
    /// When.
    pub noted_on: NaiveDate,
}

impl From<events::FileMarkedDamaged> for FileMarkedDamaged {
    fn from(e: events::FileMarkedDamaged) -> Self {
        Self {
            file_code: text(&e.file_code),
            description: text(&e.description),
            noted_on: e.noted_on,
        }
    }
}

impl TryFrom<FileMarkedDamaged> for events::FileMarkedDamaged {
    type Error = ValueError;
    fn try_from(r: FileMarkedDamaged) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            description: value(r.description)?,
            noted_on: r.noted_on,
        })
    }
}

/// Stored [`events::FileFound`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFound {
    /// The file.
    pub file_code: String,
    /// When.
    pub found_on: NaiveDate,
}

impl From<events::FileFound> for FileFound {
    fn from(e: events::FileFound) -> Self {
        Self {
            file_code: text(&e.file_code),
            found_on: e.found_on,
        }
    }
}

impl TryFrom<FileFound> for events::FileFound {
    type Error = ValueError;
    fn try_from(r: FileFound) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            found_on: r.found_on,
        })
    }
}

/// Stored [`events::FileFlaggedUnfinished`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFlaggedUnfinished {
    /// The file.
    pub file_code: String,
    /// What remains to be done.
    pub tasks: Vec<String>,
}

impl From<events::FileFlaggedUnfinished> for FileFlaggedUnfinished {
    fn from(e: events::FileFlaggedUnfinished) -> Self {
        Self {
            file_code: text(&e.file_code),
            tasks: texts(&e.tasks),
        }
    }
}

impl TryFrom<FileFlaggedUnfinished> for events::FileFlaggedUnfinished {
    type Error = ValueError;
    fn try_from(r: FileFlaggedUnfinished) -> Result<Self, ValueError> {
        Ok(Self {
            file_code: value(r.file_code)?,
            tasks: values(r.tasks)?,
        })
    }
}

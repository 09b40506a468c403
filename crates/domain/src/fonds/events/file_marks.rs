//! Events that mark a file's physical state: missing, damaged, found, unfinished work.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use crate::values::{FileCode, Note};

/// Thất lạc — the file cannot be found; it stays with its custodian as missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::FileMarkedMissing",
    try_from = "records::FileMarkedMissing"
)]
pub struct FileMarkedMissing {
    /// The file.
    pub file_code: FileCode,
    /// The day it was found missing.
    pub noted_on: NaiveDate,
}

/// Hư hỏng — the file is damaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::FileMarkedDamaged",
    try_from = "records::FileMarkedDamaged"
)]
pub struct FileMarkedDamaged {
    /// The file.
    pub file_code: FileCode,
    /// What is damaged.
    pub description: Note,
    /// The day the damage was noted.
    pub noted_on: NaiveDate,
}

/// Tìm thấy — a missing file was found again, with its custodian.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FileFound", try_from = "records::FileFound")]
pub struct FileFound {
    /// The file.
    pub file_code: FileCode,
    /// The day it was found.
    pub found_on: NaiveDate,
}

/// Hồ sơ công việc chưa giải quyết xong — the file belongs to unfinished work and is packed apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::FileFlaggedUnfinished",
    try_from = "records::FileFlaggedUnfinished"
)]
pub struct FileFlaggedUnfinished {
    /// The file.
    pub file_code: FileCode,
    /// The tasks still open (danh mục công việc chưa giải quyết xong).
    pub tasks: Vec<Note>,
}

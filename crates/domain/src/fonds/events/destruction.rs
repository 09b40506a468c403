//! Events of the destruction of valueless records (hủy tài liệu hết giá trị, TT 06/2025):
//! never a delete; destroyed files stay in the fonds as tombstones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CopyTombstone;
use crate::fonds::records;
use crate::values::{DestructionId, FileCode, LegalBasis, Note, UserId};

/// Đề nghị hủy — a frozen list of expired files, with the appraisal council's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::DestructionProposed",
    try_from = "records::DestructionProposed"
)]
pub struct DestructionProposed {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// The files to destroy; this list never changes.
    pub file_codes: Vec<FileCode>,
    /// The appraisal council's decision.
    pub council_decision: LegalBasis,
    /// Who proposed.
    pub proposed_by: UserId,
    /// When.
    pub proposed_on: NaiveDate,
}

/// Duyệt hủy — a second, different person approved the destruction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::DestructionApproved",
    try_from = "records::DestructionApproved"
)]
pub struct DestructionApproved {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who approved.
    pub approved_by: UserId,
    /// When.
    pub approved_on: NaiveDate,
}

/// Thực hiện hủy — the files were destroyed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::DestructionExecuted",
    try_from = "records::DestructionExecuted"
)]
pub struct DestructionExecuted {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who carried it out.
    pub executed_by: UserId,
    /// When.
    pub executed_on: NaiveDate,
    /// The digital copies of the destroyed files, deleted from the blob store once this event
    /// is stored: each one's checksum kept as a tombstone (absent when there were none, as in
    /// every event stored before copies were kept).
    pub deleted_copies: Vec<CopyTombstone>,
}

/// Hủy bỏ đề nghị — the proposal was abandoned; its files are released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::DestructionCancelled",
    try_from = "records::DestructionCancelled"
)]
pub struct DestructionCancelled {
    /// The destruction.
    pub destruction_id: DestructionId,
    /// Who cancelled.
    pub cancelled_by: UserId,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: Note,
}

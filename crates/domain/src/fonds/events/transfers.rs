//! Events of a transfer to the provincial historical archive (nộp lưu).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use super::handovers::Batch;
use crate::values::{CustodianId, FileCode, FondsKind, Note, TransferId, UserId};

/// Đăng ký nộp lưu — the list of files proposed for transfer (TT 06/2025 Art. 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::TransferRegistered",
    try_from = "records::TransferRegistered"
)]
pub struct TransferRegistered {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The batch, when one transfer covers several fonds.
    pub batch: Option<Batch>,
    /// Who holds the files and transfers them.
    pub transferring_custodian: CustodianId,
    /// The historical archive receiving them.
    pub archive: CustodianId,
    /// The kind of every fonds in the transfer: State and Party never mix.
    pub declared_kind: FondsKind,
    /// The files proposed.
    pub file_codes: Vec<FileCode>,
    /// Who registered the transfer.
    pub registered_by: UserId,
    /// When.
    pub registered_on: NaiveDate,
}

/// Thẩm định mục lục — the archive checked the proposed list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::TransferListAppraised",
    try_from = "records::TransferListAppraised"
)]
pub struct TransferListAppraised {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The archivist who appraised.
    pub appraised_by: UserId,
    /// When.
    pub appraised_on: NaiveDate,
    /// The outcome.
    pub outcome: AppraisalOutcome,
    /// Remarks.
    pub notes: Option<Note>,
}

/// What the archive concluded about a proposed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppraisalOutcome {
    /// The list may be received (files may still be rejected one by one).
    Approved,
    /// The list is refused: no file will be accepted.
    Rejected,
}

/// Biên bản thu nộp — the archive took the accepted files; rejected ones stay with the transferor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::TransferAccepted",
    try_from = "records::TransferAccepted"
)]
pub struct TransferAccepted {
    /// The transfer.
    pub transfer_id: TransferId,
    /// The archivist who signed.
    pub accepted_by: UserId,
    /// When.
    pub accepted_on: NaiveDate,
    /// Files now held by the archive.
    pub accepted: Vec<FileCode>,
    /// Files refused, each with the reason.
    pub rejected: Vec<RejectedFile>,
}

/// A file the archive refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedFile {
    /// The file.
    pub file_code: FileCode,
    /// Why it was refused.
    pub reason: Note,
}

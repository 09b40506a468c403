//! Events of a handover (bàn giao): minutes drafted, signed by the giving side, received, or cancelled.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use crate::values::{
    BatchId, CustodianId, Extent, FileCode, FondsCode, HandoverId, LegalBasis, Note, UserId,
};

/// A batch: one act covering several fonds, recorded in each fonds' stream with the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Batch {
    /// The batch.
    pub batch_id: BatchId,
    /// Every fonds in the batch, so a projection can tell when all have been recorded.
    pub fonds_codes: Vec<FondsCode>,
}

/// Lập biên bản giao nhận — the minutes (Decree 30, Annex V) with the attached list of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::HandoverDrafted",
    try_from = "records::HandoverDrafted"
)]
pub struct HandoverDrafted {
    /// The minutes.
    pub handover_id: HandoverId,
    /// The batch, when one set of minutes covers several fonds.
    pub batch: Option<Batch>,
    /// Bên giao — who holds the files now.
    pub giving_custodian: CustodianId,
    /// Bên nhận — who will hold them.
    pub receiving_custodian: CustodianId,
    /// The person signing for the giving side.
    pub giving_person: UserId,
    /// The person signing for the receiving side.
    pub receiving_person: UserId,
    /// Căn cứ — the act ordering the handover.
    pub legal_basis: LegalBasis,
    /// Mục lục — the files handed over.
    pub file_codes: Vec<FileCode>,
    /// Number of files declared in the minutes.
    pub declared_files: u32,
    /// Boxes, sheets and shelf length declared in the minutes.
    pub declared_extent: Extent,
    /// Date of the minutes.
    pub drafted_on: NaiveDate,
}

/// Bên giao ký — the giving side signed the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::HandoverSigned", try_from = "records::HandoverSigned")]
pub struct HandoverSigned {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who signed.
    pub signed_by: UserId,
    /// When.
    pub signed_on: NaiveDate,
}

/// Bên nhận ký nhận — the receiving side checked the files and took custody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::HandoverReceived",
    try_from = "records::HandoverReceived"
)]
pub struct HandoverReceived {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who signed for the receiving side.
    pub received_by: UserId,
    /// When.
    pub received_on: NaiveDate,
    /// What did not match the list.
    pub discrepancies: Vec<Discrepancy>,
}

/// A difference between the list and what was handed over.
/// Stored as `{"kind":"damaged","file_code":"…","description":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Discrepancy {
    /// A listed file was not handed over: it stays with the giving side, marked missing.
    Missing {
        /// The file.
        file_code: FileCode,
    },
    /// A listed file arrived damaged: it passes to the receiving side, marked damaged.
    Damaged {
        /// The file.
        file_code: FileCode,
        /// What is damaged.
        description: Note,
    },
    /// A file presented that is not on the list: noted, custody unchanged.
    NotOnList {
        /// The file.
        file_code: FileCode,
    },
}

impl Discrepancy {
    /// The file the discrepancy is about.
    pub fn file_code(&self) -> &FileCode {
        match self {
            Self::Missing { file_code }
            | Self::Damaged { file_code, .. }
            | Self::NotOnList { file_code } => file_code,
        }
    }
}

/// Hủy biên bản — the minutes were abandoned before receipt; the files stay where they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::HandoverCancelled",
    try_from = "records::HandoverCancelled"
)]
pub struct HandoverCancelled {
    /// The minutes.
    pub handover_id: HandoverId,
    /// Who cancelled.
    pub cancelled_by: UserId,
    /// When.
    pub cancelled_on: NaiveDate,
    /// Why.
    pub reason: Note,
}

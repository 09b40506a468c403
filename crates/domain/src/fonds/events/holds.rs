//! Events of holds: an inspection or a dispute freezes files against destruction.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use crate::values::{FileCode, HoldId, LegalBasis, UserId};

/// Phong tỏa — files frozen for an inspection or a dispute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::HoldPlaced", try_from = "records::HoldPlaced")]
pub struct HoldPlaced {
    /// The hold.
    pub hold_id: HoldId,
    /// Why.
    pub reason: HoldReason,
    /// The files held.
    pub file_codes: Vec<FileCode>,
    /// The act ordering the hold.
    pub legal_basis: LegalBasis,
    /// Who placed it.
    pub placed_by: UserId,
    /// When.
    pub placed_on: NaiveDate,
}

/// Why files are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// Thanh tra, kiểm tra.
    Inspection,
    /// Tranh chấp, khiếu nại.
    Dispute,
}

/// Gỡ phong tỏa — the hold ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::HoldLifted", try_from = "records::HoldLifted")]
pub struct HoldLifted {
    /// The hold.
    pub hold_id: HoldId,
    /// Who lifted it.
    pub lifted_by: UserId,
    /// When.
    pub lifted_on: NaiveDate,
}

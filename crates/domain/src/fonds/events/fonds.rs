//! Events about the fonds itself: opened, its creator's history, closed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fonds::records;

use crate::values::{CustodianId, FondsCode, FondsKind, LegalBasis, Name, Note, OrganId, UnitCode};

/// Mở phông — the fonds of one creator, as first recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FondsOpened", try_from = "records::FondsOpened")]
pub struct FondsOpened {
    /// Mã phông.
    pub fonds_code: FondsCode,
    /// Tên phông.
    pub name: Name,
    /// State or Party.
    pub kind: FondsKind,
    /// The creator's organ id, the prefix of its file codes while the fonds is open.
    pub creator_organ_id: OrganId,
    /// The creator's name.
    pub creator_name: Name,
    /// The administrative unit the creator belongs to.
    pub unit_code: UnitCode,
    /// Who holds the fonds' records when it is opened.
    pub custodian: CustodianId,
    /// The day the fonds was opened.
    pub opened_on: NaiveDate,
}

/// Lịch sử đơn vị hình thành phông — a (new) text of the creator's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::CreatorHistoryRecorded",
    try_from = "records::CreatorHistoryRecorded"
)]
pub struct CreatorHistoryRecorded {
    /// The history.
    pub history: Note,
    /// The day it was written.
    pub recorded_on: NaiveDate,
}

/// Đóng phông — closes the fonds from the date its creator ended operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::FondsClosed", try_from = "records::FondsClosed")]
pub struct FondsClosed {
    /// The day the creator ended operations.
    pub closed_on: NaiveDate,
    /// The act closing the fonds.
    pub closing_act: LegalBasis,
}

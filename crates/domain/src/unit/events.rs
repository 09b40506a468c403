//! Events of the `unit-{code}` stream: a unit's life. They are stored as the plain records of
//! [`super::records`], the JSON contract.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::records;
use crate::event_enum;
use crate::values::{LegalBasis, Name, ReorganisationId, UnitCode, UnitLevel, UnitType};

/// Đăng ký đơn vị — a unit as it stands when the service first learns of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::UnitRegistered", try_from = "records::UnitRegistered")]
pub struct UnitRegistered {
    /// Its GSO code.
    pub code: UnitCode,
    /// Its name, e.g. "Huyện Pác Nặm".
    pub name: Name,
    /// Its level.
    pub level: UnitLevel,
    /// Its type.
    pub unit_type: UnitType,
    /// The unit it belongs to; none for a province.
    pub parent: Option<UnitCode>,
    /// The day it began to exist.
    pub valid_from: NaiveDate,
    /// The act that created it.
    pub legal_basis: LegalBasis,
}

/// Sáp nhập — this unit was merged into a successor and ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::UnitMergedInto", try_from = "records::UnitMergedInto")]
pub struct UnitMergedInto {
    /// The unit it merged into.
    pub successor: UnitCode,
    /// The day the merger took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasis,
    /// The merger, shared by every stream it touched.
    pub merger_id: ReorganisationId,
}

/// Hợp nhất — this new unit was formed by merging its predecessors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::UnitFormedByMerger",
    try_from = "records::UnitFormedByMerger"
)]
pub struct UnitFormedByMerger {
    /// Its GSO code.
    pub code: UnitCode,
    /// Its name.
    pub name: Name,
    /// Its level.
    pub level: UnitLevel,
    /// Its type.
    pub unit_type: UnitType,
    /// The unit it belongs to; none for a province.
    pub parent: Option<UnitCode>,
    /// The units merged into it.
    pub predecessors: Vec<UnitCode>,
    /// The day the merger took effect, and this unit began.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasis,
    /// The merger, shared by every stream it touched.
    pub merger_id: ReorganisationId,
}

/// Nhập vào — this existing unit absorbed its predecessors and carries on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::UnitAbsorbed", try_from = "records::UnitAbsorbed")]
pub struct UnitAbsorbed {
    /// The units merged into it.
    pub predecessors: Vec<UnitCode>,
    /// The day the merger took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasis,
    /// The merger, shared by every stream it touched.
    pub merger_id: ReorganisationId,
}

/// Chia — this unit was split into new units and ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::UnitSplitInto", try_from = "records::UnitSplitInto")]
pub struct UnitSplitInto {
    /// The new units.
    pub successors: Vec<UnitCode>,
    /// The day the split took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the split.
    pub legal_basis: LegalBasis,
    /// The split, shared by every stream it touched.
    pub split_id: ReorganisationId,
}

/// Thành lập do chia — this new unit was formed from part of its predecessor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    into = "records::UnitFormedBySplit",
    try_from = "records::UnitFormedBySplit"
)]
pub struct UnitFormedBySplit {
    /// Its GSO code.
    pub code: UnitCode,
    /// Its name.
    pub name: Name,
    /// Its level.
    pub level: UnitLevel,
    /// Its type.
    pub unit_type: UnitType,
    /// The unit it belongs to; none for a province.
    pub parent: Option<UnitCode>,
    /// The unit that was split.
    pub predecessor: UnitCode,
    /// The day the split took effect, and this unit began.
    pub effective_on: NaiveDate,
    /// The resolution ordering the split.
    pub legal_basis: LegalBasis,
    /// The split, shared by every stream it touched.
    pub split_id: ReorganisationId,
}

/// Kết thúc hoạt động — this unit ended without a successor unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "records::UnitEnded", try_from = "records::UnitEnded")]
pub struct UnitEnded {
    /// The day it ended.
    pub effective_on: NaiveDate,
    /// The resolution ending it.
    pub legal_basis: LegalBasis,
    /// Why it ended.
    pub reason: EndReason,
}

/// Why a unit ended without merging or splitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Giải thể — dissolved.
    Dissolved,
    /// Kết thúc do bỏ cấp — its whole tier was abolished (districts on 1 July 2025).
    TierAbolished,
}

event_enum! {
    /// Events of the `unit-{code}` stream.
    pub enum UnitEvent {
        UnitRegistered,
        UnitMergedInto,
        UnitFormedByMerger,
        UnitAbsorbed,
        UnitSplitInto,
        UnitFormedBySplit,
        UnitEnded,
    }
}

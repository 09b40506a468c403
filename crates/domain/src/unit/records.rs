//! The stored records of the unit events: plain serialisable data (strings, dates, lists and
//! enums of their own), the JSON contract of the `unit-{code}` streams. The events serialise
//! through these records, so changing how a domain value type serialises cannot change what is
//! stored; reading a record back checks every value with the value type's own parser.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::{self, EndReason};
use crate::error::ValueError;
pub use crate::records::LegalBasisRecord;
use crate::records::{texts, value, values};
use crate::values::{UnitLevel, UnitType};

/// The stored form of a unit's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelRecord {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện.
    District,
    /// Cấp xã.
    Commune,
}

impl From<UnitLevel> for LevelRecord {
    fn from(level: UnitLevel) -> Self {
        match level {
            UnitLevel::Province => Self::Province,
            UnitLevel::District => Self::District,
            UnitLevel::Commune => Self::Commune,
        }
    }
}

impl From<LevelRecord> for UnitLevel {
    fn from(level: LevelRecord) -> Self {
        match level {
            LevelRecord::Province => Self::Province,
            LevelRecord::District => Self::District,
            LevelRecord::Commune => Self::Commune,
        }
    }
}

/// The stored form of a unit's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeRecord {
    /// Tỉnh.
    Province,
    /// Thành phố trực thuộc trung ương.
    CentralCity,
    /// Huyện.
    District,
    /// Quận.
    UrbanDistrict,
    /// Thị xã.
    Town,
    /// Thành phố thuộc tỉnh.
    ProvincialCity,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Thị trấn.
    Township,
    /// Đặc khu.
    SpecialZone,
}

impl From<UnitType> for TypeRecord {
    fn from(unit_type: UnitType) -> Self {
        match unit_type {
            UnitType::Province => Self::Province,
            UnitType::CentralCity => Self::CentralCity,
            UnitType::District => Self::District,
            UnitType::UrbanDistrict => Self::UrbanDistrict,
            UnitType::Town => Self::Town,
            UnitType::ProvincialCity => Self::ProvincialCity,
            UnitType::Commune => Self::Commune,
            UnitType::Ward => Self::Ward,
            UnitType::Township => Self::Township,
            UnitType::SpecialZone => Self::SpecialZone,
        }
    }
}

impl From<TypeRecord> for UnitType {
    fn from(unit_type: TypeRecord) -> Self {
        match unit_type {
            TypeRecord::Province => Self::Province,
            TypeRecord::CentralCity => Self::CentralCity,
            TypeRecord::District => Self::District,
            TypeRecord::UrbanDistrict => Self::UrbanDistrict,
            TypeRecord::Town => Self::Town,
            TypeRecord::ProvincialCity => Self::ProvincialCity,
            TypeRecord::Commune => Self::Commune,
            TypeRecord::Ward => Self::Ward,
            TypeRecord::Township => Self::Township,
            TypeRecord::SpecialZone => Self::SpecialZone,
        }
    }
}

/// The stored form of why a unit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReasonRecord {
    /// Giải thể.
    Dissolved,
    /// Kết thúc do bỏ cấp.
    TierAbolished,
}

impl From<EndReason> for EndReasonRecord {
    fn from(reason: EndReason) -> Self {
        match reason {
            EndReason::Dissolved => Self::Dissolved,
            EndReason::TierAbolished => Self::TierAbolished,
        }
    }
}

impl From<EndReasonRecord> for EndReason {
    fn from(reason: EndReasonRecord) -> Self {
        match reason {
            EndReasonRecord::Dissolved => Self::Dissolved,
            EndReasonRecord::TierAbolished => Self::TierAbolished,
        }
    }
}

/// Stored `UnitRegistered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRegistered {
    /// Its GSO code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: LevelRecord,
    /// Its type.
    pub unit_type: TypeRecord,
    /// The unit it belongs to.
    pub parent: Option<String>,
    /// The day it began to exist.
    pub valid_from: NaiveDate,
    /// The act that created it.
    pub legal_basis: LegalBasisRecord,
}

impl From<events::UnitRegistered> for UnitRegistered {
    fn from(e: events::UnitRegistered) -> Self {
        Self {
            code: e.code.to_string(),
            name: e.name.to_string(),
            level: e.level.into(),
            unit_type: e.unit_type.into(),
            parent: e.parent.as_ref().map(ToString::to_string),
            valid_from: e.valid_from,
            legal_basis: (&e.legal_basis).into(),
        }
    }
}

impl TryFrom<UnitRegistered> for events::UnitRegistered {
    type Error = ValueError;
    fn try_from(r: UnitRegistered) -> Result<Self, ValueError> {
        Ok(Self {
            code: value(r.code)?,
            name: value(r.name)?,
            level: r.level.into(),
            unit_type: r.unit_type.into(),
            parent: r.parent.map(value).transpose()?,
            valid_from: r.valid_from,
            legal_basis: r.legal_basis.try_into()?,
        })
    }
}

/// Stored `UnitMergedInto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitMergedInto {
    /// The unit it merged into.
    pub successor: String,
    /// The day the merger took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasisRecord,
    /// The merger.
    pub merger_id: String,
}

impl From<events::UnitMergedInto> for UnitMergedInto {
    fn from(e: events::UnitMergedInto) -> Self {
        Self {
            successor: e.successor.to_string(),
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            merger_id: e.merger_id.to_string(),
        }
    }
}

impl TryFrom<UnitMergedInto> for events::UnitMergedInto {
    type Error = ValueError;
    fn try_from(r: UnitMergedInto) -> Result<Self, ValueError> {
        Ok(Self {
            successor: value(r.successor)?,
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            merger_id: value(r.merger_id)?,
        })
    }
}

/// Stored `UnitFormedByMerger`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFormedByMerger {
    /// Its GSO code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: LevelRecord,
    /// Its type.
    pub unit_type: TypeRecord,
    /// The unit it belongs to.
    pub parent: Option<String>,
    /// The units merged into it.
    pub predecessors: Vec<String>,
    /// The day the merger took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasisRecord,
    /// The merger.
    pub merger_id: String,
}

impl From<events::UnitFormedByMerger> for UnitFormedByMerger {
    fn from(e: events::UnitFormedByMerger) -> Self {
        Self {
            code: e.code.to_string(),
            name: e.name.to_string(),
            level: e.level.into(),
            unit_type: e.unit_type.into(),
            parent: e.parent.as_ref().map(ToString::to_string),
            predecessors: texts(&e.predecessors),
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            merger_id: e.merger_id.to_string(),
        }
    }
}

impl TryFrom<UnitFormedByMerger> for events::UnitFormedByMerger {
    type Error = ValueError;
    fn try_from(r: UnitFormedByMerger) -> Result<Self, ValueError> {
        Ok(Self {
            code: value(r.code)?,
            name: value(r.name)?,
            level: r.level.into(),
            unit_type: r.unit_type.into(),
            parent: r.parent.map(value).transpose()?,
            predecessors: values(r.predecessors)?,
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            merger_id: value(r.merger_id)?,
        })
    }
}

/// Stored `UnitAbsorbed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitAbsorbed {
    /// The units merged into it.
    pub predecessors: Vec<String>,
    /// The day the merger took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the merger.
    pub legal_basis: LegalBasisRecord,
    /// The merger.
    pub merger_id: String,
}

impl From<events::UnitAbsorbed> for UnitAbsorbed {
    fn from(e: events::UnitAbsorbed) -> Self {
        Self {
            predecessors: texts(&e.predecessors),
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            merger_id: e.merger_id.to_string(),
        }
    }
}

impl TryFrom<UnitAbsorbed> for events::UnitAbsorbed {
    type Error = ValueError;
    fn try_from(r: UnitAbsorbed) -> Result<Self, ValueError> {
        Ok(Self {
            predecessors: values(r.predecessors)?,
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            merger_id: value(r.merger_id)?,
        })
    }
}

/// Stored `UnitSplitInto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSplitInto {
    /// The new units.
    pub successors: Vec<String>,
    /// The day the split took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the split.
    pub legal_basis: LegalBasisRecord,
    /// The split.
    pub split_id: String,
}

impl From<events::UnitSplitInto> for UnitSplitInto {
    fn from(e: events::UnitSplitInto) -> Self {
        Self {
            successors: texts(&e.successors),
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            split_id: e.split_id.to_string(),
        }
    }
}

impl TryFrom<UnitSplitInto> for events::UnitSplitInto {
    type Error = ValueError;
    fn try_from(r: UnitSplitInto) -> Result<Self, ValueError> {
        Ok(Self {
            successors: values(r.successors)?,
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            split_id: value(r.split_id)?,
        })
    }
}

/// Stored `UnitFormedBySplit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitFormedBySplit {
    /// Its GSO code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: LevelRecord,
    /// Its type.
    pub unit_type: TypeRecord,
    /// The unit it belongs to.
    pub parent: Option<String>,
    /// The unit that was split.
    pub predecessor: String,
    /// The day the split took effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering the split.
    pub legal_basis: LegalBasisRecord,
    /// The split.
    pub split_id: String,
}

impl From<events::UnitFormedBySplit> for UnitFormedBySplit {
    fn from(e: events::UnitFormedBySplit) -> Self {
        Self {
            code: e.code.to_string(),
            name: e.name.to_string(),
            level: e.level.into(),
            unit_type: e.unit_type.into(),
            parent: e.parent.as_ref().map(ToString::to_string),
            predecessor: e.predecessor.to_string(),
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            split_id: e.split_id.to_string(),
        }
    }
}

impl TryFrom<UnitFormedBySplit> for events::UnitFormedBySplit {
    type Error = ValueError;
    fn try_from(r: UnitFormedBySplit) -> Result<Self, ValueError> {
        Ok(Self {
            code: value(r.code)?,
            name: value(r.name)?,
            level: r.level.into(),
            unit_type: r.unit_type.into(),
            parent: r.parent.map(value).transpose()?,
            predecessor: value(r.predecessor)?,
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            split_id: value(r.split_id)?,
        })
    }
}

/// Stored `UnitEnded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEnded {
    /// The day it ended.
    pub effective_on: NaiveDate,
    /// The resolution ending it.
    pub legal_basis: LegalBasisRecord,
    /// Why it ended.
    pub reason: EndReasonRecord,
}

impl From<events::UnitEnded> for UnitEnded {
    fn from(e: events::UnitEnded) -> Self {
        Self {
            effective_on: e.effective_on,
            legal_basis: (&e.legal_basis).into(),
            reason: e.reason.into(),
        }
    }
}

impl TryFrom<UnitEnded> for events::UnitEnded {
    type Error = ValueError;
    fn try_from(r: UnitEnded) -> Result<Self, ValueError> {
        Ok(Self {
            effective_on: r.effective_on,
            legal_basis: r.legal_basis.try_into()?,
            reason: r.reason.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORED: &str = r#"{"code":"066","name":"Huyện Pác Nặm","level":"district","unit_type":"district","parent":"11","valid_from":"2003-01-01","legal_basis":{"number":"203/2025/QH15","issued_on":"2025-06-16","issuer":"Quốc hội","title":null}}"#;

    #[test]
    fn an_event_is_stored_as_its_record_and_read_back_through_it() {
        let record: UnitRegistered = serde_json::from_str(STORED).expect("a record");
        let event = events::UnitRegistered::try_from(record.clone()).expect("valid values");
        assert_eq!(UnitRegistered::from(event.clone()), record);
        assert_eq!(serde_json::to_string(&event).expect("json"), STORED);
        assert_eq!(serde_json::to_string(&record).expect("json"), STORED);
    }

    #[test]
    fn a_stored_value_its_type_refuses_is_refused_when_read() {
        let blank_code = STORED.replace(r#""code":"066""#, r#""code":"  ""#);
        let record: UnitRegistered = serde_json::from_str(&blank_code).expect("plain data");
        assert!(events::UnitRegistered::try_from(record).is_err());
        assert!(serde_json::from_str::<events::UnitRegistered>(&blank_code).is_err());
    }
}

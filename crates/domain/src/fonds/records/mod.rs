//! The stored records of the fonds events: plain serialisable data (strings, numbers, dates,
//! lists and enums of their own), the JSON contract of the `fonds-{code}` streams. Each event
//! serialises through its record, so changing how a domain value type serialises cannot change
//! what is stored; reading a record back checks every value with the value type's own parser.
//! One file per event family, as in `events/`.

mod acts;
mod files;
mod fonds;

pub use acts::*;
pub use files::*;
pub use fonds::*;

use serde::{Deserialize, Serialize};

use crate::error::ValueError;
use crate::records::{text, value};
use crate::values::{AccessRegime, Carrier, Extent, FondsKind, RetentionPeriod};

pub use crate::records::LegalBasisRecord;

/// The stored form of a retention period: its TT 05 code, with the years for code 07 only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRecord {
    /// "01" to "07".
    pub code: String,
    /// The years of an "other" term (code 07).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u32>,
}

impl From<RetentionPeriod> for RetentionRecord {
    fn from(period: RetentionPeriod) -> Self {
        let code = period.code();
        let years = if code == "07" { period.years() } else { None };
        Self {
            code: code.to_owned(),
            years,
        }
    }
}

impl TryFrom<RetentionRecord> for RetentionPeriod {
    type Error = ValueError;
    fn try_from(record: RetentionRecord) -> Result<Self, ValueError> {
        RetentionPeriod::from_stored(&record.code, record.years)
    }
}

/// The stored form of an access regime: its TT 05 code, "01" to "03".
pub(crate) fn access_text(access: AccessRegime) -> String {
    text(&access)
}

/// An access regime read back from its stored code.
pub(crate) fn access_value(raw: String) -> Result<AccessRegime, ValueError> {
    value(raw)
}

/// The stored form of an extent: boxes, sheets and shelf length in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtentRecord {
    /// Số hộp.
    pub boxes: u32,
    /// Số tờ.
    pub sheets: u32,
    /// Mét giá, in millimetres.
    pub linear_mm: u64,
}

impl From<Extent> for ExtentRecord {
    fn from(extent: Extent) -> Self {
        Self {
            boxes: extent.boxes,
            sheets: extent.sheets,
            linear_mm: extent.linear_mm,
        }
    }
}

impl From<ExtentRecord> for Extent {
    fn from(record: ExtentRecord) -> Self {
        Self {
            boxes: record.boxes,
            sheets: record.sheets,
            linear_mm: record.linear_mm,
        }
    }
}

/// The stored form of a file's carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierRecord {
    /// Giấy.
    Paper,
    /// Điện tử.
    Electronic,
    /// Nghe nhìn.
    Audiovisual,
    /// Khác.
    Other,
}

impl From<Carrier> for CarrierRecord {
    fn from(carrier: Carrier) -> Self {
        match carrier {
            Carrier::Paper => Self::Paper,
            Carrier::Electronic => Self::Electronic,
            Carrier::Audiovisual => Self::Audiovisual,
            Carrier::Other => Self::Other,
        }
    }
}

impl From<CarrierRecord> for Carrier {
    fn from(carrier: CarrierRecord) -> Self {
        match carrier {
            CarrierRecord::Paper => Self::Paper,
            CarrierRecord::Electronic => Self::Electronic,
            CarrierRecord::Audiovisual => Self::Audiovisual,
            CarrierRecord::Other => Self::Other,
        }
    }
}

/// The stored form of a fonds' kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FondsKindRecord {
    /// Nhà nước.
    State,
    /// Đảng.
    Party,
}

impl From<FondsKind> for FondsKindRecord {
    fn from(kind: FondsKind) -> Self {
        match kind {
            FondsKind::State => Self::State,
            FondsKind::Party => Self::Party,
        }
    }
}

impl From<FondsKindRecord> for FondsKind {
    fn from(kind: FondsKindRecord) -> Self {
        match kind {
            FondsKindRecord::State => Self::State,
            FondsKindRecord::Party => Self::Party,
        }
    }
}

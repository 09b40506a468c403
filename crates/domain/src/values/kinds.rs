//! Closed lists: record carriers, fonds kinds, unit levels and unit types.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Loại tài liệu theo vật mang tin — the carrier of a file's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Tài liệu giấy — paper.
    Paper,
    /// Tài liệu điện tử — electronic (a data message).
    Electronic,
    /// Tài liệu nghe nhìn — film, photo, audio or video.
    Audiovisual,
    /// Tài liệu trên vật mang tin khác — any other carrier.
    Other,
}

/// Loại phông — State and Party fonds follow separate custody chains and never share a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FondsKind {
    /// Phông lưu trữ Nhà nước.
    State,
    /// Phông lưu trữ Đảng (Party guidance 64-CV/TW).
    Party,
}

impl FondsKind {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Party => "party",
        }
    }

    /// The label in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::State => "phông lưu trữ Nhà nước",
            Self::Party => "phông lưu trữ Đảng",
        }
    }
}

/// Cấp đơn vị hành chính — the tier of an administrative unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (ended on 1 July 2025 under Resolution 203/2025/QH15).
    District,
    /// Cấp xã.
    Commune,
}

impl UnitLevel {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }

    /// The label in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Province => "tỉnh",
            Self::District => "huyện",
            Self::Commune => "xã",
        }
    }

    /// The label in English.
    pub fn label_en(self) -> &'static str {
        self.as_str()
    }
}

/// Loại đơn vị hành chính — the type of a unit; each type belongs to one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
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
    /// Thành phố thuộc tỉnh (or thuộc thành phố trực thuộc trung ương).
    ProvincialCity,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Thị trấn.
    Township,
    /// Đặc khu — special zone, a commune-level unit since 2025.
    SpecialZone,
}

impl UnitType {
    /// The level every unit of this type is at.
    pub fn level(self) -> UnitLevel {
        match self {
            Self::Province | Self::CentralCity => UnitLevel::Province,
            Self::District | Self::UrbanDistrict | Self::Town | Self::ProvincialCity => {
                UnitLevel::District
            }
            Self::Commune | Self::Ward | Self::Township | Self::SpecialZone => UnitLevel::Commune,
        }
    }

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::CentralCity => "central_city",
            Self::District => "district",
            Self::UrbanDistrict => "urban_district",
            Self::Town => "town",
            Self::ProvincialCity => "provincial_city",
            Self::Commune => "commune",
            Self::Ward => "ward",
            Self::Township => "township",
            Self::SpecialZone => "special_zone",
        }
    }

    /// The label in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Province => "tỉnh",
            Self::CentralCity => "thành phố trực thuộc trung ương",
            Self::District => "huyện",
            Self::UrbanDistrict => "quận",
            Self::Town => "thị xã",
            Self::ProvincialCity => "thành phố thuộc tỉnh",
            Self::Commune => "xã",
            Self::Ward => "phường",
            Self::Township => "thị trấn",
            Self::SpecialZone => "đặc khu",
        }
    }
}

impl fmt::Display for FondsKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for UnitLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for UnitType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_type_has_its_level() {
        assert_eq!(UnitType::CentralCity.level(), UnitLevel::Province);
        assert_eq!(UnitType::Town.level(), UnitLevel::District);
        assert_eq!(UnitType::SpecialZone.level(), UnitLevel::Commune);
    }

    #[test]
    fn serde_names_match_as_str() {
        for unit_type in [UnitType::UrbanDistrict, UnitType::SpecialZone] {
            let json = serde_json::to_string(&unit_type).ok();
            assert_eq!(json, Some(format!("\"{}\"", unit_type.as_str())));
        }
        assert_eq!(
            serde_json::to_string(&Carrier::Audiovisual).ok().as_deref(),
            Some("\"audiovisual\"")
        );
        assert_eq!(
            serde_json::to_string(&FondsKind::Party).ok().as_deref(),
            Some("\"party\"")
        );
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!(serde_json::from_str::<UnitLevel>("\"village\"").is_err());
    }
}

//! Chế độ sử dụng — who may read a file, with the TT 05/2025 codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::fold_vietnamese;
use crate::error::{ValueError, ValueProblem};

const FIELD: &str = "access";

/// Chế độ sử dụng — 01 open, 02 conditional (restricted), 03 secret. Stored as its code, "01".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AccessRegime {
    /// Công khai — open to all (01).
    Open,
    /// Hạn chế / có điều kiện — open on conditions (02).
    Conditional,
    /// Mật — secret (03): never transferred or opened before declassification.
    Secret,
}

impl AccessRegime {
    /// Parses a TT 05 code: "01", "02" or "03".
    pub fn parse_code(code: &str) -> Result<Self, ValueError> {
        match code.trim() {
            "01" => Ok(Self::Open),
            "02" => Ok(Self::Conditional),
            "03" => Ok(Self::Secret),
            _ => Err(ValueError::new(FIELD, code, ValueProblem::Unknown)),
        }
    }

    /// Parses what clerks write, ignoring case and diacritics: "Công khai", "Mở", "Hạn chế",
    /// "Có điều kiện", "Mật" (also "Tối mật", "Tuyệt mật": every secrecy level is regime 03),
    /// or a code. Anything else is refused.
    pub fn parse_text(raw: &str) -> Result<Self, ValueError> {
        match fold_vietnamese(raw).as_str() {
            "01" | "cong khai" | "mo" => Ok(Self::Open),
            "02" | "han che" | "co dieu kien" => Ok(Self::Conditional),
            "03" | "mat" | "toi mat" | "tuyet mat" => Ok(Self::Secret),
            _ => Err(ValueError::new(FIELD, raw, ValueProblem::Unknown)),
        }
    }

    /// The TT 05 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "01",
            Self::Conditional => "02",
            Self::Secret => "03",
        }
    }

    /// The label in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Open => "Công khai",
            Self::Conditional => "Hạn chế",
            Self::Secret => "Mật",
        }
    }

    /// The label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Conditional => "conditional",
            Self::Secret => "secret",
        }
    }
}

/// Shows the Vietnamese label, which [`AccessRegime::parse_text`] reads back.
impl fmt::Display for AccessRegime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

impl TryFrom<String> for AccessRegime {
    type Error = ValueError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse_code(&code)
    }
}

impl From<AccessRegime> for String {
    fn from(access: AccessRegime) -> String {
        access.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::AccessRegime::{self, Conditional, Open, Secret};

    #[test]
    fn parse_code_reads_the_three_codes_only() {
        assert_eq!(AccessRegime::parse_code("01"), Ok(Open));
        assert_eq!(AccessRegime::parse_code("02"), Ok(Conditional));
        assert_eq!(AccessRegime::parse_code("03"), Ok(Secret));
        assert!(AccessRegime::parse_code("04").is_err());
        assert!(AccessRegime::parse_code("1").is_err());
    }

    #[test]
    fn parse_text_ignores_case_and_diacritics() {
        for (raw, expected) in [
            ("Công khai", Open),
            ("CONG KHAI", Open),
            ("Mở", Open),
            ("01", Open),
            ("Hạn chế", Conditional),
            ("có điều kiện", Conditional),
            ("02", Conditional),
            ("Mật", Secret),
            ("Tối mật", Secret),
            ("03", Secret),
        ] {
            assert_eq!(AccessRegime::parse_text(raw), Ok(expected), "{raw}");
        }
    }

    #[test]
    fn parse_text_refuses_unknown_words() {
        for raw in ["", "Nội bộ", "open", "04"] {
            assert!(AccessRegime::parse_text(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn serializes_as_its_code() {
        assert_eq!(
            serde_json::to_string(&Secret).ok().as_deref(),
            Some("\"03\"")
        );
        assert_eq!(
            serde_json::from_str::<AccessRegime>("\"02\"").ok(),
            Some(Conditional)
        );
        assert!(serde_json::from_str::<AccessRegime>("\"secret\"").is_err());
    }
}

//! Who holds records: the custodian named in every custody change.

use std::fmt;
use std::sync::Arc;

use super::text;
use crate::error::ValueError;

/// Bên quản lý — an agency, unit or archive that holds records (e.g. "UBND-06601", "LTLS-11"):
/// 1–40 ASCII letters, digits, '-', '.', '_'. Cheap to clone, since every file of a fonds names one.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CustodianId(Arc<str>);

impl CustodianId {
    /// Parses user input: trimmed, then checked.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let value = text::one_line("custodian_id", raw, 40)?;
        let value = text::only(
            "custodian_id",
            value,
            text::is_code_char,
            (
                "chữ cái, chữ số, '-', '.', '_'",
                "letters, digits, '-', '.', '_'",
            ),
        )?;
        Ok(Self(value.into()))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustodianId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CustodianId {
    type Err = ValueError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl TryFrom<String> for CustodianId {
    type Error = ValueError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<CustodianId> for String {
    fn from(value: CustodianId) -> String {
        value.0.as_ref().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::CustodianId;

    #[test]
    fn accepts_agency_and_archive_ids() {
        for id in ["UBND-06601", "LTLS-11", "SNV.11_kho"] {
            assert_eq!(CustodianId::parse(id).map(String::from).as_deref(), Ok(id));
        }
    }

    #[test]
    fn refuses_spaces_diacritics_and_long_ids() {
        for id in ["UBND 066", "Sở-NV", "", &"A".repeat(41)] {
            assert!(CustodianId::parse(id).is_err(), "{id}");
        }
    }

    #[test]
    fn round_trips_through_json_as_a_string() {
        let id = CustodianId::parse("LTLS-11").expect("valid");
        let json = serde_json::to_string(&id).expect("serializes");
        assert_eq!(json, "\"LTLS-11\"");
        assert_eq!(serde_json::from_str::<CustodianId>(&json).ok(), Some(id));
    }
}

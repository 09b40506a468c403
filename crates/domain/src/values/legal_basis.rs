//! Căn cứ pháp lý — the legal document an act rests on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DocumentNumber, Name, Title};

/// Căn cứ — a legal document: number and notation, date of issue, issuer and optional title
/// (e.g. Resolution 202/2025/QH15 of the National Assembly, 12 June 2025).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalBasis {
    /// Số, ký hiệu — e.g. "202/2025/QH15".
    pub number: DocumentNumber,
    /// Ngày ban hành.
    pub issued_on: NaiveDate,
    /// Cơ quan ban hành — e.g. "Quốc hội".
    pub issuer: Name,
    /// Trích yếu — the title, when known.
    pub title: Option<Title>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_plain_fields_and_checks_them_when_read() {
        let basis = LegalBasis {
            number: DocumentNumber::parse("202/2025/QH15").expect("valid"),
            issued_on: NaiveDate::from_ymd_opt(2025, 6, 12).expect("valid date"),
            issuer: Name::parse("Quốc hội").expect("valid"),
            title: None,
        };
        let json = serde_json::to_string(&basis).expect("serializes");
        assert_eq!(
            json,
            r#"{"number":"202/2025/QH15","issued_on":"2025-06-12","issuer":"Quốc hội","title":null}"#
        );
        assert_eq!(serde_json::from_str::<LegalBasis>(&json).ok(), Some(basis));
        let blank_issuer = json.replace("Quốc hội", " ");
        assert!(serde_json::from_str::<LegalBasis>(&blank_issuer).is_err());
    }
}

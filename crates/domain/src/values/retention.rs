//! Thời hạn bảo quản — how long a file is kept, with the TT 05/2025 codes.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fold_vietnamese;
use super::text;
use crate::error::{ValueError, ValueProblem};

const FIELD: &str = "retention";
/// The fixed terms that have their own code; any other term is code 07.
const CODED_TERMS: [(&str, u32); 5] = [("02", 70), ("03", 50), ("04", 30), ("05", 20), ("06", 10)];
/// The longest "other" term accepted: longer terms are not in use, so a larger number is a typo.
const MAX_YEARS: u32 = 100;

/// Thời hạn bảo quản — permanent (code 01) or a fixed number of years: 70 (02), 50 (03),
/// 30 (04), 20 (05), 10 (06), or another term (07 with its years).
///
/// Stored JSON: `{"code":"01"}`, `{"code":"06"}`, `{"code":"07","years":5}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RetentionRepr", into = "RetentionRepr")]
pub struct RetentionPeriod {
    years: Option<u32>,
}

impl RetentionPeriod {
    /// Vĩnh viễn — kept forever (code 01).
    pub const PERMANENT: Self = Self { years: None };

    /// A fixed term of 1 to 100 years; terms with their own code get it (10 years is 06).
    pub fn fixed_term(years: u32) -> Result<Self, ValueError> {
        if (1..=MAX_YEARS).contains(&years) {
            return Ok(Self { years: Some(years) });
        }
        Err(text::format_error(
            FIELD,
            &years.to_string(),
            ("từ 1 đến 100 năm", "1 to 100 years"),
        ))
    }

    /// Parses a TT 05 code "01" to "06"; "07" needs its years, so use [`Self::fixed_term`].
    pub fn parse_code(code: &str) -> Result<Self, ValueError> {
        match code.trim() {
            "01" => Ok(Self::PERMANENT),
            other => CODED_TERMS
                .iter()
                .find(|(coded, _)| *coded == other)
                .map(|(_, years)| Self {
                    years: Some(*years),
                })
                .ok_or_else(|| ValueError::new(FIELD, code, ValueProblem::Unknown)),
        }
    }

    /// Parses what clerks write: "Vĩnh viễn", "VV", "70 năm", "70", "5 năm", or a code "01"–"06".
    /// A two-digit number starting with 0 is a code ("05" is 20 years, not 5); anything else
    /// unknown is refused, never guessed.
    pub fn parse_text(raw: &str) -> Result<Self, ValueError> {
        let folded = fold_vietnamese(raw);
        if folded == "vinh vien" || folded == "vv" {
            return Ok(Self::PERMANENT);
        }
        if folded.len() == 2 && folded.starts_with('0') {
            return Self::parse_code(&folded);
        }
        let number = folded.strip_suffix("nam").unwrap_or(&folded).trim_end();
        if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new(FIELD, raw, ValueProblem::Unknown));
        }
        let years = number
            .parse()
            .map_err(|_| ValueError::new(FIELD, raw, ValueProblem::Unknown))?;
        Self::fixed_term(years)
    }

    /// The TT 05 code, "01" to "07".
    pub fn code(self) -> &'static str {
        match self.years {
            None => "01",
            Some(years) => CODED_TERMS
                .iter()
                .find(|(_, coded)| *coded == years)
                .map_or("07", |(code, _)| code),
        }
    }

    /// The number of years kept; `None` means permanent.
    pub fn years(self) -> Option<u32> {
        self.years
    }

    /// Whether the file is kept forever.
    pub fn is_permanent(self) -> bool {
        self.years.is_none()
    }

    /// The first day a file ending on `end_date` may be destroyed; `None` if permanent.
    pub fn expires_on(self, end_date: NaiveDate) -> Option<NaiveDate> {
        let years = self.years?;
        // Beyond the calendar's range the file simply never expires.
        Some(
            end_date
                .checked_add_months(Months::new(years.saturating_mul(12)))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// The label in Vietnamese, as written on file covers: "Vĩnh viễn", "10 năm".
    pub fn label_vi(self) -> String {
        match self.years {
            None => "Vĩnh viễn".to_owned(),
            Some(years) => format!("{years} năm"),
        }
    }

    /// The label in English: "permanent", "10 years".
    pub fn label_en(self) -> String {
        match self.years {
            None => "permanent".to_owned(),
            Some(years) => format!("{years} years"),
        }
    }
}

/// Shows the Vietnamese label, which [`RetentionPeriod::parse_text`] reads back.
impl fmt::Display for RetentionPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_vi())
    }
}

/// The stored form: the code, plus the years for code 07 only.
#[derive(Serialize, Deserialize)]
struct RetentionRepr {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    years: Option<u32>,
}

impl From<RetentionPeriod> for RetentionRepr {
    fn from(period: RetentionPeriod) -> Self {
        let code = period.code();
        let years = if code == "07" { period.years } else { None };
        Self {
            code: code.to_owned(),
            years,
        }
    }
}

impl TryFrom<RetentionRepr> for RetentionPeriod {
    type Error = ValueError;
    fn try_from(repr: RetentionRepr) -> Result<Self, Self::Error> {
        Self::from_stored(&repr.code, repr.years)
    }
}

impl RetentionPeriod {
    /// Reads the stored form back: a code, with its years for code 07 (and, when given for
    /// another code, years that agree with it).
    pub fn from_stored(code: &str, years: Option<u32>) -> Result<Self, ValueError> {
        if code == "07" {
            let years = years.ok_or_else(|| ValueError::new(FIELD, "07", ValueProblem::Empty))?;
            return Self::fixed_term(years);
        }
        let period = Self::parse_code(code)?;
        match years {
            Some(years) if period.years != Some(years) => Err(ValueError::new(
                FIELD,
                &format!("{code} ({years})"),
                ValueProblem::Unknown,
            )),
            _ => Ok(period),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw: &str) -> Option<(&'static str, Option<u32>)> {
        RetentionPeriod::parse_text(raw)
            .ok()
            .map(|p| (p.code(), p.years()))
    }

    #[test]
    fn parse_code_reads_codes_01_to_06() {
        assert_eq!(
            RetentionPeriod::parse_code("01"),
            Ok(RetentionPeriod::PERMANENT)
        );
        let years: Vec<Option<u32>> = ["02", "03", "04", "05", "06"]
            .iter()
            .map(|c| {
                RetentionPeriod::parse_code(c)
                    .ok()
                    .and_then(RetentionPeriod::years)
            })
            .collect();
        assert_eq!(years, [Some(70), Some(50), Some(30), Some(20), Some(10)]);
    }

    #[test]
    fn parse_code_refuses_07_without_years_and_unknown_codes() {
        for code in ["07", "08", "00", "1", ""] {
            assert!(RetentionPeriod::parse_code(code).is_err(), "{code}");
        }
    }

    #[test]
    fn parse_text_reads_permanent_in_every_spelling() {
        for raw in [
            "Vĩnh viễn",
            "vĩnh viễn",
            "VV",
            "vv",
            "Vinh vien",
            "VĨNH VIỄN",
            "01",
        ] {
            assert_eq!(text(raw), Some(("01", None)), "{raw}");
        }
    }

    #[test]
    fn parse_text_reads_years_with_or_without_the_word() {
        assert_eq!(text("70 năm"), Some(("02", Some(70))));
        assert_eq!(text("70"), Some(("02", Some(70))));
        assert_eq!(text("10 năm"), Some(("06", Some(10))));
        assert_eq!(text("5 năm"), Some(("07", Some(5))));
        assert_eq!(text("15nam"), Some(("07", Some(15))));
    }

    #[test]
    fn parse_text_reads_two_digit_codes_as_codes() {
        assert_eq!(text("05"), Some(("05", Some(20))));
        assert_eq!(text("06"), Some(("06", Some(10))));
    }

    #[test]
    fn parse_text_refuses_what_nobody_defined() {
        for raw in ["", "Tạm thời", "năm", "0", "101 năm", "07", "5 tháng", "-5"] {
            assert_eq!(text(raw), None, "{raw}");
        }
    }

    #[test]
    fn display_reads_back_through_parse_text() {
        for period in [
            RetentionPeriod::PERMANENT,
            RetentionPeriod::fixed_term(5).expect("valid"),
        ] {
            assert_eq!(RetentionPeriod::parse_text(&period.to_string()), Ok(period));
        }
    }

    #[test]
    fn expires_on_adds_the_years_to_the_end_date() {
        let end = NaiveDate::from_ymd_opt(2014, 12, 31).expect("valid date");
        let ten = RetentionPeriod::fixed_term(10).expect("valid");
        assert_eq!(ten.expires_on(end), NaiveDate::from_ymd_opt(2024, 12, 31));
        assert_eq!(RetentionPeriod::PERMANENT.expires_on(end), None);
    }

    #[test]
    fn serializes_as_code_and_years_for_code_07_only() {
        let json = |p: RetentionPeriod| serde_json::to_string(&p).ok();
        assert_eq!(
            json(RetentionPeriod::PERMANENT).as_deref(),
            Some(r#"{"code":"01"}"#)
        );
        let ten = RetentionPeriod::fixed_term(10).expect("valid");
        assert_eq!(json(ten).as_deref(), Some(r#"{"code":"06"}"#));
        let five = RetentionPeriod::fixed_term(5).expect("valid");
        assert_eq!(json(five).as_deref(), Some(r#"{"code":"07","years":5}"#));
    }

    #[test]
    fn deserializing_checks_the_code_and_years() {
        let read = |json: &str| serde_json::from_str::<RetentionPeriod>(json).ok();
        assert_eq!(
            read(r#"{"code":"07","years":5}"#).and_then(RetentionPeriod::years),
            Some(5)
        );
        assert_eq!(
            read(r#"{"code":"06","years":10}"#).map(RetentionPeriod::code),
            Some("06")
        );
        assert_eq!(read(r#"{"code":"07"}"#), None);
        assert_eq!(read(r#"{"code":"06","years":5}"#), None);
        assert_eq!(read(r#"{"code":"09"}"#), None);
    }
}

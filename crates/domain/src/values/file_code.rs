//! Mã hồ sơ — the code of a file: agency (or fonds) prefix, year and notation.

use std::fmt;

use super::FileNotation;
use super::text;
use crate::error::ValueError;

const FIELD: &str = "file_code";
const FORM: (&str, &str) = (
    "{mã cơ quan hoặc mã phông}.{năm 4 chữ số}.{số và ký hiệu hồ sơ}",
    "{organ id or fonds code}.{4-digit year}.{file notation}",
);

/// Mã hồ sơ — `{prefix}.{year}.{notation}` (Decree 30, Annex VI): the prefix is the creator's
/// organ id (files recorded in a closed fonds by earlier versions carry the fonds code); the
/// year has 4 digits; the notation has no dot, so the code splits on its last two dots
/// (e.g. "000.00.07.H56.2020.12/TCCB").
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct FileCode(String);

impl FileCode {
    /// Builds a file code from its parts; the prefix follows the rules of a fonds code.
    pub fn new(prefix: &str, year: i32, notation: &FileNotation) -> Result<Self, ValueError> {
        Self::parse(&format!("{prefix}.{year}.{notation}"))
    }

    /// Parses a whole file code.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let value = text::one_line(FIELD, raw, 46)?;
        let mut parts = value.rsplitn(3, '.');
        let (Some(notation), Some(year), Some(prefix)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(text::format_error(FIELD, &value, FORM));
        };
        let year_ok =
            year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && !year.starts_with('0');
        let prefix_ok = !prefix.is_empty()
            && prefix.chars().count() <= 20
            && prefix.chars().all(text::is_code_char);
        if !year_ok || !prefix_ok || FileNotation::parse(notation).is_err() {
            return Err(text::format_error(FIELD, &value, FORM));
        }
        Ok(Self(value))
    }

    /// The whole code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The organ id or fonds code the code starts with.
    pub fn prefix(&self) -> &str {
        self.0.rsplitn(3, '.').nth(2).unwrap_or_default()
    }

    /// The year of the file (mục lục năm).
    pub fn year(&self) -> i32 {
        let digits = self.0.rsplit('.').nth(1).unwrap_or_default();
        // Parsing checked these are 4 ASCII digits, so the fold cannot overflow.
        digits
            .bytes()
            .fold(0, |year, digit| year * 10 + i32::from(digit - b'0'))
    }

    /// The file's number and notation within the year.
    pub fn notation(&self) -> &str {
        self.0.rsplit('.').next().unwrap_or_default()
    }
}

impl fmt::Display for FileCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for FileCode {
    type Err = ValueError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl TryFrom<String> for FileCode {
    type Error = ValueError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<FileCode> for String {
    fn from(value: FileCode) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notation(text: &str) -> FileNotation {
        FileNotation::parse(text).expect("valid notation")
    }

    #[test]
    fn new_joins_organ_id_year_and_notation() {
        let code = FileCode::new("000.00.07.H56", 2020, &notation("12/TCCB")).expect("valid");
        assert_eq!(code.as_str(), "000.00.07.H56.2020.12/TCCB");
    }

    #[test]
    fn parse_splits_on_the_year_segment() {
        let code = FileCode::parse(" 000.00.07.H56.2020.12/TCCB ").expect("valid");
        assert_eq!(code.prefix(), "000.00.07.H56");
        assert_eq!(code.year(), 2020);
        assert_eq!(code.notation(), "12/TCCB");
    }

    #[test]
    fn parse_accepts_a_fonds_code_prefix() {
        let code = FileCode::parse("UB-066.1998.01").expect("valid");
        assert_eq!(
            (code.prefix(), code.year(), code.notation()),
            ("UB-066", 1998, "01")
        );
    }

    #[test]
    fn parse_refuses_codes_without_a_four_digit_year() {
        for raw in [
            "H56.20.01",
            "H56.0999.01",
            "H56.2020",
            "2020.01",
            "H56.2020.",
            ".2020.01",
        ] {
            assert!(FileCode::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn parse_refuses_bad_prefixes_and_notations() {
        for raw in [
            "H 56.2020.01",
            "H56.2020.1 2",
            &format!("{}.2020.01", "A".repeat(21)),
        ] {
            assert!(FileCode::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn new_refuses_a_year_of_other_than_four_digits() {
        assert!(FileCode::new("H56", 99, &notation("01")).is_err());
        assert!(FileCode::new("H56", 12345, &notation("01")).is_err());
    }
}

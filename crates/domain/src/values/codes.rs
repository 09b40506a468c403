//! Codes that identify units, fonds, agencies and boxes.

use super::text::{self, string_value};
use crate::error::ValueError;

string_value!(
    /// Mã đơn vị hành chính — the GSO statistical code of an administrative unit: 2 digits for a
    /// province, 3 for a district, 5 for a commune (e.g. "11", "066", "01960"); provisional codes
    /// of units formed in 2025 carry capital letters after the leading digits (e.g. "066N1").
    UnitCode,
    parse_unit_code
);

string_value!(
    /// Mã phông — the code of a fonds (e.g. "066", "06601", "UB-066"); it replaces the organ id
    /// in the codes of files recorded after the fonds is closed.
    FondsCode,
    parse_fonds_code
);

string_value!(
    /// Mã định danh cơ quan — the Decree 30 identifier of an agency, up to 13 characters
    /// (e.g. "000.00.07.H56").
    OrganId,
    parse_organ_id
);

string_value!(
    /// Số và ký hiệu hồ sơ — a file's number and notation within its year (e.g. "01", "12/TCCB").
    /// It holds no dot, so a file code splits unambiguously on its last dots.
    FileNotation,
    parse_file_notation
);

string_value!(
    /// Hộp số — the number of the box a paper file is packed in (e.g. "12", "12A").
    BoxNumber,
    parse_box_number
);

fn parse_unit_code(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("unit_code", raw, 10)?;
    let bytes = value.as_bytes();
    let well_formed = bytes.len() >= 2
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if well_formed {
        return Ok(value);
    }
    Err(text::format_error(
        "unit_code",
        &value,
        (
            "2 đến 10 ký tự: bắt đầu bằng 2 chữ số, sau đó chữ số hoặc chữ in hoa",
            "2 to 10 characters: two digits, then digits or capital letters",
        ),
    ))
}

fn parse_fonds_code(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("fonds_code", raw, 20)?;
    text::only(
        "fonds_code",
        value,
        text::is_code_char,
        (
            "chữ cái, chữ số, '-', '.', '_'",
            "letters, digits, '-', '.', '_'",
        ),
    )
}

fn parse_organ_id(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("organ_id", raw, 13)?;
    text::only(
        "organ_id",
        value,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'),
        ("chữ cái, chữ số, '.', '-'", "letters, digits, '.', '-'"),
    )
}

fn parse_file_notation(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("file_notation", raw, 20)?;
    text::only(
        "file_notation",
        value,
        |c| c.is_alphanumeric() || matches!(c, '/' | '-' | '_'),
        (
            "chữ cái, chữ số, '/', '-', '_' (không có dấu chấm)",
            "letters, digits, '/', '-', '_' (no dot)",
        ),
    )
}

fn parse_box_number(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("box_number", raw, 20)?;
    text::only(
        "box_number",
        value,
        |c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '_'),
        (
            "chữ cái, chữ số, '/', '-', '.', '_'",
            "letters, digits, '/', '-', '.', '_'",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_code_accepts_gso_codes() {
        for code in ["11", "066", "01960", " 01 ", "066N1"] {
            assert!(UnitCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(
            UnitCode::parse(" 066 ").map(String::from).as_deref(),
            Ok("066")
        );
    }

    #[test]
    fn unit_code_refuses_letters_and_wrong_lengths() {
        for code in ["", "1", "12345678901", "06a", "0 6", "N1066"] {
            assert!(UnitCode::parse(code).is_err(), "{code}");
        }
    }

    #[test]
    fn fonds_code_accepts_letters_digits_and_separators() {
        for code in ["066", "06601", "UB-066", "P.12_a"] {
            assert!(FondsCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn fonds_code_refuses_spaces_diacritics_and_long_codes() {
        for code in ["UB 066", "Phông1", "", &"9".repeat(21)] {
            assert!(FondsCode::parse(code).is_err(), "{code}");
        }
    }

    #[test]
    fn organ_id_accepts_decree_30_identifiers() {
        assert!(OrganId::parse("000.00.07.H56").is_ok());
        assert!(OrganId::parse("H56").is_ok());
    }

    #[test]
    fn organ_id_refuses_over_13_characters_and_underscores() {
        assert!(OrganId::parse("000.00.07.H56.1").is_err());
        assert!(OrganId::parse("H_56").is_err());
    }

    #[test]
    fn file_notation_accepts_numbers_and_notations() {
        for notation in ["01", "12/TCCB", "05-QĐ"] {
            assert!(FileNotation::parse(notation).is_ok(), "{notation}");
        }
    }

    #[test]
    fn file_notation_refuses_dots_spaces_and_long_text() {
        for notation in ["1.2", "12 TCCB", "", &"1".repeat(21)] {
            assert!(FileNotation::parse(notation).is_err(), "{notation}");
        }
    }

    #[test]
    fn box_number_accepts_short_labels_and_refuses_spaces() {
        assert!(BoxNumber::parse("12A").is_ok());
        assert!(BoxNumber::parse("12 A").is_err());
    }

    #[test]
    fn codes_serialize_as_plain_strings_and_are_checked_when_read() {
        let code = UnitCode::parse("066").expect("valid");
        assert_eq!(
            serde_json::to_string(&code).ok().as_deref(),
            Some("\"066\"")
        );
        assert!(serde_json::from_str::<UnitCode>("\"6x\"").is_err());
    }
}

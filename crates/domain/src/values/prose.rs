//! Free text: titles, names, notes and document numbers, bounded and without stray controls.

use super::text::{self, string_value};
use crate::error::ValueError;

string_value!(
    /// Tiêu đề hồ sơ — a file's title, one line of at most 500 characters (Decree 30, Annex VI).
    Title,
    parse_title
);

string_value!(
    /// A proper name (of a unit, fonds, agency, language or format), one line of at most 300 characters.
    Name,
    parse_name
);

string_value!(
    /// Free text that may run over several lines (notes, reasons, histories), at most 10,000 characters.
    Note,
    parse_note
);

string_value!(
    /// Số, ký hiệu văn bản — the number and notation of a legal document (e.g. "202/2025/QH15").
    DocumentNumber,
    parse_document_number
);

fn parse_title(raw: &str) -> Result<String, ValueError> {
    text::one_line("title", raw, 500)
}

fn parse_name(raw: &str) -> Result<String, ValueError> {
    text::one_line("name", raw, 300)
}

fn parse_note(raw: &str) -> Result<String, ValueError> {
    text::multi_line("note", raw, 10_000)
}

fn parse_document_number(raw: &str) -> Result<String, ValueError> {
    text::one_line("document_number", raw, 50)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_accepts_vietnamese_text() {
        let title = Title::parse(" Hồ sơ Đại hội Đảng bộ huyện Pác Nặm ").expect("valid");
        assert_eq!(title.as_str(), "Hồ sơ Đại hội Đảng bộ huyện Pác Nặm");
    }

    #[test]
    fn title_refuses_empty_long_or_multi_line_text() {
        assert!(Title::parse(" ").is_err());
        assert!(Title::parse(&"a".repeat(501)).is_err());
        assert!(Title::parse("a\nb").is_err());
    }

    #[test]
    fn name_refuses_over_300_characters() {
        assert!(Name::parse(&"ă".repeat(300)).is_ok());
        assert!(Name::parse(&"ă".repeat(301)).is_err());
    }

    #[test]
    fn note_keeps_several_lines() {
        assert!(Note::parse("Dòng 1\nDòng 2").is_ok());
        assert!(Note::parse("").is_err());
    }

    #[test]
    fn document_number_accepts_resolution_numbers() {
        assert!(DocumentNumber::parse("202/2025/QH15").is_ok());
        assert!(DocumentNumber::parse(&"1".repeat(51)).is_err());
    }
}

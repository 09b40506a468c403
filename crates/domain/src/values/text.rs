//! Shared rules for text input: trimmed, non-empty, bounded, and free of control characters.

use crate::error::{ValueError, ValueProblem};

/// Trims one line of input and checks it is non-empty, at most `max` characters and has no
/// control characters (a tab or newline in a code or name is always a copy-paste accident).
pub(crate) fn one_line(field: &'static str, raw: &str, max: usize) -> Result<String, ValueError> {
    checked(field, raw, max, |c| c.is_control())
}

/// Like [`one_line`] but keeps line breaks and tabs: histories and notes run over lines.
pub(crate) fn multi_line(field: &'static str, raw: &str, max: usize) -> Result<String, ValueError> {
    checked(field, raw, max, |c| {
        c.is_control() && !matches!(c, '\n' | '\r' | '\t')
    })
}

/// Refuses `value` with the expected form unless every character passes `allowed`.
pub(crate) fn only(
    field: &'static str,
    value: String,
    allowed: fn(char) -> bool,
    expected: (&'static str, &'static str),
) -> Result<String, ValueError> {
    if value.chars().all(allowed) {
        return Ok(value);
    }
    Err(format_error(field, &value, expected))
}

/// The error for a value that is not in the expected form, given as (Vietnamese, English).
pub(crate) fn format_error(
    field: &'static str,
    value: &str,
    (vi, en): (&'static str, &'static str),
) -> ValueError {
    ValueError::new(field, value, ValueProblem::Format { vi, en })
}

/// Characters allowed in codes and identifiers: ASCII letters, digits, `-`, `.` and `_`.
pub(crate) fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')
}

/// Whether `c` changes how text displays without showing itself (Unicode format characters
/// and the line and paragraph separators): bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) that make "Hồ sơ \u{202E}txt.exe" read "Hồ sơ exe.txt",
/// zero-width spaces and joiners, the soft hyphen, the byte-order mark, tag characters.
/// Vietnamese text needs none of them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

fn checked(
    field: &'static str,
    raw: &str,
    max: usize,
    forbidden: fn(char) -> bool,
) -> Result<String, ValueError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValueError::new(field, raw, ValueProblem::Empty));
    }
    if let Some(c) = value.chars().find(|&c| is_invisible(c)) {
        return Err(ValueError::new(
            field,
            value,
            ValueProblem::InvisibleCharacter {
                code_point: u32::from(c),
            },
        ));
    }
    if value.chars().any(forbidden) {
        return Err(ValueError::new(
            field,
            value,
            ValueProblem::ControlCharacter,
        ));
    }
    if value.chars().count() > max {
        return Err(ValueError::new(field, value, ValueProblem::TooLong { max }));
    }
    Ok(value.to_owned())
}

/// Declares a newtype over a `String` with a `parse` constructor, `as_str`, `Display`,
/// `FromStr` and serde as a plain string (checked again when read).
macro_rules! string_value {
    ($(#[$meta:meta])* $name:ident, $parse:path) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses user input: trims it, then checks it against the rules of this type.
            pub fn parse(raw: &str) -> Result<Self, $crate::error::ValueError> {
                $parse(raw).map(Self)
            }

            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ValueError;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::ValueError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

pub(crate) use string_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_trims_and_keeps_inner_spaces() {
        assert_eq!(
            one_line("name", "  Xã Pác Nặm ", 50).as_deref(),
            Ok("Xã Pác Nặm")
        );
    }

    #[test]
    fn one_line_refuses_empty_control_and_long_input() {
        let problem = |raw: &str| one_line("name", raw, 5).map_err(|e| e.problem().clone());
        assert_eq!(problem("   "), Err(ValueProblem::Empty));
        assert_eq!(problem("a\tb"), Err(ValueProblem::ControlCharacter));
        assert_eq!(problem("abcdef"), Err(ValueProblem::TooLong { max: 5 }));
    }

    #[test]
    fn every_text_field_refuses_bidirectional_and_invisible_characters() {
        let bidi = ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'];
        let isolates = ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];
        let others = [
            '\u{200B}',
            '\u{200E}',
            '\u{200F}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{2060}',
            '\u{2028}',
            '\u{E0041}',
        ];
        for c in bidi.into_iter().chain(isolates).chain(others) {
            let raw = format!("Hồ sơ {c}txt.exe");
            let expected = Err(ValueProblem::InvisibleCharacter {
                code_point: u32::from(c),
            });
            assert_eq!(
                one_line("title", &raw, 500).map_err(|e| e.problem().clone()),
                expected,
                "{c:?} in a one-line field"
            );
            assert_eq!(
                multi_line("note", &raw, 500).map_err(|e| e.problem().clone()),
                expected,
                "{c:?} in a note"
            );
        }
    }

    #[test]
    fn vietnamese_text_has_no_invisible_characters() {
        let text = "Ủy ban nhân dân xã Bộc Bố — Sổ đăng ký hộ tịch năm 2010 (bản chính), “Pác Nặm”";
        assert!(text.chars().all(|c| !is_invisible(c)));
        assert!(one_line("title", text, 500).is_ok());
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(one_line("name", "Đặc khu", 7).is_ok());
    }

    #[test]
    fn multi_line_keeps_line_breaks_but_refuses_other_controls() {
        assert!(multi_line("note", "dòng 1\r\ndòng 2", 50).is_ok());
        assert!(multi_line("note", "a\u{0}b", 50).is_err());
    }
}

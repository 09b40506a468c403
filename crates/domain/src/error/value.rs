//! Why a piece of input could not become a value type.

use std::fmt;

/// The longest part of a refused value that messages repeat: enough to find it, never a whole upload.
const SHOWN_CHARS: usize = 60;

/// A value that failed to parse, with the field it was meant for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: value {shown:?} {problem}", shown = self.shown_value())]
pub struct ValueError {
    field: &'static str,
    value: String,
    problem: ValueProblem,
}

/// What was wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueProblem {
    /// Nothing was given once spaces were trimmed.
    Empty,
    /// More characters than the field allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A control character (tab, newline, NUL...) in a one-line field.
    ControlCharacter,
    /// A character that changes how text displays without showing itself: a bidirectional
    /// control (which can make "Hồ sơ txt.exe" read "Hồ sơ exe.txt"), a zero-width character, a
    /// byte-order mark. Refused in every text field.
    InvisibleCharacter {
        /// The code point, e.g. 0x202E.
        code_point: u32,
    },
    /// The text does not have the required form.
    Format {
        /// The form expected, in Vietnamese.
        vi: &'static str,
        /// The form expected, in English.
        en: &'static str,
    },
    /// A code or word that is in no official list: refused, never guessed.
    Unknown,
}

impl ValueError {
    /// Builds the error for `field` (a snake_case field name) and the refused input.
    pub fn new(field: &'static str, value: &str, problem: ValueProblem) -> Self {
        Self {
            field,
            value: value.to_owned(),
            problem,
        }
    }

    /// The snake_case name of the field the value was meant for.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The refused input, as given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What was wrong with it.
    pub fn problem(&self) -> &ValueProblem {
        &self.problem
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        let problem = match &self.problem {
            ValueProblem::Empty => "đang để trống".to_owned(),
            ValueProblem::TooLong { max } => format!("dài quá {max} ký tự"),
            ValueProblem::ControlCharacter => "chứa ký tự điều khiển".to_owned(),
            ValueProblem::InvisibleCharacter { code_point } => format!(
                "chứa ký tự ẩn U+{code_point:04X} (ký tự định dạng hoặc đảo chiều văn bản, làm chữ hiển thị khác với nội dung thật)"
            ),
            ValueProblem::Format { vi, .. } => format!("không đúng dạng: cần {vi}"),
            ValueProblem::Unknown => "không có trong danh mục".to_owned(),
        };
        format!(
            "Trường {}: giá trị «{}» {problem}",
            self.field,
            self.shown_value()
        )
    }

    /// The message in English (also the `Display` form).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The value as messages show it: cut after [`SHOWN_CHARS`] characters, and every control
    /// or invisible character written as `<U+XXXX>`, so that the message cannot lie either.
    fn shown_value(&self) -> String {
        let mut shown = String::new();
        for (i, c) in self.value.chars().enumerate() {
            if i == SHOWN_CHARS {
                shown.push('…');
                break;
            }
            if c.is_control() || crate::values::is_invisible(c) {
                shown.push_str(&format!("<U+{:04X}>", u32::from(c)));
            } else {
                shown.push(c);
            }
        }
        shown
    }
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("is empty"),
            Self::TooLong { max } => write!(f, "is longer than {max} characters"),
            Self::ControlCharacter => f.write_str("contains a control character"),
            Self::InvisibleCharacter { code_point } => write!(
                f,
                "contains the invisible character U+{code_point:04X} (a formatting or bidirectional control, which makes text display differently from what it holds)"
            ),
            Self::Format { en, .. } => write!(f, "is not in the expected form: {en}"),
            Self::Unknown => f.write_str("is not a known value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_value_in_both_languages() {
        let error = ValueError::new("unit_code", "1x", ValueProblem::Unknown);
        assert_eq!(
            error.message_en(),
            "unit_code: value \"1x\" is not a known value"
        );
        assert_eq!(
            error.message_vi(),
            "Trường unit_code: giá trị «1x» không có trong danh mục"
        );
    }

    #[test]
    fn invisible_characters_are_named_and_shown_escaped() {
        let error = ValueError::new(
            "title",
            "Hồ sơ \u{202E}txt.exe",
            ValueProblem::InvisibleCharacter { code_point: 0x202E },
        );
        assert!(
            error.message_en().contains("U+202E"),
            "{}",
            error.message_en()
        );
        assert!(error.message_en().contains("Hồ sơ <U+202E>txt.exe"));
        assert!(error.message_vi().contains("ký tự ẩn U+202E"));
        assert!(!error.message_vi().contains('\u{202E}'));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "a".repeat(500);
        let error = ValueError::new("title", &long, ValueProblem::TooLong { max: 400 });
        assert!(error.message_en().chars().count() < 120);
        assert_eq!(error.value().len(), 500);
    }
}

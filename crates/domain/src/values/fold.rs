//! Diacritics-insensitive folding of Vietnamese text, for lenient parsing and for search.

/// Letters with diacritics, grouped by the plain letter they fold to (lower case, NFC).
const GROUPS: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

/// Folds Vietnamese text to plain lower-case ASCII letters where it can: strips tones and
/// vowel marks (precomposed or combining), maps đ to d, and collapses runs of white space,
/// so "  Pác   Nặm " becomes "pac nam". Other characters pass through lower-cased.
pub fn fold_vietnamese(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space_pending = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space_pending = !folded.is_empty();
        } else if !is_combining_mark(c) {
            if space_pending {
                folded.push(' ');
                space_pending = false;
            }
            folded.push(plain_letter(c));
        }
    }
    folded
}

fn plain_letter(c: char) -> char {
    GROUPS
        .iter()
        .find(|(_, marked)| marked.contains(c))
        .map_or(c, |(plain, _)| *plain)
}

/// Combining diacritical marks, as found in decomposed (NFD) input.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::fold_vietnamese;

    #[test]
    fn strips_tones_and_marks() {
        assert_eq!(fold_vietnamese("Pác Nặm"), "pac nam");
        assert_eq!(fold_vietnamese("Vĩnh viễn"), "vinh vien");
        assert_eq!(fold_vietnamese("Hạn chế"), "han che");
        assert_eq!(fold_vietnamese("Ủy ban nhân dân"), "uy ban nhan dan");
        assert_eq!(
            fold_vietnamese("Trường Sơn, Quảng Trị"),
            "truong son, quang tri"
        );
    }

    #[test]
    fn maps_d_with_stroke_in_both_cases() {
        assert_eq!(fold_vietnamese("Đặc khu Côn Đảo"), "dac khu con dao");
    }

    #[test]
    fn folds_upper_case_letters_with_marks() {
        assert_eq!(fold_vietnamese("MẬT"), "mat");
        assert_eq!(fold_vietnamese("CÔNG KHAI"), "cong khai");
    }

    #[test]
    fn folds_decomposed_input_like_precomposed() {
        // "Nặm" written as N + a + combining dot below + combining breve + m.
        assert_eq!(fold_vietnamese("Na\u{0323}\u{0306}m"), "nam");
    }

    #[test]
    fn collapses_and_trims_white_space() {
        assert_eq!(fold_vietnamese("  70\t năm  "), "70 nam");
        assert_eq!(fold_vietnamese(""), "");
    }
}

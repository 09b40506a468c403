//! The folded text stored beside titles and names for search, computed faster.

use std::cell::RefCell;
use std::collections::HashMap;

use bangiao_domain::values::fold_vietnamese;

/// Most characters whose folding is remembered per thread (Vietnamese needs about 150).
const REMEMBERED: usize = 4096;

thread_local! {
    /// The domain's folding of each non-ASCII character met so far on this thread.
    static FOLDED: RefCell<HashMap<char, Box<str>>> = RefCell::new(HashMap::new());
}

/// The domain's folding of one non-ASCII, non-white-space character, remembered.
fn fold_char(c: char, folded: &mut String) {
    FOLDED.with_borrow_mut(|known| {
        if let Some(piece) = known.get(&c) {
            folded.push_str(piece);
            return;
        }
        let piece = fold_vietnamese(c.encode_utf8(&mut [0u8; 4]));
        folded.push_str(&piece);
        if known.len() < REMEMBERED {
            known.insert(c, piece.into_boxed_str());
        }
    });
}

/// The same text as [`fold_vietnamese`], faster on mostly-ASCII input: ASCII letters and white
/// space are handled here, and each other character is folded by the domain's own function (and
/// remembered), so the rules stay in one place. The domain's version looks every character up in its tables of
/// marked letters; applying a million file titles spent a third of the rebuild there.
pub(crate) fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space_pending = false;
    for c in text.chars() {
        // A character that is not white space never lower-cases to white space, so white space
        // can be decided on the character itself, as the domain decides it on its lower case.
        if c.is_whitespace() {
            space_pending = !folded.is_empty();
            continue;
        }
        let start = folded.len();
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            fold_char(c, &mut folded);
        }
        // A combining mark folds to nothing, and a pending space waits for the next character.
        if space_pending && folded.len() > start {
            folded.insert(start, ' ');
            space_pending = false;
        }
    }
    folded
}

/// The folded words of a text for phrase search: folded as [`fold`], every character that is
/// not a letter or a digit taken as a space, one space between words and one at each end, so
/// "Xã Phong Điền, huyện …" becomes " xa phong dien huyen " and a phrase is found with
/// `LIKE '% phong dien %'`, on word boundaries.
pub(crate) fn search_words(text: &str) -> String {
    let mut words = String::from(" ");
    for word in fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        words.push_str(word);
        words.push(' ');
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        assert_eq!(fold(text), fold_vietnamese(text), "{text:?}");
    }

    #[test]
    fn agrees_with_the_domain_on_every_character_and_its_neighbours() {
        for code in 0..=0x2_FFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                c.to_string(),
                format!("a {c} b"),
                format!(" {c}\u{0301} x"),
                format!("{c}\u{0300} \u{0301}"),
                format!("  {c}{c}  "),
            ] {
                same(&text);
            }
        }
    }

    #[test]
    fn agrees_with_the_domain_on_titles() {
        for text in [
            "Hồ sơ số 12 về công tác tổ chức cán bộ của Ủy ban nhân dân xã Bộc Bố năm 2010",
            "  Pác   Nặm ",
            "Trường Sơn, Quảng Trị",
            "ĐẢNG ỦY\u{00a0}XÃ\tNHẠN MÔN\n",
            "Pa\u{0301}c Na\u{0323}\u{0306}m",
            " \u{0301} x",
            "",
            "   ",
        ] {
            same(text);
        }
    }
}

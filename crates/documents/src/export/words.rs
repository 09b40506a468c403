//! Numbers in figures and in words, as Vietnamese documents write totals
//! ("1.234 hồ sơ (Một nghìn hai trăm ba mươi tư hồ sơ)").
//!
//! Rules: "mười" for the tens digit 1 and "mươi" above; after "mươi", 1 is "mốt", 4 is "tư" and
//! 5 is "lăm" (also after "mười": "mười lăm"); a zero tens digit before a unit is "linh"
//! ("một trăm linh năm"); a group of three digits after a higher one always says its hundreds
//! ("một nghìn không trăm linh năm"); groups of zeros are skipped ("một triệu một trăm"); groups
//! are nghìn, triệu, tỷ, and above a tỷ the count of tỷ is itself said in words
//! ("một nghìn tỷ").

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

const GROUPS: [&str; 3] = ["", " nghìn", " triệu"];

/// `n` in figures with a dot between thousands: 1234567 → "1.234.567".
pub fn figures(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `n` in words, lower case: 1234 → "một nghìn hai trăm ba mươi tư".
pub fn words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_owned();
    }
    below_billion_or_more(n, false)
}

/// `n` in words with a capital first letter, as a sentence starts: "Một nghìn …".
pub fn words_capitalised(n: u64) -> String {
    let text = words(n);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Words of `n` ≥ 1; `after_higher` when a higher group was already said (so a short group
/// still says its hundreds).
fn below_billion_or_more(n: u64, after_higher: bool) -> String {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        let (high, low) = (n / BILLION, n % BILLION);
        let mut out = below_billion_or_more(high, after_higher);
        out.push_str(" tỷ");
        if low > 0 {
            out.push(' ');
            out.push_str(&below_billion(low, true));
        }
        return out;
    }
    below_billion(n, after_higher)
}

/// Words of 1 ≤ `n` < 10⁹.
fn below_billion(n: u64, mut after_higher: bool) -> String {
    let groups = [(n / 1_000_000) % 1000, (n / 1000) % 1000, n % 1000];
    let mut parts = Vec::new();
    for (i, group) in groups.into_iter().enumerate() {
        if group == 0 {
            continue;
        }
        let scale = GROUPS[2 - i];
        parts.push(format!("{}{scale}", three_digits(group, after_higher)));
        after_higher = true;
    }
    parts.join(" ")
}

/// Words of 1 ≤ `n` ≤ 999; `full` says the hundreds even when zero.
fn three_digits(n: u64, full: bool) -> String {
    let (hundreds, tens, units) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    let mut parts: Vec<&str> = Vec::new();
    if hundreds > 0 || full {
        parts.push(DIGITS[hundreds]);
        parts.push("trăm");
    }
    match tens {
        0 => {
            if units > 0 && !parts.is_empty() {
                parts.push("linh");
            }
            if units > 0 {
                parts.push(DIGITS[units]);
            }
        }
        1 => {
            parts.push("mười");
            match units {
                0 => {}
                5 => parts.push("lăm"),
                u => parts.push(DIGITS[u]),
            }
        }
        t => {
            parts.push(DIGITS[t]);
            parts.push("mươi");
            match units {
                0 => {}
                1 => parts.push("mốt"),
                4 => parts.push("tư"),
                5 => parts.push("lăm"),
                u => parts.push(DIGITS[u]),
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_follow_the_spoken_rules() {
        let cases = [
            (0, "không"),
            (1, "một"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
            (100, "một trăm"),
            (101, "một trăm linh một"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (999, "chín trăm chín mươi chín"),
        ];
        for (n, text) in cases {
            assert_eq!(words(n), text, "{n}");
        }
    }

    #[test]
    fn thousands_and_above_say_empty_hundreds_and_skip_empty_groups() {
        let cases = [
            (1_000, "một nghìn"),
            (1_005, "một nghìn không trăm linh năm"),
            (1_050, "một nghìn không trăm năm mươi"),
            (1_234, "một nghìn hai trăm ba mươi tư"),
            (3_720, "ba nghìn bảy trăm hai mươi"),
            (10_001, "mười nghìn không trăm linh một"),
            (100_000, "một trăm nghìn"),
            (1_000_000, "một triệu"),
            (1_000_100, "một triệu một trăm"),
            (
                2_021_015,
                "hai triệu không trăm hai mươi mốt nghìn không trăm mười lăm",
            ),
            (1_000_000_000, "một tỷ"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (5_000_000_021, "năm tỷ không trăm hai mươi mốt"),
        ];
        for (n, text) in cases {
            assert_eq!(words(n), text, "{n}");
        }
        assert!(words(u64::MAX).starts_with("mười tám tỷ bốn trăm bốn mươi sáu triệu"));
    }

    #[test]
    fn sentences_start_with_a_capital_and_figures_group_by_dots() {
        assert_eq!(words_capitalised(1_234), "Một nghìn hai trăm ba mươi tư");
        assert_eq!(words_capitalised(0), "Không");
        assert_eq!(figures(0), "0");
        assert_eq!(figures(999), "999");
        assert_eq!(figures(1_234), "1.234");
        assert_eq!(figures(100_000), "100.000");
        assert_eq!(figures(1_234_567), "1.234.567");
    }
}

//! A SHA-256 digest as 64 hexadecimal digits, the fixity of a digitised file (TT 05/2025).

use super::text::{self, string_value};
use crate::error::ValueError;

string_value!(
    /// Mã băm SHA-256 — 64 hexadecimal digits, kept in lower case.
    Sha256Hex,
    parse_sha256
);

fn parse_sha256(raw: &str) -> Result<String, ValueError> {
    let value = text::one_line("sha256", raw, 64)?;
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(value.to_ascii_lowercase());
    }
    Err(text::format_error(
        "sha256",
        &value,
        ("64 chữ số thập lục phân", "64 hexadecimal digits"),
    ))
}

#[cfg(test)]
mod tests {
    use super::Sha256Hex;

    #[test]
    fn accepts_64_hex_digits_and_lower_cases_them() {
        let digest = Sha256Hex::parse(&"AB".repeat(32)).expect("valid");
        assert_eq!(digest.as_str(), "ab".repeat(32));
    }

    #[test]
    fn refuses_short_or_non_hex_digests() {
        assert!(Sha256Hex::parse(&"a".repeat(63)).is_err());
        assert!(Sha256Hex::parse(&"g".repeat(64)).is_err());
    }
}

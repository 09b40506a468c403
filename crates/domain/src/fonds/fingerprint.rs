//! Fingerprints of long texts, so the decision state can check a correction's old title or
//! notes without keeping every title of a 100,000-file fonds in memory.

/// FNV-1a, 64 bits: fixed and documented, so a fingerprint never changes between builds
/// (unlike `DefaultHasher`). Not for security: it only guards against stale corrections.
pub(crate) fn of(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    text.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The fingerprint of optional text; absent text has its own value.
pub(crate) fn of_option(text: Option<&str>) -> u64 {
    text.map_or(0, of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv_1a_values() {
        assert_eq!(of(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(of("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn tells_different_titles_apart() {
        assert_ne!(of("Hồ sơ 1"), of("Hồ sơ 2"));
        assert_ne!(of_option(None), of_option(Some("")));
    }
}

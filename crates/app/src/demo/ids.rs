//! Deterministic identifiers: every command and every act of the demo gets the same UUID on
//! every run, so loading the demo twice appends nothing the second time.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

/// Namespaces the demo's names, so its ids never meet those of real data.
const NAMESPACE: &str = "bangiao-demo/v1/";

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// FNV-1a over 128 bits, stable across platforms and releases (unlike `std`'s hasher), then
/// mixed so that names differing in their last characters differ in every part of the id.
pub(super) fn stable_hash(text: &str) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let hash = NAMESPACE
        .bytes()
        .chain(text.bytes())
        .fold(OFFSET, |hash, byte| {
            (hash ^ u128::from(byte)).wrapping_mul(PRIME)
        });
    // Two Feistel rounds of a bijective mixer: distinct hashes stay distinct.
    let (high, low) = ((hash >> 64) as u64, hash as u64);
    let low = mix64(low ^ mix64(high));
    let high = mix64(high ^ low);
    (u128::from(high) << 64) | u128::from(low)
}

/// The SplitMix64 finaliser, a bijection on 64 bits with full avalanche.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A UUIDv7-shaped id for the act named `name` done on `date`: the timestamp is midnight UTC
/// of the business date (so ids sort by the date of the act), the rest comes from the name.
pub(super) fn act_id(date: NaiveDate, name: &str) -> Uuid {
    let days = i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE;
    let millis = u128::from(u64::try_from(days).unwrap_or(0)) * 86_400_000;
    let hash = stable_hash(name);
    let timestamp = (millis & 0xFFFF_FFFF_FFFF) << 80;
    let version = 0x7 << 76;
    let rand_a = ((hash >> 64) & 0xFFF) << 64;
    let variant = 0b10 << 62;
    let rand_b = hash & ((1 << 62) - 1);
    Uuid::from_u128(timestamp | version | rand_a | variant | rand_b)
}

/// A small, seeded pseudo-random generator (SplitMix64): the same seed gives the same demo.
pub(super) struct Rng(u64);

impl Rng {
    /// A generator seeded from a name.
    pub(super) fn seeded(name: &str) -> Self {
        let hash = stable_hash(name);
        // Folding the halves keeps every bit of the name's hash in the seed.
        Self((hash >> 64) as u64 ^ hash as u64)
    }

    /// The next 64 random bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub(super) fn between(&mut self, low: u32, high: u32) -> u32 {
        if high <= low {
            return low;
        }
        let span = u64::from(high - low) + 1;
        // The remainder is below `span`, which fits in u32 plus one.
        low + u32::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with the given chance in percent.
    pub(super) fn percent(&mut self, chance: u32) -> bool {
        self.between(0, 99) < chance
    }

    /// One item of a non-empty list.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let last = u32::try_from(items.len().saturating_sub(1)).unwrap_or(u32::MAX);
        &items[self.between(0, last) as usize]
    }
}

/// A well-formed, fake SHA-256 digest (64 hex digits) standing for a scan of `name`.
pub(super) fn fake_sha256(name: &str) -> String {
    let mut rng = Rng::seeded(name);
    (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn act_ids_are_stable_distinct_and_v7_at_the_business_date() {
        let a = act_id(day(2025, 7, 1), "close/066-UB");
        assert_eq!(a, act_id(day(2025, 7, 1), "close/066-UB"));
        assert_ne!(a, act_id(day(2025, 7, 1), "close/066-D01"));
        assert_eq!(a.get_version_num(), 7);
        let (seconds, _) = a.get_timestamp().expect("v7 has a timestamp").to_unix();
        assert_eq!(seconds, 1_751_328_000);
    }

    #[test]
    fn names_differing_at_the_end_give_unrelated_ids() {
        let (a, b) = (stable_hash("Nộp lưu 2024"), stable_hash("Nộp lưu 2025"));
        assert!((a ^ b).count_ones() > 32, "{a:x} {b:x}");
        assert!(((a ^ b) >> 64).count_ones() > 8, "{a:x} {b:x}");
    }

    #[test]
    fn the_generator_is_reproducible_and_stays_in_range() {
        let draw = |name| {
            let mut rng = Rng::seeded(name);
            (0..100).map(|_| rng.between(20, 40)).collect::<Vec<_>>()
        };
        assert_eq!(draw("066-UB"), draw("066-UB"));
        assert_ne!(draw("066-UB"), draw("066-D01"));
        assert!(draw("066-UB").iter().all(|n| (20..=40).contains(n)));
    }

    #[test]
    fn fake_digests_are_64_hex_digits() {
        let digest = fake_sha256("066-UB/2004/001");
        assert_eq!(digest.len(), 64);
        assert!(digest.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

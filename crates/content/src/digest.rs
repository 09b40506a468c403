//! The name of a blob: the SHA-256 of its bytes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

/// A blob's name: the SHA-256 of its bytes (Display/FromStr/serde as 64 lowercase hex).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// The digest of the given bytes.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hexadecimal digits of the digest.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The folder a blob of this digest lives in: its first two hexadecimal digits.
    pub fn fan_out(&self) -> String {
        hex::encode(&self.0[..1])
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

/// Why a text is not a SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "không phải mã SHA-256 (64 chữ số thập lục phân) / not a SHA-256 digest (64 hexadecimal digits): {0:?}"
)]
pub struct ParseDigestError(pub String);

impl FromStr for Digest {
    type Err = ParseDigestError;

    /// Reads 64 hexadecimal digits (either case; always written back in lowercase).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 32];
        if s.len() != 64 || hex::decode_to_slice(s, &mut bytes).is_err() {
            return Err(ParseDigestError(s.chars().take(80).collect()));
        }
        Ok(Digest(bytes))
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_empty_is_the_known_sha256() {
        let d = Digest::of(b"");
        assert_eq!(
            d.to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(d.fan_out(), "e3");
    }

    #[test]
    fn parses_either_case_and_writes_lowercase() {
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let d: Digest = upper.parse().expect("hex");
        assert_eq!(d, Digest::of(b""));
        assert_eq!(d.to_string(), upper.to_lowercase());
        assert!("abc".parse::<Digest>().is_err());
        assert!("zz".repeat(32).parse::<Digest>().is_err());
    }

    #[test]
    fn serde_is_a_hex_string() {
        let d = Digest::of(b"abc");
        let json = serde_json::to_string(&d).expect("json");
        assert_eq!(json, format!("\"{d}\""));
        let back: Digest = serde_json::from_str(&json).expect("back");
        assert_eq!(back, d);
        assert!(serde_json::from_str::<Digest>("\"nope\"").is_err());
    }
}

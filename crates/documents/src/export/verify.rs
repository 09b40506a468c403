//! The id a printed document's QR code carries, opening the public verification page
//! `/xac-minh/{id}`.
//!
//! An id names the printed document and the log position it was printed at, with a prefix of
//! the chain hash of the event there: `bb-{handover uuid, 32 hex}-{position}-{16 hex}` for the
//! minutes of a handover (the position of the handover's latest event when printed),
//! `ml-{fonds code in hex}-{position}-{16 hex}` for a fonds' Mục lục hồ sơ (the position of the
//! fonds' latest event the list includes). The page
//! compares every part with the log: the event at that position must carry that hash prefix
//! and belong to that act, so an id made up or altered (another act, position or prefix) does
//! not verify, and what the page shows comes from the log, never from the id.

use std::fmt;
use std::str::FromStr;

/// Hex digits of the chain hash an id carries (64 bits: not guessable under a rate limit).
pub const HASH_PREFIX_LEN: usize = 16;

/// The longest fonds code an id carries, in bytes (codes are far shorter).
const MAX_FONDS_CODE_BYTES: usize = 64;

/// What kind of printed document an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// Biên bản giao nhận: the minutes of a handover (its id).
    HandoverMinutes(uuid::Uuid),
    /// Mục lục hồ sơ: the inventory list of a fonds (its code).
    FondsList(String),
}

/// A printed document and the log position it was printed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationId {
    /// The document.
    pub printed: Printed,
    /// The global log position it was printed at.
    pub position: u64,
    /// The first [`HASH_PREFIX_LEN`] lowercase hex digits of the chain hash at `position`.
    pub hash_prefix: String,
}

impl VerificationId {
    /// The id of a handover's minutes printed at `position`, whose event hash is `hash_hex`.
    pub fn handover_minutes(handover_id: uuid::Uuid, position: u64, hash_hex: &str) -> Self {
        Self {
            printed: Printed::HandoverMinutes(handover_id),
            position,
            hash_prefix: hash_hex
                .chars()
                .take(HASH_PREFIX_LEN)
                .collect::<String>()
                .to_ascii_lowercase(),
        }
    }

    /// The id of a fonds' list printed when its latest event was at `position`, with hash
    /// `hash_hex`.
    pub fn fonds_list(fonds_code: &str, position: u64, hash_hex: &str) -> Self {
        Self {
            printed: Printed::FondsList(fonds_code.to_owned()),
            ..Self::handover_minutes(uuid::Uuid::nil(), position, hash_hex)
        }
    }

    /// Whether a full chain hash (hex) begins with this id's prefix.
    pub fn matches_hash(&self, hash_hex: &str) -> bool {
        self.hash_prefix.len() == HASH_PREFIX_LEN && hash_hex.starts_with(&self.hash_prefix)
    }

    /// The public address of the verification page, under the service at `base_url`.
    pub fn url(&self, base_url: &str) -> String {
        format!("{}/xac-minh/{self}", base_url.trim_end_matches('/'))
    }
}

impl fmt::Display for VerificationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.printed {
            Printed::HandoverMinutes(id) => write!(
                f,
                "bb-{}-{}-{}",
                id.simple(),
                self.position,
                self.hash_prefix
            ),
            Printed::FondsList(code) => {
                let hex: String = code.bytes().map(|b| format!("{b:02x}")).collect();
                write!(f, "ml-{hex}-{}-{}", self.position, self.hash_prefix)
            }
        }
    }
}

/// An id that is not one this service prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã xác minh không đúng dạng / malformed verification id")]
pub struct MalformedId;

impl FromStr for VerificationId {
    type Err = MalformedId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.splitn(4, '-');
        let (Some(kind), Some(subject), Some(position), Some(prefix)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(MalformedId);
        };
        let hex = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        if prefix.len() != HASH_PREFIX_LEN || !hex(prefix) {
            return Err(MalformedId);
        }
        if position.is_empty()
            || position.len() > 20
            || !position.bytes().all(|b| b.is_ascii_digit())
            || (position.len() > 1 && position.starts_with('0'))
        {
            return Err(MalformedId);
        }
        let position: u64 = position.parse().map_err(|_| MalformedId)?;
        let printed = match kind {
            "bb" if subject.len() == 32 && hex(subject) => {
                Printed::HandoverMinutes(uuid::Uuid::parse_str(subject).map_err(|_| MalformedId)?)
            }
            "ml" if !subject.is_empty()
                && subject.len() <= 2 * MAX_FONDS_CODE_BYTES
                && subject.len() % 2 == 0
                && hex(subject) =>
            {
                let bytes = (0..subject.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&subject[i..i + 2], 16))
                    .collect::<Result<Vec<u8>, _>>()
                    .map_err(|_| MalformedId)?;
                Printed::FondsList(String::from_utf8(bytes).map_err(|_| MalformedId)?)
            }
            _ => return Err(MalformedId),
        };
        Ok(Self {
            printed,
            position,
            hash_prefix: prefix.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_and_only_its_own_spelling_parses() {
        let handover = uuid::Uuid::parse_str("0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").expect("uuid");
        let id = VerificationId::handover_minutes(handover, 1234, &"5F".repeat(32));
        let text = id.to_string();
        assert_eq!(
            text,
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-1234-5f5f5f5f5f5f5f5f"
        );
        assert_eq!(text.parse::<VerificationId>(), Ok(id.clone()));
        assert_eq!(
            id.url("https://bangiao.example/"),
            format!("https://bangiao.example/xac-minh/{text}")
        );
        assert!(id.matches_hash(&"5f".repeat(32)));
        assert!(!id.matches_hash(&"5e".repeat(32)));
        for bad in [
            "",
            "bb",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-1234",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-1234-5f5f5f5f5f5f5f5",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-1234-5F5F5F5F5F5F5F5F",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-01234-5f5f5f5f5f5f5f5f",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b--5f5f5f5f5f5f5f5f",
            "bb-0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-1234-5f5f5f5f5f5f5f5f",
            "xx-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-1234-5f5f5f5f5f5f5f5f",
            "bb-0197a1b2c3d47e5f8a9b0c1d2e3f4a5b-99999999999999999999-5f5f5f5f5f5f5f5f",
        ] {
            assert_eq!(bad.parse::<VerificationId>(), Err(MalformedId), "{bad}");
        }
    }

    #[test]
    fn a_fonds_lists_id_carries_its_code_in_hex() {
        let id = VerificationId::fonds_list("066-UB", 77, &"ab".repeat(32));
        let text = id.to_string();
        assert_eq!(text, "ml-3036362d5542-77-abababababababab");
        assert_eq!(text.parse::<VerificationId>(), Ok(id));
        for bad in [
            "ml--77-abababababababab",
            "ml-3036362d554-77-abababababababab",
            "ml-3036362D5542-77-abababababababab",
            "ml-ff-77-abababababababab",
            "ml-3036362d5542-77",
        ] {
            assert_eq!(bad.parse::<VerificationId>(), Err(MalformedId), "{bad}");
        }
    }
}

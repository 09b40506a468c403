//! Identifiers of acts, wrapping UUIDs the caller generates (the domain does no I/O, so makes none).

use super::text;
use crate::error::ValueError;

/// Declares a UUID newtype with `from_uuid`, `parse`, `as_uuid`, `Display` and serde as a string.
macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident, $field:literal) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// Wraps a UUID the caller generated (UUIDv7 recommended: ids then sort by time).
            pub const fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            /// Parses the text form of a UUID.
            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                let value = text::one_line($field, raw, 45)?;
                uuid::Uuid::parse_str(&value)
                    .map(Self)
                    .map_err(|_| text::format_error($field, &value, ("một UUID", "a UUID")))
            }

            /// The wrapped UUID.
            pub const fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValueError;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.to_string()
            }
        }
    };
}

uuid_id!(
    /// Identifies one set of handover minutes (biên bản giao nhận).
    HandoverId,
    "handover_id"
);
uuid_id!(
    /// Identifies one transfer to a historical archive (đợt nộp lưu).
    TransferId,
    "transfer_id"
);
uuid_id!(
    /// Identifies one destruction procedure (đề nghị hủy tài liệu hết giá trị).
    DestructionId,
    "destruction_id"
);
uuid_id!(
    /// Identifies one hold (lệnh phong tỏa) placed for an inspection or a dispute.
    HoldId,
    "hold_id"
);
uuid_id!(
    /// Identifies one digital copy of a file (bản số hóa, or a born-digital document's content).
    CopyId,
    "copy_id"
);
uuid_id!(
    /// Identifies a batch: one act covering several fonds, recorded once in each fonds stream.
    BatchId,
    "batch_id"
);
uuid_id!(
    /// Identifies one merger or split of administrative units (sắp xếp đơn vị hành chính).
    ReorganisationId,
    "reorganisation_id"
);

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "0197f3a2-7c1e-7d3b-9a10-2b4c6d8e0f12";

    #[test]
    fn parses_and_prints_the_hyphenated_form() {
        let id = HandoverId::parse(&format!(" {} ", TEXT.to_uppercase())).expect("valid");
        assert_eq!(id.to_string(), TEXT);
    }

    #[test]
    fn refuses_text_that_is_not_a_uuid() {
        let error = TransferId::parse("bb-01").expect_err("not a uuid");
        assert_eq!(error.field(), "transfer_id");
        assert!(HoldId::parse("").is_err());
    }

    #[test]
    fn serializes_as_a_string() {
        let id = BatchId::from_uuid(uuid::Uuid::nil());
        let json = serde_json::to_string(&id).expect("serializes");
        assert_eq!(json, "\"00000000-0000-0000-0000-000000000000\"");
        assert_eq!(serde_json::from_str::<BatchId>(&json).ok(), Some(id));
    }
}

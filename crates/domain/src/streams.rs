//! The names of the streams of the log: one constructor per kind, and [`StreamKind`] to tell a
//! stored stream's kind from its name. Every crate builds and reads stream names here, so a
//! prefix is written once. The domain knows the names of the token and audit streams although
//! their events are `bangiao-auth`'s: a name is part of the log's contract, not of an event.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::values::{FondsCode, UnitCode};

/// Prefix of the `fonds-{code}` streams.
pub const FONDS_PREFIX: &str = "fonds-";
/// Prefix of the `unit-{code}` streams.
pub const UNIT_PREFIX: &str = "unit-";
/// Prefix of the `token-{id}` streams of API tokens.
pub const TOKEN_PREFIX: &str = "token-";
/// Prefix of the `audit-{date}` streams of refused requests.
pub const AUDIT_PREFIX: &str = "audit-";
/// Prefix of the `fixity-{run id}` streams of fixity runs over the blob store.
pub const FIXITY_PREFIX: &str = "fixity-";

/// The stream of a fonds, its files and the acts on them.
pub fn fonds(code: &FondsCode) -> String {
    format!("{FONDS_PREFIX}{code}")
}

/// The stream of an administrative unit and its lineage.
pub fn unit(code: &UnitCode) -> String {
    format!("{UNIT_PREFIX}{code}")
}

/// The stream of one API token.
pub fn token(id: Uuid) -> String {
    format!("{TOKEN_PREFIX}{id}")
}

/// The stream of the requests refused on `day` (UTC).
pub fn audit(day: NaiveDate) -> String {
    format!("{AUDIT_PREFIX}{}", day.format("%Y-%m-%d"))
}

/// The stream of one fixity run.
pub fn fixity(run: Uuid) -> String {
    format!("{FIXITY_PREFIX}{run}")
}

/// A kind of stream the program writes; every one is followed by a read model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// `fonds-{code}`: a fonds, its files and the acts on them.
    Fonds,
    /// `unit-{code}`: an administrative unit and its lineage.
    Unit,
    /// `token-{id}`: an API token.
    Token,
    /// `audit-{date}`: the refusals of one day.
    Audit,
    /// `fixity-{run id}`: one fixity run over the blob store.
    Fixity,
}

impl StreamKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Fonds,
        Self::Unit,
        Self::Token,
        Self::Audit,
        Self::Fixity,
    ];

    /// The prefix of the names of streams of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Fonds => FONDS_PREFIX,
            Self::Unit => UNIT_PREFIX,
            Self::Token => TOKEN_PREFIX,
            Self::Audit => AUDIT_PREFIX,
            Self::Fixity => FIXITY_PREFIX,
        }
    }

    /// The kind of the stream named `stream` and the id after its prefix; `None` when the name
    /// has no prefix the program writes (a misspelt prefix, or a stream of another program).
    pub fn of(stream: &str) -> Option<(Self, &str)> {
        Self::ALL
            .into_iter()
            .find_map(|kind| stream.strip_prefix(kind.prefix()).map(|id| (kind, id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constructed_name_parses_back_to_its_kind_and_id() {
        let fonds_code = FondsCode::parse("UB-066").expect("valid");
        let unit_code = UnitCode::parse("066N1").expect("valid");
        let id = Uuid::nil();
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date");
        assert_eq!(fonds(&fonds_code), "fonds-UB-066");
        assert_eq!(unit(&unit_code), "unit-066N1");
        assert_eq!(token(id), format!("token-{id}"));
        assert_eq!(audit(day), "audit-2026-12-05");
        assert_eq!(fixity(id), format!("fixity-{id}"));
        let nil = id.to_string();
        for (name, kind, id) in [
            (fonds(&fonds_code), StreamKind::Fonds, "UB-066"),
            (unit(&unit_code), StreamKind::Unit, "066N1"),
            (token(id), StreamKind::Token, nil.as_str()),
            (audit(day), StreamKind::Audit, "2026-12-05"),
            (fixity(id), StreamKind::Fixity, nil.as_str()),
        ] {
            assert_eq!(StreamKind::of(&name), Some((kind, id)), "{name}");
        }
    }

    #[test]
    fn a_name_with_no_known_prefix_is_of_no_kind() {
        assert_eq!(StreamKind::of("fonds-"), Some((StreamKind::Fonds, "")));
        assert_eq!(StreamKind::of("fond-066"), None);
        assert_eq!(StreamKind::of("orders-1"), None);
    }

    #[test]
    fn no_prefix_is_the_start_of_another() {
        for a in StreamKind::ALL {
            for b in StreamKind::ALL.into_iter().filter(|b| *b != a) {
                assert!(!a.prefix().starts_with(b.prefix()), "{a:?} {b:?}");
            }
        }
    }
}

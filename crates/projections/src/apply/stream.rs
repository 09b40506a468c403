//! The kinds of stream in the log, told apart by the prefix of a stream's name.

use bangiao_domain::{Aggregate, FondsAggregate, UnitAggregate};

/// The prefix of the `audit-{date}` streams of refused requests (written by the HTTP server).
const AUDIT_PREFIX: &str = "audit-";

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
}

impl StreamKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::Fonds, Self::Unit, Self::Token, Self::Audit];

    /// The prefix of the names of streams of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Fonds => FondsAggregate::STREAM_PREFIX,
            Self::Unit => UnitAggregate::STREAM_PREFIX,
            Self::Token => bangiao_auth::token::STREAM_PREFIX,
            Self::Audit => AUDIT_PREFIX,
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

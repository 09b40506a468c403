//! The event feed without its transports: the published events (streams `unit-…` and
//! `fonds-…`) from a position, then live, filtered by fonds, unit and event type, at least once
//! and in log order. HTTP serves it as Server-Sent Events (`bangiao-server`), gRPC as
//! `Feed.Subscribe` (`bangiao-grpc`); each only translates its transport.
//!
//! Titles, notes, tasks, damage notes and refusal reasons of restricted (02) and secret (03)
//! files of fonds the caller is not cleared for are replaced, as in the lists (see [`redact`]).
//! A file's access is taken from its fonds' stream as it stood at the event (the domain's own
//! fold), so a resumed feed redacts exactly as the first delivery did.

pub mod redact;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bangiao_domain::events;
use bangiao_domain::fonds::FondsState;
use bangiao_domain::streams::StreamKind;
use bangiao_domain::upcast::Upcasters;
use bangiao_domain::values::FileCode;
use bangiao_domain::{Aggregate, DomainEvent, FondsAggregate, FondsEvent, UnitEvent};
use bangiao_projections::query::inventory::hides_content;
use bangiao_store::{EventStore, RecordedEvent, StoreError};
use futures::stream::{BoxStream, StreamExt};

/// A checkpoint is sent after this many events skipped by the filters in a row.
pub const CHECKPOINT_EVERY: u64 = 1000;
/// A checkpoint is sent when the log has been quiet this long after skipped events.
pub const IDLE: Duration = Duration::from_secs(1);
/// Events waiting for a slow consumer before the feed stops reading the log.
const BUFFER: usize = 256;

/// What a subscriber follows; an empty list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedFilter {
    /// Fonds codes (stream `fonds-{code}`).
    pub fonds: Vec<String>,
    /// Unit codes: the unit's stream and the fonds whose creator belongs to it.
    pub units: Vec<String>,
    /// Event type names.
    pub event_types: Vec<String>,
}

/// One message of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedItem {
    /// A published event; its payload is current (upcast) and possibly redacted.
    Event {
        /// The event.
        event: RecordedEvent,
        /// Whether restricted content was replaced.
        redacted: bool,
    },
    /// Every event up to this position has been examined.
    Checkpoint(u64),
}

/// Why the feed stopped.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored event could not be brought to its current shape or decoded.
    #[error("event at position {position}: {reason}")]
    Stored {
        /// Its global position.
        position: u64,
        /// What went wrong.
        reason: String,
    },
    /// The redaction notice is not a valid text (a defect of the build).
    #[error("the redaction notice: {0}")]
    Notice(String),
}

impl FeedError {
    fn stored(event: &RecordedEvent, reason: impl std::fmt::Display) -> Self {
        Self::Stored {
            position: event.position,
            reason: reason.to_string(),
        }
    }
}

/// The store the feed reads.
pub type Store = Arc<dyn EventStore>;

/// Follows the log of `store` from `from_position` (inclusive; 0 means 1) through `filter`, for
/// a caller cleared for the restricted content of the fonds `cleared` (`None`: every fonds). The
/// stream ends when the consumer drops it; an error ends it after the error.
pub fn subscribe(
    store: Store,
    cleared: Option<Vec<String>>,
    from_position: u64,
    filter: FeedFilter,
) -> Result<BoxStream<'static, Result<FeedItem, FeedError>>, FeedError> {
    subscribe_through(store, cleared, from_position, filter, events::upcasters())
}

/// [`subscribe`], reading old payloads through `upcasters` instead of the domain's registry.
pub fn subscribe_through(
    store: Store,
    cleared: Option<Vec<String>>,
    from_position: u64,
    filter: FeedFilter,
    upcasters: Upcasters,
) -> Result<BoxStream<'static, Result<FeedItem, FeedError>>, FeedError> {
    let notice = redact::Notice::new().map_err(|e| FeedError::Notice(e.to_string()))?;
    let (tx, rx) = tokio::sync::mpsc::channel(BUFFER);
    let follower = Follower {
        store,
        filter,
        cleared,
        notice,
        states: HashMap::new(),
        units: HashMap::new(),
        upcasters,
    };
    tokio::spawn(follower.run(from_position.max(1), tx));
    Ok(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .boxed())
}

/// The state of one subscription.
struct Follower {
    store: Store,
    filter: FeedFilter,
    /// Fonds whose restricted content the caller may see; `None`: every fonds.
    cleared: Option<Vec<String>>,
    /// What replaces hidden text.
    notice: redact::Notice,
    /// Folded state of the fonds the caller is not cleared for, to know each file's access.
    states: HashMap<String, FondsState>,
    /// The unit of each fonds seen (from its `FondsOpened`).
    units: HashMap<String, Option<String>>,
    /// The steps that bring old payloads to their current shape.
    upcasters: Upcasters,
}

type Sender = tokio::sync::mpsc::Sender<Result<FeedItem, FeedError>>;

impl Follower {
    async fn run(mut self, from: u64, tx: Sender) {
        let mut log = self.store.subscribe_all(from);
        let mut examined = from - 1;
        let mut skipped = 0u64;
        loop {
            let item = match tokio::time::timeout(IDLE, log.next()).await {
                Err(_quiet) if skipped > 0 => {
                    skipped = 0;
                    Ok(FeedItem::Checkpoint(examined))
                }
                Err(_quiet) => continue,
                Ok(None) => return,
                Ok(Some(Err(e))) => Err(FeedError::from(e)),
                Ok(Some(Ok(event))) => {
                    examined = event.position;
                    match self.examine(event).await {
                        Ok(Some(item)) => {
                            skipped = 0;
                            Ok(item)
                        }
                        Ok(None) => {
                            skipped += 1;
                            if skipped < CHECKPOINT_EVERY {
                                continue;
                            }
                            skipped = 0;
                            Ok(FeedItem::Checkpoint(examined))
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                return;
            }
        }
    }

    /// The feed item of one event of the log, or `None` when it is not published or filtered out.
    async fn examine(&mut self, mut event: RecordedEvent) -> Result<Option<FeedItem>, FeedError> {
        let Some((kind, id)) = StreamKind::of(&event.stream) else {
            return Ok(None);
        };
        let id = id.to_owned();
        let current = match kind {
            StreamKind::Unit => UnitEvent::current_schema_version(&event.event_type),
            StreamKind::Fonds => FondsEvent::current_schema_version(&event.event_type),
            // Tokens, refusals and fixity runs are not published.
            StreamKind::Token | StreamKind::Audit | StreamKind::Fixity => return Ok(None),
        };
        let payload = self
            .upcasters
            .upcast(
                &event.event_type,
                event.schema_version,
                &event.payload,
                current,
            )
            .map_err(|e| FeedError::stored(&event, e))?
            .into_owned();
        event.payload = payload;
        event.schema_version = current;
        let matches = self.matches(&event).await?;
        if kind != StreamKind::Fonds {
            return Ok(matches.then_some(FeedItem::Event {
                event,
                redacted: false,
            }));
        }
        let fonds = id;
        let tracked = self.cleared.as_ref().is_some_and(|c| !c.contains(&fonds));
        if tracked && (matches || self.states.contains_key(&fonds)) {
            self.fold(&fonds, &event).await?;
        }
        if !matches {
            return Ok(None);
        }
        let mut redacted = false;
        if let Some(state) = self.states.get(&fonds).filter(|_| tracked) {
            let cleared = self.cleared.as_deref();
            let hidden = |code: &FileCode| {
                state
                    .file(code)
                    .is_none_or(|file| hides_content(cleared, &fonds, file.access.code()))
            };
            let mut decoded = decode(&self.upcasters, &event)?;
            redacted = redact::redact(&mut decoded, &self.notice, hidden);
            if redacted {
                event.payload = decoded.to_payload();
            }
        }
        Ok(Some(FeedItem::Event { event, redacted }))
    }

    async fn matches(&mut self, event: &RecordedEvent) -> Result<bool, FeedError> {
        let filter = &self.filter;
        if !filter.event_types.is_empty() && !filter.event_types.contains(&event.event_type) {
            return Ok(false);
        }
        if filter.fonds.is_empty() && filter.units.is_empty() {
            return Ok(true);
        }
        let fonds = match StreamKind::of(&event.stream) {
            Some((StreamKind::Unit, unit)) => return Ok(filter.units.iter().any(|u| u == unit)),
            Some((StreamKind::Fonds, fonds)) => fonds,
            Some((StreamKind::Token | StreamKind::Audit | StreamKind::Fixity, _)) | None => {
                return Ok(false);
            }
        };
        if filter.fonds.iter().any(|f| f == fonds) {
            return Ok(true);
        }
        if filter.units.is_empty() {
            return Ok(false);
        }
        let unit = self.unit_of(&event.stream, fonds).await?;
        Ok(unit.is_some_and(|u| self.filter.units.contains(&u)))
    }

    /// The unit a fonds' creator belongs to, from the fonds' first event.
    async fn unit_of(&mut self, stream: &str, fonds: &str) -> Result<Option<String>, FeedError> {
        if let Some(unit) = self.units.get(fonds) {
            return Ok(unit.clone());
        }
        let first = self.store.read_stream(stream, 0, 1).await?;
        let unit = match first
            .first()
            .map(|e| decode(&self.upcasters, e))
            .transpose()?
        {
            Some(FondsEvent::FondsOpened(opened)) => Some(opened.unit_code.as_str().to_owned()),
            _ => None,
        };
        self.units.insert(fonds.to_owned(), unit.clone());
        Ok(unit)
    }

    /// Folds `event` into the state of its fonds, reading the stream's earlier events first
    /// when the fonds is met for the first time.
    async fn fold(&mut self, fonds: &str, event: &RecordedEvent) -> Result<(), FeedError> {
        if !self.states.contains_key(fonds) {
            let mut state = FondsState::default();
            if event.revision > 0 {
                let earlier = self
                    .store
                    .read_stream(&event.stream, 0, event.revision as usize)
                    .await?;
                for stored in &earlier {
                    FondsAggregate::evolve(&mut state, &decode(&self.upcasters, stored)?);
                }
            }
            self.states.insert(fonds.to_owned(), state);
        }
        let decoded = decode(&self.upcasters, event)?;
        if let Some(state) = self.states.get_mut(fonds) {
            FondsAggregate::evolve(state, &decoded);
        }
        Ok(())
    }
}

/// Reads back one stored event of a fonds stream.
fn decode(upcasters: &Upcasters, stored: &RecordedEvent) -> Result<FondsEvent, FeedError> {
    events::decode(
        upcasters,
        &stored.event_type,
        stored.schema_version,
        &stored.payload,
    )
    .map_err(|e| FeedError::stored(stored, e))
}

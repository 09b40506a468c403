//! The event feed: the published events (streams `unit-…` and `fonds-…`) from a position, then
//! live, filtered by fonds, unit and event type, at least once and in log order. The same feed
//! serves gRPC `Feed.Subscribe` (crate `bangiao-grpc`) and, here, Server-Sent Events.
//!
//! Titles, notes, tasks and damage notes of restricted (02) and secret (03) files of fonds the
//! caller is not cleared for are replaced, as in the lists; the caller's clearance is judged when
//! the subscription starts. A file's access is taken from its fonds' stream as it stood at the
//! event (the domain's own fold), so a resumed feed redacts exactly as the first delivery did.

mod redact;

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use bangiao_auth::Principal;
use bangiao_domain::fonds::FondsState;
use bangiao_domain::values::FileCode;
use bangiao_domain::{Aggregate, DomainEvent, FondsAggregate, FondsEvent, UnitEvent};
use bangiao_projections::query::inventory::hides_content;
use bangiao_store::RecordedEvent;
use bangiao_store::upcast::Upcasters;
use futures::stream::{BoxStream, StreamExt};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::events::EventView;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::{AppState, Store};

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

/// Follows the log for `who` from `from_position` (inclusive; 0 means 1) through `filter`. The
/// stream ends when the consumer drops it; an error ends it after the error.
pub async fn subscribe(
    state: &AppState,
    who: &Principal,
    from_position: u64,
    filter: FeedFilter,
) -> Result<BoxStream<'static, Result<FeedItem, ApiError>>, ApiError> {
    let cleared = super::cleared_for(state, who).await?;
    let notice = redact::Notice::new().map_err(ApiError::internal)?;
    let (tx, rx) = tokio::sync::mpsc::channel(BUFFER);
    let follower = Follower {
        store: state.store.clone(),
        filter,
        cleared,
        notice,
        states: HashMap::new(),
        units: HashMap::new(),
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
}

type Sender = tokio::sync::mpsc::Sender<Result<FeedItem, ApiError>>;

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
                Ok(Some(Err(e))) => Err(ApiError::from(e)),
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
    async fn examine(&mut self, mut event: RecordedEvent) -> Result<Option<FeedItem>, ApiError> {
        let current = if event.stream.starts_with("unit-") {
            UnitEvent::current_schema_version(&event.event_type)
        } else if event.stream.starts_with("fonds-") {
            FondsEvent::current_schema_version(&event.event_type)
        } else {
            return Ok(None);
        };
        let payload = Upcasters::new()
            .upcast(&event, current)
            .map_err(ApiError::internal)?
            .into_owned();
        event.payload = payload;
        event.schema_version = current;
        let matches = self.matches(&event).await?;
        let Some(fonds) = event.stream.strip_prefix("fonds-").map(str::to_owned) else {
            return Ok(matches.then_some(FeedItem::Event {
                event,
                redacted: false,
            }));
        };
        let tracked = self
            .cleared
            .as_ref()
            .is_some_and(|c| !c.iter().any(|f| *f == fonds));
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
            let mut decoded = decode(&event)?;
            redacted = redact::redact(&mut decoded, &self.notice, hidden);
            if redacted {
                event.payload = decoded.to_payload();
            }
        }
        Ok(Some(FeedItem::Event { event, redacted }))
    }

    async fn matches(&mut self, event: &RecordedEvent) -> Result<bool, ApiError> {
        let filter = &self.filter;
        if !filter.event_types.is_empty() && !filter.event_types.contains(&event.event_type) {
            return Ok(false);
        }
        if filter.fonds.is_empty() && filter.units.is_empty() {
            return Ok(true);
        }
        if let Some(unit) = event.stream.strip_prefix("unit-") {
            return Ok(filter.units.iter().any(|u| u == unit));
        }
        let Some(fonds) = event.stream.strip_prefix("fonds-") else {
            return Ok(false);
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
    async fn unit_of(&mut self, stream: &str, fonds: &str) -> Result<Option<String>, ApiError> {
        if let Some(unit) = self.units.get(fonds) {
            return Ok(unit.clone());
        }
        let first = self.store.read_stream(stream, 0, 1).await?;
        let unit = match first.first().map(decode).transpose()? {
            Some(FondsEvent::FondsOpened(opened)) => Some(opened.unit_code.as_str().to_owned()),
            _ => None,
        };
        self.units.insert(fonds.to_owned(), unit.clone());
        Ok(unit)
    }

    /// Folds `event` into the state of its fonds, reading the stream's earlier events first
    /// when the fonds is met for the first time.
    async fn fold(&mut self, fonds: &str, event: &RecordedEvent) -> Result<(), ApiError> {
        if !self.states.contains_key(fonds) {
            let mut state = FondsState::default();
            if event.revision > 0 {
                let earlier = self
                    .store
                    .read_stream(&event.stream, 0, event.revision as usize)
                    .await?;
                for stored in &earlier {
                    FondsAggregate::evolve(&mut state, &decode(stored)?);
                }
            }
            self.states.insert(fonds.to_owned(), state);
        }
        let decoded = decode(event)?;
        if let Some(state) = self.states.get_mut(fonds) {
            FondsAggregate::evolve(state, &decoded);
        }
        Ok(())
    }
}

fn decode(stored: &RecordedEvent) -> Result<FondsEvent, ApiError> {
    let current = FondsEvent::current_schema_version(&stored.event_type);
    let payload = Upcasters::new()
        .upcast(stored, current)
        .map_err(ApiError::internal)?;
    FondsEvent::from_payload(&stored.event_type, &payload).map_err(ApiError::internal)
}

/// Where the SSE feed starts and what it follows.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// The first global position to send (default 1). A `Last-Event-ID` header (the position
    /// of the last event or checkpoint received) takes precedence: the feed resumes after it.
    pub from_position: Option<u64>,
    /// Fonds codes, comma-separated.
    pub fonds: Option<String>,
    /// Unit codes, comma-separated: the unit's stream and the fonds of its creators.
    pub unit: Option<String>,
    /// Event types, comma-separated, e.g. `HandoverReceived,TransferAccepted`.
    pub event_type: Option<String>,
}

fn list(text: Option<&str>) -> Vec<String> {
    text.into_iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One event as an SSE `data:` line: the shape of `GET /api/v1/events`, and `redacted`.
#[derive(Debug, Serialize)]
struct FeedEventJson {
    #[serde(flatten)]
    event: EventView,
    redacted: bool,
}

fn sse_event(item: Result<FeedItem, ApiError>) -> SseEvent {
    match item {
        Ok(FeedItem::Event { event, redacted }) => {
            let id = event.position.to_string();
            let name = event.event_type.clone();
            let body = FeedEventJson {
                event: EventView::from(event),
                redacted,
            };
            SseEvent::default()
                .id(id)
                .event(name)
                .json_data(body)
                .unwrap_or_else(|_| SseEvent::default().event("error"))
        }
        Ok(FeedItem::Checkpoint(position)) => SseEvent::default()
            .id(position.to_string())
            .event("checkpoint")
            .data(format!("{{\"position\":{position}}}")),
        Err(e) => SseEvent::default()
            .event("error")
            .json_data(e.problem())
            .unwrap_or_else(|_| SseEvent::default().event("error")),
    }
}

/// One Server-Sent Event of the feed, as a client's SSE parser hands it over.
#[derive(Debug, utoipa::ToSchema)]
pub struct FeedMessage {
    /// The global position (absent on keep-alive comments).
    pub id: Option<String>,
    /// The event type name, `checkpoint`, or `error`.
    pub event: Option<String>,
    /// The event as JSON text (see `GET /api/v1/events`), or `{"position":N}` for a checkpoint.
    pub data: String,
    /// Reconnection delay asked by the server, in milliseconds.
    pub retry: Option<u64>,
}

/// The event feed as Server-Sent Events: `id` is the global position, `event` the type name
/// (or `checkpoint`), `data` the event as `GET /api/v1/events` gives it, with `redacted`.
#[utoipa::path(get, path = "/api/v1/events/feed", tag = "events",
    params(FeedParams, ("Last-Event-ID" = Option<String>, Header, description = "Resume after this position")),
    responses((status = 200, content_type = "text/event-stream", description = "Events, then live: each message as FeedMessage", body = FeedMessage)))]
pub async fn sse(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<FeedParams>,
) -> Result<Sse<impl futures::Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|last| last + 1);
    let from = resume.or(params.from_position).unwrap_or(1);
    let filter = FeedFilter {
        fonds: list(params.fonds.as_deref()),
        units: list(params.unit.as_deref()),
        event_types: list(params.event_type.as_deref()),
    };
    let items = subscribe(&state, &who, from, filter).await?;
    let events = items.map(|item| Ok(sse_event(item))).boxed();
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parameters_are_split_on_commas() {
        assert_eq!(list(Some(" a, b,,c ")), ["a", "b", "c"]);
        assert!(list(None).is_empty());
    }
}

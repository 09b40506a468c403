//! The event feed over HTTP as Server-Sent Events: the transport of `bangiao-feed`, which holds
//! the feed itself (reading the log, filtering, redaction, checkpoints).

use std::convert::Infallible;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use bangiao_auth::Principal;
use bangiao_feed::{FeedError, FeedFilter, FeedItem};
use futures::stream::{BoxStream, StreamExt};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::events::EventView;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::AppState;

impl From<FeedError> for ApiError {
    fn from(e: FeedError) -> Self {
        match e {
            FeedError::Store(e) => Self::from(e),
            FeedError::Stored { .. } | FeedError::Notice(_) => Self::internal(e),
        }
    }
}

/// Follows the log for `who` from `from_position` (inclusive; 0 means 1) through `filter`, with
/// the content of the fonds `who` is not cleared for redacted (judged now, once).
async fn subscribe(
    state: &AppState,
    who: &Principal,
    from_position: u64,
    filter: FeedFilter,
) -> Result<BoxStream<'static, Result<FeedItem, ApiError>>, ApiError> {
    let cleared = super::cleared_for(state, who).await?;
    let items = bangiao_feed::subscribe(state.store.clone(), cleared, from_position, filter)?;
    Ok(items.map(|item| item.map_err(ApiError::from)).boxed())
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

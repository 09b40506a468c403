//! `/events`: the global log itself, for auditors and simple consumers.

use axum::extract::State;
use axum::response::Response;
use bangiao_store::RecordedEvent;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Page, Projected, answer};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Where to start reading the log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventCursor {
    /// The first global position to return (default 1); pass the previous page's `next`.
    pub after: Option<u64>,
    /// Events per page, 1–1000, default 100; more is refused (400 `limit_out_of_range`).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// One stored event with its envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// Global position.
    pub position: u64,
    /// Stream, e.g. `fonds-066-UB`.
    pub stream: String,
    /// Revision in the stream.
    pub revision: u64,
    /// Event id.
    pub event_id: String,
    /// Type name.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: u32,
    /// Payload.
    pub data: serde_json::Value,
    /// Envelope metadata (effective date, recorded time, actor, command, legal basis).
    pub metadata: serde_json::Value,
    /// Chain hash (hex).
    pub hash: String,
}

impl From<RecordedEvent> for EventView {
    fn from(e: RecordedEvent) -> Self {
        let hash = e.hash_hex();
        Self {
            position: e.position,
            stream: e.stream,
            revision: e.revision,
            event_id: e.event_id.to_string(),
            event_type: e.event_type,
            schema_version: e.schema_version,
            data: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::String(e.payload)),
            metadata: serde_json::from_str(&e.metadata)
                .unwrap_or(serde_json::Value::String(e.metadata)),
            hash,
        }
    }
}

/// Reads the global log forward.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventCursor),
    responses((status = 200, body = Page<EventView>)))]
pub async fn list(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(cursor): ApiQuery<EventCursor>,
) -> Result<Response, ApiError> {
    let limit = bangiao_projections::query::page_size(cursor.limit)?;
    let from = cursor.after.map_or(1, |a| a + 1);
    let events = state
        .store
        .read_all(from, limit as usize)
        .await
        .map_err(ApiError::from)?;
    let next = (events.len() == limit as usize)
        .then(|| events.last().map(|e| e.position.to_string()))
        .flatten();
    let items: Vec<EventView> = events.into_iter().map(EventView::from).collect();
    Ok(answer(projected, Page { items, next }))
}

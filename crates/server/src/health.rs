//! `/health/live` and `/health/ready`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Lag beyond which the service reports itself not ready (events the read models are behind).
pub const READY_MAX_LAG: u64 = 50_000;

/// Where the log and the read models stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// live, ready or catching_up.
    pub status: &'static str,
    /// Position of the last event in the log.
    pub log_position: u64,
    /// Position of the last event in the read models.
    pub projected_position: u64,
}

/// The process is up.
#[utoipa::path(get, path = "/health/live", tag = "health", responses((status = 200, body = Health)))]
pub async fn live(State(state): State<AppState>) -> Response {
    let body = Health {
        status: "live",
        log_position: state.store.head_position(),
        projected_position: state.read.position(),
    };
    axum::Json(body).into_response()
}

/// The read models have caught up with the log (503 until they have).
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let log_position = state.store.head_position();
    let projected_position = state.read.position();
    let caught_up =
        state.caught_up_once() && log_position.saturating_sub(projected_position) <= READY_MAX_LAG;
    let (status, text) = if caught_up {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "catching_up")
    };
    (
        status,
        axum::Json(Health {
            status: text,
            log_position,
            projected_position,
        }),
    )
        .into_response()
}

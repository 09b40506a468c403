//! Read endpoints: every read model as a GET. Each read may ask to wait until the read models
//! have applied a position a command returned (`?wait_for=`), so a user sees what they just did.

pub mod acts;
pub mod audit;
pub mod events;
pub mod feed;
pub mod files;
pub mod fonds;
pub mod inventory;
pub mod packages;
pub mod units;
pub mod verification;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use bangiao_projections::ProjectionError;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The header telling how far the read models had come when the answer was read.
pub const PROJECTION_POSITION: HeaderName = HeaderName::from_static("x-projection-position");

/// `?wait_for=`: a global position a command returned. A position beyond the log's end is
/// refused at once (409 `position_not_reached`); one the read models do not reach within
/// `HttpConfig::max_read_wait` is answered 503 `projection_lagging` with `Retry-After`, never
/// with stale data.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaitFor {
    /// Wait (a few seconds at most) until the read models have applied this position: 409
    /// `position_not_reached` when the log does not hold it, 503 `projection_lagging` (with
    /// `Retry-After`) when the read models do not reach it in time.
    pub wait_for: Option<u64>,
}

/// The position the read models had reached, after any wait the request asked for.
pub struct Projected(pub u64);

impl FromRequestParts<AppState> for Projected {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiQuery(WaitFor { wait_for }) =
            ApiQuery::<WaitFor>::from_request_parts(parts, state).await?;
        projected(state, wait_for).await.map(Self)
    }
}

/// The read models' position once they have applied `wait_for` (HTTP `?wait_for=`, gRPC
/// `wait_for`): a position beyond the log's end is refused at once, one not reached within
/// `max_read_wait` is refused as lagging, never answered with stale data.
pub async fn projected(state: &AppState, wait_for: Option<u64>) -> Result<u64, ApiError> {
    let Some(asked) = wait_for else {
        return Ok(state.read.position());
    };
    // A position the log does not hold would only be waited for in vain.
    let head = state.store.head_position();
    if asked > head {
        return Err(ApiError::position_not_reached(asked, head));
    }
    let reached = state.read.wait_for(asked, state.config.max_read_wait).await;
    if reached < asked {
        return Err(ApiError::projection_lagging(asked, reached));
    }
    Ok(reached)
}

/// One page of a list and the cursor of the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; none on the last page.
    pub next: Option<String>,
}

/// A JSON answer stamped with the read models' position.
pub fn answer<T: Serialize>(Projected(position): Projected, body: T) -> Response {
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(PROJECTION_POSITION, HeaderValue::from(position));
    response
}

/// The fonds whose restricted titles the caller may see (`None`: every fonds).
pub async fn cleared_for(
    state: &AppState,
    who: &bangiao_auth::Principal,
) -> Result<Option<Vec<String>>, ApiError> {
    let who = who.clone();
    query(state, move |c| {
        bangiao_projections::query::access::cleared_fonds(c, &who)
    })
    .await
}

/// Runs a query on a read connection.
pub async fn query<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> Result<T, ProjectionError> + Send + 'static,
{
    Ok(state.read.readers().with(f).await?)
}

/// Runs a point query (one row found by its key, a few microseconds) on the request's own
/// thread. Handing it to the blocking pool costs more than the query: under 64 clients, waking
/// blocking threads took about 40 % of the server's CPU on custody reads. Lists, pages and
/// exports, whose time grows with the data, go through [`query`].
pub fn query_point<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&Connection) -> Result<T, ProjectionError>,
{
    Ok(state.read.readers().with_blocking(f)?)
}

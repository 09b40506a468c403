//! Backpressure on writes: at most `HttpConfig::max_pending_writes` commands are in flight at
//! once; one more is answered `503 busy` with `Retry-After` at once, instead of queueing without
//! bound and growing memory while the disk catches up.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::state::AppState;

/// The permits of commands in flight.
#[derive(Debug, Clone)]
pub struct WritePermits(Arc<Semaphore>);

impl WritePermits {
    /// Room for `limit` commands in flight.
    pub fn new(limit: usize) -> Self {
        Self(Arc::new(Semaphore::new(limit.max(1))))
    }

    /// A permit for one command, held until dropped; `None` when all are taken.
    pub fn try_acquire(&self) -> Option<OwnedSemaphorePermit> {
        self.0.clone().try_acquire_owned().ok()
    }

    /// Commands that could still be admitted now.
    pub fn available(&self) -> usize {
        self.0.available_permits()
    }
}

/// Middleware: admits a command when a permit is free, else refuses it with 503 and
/// `Retry-After`; reads pass untouched.
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(_permit) = state.write_permits.try_acquire() else {
        return ApiError::busy().into_response();
    };
    next.run(request).await
}

//! Backpressure on writes: at most `HttpConfig::max_pending_writes` commands are in flight at
//! once; one more is answered `503 busy` with `Retry-After` at once, instead of queueing without
//! bound and growing memory while the disk catches up.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use bangiao_app::pipeline::{Permit, WritePermits};

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware: admits a command when a permit is free (the command pipeline's own admission,
/// the one write limit of every door), else refuses it with 503 and `Retry-After`; reads pass
/// untouched. The permit travels with the request to the handler ([`Admitted`]).
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let permit = match state.commands.admit::<ApiError>() {
        Ok(permit) => permit,
        Err(refusal) => return ApiError::from(refusal).into_response(),
    };
    let mut request = request;
    request.extensions_mut().insert(permit.clone());
    let response = next.run(request).await;
    drop(permit);
    response
}

/// What the layers before a command handler established: the write permit the admission
/// middleware took, the caller the authentication middleware resolved, and what the command
/// route's first gate decided (`crate::auth::FirstGate`).
pub struct Admitted {
    /// The write permit.
    pub permit: Permit,
    /// The caller.
    pub who: bangiao_auth::Principal,
    /// The first gate's decision, when it could decide before the body was read.
    pub decided: Option<bangiao_app::pipeline::Decided>,
}

impl<S: Send + Sync> FromRequestParts<S> for Admitted {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let extensions = &parts.extensions;
        let permit = extensions
            .get::<Permit>()
            .cloned()
            .ok_or_else(|| ApiError::internal("a command ran without a write permit"))?;
        let who = extensions
            .get::<bangiao_auth::Principal>()
            .cloned()
            .ok_or_else(|| ApiError::internal("a command ran without an authenticated caller"))?;
        let decided = extensions
            .get::<crate::auth::FirstGate>()
            .and_then(|gate| gate.0.clone());
        Ok(Self {
            permit,
            who,
            decided,
        })
    }
}

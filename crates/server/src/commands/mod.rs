//! Command endpoints: every act of the domain as a POST. The body is the domain command itself
//! (unknown fields refused); `Idempotency-Key` is the command id and `If-Match` the revision.
//! Each handler only translates HTTP to the command pipeline (`bangiao_app::pipeline`) and its
//! outcome back.

pub mod fonds;
pub mod imports;
pub mod sip;
pub mod units;

use axum::http::header::ETAG;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bangiao_app::Accepted;
use bangiao_app::pipeline::{Call, Command, Envelope, Refusal};
use serde::Serialize;
use utoipa::ToSchema;

use crate::admission::Admitted;
use crate::auth::forbidden;
use crate::error::ApiError;
use crate::state::AppState;

impl From<Refusal<ApiError>> for ApiError {
    fn from(refusal: Refusal<ApiError>) -> Self {
        match refusal {
            Refusal::Busy => Self::busy(),
            Refusal::Denied(denial) => forbidden(&denial),
            Refusal::Envelope(error) => {
                Self::bad_request(error.code(), error.message_vi(), error.message_en())
            }
            Refusal::Facts(error) => error,
            Refusal::Handle(error) => error.into(),
        }
    }
}

/// The action a command route asks for (the action of its command type), for the permission
/// matrix; `None` for a route that is not a command's.
pub fn route_action(route: &str) -> Option<bangiao_auth::Action> {
    fonds::ROUTES
        .iter()
        .chain(units::ROUTES)
        .chain(crate::copies::ROUTES)
        .find(|(path, _)| *path == route)
        .map(|(_, action)| *action)
}

/// Runs an admitted command through the pipeline in the caller's name; 201 with its outcome.
pub async fn execute(
    state: &AppState,
    admitted: Admitted,
    asked: &str,
    command: Command,
    envelope: Envelope,
) -> Result<Response, ApiError> {
    let destruction = executed_destruction(&command);
    let call = Call {
        who: &admitted.who,
        asked,
        command,
        envelope,
        decided: admitted.decided,
    };
    let outcome = state.commands.run(&admitted.permit, state, call).await?;
    if let Some(id) = destruction {
        after_destruction(state, id, outcome.position).await;
    }
    accepted(outcome)
}

/// The destruction a command executes, if it is one.
pub fn executed_destruction(command: &Command) -> Option<String> {
    match command {
        Command::Fonds {
            command: bangiao_domain::FondsCommand::ExecuteDestruction(e),
            ..
        } => Some(e.destruction_id.to_string()),
        _ => None,
    }
}

/// Deletes the blobs of the copies an executed destruction deleted (its event, stored, keeps
/// their checksums). A failure is logged, not answered: the act is recorded, and the start-up
/// sweep removes what is left.
pub async fn after_destruction(state: &AppState, destruction: String, position: u64) {
    match crate::copies::sweep(state, Some(destruction.clone()), position).await {
        Ok(removed) => tracing::info!(%destruction, removed, "copies of destroyed files deleted"),
        Err(error) => {
            tracing::warn!(%destruction, ?error, "copies of destroyed files not deleted yet")
        }
    }
}

/// What an accepted command did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandAccepted {
    /// Global position of the last event written: pass it as `wait_for` to read your write.
    pub position: u64,
    /// The stream's revision now (also the `ETag`): pass it as `If-Match` with the next command.
    pub revision: Option<u64>,
    /// Types of the events recorded.
    pub events: Vec<String>,
    /// True when this was a retry of a command already applied: nothing new was written.
    pub replayed: bool,
    /// What the act should make you check, though it was accepted (e.g. `box_over_capacity`: a box
    /// listing more sheets than a box holds).
    pub warnings: Vec<Warning>,
}

/// A warning about an accepted act.
#[derive(Debug, Serialize, ToSchema)]
pub struct Warning {
    /// Stable code, e.g. `box_over_capacity`.
    pub code: String,
    /// The warning in Vietnamese.
    pub message_vi: String,
    /// The warning in English.
    pub message_en: String,
}

/// 201 with the outcome, and the revision as `ETag`. A retry of a command already applied gets
/// the first answer again (201, the same position, revision and events) with `replayed: true`
/// and the header `Idempotent-Replayed: true`.
pub fn accepted(outcome: Accepted) -> Result<Response, ApiError> {
    let status = StatusCode::CREATED;
    let body = CommandAccepted {
        position: outcome.position,
        revision: outcome.revision,
        events: outcome.events.iter().map(|e| (*e).to_owned()).collect(),
        replayed: outcome.replayed,
        warnings: outcome
            .warnings
            .iter()
            .map(|w| Warning {
                code: w.code().to_owned(),
                message_vi: w.message_vi(),
                message_en: w.message_en(),
            })
            .collect(),
    };
    let mut response = (status, axum::Json(body)).into_response();
    if outcome.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    if let Some(revision) = outcome.revision {
        let etag = HeaderValue::from_str(&format!("\"{revision}\"")).map_err(ApiError::internal)?;
        response.headers_mut().insert(ETAG, etag);
    }
    Ok(response)
}

/// Parses a code taken from the path, as a 400 problem when it is malformed.
pub fn path_code<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, bangiao_domain::ValueError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            e.message_vi(),
            e.message_en(),
        )
        .with_field(e.field().to_string())
    })
}

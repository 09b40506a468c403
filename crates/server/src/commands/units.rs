//! Acts on administrative units: register, end, merge, split.

use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit, UnitDetails};
use bangiao_domain::values::{LegalBasis, ReorganisationId, UnitCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use bangiao_app::pipeline::{Act, Command};

use super::{execute, path_code};
use crate::admission::Admitted;
use crate::error::ApiError;
use crate::extract::{ApiJson, CommandHeaders, bind_request};
use crate::state::AppState;

/// The action each unit command route asks for: the action of its command type.
pub const ROUTES: &[(&str, bangiao_auth::Action)] = &[
    ("/api/v1/units", <RegisterUnit as Act>::ACTION),
    ("/api/v1/units/{code}/end", <EndUnit as Act>::ACTION),
    ("/api/v1/units/{code}/merge", <MergeUnits as Act>::ACTION),
    ("/api/v1/units/{code}/split", <SplitUnit as Act>::ACTION),
];

/// Đăng ký đơn vị — registers a unit; its code comes in the body.
#[utoipa::path(post, path = "/api/v1/units", tag = "unit commands", request_body = RegisterUnit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)")),
    responses((status = 201, body = super::CommandAccepted), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    admitted: Admitted,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(command): ApiJson<RegisterUnit>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &command)?;
    let command = Command::RegisterUnit(command);
    execute(&state, admitted, "POST /api/v1/units", command, envelope).await
}

/// Kết thúc hoạt động — ends a unit that has no successor (a district when the tier was abolished).
#[utoipa::path(post, path = "/api/v1/units/{code}/end", tag = "unit commands", request_body = EndUnit,
    params(("code" = String, Path, description = "Mã đơn vị"), ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)"),
        ("If-Match" = Option<String>, Header, description = "Expected stream revision")),
    responses((status = 201, body = super::CommandAccepted), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn end(
    State(state): State<AppState>,
    admitted: Admitted,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(command): ApiJson<EndUnit>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &command)?;
    let code = path_code(&code, UnitCode::parse)?;
    let command = Command::EndUnit { code, command };
    execute(
        &state,
        admitted,
        "POST /api/v1/units/{code}/end",
        command,
        envelope,
    )
    .await
}

/// Sáp nhập: the units merged into the unit of the path.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The units merged (2 or more into a new unit; 1 or more into an existing one).
    pub predecessors: Vec<UnitCode>,
    /// Identifies the merger in every stream it touches.
    pub merger_id: ReorganisationId,
    /// The day it takes effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering it.
    pub legal_basis: LegalBasis,
    /// The successor's description when it is a new unit; absent when an existing unit absorbs.
    pub new_successor: Option<UnitDetails>,
}

/// Sáp nhập — merges units into the unit of the path (new when described, else existing).
#[utoipa::path(post, path = "/api/v1/units/{code}/merge", tag = "unit commands", request_body = MergeRequest,
    params(("code" = String, Path, description = "Mã đơn vị kế thừa (successor)"), ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)")),
    responses((status = 201, body = super::CommandAccepted), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn merge(
    State(state): State<AppState>,
    admitted: Admitted,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(request): ApiJson<MergeRequest>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &request)?;
    let successor = path_code(&code, UnitCode::parse)?;
    let command = MergeUnits {
        merger_id: request.merger_id,
        effective_on: request.effective_on,
        legal_basis: request.legal_basis,
        new_successor: request.new_successor,
    };
    let command = Command::MergeUnits {
        successor,
        predecessors: request.predecessors,
        command,
    };
    let asked = "POST /api/v1/units/{code}/merge";
    execute(&state, admitted, asked, command, envelope).await
}

/// One new unit a split forms.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitPart {
    /// Its code.
    pub code: UnitCode,
    /// What it is.
    pub details: UnitDetails,
}

/// Chia: the new units the unit of the path is split into.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// The new units (two or more).
    pub successors: Vec<SplitPart>,
    /// Identifies the split in every stream it touches.
    pub split_id: ReorganisationId,
    /// The day it takes effect.
    pub effective_on: NaiveDate,
    /// The resolution ordering it.
    pub legal_basis: LegalBasis,
}

/// Chia — splits the unit of the path into new units.
#[utoipa::path(post, path = "/api/v1/units/{code}/split", tag = "unit commands", request_body = SplitRequest,
    params(("code" = String, Path, description = "Mã đơn vị bị chia"), ("Idempotency-Key" = Option<String>, Header, description = "Command id (UUID)")),
    responses((status = 201, body = super::CommandAccepted), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn split(
    State(state): State<AppState>,
    admitted: Admitted,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    CommandHeaders(mut envelope): CommandHeaders,
    ApiJson(request): ApiJson<SplitRequest>,
) -> Result<Response, ApiError> {
    bind_request(&mut envelope, uri.path(), &request)?;
    let predecessor = path_code(&code, UnitCode::parse)?;
    let successors = request
        .successors
        .into_iter()
        .map(|p| (p.code, p.details))
        .collect();
    let command = SplitUnit {
        split_id: request.split_id,
        effective_on: request.effective_on,
        legal_basis: request.legal_basis,
    };
    let command = Command::SplitUnit {
        predecessor,
        successors,
        command,
    };
    let asked = "POST /api/v1/units/{code}/split";
    execute(&state, admitted, asked, command, envelope).await
}

//! `/audit` and `/tokens`: for inspectors and administrators.

use axum::extract::State;
use axum::response::Response;
use bangiao_projections::query::access::{self, DenialRow, TokenRow};
use bangiao_projections::query::page_size;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Page, Projected, answer, query};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Where to start reading the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditCursor {
    /// The `next` cursor of the previous page.
    pub after: Option<i64>,
    /// Rows per page, 1–1000, default 100; more is refused (400 `limit_out_of_range`).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Refused requests: who, what, why (every event of the log also names its actor: see `/events`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditCursor),
    responses((status = 200, body = Page<DenialRow>), (status = 403, body = crate::error::Problem)))]
pub async fn denials(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(cursor): ApiQuery<AuditCursor>,
) -> Result<Response, ApiError> {
    let limit = page_size(cursor.limit)?;
    let after = cursor.after.unwrap_or(0);
    let items = query(&state, move |c| access::denials(c, after, limit)).await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last().map(|r| r.position.to_string()))
        .flatten();
    Ok(answer(projected, Page { items, next }))
}

/// API tokens (never their secrets): who, which role and scope, until when, revoked or not.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "audit",
    responses((status = 200, body = Page<TokenRow>), (status = 403, body = crate::error::Problem)))]
pub async fn tokens(
    State(state): State<AppState>,
    projected: Projected,
) -> Result<Response, ApiError> {
    let items = query(&state, access::tokens).await?;
    Ok(answer(projected, Page { items, next: None }))
}

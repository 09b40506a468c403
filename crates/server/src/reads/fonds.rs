//! `/fonds`: the fonds with their status, one fonds, and its custody history.

use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::ETAG;
use axum::response::Response;
use bangiao_projections::query::custody::{self, FondsCustodyChange};
use bangiao_projections::query::{fonds, page_size};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Page, Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Search parameters of the fonds list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FondsSearch {
    /// Words of the name or the code, diacritics and case ignored.
    pub q: Option<String>,
    /// Only the fonds of this unit.
    pub unit: Option<String>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Most fonds returned (1–1000, default 100; more is refused: 400 `limit_out_of_range`).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Lists fonds with their status (open, closed, partly transferred, transferred).
#[utoipa::path(get, path = "/api/v1/fonds", tag = "fonds", params(FondsSearch, WaitFor),
    responses((status = 200, body = Page<fonds::FondsRow>)))]
pub async fn list(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(search): ApiQuery<FondsSearch>,
) -> Result<Response, ApiError> {
    let limit = page_size(search.limit)?;
    let items = query(&state, move |c| {
        fonds::list(
            c,
            search.q.as_deref(),
            search.unit.as_deref(),
            search.after.as_deref(),
            limit,
        )
    })
    .await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last().map(|f| f.code.clone()))
        .flatten();
    Ok(answer(projected, Page { items, next }))
}

/// One fonds; its `ETag` is the stream revision to send as `If-Match` with a command.
#[utoipa::path(get, path = "/api/v1/fonds/{code}", tag = "fonds", params(("code" = String, Path, description = "Mã phông"), WaitFor),
    responses((status = 200, body = fonds::FondsRow), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let key = code.clone();
    let row = query(&state, move |c| fonds::get(c, &key)).await?;
    let row = row.ok_or_else(|| ApiError::fonds_not_found(&code))?;
    let revision = state
        .store
        .stream_revision(&format!("{}{code}", bangiao_domain::streams::FONDS_PREFIX))
        .await
        .map_err(ApiError::from)?;
    let mut response = answer(projected, row);
    if let Some(revision) = revision {
        response.headers_mut().insert(
            ETAG,
            HeaderValue::from_str(&format!("\"{revision}\"")).map_err(ApiError::internal)?,
        );
    }
    Ok(response)
}

/// The custody history of a fonds.
#[derive(Debug, Serialize, ToSchema)]
pub struct FondsHistory {
    /// Mã phông.
    pub fonds_code: String,
    /// Who held it first.
    pub first_custodian: String,
    /// Since when.
    pub since: NaiveDate,
    /// Every act that moved files since.
    pub changes: Vec<FondsCustodyChange>,
}

/// The custody history of a fonds: its first custodian, then every handover, transfer and destruction.
#[utoipa::path(get, path = "/api/v1/fonds/{code}/history", tag = "fonds", params(("code" = String, Path, description = "Mã phông"), WaitFor),
    responses((status = 200, body = FondsHistory), (status = 404, body = crate::error::Problem)))]
pub async fn history(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let key = code.clone();
    let found = query(&state, move |c| custody::fonds_history(c, &key)).await?;
    let (first_custodian, since, changes) =
        found.ok_or_else(|| ApiError::fonds_not_found(&code))?;
    Ok(answer(
        projected,
        FondsHistory {
            fonds_code: code,
            first_custodian,
            since,
            changes,
        },
    ))
}

//! `/units`: administrative units and their lineage.

use axum::extract::{Path, State};
use axum::response::Response;
use bangiao_projections::query::{page_size, units};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Page, Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Search parameters of the unit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitSearch {
    /// Words of the name or the code, diacritics and case ignored.
    pub q: Option<String>,
    /// Most units returned (1–1000, default 100; more is refused: 400 `limit_out_of_range`).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Lists units matching a search.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitSearch, WaitFor),
    responses((status = 200, body = Page<units::UnitRow>)))]
pub async fn list(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(search): ApiQuery<UnitSearch>,
) -> Result<Response, ApiError> {
    let limit = page_size(search.limit)?;
    let items = query(&state, move |c| {
        units::search(c, search.q.as_deref(), limit)
    })
    .await?;
    Ok(answer(projected, Page { items, next: None }))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "units", params(("code" = String, Path, description = "Mã đơn vị"), WaitFor),
    responses((status = 200, body = units::UnitRow), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let key = code.clone();
    let unit = query(&state, move |c| units::get(c, &key)).await?;
    let unit = unit.ok_or_else(|| ApiError::unit_not_found(&code))?;
    Ok(answer(projected, unit))
}

/// A unit's lineage: predecessors and successors with dates and legal basis, and the units below it.
#[utoipa::path(get, path = "/api/v1/units/{code}/lineage", tag = "units", params(("code" = String, Path, description = "Mã đơn vị"), WaitFor),
    responses((status = 200, body = units::Lineage), (status = 404, body = crate::error::Problem)))]
pub async fn lineage(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let key = code.clone();
    let lineage = query(&state, move |c| units::lineage(c, &key)).await?;
    let lineage = lineage.ok_or_else(|| ApiError::unit_not_found(&code))?;
    Ok(answer(projected, lineage))
}

//! `/files/{code}`: custody now or as of a date, and custody history.

use axum::extract::{Path, State};
use axum::response::Response;
use bangiao_projections::query::custody::{self, Custody, CustodySpan};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Projected, WaitFor, answer, query, query_point};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// `?as_of=`: the day asked about.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// "Who held it on this day" (YYYY-MM-DD); now when absent.
    pub as_of: Option<NaiveDate>,
}

/// Who holds a file now, or held it on `as_of`.
#[utoipa::path(get, path = "/api/v1/files/{code}/custody", tag = "files", params(("code" = String, Path, description = "Mã hồ sơ"), AsOf, WaitFor),
    responses((status = 200, body = Custody), (status = 404, body = crate::error::Problem)))]
pub async fn custody(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
    ApiQuery(AsOf { as_of }): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let found = query_point(&state, |c| match as_of {
        Some(day) => custody::as_of(c, &code, day),
        None => custody::now(c, &code),
    })?;
    let found = found.ok_or_else(|| ApiError::not_found("hồ sơ", "file", &code))?;
    Ok(answer(projected, found))
}

/// The custody history of a file: custodians with from/to dates.
#[utoipa::path(get, path = "/api/v1/files/{code}/history", tag = "files", params(("code" = String, Path, description = "Mã hồ sơ"), WaitFor),
    responses((status = 200, body = Vec<CustodySpan>), (status = 404, body = crate::error::Problem)))]
pub async fn history(
    State(state): State<AppState>,
    projected: Projected,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let key = code.clone();
    let spans = query(&state, move |c| custody::history(c, &key)).await?;
    if spans.is_empty() {
        return Err(ApiError::not_found("hồ sơ", "file", &code));
    }
    Ok(answer(projected, spans))
}

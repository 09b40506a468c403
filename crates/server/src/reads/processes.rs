//! `/handovers`, `/transfers`, `/destructions` and `/deadlines`.

use axum::extract::{Path, State};
use axum::response::Response;
use bangiao_projections::query::deadlines::{self, DeadlineRow};
use bangiao_projections::query::processes::{
    self, BatchRow, DestructionRow, HandoverRow, TransferRow,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Page, Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Filters of the process lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcessFilter {
    /// Only this fonds.
    pub fonds: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only handovers where this custodian gives or receives.
    pub custodian: Option<String>,
}

/// Handovers (Biên bản giao nhận) with their counts checked.
#[utoipa::path(get, path = "/api/v1/handovers", tag = "handovers", params(ProcessFilter, WaitFor),
    responses((status = 200, body = Page<HandoverRow>)))]
pub async fn handovers(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(f): ApiQuery<ProcessFilter>,
) -> Result<Response, ApiError> {
    let items = query(&state, move |c| {
        processes::handovers(
            c,
            f.fonds.as_deref(),
            f.status.as_deref(),
            f.custodian.as_deref(),
        )
    })
    .await?;
    Ok(answer(projected, Page { items, next: None }))
}

/// One handover and its attached list of files.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverDetail {
    /// The minutes.
    #[serde(flatten)]
    pub handover: HandoverRow,
    /// The attached list (Mục lục kèm theo), file codes in order.
    pub files: Vec<String>,
}

/// One handover with its list of files.
#[utoipa::path(get, path = "/api/v1/handovers/{id}", tag = "handovers", params(("id" = String, Path, description = "Handover id"), WaitFor),
    responses((status = 200, body = HandoverDetail), (status = 404, body = crate::error::Problem)))]
pub async fn handover(
    State(state): State<AppState>,
    projected: Projected,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let key = id.clone();
    let found = query(&state, move |c| {
        Ok(match processes::handover(c, &key)? {
            Some(handover) => Some(HandoverDetail {
                files: processes::handover_files(c, &key)?,
                handover,
            }),
            None => None,
        })
    })
    .await?;
    Ok(answer(
        projected,
        found.ok_or_else(|| ApiError::not_found("biên bản giao nhận", "handover", &id))?,
    ))
}

/// Handover batches: several fonds under one set of minutes, and whether each is complete.
#[utoipa::path(get, path = "/api/v1/handover-batches", tag = "handovers", params(WaitFor),
    responses((status = 200, body = Page<BatchRow>)))]
pub async fn batches(
    State(state): State<AppState>,
    projected: Projected,
) -> Result<Response, ApiError> {
    let items = query(&state, processes::batches).await?;
    Ok(answer(projected, Page { items, next: None }))
}

/// Transfers to the provincial historical archive (nộp lưu).
#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers", params(ProcessFilter, WaitFor),
    responses((status = 200, body = Page<TransferRow>)))]
pub async fn transfers(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(f): ApiQuery<ProcessFilter>,
) -> Result<Response, ApiError> {
    let items = query(&state, move |c| {
        processes::transfers(c, f.fonds.as_deref(), f.status.as_deref())
    })
    .await?;
    Ok(answer(projected, Page { items, next: None }))
}

/// Destruction procedures (hủy tài liệu hết giá trị).
#[utoipa::path(get, path = "/api/v1/destructions", tag = "destructions", params(ProcessFilter, WaitFor),
    responses((status = 200, body = Page<DestructionRow>)))]
pub async fn destructions(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(f): ApiQuery<ProcessFilter>,
) -> Result<Response, ApiError> {
    let items = query(&state, move |c| {
        processes::destructions(c, f.fonds.as_deref())
    })
    .await?;
    Ok(answer(projected, Page { items, next: None }))
}

/// Parameters of the deadline report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineParams {
    /// The day to judge on (YYYY-MM-DD); today when absent.
    pub as_of: Option<NaiveDate>,
    /// Only fonds with overdue files.
    pub overdue: Option<bool>,
}

/// Transfer deadlines per fonds (Luật Lưu trữ 2024 Art. 17 and 65) and what is overdue.
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "transfers", params(DeadlineParams, WaitFor),
    responses((status = 200, body = Page<DeadlineRow>)))]
pub async fn deadlines(
    State(state): State<AppState>,
    projected: Projected,
    ApiQuery(p): ApiQuery<DeadlineParams>,
) -> Result<Response, ApiError> {
    let as_of = p.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let overdue = p.overdue.unwrap_or(false);
    let items = query(&state, move |c| deadlines::deadlines(c, as_of, overdue)).await?;
    Ok(answer(projected, Page { items, next: None }))
}

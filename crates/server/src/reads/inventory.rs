//! Inventory lists (Mục lục hồ sơ) of a fonds or of a unit: JSON pages with totals, or the whole
//! list as CSV streamed row by row (never built in memory).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope, Totals};
use bangiao_projections::query::page_size;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Paging and format of an inventory list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `json` (default) or `csv` (the whole list, streamed); `Accept: text/csv` does the same.
    pub format: Option<String>,
    /// The `next` cursor of the previous page (JSON only).
    pub after: Option<i64>,
    /// Rows per page, 1–1000, default 100 (JSON only).
    pub limit: Option<u32>,
}

/// An inventory list: its totals under the filters, and one page of rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct InventoryList {
    /// `fonds` or `unit`.
    pub scope: String,
    /// The fonds or unit code.
    pub code: String,
    /// Totals of every row under the filters.
    pub totals: Totals,
    /// This page of rows.
    pub items: Vec<FileRow>,
    /// Cursor of the next page; none on the last.
    pub next: Option<String>,
}

/// A fonds' inventory list (Mục lục hồ sơ).
#[utoipa::path(get, path = "/api/v1/fonds/{code}/inventory", tag = "inventory",
    params(("code" = String, Path, description = "Mã phông"), ListParams, Filter, WaitFor),
    responses((status = 200, body = InventoryList), (status = 200, content_type = "text/csv", body = String)))]
pub async fn fonds_inventory(
    State(state): State<AppState>,
    projected: Projected,
    headers: HeaderMap,
    Path(code): Path<String>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<Filter>,
) -> Result<Response, ApiError> {
    list(
        state,
        projected,
        &headers,
        Scope::Fonds(code),
        params,
        filter,
        true,
    )
    .await
}

/// A unit's inventory list: its fonds, its predecessors' and those of the units below it.
#[utoipa::path(get, path = "/api/v1/units/{code}/inventory", tag = "inventory",
    params(("code" = String, Path, description = "Mã đơn vị"), ListParams, Filter, WaitFor),
    responses((status = 200, body = InventoryList), (status = 200, content_type = "text/csv", body = String)))]
pub async fn unit_inventory(
    State(state): State<AppState>,
    projected: Projected,
    headers: HeaderMap,
    Path(code): Path<String>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<Filter>,
) -> Result<Response, ApiError> {
    list(
        state,
        projected,
        &headers,
        Scope::Unit(code),
        params,
        filter,
        true,
    )
    .await
}

/// The files of a fonds, a page at a time, without totals.
#[utoipa::path(get, path = "/api/v1/fonds/{code}/files", tag = "inventory",
    params(("code" = String, Path, description = "Mã phông"), ListParams, Filter, WaitFor),
    responses((status = 200, body = InventoryList)))]
pub async fn fonds_files(
    State(state): State<AppState>,
    projected: Projected,
    headers: HeaderMap,
    Path(code): Path<String>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filter): ApiQuery<Filter>,
) -> Result<Response, ApiError> {
    list(
        state,
        projected,
        &headers,
        Scope::Fonds(code),
        params,
        filter,
        false,
    )
    .await
}

async fn list(
    state: AppState,
    projected: Projected,
    headers: &HeaderMap,
    scope: Scope,
    params: ListParams,
    filter: Filter,
    with_totals: bool,
) -> Result<Response, ApiError> {
    let wants_csv = params.format.as_deref() == Some("csv")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"));
    match params.format.as_deref() {
        None | Some("json" | "csv") => {}
        Some(other) => {
            return Err(ApiError::bad_request(
                "unknown_format",
                format!("Định dạng {other:?} chưa được hỗ trợ; dùng json hoặc csv."),
                format!("Format {other:?} is not supported; use json or csv."),
            ));
        }
    }
    if wants_csv {
        return Ok(csv_response(&state, scope, filter));
    }
    let limit = page_size(params.limit);
    let (scope_name, code) = match &scope {
        Scope::Fonds(code) => ("fonds", code.clone()),
        Scope::Unit(code) => ("unit", code.clone()),
    };
    let after = params.after;
    let (totals, items) = query(&state, move |c| {
        let totals = if with_totals {
            Some(inventory::totals(c, &scope, &filter)?)
        } else {
            None
        };
        Ok((totals, inventory::page(c, &scope, &filter, after, limit)?))
    })
    .await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last().map(|r| r.seq.to_string()))
        .flatten();
    let totals = totals.unwrap_or(Totals {
        files: 0,
        boxes: 0,
        sheets: 0,
        linear_mm: 0,
        by_retention: vec![],
        by_access: vec![],
    });
    Ok(answer(
        projected,
        InventoryList {
            scope: scope_name.into(),
            code,
            totals,
            items,
            next,
        },
    ))
}

/// Rows written per chunk of the CSV stream.
const CSV_CHUNK_ROWS: usize = 512;

fn csv_response(state: &AppState, scope: Scope, filter: Filter) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(8);
    let readers = state.read.readers().clone();
    let name = match &scope {
        Scope::Fonds(code) | Scope::Unit(code) => format!("muc-luc-{code}.csv"),
    };
    tokio::task::spawn_blocking(move || {
        let outcome =
            readers.with_blocking(|conn| -> Result<(), bangiao_projections::ProjectionError> {
                let mut chunk = crate::csv::MucLucWriter::new();
                let mut open = true;
                inventory::for_each(conn, &scope, &filter, |row| {
                    chunk.row(&row);
                    if chunk.rows() >= CSV_CHUNK_ROWS {
                        open = tx.blocking_send(Ok(chunk.take())).is_ok();
                    }
                    open
                })?;
                if open {
                    let _ = tx.blocking_send(Ok(chunk.take()));
                }
                Ok(())
            });
        if let Err(error) = outcome {
            tracing::error!(%error, "inventory export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

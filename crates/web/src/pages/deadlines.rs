//! The province's dashboard of transfer deadlines (Luật Lưu trữ 2024 Art. 17 and 65): fonds by
//! their next due date, overdue ones marked, pending files and shelf metres in total.

use axum::extract::{Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_projections::query::deadlines;
use minijinja::context;
use serde::Deserialize;

use super::today;
use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::session::Viewer;

/// `?as_of=&overdue=`.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// The day to judge on (YYYY-MM-DD); today when blank.
    pub as_of: Option<String>,
    /// `yes`: only fonds with overdue files.
    pub overdue: Option<String>,
}

/// `GET /trang/han-nop-luu`.
pub async fn page(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/han-nop-luu").await?;
    let as_of = match params
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(day) => day.parse().map_err(|_| {
            PageError::invalid(
                format!("Ngày không hợp lệ: {day}"),
                format!("Not a date: {day}"),
            )
        })?,
        None => today(),
    };
    let overdue_only = params.overdue.as_deref() == Some("yes");
    let rows = bangiao_server::reads::query(&web.app, move |c| {
        deadlines::deadlines(c, as_of, overdue_only)
    })
    .await?;
    let files: u64 = rows.iter().map(|r| r.pending_files).sum();
    let overdue_files: u64 = rows.iter().map(|r| r.overdue_files).sum();
    let linear_mm: u64 = rows.iter().map(|r| r.pending_linear_mm).sum();
    let overdue_mm: u64 = rows
        .iter()
        .filter(|r| r.overdue_files > 0)
        .map(|r| r.pending_linear_mm)
        .sum();
    web.render.page(
        &viewer,
        "deadlines.html",
        context! {
            nav => "deadlines",
            rows => rows,
            as_of => as_of.to_string(),
            overdue_only => overdue_only,
            files => files,
            overdue_files => overdue_files,
            linear_mm => linear_mm,
            overdue_mm => overdue_mm,
        },
    )
}

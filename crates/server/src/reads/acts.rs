//! `/handovers`, `/transfers`, `/destructions` and `/deadlines`.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use bangiao_documents::export::bag::BagSubject;
use bangiao_documents::export::minutes::{Minutes, attached_rows_for};
use bangiao_documents::export::{Format, bag, html, pdf};
use bangiao_projections::query::acts::{self, BatchRow, DestructionRow, HandoverRow, TransferRow};
use bangiao_projections::query::deadlines::{self, DeadlineRow};
use bangiao_projections::query::inventory::{Filter, ProcessList, listed_in};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::inventory::{body_writer, document, export_problem, negotiate, stream_blocking};
use super::{Page, Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
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
        acts::handovers(
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

/// The format of a handover.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoverFormat {
    /// `json` (default), `html` or `pdf` (the Biên bản giao nhận with its attached list, Decree
    /// 30/2020 Annex V), or `bag` (a zipped BagIt package: list, minutes, the fonds' events,
    /// checksums); `Accept` with their media types does the same, so the QR code printed on the
    /// minutes opens them in a browser.
    pub format: Option<String>,
}

/// One handover with its list of files, or its minutes as a document.
#[utoipa::path(get, path = "/api/v1/handovers/{id}", tag = "handovers", params(("id" = String, Path, description = "Handover id"), HandoverFormat, WaitFor),
    responses((status = 200, description = "The handover as JSON, or its minutes as HTML or PDF, or a BagIt bag (zip) of its records (format= or Accept)",
        content((HandoverDetail = "application/json"), (String = "text/html"),
            (Vec<u8> = "application/pdf"), (Vec<u8> = "application/zip"))),
        (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn handover(
    State(state): State<AppState>,
    projected: Projected,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<HandoverFormat>,
    Caller(who): Caller,
) -> Result<Response, ApiError> {
    let offered = [Format::Json, Format::Html, Format::Pdf, Format::Bag];
    let format = negotiate(params.format.as_deref(), &headers, &offered)?;
    if format != Format::Json {
        let filter = Filter {
            cleared_fonds: super::cleared_for(&state, &who).await?,
            ..Filter::default()
        };
        return handover_document(&state, &headers, id, format, filter).await;
    }
    let key = id.clone();
    let found = query(&state, move |c| {
        Ok(match acts::handover(c, &key)? {
            Some(handover) => Some(HandoverDetail {
                files: acts::handover_files(c, &key)?,
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

/// The service's address as the client reached it (`X-Forwarded-Proto` and `Host`), for the
/// QR code on the minutes.
pub fn base_url(headers: &HeaderMap) -> String {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = text("x-forwarded-proto").unwrap_or("http");
    let host = text("host").unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// The minutes as HTML (streamed) or PDF, or the handover's bag as a zip.
pub async fn handover_document(
    state: &AppState,
    headers: &HeaderMap,
    id: String,
    format: Format,
    filter: Filter,
) -> Result<Response, ApiError> {
    let base = base_url(headers);
    let name = format!("bien-ban-{id}");
    let (key, b) = (id.clone(), base.clone());
    let minutes = state
        .read
        .readers()
        .with(move |c| Minutes::load(c, &key, &b))
        .await
        .map_err(export_problem)?;
    match format {
        Format::Html => {
            let body = stream_blocking(state, move |conn, out| {
                let mut rows = attached_rows_for(conn, &minutes.handover, filter)?;
                html::write_minutes(&minutes, &mut rows, out).map(|_| ())
            });
            Ok(document(format, &name, body))
        }
        Format::Pdf => {
            let bytes = state
                .read
                .readers()
                .with(move |c| {
                    pdf::write_minutes(
                        &minutes,
                        &mut attached_rows_for(c, &minutes.handover, filter)?,
                    )
                })
                .await
                .map_err(export_problem)?
                .0;
            Ok(document(format, &name, Body::from(bytes)))
        }
        _ => {
            let fonds = minutes.handover.fonds_code.clone();
            bag_response(state, BagSubject::Handover(id), &fonds, base, &filter).await
        }
    }
}

/// A zipped BagIt bag of `subject`, whose fonds is `fonds`: only for a reader cleared for the
/// fonds' restricted files, since the bag carries the fonds' events whole, titles included.
pub async fn bag_response(
    state: &AppState,
    subject: BagSubject,
    fonds: &str,
    base_url: String,
    filter: &Filter,
) -> Result<Response, ApiError> {
    if filter
        .cleared_fonds
        .as_ref()
        .is_some_and(|c| !c.iter().any(|f| f == fonds))
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_cleared",
            format!(
                "Gói BagIt chứa toàn bộ sự kiện của phông {fonds}; bạn chưa được phép xem tài liệu hạn chế của phông này."
            ),
            format!(
                "The bag holds every event of fonds {fonds}; you are not cleared for its restricted records."
            ),
        ));
    }
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let name = subject.name();
    let root = dir.path().join(&name);
    let options = bag::BagOptions {
        base_url,
        bagging_date: chrono::Local::now().date_naive(),
    };
    bag::write_dir(
        &*state.store,
        state.read.readers(),
        &subject,
        &options,
        &root,
    )
    .await
    .map_err(export_problem)?;
    let (out, tx, body) = body_writer();
    let top = name.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(error) = bag::zip_dir(&root, &top, out) {
            tracing::error!(%error, "bag export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
        drop(dir);
    });
    Ok(document(Format::Bag, &name, body))
}

/// One transfer and its list of files.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferDetail {
    /// The transfer.
    #[serde(flatten)]
    pub transfer: TransferRow,
    /// The list (Mục lục hồ sơ nộp lưu), file codes in order.
    pub files: Vec<String>,
}

/// The format of a transfer.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferFormat {
    /// `json` (default), or `bag` (a zipped BagIt package for the archive: the list as CSV and
    /// PDF, the transfer with each file accepted, rejected with its reason, or pending, the
    /// fonds' events as JSON lines and PREMIS, checksums); `Accept` with their media types
    /// does the same.
    pub format: Option<String>,
}

/// One transfer to the historical archive with its list of files, or its bag.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers", params(("id" = String, Path, description = "Transfer id"), TransferFormat, WaitFor),
    responses((status = 200, description = "The transfer as JSON, or a BagIt bag (zip) of its records (format= or Accept)",
        content((TransferDetail = "application/json"), (Vec<u8> = "application/zip"))),
        (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn transfer(
    State(state): State<AppState>,
    projected: Projected,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<TransferFormat>,
    Caller(who): Caller,
) -> Result<Response, ApiError> {
    let offered = [Format::Json, Format::Bag];
    let format = negotiate(params.format.as_deref(), &headers, &offered)?;
    let key = id.clone();
    let found = query(&state, move |c| {
        Ok(match acts::transfer(c, &key)? {
            Some(transfer) => Some(TransferDetail {
                files: listed_in(c, ProcessList::Transfer, &key, &Filter::default())?
                    .into_iter()
                    .map(|row| row.file_code)
                    .collect(),
                transfer,
            }),
            None => None,
        })
    })
    .await?
    .ok_or_else(|| ApiError::not_found("đợt nộp lưu", "transfer", &id))?;
    if format == Format::Bag {
        let filter = Filter {
            cleared_fonds: super::cleared_for(&state, &who).await?,
            ..Filter::default()
        };
        let fonds = found.transfer.fonds_code.clone();
        let subject = BagSubject::Transfer(id);
        return bag_response(&state, subject, &fonds, base_url(&headers), &filter).await;
    }
    Ok(answer(projected, found))
}

/// Handover batches: several fonds under one set of minutes, and whether each is complete.
#[utoipa::path(get, path = "/api/v1/handover-batches", tag = "handovers", params(WaitFor),
    responses((status = 200, body = Page<BatchRow>)))]
pub async fn batches(
    State(state): State<AppState>,
    projected: Projected,
) -> Result<Response, ApiError> {
    let items = query(&state, acts::batches).await?;
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
        acts::transfers(c, f.fonds.as_deref(), f.status.as_deref())
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
    let items = query(&state, move |c| acts::destructions(c, f.fonds.as_deref())).await?;
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

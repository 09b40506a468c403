// Over 500 lines: the JSON pages and every document format of the same lists share their checks.
//! Inventory lists (Mục lục hồ sơ) of a fonds or of a unit: JSON pages with totals, or the whole
//! list as a document (`bangiao_documents::export`): CSV, XLSX, HTML, EAD3 and PREMIS streamed
//! as they are written (never built in memory), PDF built then sent.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bangiao_documents::export::bag::BagSubject;
use bangiao_documents::export::ead3::{self, Ead3Options};
use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::premis::{PremisObjects, PremisWriter};
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::sink::ChunkSink;
use bangiao_documents::export::{ExportError, Format, csv, events, html, pdf, xlsx};
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope, Totals};
use bangiao_projections::query::{fonds, page_size, units};
use serde::{Deserialize, Serialize};
use std::io::Write;
use utoipa::{IntoParams, ToSchema};

use super::acts::bag_response;
use super::{Projected, WaitFor, answer, query};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::AppState;

/// Paging and format of an inventory list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `json` (default: pages), or the whole list as `csv`, `xlsx`, `html`, `pdf`, `ead3` or
    /// `premis` (the events of the fonds, or of each fonds of a unit's list), and for a fonds
    /// `bag` (a zipped BagIt package for the archive); `Accept` with their media types does the
    /// same.
    pub format: Option<String>,
    /// The `next` cursor of the previous page (JSON only).
    pub after: Option<i64>,
    /// Rows per page, 1–1000, default 100 (JSON only); more is refused (400
    /// `limit_out_of_range`).
    #[param(minimum = 1, maximum = 1000)]
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
    responses((status = 200, description = "The list as JSON pages, or the whole list as a document (format= or Accept): CSV, XLSX, HTML, PDF, EAD3 finding aid, PREMIS 3 events (XML), or a BagIt bag (zip) of the fonds for the archive: its list as CSV and PDF, its finding aid, its events as JSON lines and PREMIS, checksums",
        content((InventoryList = "application/json"), (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/html"), (Vec<u8> = "application/pdf"), (String = "application/xml"),
            (Vec<u8> = "application/zip"))),
        (status = 400, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem, description = "No such fonds (`fonds_not_found`)")))]
pub async fn fonds_inventory(request: ListRequest) -> Result<Response, ApiError> {
    let scope = Scope::Fonds(request.code.clone());
    list(request, scope, true).await
}

/// A unit's inventory list: its fonds, its predecessors' and those of the units below it.
#[utoipa::path(get, path = "/api/v1/units/{code}/inventory", tag = "inventory",
    params(("code" = String, Path, description = "Mã đơn vị"), ListParams, Filter, WaitFor),
    responses((status = 200, description = "The list as JSON pages, or the whole list as a document (format= or Accept): CSV, XLSX, HTML, PDF, an EAD3 finding aid (XML: each fonds a component with its files) or PREMIS 3 (XML: the unit and each fonds as objects, the events of every fonds of the list)",
        content((InventoryList = "application/json"), (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/html"), (Vec<u8> = "application/pdf"), (String = "application/xml"))),
        (status = 400, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem, description = "No such unit (`unit_not_found`)")))]
pub async fn unit_inventory(request: ListRequest) -> Result<Response, ApiError> {
    let scope = Scope::Unit(request.code.clone());
    list(request, scope, true).await
}

/// The files of a fonds, a page at a time, without totals.
#[utoipa::path(get, path = "/api/v1/fonds/{code}/files", tag = "inventory",
    params(("code" = String, Path, description = "Mã phông"), ListParams, Filter, WaitFor),
    responses((status = 200, body = InventoryList),
        (status = 404, body = crate::error::Problem, description = "No such fonds (`fonds_not_found`)")))]
pub async fn fonds_files(request: ListRequest) -> Result<Response, ApiError> {
    let scope = Scope::Fonds(request.code.clone());
    list(request, scope, false).await
}

/// What every list route reads from its request, in the order the handlers always read it: the
/// read models' position, the headers, the code in the path, paging and format, the filters,
/// and the caller, whose clearance the filters are given.
pub struct ListRequest {
    state: AppState,
    projected: Projected,
    headers: HeaderMap,
    code: String,
    params: ListParams,
    filter: Filter,
}

impl FromRequestParts<AppState> for ListRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let projected = Projected::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let Path(code) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let ApiQuery(params) = ApiQuery::<ListParams>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let ApiQuery(mut filter) = ApiQuery::<Filter>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Caller(who) = Caller::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        filter.cleared_fonds = super::cleared_for(state, &who)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            state: state.clone(),
            projected,
            headers,
            code,
            params,
            filter,
        })
    }
}

async fn list(request: ListRequest, scope: Scope, with_totals: bool) -> Result<Response, ApiError> {
    let ListRequest {
        state,
        projected,
        headers,
        params,
        filter,
        ..
    } = request;
    let headers = &headers;
    let offered: &[Format] = match (&scope, with_totals) {
        (_, false) => &[Format::Json, Format::Csv],
        (Scope::Fonds(_), true) => &FONDS_FORMATS,
        (Scope::Unit(_), true) => &UNIT_FORMATS,
    };
    let format = negotiate(params.format.as_deref(), headers, offered)?;
    ensure_exists(&state, &scope).await?;
    if format != Format::Json {
        let base = super::acts::base_url(headers);
        return export_list(&state, scope, filter, format, Some(&base)).await;
    }
    let limit = page_size(params.limit)?;
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

/// 404 `fonds_not_found` or `unit_not_found` when the list names nothing: a mistyped code
/// must not look like a list with no files.
async fn ensure_exists(state: &AppState, scope: &Scope) -> Result<(), ApiError> {
    let key = scope.clone();
    let found = query(state, move |c| match &key {
        Scope::Fonds(code) => fonds::exists(c, code),
        Scope::Unit(code) => units::exists(c, code),
    })
    .await?;
    match (found, scope) {
        (true, _) => Ok(()),
        (false, Scope::Fonds(code)) => Err(ApiError::fonds_not_found(code)),
        (false, Scope::Unit(code)) => Err(ApiError::unit_not_found(code)),
    }
}

/// Formats of a fonds' list (the bag: the whole fonds packaged for the archive).
const FONDS_FORMATS: [Format; 8] = [
    Format::Json,
    Format::Csv,
    Format::Xlsx,
    Format::Html,
    Format::Pdf,
    Format::Ead3,
    Format::Premis,
    Format::Bag,
];

/// Formats of a unit's list (the EAD3 finding aid describes each of its fonds under one
/// collection; PREMIS holds the events of each of its fonds).
const UNIT_FORMATS: [Format; 7] = [
    Format::Json,
    Format::Csv,
    Format::Xlsx,
    Format::Html,
    Format::Pdf,
    Format::Ead3,
    Format::Premis,
];

/// The format asked for: `format=` first, else the first offered media type in `Accept`,
/// else JSON; a format not offered is a 400 naming those that are.
pub(crate) fn negotiate(
    asked: Option<&str>,
    headers: &HeaderMap,
    offered: &[Format],
) -> Result<Format, ApiError> {
    let names = || {
        offered
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match asked {
        Some(name) => Format::parse(name)
            .filter(|f| offered.contains(f))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "unknown_format",
                    format!(
                        "Định dạng {name:?} không được hỗ trợ ở đây; dùng {}.",
                        names()
                    ),
                    format!("Format {name:?} is not supported here; use {}.", names()),
                )
            }),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .and_then(|accept| Format::from_accept(accept, offered))
            .unwrap_or(Format::Json)),
    }
}

/// An export's failure as a problem: a missing fonds, unit or handover is a 404.
pub(crate) fn export_problem(error: ExportError) -> ApiError {
    match error {
        ExportError::NotFound {
            what_vi,
            what_en,
            id,
        } => ApiError::not_found(what_vi, what_en, &id),
        ExportError::NotAccepted(id) => ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "not_accepted",
            format!("Đợt nộp lưu {id} chưa được lưu trữ lịch sử thu nhận: chưa có gói AIP."),
            format!("Transfer {id} has not been accepted by the historical archive: no AIP yet."),
        ),
        ExportError::Projection(e) => ApiError::from(e),
        ExportError::Store(e) => ApiError::from(e),
        other => ApiError::internal(other),
    }
}

/// A download: its media type, and inline (HTML, PDF: shown by the browser) or as a file.
pub(crate) fn document(format: Format, name: &str, body: Body) -> Response {
    let how = if matches!(format, Format::Html | Format::Pdf) {
        "inline"
    } else {
        "attachment"
    };
    let disposition = format!("{how}; filename=\"{name}.{}\"", format.extension());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

/// Chunks on their way from a blocking export to the HTTP body.
type Chunks = tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>;

/// A writer on a blocking thread whose chunks become the HTTP body; a client that goes away
/// stops the export at its next chunk.
pub(crate) fn body_writer() -> (Box<dyn Write + Send>, Chunks, Body) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(8);
    let sender = tx.clone();
    let sink =
        ChunkSink::new(move |chunk| sender.blocking_send(Ok(bytes::Bytes::from(chunk))).is_ok());
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (Box::new(sink), tx, Body::from_stream(stream))
}

/// Runs `job` on a blocking thread with a read connection, streaming what it writes; an error
/// after the first bytes ends the body with an error (the client sees a broken download).
pub(crate) fn stream_blocking(
    state: &AppState,
    job: impl FnOnce(&rusqlite::Connection, &mut (dyn Write + Send)) -> Result<(), ExportError>
    + Send
    + 'static,
) -> Body {
    let (mut out, tx, body) = body_writer();
    let readers = state.read.readers().clone();
    tokio::task::spawn_blocking(move || {
        let outcome =
            readers.with_blocking(|conn| job(conn, &mut out).and_then(|()| Ok(out.flush()?)));
        if let Err(error) = outcome {
            tracing::error!(%error, "export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    body
}

/// The whole list in a document format, streamed where the format allows (all but PDF). A
/// fonds' whole list as PDF or HTML ends with the QR code of its public verification page under
/// `base_url`, when given.
pub async fn export_list(
    state: &AppState,
    scope: Scope,
    filter: Filter,
    format: Format,
    base_url: Option<&str>,
) -> Result<Response, ApiError> {
    let code = match &scope {
        Scope::Fonds(code) | Scope::Unit(code) => code.clone(),
    };
    let name = format!("muc-luc-{code}");
    match (format, &scope) {
        (Format::Premis, Scope::Fonds(_)) => {
            return premis_response(state, None, vec![code], &name).await;
        }
        (Format::Premis, Scope::Unit(_)) => {
            let unit = code.clone();
            let fonds = query(state, move |c| inventory::fonds_of_unit(c, &unit)).await?;
            return premis_response(state, Some(code), fonds, &name).await;
        }
        // A fonds' bag holds no minutes, so no link to the service is printed in it.
        (Format::Bag, Scope::Fonds(_)) => {
            let subject = BagSubject::Fonds(code.clone());
            return bag_response(state, subject, &code, String::new(), &filter).await;
        }
        (Format::Bag, Scope::Unit(_)) => {
            return Err(ApiError::bad_request(
                "unknown_format",
                "Gói BagIt được lập cho một phông, một đợt nộp lưu hoặc một biên bản giao nhận, không cho một đơn vị.",
                "A BagIt bag is made for a fonds, a transfer or a handover, not for a unit.",
            ));
        }
        _ => {}
    }
    if format == Format::Csv {
        let body = stream_blocking(state, move |conn, out| {
            csv::write(&mut QueryRows::new(conn, scope, filter), out).map(|_| ())
        });
        return Ok(document(format, &name, body));
    }
    // The heading is read first, so a missing fonds or unit is a 404 rather than a cut stream.
    let (s, f) = (scope.clone(), filter.clone());
    let mut heading = state
        .read
        .readers()
        .with(move |c| ListHeading::load(c, &s, &f))
        .await
        .map_err(export_problem)?;
    if let (Some(base), Scope::Fonds(code), Format::Pdf | Format::Html) = (base_url, &scope, format)
        && filter.selects_all()
    {
        let id =
            super::verification::fonds_list_id(&*state.store, state.read.position(), code).await?;
        heading.verification = id.map(|id| id.url(base));
    }
    if format == Format::Pdf {
        let readers = state.read.readers().clone();
        let bytes = readers
            .with(move |c| pdf::write_list(&heading, &mut QueryRows::new(c, scope, filter)))
            .await
            .map_err(export_problem)?
            .0;
        return Ok(document(format, &name, Body::from(bytes)));
    }
    let unit_list = matches!(scope, Scope::Unit(_));
    let body = stream_blocking(state, move |conn, out| {
        let options = Ead3Options {
            filter: filter.clone(),
            ..Ead3Options::default()
        };
        let mut rows = QueryRows::new(conn, scope, filter);
        match format {
            Format::Xlsx => xlsx::write(&heading, &mut rows, out).map(|_| ()),
            Format::Html => html::write_list(&heading, &mut rows, out).map(|_| ()),
            _ if unit_list => ead3::write_unit(conn, &code, &options, out).map(|_| ()),
            _ => ead3::write(conn, &code, &options, out).map(|_| ()),
        }
    });
    Ok(document(format, &name, body))
}

/// A page of events on its way to the PREMIS writer, in the first pass (objects gathered) or
/// the second (events written).
enum PremisPage {
    /// Read to gather the objects the events refer to.
    Gather(Vec<bangiao_store::RecordedEvent>),
    /// Read to write the events.
    Write(Vec<bangiao_store::RecordedEvent>),
    /// The store failed: the document stops there.
    Failed(String),
}

/// PREMIS of the events of `fonds` (one fonds, or every fonds of `unit`'s list): the store's
/// pages are read here, twice (PREMIS declares the objects before the events), and written on
/// a blocking thread.
async fn premis_response(
    state: &AppState,
    unit: Option<String>,
    fonds: Vec<String>,
    name: &str,
) -> Result<Response, ApiError> {
    for code in &fonds {
        if state
            .store
            .stream_revision(&events::fonds_stream(code))
            .await?
            .is_none()
        {
            return Err(ApiError::not_found("phông", "fonds", code));
        }
    }
    let (pages_tx, mut pages) = tokio::sync::mpsc::channel::<PremisPage>(2);
    let store = state.store.clone();
    let streams: Vec<String> = fonds.iter().map(|c| events::fonds_stream(c)).collect();
    tokio::spawn(async move {
        for write in [false, true] {
            for stream in &streams {
                let mut from = 0;
                loop {
                    let page = match store.read_stream(stream, from, events::PAGE).await {
                        Ok(page) => page,
                        Err(error) => {
                            let _ = pages_tx.send(PremisPage::Failed(error.to_string())).await;
                            return;
                        }
                    };
                    let Some(last) = page.last() else { break };
                    from = last.revision + 1;
                    let full = page.len() == events::PAGE;
                    let piece = if write {
                        PremisPage::Write(page)
                    } else {
                        PremisPage::Gather(page)
                    };
                    if pages_tx.send(piece).await.is_err() {
                        return;
                    }
                    if !full {
                        break;
                    }
                }
            }
        }
    });
    let (out, tx, body) = body_writer();
    tokio::task::spawn_blocking(move || {
        let outcome = (|| -> Result<(), ExportError> {
            let mut objects = PremisObjects::new(unit.as_deref(), &fonds);
            let mut out = Some(out);
            let mut writer = None;
            while let Some(piece) = pages.blocking_recv() {
                let page = match piece {
                    PremisPage::Gather(page) => {
                        for event in &page {
                            objects.gather(event)?;
                        }
                        continue;
                    }
                    PremisPage::Write(page) => page,
                    PremisPage::Failed(error) => {
                        return Err(ExportError::Io(std::io::Error::other(error)));
                    }
                };
                let writer = match (&mut writer, out.take()) {
                    (Some(writer), _) => writer,
                    (None, Some(out)) => writer.insert(PremisWriter::new(out, &objects)?),
                    (None, None) => return Err(ExportError::Corrupt("PREMIS writer lost".into())),
                };
                for event in &page {
                    writer.event(event)?;
                }
            }
            let writer = match (writer, out) {
                (Some(writer), _) => writer,
                (None, Some(out)) => PremisWriter::new(out, &objects)?,
                (None, None) => return Err(ExportError::Corrupt("PREMIS writer lost".into())),
            };
            writer.finish()?.flush()?;
            Ok(())
        })();
        if let Err(error) = outcome {
            tracing::error!(%error, "PREMIS export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    Ok(document(Format::Premis, name, body))
}

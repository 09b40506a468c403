//! Tiếp nhận gói SIP — the archive ingests an E-ARK submission package (ours or another
//! system's) into a fonds: the ZIP, sent as the raw body, is streamed to a temporary file
//! (never held in memory), checked whole (structure, METS, every checksum, ZIP bombs, paths
//! that climb out), and its files are recorded through the inventory importer, all or nothing.
//!
//! Statuses: 201 when files were recorded; 200 when every file was already there (or a dry
//! run); 422 with the report when the package or its files have problems (nothing recorded);
//! 413 past the size limit.

use std::io::Write;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangiao_documents::import::ImportOptions;
use bangiao_documents::import::sip::{self, IngestReport, SipLimits};
use bangiao_domain::values::FondsCode;
use futures::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use super::path_code;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller, CommandHeaders};
use crate::state::AppState;

/// Largest package taken (the copies travel inside it).
pub const MAX_PACKAGE_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// How to ingest.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestParams {
    /// Check only, record nothing (default false).
    pub dry_run: Option<bool>,
}

/// Tiếp nhận gói SIP — checks an E-ARK SIP and records its files into the fonds.
#[utoipa::path(post, path = "/api/v1/fonds/{code}/sip", tag = "fonds commands",
    params(("code" = String, Path, description = "Mã phông"), IngestParams),
    request_body(description = "The SIP as a ZIP (sent as application/zip or as plain bytes)",
        content((Vec<u8> = "application/zip"), (Vec<u8> = "application/octet-stream"))),
    responses(
        (status = 200, body = IngestReport, description = "Checked (dry run), or every file already recorded"),
        (status = 201, body = IngestReport, description = "Files recorded"),
        (status = 422, body = IngestReport, description = "Refused: a problem per code (missing_file, checksum_mismatch, mets_invalid, path_escape, zip_bomb, …) or problems in its files; nothing recorded"),
        (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem, description = "Larger than the limit")))]
pub async fn ingest(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(params): ApiQuery<IngestParams>,
    Caller(who): Caller,
    CommandHeaders(envelope): CommandHeaders,
    body: Body,
) -> Result<Response, ApiError> {
    let code = path_code(&code, FondsCode::parse)?;
    let meta = envelope
        .meta(&who)
        .map_err(|e| ApiError::bad_request(e.code(), e.message_vi(), e.message_en()))?;
    let options = ImportOptions {
        dry_run: params.dry_run.unwrap_or(false),
        actor: meta.actor,
        ..ImportOptions::default()
    };
    let file = spool(body).await?;
    let report = sip::ingest(
        state.service.as_ref(),
        file,
        Some(code.as_str()),
        &SipLimits::default(),
        &options,
    )
    .await
    .map_err(super::imports::import_problem)?;
    let recorded = report.import.as_ref().map_or(0, |i| i.files_recorded);
    let status = if report.refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if recorded > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(report)).into_response())
}

/// Streams the body into an anonymous temporary file, refusing it past the limit.
async fn spool(body: Body) -> Result<std::fs::File, ApiError> {
    let mut file = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut stream = body.into_data_stream();
    let mut size: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                "unreadable_body",
                format!("Không đọc được nội dung gửi lên: {e}."),
                format!("The request body cannot be read: {e}."),
            )
        })?;
        size += chunk.len() as u64;
        if size > MAX_PACKAGE_BYTES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                format!("Gói vượt {} GB.", MAX_PACKAGE_BYTES >> 30),
                format!("The package is larger than {} GB.", MAX_PACKAGE_BYTES >> 30),
            ));
        }
        file = tokio::task::spawn_blocking(move || file.write_all(&chunk).map(|()| file))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
    }
    Ok(file)
}

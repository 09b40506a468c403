//! Tiếp nhận gói SIP — the archive ingests an E-ARK submission package (ours or another
//! system's) into a fonds: the ZIP, sent as the raw body, is streamed to a temporary file
//! (never held in memory), checked whole (structure, METS, every checksum, ZIP bombs, paths
//! that climb out), and its files are recorded through the inventory importer, all or nothing;
//! then its copies are stored in the blob store and attached to their files ([`record_copies`]).
//!
//! Statuses: 201 when files were recorded; 200 when every file was already there (or a dry
//! run); 422 with the report when the package or its files have problems (nothing recorded);
//! 413 past the size limit.

use std::io::Write;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangiao_app::handler::{CommandMeta, HandleError};
use bangiao_app::{Service, today_in_vietnam};
use bangiao_content::{Blobs, ContentError, Digest, PutLimits};
use bangiao_documents::import::ImportOptions;
use bangiao_documents::import::ids::seeded;
use bangiao_documents::import::sip::{self, IngestCopy, IngestReport, SipLimits};
use bangiao_domain::DomainError;
use bangiao_domain::error::Entity;
use bangiao_domain::fonds::AttachCopy;
use bangiao_domain::values::{CopyId, FileCode, FondsCode, Name, Sha256Hex, UserId};
use bangiao_store::{ActorRef, EventStore};
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
        actor: meta.actor.clone(),
        ..ImportOptions::default()
    };
    let dry_run = options.dry_run;
    let file = spool(body).await?;
    let again = file.try_clone().map_err(ApiError::internal)?;
    let mut report = sip::ingest(
        state.service.as_ref(),
        file,
        Some(code.as_str()),
        &SipLimits::default(),
        &options,
    )
    .await
    .map_err(super::imports::import_problem)?;
    if !report.refused && !dry_run && !report.copies.is_empty() {
        let copies = record_copies(
            state.service.as_ref(),
            state.blobs()?,
            again,
            &code,
            &report.copies,
            meta.actor.clone(),
        )
        .await?;
        report.copies_recorded = copies.recorded;
        report.copies_present = copies.present;
    }
    let recorded = report.import.as_ref().map_or(0, |i| i.files_recorded) + report.copies_recorded;
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

/// Why the copies of an ingested package could not all be stored and attached.
#[derive(Debug, thiserror::Error)]
pub enum PackageCopyError {
    /// The package could not be read again after its check.
    #[error("không đọc lại được gói: {0} / the package cannot be read again: {0}")]
    Read(String),
    /// A copy's file code or checksum is not a valid value.
    #[error("bản sao {path}: {problem} / copy {path}: {problem}")]
    Invalid {
        /// The copy's path in the package.
        path: String,
        /// What is wrong.
        problem: String,
    },
    /// The blob store refused a copy (its bytes differ from its checksum, the disk is full…).
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The fonds refused the attachment.
    #[error(transparent)]
    Refused(#[from] HandleError),
}

impl From<PackageCopyError> for ApiError {
    fn from(error: PackageCopyError) -> ApiError {
        match error {
            PackageCopyError::Content(e) => crate::copies::content_error(e),
            PackageCopyError::Refused(e) => ApiError::from(e),
            PackageCopyError::Invalid { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_copy",
                error.to_string(),
                error.to_string(),
            ),
            PackageCopyError::Read(_) => ApiError::internal(error),
        }
    }
}

/// How many of a package's copies were attached now, and how many their file already had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopiesIngested {
    /// Stored and attached by this ingest.
    pub recorded: u64,
    /// Already attached to their file with the same bytes.
    pub present: u64,
}

/// Stores every copy of a checked package in the blob store (streamed out of the ZIP and
/// checked against its SHA-256 once more) and attaches it to its file as a scan, digitised by
/// `actor` today; a file that already has the same bytes counts it as present, so ingesting a
/// package again records nothing. Run it after the package's files were recorded.
pub async fn record_copies<S>(
    service: &Service<S>,
    blobs: &Blobs,
    package: std::fs::File,
    fonds: &FondsCode,
    copies: &[IngestCopy],
    actor: Option<ActorRef>,
) -> Result<CopiesIngested, PackageCopyError>
where
    S: EventStore + Clone,
{
    let mut counts = CopiesIngested::default();
    if copies.is_empty() {
        return Ok(counts);
    }
    let (jobs, reader) = entry_reader(package);
    let by = actor
        .as_ref()
        .map_or("bangiao-ingest", |a| a.user_id.as_str())
        .to_owned();
    for copy in copies {
        let invalid = |problem: String| PackageCopyError::Invalid {
            path: copy.path.clone(),
            problem,
        };
        let digest: Digest = copy.sha256.parse().map_err(|e| invalid(format!("{e:?}")))?;
        let (chunks, received) = tokio::sync::mpsc::channel(4);
        jobs.send((copy.path.clone(), chunks))
            .map_err(|_| PackageCopyError::Read("ZIP".to_owned()))?;
        let stream = Box::pin(futures::stream::unfold(received, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        }));
        let limits = PutLimits {
            max_bytes: copy.size,
            expected: Some(digest),
        };
        let put = blobs.put(stream, &limits).await?;
        let seed = format!("bangiao-ingest:{fonds}:{}:{}", copy.file_code, copy.sha256);
        let name = copy.path.rsplit('/').next().unwrap_or_default();
        let command = AttachCopy {
            file_code: FileCode::parse(&copy.file_code).map_err(|e| invalid(e.to_string()))?,
            copy_id: CopyId::from_uuid(seeded(&seed)),
            sha256: Sha256Hex::parse(&copy.sha256).map_err(|e| invalid(e.to_string()))?,
            size_bytes: put.size,
            format: crate::copies::copy_format(put.format.kind),
            pages: put.format.pages,
            dpi: put.format.dpi,
            original_name: Name::parse(name).ok(),
            digitised_by: UserId::parse(&by).map_err(|e| invalid(e.to_string()))?,
            digitised_on: today_in_vietnam(),
            replaces: None,
        };
        let mut meta = CommandMeta::new(seeded(&format!("{seed}:command")));
        meta.actor = actor.clone();
        match service.fonds_command(fonds, command.into(), &meta).await {
            Ok(accepted) if !accepted.replayed => counts.recorded += 1,
            Ok(_) => counts.present += 1,
            Err(HandleError::Domain(DomainError::AlreadyExists {
                what: Entity::Copy, ..
            })) => counts.present += 1,
            Err(e) => return Err(e.into()),
        }
    }
    drop(jobs);
    reader
        .await
        .map_err(|e| PackageCopyError::Read(e.to_string()))?
        .map_err(PackageCopyError::Read)?;
    Ok(counts)
}

/// A request to stream one ZIP entry, by path, into a channel of chunks.
type EntryJob = (
    String,
    tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>,
);

/// A blocking thread that owns the opened ZIP and streams the entries asked for, one by one,
/// in 1 MiB chunks (the central directory is read once for the whole package).
fn entry_reader(
    package: std::fs::File,
) -> (
    std::sync::mpsc::Sender<EntryJob>,
    tokio::task::JoinHandle<Result<(), String>>,
) {
    let (jobs, asked) = std::sync::mpsc::channel::<EntryJob>();
    let reader = tokio::task::spawn_blocking(move || {
        let mut archive = zip::ZipArchive::new(package).map_err(|e| e.to_string())?;
        for (path, chunks) in asked {
            let mut entry = match archive.by_name(&path) {
                Ok(entry) => entry,
                Err(e) => {
                    let _ = chunks.blocking_send(Err(std::io::Error::other(e.to_string())));
                    continue;
                }
            };
            loop {
                let mut buffer = vec![0u8; 1 << 20];
                match std::io::Read::read(&mut entry, &mut buffer) {
                    Ok(0) => break,
                    Ok(n) => {
                        buffer.truncate(n);
                        if chunks.blocking_send(Ok(buffer.into())).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = chunks.blocking_send(Err(e));
                        break;
                    }
                }
            }
        }
        Ok(())
    });
    (jobs, reader)
}

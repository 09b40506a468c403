//! E-ARK information packages of a transfer (TT 05/2025): the SIP at any time, the AIP once the
//! archive accepted the transfer; ZIPs streamed as they are written.
//!
//! Anyone who may read the transfer gets its package, as for every export: a reader not cleared
//! for the fonds' restricted files gets their titles replaced in the EAD3 and none of their
//! copies (the PREMIS of an AIP names files by code only).

use std::io::{self, Read};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bangiao_content::{Blobs, Digest};
use bangiao_documents::export::Format;
use bangiao_documents::export::eark::{self, CopyRef, CopySource, Package, PackageKind, transfer};
use bangiao_projections::query::inventory::Filter;

use super::inventory::{body_writer, document, export_problem};
use super::query;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// Gói SIP — the E-ARK submission package of a transfer (CSIP 2.0.4 with the SIP profile).
#[utoipa::path(get, path = "/api/v1/transfers/{id}/sip", tag = "transfers",
    params(("id" = String, Path, description = "Transfer id")),
    responses((status = 200, description = "The SIP as a ZIP, streamed: METS.xml, the EAD3 of the files, the copies under representations/rep1/data, the list as PDF",
        content((Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem)))]
pub async fn sip(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Caller(who): Caller,
) -> Result<Response, ApiError> {
    package(&state, id, PackageKind::Sip, &who).await
}

/// Gói AIP — the E-ARK archival package of a transfer the archive accepted: the SIP's content
/// (the accepted files) with PREMIS at package and representation level.
#[utoipa::path(get, path = "/api/v1/transfers/{id}/aip", tag = "transfers",
    params(("id" = String, Path, description = "Transfer id")),
    responses((status = 200, description = "The AIP as a ZIP, streamed",
        content((Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem, description = "The archive has not accepted the transfer")))]
pub async fn aip(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Caller(who): Caller,
) -> Result<Response, ApiError> {
    package(&state, id, PackageKind::Aip, &who).await
}

async fn package(
    state: &AppState,
    id: String,
    kind: PackageKind,
    who: &bangiao_auth::Principal,
) -> Result<Response, ApiError> {
    let filter = Filter {
        cleared_fonds: super::cleared_for(state, who).await?,
        ..Filter::default()
    };
    let created = chrono::Utc::now();
    let key = id.clone();
    let mut package = state
        .read
        .readers()
        .with(move |c| {
            transfer::package(c, &key, kind, created, &filter, &transfer::recorded_copies)
        })
        .await
        .map_err(export_problem)?;
    let source = if package.files.iter().any(|f| !f.copies.is_empty()) {
        let blobs = state.blobs()?.clone();
        let missing = missing_copies(&blobs, &package).await;
        if !missing.is_empty() {
            return Err(copies_missing(&missing));
        }
        Some(BlobSource::new(blobs))
    } else {
        None
    };
    if kind == PackageKind::Aip {
        let fixity = {
            let package = package.clone();
            query(state, move |c| {
                transfer::fixity_checks(c, &package)
                    .map_err(|e| bangiao_projections::ProjectionError::Io(e.to_string()))
            })
            .await?
        };
        transfer::add_preservation(&*state.store, &mut package, &id, &fixity)
            .await
            .map_err(export_problem)?;
    }
    let name = package.objid.replace(':', "_");
    let (out, tx, body) = body_writer();
    tokio::task::spawn_blocking(move || {
        let written = match &source {
            Some(source) => eark::write(&package, source, out),
            None => eark::write(&package, &eark::NoCopies, out),
        };
        if let Err(error) = written {
            tracing::error!(%error, "package export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    Ok(document(Format::Bag, &name, body))
}

/// The copies of a package read from the blob store, on the blocking thread that writes the ZIP.
pub struct BlobSource {
    blobs: Blobs,
    runtime: tokio::runtime::Handle,
}

impl BlobSource {
    /// A source reading from `blobs` through the current Tokio runtime.
    pub fn new(blobs: Blobs) -> BlobSource {
        BlobSource {
            blobs,
            runtime: tokio::runtime::Handle::current(),
        }
    }
}

impl CopySource for BlobSource {
    fn open(&self, copy: &CopyRef) -> io::Result<Box<dyn Read + Send + '_>> {
        let digest: Digest = copy
            .sha256
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{e:?}")))?;
        let reader = self
            .blobs
            .blocking_reader(&digest, &self.runtime)
            .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(Box::new(reader))
    }
}

/// The package's copies whose blob is absent or of another size than recorded: a package is
/// never started without all of its copies.
pub async fn missing_copies(blobs: &Blobs, package: &Package) -> Vec<(String, CopyRef)> {
    let mut missing = Vec::new();
    for file in &package.files {
        for copy in &file.copies {
            let present = match copy.sha256.parse::<Digest>() {
                Ok(digest) => {
                    matches!(blobs.size(&digest).await, Ok(Some(size)) if size == copy.size)
                }
                Err(_) => false,
            };
            if !present {
                missing.push((file.file_code.clone(), copy.clone()));
            }
        }
    }
    missing
}

/// 409 `copies_missing`: the files whose copies the blob store lacks, by checksum.
fn copies_missing(missing: &[(String, CopyRef)]) -> ApiError {
    let list = missing
        .iter()
        .map(|(file, copy)| format!("{file} ({})", copy.sha256))
        .collect::<Vec<_>>()
        .join(", ");
    ApiError::new(
        StatusCode::CONFLICT,
        "copies_missing",
        format!(
            "Kho lưu thiếu {} bản số hóa của gói: {list}. Chạy bangiao fixity để xem toàn bộ hư hỏng.",
            missing.len()
        ),
        format!(
            "The blob store lacks {} digital copies of the package: {list}. Run bangiao fixity to see all damage.",
            missing.len()
        ),
    )
}

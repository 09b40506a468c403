//! E-ARK information packages of a transfer (TT 05/2025): the SIP at any time, the AIP once the
//! archive accepted the transfer; ZIPs streamed as they are written.
//!
//! Anyone who may read the transfer gets its package, as for every export: a reader not cleared
//! for the fonds' restricted files gets their titles replaced in the EAD3 and none of their
//! copies (the PREMIS of an AIP names files by code only).

use axum::extract::{Path, State};
use axum::response::Response;
use bangiao_documents::export::Format;
use bangiao_documents::export::eark::{self, NoCopies, PackageKind, transfer};
use bangiao_projections::query::inventory::Filter;

use super::inventory::{body_writer, document, export_problem};
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
        .with(move |c| transfer::package(c, &key, kind, created, &filter, &transfer::no_copies))
        .await
        .map_err(export_problem)?;
    if kind == PackageKind::Aip {
        transfer::add_preservation(&*state.store, &mut package, &id)
            .await
            .map_err(export_problem)?;
    }
    let name = package.objid.replace(':', "_");
    let (out, tx, body) = body_writer();
    tokio::task::spawn_blocking(move || {
        if let Err(error) = eark::write(&package, &NoCopies, out) {
            tracing::error!(%error, "package export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    Ok(document(Format::Bag, &name, body))
}

//! The package of a transfer to the historical archive (nộp lưu), from the read models: its
//! SIP at any time, its AIP once the archive accepted it (with PREMIS from the event store).
//!
//! * OBJID: `urn:{fonds}:uuid-…`, the UUID derived from the transfer id (SIP) or from the
//!   transfer id and "aip" (AIP), so the same transfer always gives the same identifiers.
//! * Submission agreement (`altRecordID`): `bangiao:transfer:{id}`; reference code: the fonds.
//! * Descriptive metadata: the EAD3 of the transferred files (the AIP: the files accepted).
//! * Documentation: the transfer's minutes (Biên bản giao nhận tài liệu nộp lưu) and its list
//!   (Mục lục hồ sơ nộp lưu), both as PDF.
//! * AIP preservation metadata: at package level the fonds' events that concern the files
//!   (or the fonds as a whole): handovers with their giving and receiving sides, the transfer,
//!   digitisation (as TT 05 `transfer`), closing with the `information package creation` of the
//!   AIP from the SIP; at representation level the events of the copies alone.

use std::collections::BTreeSet;

use bangiao_projections::query::acts::{self, TransferRow};
use bangiao_projections::query::copies::{self, CopyRow};
use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{FileRow, Filter, ProcessList, listed_in};
use bangiao_store::EventStore;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::{Agent, CopyRef, Package, PackageFile, PackageKind, Part, iso, objid};
use crate::export::ExportError;
use crate::export::bag::rejections as rejections_of;
use crate::export::ead3::{self, Ead3Options, Record};
use crate::export::heading::{ListHeading, ListKind};
use crate::export::pdf;
use crate::export::premis::{self, PackageEvent};
use crate::export::rows::ListStats;

/// The copies recorded for a file (none while only its paper exists).
pub type CopiesOf = dyn Fn(&Connection, &FileRow) -> Result<Vec<CopyRef>, ExportError>;

/// No file has copies: the paper-only package.
pub fn no_copies(_: &Connection, _: &FileRow) -> Result<Vec<CopyRef>, ExportError> {
    Ok(Vec::new())
}

/// The current copies the read model records for a file, scans and born-digital documents
/// alike (replaced copies and the tombstones of deleted ones are left out).
pub fn recorded_copies(conn: &Connection, row: &FileRow) -> Result<Vec<CopyRef>, ExportError> {
    Ok(copies::of_file(conn, &row.file_code)?
        .into_iter()
        .filter(|c| c.fonds_code == row.fonds_code && c.status == "current")
        .map(|c| CopyRef {
            name: copy_name(&c),
            mime: c.media_type().to_owned(),
            sha256: c.sha256,
            size: c.size_bytes,
        })
        .collect())
}

/// A copy's name in the package: the uploaded file's name, else its id with the format's
/// usual extension.
fn copy_name(copy: &CopyRow) -> String {
    if let Some(name) = copy.original_name.as_ref().filter(|n| !n.trim().is_empty()) {
        return name.clone();
    }
    let extension = match copy.format.as_str() {
        "pdf" => "pdf",
        "tiff" => "tif",
        "jpeg2000" => "jp2",
        "jpeg" => "jpg",
        "png" => "png",
        _ => "bin",
    };
    format!("{}.{extension}", copy.copy_id)
}

/// The OBJID of a transfer's SIP.
pub fn sip_objid(fonds_code: &str, transfer_id: &str) -> String {
    objid(fonds_code, &format!("bangiao-sip:{transfer_id}"))
}

/// The OBJID of a transfer's AIP.
pub fn aip_objid(fonds_code: &str, transfer_id: &str) -> String {
    objid(fonds_code, &format!("bangiao-aip:{transfer_id}"))
}

/// The package of transfer `id` from the read models, without its preservation metadata
/// (see [`add_preservation`] for an AIP); an AIP only once the archive accepted the transfer,
/// and then of the files it accepted.
///
/// `filter` says whose restricted titles are hidden: a reader not cleared for the fonds gets
/// the EAD3 with them replaced, as every export does, and no copy of a restricted file.
pub fn package(
    conn: &Connection,
    id: &str,
    kind: PackageKind,
    created: DateTime<Utc>,
    filter: &Filter,
    copies: &CopiesOf,
) -> Result<Package, ExportError> {
    let transfer = acts::transfer(conn, id)?
        .ok_or_else(|| ExportError::not_found("đợt nộp lưu", "transfer", id))?;
    if kind == PackageKind::Aip && transfer.status != "accepted" {
        return Err(ExportError::NotAccepted(id.to_owned()));
    }
    let fonds = fonds::get(conn, &transfer.fonds_code)?
        .ok_or_else(|| ExportError::not_found("phông", "fonds", &transfer.fonds_code))?;
    let mut rows = listed_in(conn, ProcessList::Transfer, id, filter)?;
    let cleared = filter
        .cleared_fonds
        .as_ref()
        .is_none_or(|c| c.contains(&transfer.fonds_code));
    if kind == PackageKind::Aip {
        let rejected: BTreeSet<String> = rejections_of(&transfer)
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        rows.retain(|row| !rejected.contains(&row.file_code));
    }
    let heading = ListHeading {
        kind: ListKind::Fonds,
        agency: fonds.creator_name.clone(),
        code: fonds.code.clone(),
        name: fonds.name.clone(),
        stats: ListStats::gather(&mut rows.as_slice())?,
        unit_end: None,
        verification: None,
    };
    let record = Record {
        id: format!("bangiao-transfer-{id}"),
        title: format!(
            "Mục lục hồ sơ nộp lưu {id} — phông {} ({})",
            fonds.name, fonds.code
        ),
    };
    let options = Ead3Options {
        generated_at: created,
        filter: filter.clone(),
        ..Ead3Options::default()
    };
    let mut ead = Vec::new();
    ead3::write_rows(
        conn,
        &heading,
        &record,
        &mut rows.as_slice(),
        &options,
        &mut ead,
    )?;
    let (list_pdf, _) = pdf::write_list(&heading, &mut rows.as_slice())?;
    let minutes_pdf = pdf::write_transfer_minutes(
        &transfer,
        &pdf::TransferredFonds {
            name: &fonds.name,
            creator: &fonds.creator_name,
        },
    )?;
    let mut files = Vec::with_capacity(rows.len());
    for row in &rows {
        files.push(PackageFile {
            file_code: row.file_code.clone(),
            title: row.title.clone(),
            copies: if cleared || row.access == "01" {
                copies(conn, row)?
            } else {
                Vec::new()
            },
        });
    }
    let objid = match kind {
        PackageKind::Sip => sip_objid(&transfer.fonds_code, id),
        PackageKind::Aip => aip_objid(&transfer.fonds_code, id),
    };
    Ok(Package {
        kind,
        objid,
        label: label(&transfer, kind),
        created,
        submission_agreement: Some(format!("bangiao:transfer:{id}")),
        reference_code: Some(transfer.fonds_code.clone()),
        submitter: Agent {
            name: transfer.transferring.clone(),
            code: transfer.transferring.clone(),
        },
        archive: Agent {
            name: transfer.archive.clone(),
            code: transfer.archive.clone(),
        },
        descriptive: vec![Part {
            name: "ead3.xml".to_owned(),
            mime: "application/xml".to_owned(),
            bytes: ead,
        }],
        preservation: Vec::new(),
        rep_preservation: Vec::new(),
        documentation: vec![
            Part {
                name: format!("bien-ban-nop-luu-{id}.pdf"),
                mime: "application/pdf".to_owned(),
                bytes: minutes_pdf,
            },
            Part {
                name: format!("muc-luc-nop-luu-{id}.pdf"),
                mime: "application/pdf".to_owned(),
                bytes: list_pdf,
            },
        ],
        files,
    })
}

fn label(transfer: &TransferRow, kind: PackageKind) -> String {
    let what = match kind {
        PackageKind::Sip => "Gói nộp lưu (SIP)",
        PackageKind::Aip => "Gói lưu trữ (AIP)",
    };
    format!(
        "{what} {} — phông {}: {} → {}",
        transfer.transfer_id, transfer.fonds_code, transfer.transferring, transfer.archive
    )
}

/// The last fixity check of each copy of the package (fixity runs keep their own streams; the
/// read model keeps each copy's last verdict), as PREMIS `fixity check` events.
pub fn fixity_checks(
    conn: &Connection,
    package: &Package,
) -> Result<Vec<PackageEvent>, ExportError> {
    let mut events = Vec::new();
    for file in &package.files {
        if file.copies.is_empty() {
            continue;
        }
        let recorded = copies::of_file(conn, &file.file_code)?;
        for copy in &file.copies {
            let checked = recorded
                .iter()
                .filter(|r| r.sha256 == copy.sha256 && r.status == "current");
            for row in checked {
                let (Some(verdict), Some(run_id)) = (&row.fixity, &row.fixity_run) else {
                    continue;
                };
                let Some(run) = copies::run(conn, run_id)? else {
                    continue;
                };
                let vi = match verdict.as_str() {
                    "intact" => "nguyên vẹn",
                    "missing" => "bị thiếu",
                    "altered" => "bị sai lệch",
                    _ => verdict.as_str(),
                };
                events.push(PackageEvent {
                    id: uuid_of(&format!("bangiao-fixity:{run_id}:{}", row.copy_id)),
                    label: "fixity check".to_owned(),
                    code: "fix".to_owned(),
                    when: run.finished_at.clone(),
                    detail: format!(
                        "Kiểm tra toàn vẹn lượt {run_id}: bản {} của hồ sơ {} {vi} (fixity check: {verdict})",
                        row.copy_id, file.file_code
                    ),
                    organisation: package.archive.name.clone(),
                    objects: vec![(
                        "sha256".to_owned(),
                        copy.sha256.clone(),
                        "source".to_owned(),
                    )],
                });
            }
        }
    }
    Ok(events)
}

/// Adds the AIP's PREMIS, at package and at representation level, from the fonds' events and
/// the copies' fixity checks (see [`fixity_checks`]).
pub async fn add_preservation<S: EventStore + ?Sized>(
    store: &S,
    package: &mut Package,
    transfer_id: &str,
    fixity: &[PackageEvent],
) -> Result<(), ExportError> {
    let fonds = package.reference_code.clone().unwrap_or_default();
    let files: BTreeSet<String> = package.files.iter().map(|f| f.file_code.clone()).collect();
    let creation = PackageEvent {
        id: uuid_of(&format!("bangiao-aip-creation:{transfer_id}")),
        label: "information package creation".to_owned(),
        code: "ipc".to_owned(),
        when: iso(package.created),
        detail: format!(
            "Tạo gói AIP {} từ gói SIP {} của đợt nộp lưu {transfer_id} (information package creation)",
            package.objid,
            sip_objid(&fonds, transfer_id)
        ),
        organisation: package.archive.name.clone(),
        objects: vec![
            (
                "bangiao:package".to_owned(),
                sip_objid(&fonds, transfer_id),
                "source".to_owned(),
            ),
            (
                "bangiao:package".to_owned(),
                package.objid.clone(),
                "outcome".to_owned(),
            ),
        ],
    };
    let mut whole = Vec::new();
    let keep = |event: &bangiao_store::RecordedEvent| premis::concerns(event, &files);
    let extra: Vec<PackageEvent> = std::iter::once(creation)
        .chain(fixity.iter().cloned())
        .collect();
    premis::write_selected(store, &fonds, keep, &extra, &mut whole).await?;
    let mut copies = Vec::new();
    let keep_copies = |event: &bangiao_store::RecordedEvent| {
        Ok(is_copy_event(&event.event_type) && premis::concerns(event, &files)?)
    };
    premis::write_selected(store, &fonds, keep_copies, fixity, &mut copies).await?;
    package.preservation = vec![Part {
        name: "premis.xml".to_owned(),
        mime: "application/xml".to_owned(),
        bytes: whole,
    }];
    package.rep_preservation = vec![Part {
        name: "premis.xml".to_owned(),
        mime: "application/xml".to_owned(),
        bytes: copies,
    }];
    Ok(())
}

/// Whether a stored event is about digital copies (digitisation, fixity).
fn is_copy_event(event_type: &str) -> bool {
    event_type == "FileDigitised"
        || event_type.starts_with("Copy")
        || event_type.starts_with("Fixity")
        || event_type.starts_with("Document")
}

/// A UUID derived from a seed, as text.
fn uuid_of(seed: &str) -> String {
    crate::import::ids::seeded(seed).to_string()
}

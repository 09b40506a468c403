//! A BagIt (RFC 8493, version 1.0) package for the archive, built as a directory and, for
//! transport, serialised as a zip holding that one directory (RFC 8493 §4). Three subjects:
//! a handover, a transfer to the historical archive, a whole fonds.
//!
//! ```text
//! bag-{handover}/ | bag-nop-luu-{transfer}/ | bag-phong-{fonds}/
//!   bagit.txt                 BagIt-Version 1.0, UTF-8
//!   bag-info.txt              Source-Organization, External-Identifier, Bagging-Date,
//!                             Payload-Oxum, Bag-Software-Agent, External-Description
//!   manifest-sha256.txt       every payload file
//!   tagmanifest-sha256.txt    bagit.txt, bag-info.txt, manifest-sha256.txt
//!   data/muc-luc.csv          the list (Mục lục): the handover's attached list, the transfer's
//!                             list, or the fonds' whole list, as the CSV export
//!   data/bien-ban.html        handover: the minutes with the list, printable
//!   data/bien-ban.pdf         handover: the same as PDF
//!   data/muc-luc.pdf          transfer, fonds: the list as PDF
//!   data/nop-luu.json         transfer: the transfer as recorded, with each file's outcome
//!                             (accepted, rejected with the reason, or pending)
//!   data/muc-luc.ead3.xml     fonds: the EAD3 finding aid
//!   data/su-kien.jsonl        the fonds' stored events, with envelope and chain hashes
//!   data/su-kien.premis.xml   the same events as PREMIS 3
//!   data/so-hoa-sha256.csv    file code → SHA-256 of each digitised copy (we hold no copies)
//! ```

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use bangiao_projections::query::acts::{self, TransferRow};
use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{self, FileRow, Filter, ProcessList, Scope};
use bangiao_store::EventStore;
use bangiao_store::sqlite::ReaderPool;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use super::ExportError;
use super::ead3::{self, Ead3Options};
use super::heading::{ListHeading, ListKind, without_fonds_word};
use super::minutes::{Minutes, attached_rows};
use super::rows::{ListStats, QueryRows, RowSource};
use super::{csv, events, html, pdf, premis};

/// What a bag packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BagSubject {
    /// A handover (its id): the minutes and the attached list.
    Handover(String),
    /// A transfer to the historical archive (its id): its list and each file's outcome.
    Transfer(String),
    /// A fonds (its code): its whole list and its finding aid.
    Fonds(String),
}

impl BagSubject {
    /// The bag's directory name (also the top directory of its zip).
    pub fn name(&self) -> String {
        match self {
            Self::Handover(id) => format!("bag-{id}"),
            Self::Transfer(id) => format!("bag-nop-luu-{id}"),
            Self::Fonds(code) => format!("bag-phong-{code}"),
        }
    }
}

/// What the bag's tag files say that the data does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagOptions {
    /// The service's public address, for the minutes' QR code.
    pub base_url: String,
    /// `Bagging-Date`.
    pub bagging_date: NaiveDate,
}

impl BagOptions {
    /// Options bagged today, with the service at `base_url`.
    pub fn today(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            bagging_date: chrono::Local::now().date_naive(),
        }
    }
}

/// What went into a bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagReport {
    /// The fonds of the handover, the transfer, or the fonds bagged.
    pub fonds_code: String,
    /// Files on the list.
    pub files: u64,
    /// Events of the fonds written.
    pub events: u64,
    /// Payload bytes and payload files (`Payload-Oxum`).
    pub oxum: (u64, u64),
}

/// The bag's directory name for a handover.
pub fn bag_name(handover_id: &str) -> String {
    BagSubject::Handover(handover_id.to_owned()).name()
}

/// What `bag-info.txt` says of the bag, and what its list holds.
struct Payload {
    fonds_code: String,
    files: u64,
    source_organization: String,
    description: String,
}

/// Builds the bag of `subject` in the empty or missing directory `dir`.
pub async fn write_dir<S: EventStore + ?Sized>(
    store: &S,
    readers: &ReaderPool,
    subject: &BagSubject,
    options: &BagOptions,
    dir: &Path,
) -> Result<BagReport, ExportError> {
    let data = dir.join("data");
    fs::create_dir_all(&data)?;
    let (key, base, target) = (subject.clone(), options.base_url.clone(), data.clone());
    let payload = readers
        .with(move |conn| match &key {
            BagSubject::Handover(id) => handover_payload(conn, id, &base, &target),
            BagSubject::Transfer(id) => transfer_payload(conn, id, &target),
            BagSubject::Fonds(code) => fonds_payload(conn, code, &target),
        })
        .await?;
    let out = BufWriter::new(File::create(data.join("su-kien.jsonl"))?);
    let events = events::write_jsonl(store, &payload.fonds_code, out).await?;
    let out = BufWriter::new(File::create(data.join("su-kien.premis.xml"))?);
    premis::write(store, &payload.fonds_code, out).await?;
    let identifier = match subject {
        BagSubject::Handover(id) | BagSubject::Transfer(id) | BagSubject::Fonds(id) => id,
    };
    let oxum = write_tags(dir, identifier, &payload, options.bagging_date)?;
    Ok(BagReport {
        fonds_code: payload.fonds_code,
        files: payload.files,
        events,
        oxum,
    })
}

/// A handover's payload from the read models: its attached list, its minutes.
fn handover_payload(
    conn: &Connection,
    id: &str,
    base_url: &str,
    data: &Path,
) -> Result<Payload, ExportError> {
    let minutes = Minutes::load(conn, id, base_url)?;
    let fonds = minutes.handover.fonds_code.clone();
    let mut out = BufWriter::new(File::create(data.join("muc-luc.csv"))?);
    let files = csv::write(&mut attached_rows(conn, &minutes.handover)?, &mut out)?;
    out.flush()?;
    let mut out = BufWriter::new(File::create(data.join("bien-ban.html"))?);
    html::write_minutes(
        &minutes,
        &mut attached_rows(conn, &minutes.handover)?,
        &mut out,
    )?;
    out.flush()?;
    let (bytes, _) = pdf::write_minutes(&minutes, &mut attached_rows(conn, &minutes.handover)?)?;
    fs::write(data.join("bien-ban.pdf"), bytes)?;
    write_digests(&mut attached_rows(conn, &minutes.handover)?, data)?;
    Ok(Payload {
        fonds_code: fonds,
        files,
        source_organization: minutes.handover.giving,
        description: format!(
            "Biên bản giao nhận hồ sơ, tài liệu {id} (Nghị định 30/2020/NĐ-CP, Phụ lục V)"
        ),
    })
}

/// A transfer as the bag records it: the transfer, and each listed file's outcome.
#[derive(Debug, Serialize)]
struct TransferRecord<'a> {
    /// The transfer as the read model holds it.
    transfer: &'a TransferRow,
    /// Every listed file, in the list's order.
    files: Vec<TransferOutcome>,
}

/// What became of one listed file.
#[derive(Debug, Serialize)]
struct TransferOutcome {
    file_code: String,
    /// `accepted`, `rejected`, or `pending` while the archive has not signed.
    outcome: &'static str,
    /// Why the archive refused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// The reason each rejected file was refused, by file code.
pub(crate) fn rejections(transfer: &TransferRow) -> Vec<(String, String)> {
    transfer
        .rejected
        .as_ref()
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    // The read model keeps `[code, reason]` pairs.
                    let code = item.get(0)?.as_str()?;
                    let reason = item.get(1).and_then(|r| r.as_str());
                    Some((code.to_owned(), reason.unwrap_or_default().to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A transfer's payload: its list (CSV, PDF), the transfer with each file's outcome.
fn transfer_payload(conn: &Connection, id: &str, data: &Path) -> Result<Payload, ExportError> {
    let transfer = acts::transfer(conn, id)?
        .ok_or_else(|| ExportError::not_found("đợt nộp lưu", "transfer", id))?;
    let fonds = fonds::get(conn, &transfer.fonds_code)?
        .ok_or_else(|| ExportError::not_found("phông", "fonds", &transfer.fonds_code))?;
    let rows = inventory::listed_in(conn, ProcessList::Transfer, id, &Filter::default())?;
    let mut out = BufWriter::new(File::create(data.join("muc-luc.csv"))?);
    let files = csv::write(&mut rows.as_slice(), &mut out)?;
    out.flush()?;
    let heading = ListHeading {
        kind: ListKind::Fonds,
        agency: fonds.creator_name.clone(),
        code: fonds.code.clone(),
        name: fonds.name.clone(),
        stats: ListStats::gather(&mut rows.as_slice())?,
        unit_end: None,
        verification: None,
    };
    let (bytes, _) = pdf::write_list(&heading, &mut rows.as_slice())?;
    fs::write(data.join("muc-luc.pdf"), bytes)?;
    let rejected = rejections(&transfer);
    let accepted = transfer.status == "accepted";
    let outcome = |row: &FileRow| match rejected.iter().find(|(code, _)| *code == row.file_code) {
        Some((_, reason)) => TransferOutcome {
            file_code: row.file_code.clone(),
            outcome: "rejected",
            reason: Some(reason.clone()),
        },
        None => TransferOutcome {
            file_code: row.file_code.clone(),
            outcome: if accepted { "accepted" } else { "pending" },
            reason: None,
        },
    };
    let record = TransferRecord {
        transfer: &transfer,
        files: rows.iter().map(outcome).collect(),
    };
    let text = serde_json::to_string_pretty(&record)
        .map_err(|e| ExportError::Corrupt(format!("transfer {id}: {e}")))?;
    fs::write(data.join("nop-luu.json"), format!("{text}\n"))?;
    write_digests(&mut rows.as_slice(), data)?;
    Ok(Payload {
        fonds_code: transfer.fonds_code.clone(),
        files,
        source_organization: transfer.transferring.clone(),
        description: format!(
            "Hồ sơ nộp lưu {id} của phông {} vào {}: {files} hồ sơ, {} bị từ chối (Luật Lưu trữ 2024)",
            transfer.fonds_code,
            transfer.archive,
            rejected.len()
        ),
    })
}

/// A fonds' payload: its whole list (CSV, PDF) and its EAD3 finding aid.
fn fonds_payload(conn: &Connection, code: &str, data: &Path) -> Result<Payload, ExportError> {
    let fonds =
        fonds::get(conn, code)?.ok_or_else(|| ExportError::not_found("phông", "fonds", code))?;
    let rows = || QueryRows::new(conn, Scope::Fonds(code.to_owned()), Filter::default());
    let mut out = BufWriter::new(File::create(data.join("muc-luc.csv"))?);
    let files = csv::write(&mut rows(), &mut out)?;
    out.flush()?;
    let heading = ListHeading::load(conn, &Scope::Fonds(code.to_owned()), &Filter::default())?;
    let (bytes, _) = pdf::write_list(&heading, &mut rows())?;
    fs::write(data.join("muc-luc.pdf"), bytes)?;
    let mut out = BufWriter::new(File::create(data.join("muc-luc.ead3.xml"))?);
    ead3::write(conn, code, &Ead3Options::default(), &mut out)?;
    out.flush()?;
    write_digests(&mut rows(), data)?;
    Ok(Payload {
        fonds_code: code.to_owned(),
        files,
        source_organization: fonds.creator_name,
        description: format!(
            "Phông {} ({code}): mục lục hồ sơ, công cụ tra cứu EAD3, các sự kiện của phông",
            without_fonds_word(&fonds.name)
        ),
    })
}

/// `so-hoa-sha256.csv`: the SHA-256 of each digitised copy of the rows' files.
fn write_digests(rows: &mut dyn RowSource, data: &Path) -> Result<(), ExportError> {
    let mut out = BufWriter::new(File::create(data.join("so-hoa-sha256.csv"))?);
    out.write_all("\u{feff}file_code,sha256\n".as_bytes())?;
    rows.each(&mut |row| {
        if let Some(sha) = &row.sha256 {
            writeln!(out, "{},{sha}", csv::safe(&row.file_code))?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Every file under `dir`, as paths relative to `root` with `/` separators, sorted.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>, ExportError> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))?;
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((parts.join("/"), path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// SHA-256 in hex and size of a file.
fn digest(path: &Path) -> Result<(String, u64), ExportError> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut size = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Writes bagit.txt, the payload manifest, bag-info.txt and the tag manifest; returns the
/// Payload-Oxum (bytes, files).
fn write_tags(
    dir: &Path,
    id: &str,
    payload: &Payload,
    bagging_date: NaiveDate,
) -> Result<(u64, u64), ExportError> {
    fs::write(
        dir.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )?;
    let mut manifest = String::new();
    let (mut bytes, mut count) = (0, 0);
    for (rel, path) in files_under(dir, &dir.join("data"))? {
        let (sha, size) = digest(&path)?;
        manifest.push_str(&format!("{sha}  {rel}\n"));
        bytes += size;
        count += 1;
    }
    fs::write(dir.join("manifest-sha256.txt"), manifest)?;
    let info = format!(
        "Source-Organization: {}\nExternal-Identifier: {id}\nExternal-Description: {}\nBagging-Date: {bagging_date}\nPayload-Oxum: {bytes}.{count}\nBag-Software-Agent: Bàn Giao {}\n",
        one_line(&payload.source_organization),
        one_line(&payload.description),
        env!("CARGO_PKG_VERSION")
    );
    fs::write(dir.join("bag-info.txt"), info)?;
    let mut tags = String::new();
    for name in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] {
        let (sha, _) = digest(&dir.join(name))?;
        tags.push_str(&format!("{sha}  {name}\n"));
    }
    fs::write(dir.join("tagmanifest-sha256.txt"), tags)?;
    Ok((bytes, count))
}

/// A tag value on one line (a line break would start a new tag).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Serialises the bag in `dir` as a zip whose one top-level directory is `name`, streamed to
/// `out` (no seeking needed).
pub fn zip_dir<W: Write>(dir: &Path, name: &str, out: W) -> Result<W, ExportError> {
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (rel, path) in files_under(dir, dir)? {
        zip.start_file(format!("{name}/{rel}"), options)?;
        let mut file = File::open(&path)?;
        std::io::copy(&mut file, &mut zip)?;
    }
    let mut out = zip.finish()?.into_inner();
    out.flush()?;
    Ok(out)
}

//! A BagIt (RFC 8493, version 1.0) package of a handover, built as a directory and, for
//! transport, serialised as a zip holding that one directory (RFC 8493 §4).
//!
//! ```text
//! bag-{handover}/
//!   bagit.txt                 BagIt-Version 1.0, UTF-8
//!   bag-info.txt              Source-Organization, External-Identifier, Bagging-Date,
//!                             Payload-Oxum, Bag-Software-Agent, External-Description
//!   manifest-sha256.txt       every payload file
//!   tagmanifest-sha256.txt    bagit.txt, bag-info.txt, manifest-sha256.txt
//!   data/muc-luc.csv          the attached list (Mục lục), as the CSV export
//!   data/bien-ban.html        the minutes with the list, printable
//!   data/bien-ban.pdf         the same as PDF
//!   data/su-kien.jsonl        the fonds' stored events, with envelope and chain hashes
//!   data/so-hoa-sha256.csv    file code → SHA-256 of each digitised copy (we hold no copies)
//! ```

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use bangiao_store::EventStore;
use bangiao_store::sqlite::ReaderPool;
use chrono::NaiveDate;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use super::ExportError;
use super::minutes::{Minutes, attached_rows};
use super::rows::RowSource;
use super::{csv, events, html, pdf};

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
    /// The fonds of the handover.
    pub fonds_code: String,
    /// Files on the attached list.
    pub files: u64,
    /// Events of the fonds written.
    pub events: u64,
    /// Payload bytes and payload files (`Payload-Oxum`).
    pub oxum: (u64, u64),
}

/// The bag's directory name for a handover.
pub fn bag_name(handover_id: &str) -> String {
    format!("bag-{handover_id}")
}

/// Builds the bag of handover `id` in the empty or missing directory `dir`.
pub async fn write_dir<S: EventStore + ?Sized>(
    store: &S,
    readers: &ReaderPool,
    id: &str,
    options: &BagOptions,
    dir: &Path,
) -> Result<BagReport, ExportError> {
    let data = dir.join("data");
    fs::create_dir_all(&data)?;
    let (key, base, target) = (id.to_owned(), options.base_url.clone(), data.clone());
    let (fonds_code, giving, files) = readers
        .with(move |conn| read_model_payload(conn, &key, &base, &target))
        .await?;
    let out = BufWriter::new(File::create(data.join("su-kien.jsonl"))?);
    let events = events::write_jsonl(store, &fonds_code, out).await?;
    let oxum = write_tags(dir, id, &giving, options.bagging_date)?;
    Ok(BagReport {
        fonds_code,
        files,
        events,
        oxum,
    })
}

/// The payload files that come from the read models; returns the fonds, the giving side and
/// the number of files on the list.
fn read_model_payload(
    conn: &Connection,
    id: &str,
    base_url: &str,
    data: &Path,
) -> Result<(String, String, u64), ExportError> {
    let minutes = Minutes::load(conn, id, base_url)?;
    let fonds = minutes.handover.fonds_code.clone();
    let mut out = BufWriter::new(File::create(data.join("muc-luc.csv"))?);
    let files = csv::write(&mut attached_rows(conn, &minutes.handover)?, &mut out)?;
    let mut out = BufWriter::new(File::create(data.join("bien-ban.html"))?);
    html::write_minutes(
        &minutes,
        &mut attached_rows(conn, &minutes.handover)?,
        &mut out,
    )?;
    let (bytes, _) = pdf::write_minutes(&minutes, &mut attached_rows(conn, &minutes.handover)?)?;
    fs::write(data.join("bien-ban.pdf"), bytes)?;
    let mut out = BufWriter::new(File::create(data.join("so-hoa-sha256.csv"))?);
    out.write_all("\u{feff}file_code,sha256\n".as_bytes())?;
    attached_rows(conn, &minutes.handover)?.each(&mut |row| {
        if let Some(sha) = &row.sha256 {
            writeln!(out, "{},{sha}", csv::safe(&row.file_code))?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok((fonds, minutes.handover.giving, files))
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
    giving: &str,
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
        "Source-Organization: {giving}\nExternal-Identifier: {id}\nExternal-Description: Biên bản giao nhận hồ sơ, tài liệu {id} (Nghị định 30/2020/NĐ-CP, Phụ lục V)\nBagging-Date: {bagging_date}\nPayload-Oxum: {bytes}.{count}\nBag-Software-Agent: Bàn Giao {}\n",
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

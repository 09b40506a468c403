//! E-ARK information packages (CSIP 2.0.4 with the SIP profile, and the AIP the archive keeps),
//! as TT 05/2025 asks for transfers of digital records (domain.md §3.7, §6), written as a ZIP
//! streamed as it is made: the digital copies pass through in 256 KiB pieces, each hashed on
//! the way and checked against the SHA-256 the package declares.
//!
//! ```text
//! {OBJID with ':' as '_'}/
//!   METS.xml                                  CSIP + SIP (or AIP) profile, written last
//!   metadata/descriptive/ead3.xml             the EAD3 of the files (dmdSec, MDTYPE EAD)
//!   metadata/preservation/premis.xml          AIP only: PREMIS of the package (digiprovMD)
//!   representations/rep1/METS.xml             the copies, one structMap division per file
//!   representations/rep1/data/{file}/{name}   the digital copies of each file
//!   representations/rep1/metadata/preservation/premis.xml   AIP only: PREMIS of the copies
//!   documentation/…                           the transfer's list (Mục lục) as PDF
//!   schemas/mets.xsd, xlink.xsd, DILCISExtensionMETS.xsd
//! ```
//!
//! Agents in `metsHdr` (CSIP10–16, SIP15–31): the software (CREATOR, OTHER/SOFTWARE, its version
//! as a `SOFTWARE VERSION` note), the submitting body (ARCHIVIST, ORGANIZATION, its code as an
//! `IDENTIFICATIONCODE` note) and the historical archive (PRESERVATION, ORGANIZATION). The
//! optional archival-creator agent (SIP9) is left out: the fonds' creator is in the EAD3, and
//! the validator's CSIP rules would treat a second CREATOR agent as software. `altRecordID`
//! carries the submission agreement (the transfer) and the reference code (the fonds).
//!
//! A paper-only transfer gives a package whose representation has an empty `data/` folder and
//! a METS listing every file with no copy: the structure stays whole, the description travels.
//!
//! The metadata (METS, EAD3, PREMIS, the PDF) is built in memory, about a kilobyte per file; the
//! copies, which are the bulk, never are.

mod mets;
pub mod transfer;

use std::collections::BTreeSet;
use std::io::{self, Read, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use super::ExportError;

/// The SIP profile (SIP2).
pub const SIP_PROFILE: &str = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml";
/// The AIP profile.
pub const AIP_PROFILE: &str = "https://earkaip.dilcis.eu/profile/E-ARK-AIP.xml";
/// The METS namespace.
pub const METS_NS: &str = "http://www.loc.gov/METS/";
/// The CSIP extension namespace.
pub const CSIP_NS: &str = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS";
/// Bytes read from a copy at a time.
const PIECE: usize = 256 * 1024;

/// Which package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// A submission information package (nộp lưu).
    Sip,
    /// An archival information package (after the archive accepted the transfer).
    Aip,
}

impl PackageKind {
    /// `csip:OAISPACKAGETYPE`.
    pub fn oais(self) -> &'static str {
        match self {
            Self::Sip => "SIP",
            Self::Aip => "AIP",
        }
    }

    /// The profile URL of the root METS.
    pub fn profile(self) -> &'static str {
        match self {
            Self::Sip => SIP_PROFILE,
            Self::Aip => AIP_PROFILE,
        }
    }
}

/// An organisation named in the METS header, with its identification code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// Its name.
    pub name: String,
    /// Its code (unit code, archive code).
    pub code: String,
}

/// One digital copy of a file: what the package declares of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRef {
    /// SHA-256, 64 lowercase hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type (`application/pdf`, `image/tiff`, …).
    pub mime: String,
    /// The file name inside the file's folder of `data/`.
    pub name: String,
}

/// A file of the package, by its code, with its copies (none for a paper file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Mã hồ sơ.
    pub file_code: String,
    /// Its title (the division's label in the representation's METS).
    pub title: String,
    /// Its digital copies.
    pub copies: Vec<CopyRef>,
}

/// A metadata or documentation file held whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// File name (no folder).
    pub name: String,
    /// Media type.
    pub mime: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything a package holds but the copies' bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// SIP or AIP.
    pub kind: PackageKind,
    /// `OBJID`: `urn:{fonds}:uuid-…` ([`objid`]).
    pub objid: String,
    /// `LABEL` of the root METS.
    pub label: String,
    /// When the package was made (`CREATEDATE`, every `CREATED`).
    pub created: DateTime<Utc>,
    /// `altRecordID TYPE="SUBMISSIONAGREEMENT"`.
    pub submission_agreement: Option<String>,
    /// `altRecordID TYPE="REFERENCECODE"` (the fonds code).
    pub reference_code: Option<String>,
    /// The body submitting the package (ARCHIVIST).
    pub submitter: Agent,
    /// The archive that preserves it (PRESERVATION).
    pub archive: Agent,
    /// `metadata/descriptive/`: EAD3.
    pub descriptive: Vec<Part>,
    /// `metadata/preservation/`: PREMIS of the package (AIP).
    pub preservation: Vec<Part>,
    /// `representations/rep1/metadata/preservation/`: PREMIS of the representation (AIP).
    pub rep_preservation: Vec<Part>,
    /// `documentation/`.
    pub documentation: Vec<Part>,
    /// The files, in list order.
    pub files: Vec<PackageFile>,
}

/// Where the copies' bytes come from: the blob store, a folder, generated bytes in a benchmark.
pub trait CopySource: Send + Sync {
    /// A reader of one copy's bytes.
    fn open(&self, copy: &CopyRef) -> io::Result<Box<dyn Read + Send + '_>>;
}

/// Any closure from a copy to a reader is a source.
impl<F> CopySource for F
where
    F: Fn(&CopyRef) -> io::Result<Box<dyn Read + Send>> + Send + Sync,
{
    fn open(&self, copy: &CopyRef) -> io::Result<Box<dyn Read + Send + '_>> {
        self(copy)
    }
}

/// The source of a package without copies: any request is an error.
pub struct NoCopies;

impl CopySource for NoCopies {
    fn open(&self, copy: &CopyRef) -> io::Result<Box<dyn Read + Send + '_>> {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("không có bản sao {} / no copy {}", copy.sha256, copy.sha256),
        ))
    }
}

/// What went into a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageReport {
    /// The package's top folder inside the ZIP.
    pub root: String,
    /// Files described.
    pub files: u64,
    /// Copies written.
    pub copies: u64,
    /// Bytes of copies written.
    pub copy_bytes: u64,
}

/// The OBJID TT 05/2025 gives a package: `urn:{fonds code}:uuid-{uuid}`, the UUID derived from
/// `seed` (the same transfer gives the same OBJID each time).
pub fn objid(fonds_code: &str, seed: &str) -> String {
    let uuid = crate::import::ids::seeded(seed);
    let code: String = fonds_code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("urn:{code}:uuid-{uuid}")
}

/// A path component safe in any file system and ZIP: ASCII letters, digits, `.`, `-`, `_`;
/// anything else becomes `_`; never empty, `.` or `..`.
pub fn safe_name(text: &str) -> String {
    let out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '.') {
        format!("_{out}")
    } else {
        out
    }
}

/// An entry written: its path inside the package, size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    pub path: String,
    pub mime: String,
    pub size: u64,
    pub sha256: String,
}

/// Passes bytes on to the ZIP while counting and hashing them.
struct Tee<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Tee<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(data)?;
        self.hasher.update(&data[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The ZIP being written, under the package's top folder.
struct Zip<W: Write> {
    zip: zip::ZipWriter<zip::write::StreamWriter<W>>,
    root: String,
    when: zip::DateTime,
}

impl<W: Write> Zip<W> {
    fn options(&self, stored: bool, size: u64) -> SimpleFileOptions {
        let method = if stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.when)
            .large_file(size >= u64::from(u32::MAX))
    }

    fn dir(&mut self, path: &str) -> Result<(), ExportError> {
        let options = self.options(false, 0);
        self.zip
            .add_directory(format!("{}/{path}", self.root), options)?;
        Ok(())
    }

    /// Writes one entry by `fill`, hashing it on the way.
    fn entry(
        &mut self,
        path: &str,
        mime: &str,
        stored: bool,
        size_hint: u64,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<Written, ExportError> {
        let options = self.options(stored, size_hint);
        self.zip
            .start_file(format!("{}/{path}", self.root), options)?;
        let mut tee = Tee {
            inner: &mut self.zip,
            hasher: Sha256::new(),
            size: 0,
        };
        fill(&mut tee)?;
        let (size, hasher) = (tee.size, tee.hasher);
        Ok(Written {
            path: path.to_owned(),
            mime: mime.to_owned(),
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    fn part(&mut self, folder: &str, part: &Part) -> Result<Written, ExportError> {
        let path = format!("{folder}/{}", safe_name(&part.name));
        let stored = !part.mime.contains("xml");
        self.entry(&path, &part.mime, stored, part.bytes.len() as u64, |w| {
            w.write_all(&part.bytes)
        })
    }
}

/// Where each copy goes: `data/{file}/{name}`, made unique within the file's folder.
pub(crate) fn copy_paths(files: &[PackageFile]) -> Vec<Vec<String>> {
    files
        .iter()
        .map(|file| {
            let folder = safe_name(&file.file_code);
            let mut taken = BTreeSet::new();
            file.copies
                .iter()
                .map(|copy| {
                    let base = safe_name(&copy.name);
                    let mut name = base.clone();
                    let mut n = 1;
                    while !taken.insert(name.clone()) {
                        n += 1;
                        name = format!("{n}-{base}");
                    }
                    format!("data/{folder}/{name}")
                })
                .collect()
        })
        .collect()
}

/// Writes `package` as a ZIP to `out`, the copies read from `source` as they are written;
/// returns what went in and the output.
pub fn write<W: Write>(
    package: &Package,
    source: &dyn CopySource,
    out: W,
) -> Result<(PackageReport, W), ExportError> {
    let root = package.objid.replace(':', "_");
    let created = package.created.naive_utc();
    use chrono::{Datelike, Timelike};
    let when = zip::DateTime::from_date_and_time(
        u16::try_from(created.year().clamp(1980, 2107)).unwrap_or(1980),
        created.month() as u8,
        created.day() as u8,
        created.hour() as u8,
        created.minute() as u8,
        created.second() as u8,
    )
    .unwrap_or_default();
    let mut zip = Zip {
        zip: zip::ZipWriter::new_stream(out),
        root: root.clone(),
        when,
    };
    let rep = "representations/rep1";
    let paths = copy_paths(&package.files);
    let mut copies = Vec::new();
    let mut copy_bytes = 0;
    zip.dir(&format!("{rep}/data"))?;
    for (file, file_paths) in package.files.iter().zip(&paths) {
        for (copy, path) in file.copies.iter().zip(file_paths) {
            let mut reader = source.open(copy)?;
            let written =
                zip.entry(&format!("{rep}/{path}"), &copy.mime, true, copy.size, |w| {
                    let mut buffer = vec![0u8; PIECE];
                    loop {
                        let n = reader.read(&mut buffer)?;
                        if n == 0 {
                            return Ok(());
                        }
                        w.write_all(&buffer[..n])?;
                    }
                })?;
            if written.sha256 != copy.sha256 || written.size != copy.size {
                return Err(ExportError::Corrupt(format!(
                    "bản sao {} của hồ sơ {} đọc ra {} byte SHA-256 {} / copy {} of file {} read as {} bytes with SHA-256 {}",
                    copy.sha256,
                    file.file_code,
                    written.size,
                    written.sha256,
                    copy.sha256,
                    file.file_code,
                    written.size,
                    written.sha256
                )));
            }
            copy_bytes += written.size;
            copies.push(written);
        }
    }
    let mut rep_preservation = Vec::new();
    if package.rep_preservation.is_empty() {
        zip.dir(&format!("{rep}/metadata"))?;
    }
    for part in &package.rep_preservation {
        let mut w = zip.part(&format!("{rep}/metadata/preservation"), part)?;
        w.path = w.path.trim_start_matches(&format!("{rep}/")).to_owned();
        rep_preservation.push(w);
    }
    let rep_mets = mets::representation(package, &paths, &rep_preservation)?;
    let rep_mets = zip.entry(
        &format!("{rep}/METS.xml"),
        "application/xml",
        false,
        0,
        |w| w.write_all(&rep_mets),
    )?;
    let mut parts = mets::RootParts::default();
    for part in &package.descriptive {
        parts
            .descriptive
            .push(zip.part("metadata/descriptive", part)?);
    }
    for part in &package.preservation {
        parts
            .preservation
            .push(zip.part("metadata/preservation", part)?);
    }
    for part in &package.documentation {
        parts.documentation.push(zip.part("documentation", part)?);
    }
    for (name, bytes) in SCHEMAS {
        parts.schemas.push(zip.entry(
            &format!("schemas/{name}"),
            "application/xml",
            false,
            bytes.len() as u64,
            |w| w.write_all(bytes),
        )?);
    }
    parts.representation = Some(rep_mets);
    let root_mets = mets::root(package, &parts)?;
    zip.entry("METS.xml", "application/xml", false, 0, |w| {
        w.write_all(&root_mets)
    })?;
    let mut out = zip.zip.finish()?.into_inner();
    out.flush()?;
    Ok((
        PackageReport {
            root,
            files: package.files.len() as u64,
            copies: copies.len() as u64,
            copy_bytes,
        },
        out,
    ))
}

/// The schemas in `schemas/`.
const SCHEMAS: [(&str, &[u8]); 3] = [
    ("mets.xsd", include_bytes!("schemas/mets.xsd")),
    ("xlink.xsd", include_bytes!("schemas/xlink.xsd")),
    (
        "DILCISExtensionMETS.xsd",
        include_bytes!("schemas/DILCISExtensionMETS.xsd"),
    ),
];

/// A time as METS writes it.
pub(crate) fn iso(when: DateTime<Utc>) -> String {
    when.to_rfc3339_opts(SecondsFormat::Secs, true)
}

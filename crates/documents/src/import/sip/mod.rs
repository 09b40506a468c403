//! Ingest of an E-ARK submission package (ours or another system's), checked before anything is
//! recorded: the archive refuses it whole, with a report per problem, or takes its files and
//! copies.
//!
//! **What is checked, in order** (each problem has a stable code):
//! 1. The ZIP's central directory, before anything is inflated: entry count, total declared
//!    size, and the ratio of each large entry (`zip_bomb`); then every entry's name: no
//!    absolute path, drive letter, backslash or `..` (`path_escape`). A ZIP that cannot be read
//!    is `unreadable_package`.
//! 2. The root `METS.xml`, at the top or in the one top folder (`missing_mets`), parsed
//!    (`mets_invalid`: not well formed, or a CSIP requirement missing: the `mets` root in the
//!    METS namespace, `OBJID`, `PROFILE`, `metsHdr` with `csip:OAISPACKAGETYPE`, a `CREATOR`
//!    agent, a `structMap` labelled `CSIP`, and on every `file` and `mdRef` a location, a
//!    size, a checksum and its type). The METS XSD is not checked here: the rules above are the
//!    ones an ingest depends on.
//! 3. Every reference of the root METS and of each representation's METS (`mptr`): a location
//!    that climbs out of the package (`path_escape`), a file that is not in the ZIP
//!    (`missing_file`), a size (`size_mismatch`) or a checksum (`checksum_mismatch`) that differs
//!    from the bytes, a checksum type other than SHA-256 or SHA-512
//!    (`unsupported_checksum`). Every file is read and hashed, inflating no more than it
//!    declares.
//! 4. The descriptive metadata: an EAD3 document (`dmdSec`, `MDTYPE="EAD"`) whose
//!    `<c level="file">` give the files (`no_description` when there is none,
//!    `description_invalid` when it cannot be read or a file lacks its code, title or dates).
//!
//! Copies are matched to files by the representation's structMap (a division labelled with the
//! file code pointing at its copies, as our packages write it), else by the first folder under
//! `data/`.

mod ead;
mod tree;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek};

use sha2::{Digest, Sha256, Sha512};

pub use ead::DescribedFile;
use tree::Node;

/// The METS namespace.
const METS_NS: &str = "http://www.loc.gov/METS/";

/// What an ingest accepts of a ZIP before inflating anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SipLimits {
    /// Most entries.
    pub max_entries: u64,
    /// Largest total declared (uncompressed) size.
    pub max_total_bytes: u64,
    /// Largest ratio of declared to compressed size of an entry above 1 MiB.
    pub max_ratio: u64,
    /// Largest metadata file (METS, EAD3) read whole.
    pub max_metadata_bytes: u64,
}

impl Default for SipLimits {
    /// 100,000 entries, 64 GiB, a ratio of 200, metadata files of 256 MiB.
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_total_bytes: 64 * 1024 * 1024 * 1024,
            max_ratio: 200,
            max_metadata_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Entries smaller than this are never refused for their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// One problem of a package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SipProblem {
    /// Stable machine code (see the module docs).
    pub code: String,
    /// The path inside the package it concerns, if one.
    pub path: Option<String>,
    /// Thông báo bằng tiếng Việt.
    pub message_vi: String,
    /// The message in English.
    pub message_en: String,
}

impl SipProblem {
    fn new(code: &str, path: Option<&str>, vi: String, en: String) -> Self {
        Self {
            code: code.to_owned(),
            path: path.map(str::to_owned),
            message_vi: vi,
            message_en: en,
        }
    }
}

/// A digital copy of a file the package carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestCopy {
    /// The file it is a copy of.
    pub file_code: String,
    /// Its path in the ZIP (with the package's top folder, if it has one).
    pub path: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type as declared.
    pub mime: String,
}

/// What a package holds, once every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingest {
    /// `OBJID`.
    pub objid: String,
    /// `csip:OAISPACKAGETYPE`.
    pub package_type: String,
    /// The fonds the EAD3 describes (`archdesc/did/unitid`), or the METS reference code.
    pub fonds_code: Option<String>,
    /// The files described.
    pub files: Vec<DescribedFile>,
    /// Their copies.
    pub copies: Vec<IngestCopy>,
}

impl Ingest {
    /// The files as a Mục lục CSV of fonds `fonds_code`, in the importer's columns.
    pub fn inventory_csv(&self, fonds_code: &str) -> Vec<u8> {
        ead::csv(fonds_code, &self.files)
    }
}

/// What an ingest found and did: the package, every problem, and the import of its files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestReport {
    /// `OBJID`, when the METS could be read.
    pub objid: Option<String>,
    /// `csip:OAISPACKAGETYPE`.
    pub package_type: Option<String>,
    /// The fonds the files go to.
    pub fonds_code: Option<String>,
    /// Files described.
    pub files: u64,
    /// Copies carried (checked).
    pub copies: Vec<IngestCopy>,
    /// Every problem of the package; any one refuses it whole.
    pub problems: Vec<SipProblem>,
    /// Whether nothing was recorded because of the problems (of the package or of its files).
    pub refused: bool,
    /// The recording of the files through the inventory importer (its row problems, files
    /// recorded, already present), when the package itself passed.
    pub import: Option<super::ImportReport>,
    /// Copies stored in the blob store and attached to their files by this ingest.
    pub copies_recorded: u64,
    /// Copies whose file already had the same bytes attached (nothing recorded for them).
    pub copies_present: u64,
}

/// Checks a package and, when it passes, records its files into their fonds (or `fonds`)
/// through the inventory importer, all or nothing (a dry run records nothing).
pub async fn ingest<S, R>(
    service: &bangiao_app::Service<S>,
    reader: R,
    fonds: Option<&str>,
    limits: &SipLimits,
    options: &super::ImportOptions,
) -> Result<IngestReport, super::ImportError>
where
    S: bangiao_store::EventStore + Clone,
    R: Read + Seek + Send + 'static,
{
    let limits = *limits;
    let checked = tokio::task::spawn_blocking(move || check(reader, &limits))
        .await
        .map_err(|e| super::ImportError::Unreadable(e.to_string()))?;
    let ingest = match checked {
        Checked::Refused(problems) => {
            return Ok(IngestReport {
                objid: None,
                package_type: None,
                fonds_code: fonds.map(str::to_owned),
                files: 0,
                copies: Vec::new(),
                problems,
                refused: true,
                import: None,
                copies_recorded: 0,
                copies_present: 0,
            });
        }
        Checked::Accepted(ingest) => ingest,
    };
    let code = fonds
        .map(str::to_owned)
        .or_else(|| ingest.fonds_code.clone())
        .unwrap_or_default();
    let mut report = IngestReport {
        objid: Some(ingest.objid.clone()),
        package_type: Some(ingest.package_type.clone()),
        fonds_code: Some(code.clone()),
        files: ingest.files.len() as u64,
        copies: ingest.copies.clone(),
        problems: Vec::new(),
        refused: false,
        import: None,
        copies_recorded: 0,
        copies_present: 0,
    };
    let fonds_code = bangiao_domain::values::FondsCode::parse(&code)
        .map_err(|_| super::ImportError::FondsNotFound(code.clone()))?;
    let options = super::ImportOptions {
        valid_only: false,
        ..options.clone()
    };
    let csv = ingest.inventory_csv(&code);
    let imported = super::import_inventory(
        service,
        &fonds_code,
        &csv,
        super::Format::Csv,
        &options,
        &mut |_| {},
    )
    .await?;
    report.refused = imported.blocked;
    report.import = Some(imported);
    Ok(report)
}

/// The verdict on a package: what it holds, or every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Every check passed.
    Accepted(Ingest),
    /// At least one problem; nothing may be recorded.
    Refused(Vec<SipProblem>),
}

/// A file referenced from a METS document.
#[derive(Debug, Clone)]
struct Reference {
    /// Path inside the package, resolved.
    path: String,
    id: Option<String>,
    size: Option<u64>,
    checksum: Option<String>,
    checksum_type: Option<String>,
    mime: String,
}

/// Checks a package read from `reader` (a ZIP); nothing is written anywhere.
pub fn check<R: Read + Seek>(reader: R, limits: &SipLimits) -> Checked {
    let mut problems = Vec::new();
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(a) => a,
        Err(e) => {
            return Checked::Refused(vec![SipProblem::new(
                "unreadable_package",
                None,
                format!("Không đọc được tệp ZIP của gói: {e}."),
                format!("The package's ZIP cannot be read: {e}."),
            )]);
        }
    };
    let entries = match directory(&mut archive, limits) {
        Ok(entries) => entries,
        Err(problem) => return Checked::Refused(problem),
    };
    let Some(prefix) = root_prefix(&entries) else {
        return Checked::Refused(vec![SipProblem::new(
            "missing_mets",
            Some("METS.xml"),
            "Gói không có METS.xml ở thư mục gốc.".to_owned(),
            "The package has no METS.xml at its root.".to_owned(),
        )]);
    };
    let mut reader = Entries {
        archive: &mut archive,
        entries: &entries,
        prefix,
        limits,
    };
    let root_path = "METS.xml".to_owned();
    let root = match reader.mets(&root_path, true) {
        Ok(root) => root,
        Err(problem) => return Checked::Refused(vec![problem]),
    };
    let objid = root.attr("OBJID").unwrap_or_default().to_owned();
    let package_type = root
        .first("metsHdr")
        .and_then(|h| h.attr("OAISPACKAGETYPE"))
        .unwrap_or_default()
        .to_owned();
    let reference_code = root.first("metsHdr").and_then(|h| {
        h.all("altRecordID")
            .find(|a| a.attr("TYPE") == Some("REFERENCECODE"))
            .map(|a| a.all_text())
    });
    let refs = references(&root, "", &mut problems);
    let mut hashes: HashMap<String, String> = HashMap::new();
    for r in &refs {
        if let Some(sha) = reader.verify(r, &mut problems) {
            hashes.insert(r.path.clone(), sha);
        }
    }
    let mut copies = Vec::new();
    for mptr in mptrs(&root) {
        let Some(path) = resolve("", &mptr, &mut problems) else {
            continue;
        };
        if !reader.has(&path) {
            problems.push(missing(&path));
            continue;
        }
        let rep = match reader.mets(&path, false) {
            Ok(rep) => rep,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let base = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
        let rep_refs = references(&rep, &base, &mut problems);
        let owners = owners(&rep, &rep_refs, &base);
        for r in &rep_refs {
            let Some(sha) = reader.verify(r, &mut problems) else {
                continue;
            };
            let in_data = r.path.starts_with(&format!("{base}/data/"));
            if let (true, Some(file_code)) = (in_data, owners.get(&r.path)) {
                copies.push(IngestCopy {
                    file_code: file_code.clone(),
                    path: format!("{}{}", reader.prefix, r.path),
                    size: r.size.unwrap_or_default(),
                    sha256: sha,
                    mime: r.mime.clone(),
                });
            }
        }
    }
    let descriptive: Vec<String> = root
        .all("dmdSec")
        .flat_map(|d| d.all("mdRef"))
        .filter(|m| m.attr("MDTYPE") == Some("EAD"))
        .filter_map(|m| m.attr("href").map(str::to_owned))
        .filter_map(|href| resolve("", &href, &mut Vec::new()))
        .collect();
    let mut files = Vec::new();
    let mut fonds_code = reference_code;
    if descriptive.is_empty() {
        problems.push(SipProblem::new(
            "no_description",
            None,
            "Gói không có siêu dữ liệu mô tả EAD3 (dmdSec MDTYPE=\"EAD\").".to_owned(),
            "The package has no EAD3 descriptive metadata (dmdSec MDTYPE=\"EAD\").".to_owned(),
        ));
    }
    for path in descriptive {
        if !hashes.contains_key(&path) {
            continue;
        }
        match reader
            .text(&path)
            .and_then(|text| ead::files(&text).map_err(|e| description_invalid(&path, &e)))
        {
            Ok((fonds, mut described)) => {
                fonds_code = fonds.or(fonds_code);
                files.append(&mut described);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Checked::Accepted(Ingest {
            objid,
            package_type,
            fonds_code,
            files,
            copies,
        })
    } else {
        Checked::Refused(problems)
    }
}

fn missing(path: &str) -> SipProblem {
    SipProblem::new(
        "missing_file",
        Some(path),
        format!("METS nêu tệp {path} nhưng gói không có tệp này."),
        format!("METS lists {path} but the package does not hold it."),
    )
}

fn description_invalid(path: &str, why: &str) -> SipProblem {
    SipProblem::new(
        "description_invalid",
        Some(path),
        format!("Không đọc được mô tả EAD3 {path}: {why}."),
        format!("The EAD3 description {path} cannot be read: {why}."),
    )
}

fn mets_invalid(path: &str, why: &str) -> SipProblem {
    SipProblem::new(
        "mets_invalid",
        Some(path),
        format!("METS {path} không hợp lệ: {why}."),
        format!("METS {path} is not valid: {why}."),
    )
}

fn escape(path: &str) -> SipProblem {
    SipProblem::new(
        "path_escape",
        Some(path),
        format!("Đường dẫn {path} ra ngoài gói (tuyệt đối hoặc có \"..\")."),
        format!("The path {path} leads out of the package (absolute or with \"..\")."),
    )
}

/// Whether an entry name stays inside the package.
fn safe_entry(name: &str) -> bool {
    !(name.starts_with('/')
        || name.contains('\\')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split('/').any(|part| part == ".."))
}

/// Reads the central directory: entry names (index by name), refusing bombs and escapes.
fn directory<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    limits: &SipLimits,
) -> Result<BTreeMap<String, (usize, u64)>, Vec<SipProblem>> {
    let count = archive.len() as u64;
    if count > limits.max_entries {
        return Err(vec![SipProblem::new(
            "zip_bomb",
            None,
            format!("Gói có {count} mục, quá giới hạn {}.", limits.max_entries),
            format!(
                "The package has {count} entries, over the limit of {}.",
                limits.max_entries
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut entries = BTreeMap::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = match archive.by_index_raw(index) {
            Ok(e) => e,
            Err(e) => {
                return Err(vec![SipProblem::new(
                    "unreadable_package",
                    None,
                    format!("Không đọc được mục {index} của ZIP: {e}."),
                    format!("Entry {index} of the ZIP cannot be read: {e}."),
                )]);
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let declared = entry.size();
        total = total.saturating_add(declared);
        let compressed = entry.compressed_size().max(1);
        if total > limits.max_total_bytes {
            return Err(vec![SipProblem::new(
                "zip_bomb",
                Some(&name),
                format!(
                    "Các mục của gói giải nén ra hơn {} byte (đến {name}).",
                    limits.max_total_bytes
                ),
                format!(
                    "The package's entries inflate to more than {} bytes (at {name}).",
                    limits.max_total_bytes
                ),
            )]);
        }
        if declared > RATIO_FLOOR && declared / compressed > limits.max_ratio {
            return Err(vec![SipProblem::new(
                "zip_bomb",
                Some(&name),
                format!(
                    "Mục {name} nén với tỷ lệ {}:1, quá giới hạn {}:1.",
                    declared / compressed,
                    limits.max_ratio
                ),
                format!(
                    "Entry {name} is compressed {}:1, over the limit of {}:1.",
                    declared / compressed,
                    limits.max_ratio
                ),
            )]);
        }
        if !safe_entry(&name) {
            problems.push(escape(&name));
            continue;
        }
        if !entry.is_dir() {
            entries.insert(name, (index, declared));
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// The folder the package sits in inside the ZIP: "" when METS.xml is at the top, else the one
/// top folder holding it.
fn root_prefix(entries: &BTreeMap<String, (usize, u64)>) -> Option<String> {
    if entries.contains_key("METS.xml") {
        return Some(String::new());
    }
    let mut tops = entries
        .keys()
        .filter_map(|n| n.split_once('/').map(|(t, _)| t));
    let first = tops.next()?;
    if tops.all(|t| t == first) && entries.contains_key(&format!("{first}/METS.xml")) {
        Some(format!("{first}/"))
    } else {
        None
    }
}

/// Resolves a METS location against the folder of its METS, inside the package; a location
/// that is absolute, a URL elsewhere, or climbs out is a `path_escape`.
fn resolve(base: &str, href: &str, problems: &mut Vec<SipProblem>) -> Option<String> {
    let href = href.strip_prefix("file://./").unwrap_or(href);
    let href = href.strip_prefix("./").unwrap_or(href);
    let absolute = href.starts_with('/')
        || href.contains('\\')
        || href.contains("://")
        || href.as_bytes().get(1) == Some(&b':');
    if absolute {
        problems.push(escape(href));
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    problems.push(escape(href));
                    return None;
                }
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Every `file` and `mdRef` of a METS document, with the CSIP attributes an ingest needs.
fn references(mets: &Node, base: &str, problems: &mut Vec<SipProblem>) -> Vec<Reference> {
    let mut out = Vec::new();
    for node in mets.descendants() {
        let location = match node.name() {
            "file" => node.first("FLocat").and_then(|l| l.attr("href")),
            "mdRef" => node.attr("href"),
            _ => continue,
        };
        let Some(href) = location else {
            problems.push(mets_invalid(
                base_or_root(base),
                &format!(
                    "<{}> {} has no xlink:href",
                    node.name(),
                    node.attr("ID").unwrap_or_default()
                ),
            ));
            continue;
        };
        let Some(path) = resolve(base, href, problems) else {
            continue;
        };
        let size = node.attr("SIZE").and_then(|s| s.parse().ok());
        let (checksum, checksum_type) = (node.attr("CHECKSUM"), node.attr("CHECKSUMTYPE"));
        if size.is_none() || checksum.is_none() || checksum_type.is_none() {
            problems.push(mets_invalid(
                base_or_root(base),
                &format!("{href}: SIZE, CHECKSUM and CHECKSUMTYPE are required"),
            ));
        }
        out.push(Reference {
            path,
            id: node.attr("ID").map(str::to_owned),
            size,
            checksum: checksum.map(str::to_ascii_lowercase),
            checksum_type: checksum_type.map(str::to_owned),
            mime: node.attr("MIMETYPE").unwrap_or_default().to_owned(),
        });
    }
    out
}

fn base_or_root(base: &str) -> &str {
    if base.is_empty() { "METS.xml" } else { base }
}

/// The representations' METS documents the root points at.
fn mptrs(root: &Node) -> Vec<String> {
    root.descendants()
        .into_iter()
        .filter(|n| n.name() == "mptr")
        .filter_map(|n| n.attr("href").map(str::to_owned))
        .collect()
}

/// Which file each copy of a representation belongs to: its structMap division's label (our
/// packages), else the first folder under `data/`.
fn owners(rep: &Node, refs: &[Reference], base: &str) -> HashMap<String, String> {
    let by_id: HashMap<&str, &str> = refs
        .iter()
        .filter_map(|r| r.id.as_deref().map(|id| (id, r.path.as_str())))
        .collect();
    let mut out = HashMap::new();
    for div in rep
        .descendants()
        .into_iter()
        .filter(|n| n.name() == "div" && n.attr("TYPE") == Some("file"))
    {
        let Some(code) = div.attr("LABEL") else {
            continue;
        };
        for fptr in div.all("fptr") {
            if let Some(path) = fptr.attr("FILEID").and_then(|id| by_id.get(id)) {
                out.insert((*path).to_owned(), code.to_owned());
            }
        }
    }
    let data = format!("{base}/data/");
    for r in refs {
        if out.contains_key(&r.path) {
            continue;
        }
        if let Some((folder, _)) = r
            .path
            .strip_prefix(&data)
            .and_then(|rest| rest.split_once('/'))
        {
            out.insert(r.path.clone(), folder.to_owned());
        }
    }
    out
}

/// The ZIP's entries, read under the package's folder.
struct Entries<'a, R: Read + Seek> {
    archive: &'a mut zip::ZipArchive<R>,
    entries: &'a BTreeMap<String, (usize, u64)>,
    prefix: String,
    limits: &'a SipLimits,
}

impl<R: Read + Seek> Entries<'_, R> {
    fn has(&self, path: &str) -> bool {
        self.entries.contains_key(&format!("{}{path}", self.prefix))
    }

    /// Reads an entry through `visit`, never more than it declares (a longer entry is a bomb).
    fn read(&mut self, path: &str, visit: &mut dyn FnMut(&[u8])) -> Result<u64, SipProblem> {
        let Some(&(index, declared)) = self.entries.get(&format!("{}{path}", self.prefix)) else {
            return Err(missing(path));
        };
        let unreadable = |e: &dyn std::fmt::Display| {
            SipProblem::new(
                "unreadable_package",
                Some(path),
                format!("Không đọc được {path}: {e}."),
                format!("{path} cannot be read: {e}."),
            )
        };
        let entry = self.archive.by_index(index).map_err(|e| unreadable(&e))?;
        let mut limited = entry.take(declared.saturating_add(1));
        let mut buffer = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            let n = limited.read(&mut buffer).map_err(|e| unreadable(&e))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > declared {
                return Err(SipProblem::new(
                    "zip_bomb",
                    Some(path),
                    format!("{path} giải nén ra nhiều hơn cỡ đã khai ({declared} byte)."),
                    format!("{path} inflates past its declared size ({declared} bytes)."),
                ));
            }
            visit(&buffer[..n]);
        }
        Ok(size)
    }

    /// A metadata file as text, within the metadata limit.
    fn text(&mut self, path: &str) -> Result<String, SipProblem> {
        let declared = self
            .entries
            .get(&format!("{}{path}", self.prefix))
            .map_or(0, |e| e.1);
        if declared > self.limits.max_metadata_bytes {
            return Err(SipProblem::new(
                "zip_bomb",
                Some(path),
                format!(
                    "Tệp siêu dữ liệu {path} lớn hơn {} byte.",
                    self.limits.max_metadata_bytes
                ),
                format!(
                    "The metadata file {path} is larger than {} bytes.",
                    self.limits.max_metadata_bytes
                ),
            ));
        }
        let mut bytes = Vec::new();
        self.read(path, &mut |chunk| bytes.extend_from_slice(chunk))?;
        String::from_utf8(bytes).map_err(|_| mets_invalid(path, "not UTF-8"))
    }

    /// Parses a METS document and checks what CSIP requires of it (`root`: of the package).
    fn mets(&mut self, path: &str, root: bool) -> Result<Node, SipProblem> {
        let text = self.text(path)?;
        let node = tree::parse(&text).map_err(|why| mets_invalid(path, &why))?;
        let problem = |why: &str| Err(mets_invalid(path, why));
        if node.name() != "mets" || node.namespace() != Some(METS_NS) {
            return problem("the root element is not <mets> in the METS namespace");
        }
        if node.attr("OBJID").is_none_or(str::is_empty) {
            return problem("OBJID is missing");
        }
        if root && node.attr("PROFILE").is_none_or(str::is_empty) {
            return problem("PROFILE is missing");
        }
        let Some(header) = node.first("metsHdr") else {
            return problem("metsHdr is missing");
        };
        if root && header.attr("OAISPACKAGETYPE").is_none_or(str::is_empty) {
            return problem("metsHdr has no csip:OAISPACKAGETYPE");
        }
        if root
            && !header
                .all("agent")
                .any(|a| a.attr("ROLE") == Some("CREATOR"))
        {
            return problem("metsHdr has no CREATOR agent");
        }
        if !node
            .all("structMap")
            .any(|s| s.attr("LABEL") == Some("CSIP"))
        {
            return problem("no structMap labelled CSIP");
        }
        Ok(node)
    }

    /// Reads and hashes one referenced file and compares it with its reference; its SHA-256
    /// when every check passed.
    fn verify(&mut self, r: &Reference, problems: &mut Vec<SipProblem>) -> Option<String> {
        if !self.has(&r.path) {
            problems.push(missing(&r.path));
            return None;
        }
        let algorithm = r
            .checksum_type
            .as_deref()
            .unwrap_or_default()
            .to_ascii_uppercase()
            .replace('-', "");
        let (mut sha256, mut sha512) = (Sha256::new(), Sha512::new());
        let size = match self.read(&r.path, &mut |chunk| {
            sha256.update(chunk);
            if algorithm == "SHA512" {
                sha512.update(chunk);
            }
        }) {
            Ok(size) => size,
            Err(problem) => {
                problems.push(problem);
                return None;
            }
        };
        let sha256 = hex::encode(sha256.finalize());
        let actual = match algorithm.as_str() {
            "SHA256" => sha256.clone(),
            "SHA512" => hex::encode(sha512.finalize()),
            _ => {
                problems.push(SipProblem::new(
                    "unsupported_checksum",
                    Some(&r.path),
                    format!(
                        "Loại mã kiểm tra {} của {} không được hỗ trợ (SHA-256, SHA-512).",
                        r.checksum_type.as_deref().unwrap_or_default(),
                        r.path
                    ),
                    format!(
                        "Checksum type {} of {} is not supported (SHA-256, SHA-512).",
                        r.checksum_type.as_deref().unwrap_or_default(),
                        r.path
                    ),
                ));
                return None;
            }
        };
        let mut ok = true;
        if let Some(declared) = r.size.filter(|d| *d != size) {
            problems.push(SipProblem::new(
                "size_mismatch",
                Some(&r.path),
                format!("{} có {size} byte, METS ghi {declared}.", r.path),
                format!("{} holds {size} bytes, METS says {declared}.", r.path),
            ));
            ok = false;
        }
        if let Some(declared) = r.checksum.as_deref().filter(|d| *d != actual) {
            problems.push(SipProblem::new(
                "checksum_mismatch",
                Some(&r.path),
                format!(
                    "Mã kiểm tra của {} là {actual}, METS ghi {declared}.",
                    r.path
                ),
                format!(
                    "The checksum of {} is {actual}, METS says {declared}.",
                    r.path
                ),
            ));
            ok = false;
        }
        ok.then_some(sha256)
    }
}

//! The EAD3 finding aid of a fonds (namespace `http://ead3.archivists.org/schema/`), streamed:
//! the files are written as they are read, so a fonds of any size needs the same memory.
//!
//! Mapping (domain.md §6):
//! * `<control>`: `recordid` `bangiao-fonds-{code}`; `titleproper` "Mục lục hồ sơ phông …"
//!   (the fonds' name without its own leading "Phông");
//!   `maintenancestatus` `derived` (generated from the event log); `maintenanceagency`; language
//!   `vie`/`Latn`; one `maintenanceevent` (`derived`, the generation time, agent type `machine`).
//! * `<archdesc level="fonds">`: `did` with `unitid` (fonds code), `unittitle` (fonds name),
//!   `unitdatestructured` (earliest start – latest end of its files), `origination/corpname`
//!   (the creator), `physdescstructured` (files, boxes, linear metres); `bioghist` (the creator's
//!   history); `custodhist` (a `chronlist` of opening, closure and every act that moved files,
//!   with pending acts after it); `acqinfo` (the latest acquisition); `accessrestrict` and
//!   `appraisal` (files by access regime and by retention).
//! * `<dsc>` with one `<c level="file">` per file: `did/unitid` (file code), `unittitle`,
//!   `unitdatestructured` (start–end), `container localtype="box"` (hộp số),
//!   `physdescstructured` (sheets); then `accessrestrict` (chế độ sử dụng), `appraisal`
//!   (thời hạn bảo quản: EAD has no retention element), and `odd` for notes and custody status.

mod history;
mod unit;

use std::io::Write;

use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{FileRow, Filter, Scope};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

pub use history::{CustodyHistory, HistoryItem};
pub use unit::write_unit;

use super::ExportError;
use super::heading::{ListHeading, without_fonds_word};
use super::labels::{self, access, date, metres, retention};
use super::rows::{QueryRows, RowSource};
use super::words::figures;
use super::xml::Xml;

/// The EAD3 namespace.
pub const NAMESPACE: &str = "http://ead3.archivists.org/schema/";

/// Who maintains the finding aid and when it was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ead3Options {
    /// `maintenanceagency/agencyname`.
    pub agency_name: String,
    /// The generation time (`maintenanceevent/eventdatetime`).
    pub generated_at: DateTime<Utc>,
    /// Which files, and whose restricted titles are hidden (a reader not cleared for the fonds).
    pub filter: Filter,
}

impl Default for Ead3Options {
    fn default() -> Self {
        Self {
            agency_name: "Bàn Giao".to_owned(),
            generated_at: Utc::now(),
            filter: Filter::default(),
        }
    }
}

/// Writes the finding aid of fonds `code` to `out`; returns the number of files.
pub fn write<W: Write>(
    conn: &Connection,
    code: &str,
    options: &Ead3Options,
    out: W,
) -> Result<u64, ExportError> {
    let scope = Scope::Fonds(code.to_owned());
    let heading = ListHeading::load(conn, &scope, &options.filter)?;
    let mut rows = QueryRows::new(conn, scope, options.filter.clone());
    let record = Record {
        id: format!("bangiao-fonds-{code}"),
        title: format!(
            "Mục lục hồ sơ phông {} ({})",
            without_fonds_word(&heading.name),
            heading.code
        ),
    };
    write_rows(conn, &heading, &record, &mut rows, options, out)
}

/// The finding aid's own identity: `recordid` and `titleproper`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `control/recordid`.
    pub id: String,
    /// `control/filedesc/titlestmt/titleproper`.
    pub title: String,
}

/// Writes the finding aid of the files `rows` of the fonds `heading` names (a fonds' whole list,
/// or the list of a transfer), described as a fonds with its custody history; returns the
/// number of files.
pub fn write_rows<W: Write>(
    conn: &Connection,
    heading: &ListHeading,
    record: &Record,
    rows: &mut dyn RowSource,
    options: &Ead3Options,
    out: W,
) -> Result<u64, ExportError> {
    let code = heading.code.as_str();
    let fonds =
        fonds::get(conn, code)?.ok_or_else(|| ExportError::not_found("phông", "fonds", code))?;
    let history = CustodyHistory::load(conn, &fonds)?;
    let mut x = Xml::new(out)?;
    x.open("ead", &[("xmlns", NAMESPACE), ("lang", "vie")])?;
    control(&mut x, record, options)?;
    x.open("archdesc", &[("level", "fonds")])?;
    x.open("did", &[])?;
    x.leaf("unitid", &[("localtype", "fonds_code")], code)?;
    x.leaf("unittitle", &[], &fonds.name)?;
    if let Some((first, last)) = heading.stats.dates() {
        date_range(&mut x, first, last)?;
    }
    x.open("origination", &[("label", "Đơn vị hình thành phông")])?;
    x.wrap("corpname", &[], "part", &fonds.creator_name)?;
    x.close("origination")?;
    let stats = &heading.stats;
    extent(
        &mut x,
        "spaceoccupied",
        &figures(stats.files),
        "hồ sơ (đơn vị bảo quản)",
    )?;
    extent(&mut x, "spaceoccupied", &figures(stats.boxes), "hộp")?;
    extent(
        &mut x,
        "spaceoccupied",
        &metres(stats.linear_mm()),
        "mét giá",
    )?;
    x.close("did")?;
    if let Some(bio) = fonds.history.as_deref().filter(|h| !h.trim().is_empty()) {
        x.open("bioghist", &[])?;
        x.leaf("head", &[], "Lịch sử đơn vị hình thành phông")?;
        for para in bio.split('\n').filter(|p| !p.trim().is_empty()) {
            x.leaf("p", &[], para.trim())?;
        }
        x.close("bioghist")?;
    }
    custody(&mut x, &history)?;
    x.open("accessrestrict", &[])?;
    x.leaf("head", &[], "Chế độ sử dụng")?;
    for (code, files) in &stats.by_access {
        x.leaf(
            "p",
            &[],
            &format!("{}: {} hồ sơ", access(code), figures(*files)),
        )?;
    }
    x.close("accessrestrict")?;
    x.open("appraisal", &[])?;
    x.leaf("head", &[], "Thời hạn bảo quản")?;
    for (code, files) in &stats.by_retention {
        x.leaf("p", &[], &format!("Mã {code}: {} hồ sơ", figures(*files)))?;
    }
    x.close("appraisal")?;
    x.open("dsc", &[])?;
    let mut n = 0;
    rows.each(&mut |row| {
        n += 1;
        file(&mut x, row).map_err(ExportError::from)
    })?;
    x.close("dsc")?;
    x.close("archdesc")?;
    x.close("ead")?;
    x.finish()?;
    Ok(n)
}

fn control<W: Write>(
    x: &mut Xml<W>,
    record: &Record,
    options: &Ead3Options,
) -> std::io::Result<()> {
    x.open("control", &[])?;
    x.leaf("recordid", &[], &record.id)?;
    x.open("filedesc", &[])?;
    x.wrap("titlestmt", &[], "titleproper", &record.title)?;
    x.close("filedesc")?;
    x.leaf("maintenancestatus", &[("value", "derived")], "")?;
    x.open("maintenanceagency", &[("countrycode", "VN")])?;
    x.leaf("agencyname", &[], &options.agency_name)?;
    x.close("maintenanceagency")?;
    x.open("languagedeclaration", &[])?;
    x.leaf("language", &[("langcode", "vie")], "Tiếng Việt")?;
    x.leaf("script", &[("scriptcode", "Latn")], "Latinh")?;
    x.close("languagedeclaration")?;
    x.open("maintenancehistory", &[])?;
    x.open("maintenanceevent", &[])?;
    x.leaf("eventtype", &[("value", "derived")], "")?;
    let at = options.generated_at.format("%Y-%m-%dT%H:%M:%S").to_string();
    x.leaf("eventdatetime", &[("standarddatetime", &at)], &at)?;
    x.leaf("agenttype", &[("value", "machine")], "")?;
    x.leaf(
        "agent",
        &[],
        &format!("Bàn Giao {}", env!("CARGO_PKG_VERSION")),
    )?;
    x.leaf(
        "eventdescription",
        &[],
        "Sinh tự động từ nhật ký sự kiện (Generated from the event log).",
    )?;
    x.close("maintenanceevent")?;
    x.close("maintenancehistory")?;
    x.close("control")
}

fn custody<W: Write>(x: &mut Xml<W>, history: &CustodyHistory) -> std::io::Result<()> {
    x.open("custodhist", &[])?;
    x.leaf("head", &[], "Lịch sử bảo quản")?;
    x.open("chronlist", &[])?;
    for item in &history.items {
        x.open("chronitem", &[])?;
        let day = item.day.to_string();
        x.leaf("datesingle", &[("standarddate", &day)], &date(item.day))?;
        x.leaf("event", &[], &item.event)?;
        x.close("chronitem")?;
    }
    x.close("chronlist")?;
    for line in &history.pending {
        x.leaf("p", &[], line)?;
    }
    x.close("custodhist")?;
    x.wrap("acqinfo", &[], "p", &history.acquisition)
}

fn date_range<W: Write>(x: &mut Xml<W>, first: NaiveDate, last: NaiveDate) -> std::io::Result<()> {
    x.open("unitdatestructured", &[("unitdatetype", "inclusive")])?;
    x.open("daterange", &[])?;
    let (a, b) = (first.to_string(), last.to_string());
    x.leaf("fromdate", &[("standarddate", &a)], &date(first))?;
    x.leaf("todate", &[("standarddate", &b)], &date(last))?;
    x.close("daterange")?;
    x.close("unitdatestructured")
}

fn extent<W: Write>(x: &mut Xml<W>, kind: &str, quantity: &str, unit: &str) -> std::io::Result<()> {
    x.open(
        "physdescstructured",
        &[("coverage", "whole"), ("physdescstructuredtype", kind)],
    )?;
    x.leaf("quantity", &[], quantity)?;
    x.leaf("unittype", &[], unit)?;
    x.close("physdescstructured")
}

fn file<W: Write>(x: &mut Xml<W>, row: &FileRow) -> std::io::Result<()> {
    x.open("c", &[("level", "file")])?;
    x.open("did", &[])?;
    x.leaf("unitid", &[("localtype", "file_code")], &row.file_code)?;
    x.leaf("unittitle", &[], &row.title)?;
    date_range(x, row.start_date, row.end_date)?;
    if let Some(b) = &row.box_number {
        x.leaf("container", &[("localtype", "box")], b)?;
    }
    if let Some(sheets) = row.sheets {
        extent(x, "materialtype", &sheets.to_string(), "tờ")?;
    }
    if row.language != "Tiếng Việt" && !row.language.is_empty() {
        x.wrap("langmaterial", &[], "language", &row.language)?;
    }
    x.close("did")?;
    x.wrap(
        "accessrestrict",
        &[],
        "p",
        &format!("Chế độ sử dụng: {}", access(&row.access)),
    )?;
    x.wrap(
        "appraisal",
        &[],
        "p",
        &format!("Thời hạn bảo quản: {}", retention(row)),
    )?;
    let mut notes = Vec::new();
    if let Some(n) = &row.notes {
        notes.push(format!("Ghi chú: {n}"));
    }
    notes.push(format!(
        "Tình trạng: {}; đơn vị đang giữ: {}",
        labels::status(&row.status),
        row.custodian
    ));
    if let Some(d) = &row.damaged {
        notes.push(format!("Hư hỏng: {d}"));
    }
    if let Some(sha) = &row.sha256 {
        notes.push(format!("Bản số hóa SHA-256: {sha}"));
    }
    x.open("odd", &[])?;
    for note in notes {
        x.leaf("p", &[], &note)?;
    }
    x.close("odd")?;
    x.close("c")
}

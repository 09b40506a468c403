//! The EAD3 finding aid of a unit's list, streamed: the fonds of the unit, of its predecessors
//! and of the units below it, each described as in a fonds' finding aid, under one collection.
//!
//! Mapping (beside the fonds' finding aid, `super`):
//! * `<control>`: `recordid` `bangiao-unit-{code}`; `titleproper` "Mục lục hồ sơ {unit} và các
//!   đơn vị tiền thân, trực thuộc ({code})"; the rest as for a fonds.
//! * `<archdesc level="collection">`: `did` with `unitid` (unit code), `unittitle`, the dates
//!   and the extent of every file of the list; `accessrestrict` and `appraisal` (files by access
//!   regime and by retention, all fonds together).
//! * `<dsc>` with one `<c level="fonds">` per fonds, in code order: `did` (fonds code, name,
//!   dates, creator, extent), `bioghist`, `custodhist`, `acqinfo`, `accessrestrict`, `appraisal`,
//!   then one `<c level="file">` per file in recording order, as in a fonds' finding aid.
//!
//! The fonds' figures are gathered first (one pass over each fonds' files), so the collection's
//! figures are their sums, then the files are written as they are read.

use std::io::Write;

use bangiao_projections::query::fonds::{self, FondsRow};
use bangiao_projections::query::inventory::{self, Scope};
use bangiao_projections::query::units;
use rusqlite::Connection;

use super::{CustodyHistory, Ead3Options, NAMESPACE, custody, date_range, extent, file};
use crate::export::ExportError;
use crate::export::heading::ListHeading;
use crate::export::labels::{access, metres};
use crate::export::rows::{ListStats, QueryRows, RowSource};
use crate::export::words::figures;
use crate::export::xml::Xml;

/// Writes the finding aid of unit `code`'s list to `out`; returns the number of files.
pub fn write_unit<W: Write>(
    conn: &Connection,
    code: &str,
    options: &Ead3Options,
    out: W,
) -> Result<u64, ExportError> {
    let unit =
        units::get(conn, code)?.ok_or_else(|| ExportError::not_found("đơn vị", "unit", code))?;
    let mut parts: Vec<(FondsRow, ListStats)> = Vec::new();
    let mut total = ListStats::default();
    for fonds_code in inventory::fonds_of_unit(conn, code)? {
        let Some(row) = fonds::get(conn, &fonds_code)? else {
            continue;
        };
        let heading = ListHeading::load(conn, &Scope::Fonds(fonds_code), &options.filter)?;
        add(&mut total, &heading.stats);
        parts.push((row, heading.stats));
    }
    let whose = format!("{} và các đơn vị tiền thân, trực thuộc", unit.name);
    let title = format!("Tài liệu của {whose}");
    let mut x = Xml::new(out)?;
    x.open("ead", &[("xmlns", NAMESPACE), ("lang", "vie")])?;
    control(
        &mut x,
        code,
        &format!("Mục lục hồ sơ {whose} ({code})"),
        options,
    )?;
    x.open("archdesc", &[("level", "collection")])?;
    x.open("did", &[])?;
    x.leaf("unitid", &[("localtype", "unit_code")], code)?;
    x.leaf("unittitle", &[], &title)?;
    summary(&mut x, &total)?;
    x.close("did")?;
    counts(&mut x, &total)?;
    x.open("dsc", &[])?;
    let mut n = 0;
    for (row, stats) in &parts {
        n += fonds_component(&mut x, conn, row, stats, options)?;
    }
    x.close("dsc")?;
    x.close("archdesc")?;
    x.close("ead")?;
    x.finish()?;
    Ok(n)
}

/// One fonds as a component: its description, then its files.
fn fonds_component<W: Write>(
    x: &mut Xml<W>,
    conn: &Connection,
    row: &FondsRow,
    stats: &ListStats,
    options: &Ead3Options,
) -> Result<u64, ExportError> {
    x.open("c", &[("level", "fonds")])?;
    x.open("did", &[])?;
    x.leaf("unitid", &[("localtype", "fonds_code")], &row.code)?;
    x.leaf("unittitle", &[], &row.name)?;
    if let Some((first, last)) = stats.dates() {
        date_range(x, first, last)?;
    }
    x.open("origination", &[("label", "Đơn vị hình thành phông")])?;
    x.wrap("corpname", &[], "part", &row.creator_name)?;
    x.close("origination")?;
    extents(x, stats)?;
    x.close("did")?;
    if let Some(bio) = row.history.as_deref().filter(|h| !h.trim().is_empty()) {
        x.open("bioghist", &[])?;
        x.leaf("head", &[], "Lịch sử đơn vị hình thành phông")?;
        for para in bio.split('\n').filter(|p| !p.trim().is_empty()) {
            x.leaf("p", &[], para.trim())?;
        }
        x.close("bioghist")?;
    }
    custody(x, &CustodyHistory::load(conn, row)?)?;
    counts(x, stats)?;
    let mut rows = QueryRows::new(conn, Scope::Fonds(row.code.clone()), options.filter.clone());
    let mut n = 0;
    rows.each(&mut |r| {
        n += 1;
        file(x, r).map_err(ExportError::from)
    })?;
    x.close("c")?;
    Ok(n)
}

/// The dates and extent of a list, inside `did`.
fn summary<W: Write>(x: &mut Xml<W>, stats: &ListStats) -> std::io::Result<()> {
    if let Some((first, last)) = stats.dates() {
        date_range(x, first, last)?;
    }
    extents(x, stats)
}

/// Files, boxes and shelf length.
fn extents<W: Write>(x: &mut Xml<W>, stats: &ListStats) -> std::io::Result<()> {
    extent(
        x,
        "spaceoccupied",
        &figures(stats.files),
        "hồ sơ (đơn vị bảo quản)",
    )?;
    extent(x, "spaceoccupied", &figures(stats.boxes), "hộp")?;
    extent(x, "spaceoccupied", &metres(stats.linear_mm()), "mét giá")
}

/// Files by access regime and by retention.
fn counts<W: Write>(x: &mut Xml<W>, stats: &ListStats) -> std::io::Result<()> {
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
    x.close("appraisal")
}

/// Adds one fonds' figures to the collection's (boxes are counted per fonds, so they add up).
fn add(total: &mut ListStats, part: &ListStats) {
    total.files += part.files;
    total.boxes += part.boxes;
    total.sheets += part.sheets;
    total.first = match (total.first, part.first) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    total.last = match (total.last, part.last) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    for (code, files) in &part.by_retention {
        *total.by_retention.entry(code.clone()).or_default() += files;
    }
    for (code, files) in &part.by_access {
        *total.by_access.entry(code.clone()).or_default() += files;
    }
    total.electronic += part.electronic;
    total.digitised += part.digitised;
    total.damaged += part.damaged;
    total.missing += part.missing;
}

/// The `<control>` of the unit's finding aid.
fn control<W: Write>(
    x: &mut Xml<W>,
    code: &str,
    title: &str,
    options: &Ead3Options,
) -> std::io::Result<()> {
    x.open("control", &[])?;
    x.leaf("recordid", &[], &format!("bangiao-unit-{code}"))?;
    x.open("filedesc", &[])?;
    x.wrap("titlestmt", &[], "titleproper", title)?;
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

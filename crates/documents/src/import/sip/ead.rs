//! The files an EAD3 finding aid describes (`<c level="file">`), as our export writes them
//! (`export::ead3`) and as any EAD3 with the same elements does; and the same files as a Mục lục
//! CSV, so they are recorded through the spreadsheet importer's checks and commands.

use chrono::NaiveDate;

use super::tree::{self, Node};
use crate::export::csv::safe;

/// One file as the finding aid describes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DescribedFile {
    /// `did/unitid`: Số, ký hiệu hồ sơ (the whole file code).
    pub file_code: String,
    /// `did/unittitle`.
    pub title: String,
    /// `daterange/fromdate/@standarddate`.
    pub start_date: NaiveDate,
    /// `daterange/todate/@standarddate`.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản as written (`appraisal/p`, after "Thời hạn bảo quản: ").
    pub retention: String,
    /// Chế độ sử dụng as written (`accessrestrict/p`, after "Chế độ sử dụng: ").
    pub access: String,
    /// `container localtype="box"`.
    pub box_number: Option<String>,
    /// `physdescstructured` in tờ.
    pub sheets: Option<u32>,
    /// `odd/p` beginning "Ghi chú: ".
    pub notes: Option<String>,
}

/// The fonds code (`archdesc/did/unitid`) and every file of an EAD3 document.
pub fn files(text: &str) -> Result<(Option<String>, Vec<DescribedFile>), String> {
    let root = tree::parse(text)?;
    if root.name() != "ead" {
        return Err("the root element is not <ead>".to_owned());
    }
    let archdesc = root
        .first("archdesc")
        .ok_or_else(|| "no <archdesc>".to_owned())?;
    let fonds = archdesc
        .first("did")
        .and_then(|d| d.first("unitid"))
        .map(Node::all_text)
        .filter(|c| !c.is_empty());
    let mut out = Vec::new();
    for c in archdesc
        .descendants()
        .into_iter()
        .filter(|n| n.name() == "c" && n.attr("level") == Some("file"))
    {
        out.push(file(c)?);
    }
    Ok((fonds, out))
}

fn file(c: &Node) -> Result<DescribedFile, String> {
    let did = c
        .first("did")
        .ok_or_else(|| "a file without <did>".to_owned())?;
    let text = |node: Option<&Node>| node.map(Node::all_text).filter(|t| !t.is_empty());
    let file_code =
        text(did.first("unitid")).ok_or_else(|| "a file without <unitid>".to_owned())?;
    let title = text(did.first("unittitle"))
        .ok_or_else(|| format!("file {file_code} has no <unittitle>"))?;
    let range = did
        .first("unitdatestructured")
        .and_then(|u| u.first("daterange"));
    let date = |name: &str| {
        range
            .and_then(|r| r.first(name))
            .and_then(|d| d.attr("standarddate"))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| format!("file {file_code} has no <{name} standarddate>"))
    };
    let (start_date, end_date) = (date("fromdate")?, date("todate")?);
    let box_number = text(
        did.all("container")
            .find(|n| n.attr("localtype") == Some("box")),
    );
    let sheets = did
        .all("physdescstructured")
        .find(|p| p.first("unittype").map(Node::all_text).as_deref() == Some("tờ"))
        .and_then(|p| p.first("quantity"))
        .and_then(|q| q.all_text().parse().ok());
    let paragraph = |element: &str, prefix: &str| {
        c.all(element)
            .flat_map(|n| n.all("p"))
            .map(Node::all_text)
            .find_map(|p| p.strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    Ok(DescribedFile {
        retention: paragraph("appraisal", "Thời hạn bảo quản:").unwrap_or_default(),
        access: paragraph("accessrestrict", "Chế độ sử dụng:").unwrap_or_default(),
        notes: paragraph("odd", "Ghi chú:"),
        file_code,
        title,
        start_date,
        end_date,
        box_number,
        sheets,
    })
}

/// The files as a Mục lục CSV in the columns the importer reads (`import::header`).
pub fn csv(fonds_code: &str, files: &[DescribedFile]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "STT",
        "Mã phông",
        "Số, ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Thời hạn bảo quản",
        "Chế độ sử dụng",
        "Hộp số",
        "Số tờ",
        "Ghi chú",
    ];
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(header);
    for (n, f) in files.iter().enumerate() {
        let _ = writer.write_record([
            (n + 1).to_string(),
            safe(fonds_code),
            safe(&f.file_code),
            safe(&f.title),
            f.start_date.format("%d/%m/%Y").to_string(),
            f.end_date.format("%d/%m/%Y").to_string(),
            f.retention.clone(),
            f.access.clone(),
            safe(f.box_number.as_deref().unwrap_or("")),
            f.sheets.map(|s| s.to_string()).unwrap_or_default(),
            safe(f.notes.as_deref().unwrap_or("")),
        ]);
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(writer.into_inner().unwrap_or_default());
    out
}

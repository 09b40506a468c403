//! Warnings: what an import points out without refusing anything. A warning never blocks the
//! apply; it is in the report of a dry run and of an apply alike.

use bangiao_domain::values::BoxNumber;

use super::row::ParsedRow;
use crate::export::words::figures;

/// Sheets one archival box holds (about 1,000): the domain's figure, with its source there.
pub use bangiao_domain::values::SHEETS_PER_BOX;

/// One warning of an import.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportWarning {
    /// Stable machine code: `box_over_capacity`.
    pub code: String,
    /// The box, as the list writes it ("Hộp số").
    pub box_number: String,
    /// The sheets the list puts in the box, summed over its rows.
    pub sheets: u64,
    /// The sheets a box holds ([`SHEETS_PER_BOX`]).
    pub limit: u64,
    /// The rows of the box's files, as the spreadsheet numbers them.
    pub rows: Vec<u32>,
    /// Thông báo bằng tiếng Việt.
    pub message_vi: String,
    /// The message in English.
    pub message_en: String,
}

/// The boxes whose rows add up to more sheets than a box holds, in the order the list first
/// names them. Every row with a box and a sheet count is counted, whatever its other problems.
pub fn boxes_over_capacity(rows: &[ParsedRow]) -> Vec<ImportWarning> {
    let mut boxes: Vec<(&BoxNumber, u64, Vec<u32>)> = Vec::new();
    let mut index: std::collections::HashMap<&BoxNumber, usize> = std::collections::HashMap::new();
    for row in rows {
        let (Some(box_number), Some(sheets)) = (&row.box_number, row.sheets) else {
            continue;
        };
        let at = *index.entry(box_number).or_insert_with(|| {
            boxes.push((box_number, 0, Vec::new()));
            boxes.len() - 1
        });
        let (_, total, box_rows) = &mut boxes[at];
        *total += u64::from(sheets);
        box_rows.push(row.row);
    }
    boxes
        .into_iter()
        .filter(|(_, sheets, _)| *sheets > SHEETS_PER_BOX)
        .map(|(box_number, sheets, rows)| over_capacity(box_number.as_str(), sheets, rows))
        .collect()
}

fn over_capacity(box_number: &str, sheets: u64, rows: Vec<u32>) -> ImportWarning {
    let files = rows.len();
    let first = rows.first().copied().unwrap_or_default();
    let last = rows.last().copied().unwrap_or_default();
    let limit = SHEETS_PER_BOX;
    ImportWarning {
        code: "box_over_capacity".to_owned(),
        box_number: box_number.to_owned(),
        sheets,
        limit,
        message_vi: format!(
            "Hộp {box_number} có {} tờ ({files} hồ sơ, từ dòng {first} đến dòng {last}), nhiều hơn một hộp chứa được (khoảng {} tờ A4 trong hộp gáy 10 cm): kiểm tra lại số tờ hoặc số hộp. Chỉ là cảnh báo, không chặn việc nhập.",
            figures(sheets),
            figures(limit)
        ),
        message_en: format!(
            "Box {box_number} holds {} sheets ({files} files, rows {first} to {last}), more than a box holds (about {} A4 sheets in a 10 cm box): check the sheet counts or the box numbers. A warning only: the import is not blocked.",
            figures(sheets).replace('.', ","),
            figures(limit).replace('.', ",")
        ),
        rows,
    }
}

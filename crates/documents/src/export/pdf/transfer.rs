//! Biên bản giao nhận tài liệu nộp lưu — the minutes of a transfer to the historical archive,
//! printed for signing by hand and carried in the E-ARK package's `documentation/`: the two
//! sides, the fonds, the dates of the acts, the files listed, accepted and rejected (each
//! rejection with its reason), and the list it comes with (the transfer's Mục lục, printed
//! beside it).

use bangiao_projections::query::acts::TransferRow;

use super::canvas::{Align, Canvas};
use super::fonts::Style;
use super::{heading_blocks, portrait, signatures};
use crate::export::ExportError;
use crate::export::bag::rejections;
use crate::export::heading::without_fonds_word;
use crate::export::labels::{date, date_long};

/// The fonds a transfer is of, as its minutes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferredFonds<'a> {
    /// Tên phông.
    pub name: &'a str,
    /// The fonds' creator (cơ quan hình thành phông).
    pub creator: &'a str,
}

/// The transfer's minutes as PDF bytes.
pub fn write_transfer_minutes(
    transfer: &TransferRow,
    fonds: &TransferredFonds<'_>,
) -> Result<Vec<u8>, ExportError> {
    let id = &transfer.transfer_id;
    let title = format!("Biên bản giao nhận tài liệu nộp lưu {id}");
    let mut c = Canvas::new(title.clone())?;
    c.page(false, portrait());
    heading_blocks(&mut c, fonds.creator);
    let day = transfer
        .accepted_on
        .or(transfer.appraised_on)
        .unwrap_or(transfer.registered_on);
    c.paragraph(
        &format!("…………, {}", date_long(day)),
        Style::Italic,
        12.0,
        Align::Right,
        0.0,
        10.0,
    );
    c.paragraph("BIÊN BẢN", Style::Bold, 15.0, Align::Centre, 0.0, 0.0);
    c.paragraph(
        "Về việc giao nhận tài liệu nộp lưu vào Lưu trữ lịch sử",
        Style::Bold,
        13.0,
        Align::Centre,
        0.0,
        10.0,
    );
    let body =
        |c: &mut Canvas, text: &str| c.paragraph(text, Style::Regular, 12.0, Align::Left, 0.0, 2.0);
    let indented = |c: &mut Canvas, text: &str| {
        c.paragraph(text, Style::Regular, 12.0, Align::Left, 18.0, 2.0)
    };
    c.paragraph(
        "Căn cứ Luật Lưu trữ số 33/2024/QH15;",
        Style::Italic,
        12.0,
        Align::Left,
        0.0,
        2.0,
    );
    body(&mut c, &format!("Đợt nộp lưu: {id}. Chúng tôi gồm:"));
    for (side, custodian) in [
        ("BÊN GIAO NỘP", &transfer.transferring),
        ("BÊN NHẬN (LƯU TRỮ LỊCH SỬ)", &transfer.archive),
    ] {
        c.paragraph(
            &format!("{side}: {custodian}"),
            Style::Bold,
            12.0,
            Align::Left,
            0.0,
            2.0,
        );
        indented(&mut c, "Ông (bà): …………………………… — Chức vụ: ……………………");
    }
    body(
        &mut c,
        "Thống nhất lập biên bản giao nhận tài liệu nộp lưu như sau:",
    );
    body(
        &mut c,
        &format!(
            "1. Tên phông: {} — Mã phông: {}.",
            without_fonds_word(fonds.name),
            transfer.fonds_code
        ),
    );
    body(&mut c, "2. Các bước của đợt nộp lưu:");
    indented(
        &mut c,
        &format!("- Đăng ký nộp lưu ngày {};", date(transfer.registered_on)),
    );
    indented(&mut c, &step("Thẩm định", transfer.appraised_on));
    indented(&mut c, &step("Thu nhận", transfer.accepted_on));
    indented(
        &mut c,
        &format!("- Trạng thái hiện nay: {}.", status_words(&transfer.status)),
    );
    body(&mut c, "3. Số lượng hồ sơ:");
    indented(
        &mut c,
        &format!(
            "- Trong Mục lục hồ sơ nộp lưu: {} hồ sơ;",
            transfer.listed_files
        ),
    );
    let rejected = rejections(transfer);
    match transfer.accepted {
        Some(accepted) => {
            indented(&mut c, &format!("- Được thu nhận: {accepted} hồ sơ;"));
            indented(&mut c, &format!("- Bị từ chối: {} hồ sơ.", rejected.len()));
        }
        None => indented(&mut c, "- Chưa thẩm định: chưa có số hồ sơ được thu nhận."),
    }
    body(&mut c, "4. Hồ sơ bị từ chối và lý do:");
    if rejected.is_empty() {
        indented(&mut c, "Không có.");
    }
    for (code, reason) in &rejected {
        let reason = if reason.is_empty() {
            "(không ghi lý do)"
        } else {
            reason.as_str()
        };
        indented(&mut c, &format!("- {code}: {reason};"));
    }
    body(
        &mut c,
        &format!(
            "5. Kèm theo biên bản này là Mục lục hồ sơ nộp lưu của đợt {id} (muc-luc-nop-luu-{id}.pdf)."
        ),
    );
    body(
        &mut c,
        "Biên bản được lập thành hai bản có giá trị như nhau, mỗi bên giữ một bản.",
    );
    signatures(&mut c, "", "");
    c.finish(&title)
}

/// "- Thẩm định ngày 01/08/2025;" or "- Thẩm định: chưa;".
fn step(name: &str, on: Option<chrono::NaiveDate>) -> String {
    match on {
        Some(day) => format!("- {name} ngày {};", date(day)),
        None => format!("- {name}: chưa;"),
    }
}

/// The transfer's state in words.
fn status_words(status: &str) -> &str {
    match status {
        "registered" => "đã đăng ký, chờ thẩm định",
        "appraised" => "đã thẩm định, chờ thu nhận",
        "accepted" => "đã được Lưu trữ lịch sử thu nhận",
        other => other,
    }
}

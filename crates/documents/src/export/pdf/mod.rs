//! PDF of the Mục lục hồ sơ and of the Biên bản giao nhận, drawn by the service itself (krilla;
//! no browser) in DejaVu Serif, embedded (subset) in the file so Vietnamese prints anywhere.
//!
//! The PDF is assembled in memory and serialised at the end (krilla writes the cross-reference
//! table last); each page's drawing is handed to krilla as the page ends.

mod canvas;
pub mod fonts;
mod table;
mod transfer;

pub use transfer::{TransferredFonds, write_transfer_minutes};

use canvas::{Align, Canvas, Margins, mm};
use fonts::Style;
use table::Table;

use super::ExportError;
use super::heading::{ListHeading, closing_lines, files_in_figures_and_words, without_fonds_word};
use super::labels::{columns, date};
use super::minutes::Minutes;
use super::qr::{QUIET_ZONE, Qr};
use super::rows::RowSource;

fn portrait() -> Margins {
    Margins {
        top: mm(20.0),
        right: mm(15.0),
        bottom: mm(20.0),
        left: mm(30.0),
    }
}

fn landscape() -> Margins {
    Margins {
        top: mm(15.0),
        right: mm(15.0),
        bottom: mm(15.0),
        left: mm(20.0),
    }
}

/// The Mục lục hồ sơ of a list as PDF bytes; returns them with the number of rows.
pub fn write_list(
    heading: &ListHeading,
    rows: &mut dyn RowSource,
) -> Result<(Vec<u8>, u64), ExportError> {
    let title = format!("Mục lục hồ sơ — {}", heading.name);
    let mut c = Canvas::new(format!("Mục lục hồ sơ {}", heading.code))?;
    c.page(true, landscape());
    c.paragraph(
        &heading.agency.to_uppercase(),
        Style::Bold,
        12.0,
        Align::Left,
        0.0,
        6.0,
    );
    c.paragraph("MỤC LỤC HỒ SƠ", Style::Bold, 16.0, Align::Centre, 0.0, 2.0);
    c.paragraph(
        &heading.subject_line(),
        Style::Bold,
        12.0,
        Align::Centre,
        0.0,
        0.0,
    );
    c.paragraph(
        &heading.code_line(),
        Style::Regular,
        12.0,
        Align::Centre,
        0.0,
        0.0,
    );
    if let Some(years) = heading.years_line() {
        c.paragraph(&years, Style::Regular, 12.0, Align::Centre, 0.0, 0.0);
    }
    c.paragraph(
        &heading.total_line(),
        Style::Italic,
        11.0,
        Align::Centre,
        0.0,
        8.0,
    );
    let n = table(
        &mut c,
        heading.with_fonds(),
        &heading.stats.longest_code,
        rows,
    )?;
    c.y += 8.0;
    for line in heading.closing_lines() {
        c.paragraph(&line, Style::Italic, 11.0, Align::Left, 0.0, 0.0);
    }
    signature(&mut c, "NGƯỜI LẬP MỤC LỤC");
    if let Some(url) = &heading.verification {
        list_verification_block(&mut c, url)?;
    }
    Ok((c.finish(&title)?, n))
}

/// The Biên bản giao nhận with its attached list as PDF bytes; returns them with the number of
/// rows of the list. `rows` must be the handover's attached list.
pub fn write_minutes(
    minutes: &Minutes,
    rows: &mut dyn RowSource,
) -> Result<(Vec<u8>, u64), ExportError> {
    let h = &minutes.handover;
    let title = format!("Biên bản giao nhận {}", h.handover_id);
    let mut c = Canvas::new(format!("Biên bản giao nhận {}", h.handover_id))?;
    c.page(false, portrait());
    heading_blocks(&mut c, &minutes.giving.organ);
    c.paragraph(
        &minutes.place_and_date(),
        Style::Italic,
        12.0,
        Align::Right,
        0.0,
        10.0,
    );
    c.paragraph("BIÊN BẢN", Style::Bold, 15.0, Align::Centre, 0.0, 0.0);
    c.paragraph(
        "Về việc giao nhận hồ sơ, tài liệu",
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
    for line in minutes.legal_basis() {
        c.paragraph(&line, Style::Italic, 12.0, Align::Left, 0.0, 2.0);
    }
    body(&mut c, &minutes.opening());
    for (side, party) in [
        ("BÊN GIAO", &minutes.giving),
        ("BÊN NHẬN", &minutes.receiving),
    ] {
        c.paragraph(
            &format!("{side}: {}", party.organ),
            Style::Bold,
            12.0,
            Align::Left,
            0.0,
            2.0,
        );
        indented(&mut c, &party.person_line());
    }
    body(
        &mut c,
        "Thống nhất lập biên bản giao nhận tài liệu như sau:",
    );
    body(
        &mut c,
        &format!("1. Tên khối tài liệu giao nộp: {}.", minutes.records_name()),
    );
    body(
        &mut c,
        &format!("2. Thời gian của tài liệu: {}.", minutes.records_dates()),
    );
    body(&mut c, "3. Số lượng tài liệu:");
    indented(
        &mut c,
        &format!("- Đối với tài liệu giấy: {}", minutes.paper_counts()),
    );
    indented(
        &mut c,
        &format!(
            "- Đối với tài liệu điện tử: {}",
            minutes.electronic_counts()
        ),
    );
    for line in minutes.file_counts() {
        indented(&mut c, &line);
    }
    if let Some(note) = minutes.count_mismatch() {
        indented(&mut c, &note);
    }
    body(&mut c, "4. Tình trạng tài liệu giao nộp:");
    for line in minutes.condition() {
        indented(&mut c, &line);
    }
    body(&mut c, &format!("5. {}", minutes.attached_list()));
    body(&mut c, minutes.copies());
    signatures(&mut c, &minutes.giving.person, &minutes.receiving.person);
    chain_block(&mut c, minutes)?;

    c.page(true, landscape());
    c.paragraph(
        "MỤC LỤC HỒ SƠ, TÀI LIỆU GIAO NỘP",
        Style::Bold,
        14.0,
        Align::Centre,
        0.0,
        0.0,
    );
    c.paragraph(
        &format!(
            "(Kèm theo Biên bản giao nhận {} ngày {})",
            h.handover_id,
            date(minutes.date())
        ),
        Style::Italic,
        11.0,
        Align::Centre,
        0.0,
        0.0,
    );
    c.paragraph(
        &format!(
            "Phông: {} — Mã phông: {}",
            without_fonds_word(&minutes.fonds_name),
            h.fonds_code
        ),
        Style::Bold,
        12.0,
        Align::Centre,
        0.0,
        0.0,
    );
    c.paragraph(
        &files_in_figures_and_words("Tổng số", minutes.stats.files),
        Style::Italic,
        11.0,
        Align::Centre,
        0.0,
        8.0,
    );
    let n = table(&mut c, false, &minutes.stats.longest_code, rows)?;
    c.y += 8.0;
    for line in closing_lines(&minutes.stats) {
        c.paragraph(&line, Style::Italic, 11.0, Align::Left, 0.0, 0.0);
    }
    Ok((c.finish(&title)?, n))
}

/// The table of a list: header, then every row; `longest_code` is the list's longest file code.
fn table(
    c: &mut Canvas,
    with_fonds: bool,
    longest_code: &str,
    rows: &mut dyn RowSource,
) -> Result<u64, ExportError> {
    let table = Table::new(c, columns(with_fonds), landscape(), longest_code);
    table.header(c);
    let mut n = 0;
    rows.each(&mut |row| {
        n += 1;
        table.row(c, n, row);
        Ok(())
    })?;
    Ok(n)
}

/// The two heading blocks of an official document: the party on the left, the national motto
/// on the right, each with a short rule below.
fn heading_blocks(c: &mut Canvas, party: &str) {
    let top = c.y;
    let left = c.left();
    let w = c.width();
    let (lw, rw) = (w * 0.4, w * 0.6);
    let fonts = c.fonts();
    let mut y = top;
    for line in fonts.wrap(Style::Regular, 12.0, &party.to_uppercase(), lw) {
        c.text_at(left, y, lw, Style::Regular, 12.0, Align::Centre, &line);
        y += 15.0;
    }
    c.text_at(left, y, lw, Style::Bold, 12.0, Align::Centre, "BÊN GIAO");
    y += 17.0;
    c.line((left + lw * 0.3, y), (left + lw * 0.7, y), 0.6);
    let left_bottom = y;
    let x = left + lw;
    let mut y = top;
    c.text_at(
        x,
        y,
        rw,
        Style::Bold,
        12.0,
        Align::Centre,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    );
    y += 15.0;
    c.text_at(
        x,
        y,
        rw,
        Style::Bold,
        12.5,
        Align::Centre,
        "Độc lập - Tự do - Hạnh phúc",
    );
    y += 17.0;
    c.line((x + rw * 0.25, y), (x + rw * 0.75, y), 0.6);
    c.y = left_bottom.max(y) + 6.0;
}

/// The signature block of the two sides.
fn signatures(c: &mut Canvas, giving: &str, receiving: &str) {
    if c.room() < 110.0 {
        c.page(false, portrait());
    }
    c.y += 12.0;
    let (left, half) = (c.left(), c.width() / 2.0);
    let top = c.y;
    for (i, (side, person)) in [
        ("ĐẠI DIỆN BÊN GIAO", giving),
        ("ĐẠI DIỆN BÊN NHẬN", receiving),
    ]
    .into_iter()
    .enumerate()
    {
        let x = left + half * i as f32;
        c.text_at(x, top, half, Style::Bold, 12.0, Align::Centre, side);
        c.text_at(
            x,
            top + 15.0,
            half,
            Style::Italic,
            11.0,
            Align::Centre,
            "(Ký, ghi rõ họ tên)",
        );
        c.text_at(
            x,
            top + 70.0,
            half,
            Style::Regular,
            12.0,
            Align::Centre,
            person,
        );
    }
    c.y = top + 88.0;
}

/// One signature on the right, for the list's compiler.
fn signature(c: &mut Canvas, who: &str) {
    if c.room() < 100.0 {
        c.page(true, landscape());
    }
    c.y += 10.0;
    let (x, w) = (c.left() + c.width() / 2.0, c.width() / 2.0);
    let top = c.y;
    c.text_at(
        x,
        top,
        w,
        Style::Italic,
        11.0,
        Align::Centre,
        "…………, ngày … tháng … năm …",
    );
    c.text_at(x, top + 15.0, w, Style::Bold, 12.0, Align::Centre, who);
    c.text_at(
        x,
        top + 30.0,
        w,
        Style::Italic,
        11.0,
        Align::Centre,
        "(Ký, ghi rõ họ tên)",
    );
    c.y = top + 90.0;
}

/// The QR code of the minutes' verification page beside the handover's id, the chain head and the link.
fn chain_block(c: &mut Canvas, minutes: &Minutes) -> Result<(), ExportError> {
    let lines = [
        format!("Mã biên bản: {}", minutes.handover.handover_id),
        "Đầu chuỗi băm khi bên giao ký (SHA-256):".to_owned(),
        minutes.chain_head(),
        format!(
            "Xác minh bản in (không cần tài khoản): {}",
            minutes.record_url
        ),
    ];
    qr_block(c, &minutes.qr()?, &lines, false);
    Ok(())
}

/// The QR code of a list's verification page beside its link.
fn list_verification_block(c: &mut Canvas, url: &str) -> Result<(), ExportError> {
    let lines = [
        "Xác minh bản in của mục lục này (không cần tài khoản):".to_owned(),
        url.to_owned(),
    ];
    qr_block(c, &Qr::new(url)?, &lines, true);
    Ok(())
}

/// A QR code with `lines` beside it, on a new page (landscape or portrait) when this one has
/// no room.
fn qr_block(c: &mut Canvas, qr: &Qr, lines: &[String], landscape: bool) {
    let side = 72.0;
    if c.room() < side + 10.0 {
        c.page(landscape, portrait());
    }
    c.y += 8.0;
    let (left, top) = (c.left(), c.y);
    draw_qr(c, qr, left, top, side);
    let x = left + side + 10.0;
    let w = c.width() - side - 10.0;
    let fonts = c.fonts();
    let mut y = top + 4.0;
    for text in lines {
        for line in fonts.wrap(Style::Regular, 9.0, text, w) {
            c.text_at(x, y, w, Style::Regular, 9.0, Align::Left, &line);
            y += 11.5;
        }
    }
    c.y = (top + side).max(y) + 4.0;
}

fn draw_qr(c: &mut Canvas, qr: &Qr, x: f32, y: f32, side: f32) {
    let modules = (qr.width() + 2 * QUIET_ZONE) as f32;
    let unit = side / modules;
    let offset = QUIET_ZONE as f32 * unit;
    for (mx, my, len) in qr.runs() {
        c.fill(
            (
                x + offset + mx as f32 * unit,
                y + offset + my as f32 * unit,
                len as f32 * unit,
                unit,
            ),
            0,
        );
    }
}

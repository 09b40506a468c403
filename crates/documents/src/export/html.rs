//! Printable HTML of the Mục lục hồ sơ and of the Biên bản giao nhận, from minijinja templates
//! (`templates/`) with print CSS (A4; the list on landscape pages, its header repeated on each
//! page). The rows are rendered a chunk at a time, so a list of any length streams.

use std::io::Write;
use std::sync::LazyLock;

use minijinja::{Environment, context};
use serde::Serialize;

use super::ExportError;
use super::heading::{ListHeading, closing_lines, files_in_figures_and_words, without_fonds_word};
use super::labels::{Column, columns, date};
use super::minutes::Minutes;
use super::qr::Qr;
use super::rows::RowSource;

/// Rows rendered per template call.
const CHUNK_ROWS: usize = 256;

/// The print CSS every document embeds.
pub const CSS: &str = include_str!("templates/style.css");

static TEMPLATES: LazyLock<Result<Environment<'static>, minijinja::Error>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Escapes the five characters HTML needs (minijinja's default also escapes '/', which
    // makes links unreadable in the page's source); nothing prints for a missing value.
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = value.to_string();
        if value.is_safe() {
            return out.write_str(&text).map_err(minijinja::Error::from);
        }
        out.write_str(&escape(&text))
            .map_err(minijinja::Error::from)
    });
    for (name, source) in [
        ("doc_open.html", include_str!("templates/doc_open.html")),
        ("doc_close.html", include_str!("templates/doc_close.html")),
        ("list_open.html", include_str!("templates/list_open.html")),
        ("list_close.html", include_str!("templates/list_close.html")),
        ("rows.html", include_str!("templates/rows.html")),
        ("minutes.html", include_str!("templates/minutes.html")),
    ] {
        env.add_template(name, source)?;
    }
    Ok(env)
});

/// `text` with `& < > " '` escaped for HTML text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn render(name: &str, ctx: minijinja::Value, out: &mut dyn Write) -> Result<(), ExportError> {
    let env = TEMPLATES.as_ref().map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
    })?;
    env.get_template(name)?.render_captured_to(ctx, out)?;
    Ok(())
}

/// A line of a title block and its CSS class.
#[derive(Serialize)]
struct Line {
    text: String,
    class: &'static str,
}

fn line(text: impl Into<String>, class: &'static str) -> Line {
    Line {
        text: text.into(),
        class,
    }
}

/// One cell of a row.
#[derive(Serialize)]
struct Cell {
    text: String,
    centred: bool,
}

/// Writes the Mục lục hồ sơ of a list as a standalone HTML page; returns the number of rows.
pub fn write_list(
    heading: &ListHeading,
    rows: &mut dyn RowSource,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    let title = format!("Mục lục hồ sơ — {}", heading.name);
    render("doc_open.html", context! { title, css => CSS }, out)?;
    let mut lines = vec![
        line(heading.agency.to_uppercase(), "bold"),
        line("MỤC LỤC HỒ SƠ", "bold title"),
        line(heading.subject_line(), "bold"),
        line(heading.code_line(), ""),
    ];
    if let Some(years) = heading.years_line() {
        lines.push(line(years, ""));
    }
    lines.push(line(heading.total_line(), "italic"));
    let columns = columns(heading.with_fonds());
    let n = write_table(&lines, &columns, false, rows, out)?;
    let closing = heading.closing_lines();
    let qr_svg = match &heading.verification {
        Some(url) => Some(Qr::new(url)?.svg(112)),
        None => None,
    };
    render(
        "list_close.html",
        context! { closing, signer => "NGƯỜI LẬP MỤC LỤC", verification => heading.verification, qr_svg },
        out,
    )?;
    render("doc_close.html", context! {}, out)?;
    out.flush()?;
    Ok(n)
}

/// Writes the Biên bản giao nhận with its attached list as one HTML page; returns the number
/// of rows of the list. `rows` must be the handover's attached list.
pub fn write_minutes(
    minutes: &Minutes,
    rows: &mut dyn RowSource,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    let h = &minutes.handover;
    let title = format!("Biên bản giao nhận {}", h.handover_id);
    render("doc_open.html", context! { title, css => CSS }, out)?;
    let m = context! {
        giving => minutes.giving.organ,
        receiving => minutes.receiving.organ,
        giving_person => minutes.giving.person,
        receiving_person => minutes.receiving.person,
        giving_line => minutes.giving.person_line(),
        receiving_line => minutes.receiving.person_line(),
        place_and_date => minutes.place_and_date(),
        legal_basis => minutes.legal_basis(),
        opening => minutes.opening(),
        records_name => minutes.records_name(),
        records_dates => minutes.records_dates(),
        paper => minutes.paper_counts(),
        electronic => minutes.electronic_counts(),
        file_counts => minutes.file_counts(),
        mismatch => minutes.count_mismatch(),
        condition => minutes.condition(),
        attached => minutes.attached_list(),
        copies => minutes.copies(),
        handover_id => h.handover_id,
        chain_head => minutes.chain_head(),
        record_url => minutes.record_url,
        qr_svg => minutes.qr()?.svg(112),
    };
    render("minutes.html", context! { m }, out)?;
    let lines = vec![
        line("MỤC LỤC HỒ SƠ, TÀI LIỆU GIAO NỘP", "bold title"),
        line(
            format!(
                "(Kèm theo Biên bản giao nhận {} ngày {})",
                h.handover_id,
                date(minutes.date())
            ),
            "italic",
        ),
        line(
            format!(
                "Phông: {} — Mã phông: {}",
                without_fonds_word(&minutes.fonds_name),
                h.fonds_code
            ),
            "bold",
        ),
        line(
            files_in_figures_and_words("Tổng số", minutes.stats.files),
            "italic",
        ),
    ];
    let n = write_table(&lines, &columns(false), true, rows, out)?;
    let closing = closing_lines(&minutes.stats);
    render("list_close.html", context! { closing, signer => () }, out)?;
    render("doc_close.html", context! {}, out)?;
    out.flush()?;
    Ok(n)
}

/// The title lines, the table header and every row, a chunk at a time.
fn write_table(
    lines: &[Line],
    columns: &[Column],
    annex: bool,
    rows: &mut dyn RowSource,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    let headers: Vec<&str> = columns.iter().map(|c| c.header()).collect();
    render("list_open.html", context! { lines, headers, annex }, out)?;
    let mut chunk: Vec<Vec<Cell>> = Vec::with_capacity(CHUNK_ROWS);
    let mut n = 0;
    rows.each(&mut |row| {
        n += 1;
        chunk.push(
            columns
                .iter()
                .map(|c| Cell {
                    text: c.text(n, row),
                    centred: !matches!(
                        c,
                        Column::Title | Column::Notes | Column::Remarks | Column::Condition
                    ),
                })
                .collect(),
        );
        if chunk.len() >= CHUNK_ROWS {
            render(
                "rows.html",
                context! { rows => minijinja::Value::from_serialize(&chunk) },
                out,
            )?;
            chunk.clear();
        }
        Ok(())
    })?;
    if !chunk.is_empty() {
        render(
            "rows.html",
            context! { rows => minijinja::Value::from_serialize(&chunk) },
            out,
        )?;
    }
    Ok(n)
}

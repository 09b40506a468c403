//! The title block of a Mục lục hồ sơ: whose list, which fonds, which years, how many files.

use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_projections::query::{fonds, units};
use chrono::NaiveDate;
use rusqlite::Connection;

use super::ExportError;
use super::labels;
use super::rows::{ListStats, QueryRows};
use super::words;

/// Whose inventory list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// One fonds.
    Fonds,
    /// A unit with its predecessors and the units below it (several fonds).
    Unit,
}

/// Everything a document prints above and below the rows of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListHeading {
    /// Fonds or unit.
    pub kind: ListKind,
    /// The agency named at the top: the fonds' creator, or the unit.
    pub agency: String,
    /// Mã phông, or the unit's code.
    pub code: String,
    /// Tên phông, or the unit's name.
    pub name: String,
    /// Figures of the rows.
    pub stats: ListStats,
    /// For a unit that has ended: its last day and the effective date of the act that ended
    /// it (30/06/2025 and 01/07/2025).
    pub unit_end: Option<UnitEnd>,
    /// The public verification page of the list as printed (a fonds' list printed by the
    /// service), shown with its QR code at the end of the PDF and the HTML.
    pub verification: Option<String>,
}

/// How a unit's life ended, as a list prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitEnd {
    /// Its last day.
    pub last_day: NaiveDate,
    /// The effective date of the act (merger, split, end) that ended it: the day after.
    pub act_effective_on: NaiveDate,
}

impl ListHeading {
    /// Loads the heading of a list: the fonds or unit, and one pass over its rows for the figures.
    pub fn load(conn: &Connection, scope: &Scope, filter: &Filter) -> Result<Self, ExportError> {
        let (kind, code, agency, name, unit_end) = match scope {
            Scope::Fonds(code) => {
                let f = fonds::get(conn, code)?
                    .ok_or_else(|| ExportError::not_found("phông", "fonds", code))?;
                (ListKind::Fonds, code.clone(), f.creator_name, f.name, None)
            }
            Scope::Unit(code) => {
                let u = units::get(conn, code)?
                    .ok_or_else(|| ExportError::not_found("đơn vị", "unit", code))?;
                let end = u
                    .last_day
                    .zip(u.ended_on)
                    .map(|(last_day, act_effective_on)| UnitEnd {
                        last_day,
                        act_effective_on,
                    });
                (ListKind::Unit, code.clone(), u.name.clone(), u.name, end)
            }
        };
        let stats = ListStats::gather(&mut QueryRows::new(conn, scope.clone(), filter.clone()))?;
        Ok(Self {
            kind,
            agency,
            code,
            name,
            stats,
            unit_end,
            verification: None,
        })
    }

    /// Whether rows carry a fonds column (a unit's list spans several fonds).
    pub fn with_fonds(&self) -> bool {
        self.kind == ListKind::Unit
    }

    /// "Phông: …" or "Đơn vị: …", as the second line of the title block.
    pub fn subject_line(&self) -> String {
        match self.kind {
            ListKind::Fonds => format!("Phông: {}", without_fonds_word(&self.name)),
            ListKind::Unit => format!("Đơn vị: {} và các đơn vị tiền thân, trực thuộc", self.name),
        }
    }

    /// "Mã phông: …" or "Mã đơn vị: …", with a unit's last day and the effective date of the
    /// act that ended it, each named as such, once it has ended.
    pub fn code_line(&self) -> String {
        match (self.kind, self.unit_end) {
            (ListKind::Fonds, _) => format!("Mã phông: {}", self.code),
            (ListKind::Unit, None) => format!("Mã đơn vị: {}", self.code),
            (ListKind::Unit, Some(end)) => format!(
                "Mã đơn vị: {} — ngày cuối cùng: {}; văn bản kết thúc có hiệu lực từ ngày {}",
                self.code,
                labels::date(end.last_day),
                labels::date(end.act_effective_on)
            ),
        }
    }

    /// "Năm: 2003 – 2025", or none for an empty list.
    pub fn years_line(&self) -> Option<String> {
        self.stats
            .dates()
            .map(|(a, b)| format!("Năm: {}", labels::year_range(a, b)))
    }

    /// "Tổng số: 1.234 hồ sơ (Một nghìn hai trăm ba mươi tư hồ sơ)".
    pub fn total_line(&self) -> String {
        files_in_figures_and_words("Tổng số", self.stats.files)
    }

    /// The closing lines of the list: files in figures and words, the range of numbers, and
    /// boxes, sheets and metres.
    pub fn closing_lines(&self) -> Vec<String> {
        closing_lines(&self.stats)
    }
}

/// "{lead}: 1.234 hồ sơ (Một nghìn hai trăm ba mươi tư hồ sơ)".
pub fn files_in_figures_and_words(lead: &str, files: u64) -> String {
    format!(
        "{lead}: {} hồ sơ ({} hồ sơ)",
        words::figures(files),
        words::words_capitalised(files)
    )
}

/// The closing lines of any list with these figures.
pub fn closing_lines(stats: &ListStats) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Mục lục này gồm có: {} hồ sơ (đơn vị bảo quản).",
            words::figures(stats.files)
        ),
        format!(
            "Viết bằng chữ: {} hồ sơ.",
            words::words_capitalised(stats.files)
        ),
    ];
    if stats.files > 0 {
        lines.push(format!("Từ số 1 đến số {}.", words::figures(stats.files)));
    }
    lines.push(format!(
        "Số hộp: {}; số tờ: {}; quy ra mét giá: {} m.",
        words::figures(stats.boxes),
        words::figures(stats.sheets),
        labels::metres(stats.linear_mm())
    ));
    lines
}

/// A fonds name without a leading "Phông", in any case (names often start with it: "Phông Ủy
/// ban …"), for headings that say "phông" themselves and must not say it twice. "Phòng" (a
/// department) is another word and stays.
pub fn without_fonds_word(name: &str) -> &str {
    match name.split_once(char::is_whitespace) {
        Some((first, rest)) if first.to_lowercase() == "phông" => rest.trim_start(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::without_fonds_word;

    #[test]
    fn the_fonds_word_is_said_once() {
        for (name, without) in [
            (
                "Phông Ủy ban nhân dân huyện Pác Nặm",
                "Ủy ban nhân dân huyện Pác Nặm",
            ),
            ("PHÔNG UBND XÃ BỘC BỐ", "UBND XÃ BỘC BỐ"),
            ("phông  Huyện ủy Pác Nặm", "Huyện ủy Pác Nặm"),
            ("Phòng Nội vụ huyện Pác Nặm", "Phòng Nội vụ huyện Pác Nặm"),
            ("Phông", "Phông"),
            ("Phôngxyz", "Phôngxyz"),
        ] {
            assert_eq!(without_fonds_word(name), without, "{name}");
        }
    }
}

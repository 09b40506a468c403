//! Cell values as clerks type them: dates as Excel dates or text (dd/mm/yyyy, dd-mm-yyyy,
//! mm/yyyy, yyyy, ISO yyyy-mm-dd), date ranges in one cell, sheet counts like "12 tờ", file
//! numbers and notations like "01.2003". What cannot be read is refused, never guessed.

use bangiao_domain::values::FileCode;
use chrono::{Datelike, Days, NaiveDate};

use super::table::Cell;

/// Which end of a period a partial date (a month, a year) stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The first day of the month or year.
    Start,
    /// The last day of the month or year.
    End,
}

/// Why a date was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Empty.
    Missing,
    /// Not in a date form we read.
    Invalid,
    /// In a date form, but no such day (31/02/2019, month 13).
    Impossible,
}

/// Years taken as such when typed as a bare number in a date column.
const YEARS: std::ops::RangeInclusive<f64> = 1000.0..=9999.0;

/// A date from a cell: a date cell, an Excel serial number, a bare year, or text.
pub fn date(cell: &Cell, bound: Bound) -> Result<NaiveDate, DateProblem> {
    match cell {
        Cell::Empty => Err(DateProblem::Missing),
        Cell::Date(day) => day.ok_or(DateProblem::Impossible),
        Cell::Number(n) if n.fract() == 0.0 && YEARS.contains(n) => {
            year_bound(*n as i32, bound).ok_or(DateProblem::Impossible)
        }
        Cell::Number(n) => excel_serial(*n),
        Cell::Text(text) => date_text(text, bound),
    }
}

/// A start and end date from one cell: "02/01/2003 - 25/05/2003", "2003-2005", "05/2003", or a
/// single date (both ends the same day, or the bounds of the month or year it names).
pub fn date_range(cell: &Cell) -> Result<(NaiveDate, NaiveDate), DateProblem> {
    let Cell::Text(text) = cell else {
        return Ok((date(cell, Bound::Start)?, date(cell, Bound::End)?));
    };
    for separator in [" - ", " – ", " — ", "–", "—", " đến ", " to "] {
        if let Some((start, end)) = text.split_once(separator) {
            return Ok((
                date_text(start.trim(), Bound::Start)?,
                date_text(end.trim(), Bound::End)?,
            ));
        }
    }
    if let Some((start, end)) = text.split_once('-')
        && is_year(start.trim())
        && is_year(end.trim())
    {
        return Ok((
            date_text(start.trim(), Bound::Start)?,
            date_text(end.trim(), Bound::End)?,
        ));
    }
    Ok((date_text(text, Bound::Start)?, date_text(text, Bound::End)?))
}

fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Reads dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (with an optional time after it),
/// mm/yyyy and yyyy. Two-digit years are refused: "03" could be 1903 or 2003.
pub fn date_text(text: &str, bound: Bound) -> Result<NaiveDate, DateProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DateProblem::Missing);
    }
    // ISO with a time ("2003-01-02 00:00:00", "2003-01-02T00:00:00").
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateProblem::Invalid);
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| DateProblem::Invalid);
    let year = |s: &str| -> Result<i32, DateProblem> {
        if s.len() != 4 {
            return Err(DateProblem::Invalid);
        }
        s.parse::<i32>().map_err(|_| DateProblem::Invalid)
    };
    let day = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => ymd(year(y)?, number(m)?, number(d)?),
        [d, m, y] => ymd(year(y)?, number(m)?, number(d)?),
        [m, y] => month_bound(year(y)?, number(m)?, bound),
        [y] => year_bound(year(y)?, bound),
        _ => return Err(DateProblem::Invalid),
    };
    day.ok_or(DateProblem::Impossible)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if year < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_bound(year: i32, month: u32, bound: Bound) -> Option<NaiveDate> {
    let first = ymd(year, month, 1)?;
    match bound {
        Bound::Start => Some(first),
        Bound::End => first.checked_add_months(chrono::Months::new(1))?.pred_opt(),
    }
}

fn year_bound(year: i32, bound: Bound) -> Option<NaiveDate> {
    match bound {
        Bound::Start => ymd(year, 1, 1),
        Bound::End => ymd(year, 12, 31),
    }
}

/// An Excel serial date of the 1900 system: day 1 is 1900-01-01, day 60 the 29 February 1900
/// that Excel believes in (refused), and from day 61 on the count runs from 1899-12-30.
fn excel_serial(serial: f64) -> Result<NaiveDate, DateProblem> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return Err(DateProblem::Invalid);
    }
    let days = serial.floor() as u64;
    let epoch = match days {
        60 => return Err(DateProblem::Impossible),
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30),
    };
    epoch
        .and_then(|epoch| epoch.checked_add_days(Days::new(days)))
        .ok_or(DateProblem::Invalid)
}

/// Why a count was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountProblem {
    /// Below zero.
    Negative,
    /// Not a whole number.
    Invalid,
}

/// A sheet count: a number, or text like "12", "12 tờ".
pub fn sheets(cell: &Cell) -> Result<Option<u32>, CountProblem> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) => whole(*n).map(Some),
        Cell::Date(_) => Err(CountProblem::Invalid),
        Cell::Text(text) => {
            let folded = bangiao_domain::values::fold_vietnamese(text);
            let digits = folded.strip_suffix("to").unwrap_or(&folded).trim();
            let n: f64 = digits.parse().map_err(|_| CountProblem::Invalid)?;
            whole(n).map(Some)
        }
    }
}

/// A positive whole number: a file number ("Hồ sơ số").
pub fn file_number(cell: &Cell) -> Result<Option<u64>, CountProblem> {
    let n = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => *n,
        Cell::Date(_) => return Err(CountProblem::Invalid),
        Cell::Text(text) => text.parse::<f64>().map_err(|_| CountProblem::Invalid)?,
    };
    match whole(n)? {
        0 => Err(CountProblem::Invalid),
        n => Ok(Some(u64::from(n))),
    }
}

fn whole(n: f64) -> Result<u32, CountProblem> {
    if n < 0.0 {
        return Err(CountProblem::Negative);
    }
    if n.fract() != 0.0 || n > f64::from(u32::MAX) {
        return Err(CountProblem::Invalid);
    }
    Ok(n as u32)
}

/// A notation split into its number part and the year after its last dot, if it has one:
/// "01.2003" is ("01", Some(2003)); "12/TCCB" is ("12/TCCB", None).
pub fn notation(text: &str) -> (String, Option<i32>) {
    match text.rsplit_once('.') {
        Some((number, year)) if is_year(year) => (number.trim().to_owned(), year.parse().ok()),
        _ => (text.trim().to_owned(), None),
    }
}

/// A whole file code written where the notation goes ("000.00.66.H06.2003.01", as the
/// service's own lists write it): a prefix, a 4-digit year and a notation. A notation alone
/// ("01.2003", "12/TCCB") is never one: it has no prefix.
pub fn whole_code(text: &str) -> Option<FileCode> {
    FileCode::parse(text).ok()
}

/// The year a file belongs to when its notation carries none: that of its start date.
pub fn year_of(day: NaiveDate) -> i32 {
    day.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn text(t: &str) -> Cell {
        Cell::Text(t.to_owned())
    }

    #[test]
    fn text_dates_in_every_usual_form() {
        for (raw, expected) in [
            ("02/01/2003", day(2003, 1, 2)),
            ("2/1/2003", day(2003, 1, 2)),
            ("25-05-2003", day(2003, 5, 25)),
            ("25.05.2003", day(2003, 5, 25)),
            ("2003-05-25", day(2003, 5, 25)),
            ("2003-05-25 00:00:00", day(2003, 5, 25)),
            ("05/2003", day(2003, 5, 1)),
            ("2003", day(2003, 1, 1)),
        ] {
            assert_eq!(date_text(raw, Bound::Start), Ok(expected), "{raw}");
        }
        assert_eq!(date_text("02/2024", Bound::End), Ok(day(2024, 2, 29)));
        assert_eq!(date_text("2003", Bound::End), Ok(day(2003, 12, 31)));
    }

    #[test]
    fn impossible_and_unreadable_dates_are_told_apart() {
        assert_eq!(
            date_text("31/02/2019", Bound::Start),
            Err(DateProblem::Impossible)
        );
        assert_eq!(
            date_text("01/13/2019", Bound::Start),
            Err(DateProblem::Impossible)
        );
        for raw in ["02/01/03", "hôm qua", "2003/01", "1/2/3/2004", "20031"] {
            assert_eq!(
                date_text(raw, Bound::Start),
                Err(DateProblem::Invalid),
                "{raw}"
            );
        }
        assert_eq!(date(&Cell::Empty, Bound::Start), Err(DateProblem::Missing));
    }

    #[test]
    fn numbers_in_date_columns_are_serials_or_years() {
        assert_eq!(
            date(&Cell::Number(37623.0), Bound::Start),
            Ok(day(2003, 1, 2))
        );
        assert_eq!(
            date(&Cell::Number(2003.0), Bound::End),
            Ok(day(2003, 12, 31))
        );
        assert_eq!(date(&Cell::Number(1.0), Bound::Start), Ok(day(1900, 1, 1)));
        assert_eq!(date(&Cell::Number(61.0), Bound::Start), Ok(day(1900, 3, 1)));
        assert_eq!(
            date(&Cell::Number(60.0), Bound::Start),
            Err(DateProblem::Impossible)
        );
        assert_eq!(
            date(&Cell::Number(-2.0), Bound::Start),
            Err(DateProblem::Invalid)
        );
    }

    #[test]
    fn ranges_in_one_cell() {
        assert_eq!(
            date_range(&text("02/01/2003 - 25/05/2003")),
            Ok((day(2003, 1, 2), day(2003, 5, 25)))
        );
        assert_eq!(
            date_range(&text("2003-2005")),
            Ok((day(2003, 1, 1), day(2005, 12, 31)))
        );
        assert_eq!(
            date_range(&text("05/2003")),
            Ok((day(2003, 5, 1), day(2003, 5, 31)))
        );
        assert_eq!(
            date_range(&text("2003-05-25")),
            Ok((day(2003, 5, 25), day(2003, 5, 25)))
        );
        assert_eq!(
            date_range(&text("01/2003 đến 31/02/2003")),
            Err(DateProblem::Impossible)
        );
    }

    #[test]
    fn sheet_counts_as_clerks_write_them() {
        assert_eq!(sheets(&Cell::Number(12.0)), Ok(Some(12)));
        assert_eq!(sheets(&text("12 tờ")), Ok(Some(12)));
        assert_eq!(sheets(&text("12tờ")), Ok(Some(12)));
        assert_eq!(sheets(&Cell::Empty), Ok(None));
        assert_eq!(sheets(&Cell::Number(-3.0)), Err(CountProblem::Negative));
        assert_eq!(sheets(&text("-3 tờ")), Err(CountProblem::Negative));
        assert_eq!(sheets(&text("12,5")), Err(CountProblem::Invalid));
        assert_eq!(sheets(&text("mười hai")), Err(CountProblem::Invalid));
    }

    #[test]
    fn notations_split_off_their_year() {
        assert_eq!(notation("01.2003"), ("01".to_owned(), Some(2003)));
        assert_eq!(notation("12/TCCB"), ("12/TCCB".to_owned(), None));
        for notation_only in ["01.2003", "12/TCCB", "01", "12/TCCB.2003", "2003.01"] {
            assert_eq!(whole_code(notation_only), None, "{notation_only}");
        }
        let whole = whole_code("000.00.66.H06.2003.01").expect("a whole code");
        assert_eq!((whole.prefix(), whole.year()), ("000.00.66.H06", 2003));
        assert_eq!(file_number(&Cell::Number(77.0)), Ok(Some(77)));
        assert_eq!(file_number(&text("0")), Err(CountProblem::Invalid));
    }
}

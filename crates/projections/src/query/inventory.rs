//! Inventory lists (Mục lục hồ sơ) of a fonds or of a unit with every predecessor through the
//! lineage graph and every unit below it, one subject a module: what a reader may see and the
//! SQL of a filter ([`filter`]), the rows and the lists in recording order ([`list`]), keyset
//! pages in any order ([`sorted`]) and the totals of the header ([`totals`]).

mod filter;
mod list;
mod merge;
mod sorted;
mod totals;

pub use filter::{Filter, REDACTED_TITLE, hides_content};
pub use list::{
    FileRow, HoldMark, ProcessList, Rejection, fonds_of_unit, for_each, listed_in, page,
};
pub use sorted::{BadCursor, Cursor, Order, SortKey, SortedPage, sorted_page};
pub use totals::{CodeCount, MM_PER_BOX, Totals, totals};

/// Whose inventory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One fonds.
    Fonds(String),
    /// A unit: its fonds, its predecessors' (recursively) and those of the units below it.
    Unit(String),
}

#[cfg(test)]
mod fixture {
    use bangiao_domain::values::fold_vietnamese;
    use rusqlite::Connection;

    /// One fonds of 60 files (and one file of another fonds) whose every sort column has ties,
    /// missing values and, for boxes, numbers and text mixed.
    pub(super) fn model() -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory database");
        crate::schema::create(&conn).expect("schema");
        let titles = ["Đất đai", "dat dai", "Báo cáo", "Dân số", "Ảnh", "bao cao"];
        let boxes = [
            Some("10"),
            Some("9"),
            None,
            Some("2a"),
            Some(" 3 "),
            Some("9"),
            Some(""),
        ];
        for seq in 1..=61i64 {
            let fonds = if seq == 61 { "OTHER" } else { "066-UB" };
            let i = seq as usize;
            let title = titles[i % titles.len()];
            let year = 2000 + (i % 4) as i32;
            let start = format!("{year}-0{}-01", 1 + i % 3);
            let end = format!("{year}-12-{}", 10 + i % 2);
            let retention = ["01", "02", "05"][i % 3];
            let access = if i.is_multiple_of(5) { "02" } else { "01" };
            let sheets = (!i.is_multiple_of(4)).then_some((i % 3) as i64 * 10);
            conn.execute(
                "INSERT INTO files (file_code, fonds_code, seq, title, title_folded, start_date, end_date, retention,
                    access, carrier, box, sheets, language, initial_custodian, custodian, status, since)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'paper', ?10, ?11, 'vi', 'X', 'X', 'in_custody', '2010-01-01')",
                rusqlite::params![
                    format!("{fonds}.F{:03}", (i * 37) % 101),
                    fonds,
                    seq,
                    title,
                    fold_vietnamese(title),
                    start,
                    end,
                    retention,
                    access,
                    boxes[i % boxes.len()],
                    sheets,
                ],
            )
            .expect("file");
        }
        conn
    }
}

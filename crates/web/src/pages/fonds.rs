//! Fonds: the list with status, and one fonds with its creator history, custody history,
//! totals and inventory list (search, filters, pages, exports).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::export::Format;
use bangiao_domain::values::fold_vietnamese;
use bangiao_projections::query::custody;
use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{self, FileRow, Filter, Scope};
use bangiao_server::error::ApiError;
use minijinja::context;
use serde::Deserialize;

use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::{PageError, encode};
use crate::session::Viewer;

/// `?q=&unit=&after=` of the fonds list.
#[derive(Debug, Default, Deserialize)]
pub struct FondsSearch {
    /// Words of the name, or the code.
    pub q: Option<String>,
    /// The code after which the page starts.
    pub after: Option<String>,
}

/// Fonds per page.
const FONDS_PAGE: u32 = 100;

/// `GET /trang/phong`.
pub async fn list(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<FondsSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/phong").await?;
    let q = search.q.clone().filter(|q| !q.trim().is_empty());
    let (key, after) = (q.clone(), search.after.clone());
    let rows = bangiao_server::reads::query(&web.app, move |c| {
        fonds::list(c, key.as_deref(), None, after.as_deref(), FONDS_PAGE)
    })
    .await?;
    let next = (rows.len() == FONDS_PAGE as usize)
        .then(|| rows.last().map(|f| f.code.clone()))
        .flatten();
    web.render.page(
        &viewer,
        "fonds_list.html",
        context! { nav => "fonds", q => q.unwrap_or_default(), fonds => rows, next => next },
    )
}

/// The filters, page and page size of an inventory list, as a form sends them (blank fields
/// mean "any").
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ListQuery {
    /// Words of the title.
    pub q: Option<String>,
    /// Retention code.
    pub retention: Option<String>,
    /// Access code.
    pub access: Option<String>,
    /// From year.
    pub year_from: Option<String>,
    /// To year.
    pub year_to: Option<String>,
    /// Custody status.
    pub status: Option<String>,
    /// Current custodian.
    pub custodian: Option<String>,
    /// `yes`, `no` or blank.
    pub unfinished: Option<String>,
    /// The `seq` after which the page starts.
    pub after: Option<i64>,
    /// Rows before this page (for "rows 101–200 of …").
    pub from: Option<u64>,
    /// Rows per page: 50, 100 (default), 200 or 500.
    pub limit: Option<u32>,
    /// Export format (export only).
    pub format: Option<String>,
    /// A column to sort on (see [`SORTS`]); blank: the list's own order.
    pub sort: Option<String>,
    /// `1`: descending.
    pub desc: Option<String>,
    /// Rows skipped before this page, when sorted.
    pub offset: Option<usize>,
}

/// The columns a list can be sorted on.
pub const SORTS: [&str; 5] = ["box", "file_code", "title", "dates", "sheets"];

/// Lists of at most this many rows (under the filters) can be sorted on any column; longer
/// ones keep the inventory's order (recording order), which pages through any length.
pub const SORTABLE_ROWS: u64 = 5_000;

/// A box number as a number when it is one, so box 9 comes before box 10.
fn box_key(row: &FileRow) -> (u64, String) {
    let text = row.box_number.clone().unwrap_or_default();
    (text.trim().parse().unwrap_or(u64::MAX), text)
}

/// Sorts rows on a column of [`SORTS`]; titles without regard to diacritics or case.
pub fn sort_rows(rows: &mut [FileRow], column: &str, descending: bool) {
    match column {
        "box" => rows.sort_by_cached_key(box_key),
        "file_code" => rows.sort_by(|a, b| a.file_code.cmp(&b.file_code)),
        "title" => rows.sort_by_cached_key(|r| fold_vietnamese(&r.title)),
        "dates" => rows.sort_by_key(|r| (r.start_date, r.end_date)),
        "sheets" => rows.sort_by_key(|r| r.sheets),
        _ => return,
    }
    if descending {
        rows.reverse();
    }
}

fn blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl ListQuery {
    /// The projection's filter (without clearance: see [`cleared_filter`]).
    pub fn filter(&self) -> Result<Filter, PageError> {
        let year = |value: &Option<String>| -> Result<Option<i32>, PageError> {
            blank(value)
                .map(|y| {
                    y.parse().map_err(|_| {
                        PageError::invalid(
                            format!("Năm không hợp lệ: {y}"),
                            format!("Not a year: {y}"),
                        )
                    })
                })
                .transpose()
        };
        Ok(Filter {
            q: blank(&self.q),
            retention: blank(&self.retention),
            access: blank(&self.access),
            year_from: year(&self.year_from)?,
            year_to: year(&self.year_to)?,
            status: blank(&self.status),
            custodian: blank(&self.custodian),
            unfinished: match blank(&self.unfinished).as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            cleared_fonds: None,
        })
    }

    /// The filters as a query string (no page), for links that keep them.
    pub fn filters_query(&self) -> String {
        let pairs = [
            ("q", blank(&self.q)),
            ("retention", blank(&self.retention)),
            ("access", blank(&self.access)),
            ("year_from", blank(&self.year_from)),
            ("year_to", blank(&self.year_to)),
            ("status", blank(&self.status)),
            ("custodian", blank(&self.custodian)),
            ("unfinished", blank(&self.unfinished)),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The column to sort on, if a valid one was asked.
    pub fn sort(&self) -> Option<&'static str> {
        let asked = blank(&self.sort)?;
        SORTS.into_iter().find(|c| *c == asked)
    }

    /// The page size asked, one of the offered sizes.
    pub fn limit(&self) -> u32 {
        self.limit
            .filter(|n| [50, 100, 200, 500].contains(n))
            .unwrap_or(100)
    }
}

/// `GET /trang/phong/{code}`: the fonds page with its inventory list.
pub async fn fonds(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        Some(&code),
        "GET /trang/phong/{code}",
    )
    .await?;
    let filter = cleared_filter(&web, &viewer, params.filter()?).await?;
    let limit = params.limit();
    let after = params.after;
    // The totals scan every row under the filters; the rest are point and page queries. They
    // run on two read connections at once, so the page waits for the longer, not for the sum.
    let (key, scope) = (code.clone(), Scope::Fonds(code.clone()));
    let (totals_filter, totals_scope) = (filter.clone(), scope.clone());
    let sorted_filter = filter.clone();
    let (found, totals) = tokio::join!(
        bangiao_server::reads::query(&web.app, move |c| {
            let Some(row) = fonds::get(c, &key)? else {
                return Ok(None);
            };
            let items = inventory::page(c, &scope, &filter, after, limit)?;
            Ok(Some((row, custody::fonds_history(c, &key)?, items)))
        }),
        bangiao_server::reads::query(&web.app, move |c| {
            inventory::totals(c, &totals_scope, &totals_filter)
        }),
    );
    let (row, history, mut items) =
        found?.ok_or_else(|| ApiError::not_found("phông", "fonds", &code))?;
    let totals = totals?;
    let mut from = params.from.unwrap_or(0);
    let mut next = (items.len() == limit as usize)
        .then(|| items.last().map(|r| r.seq))
        .flatten();
    // Sorting on a column needs every row under the filters, so only short lists are sorted.
    let sort = params.sort();
    let sorted = sort.is_some() && totals.files <= SORTABLE_ROWS;
    let mut next_offset = None;
    if let (Some(column), true) = (sort, sorted) {
        let (scope, filter) = (Scope::Fonds(code.clone()), sorted_filter);
        let mut rows = bangiao_server::reads::query(&web.app, move |c| {
            let mut rows = Vec::new();
            inventory::for_each(c, &scope, &filter, |r| {
                rows.push(r);
                true
            })?;
            Ok(rows)
        })
        .await?;
        sort_rows(&mut rows, column, params.desc.as_deref() == Some("1"));
        let total = rows.len();
        let offset = params.offset.unwrap_or(0).min(total);
        let end = (offset + limit as usize).min(total);
        items = rows.drain(offset..end).collect();
        from = offset as u64;
        next = None;
        next_offset = (end < total).then_some(end);
    }
    let may_write = may(&web, &viewer, Action::WriteFonds, &code).await;
    web.render.page(
        &viewer,
        "fonds.html",
        context! {
            nav => "fonds",
            fonds => row,
            changes => history.map(|(_, _, changes)| changes).unwrap_or_default(),
            totals => totals,
            items => items,
            from => from,
            shown_to => from + items.len() as u64,
            next => next,
            next_from => from + items.len() as u64,
            next_offset => next_offset,
            limit => limit,
            filters => params.filters_query(),
            sort => sort,
            desc => params.desc.as_deref() == Some("1"),
            sorted => sorted,
            sort_refused => sort.is_some() && !sorted,
            sortable_rows => SORTABLE_ROWS,
            sorts => SORTS,
            query => context! {
                q => blank(&params.q), retention => blank(&params.retention), access => blank(&params.access),
                year_from => blank(&params.year_from), year_to => blank(&params.year_to), status => blank(&params.status),
                custodian => blank(&params.custodian), unfinished => blank(&params.unfinished),
            },
            may_write => may_write,
            formats => ["csv", "xlsx", "pdf", "ead3", "html"],
        },
    )
}

/// `GET /trang/phong/{code}/xuat?format=`: the whole list (under the filters) as CSV, XLSX,
/// PDF, EAD3 or HTML, through the API's own export.
pub async fn export(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<ListQuery>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        Some(&code),
        "GET /trang/phong/{code}/xuat",
    )
    .await?;
    let format = params
        .format
        .as_deref()
        .and_then(Format::parse)
        .filter(|f| {
            matches!(
                f,
                Format::Csv | Format::Xlsx | Format::Pdf | Format::Ead3 | Format::Html
            )
        })
        .ok_or_else(|| PageError::invalid("Định dạng không được hỗ trợ.", "Unsupported format."))?;
    let filter = cleared_filter(&web, &viewer, params.filter()?).await?;
    Ok(
        bangiao_server::reads::inventory::export_list(&web.app, Scope::Fonds(code), filter, format)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(box_number: &str, title: &str) -> FileRow {
        FileRow {
            seq: 0,
            fonds_code: "066-UB".into(),
            file_code: format!("F.{box_number}"),
            title: title.into(),
            start_date: chrono::NaiveDate::default(),
            end_date: chrono::NaiveDate::default(),
            retention: "01".into(),
            retention_years: None,
            access: "01".into(),
            carrier: "paper".into(),
            box_number: Some(box_number.into()),
            sheets: None,
            language: "Tiếng Việt".into(),
            notes: None,
            custodian: "UBND-066".into(),
            status: "in_custody".into(),
            unfinished: None,
            damaged: None,
            sha256: None,
        }
    }

    #[test]
    fn boxes_sort_as_numbers_and_titles_without_diacritics() {
        let mut rows = vec![
            row("10", "Đất đai"),
            row("9", "Báo cáo"),
            row("2", "Dân số"),
        ];
        sort_rows(&mut rows, "box", false);
        let boxes: Vec<_> = rows.iter().filter_map(|r| r.box_number.clone()).collect();
        assert_eq!(boxes, ["2", "9", "10"]);
        sort_rows(&mut rows, "title", false);
        let titles: Vec<_> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["Báo cáo", "Dân số", "Đất đai"]);
        sort_rows(&mut rows, "title", true);
        assert_eq!(rows[0].title, "Đất đai");
    }
}

//! Fonds: the list with status, and one fonds with its creator history, custody history,
//! totals and inventory list (search, filters, pages, exports).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::export::Format;
use bangiao_projections::query::custody;
use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{self, Cursor, Filter, Order, Scope, SortKey};
use bangiao_server::error::ApiError;
use minijinja::context;
use serde::Deserialize;

use super::{Fields, field};
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
    /// Where the page starts: the cursor of the previous page's last row (its sort key).
    pub after: Option<String>,
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
}

/// The columns the page offers to sort on, as table headings (the inventory's own order,
/// `seq`, is the default); any list, however long, pages through each in both directions.
pub const SORTS: [SortKey; 6] = [
    SortKey::Boxes,
    SortKey::FileCode,
    SortKey::Title,
    SortKey::Dates,
    SortKey::Sheets,
    SortKey::Retention,
];

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

    /// The filters a posted form carries in the same fields as the list's own filter form.
    pub fn from_fields(fields: &Fields) -> Self {
        let text = |name| field(fields, name).map(str::to_owned);
        ListQuery {
            q: text("q"),
            retention: text("retention"),
            access: text("access"),
            year_from: text("year_from"),
            year_to: text("year_to"),
            status: text("status"),
            custodian: text("custodian"),
            unfinished: text("unfinished"),
            ..ListQuery::default()
        }
    }

    /// The filters as the filter form shows them again (blank fields as none).
    pub fn form_values(&self) -> minijinja::Value {
        context! {
            q => blank(&self.q), retention => blank(&self.retention), access => blank(&self.access),
            year_from => blank(&self.year_from), year_to => blank(&self.year_to),
            status => blank(&self.status), custodian => blank(&self.custodian),
            unfinished => blank(&self.unfinished),
        }
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

    /// The order asked: a column the page offers, or the inventory's own order.
    pub fn order(&self) -> Order {
        let key = blank(&self.sort)
            .and_then(|name| SortKey::parse(&name))
            .filter(|key| SORTS.contains(key))
            .unwrap_or(SortKey::Seq);
        Order {
            key,
            descending: self.desc.as_deref() == Some("1"),
        }
    }

    /// The order as a query string (`sort=title&desc=1`), empty for the inventory's order.
    pub fn order_query(&self) -> String {
        let order = self.order();
        match (order.key, order.descending) {
            (SortKey::Seq, false) => String::new(),
            (key, false) => format!("sort={}", key.name()),
            (key, true) => format!("sort={}&desc=1", key.name()),
        }
    }

    /// Where the page starts, read back for the order asked.
    pub fn cursor(&self, order: Order) -> Result<Option<Cursor>, PageError> {
        blank(&self.after)
            .map(|text| {
                Cursor::decode(order, &text).map_err(|_| {
                    PageError::invalid(
                        "Địa chỉ trang không hợp lệ; hãy mở lại trang đầu của danh sách.",
                        "Not a valid page address; open the list's first page again.",
                    )
                })
            })
            .transpose()
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
    let order = params.order();
    let after = params.cursor(order)?;
    // The totals scan every row under the filters; the rest are point and page queries. They
    // run on two read connections at once, so the page waits for the longer, not for the sum.
    let (key, scope) = (code.clone(), Scope::Fonds(code.clone()));
    let (totals_filter, totals_scope) = (filter.clone(), scope.clone());
    let (found, totals) = tokio::join!(
        bangiao_server::reads::query(&web.app, move |c| {
            let Some(row) = fonds::get(c, &key)? else {
                return Ok(None);
            };
            let items = inventory::sorted_page(c, &scope, &filter, order, after.as_ref(), limit)?;
            Ok(Some((row, custody::fonds_history(c, &key)?, items)))
        }),
        bangiao_server::reads::query(&web.app, move |c| {
            inventory::totals(c, &totals_scope, &totals_filter)
        }),
    );
    let (row, history, page) =
        found?.ok_or_else(|| ApiError::not_found("phông", "fonds", &code))?;
    let totals = totals?;
    let from = params.from.unwrap_or(0);
    let shown_to = from + page.rows.len() as u64;
    let filters = params.filters_query();
    let order_query = params.order_query();
    let list_query = [filters.as_str(), order_query.as_str()]
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    let may_write = may(&web, &viewer, Action::WriteFonds, &code).await;
    let may_curate = may(&web, &viewer, Action::CurateFonds, &code).await;
    web.render.page(
        &viewer,
        "fonds.html",
        context! {
            nav => "fonds",
            fonds => row,
            changes => history.map(|(_, _, changes)| changes).unwrap_or_default(),
            totals => totals,
            items => page.rows,
            from => from,
            shown_to => shown_to,
            next => page.next.map(|c| encode(&c.encode())),
            limit => limit,
            filters => filters,
            list_query => list_query,
            sort => (order.key != SortKey::Seq).then_some(order.key.name()),
            desc => order.descending,
            query => params.form_values(),
            may_write => may_write,
            may_curate => may_curate,
            formats => ["csv", "xlsx", "pdf", "ead3", "html"],
        },
    )
}

/// `GET /trang/phong/{code}/xuat?format=`: the whole list (under the filters) as CSV, XLSX,
/// PDF, EAD3 or HTML, through the API's own export.
pub async fn export(
    State(web): State<WebState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
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
    let formats = [
        Format::Csv,
        Format::Xlsx,
        Format::Pdf,
        Format::Ead3,
        Format::Html,
    ];
    let filter = params.filter()?;
    let base = bangiao_server::reads::acts::base_url(&headers);
    export_list(
        &web,
        &viewer,
        Scope::Fonds(code),
        filter,
        params.format.as_deref(),
        &formats,
        Some(&base),
    )
    .await
}

/// The one shape of an inventory download (a fonds' or a unit's): a format among those the
/// page offers, the reader's clearance, and the API's own export.
pub async fn export_list(
    web: &WebState,
    viewer: &Viewer,
    scope: Scope,
    filter: Filter,
    asked: Option<&str>,
    offered: &[Format],
    base_url: Option<&str>,
) -> Result<Response, PageError> {
    let format = asked
        .and_then(Format::parse)
        .filter(|f| offered.contains(f))
        .ok_or_else(|| PageError::invalid("Định dạng không được hỗ trợ.", "Unsupported format."))?;
    let filter = cleared_filter(web, viewer, filter).await?;
    Ok(
        bangiao_server::reads::inventory::export_list(&web.app, scope, filter, format, base_url)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_offers_its_columns_and_nothing_else() {
        let asked = |sort: &str, desc: &str| ListQuery {
            sort: Some(sort.into()),
            desc: Some(desc.into()),
            ..ListQuery::default()
        };
        assert_eq!(
            asked("title", "1").order(),
            Order {
                key: SortKey::Title,
                descending: true
            }
        );
        assert_eq!(asked("title", "1").order_query(), "sort=title&desc=1");
        assert_eq!(asked("box", "").order_query(), "sort=box");
        assert_eq!(asked("status", "").order().key, SortKey::Seq);
        assert_eq!(asked("", "").order_query(), "");
        let bad = ListQuery {
            after: Some("[1]".into()),
            ..asked("title", "")
        };
        assert!(bad.cursor(bad.order()).is_err());
    }
}

//! Units: search (diacritics and case ignored) and one unit's lineage as a tree, with its fonds.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::export::Format;
use bangiao_projections::query::fonds;
use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_projections::query::units::{self, LineageLink};
use bangiao_server::error::ApiError;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::fonds::export_list;
use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::session::Viewer;

/// Most units a search shows.
const SHOWN: u32 = 200;

/// `?q=`.
#[derive(Debug, Default, Deserialize)]
pub struct Search {
    /// Words of the name, or the code.
    pub q: Option<String>,
}

/// `GET /trang/don-vi?q=`.
pub async fn search(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<Search>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/don-vi").await?;
    let q = search.q.clone().filter(|q| !q.trim().is_empty());
    let key = q.clone();
    let rows =
        bangiao_server::reads::query(&web.app, move |c| units::search(c, key.as_deref(), SHOWN))
            .await?;
    web.render.page(
        &viewer,
        "units.html",
        context! { nav => "units", q => q.unwrap_or_default(), units => rows, limit => SHOWN },
    )
}

/// One node of a lineage tree: a unit and the units that went into it (or came out of it).
#[derive(Debug, Serialize)]
pub struct Node {
    /// The link to this unit.
    pub link: LineageLink,
    /// The next level of the tree.
    pub children: Vec<Node>,
}

/// Builds the tree below `code` from links that name the unit they hang from (`via`).
pub fn tree(links: &[LineageLink], code: &str, depth: u32) -> Vec<Node> {
    links
        .iter()
        .filter(|l| l.via == code && l.depth == depth)
        .map(|l| Node {
            link: l.clone(),
            children: tree(links, &l.code, depth + 1),
        })
        .collect()
}

/// `GET /trang/don-vi/{code}`: the unit, its predecessors and successors as trees, the units
/// below it, and its fonds.
pub async fn unit(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/don-vi/{code}",
    )
    .await?;
    let key = code.clone();
    let (lineage, fonds) = bangiao_server::reads::query(&web.app, move |c| {
        Ok((
            units::lineage(c, &key)?,
            fonds::list(c, None, Some(&key), None, 1000)?,
        ))
    })
    .await?;
    let lineage = lineage.ok_or_else(|| ApiError::not_found("đơn vị", "unit", &code))?;
    let predecessors = tree(&lineage.predecessors, &code, 1);
    let successors = tree(&lineage.successors, &code, 1);
    web.render.page(
        &viewer,
        "unit.html",
        context! {
            nav => "units",
            unit => lineage.unit,
            predecessors => predecessors,
            successors => successors,
            children => lineage.children,
            fonds => fonds,
        },
    )
}

/// `?format=` of a unit's list.
#[derive(Debug, Default, Deserialize)]
pub struct ExportFormat {
    /// csv, xlsx, pdf or html.
    pub format: Option<String>,
}

/// `GET /trang/don-vi/{code}/xuat?format=`: the inventory list of a unit with its predecessors
/// and the units below it (the Mục lục of a merged or dissolved unit), through the API's export.
pub async fn export(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(asked): Query<ExportFormat>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/don-vi/{code}/xuat",
    )
    .await?;
    let formats = [Format::Csv, Format::Xlsx, Format::Pdf, Format::Html];
    let scope = Scope::Unit(code);
    export_list(
        &web,
        &viewer,
        scope,
        Filter::default(),
        asked.format.as_deref(),
        &formats,
        None,
    )
    .await
}

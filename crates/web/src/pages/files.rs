//! A file's page: its fields, its digitised copy's checksum, its custody history as a
//! timeline, and "who held it on date D".

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_documents::export::rows::{QueryRows, RowSource};
use bangiao_projections::query::custody;
use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_server::error::ApiError;
use minijinja::context;
use serde::Deserialize;

use super::read_rows;
use crate::WebState;
use crate::access::{allow, cleared_filter};
use crate::error::PageError;
use crate::session::Viewer;

/// `?as_of=`.
#[derive(Debug, Default, Deserialize)]
pub struct AsOf {
    /// The day asked about (YYYY-MM-DD); blank for none.
    pub as_of: Option<String>,
    /// `copy` after a scan was attached from this page.
    pub ok: Option<String>,
}

/// `GET /trang/ho-so/{code}?as_of=`.
pub async fn file(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(asked): Query<AsOf>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/ho-so/{code}").await?;
    let as_of = match asked
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(day) => Some(day.parse::<chrono::NaiveDate>().map_err(|_| {
            PageError::invalid(
                format!("Ngày không hợp lệ: {day}"),
                format!("Not a date: {day}"),
            )
        })?),
        None => None,
    };
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let key = code.clone();
    let found = read_rows(&web, move |c| {
        let Some(now) = custody::now(c, &key)? else {
            return Ok(None);
        };
        let history = custody::history(c, &key)?;
        let held = as_of
            .map(|day| custody::as_of(c, &key, day))
            .transpose()?
            .flatten();
        // The row as the inventory list shows it (restricted titles hidden alike).
        let mut row = None;
        QueryRows::new(c, Scope::Fonds(now.fonds_code.clone()), filter)
            .only([key.clone()])
            .each(&mut |r| {
                row = Some(r.clone());
                Ok(())
            })?;
        Ok(Some((now, history, held, row)))
    })
    .await?;
    let (now, history, held, row) =
        found.ok_or_else(|| ApiError::not_found("hồ sơ", "file", &code))?;
    // A restricted file's copies are not listed to whoever may not read its title.
    let (copies, copies_hidden) =
        match bangiao_server::copies::visible_copies(&web.app, &viewer.who, &code).await {
            Ok(copies) => (copies, false),
            Err(e) if e.problem().code == "not_cleared" => (Vec::new(), true),
            Err(e) => return Err(e.into()),
        };
    let may_digitise = !copies_hidden
        && web.app.blobs.is_some()
        && crate::access::may(&web, &viewer, Action::Digitise, &now.fonds_code).await;
    web.render.page(
        &viewer,
        "file.html",
        context! {
            nav => "fonds",
            code => code,
            now => now,
            history => history,
            held => held,
            as_of => as_of.map(|d| d.to_string()),
            row => row,
            copies => copies,
            copies_hidden => copies_hidden,
            may_digitise => may_digitise,
            copy_attached => asked.ok.as_deref() == Some("copy"),
        },
    )
}

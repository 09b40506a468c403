//! Handover batches (lô bàn giao): the list of batches, and one batch with the fonds it names
//! and each one's minutes, read from the same projection as the API's `/api/v1/batches`.

use axum::extract::{Path, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_projections::query::acts;
use bangiao_server::error::ApiError;
use minijinja::context;

use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::session::Viewer;

/// `GET /trang/lo-ban-giao`: every batch of handovers, complete or not.
pub async fn batches(State(web): State<WebState>, viewer: Viewer) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/lo-ban-giao").await?;
    let rows = bangiao_server::reads::query(&web.app, acts::batches).await?;
    web.render.page(
        &viewer,
        "batches.html",
        context! { nav => "batches", batches => rows },
    )
}

/// `GET /trang/lo-ban-giao/{id}`: one batch: the fonds it names and each one's minutes.
pub async fn batch(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    allow(
        &web,
        &viewer,
        Action::Read,
        None,
        "GET /trang/lo-ban-giao/{id}",
    )
    .await?;
    let key = id.clone();
    let (batch, handovers) = bangiao_server::reads::query(&web.app, move |c| {
        let batch = acts::batches(c)?.into_iter().find(|b| b.batch_id == key);
        let handovers = acts::handovers(c, None, None, None)?
            .into_iter()
            .filter(|h| h.batch_id.as_deref() == Some(key.as_str()))
            .collect::<Vec<_>>();
        Ok((batch, handovers))
    })
    .await?;
    let batch = batch.ok_or_else(|| ApiError::not_found("lô bàn giao", "batch", &id))?;
    let missing: Vec<&String> = batch
        .fonds
        .iter()
        .filter(|f| !handovers.iter().any(|h| &h.fonds_code == *f))
        .collect();
    web.render.page(
        &viewer,
        "batch.html",
        context! { nav => "batches", batch => batch, handovers => handovers, missing => missing },
    )
}

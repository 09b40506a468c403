//! Holds (tạm giữ, phong tỏa): the list, one hold, and lifting it.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::LiftHold;
use bangiao_domain::values::HoldId;
use bangiao_projections::query::acts;
use bangiao_server::error::ApiError;
use minijinja::context;

use super::handovers::Done;
use super::{ListSearch, today};
use super::{OnRecord, Posted, acted, on_record};
use crate::WebState;
use crate::access::{allow, may};
use crate::error::PageError;
use crate::session::Viewer;

/// `GET /trang/tam-giu`: holds, by fonds; `status` = `active` or `lifted`.
pub async fn holds(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/tam-giu").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let f = fonds.clone();
    let mut rows =
        bangiao_server::reads::query(&web.app, move |c| acts::holds(c, f.as_deref())).await?;
    match status.as_deref() {
        Some("active") => rows.retain(|h| h.lifted_on.is_none()),
        Some("lifted") => rows.retain(|h| h.lifted_on.is_some()),
        _ => {}
    }
    web.render.page(
        &viewer,
        "holds.html",
        context! { nav => "holds", holds => rows, fonds => fonds, status => status },
    )
}

async fn load_hold(web: &WebState, id: &str) -> Result<acts::HoldRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| acts::hold(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("lệnh tạm giữ", "hold", id)))
}

/// `GET /trang/tam-giu/{id}`: one hold, and the form to lift it.
pub async fn hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/tam-giu/{id}").await?;
    let row = load_hold(&web, &id).await?;
    let can_lift =
        row.lifted_on.is_none() && may(&web, &viewer, Action::CurateFonds, &row.fonds_code).await;
    web.render.page(
        &viewer,
        "hold.html",
        context! {
            nav => "holds",
            h => row,
            can_lift => can_lift,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// The hold posted on, for an act from its page (audited as `page`, then `?ok={ok}`).
async fn posted_hold(
    posted: &Posted,
    page: &'static str,
    ok: &'static str,
) -> Result<OnRecord<HoldId>, PageError> {
    Ok(OnRecord {
        fonds: load_hold(&posted.web, &posted.id).await?.fonds_code,
        parse: HoldId::parse,
        page,
        back: ("/trang/tam-giu", ok),
    })
}

/// `POST /trang/tam-giu/{id}/go`: the archivist lifts the hold.
pub async fn lift_hold(posted: Posted) -> Result<Response, PageError> {
    let on = posted_hold(&posted, "POST /trang/tam-giu/{id}/go", "lifted").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("lifted_on", "ngày gỡ", "Date lifted");
        let (lifted_by, lifted_on) = acted(viewer, fields, date)?;
        Ok(LiftHold {
            hold_id: id,
            lifted_by,
            lifted_on,
        })
    })
    .await
}

//! Holds (tạm giữ, phong tỏa): the list, one hold, and lifting it.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::LiftHold;
use bangiao_domain::values::HoldId;
use bangiao_projections::query::processes;
use bangiao_server::error::ApiError;
use minijinja::context;

use super::handovers::Done;
use super::{Act, Fields, ListSearch, act, date_field, me, parsed, today};
use crate::WebState;
use crate::access::{allow, may};
use crate::error::PageError;
use crate::session::Viewer;
use bangiao_app::pipeline::Act as Acts;

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
        bangiao_server::reads::query(&web.app, move |c| processes::holds(c, f.as_deref())).await?;
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

async fn load_hold(web: &WebState, id: &str) -> Result<processes::HoldRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::hold(c, &key))
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

/// `POST /trang/tam-giu/{id}/go`: the archivist lifts the hold.
pub async fn lift_hold(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_hold(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: <LiftHold as Acts>::ACTION,
        page: "POST /trang/tam-giu/{id}/go",
        done: format!("/trang/tam-giu/{id}?ok=lifted"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(LiftHold {
            hold_id: parsed(HoldId::parse(&id))?,
            lifted_by: me(&viewer)?,
            lifted_on: date_field(fields, "lifted_on", "ngày gỡ", "Date lifted")?,
        }
        .into())
    })
    .await
}

//! Destruction (hủy): the list of procedures, one procedure with its frozen list, and the acts on
//! it (approve, execute, cancel).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::{ApproveDestruction, CancelDestruction, ExecuteDestruction};
use bangiao_domain::values::{DestructionId, Note};
use bangiao_projections::query::acts;
use bangiao_projections::query::inventory::{self, Filter, ProcessList};
use bangiao_server::error::ApiError;
use minijinja::context;

use super::handovers::Done;
use super::{ListSearch, parsed, required, today};
use super::{OnRecord, Posted, acted, on_record};
use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::PageError;
use crate::session::Viewer;

/// `GET /trang/huy`: destruction procedures, by fonds or status.
pub async fn destructions(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/huy").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let f = fonds.clone();
    let mut rows =
        bangiao_server::reads::query(&web.app, move |c| acts::destructions(c, f.as_deref()))
            .await?;
    if let Some(status) = &status {
        rows.retain(|d| &d.status == status);
    }
    web.render.page(
        &viewer,
        "destructions.html",
        context! { nav => "destructions", destructions => rows, fonds => fonds, status => status },
    )
}

async fn load_destruction(web: &WebState, id: &str) -> Result<acts::DestructionRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| acts::destruction(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("hủy tài liệu", "destruction", id)))
}

/// `GET /trang/huy/{id}`: one destruction procedure, its frozen list, and the next act.
pub async fn destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/huy/{id}").await?;
    let row = load_destruction(&web, &id).await?;
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let key = id.clone();
    let files = bangiao_server::reads::query(&web.app, move |c| {
        inventory::listed_in(c, ProcessList::Destruction, &key, &filter)
    })
    .await?;
    let open = matches!(row.status.as_str(), "proposed" | "approved");
    let curator = open && may(&web, &viewer, Action::CurateFonds, &row.fonds_code).await;
    let can_approve = row.status == "proposed"
        && row.proposed_by != viewer.who.user_id
        && may(&web, &viewer, Action::ApproveDestruction, &row.fonds_code).await;
    let can_execute = curator && row.status == "approved";
    web.render.page(
        &viewer,
        "destruction.html",
        context! {
            nav => "destructions",
            d => row,
            files => files,
            can_approve => can_approve,
            can_execute => can_execute,
            can_cancel => curator,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// The destruction list posted on, for an act from its page (audited as `page`, then `?ok={ok}`).
async fn posted_list(
    posted: &Posted,
    page: &'static str,
    ok: &'static str,
) -> Result<OnRecord<DestructionId>, PageError> {
    Ok(OnRecord {
        fonds: load_destruction(&posted.web, &posted.id).await?.fonds_code,
        parse: DestructionId::parse,
        page,
        back: ("/trang/huy", ok),
    })
}

/// `POST /trang/huy/{id}/duyet`: an approver who did not propose the list approves it.
pub async fn approve_destruction(posted: Posted) -> Result<Response, PageError> {
    let on = posted_list(&posted, "POST /trang/huy/{id}/duyet", "approved").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("approved_on", "ngày duyệt", "Date approved");
        let (approved_by, approved_on) = acted(viewer, fields, date)?;
        Ok(ApproveDestruction {
            destruction_id: id,
            approved_by,
            approved_on,
        })
    })
    .await
}

/// `POST /trang/huy/{id}/thuc-hien`: the archivist records that the approved files were
/// destroyed.
pub async fn execute_destruction(posted: Posted) -> Result<Response, PageError> {
    let on = posted_list(&posted, "POST /trang/huy/{id}/thuc-hien", "executed").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("executed_on", "ngày hủy", "Date destroyed");
        let (executed_by, executed_on) = acted(viewer, fields, date)?;
        Ok(ExecuteDestruction {
            destruction_id: id,
            executed_by,
            executed_on,
        })
    })
    .await
}

/// `POST /trang/huy/{id}/bo`: the archivist abandons a proposal not yet executed; the files
/// are free again.
pub async fn cancel_destruction(posted: Posted) -> Result<Response, PageError> {
    let on = posted_list(&posted, "POST /trang/huy/{id}/bo", "cancelled").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("cancelled_on", "ngày hủy bỏ", "Date cancelled");
        let (cancelled_by, cancelled_on) = acted(viewer, fields, date)?;
        let reason = required(fields, "reason", "lý do hủy bỏ", "Reason")?;
        let reason = parsed(Note::parse(reason))?;
        Ok(CancelDestruction {
            destruction_id: id,
            cancelled_by,
            cancelled_on,
            reason,
        })
    })
    .await
}

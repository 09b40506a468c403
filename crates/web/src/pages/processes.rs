//! The other processes of custody: handover batches (lô bàn giao), transfers to the historical
//! archive (nộp lưu), destruction (hủy) and holds (tạm giữ, phong tỏa). A list and a page for
//! each, read from the same projections as the API's `/api/v1/batches`, `/transfers`,
//! `/destructions`; and the forms of the acts the API offers on an existing process: appraise
//! and accept a transfer, approve, execute or cancel a destruction, lift a hold.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::{
    AcceptTransfer, AppraisalOutcome, AppraiseTransferList, ApproveDestruction, CancelDestruction,
    ExecuteDestruction, LiftHold, RejectedFile,
};
use bangiao_domain::values::{DestructionId, FileCode, HoldId, Note, TransferId};
use bangiao_projections::query::inventory::{self, Filter, ProcessList};
use bangiao_projections::query::processes;
use bangiao_server::error::ApiError;
use minijinja::context;

use super::handovers::Done;
use super::{Act, Fields, ListSearch, act, date_field, field, me, parsed, required, today};
use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::PageError;
use crate::session::Viewer;

/// `GET /trang/lo-ban-giao`: every batch of handovers, complete or not.
pub async fn batches(State(web): State<WebState>, viewer: Viewer) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/lo-ban-giao").await?;
    let rows = bangiao_server::reads::query(&web.app, processes::batches).await?;
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
        let batch = processes::batches(c)?
            .into_iter()
            .find(|b| b.batch_id == key);
        let handovers = processes::handovers(c, None, None, None)?
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

/// `GET /trang/nop-luu`: transfers to the historical archive, by fonds or status.
pub async fn transfers(
    State(web): State<WebState>,
    viewer: Viewer,
    Query(search): Query<ListSearch>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/nop-luu").await?;
    let (fonds, status) = (search.fonds(), search.status());
    let (f, s) = (fonds.clone(), status.clone());
    let rows = bangiao_server::reads::query(&web.app, move |c| {
        processes::transfers(c, f.as_deref(), s.as_deref())
    })
    .await?;
    web.render.page(
        &viewer,
        "transfers.html",
        context! { nav => "transfers", transfers => rows, fonds => fonds, status => status },
    )
}

async fn load_transfer(web: &WebState, id: &str) -> Result<processes::TransferRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::transfer(c, &key))
        .await?
        .ok_or_else(|| PageError::Api(ApiError::not_found("nộp lưu", "transfer", id)))
}

/// `GET /trang/nop-luu/{id}`: one transfer, its list of files, and the archive's next act.
pub async fn transfer(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /trang/nop-luu/{id}").await?;
    let row = load_transfer(&web, &id).await?;
    let filter = cleared_filter(&web, &viewer, Filter::default()).await?;
    let key = id.clone();
    let files = bangiao_server::reads::query(&web.app, move |c| {
        inventory::listed_in(c, ProcessList::Transfer, &key, &filter)
    })
    .await?;
    let archivist = may(&web, &viewer, Action::ArchiveTransfer, &row.fonds_code).await;
    let can_appraise = archivist && row.status == "registered";
    let can_accept = archivist && row.status == "appraised";
    web.render.page(
        &viewer,
        "transfer.html",
        context! {
            nav => "transfers",
            tr => row,
            files => files,
            can_appraise => can_appraise,
            can_accept => can_accept,
            ok => done.ok,
            today => today().to_string(),
            command_id => uuid::Uuid::now_v7().to_string(),
        },
    )
}

/// `POST /trang/nop-luu/{id}/tham-dinh`: the archive records its appraisal of the list
/// (`outcome` = approved or rejected, optional `notes`).
pub async fn appraise(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_transfer(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ArchiveTransfer,
        page: "POST /trang/nop-luu/{id}/tham-dinh",
        done: format!("/trang/nop-luu/{id}?ok=appraised"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        let outcome = match required(fields, "outcome", "kết quả thẩm định", "Outcome")? {
            "approved" => AppraisalOutcome::Approved,
            "rejected" => AppraisalOutcome::Rejected,
            other => {
                return Err(PageError::invalid(
                    format!("Kết quả thẩm định không hợp lệ: {other}"),
                    format!("Not an appraisal outcome: {other}"),
                ));
            }
        };
        Ok(AppraiseTransferList {
            transfer_id: parsed(TransferId::parse(&id))?,
            appraised_by: me(&viewer)?,
            appraised_on: date_field(fields, "appraised_on", "ngày thẩm định", "Date")?,
            outcome,
            notes: field(fields, "notes")
                .map(Note::parse)
                .transpose()
                .map_err(|e| PageError::value(&e))?,
        }
        .into())
    })
    .await
}

/// `POST /trang/nop-luu/{id}/thu`: the archive takes the files marked `take_{code}=accept`
/// and refuses those marked `reject`, each with `reason_{code}`.
pub async fn accept(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_transfer(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ArchiveTransfer,
        page: "POST /trang/nop-luu/{id}/thu",
        done: format!("/trang/nop-luu/{id}?ok=accepted"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
        for (name, value) in fields {
            let Some(code) = name.strip_prefix("take_") else {
                continue;
            };
            let file_code = parsed(FileCode::parse(code))?;
            if value == "reject" {
                let reason = field(fields, &format!("reason_{code}")).ok_or_else(|| {
                    PageError::invalid(
                        format!("Hồ sơ {code}: cần ghi lý do không thu."),
                        format!("File {code}: give the reason it is refused."),
                    )
                })?;
                rejected.push(RejectedFile {
                    file_code,
                    reason: parsed(Note::parse(reason))?,
                });
            } else {
                accepted.push(file_code);
            }
        }
        Ok(AcceptTransfer {
            transfer_id: parsed(TransferId::parse(&id))?,
            accepted_by: me(&viewer)?,
            accepted_on: date_field(fields, "accepted_on", "ngày thu", "Date accepted")?,
            accepted,
            rejected,
        }
        .into())
    })
    .await
}

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
        bangiao_server::reads::query(&web.app, move |c| processes::destructions(c, f.as_deref()))
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

async fn load_destruction(
    web: &WebState,
    id: &str,
) -> Result<processes::DestructionRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| processes::destruction(c, &key))
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

/// `POST /trang/huy/{id}/duyet`: an approver who did not propose the list approves it.
pub async fn approve_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::ApproveDestruction,
        page: "POST /trang/huy/{id}/duyet",
        done: format!("/trang/huy/{id}?ok=approved"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(ApproveDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            approved_by: me(&viewer)?,
            approved_on: date_field(fields, "approved_on", "ngày duyệt", "Date approved")?,
        }
        .into())
    })
    .await
}

/// `POST /trang/huy/{id}/thuc-hien`: the archivist records that the approved files were
/// destroyed.
pub async fn execute_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::CurateFonds,
        page: "POST /trang/huy/{id}/thuc-hien",
        done: format!("/trang/huy/{id}?ok=executed"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(ExecuteDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            executed_by: me(&viewer)?,
            executed_on: date_field(fields, "executed_on", "ngày hủy", "Date destroyed")?,
        }
        .into())
    })
    .await
}

/// `POST /trang/huy/{id}/bo`: the archivist abandons a proposal not yet executed; the files
/// are free again.
pub async fn cancel_destruction(
    State(web): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let row = load_destruction(&web, &id).await?;
    let on = Act {
        fonds: &row.fonds_code,
        action: Action::CurateFonds,
        page: "POST /trang/huy/{id}/bo",
        done: format!("/trang/huy/{id}?ok=cancelled"),
    };
    act(&web, &viewer, &fields, on, |fields| {
        Ok(CancelDestruction {
            destruction_id: parsed(DestructionId::parse(&id))?,
            cancelled_by: me(&viewer)?,
            cancelled_on: date_field(fields, "cancelled_on", "ngày hủy bỏ", "Date cancelled")?,
            reason: parsed(Note::parse(required(
                fields,
                "reason",
                "lý do hủy bỏ",
                "Reason",
            )?))?,
        }
        .into())
    })
    .await
}

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
        action: Action::CurateFonds,
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

//! Transfers to the historical archive (nộp lưu): the list, one transfer with its files, and
//! the archive's acts on it (appraise the list, accept all or part of it).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use bangiao_auth::Action;
use bangiao_domain::fonds::{AcceptTransfer, AppraiseTransferList, RejectedFile};
use bangiao_domain::values::{FileCode, Note, TransferId};
use bangiao_projections::query::acts;
use bangiao_projections::query::inventory::{self, Filter, ProcessList};
use bangiao_server::error::ApiError;
use minijinja::context;

use super::handovers::Done;
use super::{ListSearch, choice, date_field, field, me, one_of, parsed, today};
use super::{OnRecord, Posted, acted, on_record};
use crate::WebState;
use crate::access::{allow, cleared_filter, may};
use crate::error::PageError;
use crate::session::Viewer;

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
        acts::transfers(c, f.as_deref(), s.as_deref())
    })
    .await?;
    web.render.page(
        &viewer,
        "transfers.html",
        context! { nav => "transfers", transfers => rows, fonds => fonds, status => status },
    )
}

async fn load_transfer(web: &WebState, id: &str) -> Result<acts::TransferRow, PageError> {
    let key = id.to_owned();
    bangiao_server::reads::query(&web.app, move |c| acts::transfer(c, &key))
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
pub async fn appraise(posted: Posted) -> Result<Response, PageError> {
    let on = posted_transfer(&posted, "POST /trang/nop-luu/{id}/tham-dinh", "appraised").await?;
    on_record(posted, on, |fields, viewer, id| {
        let date = ("appraised_on", "ngày thẩm định", "Date");
        let (appraised_by, appraised_on) = acted(viewer, fields, date)?;
        Ok(AppraiseTransferList {
            transfer_id: id,
            appraised_by,
            appraised_on,
            outcome: choice(fields, "outcome", "kết quả thẩm định", "Outcome")?,
            notes: field(fields, "notes")
                .map(Note::parse)
                .transpose()
                .map_err(|e| PageError::value(&e))?,
        })
    })
    .await
}

/// What the archive does with one file of the list (the radio buttons `take_{code}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Take {
    /// Takes it into the archive.
    Accept,
    /// Refuses it (a reason says why).
    Reject,
}

/// The transfer posted on, for an act from its page (audited as `page`, then `?ok={ok}`).
async fn posted_transfer(
    posted: &Posted,
    page: &'static str,
    ok: &'static str,
) -> Result<OnRecord<TransferId>, PageError> {
    Ok(OnRecord {
        fonds: load_transfer(&posted.web, &posted.id).await?.fonds_code,
        parse: TransferId::parse,
        page,
        back: ("/trang/nop-luu", ok),
    })
}

/// `POST /trang/nop-luu/{id}/thu`: the archive takes the files marked `take_{code}=accept`
/// and refuses those marked `reject`, each with `reason_{code}`.
pub async fn accept(posted: Posted) -> Result<Response, PageError> {
    let on = posted_transfer(&posted, "POST /trang/nop-luu/{id}/thu", "accepted").await?;
    on_record(posted, on, |fields, viewer, id| {
        let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
        for (name, value) in fields {
            let Some(code) = name.strip_prefix("take_") else {
                continue;
            };
            let file_code = parsed(FileCode::parse(code))?;
            let label_vi = format!("Thu hồ sơ {code}");
            let label_en = format!("Taking file {code}");
            if one_of::<Take>(value, &label_vi, &label_en)? == Take::Reject {
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
            transfer_id: id,
            accepted_by: me(viewer)?,
            accepted_on: date_field(fields, "accepted_on", "ngày thu", "Date accepted")?,
            accepted,
            rejected,
        })
    })
    .await
}

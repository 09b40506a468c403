//! `GET /`: what is waiting for the person signed in — minutes to sign, minutes to receive,
//! transfers to appraise or accept (archivists), destruction lists to approve (approvers),
//! imports whose dry run found problems, fonds with overdue transfers.

use axum::extract::State;
use axum::response::Response;
use bangiao_auth::{Action, Role};
use bangiao_projections::query::{acts, copies, deadlines};
use minijinja::context;

use super::today;
use crate::WebState;
use crate::access::allow;
use crate::error::PageError;
use crate::session::Viewer;

/// How many overdue fonds the home page lists.
const OVERDUE_SHOWN: usize = 5;

/// The home page.
pub async fn page(State(web): State<WebState>, viewer: Viewer) -> Result<Response, PageError> {
    allow(&web, &viewer, Action::Read, None, "GET /").await?;
    let day = today();
    let (handovers, overdue, transfers, destructions) =
        bangiao_server::reads::query(&web.app, move |c| {
            Ok((
                acts::handovers(c, None, None, None)?,
                deadlines::deadlines(c, day, true)?,
                acts::transfers(c, None, None)?,
                acts::destructions(c, None)?,
            ))
        })
        .await?;
    let me = viewer.who.user_id.as_str();
    let archive = (viewer.who.role == Role::Archivist)
        .then_some(viewer.who.scope.as_deref())
        .flatten();
    let to_sign: Vec<_> = handovers
        .iter()
        .filter(|h| h.status == "drafted" && h.giving_person == me)
        .collect();
    let to_receive: Vec<_> = handovers
        .iter()
        .filter(|h| {
            h.status == "signed"
                && (h.receiving_person == me || Some(h.receiving.as_str()) == archive)
        })
        .collect();
    // Transfers addressed to the archivist's archive and not yet accepted.
    let to_accept: Vec<_> = transfers
        .iter()
        .filter(|t| t.status != "accepted" && Some(t.archive.as_str()) == archive)
        .collect();
    // Destruction lists an approver may approve: proposed, and not by the approver.
    let to_approve: Vec<_> = destructions
        .iter()
        .filter(|d| {
            viewer.who.role == Role::Approver && d.status == "proposed" && d.proposed_by != me
        })
        .collect();
    let overdue_files: u64 = overdue.iter().map(|d| d.overdue_files).sum();
    let imports = web.problems.of(me);
    // The archivist sees the last fixity run of the blob store and every copy found damaged.
    let (fixity_run, damaged) = if viewer.who.role == Role::Archivist {
        bangiao_server::reads::query(&web.app, |c| {
            Ok((copies::last_run(c)?, copies::damaged(c)?))
        })
        .await?
    } else {
        (None, Vec::new())
    };
    web.render.page(
        &viewer,
        "home.html",
        context! {
            nav => "home",
            to_sign => to_sign,
            to_receive => to_receive,
            to_accept => to_accept,
            to_approve => to_approve,
            role => viewer.who.role.as_str(),
            imports => imports,
            overdue => overdue.iter().take(OVERDUE_SHOWN).collect::<Vec<_>>(),
            overdue_fonds => overdue.len(),
            overdue_files => overdue_files,
            today => day.to_string(),
            fixity_run => fixity_run,
            damaged => damaged,
        },
    )
}

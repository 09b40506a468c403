//! Authorisation of the pages that show something: the same policy and scope facts as the API
//! (`bangiao_auth::policy::authorize` with `bangiao_server::auth::facts_for_request`), and the
//! same audit of refusals. A form that acts is decided by the command pipeline
//! (`crate::pages::act`). docs/security.md lists what each page needs.

use bangiao_auth::policy::{self, Action, Facts};
use bangiao_projections::query::inventory::Filter;

use crate::WebState;
use crate::error::PageError;
use crate::session::Viewer;

/// Decides whether the viewer may take `action` on `fonds` (or on nothing in particular);
/// a refusal is kept in the audit log under `page` (e.g. `POST /trang/ban-giao/{id}/ky`).
pub async fn allow(
    web: &WebState,
    viewer: &Viewer,
    action: Action,
    fonds: Option<&str>,
    page: &str,
) -> Result<(), PageError> {
    // The facts the command pipeline judges a command on (a "no" asked again once the read
    // models reach the log's head), so a form is shown to whoever may send it.
    let facts = match fonds {
        Some(code) if action.scoped() => {
            bangiao_server::auth::facts_for_request(&web.app, &viewer.who, action, Some(code))
                .await?
        }
        _ => Facts::default(),
    };
    if let Err(denial) = policy::authorize(&viewer.who, action, facts) {
        bangiao_server::auth::record_denial(
            &web.app,
            &viewer.who,
            page.to_owned(),
            fonds.map(str::to_owned),
            &denial,
        )
        .await;
        return Err(PageError::Denied(denial));
    }
    Ok(())
}

/// Whether the viewer may take `action` on `fonds`, without recording anything: used to show
/// or hide a button (the action itself is decided again by [`allow`]).
pub async fn may(web: &WebState, viewer: &Viewer, action: Action, fonds: &str) -> bool {
    if !action.roles().contains(&viewer.who.role) {
        return false;
    }
    match bangiao_server::auth::facts_for_fonds(&web.app, &viewer.who, fonds).await {
        Ok(facts) => policy::authorize(&viewer.who, action, facts).is_ok(),
        Err(_) => false,
    }
}

/// A filter that hides the restricted titles the viewer is not cleared for, as the API does.
pub async fn cleared_filter(
    web: &WebState,
    viewer: &Viewer,
    filter: Filter,
) -> Result<Filter, PageError> {
    Ok(Filter {
        cleared_fonds: bangiao_server::reads::cleared_for(&web.app, &viewer.who).await?,
        ..filter
    })
}

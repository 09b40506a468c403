//! `/xac-minh/{id}`: the public page a printed document's QR code opens (minutes, a fonds' list). It says, in Vietnamese
//! and English, whether the printout is genuine, checked against the log; no account is needed,
//! and requests are limited per client address. `Accept: application/json` gets the API's JSON
//! (`GET /api/v1/verifications/{id}`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bangiao_server::reads::verification;
use minijinja::context;

use crate::WebState;
use crate::error::{ErrorPage, PageError};
use crate::session::{self, ClientAddr};

/// `GET /xac-minh/{id}`.
pub async fn page(
    State(web): State<WebState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = session::lang_of(&headers);
    if let Err(error) = verification::admit(&web.app, &client) {
        let problem = error.problem();
        let page = ErrorPage {
            status: axum::http::StatusCode::TOO_MANY_REQUESTS,
            code: problem.code.clone(),
            vi: problem.message_vi.clone(),
            en: problem.message_en.clone(),
        };
        let mut response = web.render.error_page(lang, &page);
        if let Some(response_error) = error.into_response().headers().get(header::RETRY_AFTER) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, response_error.clone());
        }
        return Ok(response);
    }
    let verdict = verification::verify(&web.app, &id).await?;
    let status = verdict.status();
    if wants_json(&headers) {
        return Ok((status, axum::Json(verdict)).into_response());
    }
    let mut response = web
        .render
        .anonymous(lang, "verify.html", context! { v => verdict })?;
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Whether the client asked for JSON rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json") && !accept.contains("text/html"))
}

//! Assembles the routes, their OpenAPI description and the middleware.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::commands::{fonds as fc, units as uc};
use crate::openapi::ApiDoc;
use crate::reads::{acts, events, files, fonds, inventory, units};
use crate::state::AppState;
use crate::{health, metrics, openapi};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP application over the given state.
pub fn router(state: AppState) -> Router {
    let (api, spec) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(units::list, uc::register))
        .routes(routes!(units::get))
        .routes(routes!(units::lineage))
        .routes(routes!(inventory::unit_inventory))
        .routes(routes!(uc::end))
        .routes(routes!(uc::merge))
        .routes(routes!(uc::split))
        .routes(routes!(fonds::list, fc::open))
        .routes(routes!(fonds::get))
        .routes(routes!(fonds::history))
        .routes(routes!(inventory::fonds_inventory))
        .routes(routes!(inventory::fonds_files, fc::record_file))
        .routes(routes!(fc::record_creator_history))
        .routes(routes!(fc::close))
        .routes(routes!(fc::correct_file))
        .routes(routes!(fc::appraise_retention))
        .routes(routes!(fc::digitise_file))
        .routes(routes!(fc::declassify_file))
        .routes(routes!(fc::mark_missing))
        .routes(routes!(fc::mark_damaged))
        .routes(routes!(fc::mark_found))
        .routes(routes!(fc::flag_unfinished))
        .routes(routes!(fc::draft_handover))
        .routes(routes!(fc::sign_handover))
        .routes(routes!(fc::receive_handover))
        .routes(routes!(fc::cancel_handover))
        .routes(routes!(fc::register_transfer))
        .routes(routes!(fc::appraise_transfer))
        .routes(routes!(fc::accept_transfer))
        .routes(routes!(fc::propose_destruction))
        .routes(routes!(fc::approve_destruction))
        .routes(routes!(fc::execute_destruction))
        .routes(routes!(fc::cancel_destruction))
        .routes(routes!(fc::place_hold))
        .routes(routes!(fc::lift_hold))
        .routes(routes!(crate::commands::imports::import))
        .routes(routes!(crate::commands::sip::ingest))
        .routes(routes!(crate::copies::upload))
        .routes(routes!(crate::copies::attach_copy))
        .routes(routes!(crate::copies::record_document))
        .routes(routes!(crate::copies::list))
        .routes(routes!(crate::copies::content))
        .routes(routes!(files::custody))
        .routes(routes!(files::history))
        .routes(routes!(acts::handovers))
        .routes(routes!(acts::handover))
        .routes(routes!(acts::batches))
        .routes(routes!(acts::transfers))
        .routes(routes!(acts::transfer))
        .routes(routes!(crate::reads::packages::sip))
        .routes(routes!(crate::reads::packages::aip))
        .routes(routes!(acts::destructions))
        .routes(routes!(acts::deadlines))
        .routes(routes!(events::list))
        .routes(routes!(crate::reads::feed::sse))
        .routes(routes!(crate::reads::audit::denials))
        .routes(routes!(crate::reads::audit::tokens))
        .routes(routes!(crate::reads::verification::verification))
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .split_for_parts();
    let mut spec = spec;
    openapi::document_problems(&mut spec);
    let methods = Arc::new(crate::methods::Methods::of(&spec).with_get(&[
        "/metrics",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ]));
    let spec = Arc::new(spec);
    let docs = Router::new()
        .route("/api/v1/openapi.json", get(openapi::spec))
        .route("/api/v1/docs", get(openapi::page))
        .with_state(spec);
    let config = state.config.clone();
    let app = Router::new()
        .merge(api)
        .route("/metrics", get(metrics::metrics))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::admission::admit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
        .merge(docs)
        // Before authentication: which methods a route answers is public (the API description).
        .layer(axum::middleware::from_fn_with_state(
            methods,
            crate::methods::refuse_other_methods,
        ));
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            // Refusals under load (503) are expected answers, not failures of the service.
            .layer(TraceLayer::new_for_http().on_failure(DefaultOnFailure::new().level(tracing::Level::WARN)).make_span_with(|request: &Request<_>| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY")))
            .layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static("referrer-policy"), HeaderValue::from_static("no-referrer")))
            .layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static("content-security-policy"),
                HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"),
            ))
            .layer(axum::middleware::from_fn_with_state(config.request_timeout, limit_time))
            .layer(DefaultBodyLimit::max(config.max_body_bytes)),
    )
}

/// Answers 503 (with no body, as a timeout always did) to a request not answered within
/// `timeout`, but an upload of a digital copy: its body streams to disk for as long as it takes,
/// bounded by `max_upload_bytes` rather than by time (2 GiB at 100 Mbit/s is three minutes).
async fn limit_time(
    axum::extract::State(timeout): axum::extract::State<Duration>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let upload =
        request.method() == axum::http::Method::POST && request.uri().path().ends_with("/blobs");
    if upload {
        return next.run(request).await;
    }
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            axum::response::IntoResponse::into_response(axum::http::StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// Unknown paths answer a problem too.
async fn not_found(uri: axum::http::Uri) -> crate::error::ApiError {
    crate::error::ApiError::not_found("đường dẫn", "route", uri.path())
}

/// Keeps the read models following the log for the life of the service; retries after errors.
pub async fn run_projections(state: AppState) {
    loop {
        match state.read.catch_up(&state.store).await {
            Ok(_) => {
                state.mark_caught_up();
                if let Err(error) = state.read.follow(&state.store).await {
                    tracing::error!(%error, "projection stopped; retrying");
                }
            }
            Err(error) => tracing::error!(%error, "projection catch-up failed; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

//! Prometheus metrics: requests by route and status, their latency, and how far the log and the
//! read models have come.

use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use bangiao_projections::query::copies::{self, FixityRunRow};

use crate::state::AppState;

/// Labels of one request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// HTTP method.
    pub method: String,
    /// The route pattern (not the raw path, so ids do not explode the series).
    pub route: String,
    /// Response status.
    pub status: u16,
}

/// Labels of one route.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route pattern.
    pub route: String,
}

/// Labels of a count of digital copies.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CopyLabels {
    /// current, replaced or deleted.
    pub status: String,
}

/// What the read models say of the digital copies and the last fixity run.
#[derive(Debug, Clone, Default)]
pub struct CopyFigures {
    /// Copies by status.
    pub counts: bangiao_projections::query::copies::CopyCounts,
    /// The last fixity run, if any.
    pub last_run: Option<bangiao_projections::query::copies::FixityRunRow>,
}

/// The service's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    log_head: Gauge<u64, AtomicU64>,
    projected: Gauge<u64, AtomicU64>,
    copies: Family<CopyLabels, Gauge<u64, AtomicU64>>,
    copy_bytes: Gauge<u64, AtomicU64>,
    fixity: Family<CopyLabels, Gauge<u64, AtomicU64>>,
    fixity_bytes: Gauge<u64, AtomicU64>,
    fixity_time: Gauge<u64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("bangiao");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by route",
            latency.clone(),
        );
        let log_head = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "event_log_position",
            "Global position of the last event in the log",
            log_head.clone(),
        );
        let projected = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "projection_position",
            "Global position of the last event in the read models",
            projected.clone(),
        );
        let copies = Family::<CopyLabels, Gauge<u64, AtomicU64>>::default();
        registry.register(
            "copies",
            "Digital copies of files by status (current, replaced, deleted)",
            copies.clone(),
        );
        let copy_bytes = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "copy_bytes",
            "Bytes of the digital copies kept (current and replaced)",
            copy_bytes.clone(),
        );
        let fixity = Family::<CopyLabels, Gauge<u64, AtomicU64>>::default();
        registry.register(
            "fixity_last_run_copies",
            "Copies the last fixity run checked, by verdict (intact, missing, altered)",
            fixity.clone(),
        );
        let fixity_bytes = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "fixity_last_run_bytes",
            "Bytes the last fixity run read",
            fixity_bytes.clone(),
        );
        let fixity_time = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "fixity_last_run_timestamp_seconds",
            "When the last fixity run ended (Unix time; 0 before any run)",
            fixity_time.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            log_head,
            projected,
            copies,
            copy_bytes,
            fixity,
            fixity_bytes,
            fixity_time,
        }
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self, log_head: u64, projected: u64, figures: &CopyFigures) -> String {
        self.log_head.set(log_head);
        self.projected.set(projected);
        let counts = &figures.counts;
        for (status, n) in [
            ("current", counts.current),
            ("replaced", counts.replaced),
            ("deleted", counts.deleted),
        ] {
            self.copies
                .get_or_create(&CopyLabels {
                    status: status.to_owned(),
                })
                .set(n);
        }
        self.copy_bytes.set(counts.kept_bytes);
        let run = figures.last_run.clone().unwrap_or_else(|| FixityRunRow {
            run_id: String::new(),
            started_at: String::new(),
            finished_at: String::new(),
            sample_percent: 0,
            checked: 0,
            bytes: 0,
            intact: 0,
            missing: 0,
            altered: 0,
        });
        for (status, n) in [
            ("intact", run.intact),
            ("missing", run.missing),
            ("altered", run.altered),
        ] {
            self.fixity
                .get_or_create(&CopyLabels {
                    status: status.to_owned(),
                })
                .set(n);
        }
        self.fixity_bytes.set(run.bytes);
        let ended = chrono::DateTime::parse_from_rfc3339(&run.finished_at)
            .map_or(0, |t| t.timestamp().max(0) as u64);
        self.fixity_time.set(ended);
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(%e, "cannot encode metrics");
        }
        out
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }
}

/// Middleware counting and timing every request by its route pattern.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let figures = state
        .read
        .readers()
        .with_blocking(|c| {
            Ok::<_, bangiao_projections::ProjectionError>(CopyFigures {
                counts: copies::counts(c)?,
                last_run: copies::last_run(c)?,
            })
        })
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "copy figures unavailable for the metrics");
            CopyFigures::default()
        });
    let body = state
        .metrics
        .render(state.store.head_position(), state.read.position(), &figures);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
}

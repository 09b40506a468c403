//! What every handler shares.

use std::sync::Arc;

use bangiao_content::Blobs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bangiao_app::Service;
use bangiao_app::pipeline::Pipeline;
use bangiao_projections::ReadModel;
use bangiao_store::EventStore;

use crate::admission::WritePermits;
use crate::auth::Guard;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::reads::verification::CheckpointSource;

/// Verifications of printed documents one client address may ask for per minute.
pub const VERIFICATIONS_PER_MINUTE: u32 = 30;

/// The event store the service runs on, chosen at start-up.
pub type Store = Arc<dyn EventStore>;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Longest a read waits for the read models to reach a `wait_for` position.
    pub max_read_wait: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Most commands in flight at once; more are answered 503 with `Retry-After`.
    pub max_pending_writes: usize,
    /// Largest digital copy accepted by an upload, in bytes (uploads stream to disk and are
    /// not bound by `max_body_bytes`).
    pub max_upload_bytes: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_read_wait: Duration::from_secs(5),
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            max_pending_writes: 1024,
            max_upload_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// Shared by every handler: the service for commands, the read models for queries.
#[derive(Clone)]
pub struct AppState {
    /// Commands.
    pub service: Arc<Service<Store>>,
    /// Queries.
    pub read: ReadModel,
    /// The log itself (positions, the event feed).
    pub store: Store,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// HTTP settings.
    pub config: Arc<HttpConfig>,
    /// Authentication settings and failure counters.
    pub guard: Arc<Guard>,
    /// Admission of commands (backpressure): the permits the command pipeline admits under.
    pub write_permits: WritePermits,
    /// The one command pipeline of every door (admit, authorise, envelope, execute, audit).
    pub commands: Pipeline<Store>,
    /// The blob store of the files' digital copies; none until [`AppState::with_blobs`] (every
    /// copy route then answers 503 `blobs_unavailable`).
    pub blobs: Option<Blobs>,
    /// The per-address limit of the public verification page.
    pub verify_limiter: Arc<RateLimiter>,
    /// The signed checkpoints the verification page cites, when configured.
    pub checkpoints: Option<Arc<CheckpointSource>>,
    caught_up: Arc<AtomicBool>,
}

impl AppState {
    /// State over a store and a read model.
    pub fn new(store: Store, read: ReadModel, config: HttpConfig) -> Self {
        let service = Arc::new(Service::new(store.clone()));
        let write_permits = WritePermits::new(config.max_pending_writes);
        Self {
            commands: Pipeline::new(service.clone(), write_permits.clone()),
            service,
            read,
            store,
            metrics: Arc::new(Metrics::new()),
            write_permits,
            config: Arc::new(config),
            guard: Arc::new(Guard::default()),
            blobs: None,
            verify_limiter: Arc::new(RateLimiter::new(
                VERIFICATIONS_PER_MINUTE,
                Duration::from_secs(60),
            )),
            checkpoints: None,
            caught_up: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same state, keeping digital copies in `blobs`.
    pub fn with_blobs(mut self, blobs: Blobs) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// The blob store, or 503 `blobs_unavailable` when the service runs without one.
    pub fn blobs(&self) -> Result<&Blobs, crate::error::ApiError> {
        self.blobs.as_ref().ok_or_else(|| {
            crate::error::ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "blobs_unavailable",
                "Dịch vụ chạy không có kho lưu bản số hóa (--blobs).",
                "The service runs without a blob store for digital copies (--blobs).",
            )
        })
    }

    /// The same state, also accepting JWTs checked by `jwt`.
    pub fn with_jwt(mut self, jwt: bangiao_auth::jwt::JwtVerifier) -> Self {
        self.guard = Arc::new(Guard::new(Some(jwt)));
        self
    }

    /// The same state, with `limit` verifications per client address per `window`.
    pub fn with_verification_limit(mut self, limit: u32, window: Duration) -> Self {
        self.verify_limiter = Arc::new(RateLimiter::new(limit, window));
        self
    }

    /// The same state, citing the signed checkpoints of `source` on the verification page.
    pub fn with_checkpoints(mut self, source: CheckpointSource) -> Self {
        self.checkpoints = Some(Arc::new(source));
        self
    }

    /// Records that the read models have caught up with the log once since start-up.
    pub fn mark_caught_up(&self) {
        self.caught_up.store(true, Ordering::Release);
    }

    /// Whether the read models have caught up with the log once since start-up.
    pub fn caught_up_once(&self) -> bool {
        self.caught_up.load(Ordering::Acquire)
    }
}

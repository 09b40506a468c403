//! The clustered backend: KurrentDB (formerly EventStoreDB) through the official `kurrentdb`
//! crate. Our stream names (optionally under a namespace), our expected states, our event ids
//! (so the server's duplicate detection makes retries idempotent), our metadata in the event's
//! custom metadata ([`mapping`]).
//!
//! KurrentDB holds the events; each replica keeps a local [`index`] that gives every event of
//! ours in `$all` our gapless global position and its chain hash, identical on every replica.
//! A background follower keeps the index up to date from a catch-up subscription to `$all`
//! ([`subscribe`]); appends and command look-ups first read `$all` to its end, so a command
//! retried through another replica is still recognised.

pub mod config;
pub mod fake;
pub mod grpc;
pub mod index;
pub mod mapping;
pub mod subscribe;
pub mod transport;

mod append;
mod read;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;
use uuid::Uuid;

use self::index::{Index, Tail};
use self::mapping::{Context, Names, decode_event, map_error};
use self::transport::{RawEvent, Transport};
use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, RecordedEvent};
use crate::store::{EventStore, EventStream, follow};

pub use config::{
    DEFAULT_STREAM_PREFIXES, IndexLocation, KurrentConfig, RetryPolicy, is_connection_string,
    redact,
};

/// Events read from `$all` per request while indexing.
const SYNC_PAGE: usize = 1024;

pub(crate) struct Inner {
    transport: Arc<dyn Transport>,
    names: Names,
    prefixes: Vec<String>,
    index: Arc<Mutex<Index>>,
    syncing: tokio::sync::Mutex<()>,
    head: watch::Sender<u64>,
    retry: RetryPolicy,
    visible_timeout: Duration,
    follower: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = self
            .follower
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            task.abort();
        }
    }
}

/// The KurrentDB event store; clones share one connection, index and follower.
#[derive(Clone)]
pub struct KurrentStore {
    inner: Arc<Inner>,
}

impl KurrentStore {
    /// Connects to the cluster named by `config.connection`, brings the index up to date and
    /// starts following `$all`.
    pub async fn connect(config: KurrentConfig) -> Result<Self, StoreError> {
        let settings = config.settings()?;
        let transport =
            grpc::GrpcTransport::new(settings).map_err(|e| map_error(&e, Context::ALL))?;
        Self::with_transport(Arc::new(transport), config).await
    }

    /// The same backend over any transport (the in-memory [`fake::FakeCluster`] in tests).
    pub async fn with_transport(
        transport: Arc<dyn Transport>,
        config: KurrentConfig,
    ) -> Result<Self, StoreError> {
        let names = Names::new(&config.namespace, &config.stream_prefixes)?;
        let location = config.index.clone();
        let identity = names.identity();
        let index = tokio::task::spawn_blocking(move || Index::open(&location, &identity))
            .await
            .map_err(|e| StoreError::Backend(format!("index task failed: {e}")))??;
        let store = Self {
            inner: Arc::new(Inner {
                transport,
                prefixes: names.filter_prefixes(),
                names,
                index: Arc::new(Mutex::new(index)),
                syncing: tokio::sync::Mutex::new(()),
                head: watch::channel(0).0,
                retry: config.retry,
                visible_timeout: config.visible_timeout,
                follower: Mutex::new(None),
            }),
        };
        store.check_index().await?;
        store.sync().await?;
        let task = tokio::spawn(subscribe::follow_all(Arc::downgrade(&store.inner)));
        *store
            .inner
            .follower
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(task);
        Ok(store)
    }

    /// Empties the index when its last event is no longer where the cluster has it (the
    /// cluster was restored from an older backup, or replaced).
    async fn check_index(&self) -> Result<(), StoreError> {
        let tail = self.tail();
        self.inner.head.send_replace(tail.position);
        if tail.position == 0 {
            return Ok(());
        }
        match self.read_all(tail.position, 1).await {
            Ok(events) if events.len() == 1 => Ok(()),
            Ok(_) | Err(StoreError::Corrupt { .. }) => {
                tracing::warn!(
                    indexed = tail.position,
                    "the cluster no longer holds the indexed events: rebuilding the position index"
                );
                self.with_index(|ix| ix.reset()).await?;
                self.inner.head.send_replace(0);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The last indexed event.
    pub(crate) fn tail(&self) -> Tail {
        self.inner
            .index
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .tail()
    }

    /// Runs `f` on the index on a blocking thread.
    pub(crate) async fn with_index<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Index) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let index = self.inner.index.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = index.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("index task failed: {e}")))?
    }

    /// Runs a KurrentDB operation, retrying transient failures with backoff (bounded).
    pub(crate) async fn retrying<T, Fut>(
        &self,
        cx: Context<'_>,
        mut op: impl FnMut() -> Fut,
    ) -> Result<T, StoreError>
    where
        Fut: Future<Output = Result<T, kurrentdb::Error>>,
    {
        let mut attempt = 1;
        loop {
            match op().await {
                Ok(value) => return Ok(value),
                Err(e) => {
                    let mapped = map_error(&e, cx);
                    match self
                        .inner
                        .retry
                        .delay_after(attempt)
                        .filter(|_| mapped.is_transient())
                    {
                        Some(delay) => {
                            tracing::warn!(error = %mapped, attempt, "KurrentDB: retrying");
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                        }
                        None => return Err(mapped),
                    }
                }
            }
        }
    }

    /// Reads `$all` past the index tail to its end and indexes what it finds; returns the head.
    pub(crate) async fn sync(&self) -> Result<u64, StoreError> {
        let _one_at_a_time = self.inner.syncing.lock().await;
        loop {
            let tail = self.tail();
            let transport = self.inner.transport.clone();
            let prefixes = &self.inner.prefixes;
            let page = self
                .retrying(Context::ALL, || {
                    transport.read_all(tail.last, prefixes, SYNC_PAGE)
                })
                .await?;
            let full = page.len() >= SYNC_PAGE;
            let added = self.index_events(page).await?;
            if !full || added == 0 {
                return Ok(self.tail().position);
            }
        }
    }

    /// Indexes events read from `$all` in order and publishes the new head; returns how many
    /// were new. Callers hold `syncing`, so that no two readers interleave their pages.
    pub(crate) async fn index_events(&self, raw: Vec<RawEvent>) -> Result<usize, StoreError> {
        let names = self.inner.names.clone();
        let added = self
            .with_index(move |ix| {
                let tail = ix.tail();
                let mut decoded = Vec::with_capacity(raw.len());
                for event in &raw {
                    if tail.last.is_some_and(|last| event.position <= last) {
                        continue;
                    }
                    let position = tail.position + 1 + decoded.len() as u64;
                    decoded.push(
                        decode_event(&names, event).map_err(|e| StoreError::Corrupt {
                            position,
                            reason: e.to_string(),
                        })?,
                    );
                }
                ix.apply(&decoded)
            })
            .await?;
        let position = self.tail().position;
        self.inner.head.send_if_modified(|head| {
            let grew = *head < position;
            *head = (*head).max(position);
            grew
        });
        Ok(added)
    }
}

#[async_trait]
impl EventStore for KurrentStore {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        self.append_events(request).await
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_one_stream(stream, from_revision, max).await
    }

    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_global(from_position, max).await
    }

    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        self.last_revision(stream).await
    }

    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        self.sync().await?;
        Ok(self
            .with_index(move |ix| ix.command(command_id))
            .await?
            .map(|(_, result)| result))
    }

    fn head_position(&self) -> u64 {
        *self.inner.head.borrow()
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.head.subscribe()
    }

    fn subscribe_all(&self, from_position: u64) -> EventStream {
        follow(self.clone(), from_position)
    }
}

#[cfg(test)]
mod tests;

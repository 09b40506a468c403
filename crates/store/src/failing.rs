//! A store that stops accepting appends after a given number, as a process that dies half-way
//! through a multi-append act would: for tests of resumable acts (mergers, batch imports).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, RecordedEvent};
use crate::memory::MemoryStore;
use crate::store::{EventStore, EventStream};

/// Wraps a [`MemoryStore`]; every append after the first `allowed` fails as unavailable.
#[derive(Clone)]
pub struct FailAfter {
    inner: MemoryStore,
    allowed: Arc<AtomicUsize>,
}

impl FailAfter {
    /// A store over `inner` that accepts `allowed` more appends.
    pub fn new(inner: MemoryStore, allowed: usize) -> Self {
        Self {
            inner,
            allowed: Arc::new(AtomicUsize::new(allowed)),
        }
    }

    /// Sets how many more appends are accepted.
    pub fn allow(&self, appends: usize) {
        self.allowed.store(appends, Ordering::SeqCst);
    }
}

#[async_trait]
impl EventStore for FailAfter {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        if self
            .allowed
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
        {
            return Err(StoreError::Unavailable("the process died".into()));
        }
        self.inner.append(request).await
    }
    async fn read_stream(
        &self,
        stream: &str,
        from: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_stream(stream, from, max).await
    }
    async fn read_all(&self, from: u64, max: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_all(from, max).await
    }
    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        self.inner.stream_revision(stream).await
    }
    async fn find_command(&self, id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        self.inner.find_command(id).await
    }
    fn head_position(&self) -> u64 {
        self.inner.head_position()
    }
    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.watch_head()
    }
    fn subscribe_all(&self, from: u64) -> EventStream {
        self.inner.subscribe_all(from)
    }
}

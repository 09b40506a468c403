//! The PostgreSQL backend: the same guarantees as the embedded store on a server that a
//! provincial IT centre already runs, with a synchronous standby to take over.
//!
//! - One writer task per process commits queued appends together (group commit), under a
//!   transaction-level advisory lock, numbering events from the tail it reads under that lock:
//!   positions are gapless and in commit order, across processes too ([`writer`]).
//! - Uniqueness of (stream, revision), event ids and command ids is enforced by constraints;
//!   expected states, idempotency and the SHA-256 chain are decided exactly as in SQLite, so
//!   `migrate` between backends keeps every id and hash.
//! - Readers share a few pipelined connections ([`read`]); the head follows every process's
//!   commits through LISTEN/NOTIFY, read back from the table ([`listen`]).
//! - Lost connections and a primary that moved are retried with backoff, then reported as
//!   `Unavailable`; a standby's refusal as `ReadOnly`.

pub mod config;
mod error;
mod listen;
mod read;
mod schema;
#[cfg(feature = "test-support")]
pub mod test_cluster;
mod writer;

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, RecordedEvent};
use crate::store::{EventStore, EventStream, follow};

pub use config::{PostgresConfig, is_connection_string};
pub use schema::SCHEMA_VERSION;

struct Inner {
    queue: mpsc::Sender<writer::Job>,
    readers: read::Readers,
    head: Arc<watch::Sender<u64>>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

/// The PostgreSQL event store; clones share one writer, the readers and the head.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

impl PostgresStore {
    /// Connects (retrying while the server is unreachable), brings the schema up to date, and
    /// starts the writer and the head listener. Must run inside a Tokio runtime.
    pub async fn connect(config: PostgresConfig) -> Result<Self, StoreError> {
        let connector = config.connector()?;
        let head_now = read::retrying(&config.retry, "open", || async {
            let mut client = read::connect(&connector).await?;
            schema::migrate(&mut client).await?;
            let row = client
                .query_one("SELECT COALESCE(max(position), 0) FROM bangiao_events", &[])
                .await
                .map_err(|e| error::map_error(&e))?;
            read::column::<i64>(&row, 0)
        })
        .await?;
        let head = Arc::new(watch::channel(head_now as u64).0);
        let (queue, jobs) = mpsc::channel(config.queue_capacity.max(1));
        let writer = writer::Writer::new(
            connector.clone(),
            head.clone(),
            config.max_batch,
            config.retry,
        );
        tokio::spawn(writer.run(jobs));
        let listener = tokio::spawn(listen::follow_head(
            connector.clone(),
            head.clone(),
            config.poll_every,
        ));
        Ok(Self {
            inner: Arc::new(Inner {
                queue,
                readers: read::Readers::new(connector, config.readers, config.retry),
                head,
                listener,
            }),
        })
    }
}

#[async_trait]
impl EventStore for PostgresStore {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        let (reply, outcome) = oneshot::channel();
        self.inner
            .queue
            .try_send(writer::Job { request, reply })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => StoreError::Busy,
                mpsc::error::TrySendError::Closed(_) => {
                    StoreError::Unavailable("the writer stopped".into())
                }
            })?;
        outcome
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let from = i64::try_from(from_revision).unwrap_or(i64::MAX);
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        self.inner.readers.read_stream(stream, from, max).await
    }

    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let from = i64::try_from(from_position).unwrap_or(i64::MAX);
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        let events = self.inner.readers.read_all(from, max).await?;
        // What a reader saw is committed: the head is at least there (another process's commit
        // may be read before its notification arrives).
        if let Some(last) = events.last() {
            listen::raise(&self.inner.head, last.position);
        }
        Ok(events)
    }

    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        self.inner.readers.stream_revision(stream).await
    }

    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        self.inner.readers.find_command(command_id).await
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

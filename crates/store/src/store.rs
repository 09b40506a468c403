//! The `EventStore` trait every backend implements, modelled on KurrentDB's semantics.

use std::time::Duration;

use async_trait::async_trait;
use futures::stream::BoxStream;
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, RecordedEvent};

/// A live stream of events from the global log: catch-up first, then new events as they commit.
pub type EventStream = BoxStream<'static, Result<RecordedEvent, StoreError>>;

/// How many events a subscription reads per page while catching up.
const SUBSCRIPTION_PAGE: usize = 512;

/// An append-only log of events in named streams, with one global order.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Appends events to one stream if it is in the expected state; all or nothing.
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError>;

    /// Reads up to `max` events of a stream, forward from a revision (inclusive).
    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Reads up to `max` events of the global log, forward from a position (inclusive).
    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The last revision of a stream, or None when it does not exist.
    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError>;

    /// The result of the append a command id produced, if it was applied.
    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError>;

    /// The position of the last committed event (0 when the log is empty).
    fn head_position(&self) -> u64;

    /// Watches the position of the last committed event.
    fn watch_head(&self) -> watch::Receiver<u64>;

    /// Follows the global log from a position: catch-up, then live.
    fn subscribe_all(&self, from_position: u64) -> EventStream;
}

/// Subscribes to any store that can be cloned cheaply, by reading pages and waiting on its head.
pub fn follow<S: EventStore + Clone>(store: S, from_position: u64) -> EventStream {
    let from = from_position.max(1);
    let head = store.watch_head();
    let state = (store, head, from, std::collections::VecDeque::new());
    Box::pin(futures::stream::unfold(
        state,
        |(store, mut head, mut next, mut buffer)| async move {
            loop {
                if let Some(event) = buffer.pop_front() {
                    return Some((Ok(event), (store, head, next, buffer)));
                }
                // Mark the head as seen before reading, so a commit that lands after the read
                // still wakes us: no lost wake-ups.
                let known_head = *head.borrow_and_update();
                if known_head < next {
                    if head.changed().await.is_err() {
                        return None;
                    }
                    continue;
                }
                match store.read_all(next, SUBSCRIPTION_PAGE).await {
                    Ok(page) => {
                        if let Some(last) = page.last() {
                            next = last.position + 1;
                        }
                        buffer.extend(page);
                    }
                    Err(e) => return Some((Err(e), (store, head, next, buffer))),
                }
            }
        },
    ))
}

/// Waits until the store's head reaches `position`, or the timeout passes; returns the head.
pub async fn wait_for_position<S: EventStore + ?Sized>(
    store: &S,
    position: u64,
    timeout: Duration,
) -> u64 {
    let mut head = store.watch_head();
    let wait = async {
        loop {
            let current = *head.borrow_and_update();
            if current >= position || head.changed().await.is_err() {
                return current;
            }
        }
    };
    tokio::time::timeout(timeout, wait)
        .await
        .unwrap_or_else(|_| store.head_position())
}

/// Derives the id of the `index`-th event of a command, so a retried command writes the same ids.
///
/// The result is a valid UUIDv7: the command id's timestamp, the rest from SHA-256 of the inputs.
pub fn derived_event_id(command_id: Uuid, stream: &str, index: u32) -> Uuid {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(command_id.as_bytes());
    h.update((stream.len() as u64).to_be_bytes());
    h.update(stream.as_bytes());
    h.update(index.to_be_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&command_id.as_bytes()[..6]);
    bytes[6..].copy_from_slice(&digest[..10]);
    bytes[6] = (bytes[6] & 0x0f) | 0x70;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

/// A shared store is a store: lets the service pick its backend at run time (`Arc<dyn EventStore>`).
#[async_trait]
impl<T: EventStore + ?Sized> EventStore for std::sync::Arc<T> {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        (**self).append(request).await
    }
    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        (**self).read_stream(stream, from_revision, max).await
    }
    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        (**self).read_all(from_position, max).await
    }
    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        (**self).stream_revision(stream).await
    }
    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        (**self).find_command(command_id).await
    }
    fn head_position(&self) -> u64 {
        (**self).head_position()
    }
    fn watch_head(&self) -> watch::Receiver<u64> {
        (**self).watch_head()
    }
    fn subscribe_all(&self, from_position: u64) -> EventStream {
        (**self).subscribe_all(from_position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_v7_and_distinct() {
        let command = Uuid::now_v7();
        let a = derived_event_id(command, "fonds-1", 0);
        assert_eq!(a, derived_event_id(command, "fonds-1", 0));
        assert_ne!(a, derived_event_id(command, "fonds-1", 1));
        assert_ne!(a, derived_event_id(command, "fonds-2", 0));
        assert_eq!(a.get_version_num(), 7);
        assert_eq!(a.as_bytes()[..6], command.as_bytes()[..6]);
    }
}

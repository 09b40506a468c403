//! An in-memory backend for unit tests: the same semantics as SQLite, nothing durable.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, GENESIS_HASH, Hash, RecordedEvent};
use crate::hash::{HashInput, chain_hash};
use crate::store::{EventStore, EventStream, follow};
use crate::validate::validate_request;

#[derive(Default)]
struct Log {
    events: Vec<RecordedEvent>,
    streams: HashMap<String, Vec<usize>>,
    event_ids: HashMap<Uuid, usize>,
    commands: HashMap<Uuid, (String, AppendResult)>,
}

impl Log {
    fn last_hash(&self) -> Hash {
        self.events.last().map_or(GENESIS_HASH, |e| e.hash)
    }

    fn revision(&self, stream: &str) -> Option<u64> {
        self.streams.get(stream).map(|idx| idx.len() as u64 - 1)
    }

    /// The earlier result when these exact event ids were already appended to this stream.
    fn replayed_append(&self, request: &AppendRequest) -> Result<Option<AppendResult>, StoreError> {
        let first = &request.events[0];
        let Some(&index) = self.event_ids.get(&first.event_id) else {
            return Ok(None);
        };
        let start = &self.events[index];
        let same_place = start.stream == request.stream
            && request.events.iter().enumerate().all(|(i, e)| {
                self.events.get(index + i).is_some_and(|stored| {
                    stored.event_id == e.event_id && stored.stream == request.stream
                })
            });
        if !same_place {
            return Err(StoreError::DuplicateEventId {
                event_id: first.event_id,
            });
        }
        let last = &self.events[index + request.events.len() - 1];
        Ok(Some(AppendResult {
            next_expected_revision: last.revision,
            first_position: start.position,
            position: last.position,
        }))
    }
}

/// Events kept in memory; clones share the same log.
#[derive(Clone)]
pub struct MemoryStore {
    log: Arc<Mutex<Log>>,
    head: Arc<watch::Sender<u64>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            log: Arc::default(),
            head: Arc::new(watch::channel(0).0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Log> {
        // A panic while holding the lock leaves the log as it was before that append:
        // every mutation below happens after all checks passed.
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn append_locked(log: &mut Log, request: AppendRequest) -> Result<AppendResult, StoreError> {
        if let Some(command_id) = request.command_id
            && let Some((stream, result)) = log.commands.get(&command_id)
        {
            if *stream != request.stream {
                return Err(StoreError::CommandIdReused {
                    command_id,
                    stream: stream.clone(),
                });
            }
            return Ok(*result);
        }
        if let Some(result) = log.replayed_append(&request)? {
            return Ok(result);
        }
        let current = log.revision(&request.stream);
        if !request.expected.accepts(current) {
            return Err(StoreError::WrongExpectedVersion {
                stream: request.stream,
                expected: request.expected,
                current,
            });
        }
        if let Some(dup) = request
            .events
            .iter()
            .find(|e| log.event_ids.contains_key(&e.event_id))
        {
            return Err(StoreError::DuplicateEventId {
                event_id: dup.event_id,
            });
        }
        let first_position = log.events.len() as u64 + 1;
        let mut revision = current.map_or(0, |r| r + 1);
        let mut prev = log.last_hash();
        for event in request.events {
            let mut recorded = RecordedEvent {
                position: log.events.len() as u64 + 1,
                stream: request.stream.clone(),
                revision,
                event_id: event.event_id,
                event_type: event.event_type,
                schema_version: event.schema_version,
                payload: event.payload,
                metadata: event.metadata,
                hash: GENESIS_HASH,
            };
            recorded.hash = chain_hash(&prev, HashInput::from(&recorded));
            prev = recorded.hash;
            let index = log.events.len();
            log.event_ids.insert(recorded.event_id, index);
            log.streams
                .entry(request.stream.clone())
                .or_default()
                .push(index);
            log.events.push(recorded);
            revision += 1;
        }
        let result = AppendResult {
            next_expected_revision: revision - 1,
            first_position,
            position: log.events.len() as u64,
        };
        if let Some(command_id) = request.command_id {
            log.commands.insert(command_id, (request.stream, result));
        }
        Ok(result)
    }
}

#[async_trait]
impl EventStore for MemoryStore {
    async fn append(&self, request: AppendRequest) -> Result<AppendResult, StoreError> {
        validate_request(&request)?;
        let result = Self::append_locked(&mut self.lock(), request)?;
        self.head.send_if_modified(|head| {
            let grew = *head < result.position;
            *head = (*head).max(result.position);
            grew
        });
        Ok(result)
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let log = self.lock();
        let Some(indices) = log.streams.get(stream) else {
            return Ok(Vec::new());
        };
        let start = usize::try_from(from_revision)
            .unwrap_or(usize::MAX)
            .min(indices.len());
        Ok(indices[start..]
            .iter()
            .take(max)
            .map(|&i| log.events[i].clone())
            .collect())
    }

    async fn read_all(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let log = self.lock();
        let start = usize::try_from(from_position.max(1) - 1)
            .unwrap_or(usize::MAX)
            .min(log.events.len());
        Ok(log.events[start..].iter().take(max).cloned().collect())
    }

    async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.lock().revision(stream))
    }

    async fn find_command(&self, command_id: Uuid) -> Result<Option<AppendResult>, StoreError> {
        Ok(self.lock().commands.get(&command_id).map(|(_, r)| *r))
    }

    fn head_position(&self) -> u64 {
        *self.head.borrow()
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.head.subscribe()
    }

    fn subscribe_all(&self, from_position: u64) -> EventStream {
        follow(self.clone(), from_position)
    }
}

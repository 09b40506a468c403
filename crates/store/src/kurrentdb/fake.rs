//! An in-memory stand-in for a KurrentDB cluster, for tests: the same append rules (expected
//! states, idempotent replays of the same event ids), `$all` positions that grow by the size
//! of each record (increasing, not gapless), prefix filters, catch-up subscriptions with
//! checkpoints, and failures injected on demand (not leader, dropped subscriptions).
//!
//! It lets the whole backend, and the conformance suite, run without a server.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use kurrentdb::{CurrentRevision, Endpoint, Position, StreamState, WriteResult};
use tokio::sync::watch;

use super::transport::{Deliveries, Delivery, RawEvent, RawNewEvent, Transport};

/// Bytes of log every record takes beside its payload and metadata (so positions have gaps).
const RECORD_OVERHEAD: u64 = 137;

#[derive(Default)]
struct Log {
    all: Vec<RawEvent>,
    streams: HashMap<String, Vec<usize>>,
    next_offset: u64,
    append_failures: VecDeque<kurrentdb::Error>,
    lose_answers: u32,
    drop_subscriptions_after: Option<usize>,
    checkpoints_ahead: bool,
}

/// A fake cluster; clones share it.
#[derive(Clone)]
pub struct FakeCluster {
    log: Arc<Mutex<Log>>,
    written: Arc<watch::Sender<usize>>,
}

impl Default for FakeCluster {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeCluster {
    /// An empty cluster whose log starts at a non-zero offset, as a real one does.
    pub fn new() -> Self {
        Self {
            log: Arc::new(Mutex::new(Log {
                next_offset: 4_096,
                ..Log::default()
            })),
            written: Arc::new(watch::channel(0).0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next appends fail with these errors, in order, before anything is written.
    pub fn fail_next_appends(&self, errors: impl IntoIterator<Item = kurrentdb::Error>) {
        self.lock().append_failures.extend(errors);
    }

    /// The next `n` appends are written but answer "not leader", as when the answer is lost.
    pub fn lose_next_answers(&self, n: u32) {
        self.lock().lose_answers = n;
    }

    /// Every subscription ends with a connection error after delivering `n` events.
    pub fn drop_subscriptions_after(&self, n: Option<usize>) {
        self.lock().drop_subscriptions_after = n;
    }

    /// Subscriptions send, after each event, a checkpoint past the end of the log (#4970).
    pub fn send_checkpoints_ahead(&self, yes: bool) {
        self.lock().checkpoints_ahead = yes;
    }

    /// Events in `$all`, of every stream.
    pub fn all_events(&self) -> Vec<RawEvent> {
        self.lock().all.clone()
    }

    /// Writes events to a stream directly (another application, a foreign stream).
    pub fn write_raw(&self, stream: &str, events: Vec<RawNewEvent>) {
        let _ = self.append_now(stream, StreamState::Any, events);
    }

    fn append_now(
        &self,
        stream: &str,
        expected: StreamState,
        events: Vec<RawNewEvent>,
    ) -> Result<WriteResult, kurrentdb::Error> {
        let mut log = self.lock();
        if let Some(error) = log.append_failures.pop_front() {
            return Err(error);
        }
        let indices = log.streams.get(stream).cloned().unwrap_or_default();
        let current = indices.len().checked_sub(1).map(|r| r as u64);
        // KurrentDB's idempotence: the same ids where they would land are a success.
        let start = match expected {
            StreamState::NoStream => Some(0),
            StreamState::StreamRevision(r) => Some(r as usize + 1),
            StreamState::Any | StreamState::StreamExists => indices
                .iter()
                .position(|&i| Some(log.all[i].event_id) == events.first().map(|e| e.event_id)),
        };
        if let Some(start) = start
            && !events.is_empty()
            && events.iter().enumerate().all(|(k, e)| {
                indices
                    .get(start + k)
                    .is_some_and(|&i| log.all[i].event_id == e.event_id)
            })
        {
            let last = &log.all[indices[start + events.len() - 1]];
            return Ok(WriteResult {
                next_expected_version: last.revision,
                position: last.position,
            });
        }
        let accepted = match expected {
            StreamState::Any => true,
            StreamState::NoStream => current.is_none(),
            StreamState::StreamExists => current.is_some(),
            StreamState::StreamRevision(r) => current == Some(r),
        };
        if !accepted {
            return Err(kurrentdb::Error::WrongExpectedVersion {
                expected,
                current: current.map_or(CurrentRevision::NoStream, CurrentRevision::Current),
            });
        }
        let mut revision = current.map_or(0, |r| r + 1);
        let mut position = Position::start();
        for e in events {
            position = Position {
                commit: log.next_offset,
                prepare: log.next_offset,
            };
            log.next_offset +=
                RECORD_OVERHEAD + e.data.len() as u64 + e.custom_metadata.len() as u64;
            let index = log.all.len();
            log.all.push(RawEvent {
                stream: stream.to_owned(),
                revision,
                event_id: e.event_id,
                event_type: e.event_type,
                data: e.data,
                custom_metadata: e.custom_metadata,
                position,
            });
            log.streams
                .entry(stream.to_owned())
                .or_default()
                .push(index);
            revision += 1;
        }
        let count = log.all.len();
        let lose = log.lose_answers > 0;
        log.lose_answers = log.lose_answers.saturating_sub(1);
        drop(log);
        self.written.send_replace(count);
        if lose {
            return Err(kurrentdb::Error::NotLeaderException(Endpoint {
                host: "n2".into(),
                port: 2113,
            }));
        }
        Ok(WriteResult {
            next_expected_version: revision - 1,
            position,
        })
    }

    /// The index in `$all` of the first event at (inclusive) or after (exclusive) `from`.
    fn start_index(log: &Log, from: Option<Position>, inclusive: bool) -> usize {
        match from {
            None => 0,
            Some(p) if inclusive => log.all.partition_point(|e| e.position < p),
            Some(p) => log.all.partition_point(|e| e.position <= p),
        }
    }

    /// Up to `max` events from index `start` whose stream has one of the prefixes, and the
    /// index after the last one looked at.
    fn matching(&self, start: usize, prefixes: &[String], max: usize) -> (Vec<RawEvent>, usize) {
        let log = self.lock();
        let mut out = Vec::new();
        let mut next = start;
        while next < log.all.len() && out.len() < max {
            let e = &log.all[next];
            if prefixes.iter().any(|p| e.stream.starts_with(p.as_str())) {
                out.push(e.clone());
            }
            next += 1;
        }
        (out, next)
    }
}

#[async_trait]
impl Transport for FakeCluster {
    async fn append(
        &self,
        stream: &str,
        expected: StreamState,
        events: Vec<RawNewEvent>,
    ) -> Result<WriteResult, kurrentdb::Error> {
        self.append_now(stream, expected, events)
    }

    async fn read_all(
        &self,
        from: Option<Position>,
        prefixes: &[String],
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error> {
        let start = Self::start_index(&self.lock(), from, true);
        Ok(self.matching(start, prefixes, max).0)
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error> {
        let log = self.lock();
        let indices = log
            .streams
            .get(stream)
            .ok_or(kurrentdb::Error::ResourceNotFound)?;
        Ok(indices
            .iter()
            .skip(usize::try_from(from_revision).unwrap_or(usize::MAX))
            .take(max)
            .map(|&i| log.all[i].clone())
            .collect())
    }

    async fn last_event(&self, stream: &str) -> Result<Option<RawEvent>, kurrentdb::Error> {
        let log = self.lock();
        let indices = log
            .streams
            .get(stream)
            .ok_or(kurrentdb::Error::ResourceNotFound)?;
        Ok(indices.last().map(|&i| log.all[i].clone()))
    }

    fn subscribe_all(&self, from: Option<Position>, prefixes: &[String]) -> Deliveries {
        struct Sub {
            cluster: FakeCluster,
            prefixes: Vec<String>,
            next: usize,
            delivered: usize,
            pending: VecDeque<Delivery>,
            caught_up: bool,
            written: watch::Receiver<usize>,
        }
        let sub = Sub {
            cluster: self.clone(),
            prefixes: prefixes.to_vec(),
            next: Self::start_index(&self.lock(), from, false),
            delivered: 0,
            pending: VecDeque::new(),
            caught_up: false,
            written: self.written.subscribe(),
        };
        Box::pin(futures::stream::unfold(Some(sub), |sub| async move {
            let mut sub = sub?;
            loop {
                if let Some(next) = sub.pending.pop_front() {
                    return Some((Ok(next), Some(sub)));
                }
                let (limit, ahead) = {
                    let log = sub.cluster.lock();
                    (log.drop_subscriptions_after, log.checkpoints_ahead)
                };
                if limit.is_some_and(|n| sub.delivered >= n) {
                    return Some((Err(kurrentdb::Error::ConnectionClosed), None));
                }
                sub.written.borrow_and_update();
                let (fresh, next) = sub.cluster.matching(sub.next, &sub.prefixes, 1);
                sub.next = next;
                if let Some(event) = fresh.into_iter().next() {
                    sub.delivered += 1;
                    if ahead {
                        let end = Position {
                            commit: u64::MAX / 2,
                            prepare: u64::MAX / 2,
                        };
                        sub.pending.push_back(Delivery::Checkpoint(end));
                    }
                    return Some((Ok(Delivery::Event(event)), Some(sub)));
                }
                if !sub.caught_up {
                    sub.caught_up = true;
                    return Some((Ok(Delivery::CaughtUp), Some(sub)));
                }
                if sub.written.changed().await.is_err() {
                    return None;
                }
            }
        }))
    }
}

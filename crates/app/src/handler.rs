// Over 500 lines: one handler; decision cache, retries and append share its state.
//! The command handler: load an aggregate, decide, append with the expected revision; on a
//! conflict, catch up and decide again a bounded number of times.
//!
//! Decision states are cached per stream and caught up from the store before every decision,
//! so a 100,000-file fonds is folded once, not on every command. Commands on one stream are
//! serialised inside this process; across processes the expected revision decides.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bangiao_domain::{Aggregate, DomainError, DomainEvent};
use chrono::NaiveDate;
use uuid::Uuid;

use bangiao_domain::upcast::Upcasters;
use bangiao_store::{
    ActorRef, AppendRequest, AppendResult, EventMetadata, EventStore, ExpectedState, LegalBasisRef,
    NewEvent, StoreError, derived_event_id,
};

/// Events read per page while loading a stream.
const LOAD_PAGE: usize = 4096;

/// Times a command is decided again after losing a race to another writer.
pub const MAX_CONFLICT_RETRIES: u32 = 10;

/// Who issues a command, and the envelope fields its events will carry.
#[derive(Debug, Clone)]
pub struct CommandMeta {
    /// The command id (HTTP `Idempotency-Key`): a retry with the same id appends nothing.
    pub command_id: Uuid,
    /// Who acts.
    pub actor: Option<ActorRef>,
    /// The business date of the act.
    pub effective_on: Option<NaiveDate>,
    /// The legal act behind it.
    pub legal_basis: Option<LegalBasisRef>,
    /// The conversation it belongs to.
    pub correlation_id: Option<Uuid>,
    /// The message that caused it.
    pub causation_id: Option<Uuid>,
    /// The stream revision the caller saw (HTTP `If-Match`); a different one is a conflict.
    pub expected_revision: Option<u64>,
    /// A digest of the request that carried the command (HTTP: method, path and body): a retry
    /// with the same command id must carry the same request, or it is refused rather than
    /// answered with the first command's outcome. Kept in every event's metadata.
    pub request_digest: Option<String>,
}

impl CommandMeta {
    /// A command with this id and no other envelope fields.
    pub fn new(command_id: Uuid) -> Self {
        Self {
            command_id,
            actor: None,
            effective_on: None,
            legal_basis: None,
            correlation_id: None,
            causation_id: None,
            expected_revision: None,
            request_digest: None,
        }
    }

    fn metadata(&self) -> EventMetadata {
        EventMetadata {
            effective_on: self.effective_on,
            recorded_at: chrono::Utc::now(),
            actor: self.actor.clone(),
            command_id: Some(self.command_id),
            correlation_id: self.correlation_id.or(Some(self.command_id)),
            causation_id: self.causation_id,
            legal_basis: self.legal_basis.clone(),
            request_digest: self.request_digest.clone(),
        }
    }
}

/// What an accepted command did.
#[derive(Debug, Clone)]
pub struct Outcome<E> {
    /// The events the command wrote: now, or for a retry, by its first attempt (so a retry
    /// answers as the first attempt did); empty when it changed nothing.
    pub events: Vec<E>,
    /// Where the append landed (for a retry: where the first attempt landed).
    pub result: Option<AppendResult>,
    /// The stream's revision after the command.
    pub revision: Option<u64>,
    /// Whether this was a retry of a command already applied.
    pub replayed: bool,
}

/// Waits a little, twice as long after each lost race (1 ms, 2 ms, … at most 64 ms), with as
/// much jitter again so racing writers spread out: on a loaded machine a linear wait let one
/// writer lose ten races in a row.
async fn backoff(attempt: u32) {
    let base = 1u64 << attempt.min(6);
    let jitter = u64::from(Uuid::now_v7().as_bytes()[15]) % base.max(1);
    tokio::time::sleep(std::time::Duration::from_millis(base + jitter)).await;
}

/// What a command spanning several streams did.
#[derive(Debug, Clone)]
pub struct MultiOutcome<E> {
    /// Streams appended to now: id, where the append landed, and its events.
    pub appended: Vec<(String, AppendResult, Vec<E>)>,
    /// Streams an earlier run of the same command had already written.
    pub replayed: Vec<(String, AppendResult)>,
}

/// The envelope of one stream's share of a multi-stream command: its own derived command id,
/// the original command id kept as the correlation id.
fn stream_command(meta: &CommandMeta, stream: &str) -> CommandMeta {
    let mut own = meta.clone();
    own.command_id = derived_event_id(meta.command_id, stream, u32::MAX);
    own.correlation_id = Some(meta.correlation_id.unwrap_or(meta.command_id));
    own.causation_id = Some(meta.causation_id.unwrap_or(meta.command_id));
    own
}

/// Why a command was not applied.
#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    /// The rules refused it.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The stream is not at the revision the caller saw, or kept changing under us.
    #[error("stream {stream} is at revision {}, not the one expected", current.map_or("none".to_owned(), |r| r.to_string()))]
    Conflict {
        /// The stream.
        stream: String,
        /// Its current revision.
        current: Option<u64>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The command id was already used for another request (another stream, path or body):
    /// answering the first outcome would silently drop this one.
    #[error("command id {command_id} was already used for another request")]
    CommandIdReused {
        /// The command id.
        command_id: Uuid,
    },
    /// A stored event could not be read back.
    #[error("stream {stream} revision {revision}: {reason}")]
    Unreadable {
        /// The stream.
        stream: String,
        /// The event's revision.
        revision: u64,
        /// What went wrong.
        reason: String,
    },
}

/// A decision state and the revision it reflects.
#[derive(Clone)]
struct Loaded<S> {
    state: S,
    revision: Option<u64>,
}

type Slot<S> = Arc<tokio::sync::Mutex<Option<Loaded<S>>>>;

/// Most streams whose state is kept between commands.
const CACHE_LIMIT: usize = 10_000;

/// Most events folded into the kept states together, the measure of their memory: a fonds'
/// state grows with its files, so counting streams alone would let a few large fonds fill the
/// memory of a small server. Past it, the states used least recently are dropped (and folded
/// again from the log when next needed) until three quarters of it remain.
pub const CACHE_WEIGHT_LIMIT: u64 = 1_000_000;

/// A kept state: its slot, the events folded into it, and when it was last used.
struct Entry<S> {
    slot: Slot<S>,
    weight: u64,
    used: u64,
}

/// The kept states of one repository.
struct Cache<S> {
    entries: HashMap<String, Entry<S>>,
    weight: u64,
    tick: u64,
}

impl<S> Default for Cache<S> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
            weight: 0,
            tick: 0,
        }
    }
}

impl<S> Cache<S> {
    /// Drops idle states, least recently used first, until at most `count` states weighing at
    /// most `weight` remain (or none is idle).
    fn shrink(&mut self, count: usize, weight: u64) {
        let mut idle: Vec<(u64, String)> = self
            .entries
            .iter()
            .filter(|(_, e)| Arc::strong_count(&e.slot) == 1)
            .map(|(stream, e)| (e.used, stream.clone()))
            .collect();
        idle.sort_unstable();
        for (_, stream) in idle {
            if self.entries.len() <= count && self.weight <= weight {
                break;
            }
            if let Some(entry) = self.entries.remove(&stream) {
                self.weight -= entry.weight;
            }
        }
    }
}

/// Loads, decides and appends commands of one aggregate type.
pub struct Repository<A: Aggregate, S: EventStore> {
    store: S,
    upcasters: Upcasters,
    cache: Mutex<Cache<A::State>>,
    weight_limit: u64,
}

impl<A: Aggregate, S: EventStore> Repository<A, S> {
    /// A repository over `store`, reading old payloads through `upcasters`.
    pub fn new(store: S, upcasters: Upcasters) -> Self {
        Self::with_weight_limit(store, upcasters, CACHE_WEIGHT_LIMIT)
    }

    /// A repository keeping states of at most `weight_limit` folded events together.
    pub fn with_weight_limit(store: S, upcasters: Upcasters, weight_limit: u64) -> Self {
        Self {
            store,
            upcasters,
            cache: Mutex::new(Cache::default()),
            weight_limit,
        }
    }

    /// How many states are kept, and the events folded into them together.
    pub fn cached(&self) -> (usize, u64) {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        (cache.entries.len(), cache.weight)
    }

    /// The stream name of the aggregate with this id.
    pub fn stream_name(id: &str) -> String {
        format!("{}{}", A::STREAM_PREFIX, id)
    }

    /// The store behind the repository.
    pub fn store(&self) -> &S {
        &self.store
    }

    fn slot(&self, stream: &str) -> Slot<A::State> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.entries.len() >= CACHE_LIMIT && !cache.entries.contains_key(stream) {
            cache.shrink(CACHE_LIMIT * 3 / 4, u64::MAX);
        }
        cache.tick += 1;
        let used = cache.tick;
        let entry = cache
            .entries
            .entry(stream.to_owned())
            .or_insert_with(|| Entry {
                slot: Slot::default(),
                weight: 0,
                used,
            });
        entry.used = used;
        entry.slot.clone()
    }

    /// Puts a state back in its slot and records its weight, dropping other states if the
    /// kept ones now weigh too much.
    fn keep(
        &self,
        stream: &str,
        guard: &mut tokio::sync::MutexGuard<'_, Option<Loaded<A::State>>>,
        loaded: Loaded<A::State>,
    ) {
        let weight = loaded.revision.map_or(0, |r| r + 1);
        **guard = Some(loaded);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let Some(entry) = cache.entries.get_mut(stream) else {
            return;
        };
        let before = std::mem::replace(&mut entry.weight, weight);
        cache.weight = cache.weight - before + weight;
        if cache.weight > self.weight_limit {
            let count = cache.entries.len();
            cache.shrink(count, self.weight_limit / 4 * 3);
        }
    }

    /// The current decision state of an aggregate and its revision.
    pub async fn load(&self, id: &str) -> Result<(A::State, Option<u64>), HandleError> {
        let stream = Self::stream_name(id);
        let slot = self.slot(&stream);
        let mut guard = slot.lock().await;
        let loaded = self.catch_up(&stream, guard.take()).await?;
        let out = (loaded.state.clone(), loaded.revision);
        self.keep(&stream, &mut guard, loaded);
        Ok(out)
    }

    /// Folds the events written since `cached` (or since the start) into the state.
    async fn catch_up(
        &self,
        stream: &str,
        cached: Option<Loaded<A::State>>,
    ) -> Result<Loaded<A::State>, HandleError> {
        self.fold(stream, cached, u64::MAX).await
    }

    /// Folds events after `cached` up to and including revision `until`.
    async fn fold(
        &self,
        stream: &str,
        cached: Option<Loaded<A::State>>,
        until: u64,
    ) -> Result<Loaded<A::State>, HandleError> {
        let mut loaded = cached.unwrap_or(Loaded {
            state: A::State::default(),
            revision: None,
        });
        loop {
            let from = loaded.revision.map_or(0, |r| r + 1);
            if from > until {
                return Ok(loaded);
            }
            let page = self.store.read_stream(stream, from, LOAD_PAGE).await?;
            let done = page.len() < LOAD_PAGE;
            for recorded in page.iter().take_while(|e| e.revision <= until) {
                let event = self.decode(recorded)?;
                A::evolve(&mut loaded.state, &event);
                loaded.revision = Some(recorded.revision);
            }
            if done {
                return Ok(loaded);
            }
        }
    }

    /// Decodes one stored event of this aggregate, upcasting old payloads.
    pub fn decode(&self, recorded: &bangiao_store::RecordedEvent) -> Result<A::Event, HandleError> {
        let unreadable = |reason: String| HandleError::Unreadable {
            stream: recorded.stream.clone(),
            revision: recorded.revision,
            reason,
        };
        bangiao_domain::events::decode(
            &self.upcasters,
            &recorded.event_type,
            recorded.schema_version,
            &recorded.payload,
        )
        .map_err(|e| unreadable(e.to_string()))
    }

    /// Decides the command against the current state and appends its events.
    pub async fn execute(
        &self,
        id: &str,
        command: &A::Command,
        meta: &CommandMeta,
    ) -> Result<Outcome<A::Event>, HandleError> {
        Ok(self.execute_and(id, command, meta, |_| ()).await?.0)
    }

    /// Like [`Self::execute`], and reads `after` off the state once the command's events are
    /// folded in (for what the caller should be warned of); `R::default()` when the command was
    /// a retry or changed nothing.
    pub async fn execute_and<R: Default>(
        &self,
        id: &str,
        command: &A::Command,
        meta: &CommandMeta,
        after: impl FnOnce(&A::State) -> R,
    ) -> Result<(Outcome<A::Event>, R), HandleError> {
        let stream = Self::stream_name(id);
        if let Some(result) = self.store.find_command(meta.command_id).await? {
            let events = self.replayed_events(&stream, &result, meta).await?;
            let outcome = Outcome {
                events,
                result: Some(result),
                revision: Some(result.next_expected_revision),
                replayed: true,
            };
            return Ok((outcome, R::default()));
        }
        let slot = self.slot(&stream);
        let mut guard = slot.lock().await;
        let mut loaded = self.catch_up(&stream, guard.take()).await?;
        let mut attempt = 0;
        let mut after = Some(after);
        let outcome = loop {
            if let Some(expected) = meta.expected_revision
                && loaded.revision != Some(expected)
            {
                self.keep(&stream, &mut guard, loaded.clone());
                return Err(HandleError::Conflict {
                    stream,
                    current: loaded.revision,
                });
            }
            let events = match A::decide(&loaded.state, command) {
                Ok(events) => events,
                Err(e) => {
                    self.keep(&stream, &mut guard, loaded);
                    return Err(e.into());
                }
            };
            if events.is_empty() {
                let outcome = Outcome {
                    events,
                    result: None,
                    revision: loaded.revision,
                    replayed: false,
                };
                break (outcome, R::default());
            }
            let request = self.request(&stream, &loaded, &events, meta);
            match self.store.append(request).await {
                Ok(result) => {
                    for event in &events {
                        A::evolve(&mut loaded.state, event);
                    }
                    loaded.revision = Some(result.next_expected_revision);
                    let outcome = Outcome {
                        events,
                        result: Some(result),
                        revision: loaded.revision,
                        replayed: false,
                    };
                    let read = after.take().map_or_else(R::default, |f| f(&loaded.state));
                    break (outcome, read);
                }
                Err(StoreError::WrongExpectedVersion { current, .. })
                    if attempt < MAX_CONFLICT_RETRIES =>
                {
                    tracing::debug!(%stream, ?current, attempt, "lost a race; deciding again");
                    attempt += 1;
                    backoff(attempt).await;
                    loaded = self.catch_up(&stream, Some(loaded)).await?;
                }
                Err(StoreError::WrongExpectedVersion { current, .. }) => {
                    return Err(HandleError::Conflict { stream, current });
                }
                Err(e) => return Err(e.into()),
            }
        };
        self.keep(&stream, &mut guard, loaded);
        Ok(outcome)
    }

    /// Decides an act that spans several streams of this aggregate (a merger, a split) and
    /// appends each stream's events in the plan's order, without a distributed transaction.
    ///
    /// Each stream gets its own command id derived from the command's, so re-running an
    /// interrupted command skips the streams already written and completes the rest with the
    /// same events: a stream already written is decided from its state just before the command.
    pub async fn execute_multi(
        &self,
        ids: &[String],
        meta: &CommandMeta,
        decide: impl Fn(&[(&str, &A::State)]) -> Result<Vec<(String, Vec<A::Event>)>, DomainError>,
    ) -> Result<MultiOutcome<A::Event>, HandleError> {
        let mut attempt = 0;
        loop {
            let mut loaded = Vec::with_capacity(ids.len());
            let mut done = HashMap::new();
            for id in ids {
                let stream = Self::stream_name(id);
                let stream_meta = stream_command(meta, &stream);
                match self.store.find_command(stream_meta.command_id).await? {
                    Some(result) => {
                        self.replayed_events(&stream, &result, &stream_meta).await?;
                        let written = result.position - result.first_position + 1;
                        let before = (result.next_expected_revision + 1).checked_sub(written + 1);
                        let state = match before {
                            Some(revision) => self.fold(&stream, None, revision).await?,
                            None => Loaded {
                                state: A::State::default(),
                                revision: None,
                            },
                        };
                        done.insert(id.clone(), result);
                        loaded.push(state);
                    }
                    None => loaded.push(self.load_loaded(&stream).await?),
                }
            }
            let views: Vec<(&str, &A::State)> = ids
                .iter()
                .map(String::as_str)
                .zip(loaded.iter().map(|l| &l.state))
                .collect();
            let plan = decide(&views)?;
            let mut outcome = MultiOutcome {
                appended: Vec::new(),
                replayed: Vec::new(),
            };
            let mut conflict = None;
            for (id, events) in plan {
                if let Some(result) = done.get(&id) {
                    outcome.replayed.push((id, *result));
                    continue;
                }
                let Some(index) = ids.iter().position(|i| *i == id) else {
                    return Err(HandleError::Unreadable {
                        stream: id,
                        revision: 0,
                        reason: "the plan names a stream that was not loaded".into(),
                    });
                };
                let stream = Self::stream_name(&id);
                let stream_meta = stream_command(meta, &stream);
                match self
                    .store
                    .append(self.request(&stream, &loaded[index], &events, &stream_meta))
                    .await
                {
                    Ok(result) => outcome.appended.push((id, result, events)),
                    Err(StoreError::WrongExpectedVersion { current, .. }) => {
                        conflict = Some((stream, current));
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            match conflict {
                None => return Ok(outcome),
                // Nothing of ours is written yet, or a re-run will resume: decide again.
                Some(_) if attempt < MAX_CONFLICT_RETRIES => {
                    attempt += 1;
                    backoff(attempt).await;
                }
                Some((stream, current)) => return Err(HandleError::Conflict { stream, current }),
            }
        }
    }

    /// The events a command already applied wrote, once it is shown to be the same request:
    /// the same stream, and (when both requests were digested) the same request digest.
    async fn replayed_events(
        &self,
        stream: &str,
        result: &AppendResult,
        meta: &CommandMeta,
    ) -> Result<Vec<A::Event>, HandleError> {
        let count = usize::try_from(result.position - result.first_position + 1).unwrap_or(1);
        let written = self.store.read_all(result.first_position, count).await?;
        let reused = || HandleError::CommandIdReused {
            command_id: meta.command_id,
        };
        let first = written.first().ok_or_else(reused)?;
        if first.stream != stream {
            return Err(reused());
        }
        let stored = first
            .metadata()
            .map_err(|e| HandleError::Unreadable {
                stream: first.stream.clone(),
                revision: first.revision,
                reason: e.to_string(),
            })?
            .request_digest;
        if let (Some(stored), Some(given)) = (&stored, &meta.request_digest)
            && stored != given
        {
            return Err(reused());
        }
        written
            .iter()
            .map(|recorded| self.decode(recorded))
            .collect()
    }

    async fn load_loaded(&self, stream: &str) -> Result<Loaded<A::State>, HandleError> {
        let slot = self.slot(stream);
        let mut guard = slot.lock().await;
        let loaded = self.catch_up(stream, guard.take()).await?;
        self.keep(stream, &mut guard, loaded.clone());
        Ok(loaded)
    }

    fn request(
        &self,
        stream: &str,
        loaded: &Loaded<A::State>,
        events: &[A::Event],
        meta: &CommandMeta,
    ) -> AppendRequest {
        let metadata = meta.metadata();
        let events = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                NewEvent::new(
                    derived_event_id(meta.command_id, stream, i as u32),
                    e.event_type(),
                    e.schema_version(),
                    e.to_payload(),
                    &metadata,
                )
            })
            .collect();
        AppendRequest {
            stream: stream.to_owned(),
            expected: loaded
                .revision
                .map_or(ExpectedState::NoStream, ExpectedState::Revision),
            command_id: Some(meta.command_id),
            events,
        }
    }
}

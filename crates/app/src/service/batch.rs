//! Batches of commands on one fonds, each batch decided in one go and appended as one
//! multi-event append: the path for imports of thousands of files, where one append per file
//! would spend its time in round trips to the writer.
//!
//! Each batch carries its own command id, so re-running a batch that was already applied
//! appends nothing (the store's idempotency). The decision state is loaded once and every
//! decided event is folded into it before the next command is decided, so the rules see the
//! batch's own earlier files exactly as they would with one command at a time.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::handler::{CommandMeta, HandleError, MAX_CONFLICT_RETRIES};
use bangiao_domain::fonds::{FileRecorded, FondsCommand, FondsEvent, FondsOpened, FondsState};
use bangiao_domain::values::{FileCode, FondsCode};
use bangiao_domain::{Aggregate, DomainError, DomainEvent, FondsAggregate};
use bangiao_store::{
    AppendRequest, AppendResult, EventMetadata, EventStore, ExpectedState, NewEvent, StoreError,
    derived_event_id,
};
use uuid::Uuid;

use super::Service;

/// Events read per page when a fonds stream is scanned for recorded files.
const SCAN_PAGE: usize = 4096;

/// One batch: its own command id and the commands decided together.
#[derive(Debug, Clone)]
pub struct CommandBatch {
    /// The batch's command id: derive it from what the batch holds, so a re-run finds it.
    pub command_id: Uuid,
    /// The commands, decided in order.
    pub commands: Vec<FondsCommand>,
}

/// What a run of batches did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Batches appended now.
    pub appended: usize,
    /// Batches an earlier run had already appended (nothing written for them now).
    pub replayed: usize,
    /// Events written now.
    pub events: usize,
    /// Global position of the last event written now, 0 if none.
    pub last_position: u64,
}

/// A batch the rules refused, naming the command at fault by its index in the batch.
#[derive(Debug, thiserror::Error)]
#[error("lô {batch}, lệnh {index} / batch {batch}, command {index}: {source}")]
pub struct BatchError {
    /// The index of the batch in the run.
    pub batch: usize,
    /// The index of the refused command in its batch.
    pub index: usize,
    /// Why.
    pub source: HandleError,
}

impl<S: EventStore + Clone> Service<S> {
    /// Decides and appends batches of commands on one fonds, one append per batch, in order.
    ///
    /// A batch whose command id the store already knows is skipped. A refused command stops
    /// the run: the batches before it stay written (each is whole), the rest are not tried.
    /// `on_batch` is called after each batch with the number of commands handled so far.
    ///
    /// While one batch is being appended, the next is decided (on the state the appending one
    /// leaves), so deciding and writing overlap; the next is sent only once the one before is
    /// written, so batches land in order. If another writer got in between, the batches are
    /// decided again on fresh state (at most `MAX_CONFLICT_RETRIES` times).
    pub async fn fonds_batches(
        &self,
        code: &FondsCode,
        batches: Vec<CommandBatch>,
        meta: &CommandMeta,
        on_batch: &mut (dyn FnMut(usize) + Send),
    ) -> Result<BatchOutcome, BatchError> {
        let stream = bangiao_domain::streams::fonds(code);
        let mut queue = VecDeque::with_capacity(batches.len());
        let today = super::today_in_vietnam();
        for (index, mut batch) in batches.into_iter().enumerate() {
            self.fill_unit_facts(&mut batch)
                .await
                .map_err(|e| fail(index, 0, e))?;
            for (at, command) in batch.commands.iter().enumerate() {
                command
                    .check_dates(today)
                    .map_err(|e| fail(index, at, e.into()))?;
            }
            queue.push_back((index, batch));
        }
        let mut run = Run {
            outcome: BatchOutcome::default(),
            done: 0,
            attempts: 0,
            stream,
        };
        let mut loaded: Option<(FondsState, Option<u64>)> = None;
        let mut in_flight: Option<InFlight> = None;
        loop {
            let prepared = match queue.pop_front() {
                None => None,
                Some((index, batch)) => {
                    let replayed = self
                        .store
                        .find_command(batch.command_id)
                        .await
                        .map_err(|e| fail(index, 0, e.into()))?;
                    if replayed.is_some() || loaded.is_none() {
                        // Whatever is in flight must land before the state is read again.
                        if let Some(retry) = run.settle(in_flight.take(), on_batch).await? {
                            requeue(&mut queue, retry, Some((index, batch)));
                            loaded = None;
                            continue;
                        }
                    }
                    if replayed.is_some() {
                        run.outcome.replayed += 1;
                        run.done += batch.commands.len();
                        on_batch(run.done);
                        // The state folded so far may not hold this batch: load afresh.
                        loaded = None;
                        continue;
                    }
                    let (mut state, revision) = match loaded.take() {
                        Some(loaded) => loaded,
                        None => self
                            .fonds_state(code)
                            .await
                            .map_err(|e| fail(index, 0, e))?,
                    };
                    let events = match decide_all(&mut state, &batch.commands) {
                        Ok(events) => events,
                        Err((at, e)) => {
                            run.settle(in_flight.take(), on_batch).await?;
                            return Err(fail(index, at, HandleError::Domain(e)));
                        }
                    };
                    let written = events.len() as u64;
                    let request =
                        append_request(&run.stream, revision, &events, batch.command_id, meta);
                    let after = match revision {
                        _ if written == 0 => revision,
                        Some(revision) => Some(revision + written),
                        None => Some(written - 1),
                    };
                    loaded = Some((state, after));
                    Some((index, batch, events.len(), request))
                }
            };
            if let Some(retry) = run.settle(in_flight.take(), on_batch).await? {
                requeue(&mut queue, retry, prepared.map(|(i, b, _, _)| (i, b)));
                loaded = None;
                continue;
            }
            match prepared {
                Some((_, batch, 0, _)) => {
                    run.done += batch.commands.len();
                    on_batch(run.done);
                }
                Some((index, batch, events, request)) => {
                    let store = self.store.clone();
                    in_flight = Some(InFlight {
                        index,
                        batch,
                        events,
                        handle: tokio::spawn(async move { store.append(request).await }),
                    });
                }
                None if queue.is_empty() => return Ok(run.outcome),
                None => {}
            }
        }
    }

    /// Fills the facts an opening takes from the unit's stream, as `fonds_command` does.
    async fn fill_unit_facts(&self, batch: &mut CommandBatch) -> Result<(), HandleError> {
        for command in &mut batch.commands {
            if let FondsCommand::Open(open) = command {
                open.unit_ended_on = self.unit(&open.unit_code).await?.0.ended_on();
            }
        }
        Ok(())
    }

    /// The event that opened a fonds, if it is opened (its custodian, creator and unit).
    pub async fn fonds_opened(&self, code: &FondsCode) -> Result<Option<FondsOpened>, HandleError> {
        let stream = bangiao_domain::streams::fonds(code);
        let first = self.store.read_stream(&stream, 0, 1).await?;
        match first
            .first()
            .map(|recorded| self.fonds.decode(recorded))
            .transpose()?
        {
            Some(FondsEvent::FondsOpened(opened)) => Ok(Some(opened)),
            _ => Ok(None),
        }
    }

    /// The files of `wanted` as they were first recorded in the fonds (before any correction).
    pub async fn recorded_files(
        &self,
        code: &FondsCode,
        wanted: &HashSet<FileCode>,
    ) -> Result<HashMap<FileCode, FileRecorded>, HandleError> {
        let mut found = HashMap::with_capacity(wanted.len());
        if wanted.is_empty() {
            return Ok(found);
        }
        let stream = bangiao_domain::streams::fonds(code);
        let mut from = 0;
        loop {
            let page = self.store.read_stream(&stream, from, SCAN_PAGE).await?;
            for recorded in &page {
                // Only file records are decoded: the rest of the stream is skipped unread.
                if recorded.event_type != "FileRecorded" {
                    continue;
                }
                if let FondsEvent::FileRecorded(file) = self.fonds.decode(recorded)?
                    && wanted.contains(&file.file_code)
                {
                    found.insert(file.file_code.clone(), file);
                }
            }
            match page.last() {
                Some(last) if page.len() == SCAN_PAGE && found.len() < wanted.len() => {
                    from = last.revision + 1;
                }
                _ => return Ok(found),
            }
        }
    }
}

/// A batch being appended, kept whole in case it must be decided again.
struct InFlight {
    index: usize,
    batch: CommandBatch,
    events: usize,
    handle: tokio::task::JoinHandle<Result<AppendResult, StoreError>>,
}

/// The running totals of one call.
struct Run {
    outcome: BatchOutcome,
    done: usize,
    attempts: u32,
    stream: String,
}

impl Run {
    /// Waits for the batch in flight; returns it back if another writer got in first.
    async fn settle(
        &mut self,
        in_flight: Option<InFlight>,
        on_batch: &mut (dyn FnMut(usize) + Send),
    ) -> Result<Option<(usize, CommandBatch)>, BatchError> {
        let Some(flight) = in_flight else {
            return Ok(None);
        };
        let appended = flight
            .handle
            .await
            .map_err(|e| StoreError::Unavailable(format!("the append task failed: {e}")))
            .and_then(|result| result);
        match appended {
            Ok(result) => {
                self.outcome.appended += 1;
                self.outcome.events += flight.events;
                self.outcome.last_position = result.position;
                self.done += flight.batch.commands.len();
                on_batch(self.done);
                Ok(None)
            }
            Err(StoreError::WrongExpectedVersion { .. })
                if self.attempts < MAX_CONFLICT_RETRIES =>
            {
                self.attempts += 1;
                Ok(Some((flight.index, flight.batch)))
            }
            Err(StoreError::WrongExpectedVersion { current, .. }) => {
                let stream = self.stream.clone();
                Err(fail(
                    flight.index,
                    0,
                    HandleError::Conflict { stream, current },
                ))
            }
            Err(e) => Err(fail(flight.index, 0, e.into())),
        }
    }
}

/// Puts batches back at the front of the queue, in their order.
fn requeue(
    queue: &mut VecDeque<(usize, CommandBatch)>,
    first: (usize, CommandBatch),
    second: Option<(usize, CommandBatch)>,
) {
    if let Some(second) = second {
        queue.push_front(second);
    }
    queue.push_front(first);
}

fn fail(batch: usize, index: usize, source: HandleError) -> BatchError {
    BatchError {
        batch,
        index,
        source,
    }
}

/// Decides each command against the state, folding each decided event in before the next.
fn decide_all(
    state: &mut FondsState,
    commands: &[FondsCommand],
) -> Result<Vec<FondsEvent>, (usize, DomainError)> {
    let mut events = Vec::with_capacity(commands.len());
    for (index, command) in commands.iter().enumerate() {
        let decided = FondsAggregate::decide(state, command).map_err(|e| (index, e))?;
        for event in &decided {
            FondsAggregate::evolve(state, event);
        }
        events.extend(decided);
    }
    Ok(events)
}

/// One append of every event of a batch, with ids derived from the batch's command id.
fn append_request(
    stream: &str,
    revision: Option<u64>,
    events: &[FondsEvent],
    command_id: Uuid,
    meta: &CommandMeta,
) -> AppendRequest {
    let metadata = EventMetadata {
        effective_on: meta.effective_on,
        recorded_at: chrono::Utc::now(),
        actor: meta.actor.clone(),
        command_id: Some(command_id),
        correlation_id: Some(meta.correlation_id.unwrap_or(meta.command_id)),
        causation_id: Some(meta.causation_id.unwrap_or(meta.command_id)),
        legal_basis: meta.legal_basis.clone(),
        request_digest: meta.request_digest.clone(),
    };
    // Every event of a batch carries the same metadata: serialize it once.
    let template = NewEvent::new(command_id, "", 0, String::new(), &metadata);
    let events = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            NewEvent {
                event_id: derived_event_id(command_id, stream, index),
                event_type: event.event_type().to_owned(),
                schema_version: event.schema_version(),
                payload: event.to_payload(),
                metadata: template.metadata.clone(),
            }
        })
        .collect();
    AppendRequest {
        stream: stream.to_owned(),
        expected: revision.map_or(ExpectedState::NoStream, ExpectedState::Revision),
        command_id: Some(command_id),
        events,
    }
}

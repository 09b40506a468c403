//! Batches of commands on one fonds, each batch decided in one go and appended as one
//! multi-event append: the path for imports of thousands of files, where one append per file
//! would spend its time in round trips to the writer.
//!
//! Each batch carries its own command id, so re-running a batch that was already applied
//! appends nothing (the store's idempotency). The decision state is loaded once and every
//! decided event is folded into it before the next command is decided, so the rules see the
//! batch's own earlier files exactly as they would with one command at a time.

use std::collections::{HashMap, HashSet};

use bangiao_domain::fonds::{FileRecorded, FondsCommand, FondsEvent, FondsOpened, FondsState};
use bangiao_domain::values::{FileCode, FondsCode};
use bangiao_domain::{Aggregate, DomainError, DomainEvent, FondsAggregate};
use bangiao_store::handler::{CommandMeta, HandleError, MAX_CONFLICT_RETRIES, Repository};
use bangiao_store::{
    AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent, StoreError, derived_event_id,
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
    pub async fn fonds_batches(
        &self,
        code: &FondsCode,
        batches: Vec<CommandBatch>,
        meta: &CommandMeta,
        on_batch: &mut (dyn FnMut(usize) + Send),
    ) -> Result<BatchOutcome, BatchError> {
        let stream = Repository::<FondsAggregate, S>::stream_name(code.as_str());
        let mut outcome = BatchOutcome::default();
        let mut loaded: Option<(FondsState, Option<u64>)> = None;
        let mut done = 0;
        for (index, mut batch) in batches.into_iter().enumerate() {
            let fail = |source: HandleError, at: usize| BatchError {
                batch: index,
                index: at,
                source,
            };
            for command in &mut batch.commands {
                if let FondsCommand::Open(open) = command {
                    open.unit_ended_on = self
                        .unit(&open.unit_code)
                        .await
                        .map_err(|e| fail(e, 0))?
                        .0
                        .ended_on();
                }
            }
            let mut attempt = 0;
            loop {
                if let Some(_first) = self
                    .store
                    .find_command(batch.command_id)
                    .await
                    .map_err(|e| fail(e.into(), 0))?
                {
                    outcome.replayed += 1;
                    // The state folded so far may not hold this batch: load afresh next time.
                    loaded = None;
                    break;
                }
                let (mut state, revision) = match loaded.take() {
                    Some(loaded) => loaded,
                    None => self.fonds_state(code).await.map_err(|e| fail(e, 0))?,
                };
                let events = decide_all(&mut state, &batch.commands)
                    .map_err(|(at, e)| fail(HandleError::Domain(e), at))?;
                if events.is_empty() {
                    loaded = Some((state, revision));
                    break;
                }
                let request = append_request(&stream, revision, &events, batch.command_id, meta);
                match self.store.append(request).await {
                    Ok(result) => {
                        outcome.appended += 1;
                        outcome.events += events.len();
                        outcome.last_position = result.position;
                        loaded = Some((state, Some(result.next_expected_revision)));
                        break;
                    }
                    Err(StoreError::WrongExpectedVersion { .. })
                        if attempt < MAX_CONFLICT_RETRIES =>
                    {
                        // Someone else wrote to the fonds: decide the batch again on fresh state.
                        attempt += 1;
                    }
                    Err(StoreError::WrongExpectedVersion { current, .. }) => {
                        return Err(fail(HandleError::Conflict { stream, current }, 0));
                    }
                    Err(e) => return Err(fail(e.into(), 0)),
                }
            }
            done += batch.commands.len();
            on_batch(done);
        }
        Ok(outcome)
    }

    /// The event that opened a fonds, if it is opened (its custodian, creator and unit).
    pub async fn fonds_opened(&self, code: &FondsCode) -> Result<Option<FondsOpened>, HandleError> {
        let stream = Repository::<FondsAggregate, S>::stream_name(code.as_str());
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
        let stream = Repository::<FondsAggregate, S>::stream_name(code.as_str());
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
    };
    let events = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            NewEvent::new(
                derived_event_id(command_id, stream, index),
                event.event_type(),
                event.schema_version(),
                event.to_payload(),
                &metadata,
            )
        })
        .collect();
    AppendRequest {
        stream: stream.to_owned(),
        expected: revision.map_or(ExpectedState::NoStream, ExpectedState::Revision),
        command_id: Some(command_id),
        events,
    }
}

//! Copying a whole log from one store to another (any backend to any backend), in global
//! order, keeping event ids, payloads, metadata, revisions, positions and therefore hashes.
//!
//! Resumable: the target's last event must be the source's event at the same position, with
//! the same hash (which covers every event before it); copying carries on after it. Each of
//! the source's appends is copied as one append (a run of events of one stream with one
//! command id in their metadata), under that command id, so retried commands stay idempotent
//! on the target. Every copied event's hash is compared with the source's as it lands.

use crate::error::StoreError;
use crate::event::{AppendRequest, ExpectedState, NewEvent, RecordedEvent};
use crate::store::EventStore;
use crate::verify::{ChainReport, VerifyError, verify_chain};

/// Events read from the source per page.
const PAGE: usize = 2048;

/// How much to copy.
#[derive(Debug, Clone, Copy, Default)]
pub struct MigrateOptions {
    /// Stop after about this many events (at the end of the append that reaches it); None: all.
    pub max_events: Option<u64>,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrateReport {
    /// Events the target already held when the run started.
    pub already: u64,
    /// Events copied by this run.
    pub copied: u64,
    /// The target's last position after the run.
    pub target_head: u64,
    /// Whether the target now holds every event the source held.
    pub complete: bool,
    /// The target's chain, verified from its first event after copying.
    pub chain: ChainReport,
}

/// Why a migration stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// Reading or writing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The target holds events that are not the source's (another log, or written to since).
    #[error(
        "the target differs from the source at position {position}: {why}; migrate into an empty store"
    )]
    Diverged {
        /// First position where they differ.
        position: u64,
        /// How.
        why: String,
    },
    /// A copied event's hash is not the source's.
    #[error(
        "event at position {position} got hash {target} on the target but {source_hash} on the source"
    )]
    HashMismatch {
        /// Its position.
        position: u64,
        /// The target's hash (hex).
        target: String,
        /// The source's hash (hex).
        source_hash: String,
    },
    /// The target's chain does not verify.
    #[error("the target does not verify: {0}")]
    Verify(#[from] VerifyError),
}

/// The last position a store holds, looking past its head in case it lags.
pub async fn last_position<S: EventStore + ?Sized>(store: &S) -> Result<u64, StoreError> {
    let mut last = store.head_position();
    loop {
        let page = store.read_all(last + 1, PAGE).await?;
        match page.last() {
            Some(e) => last = e.position,
            None => return Ok(last),
        }
    }
}

/// The command id written in an event's metadata, if any.
fn command_of(event: &RecordedEvent) -> Option<uuid::Uuid> {
    event.metadata().ok().and_then(|m| m.command_id)
}

/// Splits events in global order into the source's appends: runs of one stream, consecutive
/// revisions and one command id. The last run is returned apart: it may continue on the next
/// page.
pub fn group_appends(events: Vec<RecordedEvent>) -> Vec<Vec<RecordedEvent>> {
    let mut groups: Vec<Vec<RecordedEvent>> = Vec::new();
    for event in events {
        let joins = groups.last().and_then(|g| g.last()).is_some_and(|prev| {
            prev.stream == event.stream
                && prev.revision + 1 == event.revision
                && command_of(prev) == command_of(&event)
                && command_of(&event).is_some()
        });
        match groups.last_mut() {
            Some(group) if joins => group.push(event),
            _ => groups.push(vec![event]),
        }
    }
    groups
}

fn request_of(group: &[RecordedEvent], with_command: bool) -> AppendRequest {
    let first = &group[0];
    AppendRequest {
        stream: first.stream.clone(),
        expected: match first.revision {
            0 => ExpectedState::NoStream,
            r => ExpectedState::Revision(r - 1),
        },
        command_id: command_of(first).filter(|_| with_command),
        events: group
            .iter()
            .map(|e| NewEvent {
                event_id: e.event_id,
                event_type: e.event_type.clone(),
                schema_version: e.schema_version,
                payload: e.payload.clone(),
                metadata: e.metadata.clone(),
            })
            .collect(),
    }
}

/// Checks that the target's events are a prefix of the source's; returns its last position.
async fn resume_point<S, T>(source: &S, target: &T) -> Result<u64, MigrateError>
where
    S: EventStore + ?Sized,
    T: EventStore + ?Sized,
{
    let last = last_position(target).await?;
    if last == 0 {
        return Ok(0);
    }
    let theirs = source.read_all(last, 1).await?;
    let Some(source_event) = theirs.first().filter(|e| e.position == last) else {
        return Err(MigrateError::Diverged {
            position: last,
            why: "the target holds more events than the source".into(),
        });
    };
    let ours = target.read_all(last, 1).await?;
    match ours.first() {
        Some(t) if t.event_id == source_event.event_id && t.hash == source_event.hash => Ok(last),
        _ => Err(MigrateError::Diverged {
            position: last,
            why: "the target's event there is not the source's".into(),
        }),
    }
}

/// Appends one of the source's appends to the target at exactly the next position.
async fn copy_group<T: EventStore + ?Sized>(
    target: &T,
    group: &[RecordedEvent],
) -> Result<(), MigrateError> {
    let next = group[0].position;
    let mut result = target.append(request_of(group, true)).await;
    // A command id the source used twice (written by hand, not by the service) would make the
    // target answer with the first append: copy such a group without its command id.
    let replayed = matches!(&result, Ok(r) if r.first_position < next)
        || matches!(result, Err(StoreError::CommandIdReused { .. }));
    if replayed {
        tracing::warn!(
            position = next,
            "command id reused in the source: copied without it"
        );
        result = target.append(request_of(group, false)).await;
    }
    let written = match result {
        Ok(written) => written,
        Err(StoreError::WrongExpectedVersion {
            stream, current, ..
        }) => {
            return Err(MigrateError::Diverged {
                position: next,
                why: format!("stream {stream} is at revision {current:?} on the target"),
            });
        }
        Err(e) => return Err(e.into()),
    };
    if written.first_position != next {
        return Err(MigrateError::Diverged {
            position: next,
            why: format!(
                "the target put it at position {}: is something else writing to it?",
                written.first_position
            ),
        });
    }
    let landed = target.read_all(next, group.len()).await?;
    for (source, copy) in group.iter().zip(&landed) {
        if source.event_id != copy.event_id || source.hash != copy.hash {
            return Err(MigrateError::HashMismatch {
                position: source.position,
                target: copy.hash_hex(),
                source_hash: source.hash_hex(),
            });
        }
    }
    Ok(())
}

/// Copies the source's log into the target after what the target already holds, then verifies
/// the target's chain; `progress` gets (copied so far, source head).
pub async fn migrate<S, T>(
    source: &S,
    target: &T,
    options: MigrateOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<MigrateReport, MigrateError>
where
    S: EventStore + ?Sized,
    T: EventStore + ?Sized,
{
    let already = resume_point(source, target).await?;
    let mut next = already + 1;
    let mut copied = 0u64;
    let mut carry: Vec<RecordedEvent> = Vec::new();
    let limit = options.max_events.unwrap_or(u64::MAX);
    let complete = 'copy: loop {
        let page = source.read_all(next, PAGE).await?;
        let ended = page.len() < PAGE;
        if let Some(last) = page.last() {
            next = last.position + 1;
        }
        carry.extend(page);
        let mut groups = group_appends(std::mem::take(&mut carry));
        // The last run may go on in the next page: keep it for then, unless the log ended.
        if !ended && let Some(open) = groups.pop() {
            carry = open;
        }
        for group in groups {
            if copied >= limit {
                break 'copy false;
            }
            copy_group(target, &group).await?;
            copied += group.len() as u64;
            progress(copied, source.head_position());
        }
        if ended {
            break true;
        }
    };
    let chain = verify_chain(target, |_| ()).await?;
    Ok(MigrateReport {
        already,
        copied,
        target_head: chain.events,
        complete,
        chain,
    })
}

#[cfg(test)]
mod tests;

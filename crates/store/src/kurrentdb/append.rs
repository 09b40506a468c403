//! Appending: the same rules as the SQLite writer (command ids and event ids make a retry
//! return the first result; an id elsewhere is refused), checked against the index after
//! reading `$all` to its end, then KurrentDB's own optimistic append.

use std::time::Instant;

use kurrentdb::WriteResult;

use super::KurrentStore;
use super::index::Index;
use super::mapping::{Context, encode_event, map_error, stream_state};
use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult};
use crate::validate::validate_request;

/// How long an append waits between two looks for its events in `$all`.
const VISIBLE_POLL: std::time::Duration = std::time::Duration::from_millis(20);

impl KurrentStore {
    /// Appends one request; see the module documentation for the rules.
    pub(crate) async fn append_events(
        &self,
        request: AppendRequest,
    ) -> Result<AppendResult, StoreError> {
        validate_request(&request)?;
        if !self.inner.names.owns(&request.stream) {
            return Err(StoreError::InvalidRequest(format!(
                "stream {} is outside the prefixes this store follows ({})",
                request.stream,
                self.inner.prefixes.join(", ")
            )));
        }
        let events = request
            .events
            .iter()
            .map(|e| encode_event(e, request.command_id))
            .collect::<Result<Vec<_>, _>>()?;
        self.sync().await?;
        if let Some(earlier) = self.earlier(&request).await? {
            return Ok(earlier);
        }
        let stream = self.inner.names.to_kurrent(&request.stream);
        let state = stream_state(request.expected);
        let cx = Context::append(&request.stream, request.expected);
        let mut attempt = 1;
        let written = loop {
            match self
                .inner
                .transport
                .append(&stream, state, events.clone())
                .await
            {
                Ok(written) => break written,
                Err(e) => {
                    let error = map_error(&e, cx);
                    if matches!(error, StoreError::WrongExpectedVersion { .. }) {
                        // Perhaps this very append landed meanwhile, through another replica.
                        self.sync().await?;
                        return match self.earlier(&request).await? {
                            Some(earlier) => Ok(earlier),
                            None => Err(error),
                        };
                    }
                    let Some(delay) = self
                        .inner
                        .retry
                        .delay_after(attempt)
                        .filter(|_| error.is_transient())
                    else {
                        return Err(error);
                    };
                    tracing::warn!(%error, attempt, stream = %request.stream, "KurrentDB append: retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    // The failed attempt may have been written before the answer was lost.
                    if self.sync().await.is_ok()
                        && let Some(earlier) = self.earlier(&request).await?
                    {
                        return Ok(earlier);
                    }
                }
            }
        };
        self.landed(request, written).await
    }

    /// The result of this append if it (or its command) already stands in the log.
    async fn earlier(&self, request: &AppendRequest) -> Result<Option<AppendResult>, StoreError> {
        let request = request.clone();
        self.with_index(move |ix| {
            if let Some(command_id) = request.command_id
                && let Some((stream, result)) = ix.command(command_id)?
            {
                if stream != request.stream {
                    return Err(StoreError::CommandIdReused { command_id, stream });
                }
                return Ok(Some(result));
            }
            replayed(ix, &request)
        })
        .await
    }

    /// Waits until the index holds the events just written, and reports where they landed.
    async fn landed(
        &self,
        request: AppendRequest,
        written: WriteResult,
    ) -> Result<AppendResult, StoreError> {
        let deadline = Instant::now() + self.inner.visible_timeout;
        loop {
            self.sync().await?;
            let wanted = request.clone();
            let last_revision = written.next_expected_version;
            if let Some(result) = self
                .with_index(move |ix| placed(ix, &wanted, last_revision))
                .await?
            {
                return Ok(result);
            }
            if Instant::now() >= deadline {
                return Err(StoreError::Unavailable(format!(
                    "the append to {} was accepted but has not appeared in $all yet; retrying the same command is safe",
                    request.stream
                )));
            }
            tokio::time::sleep(VISIBLE_POLL).await;
        }
    }
}

/// Where the request's events stand when they end at `last_revision` of its stream.
pub(crate) fn placed(
    ix: &Index,
    request: &AppendRequest,
    last_revision: u64,
) -> Result<Option<AppendResult>, StoreError> {
    let count = request.events.len() as u64;
    let Some(first_revision) = (last_revision + 1).checked_sub(count) else {
        return Ok(None);
    };
    let mut positions = Vec::with_capacity(request.events.len());
    for (revision, event) in (first_revision..).zip(&request.events) {
        let found = ix
            .by_event_id(event.event_id)?
            .into_iter()
            .find(|row| row.stream == request.stream && row.revision == revision);
        match found {
            Some(row) => positions.push(row.position),
            None => return Ok(None),
        }
    }
    Ok(Some(AppendResult {
        next_expected_revision: last_revision,
        first_position: positions.first().copied().unwrap_or_default(),
        position: positions.last().copied().unwrap_or_default(),
    }))
}

/// When the request's event ids already stand, in order, in this stream: the earlier result.
/// An id of the request found anywhere else is refused, as the SQLite schema refuses it.
pub(crate) fn replayed(
    ix: &Index,
    request: &AppendRequest,
) -> Result<Option<AppendResult>, StoreError> {
    let first = &request.events[0];
    let rows = ix.by_event_id(first.event_id)?;
    if rows.is_empty() {
        for event in &request.events[1..] {
            if !ix.by_event_id(event.event_id)?.is_empty() {
                return Err(StoreError::DuplicateEventId {
                    event_id: event.event_id,
                });
            }
        }
        return Ok(None);
    }
    for row in rows.iter().filter(|row| row.stream == request.stream) {
        let last_revision = row.revision + request.events.len() as u64 - 1;
        if let Some(result) = placed(ix, request, last_revision)? {
            return Ok(Some(result));
        }
    }
    Err(StoreError::DuplicateEventId {
        event_id: first.event_id,
    })
}

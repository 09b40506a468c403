// Over 500 lines: one writer task; lock, numbering and group commit go together.
//! The single writer of a service process: one task owns the write connection and commits every
//! append queued meanwhile in one transaction (group commit), as the SQLite writer does.
//!
//! Global positions are gapless and in commit order, even with several service processes on
//! one database: each transaction first takes a transaction-level advisory lock
//! (`pg_advisory_xact_lock`), and only then reads the tail of the log and numbers its events
//! from it (head + 1, …). The lock is released when the transaction has committed and is
//! visible, so the next writer reads a tail that includes it; no transaction can commit a
//! lower position after a higher one, and a reader that sees position n sees every position
//! below it. There is no sequence: a sequence hands out numbers in start order, transactions
//! commit in another order, and a catch-up reader would skip an event that commits late.
//!
//! Everything a batch needs to decide (the tail, the current revision of its streams, the
//! command ids and event ids it carries) is read in one round trip under the lock; each append
//! is then decided in memory, and the accepted events are written with one INSERT.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch};
use tokio_postgres::{Client, Statement};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendRequest, AppendResult, GENESIS_HASH, Hash};
use crate::hash::{HashInput, chain_hash};
use crate::kurrentdb::RetryPolicy;
use crate::postgres::config::Connector;
use crate::postgres::error::{map_error, worth_retrying};
use crate::postgres::read::{column, command_result, connect};
use crate::validate::validate_request;

/// The advisory lock every appending transaction holds until it commits.
pub(crate) const APPEND_LOCK: i64 = 0x6261_6e67_6961_6f01; // "bangiao\x01"

/// The channel a commit notifies, to wake readers in every process (never read as data).
pub(crate) const CHANNEL: &str = "bangiao_events";

/// Longest the writer waits for more appends before committing what it has.
const GATHER_WAIT: std::time::Duration = std::time::Duration::from_micros(500);

/// One queued append and where to send its outcome.
pub(crate) struct Job {
    /// The append.
    pub request: AppendRequest,
    /// Receives the outcome once the transaction holding it committed (or failed).
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// The write connection and its prepared statements.
struct WriteConn {
    client: Client,
    lock: Statement,
    tail: Statement,
    revisions: Statement,
    commands: Statement,
    events: Statement,
    insert_events: Statement,
    insert_commands: Statement,
    notify: Statement,
}

impl WriteConn {
    async fn open(connector: &Connector) -> Result<Self, StoreError> {
        let client = connect(connector).await?;
        let prepared = futures::try_join!(
            client.prepare("SELECT pg_advisory_xact_lock($1)"),
            client.prepare(
                "SELECT position, hash FROM bangiao_events ORDER BY position DESC LIMIT 1"
            ),
            client.prepare(
                "SELECT s.stream, (SELECT e.revision FROM bangiao_events e \
                 WHERE e.stream = s.stream ORDER BY e.revision DESC LIMIT 1) \
                 FROM unnest($1::text[]) AS s(stream)"
            ),
            client.prepare(
                "SELECT command_id, stream, next_expected_revision, first_position, position \
                 FROM bangiao_commands WHERE command_id = ANY($1::uuid[])"
            ),
            client.prepare(
                "SELECT event_id, position, stream, revision FROM bangiao_events \
                 WHERE event_id = ANY($1::uuid[])"
            ),
            client.prepare(
                "INSERT INTO bangiao_events (position, stream, revision, event_id, event_type, \
                 schema_version, payload, metadata, hash) \
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], \
                 $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bytea[])"
            ),
            client.prepare(
                "INSERT INTO bangiao_commands (command_id, stream, next_expected_revision, \
                 first_position, position) \
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], \
                 $5::bigint[])"
            ),
            client.prepare("SELECT pg_notify($1, $2)"),
        )
        .map_err(|e| map_error(&e))?;
        let (lock, tail, revisions, commands, events, insert_events, insert_commands, notify) =
            prepared;
        Ok(Self {
            client,
            lock,
            tail,
            revisions,
            commands,
            events,
            insert_events,
            insert_commands,
            notify,
        })
    }
}

/// The writer task's state.
pub(crate) struct Writer {
    connector: Connector,
    conn: Option<WriteConn>,
    head: Arc<watch::Sender<u64>>,
    max_batch: usize,
    retry: RetryPolicy,
}

impl Writer {
    /// A writer that connects when the first append comes.
    pub(crate) fn new(
        connector: Connector,
        head: Arc<watch::Sender<u64>>,
        max_batch: usize,
        retry: RetryPolicy,
    ) -> Self {
        Self {
            connector,
            conn: None,
            head,
            max_batch: max_batch.max(1),
            retry,
        }
    }

    /// Serves the queue until every sender is gone. Appends that arrive while a transaction
    /// commits wait in the queue and go together into the next one.
    pub(crate) async fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        let mut jobs = Vec::with_capacity(self.max_batch);
        let mut last_batch = 1;
        while let Some(first) = queue.recv().await {
            jobs.push(first);
            self.gather(&mut queue, &mut jobs, last_batch).await;
            last_batch = jobs.len();
            let (requests, replies): (Vec<_>, Vec<_>) =
                jobs.drain(..).map(|j| (j.request, j.reply)).unzip();
            let results = self.commit(&requests).await;
            for (reply, result) in replies.into_iter().zip(results) {
                // The caller may have gone away (timeout, dropped request): its append stands.
                let _ = reply.send(result);
            }
        }
    }

    /// Drains the queue into `jobs`. When fewer appends wait than the last transaction held,
    /// the writers it just answered are most likely preparing their next append: give them a
    /// few hundred microseconds (yielding to them), so that one commit keeps serving as many
    /// appends as it can, as the SQLite writer does. Without this the writer took the first
    /// one or two appends back and batches alternated between tiny and full.
    async fn gather(
        &self,
        queue: &mut mpsc::Receiver<Job>,
        jobs: &mut Vec<Job>,
        last_batch: usize,
    ) {
        let deadline = std::time::Instant::now() + GATHER_WAIT;
        loop {
            while jobs.len() < self.max_batch {
                match queue.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            if jobs.len() >= last_batch.min(self.max_batch) || std::time::Instant::now() >= deadline
            {
                return;
            }
            tokio::task::yield_now().await;
        }
    }

    /// Commits the appends in one transaction, reconnecting and trying again (bounded) when
    /// the connection is lost or reached a server that cannot write. Trying again is safe even
    /// when the lost transaction did commit: every append carries its event ids, and an append
    /// whose ids already stand at the same place answers with the earlier result.
    async fn commit(
        &mut self,
        requests: &[AppendRequest],
    ) -> Vec<Result<AppendResult, StoreError>> {
        let mut attempt = 1;
        loop {
            match self.try_commit(requests).await {
                Ok((results, head)) => {
                    self.head.send_if_modified(|seen| {
                        let raised = head > *seen;
                        *seen = (*seen).max(head);
                        raised
                    });
                    return results;
                }
                Err(error) => {
                    if worth_retrying(&error) {
                        self.conn = None;
                    }
                    match self
                        .retry
                        .delay_after(attempt)
                        .filter(|_| worth_retrying(&error))
                    {
                        Some(delay) => {
                            tracing::warn!(%error, attempt, "PostgreSQL append: retrying");
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                        }
                        None => {
                            tracing::error!(%error, "PostgreSQL append failed; nothing of it was written");
                            return vec![Err(error); requests.len()];
                        }
                    }
                }
            }
        }
    }

    async fn try_commit(
        &mut self,
        requests: &[AppendRequest],
    ) -> Result<(Vec<Result<AppendResult, StoreError>>, u64), StoreError> {
        if self.conn.is_none() {
            self.conn = Some(WriteConn::open(&self.connector).await?);
        }
        let Some(conn) = self.conn.as_mut() else {
            return Err(StoreError::Unavailable("no PostgreSQL connection".into()));
        };
        let timeout = self.connector.timeout;
        tokio::time::timeout(timeout, commit_batch(conn, requests))
            .await
            .map_err(|_| {
                StoreError::Unavailable(format!(
                    "PostgreSQL did not confirm the commit within {} s",
                    timeout.as_secs()
                ))
            })?
    }
}

/// One transaction: lock, read what the batch needs, decide, insert, notify, commit. Returns
/// each append's outcome and the head after the commit.
async fn commit_batch(
    conn: &mut WriteConn,
    requests: &[AppendRequest],
) -> Result<(Vec<Result<AppendResult, StoreError>>, u64), StoreError> {
    let checked: Vec<Result<(), StoreError>> = requests.iter().map(validate_request).collect();
    let valid = || {
        requests
            .iter()
            .zip(&checked)
            .filter(|(_, c)| c.is_ok())
            .map(|(r, _)| r)
    };
    let mut streams: Vec<&str> = valid().map(|r| r.stream.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    let command_ids: Vec<Uuid> = valid().filter_map(|r| r.command_id).collect();
    let event_ids: Vec<Uuid> = valid()
        .flat_map(|r| r.events.iter().map(|e| e.event_id))
        .collect();

    let tx = conn.client.transaction().await.map_err(|e| map_error(&e))?;
    // Sent together; the server runs them in order, so the reads see every transaction that
    // committed before the lock was ours.
    let lock_key: [Param; 1] = [&APPEND_LOCK];
    let streams: [Param; 1] = [&streams];
    let command_ids: [Param; 1] = [&command_ids];
    let event_ids: [Param; 1] = [&event_ids];
    let (_, tail, revisions, commands, events) = futures::try_join!(
        tx.execute(&conn.lock, &lock_key),
        tx.query_opt(&conn.tail, &[]),
        tx.query(&conn.revisions, &streams),
        tx.query(&conn.commands, &command_ids),
        tx.query(&conn.events, &event_ids),
    )
    .map_err(|e| map_error(&e))?;

    let mut batch = Batch::default();
    if let Some(row) = tail {
        let position: i64 = column(&row, 0)?;
        let hash: &[u8] = column(&row, 1)?;
        batch.next_position = position as u64 + 1;
        batch.last_hash = hash.try_into().map_err(|_| StoreError::Corrupt {
            position: position as u64,
            reason: "hash is not 32 bytes".into(),
        })?;
    }
    for row in &revisions {
        let revision: Option<i64> = column(row, 1)?;
        batch
            .revisions
            .insert(column(row, 0)?, revision.map(|r| r as u64));
    }
    for row in &commands {
        batch
            .commands
            .insert(column(row, 0)?, (column(row, 1)?, command_result(row, 2)?));
    }
    for row in &events {
        let position: i64 = column(row, 1)?;
        let revision: i64 = column(row, 3)?;
        batch.events.insert(
            column(row, 0)?,
            (position as u64, column(row, 2)?, revision as u64),
        );
    }

    let results: Vec<Result<AppendResult, StoreError>> = requests
        .iter()
        .zip(checked)
        .map(|(request, check)| check.and_then(|()| batch.apply(request)))
        .collect();
    let head = batch.next_position - 1;
    if batch.rows.positions.is_empty() {
        tx.rollback().await.map_err(|e| map_error(&e))?;
        return Ok((results, head));
    }
    let rows = &batch.rows;
    let cmds = &batch.command_rows;
    let head_text = head.to_string();
    let event_params: [Param; 9] = [
        &rows.positions,
        &rows.streams,
        &rows.revisions,
        &rows.event_ids,
        &rows.event_types,
        &rows.schema_versions,
        &rows.payloads,
        &rows.metadata,
        &rows.hashes,
    ];
    let command_params: [Param; 5] = [
        &cmds.ids,
        &cmds.streams,
        &cmds.next_expected,
        &cmds.first_positions,
        &cmds.positions,
    ];
    let notify_params: [Param; 2] = [&CHANNEL, &head_text];
    let insert_commands = async {
        if cmds.ids.is_empty() {
            return Ok(0);
        }
        tx.execute(&conn.insert_commands, &command_params).await
    };
    futures::try_join!(
        tx.execute(&conn.insert_events, &event_params),
        insert_commands,
        tx.execute(&conn.notify, &notify_params),
    )
    .map_err(|e| map_error(&e))?;
    tx.commit().await.map_err(|e| map_error(&e))?;
    Ok((results, head))
}

/// A statement parameter.
type Param<'a> = &'a (dyn tokio_postgres::types::ToSql + Sync);

/// The events a transaction inserts, column by column (one `unnest` INSERT).
#[derive(Default)]
struct EventRows<'a> {
    positions: Vec<i64>,
    streams: Vec<&'a str>,
    revisions: Vec<i64>,
    event_ids: Vec<Uuid>,
    event_types: Vec<&'a str>,
    schema_versions: Vec<i64>,
    payloads: Vec<&'a str>,
    metadata: Vec<&'a str>,
    hashes: Vec<Vec<u8>>,
}

/// The commands a transaction records, column by column.
#[derive(Default)]
struct CommandRows<'a> {
    ids: Vec<Uuid>,
    streams: Vec<&'a str>,
    next_expected: Vec<i64>,
    first_positions: Vec<i64>,
    positions: Vec<i64>,
}

/// What the transaction knows: the tail, and for the streams, commands and event ids of the
/// batch, what is stored plus what earlier appends of the batch add.
struct Batch<'a> {
    next_position: u64,
    last_hash: Hash,
    revisions: HashMap<String, Option<u64>>,
    commands: HashMap<Uuid, (String, AppendResult)>,
    /// Event id → (position, stream, revision).
    events: HashMap<Uuid, (u64, String, u64)>,
    rows: EventRows<'a>,
    command_rows: CommandRows<'a>,
}

impl Default for Batch<'_> {
    fn default() -> Self {
        Self {
            next_position: 1,
            last_hash: GENESIS_HASH,
            revisions: HashMap::new(),
            commands: HashMap::new(),
            events: HashMap::new(),
            rows: EventRows::default(),
            command_rows: CommandRows::default(),
        }
    }
}

impl<'a> Batch<'a> {
    /// Decides one (valid) append as the SQLite writer does, and adds its rows when accepted.
    fn apply(&mut self, request: &'a AppendRequest) -> Result<AppendResult, StoreError> {
        let current = self
            .revisions
            .get(&request.stream)
            .copied()
            .unwrap_or_default();
        if !request.expected.accepts(current) {
            // A retry of an append that already landed is not a conflict.
            if let Some(command_id) = request.command_id
                && let Some(result) = self.earlier_command(command_id, &request.stream)?
            {
                return Ok(result);
            }
            if let Some(result) = self.replayed(request)? {
                return Ok(result);
            }
            return Err(StoreError::WrongExpectedVersion {
                stream: request.stream.clone(),
                expected: request.expected,
                current,
            });
        }
        if let Some(command_id) = request.command_id
            && let Some(result) = self.earlier_command(command_id, &request.stream)?
        {
            return Ok(result);
        }
        if let Some(clash) = request
            .events
            .iter()
            .find(|e| self.events.contains_key(&e.event_id))
        {
            // A clashing event id may be a retry of an append that already landed.
            return self.replayed(request)?.ok_or(StoreError::DuplicateEventId {
                event_id: clash.event_id,
            });
        }
        let count = request.events.len() as u64;
        let first_revision = current.map_or(0, |r| r + 1);
        let result = AppendResult {
            next_expected_revision: first_revision + count - 1,
            first_position: self.next_position,
            position: self.next_position + count - 1,
        };
        for (revision, event) in (first_revision..).zip(&request.events) {
            let position = self.next_position;
            let hash = chain_hash(
                &self.last_hash,
                HashInput {
                    position,
                    stream: &request.stream,
                    revision,
                    event_id: event.event_id,
                    event_type: &event.event_type,
                    schema_version: event.schema_version,
                    payload: &event.payload,
                    metadata: &event.metadata,
                },
            );
            let rows = &mut self.rows;
            rows.positions.push(position as i64);
            rows.streams.push(&request.stream);
            rows.revisions.push(revision as i64);
            rows.event_ids.push(event.event_id);
            rows.event_types.push(&event.event_type);
            rows.schema_versions.push(i64::from(event.schema_version));
            rows.payloads.push(&event.payload);
            rows.metadata.push(&event.metadata);
            rows.hashes.push(hash.to_vec());
            self.events
                .insert(event.event_id, (position, request.stream.clone(), revision));
            self.next_position += 1;
            self.last_hash = hash;
        }
        self.revisions
            .insert(request.stream.clone(), Some(result.next_expected_revision));
        if let Some(command_id) = request.command_id {
            self.commands
                .insert(command_id, (request.stream.clone(), result));
            let cmds = &mut self.command_rows;
            cmds.ids.push(command_id);
            cmds.streams.push(&request.stream);
            cmds.next_expected
                .push(result.next_expected_revision as i64);
            cmds.first_positions.push(result.first_position as i64);
            cmds.positions.push(result.position as i64);
        }
        Ok(result)
    }

    /// The stored result of a command id, refusing one that went to another stream.
    fn earlier_command(
        &self,
        command_id: Uuid,
        stream: &str,
    ) -> Result<Option<AppendResult>, StoreError> {
        match self.commands.get(&command_id) {
            None => Ok(None),
            Some((first_stream, _)) if first_stream != stream => Err(StoreError::CommandIdReused {
                command_id,
                stream: first_stream.clone(),
            }),
            Some((_, result)) => Ok(Some(*result)),
        }
    }

    /// When the request's event ids already stand, in order, in this stream: the earlier result.
    fn replayed(&self, request: &AppendRequest) -> Result<Option<AppendResult>, StoreError> {
        let first = &request.events[0];
        let Some((start, stream, _)) = self.events.get(&first.event_id) else {
            return Ok(None);
        };
        let same_place = stream == &request.stream
            && (*start..).zip(&request.events).all(|(position, e)| {
                self.events
                    .get(&e.event_id)
                    .is_some_and(|(p, s, _)| *p == position && s == &request.stream)
            });
        if !same_place {
            return Err(StoreError::DuplicateEventId {
                event_id: first.event_id,
            });
        }
        let count = request.events.len() as u64;
        let last = request.events[request.events.len() - 1].event_id;
        let last_revision = self.events.get(&last).map_or(0, |(_, _, r)| *r);
        Ok(Some(AppendResult {
            next_expected_revision: last_revision,
            first_position: *start,
            position: start + count - 1,
        }))
    }
}

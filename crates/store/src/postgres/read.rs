//! Connections and the readers: a few shared connections, each carrying many queries at once
//! (the client pipelines them), reconnected when lost; rows decoded into events.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_postgres::{Client, Row, Statement};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{AppendResult, RecordedEvent};
use crate::kurrentdb::RetryPolicy;
use crate::postgres::config::Connector;
use crate::postgres::error::{map_error, worth_retrying};

/// The stored columns of an event, in the order [`decode_event`] reads them.
pub(crate) const EVENT_COLUMNS: &str =
    "position, stream, revision, event_id, event_type, schema_version, payload, metadata, hash";

/// Opens one connection and drives it on its own task.
pub(crate) async fn connect(connector: &Connector) -> Result<Client, StoreError> {
    let connecting = connector.config.connect(connector.tls.clone());
    let (client, connection) = tokio::time::timeout(connector.timeout, connecting)
        .await
        .map_err(|_| StoreError::Unavailable("PostgreSQL: no answer while connecting".into()))?
        .map_err(|e| map_error(&e))?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// Runs `op` until it succeeds, retrying failures worth retrying with backoff (bounded).
pub(crate) async fn retrying<T, Fut>(
    retry: &RetryPolicy,
    what: &str,
    mut op: impl FnMut() -> Fut,
) -> Result<T, StoreError>
where
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(e) => match retry.delay_after(attempt).filter(|_| worth_retrying(&e)) {
                Some(delay) => {
                    tracing::warn!(error = %e, attempt, "PostgreSQL {what}: retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return Err(e),
            },
        }
    }
}

/// Decodes a row of [`EVENT_COLUMNS`].
pub(crate) fn decode_event(row: &Row) -> Result<RecordedEvent, StoreError> {
    let position: i64 = row.try_get(0).map_err(|e| StoreError::Corrupt {
        position: 0,
        reason: e.to_string(),
    })?;
    let bad = |reason: String| StoreError::Corrupt {
        position: position as u64,
        reason,
    };
    let revision: i64 = row.try_get(2).map_err(|e| bad(e.to_string()))?;
    let schema_version: i64 = row.try_get(5).map_err(|e| bad(e.to_string()))?;
    let hash: &[u8] = row.try_get(8).map_err(|e| bad(e.to_string()))?;
    Ok(RecordedEvent {
        position: position as u64,
        stream: row.try_get(1).map_err(|e| bad(e.to_string()))?,
        revision: revision as u64,
        event_id: row.try_get(3).map_err(|e| bad(e.to_string()))?,
        event_type: row.try_get(4).map_err(|e| bad(e.to_string()))?,
        schema_version: u32::try_from(schema_version)
            .map_err(|_| bad(format!("schema version {schema_version} out of range")))?,
        payload: row.try_get(6).map_err(|e| bad(e.to_string()))?,
        metadata: row.try_get(7).map_err(|e| bad(e.to_string()))?,
        hash: hash
            .try_into()
            .map_err(|_| bad("hash is not 32 bytes".into()))?,
    })
}

/// One column of a row, a type mismatch reported as a backend failure.
pub(crate) fn column<'a, T: tokio_postgres::types::FromSql<'a>>(
    row: &'a Row,
    index: usize,
) -> Result<T, StoreError> {
    row.try_get(index)
        .map_err(|e| StoreError::Backend(format!("PostgreSQL: unexpected column {index}: {e}")))
}

/// An [`AppendResult`] from three columns (next expected revision, first position, position)
/// starting at `first`.
pub(crate) fn command_result(row: &Row, first: usize) -> Result<AppendResult, StoreError> {
    Ok(AppendResult {
        next_expected_revision: column::<i64>(row, first)? as u64,
        first_position: column::<i64>(row, first + 1)? as u64,
        position: column::<i64>(row, first + 2)? as u64,
    })
}

/// A reader's connection and its prepared statements.
pub(crate) struct ReadConn {
    client: Client,
    all: Statement,
    stream: Statement,
    revision: Statement,
    command: Statement,
}

impl ReadConn {
    async fn open(connector: &Connector) -> Result<Self, StoreError> {
        let client = connect(connector).await?;
        let all_sql = format!(
            "SELECT {EVENT_COLUMNS} FROM bangiao_events WHERE position >= $1 \
             ORDER BY position LIMIT $2"
        );
        let stream_sql = format!(
            "SELECT {EVENT_COLUMNS} FROM bangiao_events WHERE stream = $1 AND revision >= $2 \
             ORDER BY revision LIMIT $3"
        );
        let (all, stream, revision, command) = futures::try_join!(
            client.prepare(&all_sql),
            client.prepare(&stream_sql),
            client.prepare(
                "SELECT revision FROM bangiao_events WHERE stream = $1 \
                 ORDER BY revision DESC LIMIT 1"
            ),
            client.prepare(
                "SELECT stream, next_expected_revision, first_position, position \
                 FROM bangiao_commands WHERE command_id = $1"
            ),
        )
        .map_err(|e| map_error(&e))?;
        Ok(Self {
            client,
            all,
            stream,
            revision,
            command,
        })
    }
}

/// A handful of shared reader connections.
pub(crate) struct Readers {
    connector: Connector,
    slots: Vec<tokio::sync::Mutex<Option<Arc<ReadConn>>>>,
    next: AtomicUsize,
    retry: RetryPolicy,
}

impl Readers {
    /// Readers over `count` connections, opened when first needed.
    pub(crate) fn new(connector: Connector, count: usize, retry: RetryPolicy) -> Self {
        Self {
            connector,
            slots: (0..count.max(1))
                .map(|_| tokio::sync::Mutex::new(None))
                .collect(),
            next: AtomicUsize::new(0),
            retry,
        }
    }

    /// The next connection in turn, reopened when it was lost.
    async fn connection(&self) -> Result<(usize, Arc<ReadConn>), StoreError> {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        let mut slot = self.slots[index].lock().await;
        if let Some(conn) = slot.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok((index, conn.clone()));
        }
        let conn = Arc::new(ReadConn::open(&self.connector).await?);
        *slot = Some(conn.clone());
        Ok((index, conn))
    }

    /// Forgets a connection that failed, so the next use opens a new one.
    async fn discard(&self, index: usize, failed: &Arc<ReadConn>) {
        let mut slot = self.slots[index].lock().await;
        if slot.as_ref().is_some_and(|c| Arc::ptr_eq(c, failed)) {
            *slot = None;
        }
    }

    /// Runs a query on a reader connection, retrying lost connections with backoff.
    async fn run<T, F, Fut>(&self, query: F) -> Result<T, StoreError>
    where
        F: Fn(Arc<ReadConn>) -> Fut,
        Fut: Future<Output = Result<T, tokio_postgres::Error>>,
    {
        let timeout = self.connector.timeout;
        retrying(&self.retry, "read", || async {
            let (index, conn) = self.connection().await?;
            let outcome = tokio::time::timeout(timeout, query(conn.clone()))
                .await
                .map_err(|_| StoreError::Unavailable("PostgreSQL: no answer to a read".into()))
                .and_then(|r| r.map_err(|e| map_error(&e)));
            if outcome.as_ref().is_err_and(worth_retrying) {
                self.discard(index, &conn).await;
            }
            outcome
        })
        .await
    }

    /// Up to `max` events of the global log from `from` (inclusive).
    pub(crate) async fn read_all(
        &self,
        from: i64,
        max: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = self
            .run(|c| async move { c.client.query(&c.all, &[&from, &max]).await })
            .await?;
        rows.iter().map(decode_event).collect()
    }

    /// Up to `max` events of a stream from revision `from` (inclusive).
    pub(crate) async fn read_stream(
        &self,
        stream: &str,
        from: i64,
        max: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = self
            .run(|c| async move { c.client.query(&c.stream, &[&stream, &from, &max]).await })
            .await?;
        rows.iter().map(decode_event).collect()
    }

    /// The last revision of a stream.
    pub(crate) async fn stream_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        let row = self
            .run(|c| async move { c.client.query_opt(&c.revision, &[&stream]).await })
            .await?;
        row.map(|r| column::<i64>(&r, 0).map(|v| v as u64))
            .transpose()
    }

    /// Where a command's append landed.
    pub(crate) async fn find_command(
        &self,
        command_id: Uuid,
    ) -> Result<Option<AppendResult>, StoreError> {
        let row = self
            .run(|c| async move { c.client.query_opt(&c.command, &[&command_id]).await })
            .await?;
        row.map(|r| command_result(&r, 1)).transpose()
    }
}

//! Keeps the head up to date with every process's commits: LISTEN on the channel the writers
//! notify, and on each notification (and every `poll_every` regardless, in case one was lost
//! with a connection) read the last position from the table. A notification only wakes; the
//! table is the truth.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::{Notify, watch};
use tokio_postgres::AsyncMessage;

use crate::error::StoreError;
use crate::postgres::config::Connector;
use crate::postgres::error::map_error;
use crate::postgres::writer::CHANNEL;

/// Raises `head` to `to` (never lowers it).
pub(crate) fn raise(head: &watch::Sender<u64>, to: u64) {
    head.send_if_modified(|seen| {
        let raised = to > *seen;
        *seen = (*seen).max(to);
        raised
    });
}

/// Follows the head for as long as the store lives (the task is aborted when it is dropped).
pub(crate) async fn follow_head(
    connector: Connector,
    head: Arc<watch::Sender<u64>>,
    poll_every: Duration,
) {
    let mut failures = 0u32;
    loop {
        let started = tokio::time::Instant::now();
        if let Err(error) = listen(&connector, &head, poll_every).await {
            tracing::debug!(%error, "PostgreSQL head listener: reconnecting");
        }
        failures = if started.elapsed() > Duration::from_secs(10) {
            0
        } else {
            failures + 1
        };
        let wait = Duration::from_millis(100 * u64::from(failures.min(20)));
        tokio::time::sleep(wait).await;
    }
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One connection's worth of listening; returns when the connection fails.
async fn listen(
    connector: &Connector,
    head: &watch::Sender<u64>,
    poll_every: Duration,
) -> Result<(), StoreError> {
    let connecting = connector.config.connect(connector.tls.clone());
    let (client, mut connection) = tokio::time::timeout(connector.timeout, connecting)
        .await
        .map_err(|_| StoreError::Unavailable("PostgreSQL: no answer while connecting".into()))?
        .map_err(|e| map_error(&e))?;
    let wake = Arc::new(Notify::new());
    let woken = wake.clone();
    let _driver = AbortOnDrop(tokio::spawn(async move {
        let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(_)) => woken.notify_one(),
                Ok(_) => {}
                Err(error) => {
                    tracing::debug!(%error, "PostgreSQL listener connection ended");
                    break;
                }
            }
        }
        // Wakes the loop so that its next query finds the connection closed.
        woken.notify_one();
    }));
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .await
        .map_err(|e| map_error(&e))?;
    let last = client
        .prepare("SELECT COALESCE(max(position), 0) FROM bangiao_events")
        .await
        .map_err(|e| map_error(&e))?;
    loop {
        let row = tokio::time::timeout(connector.timeout, client.query_one(&last, &[]))
            .await
            .map_err(|_| StoreError::Unavailable("PostgreSQL: no answer to the head".into()))?
            .map_err(|e| map_error(&e))?;
        let position: i64 = row
            .try_get(0)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        raise(head, position as u64);
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll_every) => {}
        }
    }
}

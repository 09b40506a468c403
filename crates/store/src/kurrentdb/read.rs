//! Reading: the global log by our positions (the index says where each one is in `$all`, the
//! cluster gives the bytes), and single streams straight from the cluster.

use super::KurrentStore;
use super::index::IndexRow;
use super::mapping::{Context, decode_event};
use super::transport::RawEvent;
use crate::error::StoreError;
use crate::event::RecordedEvent;

impl KurrentStore {
    /// Up to `max` events of the global log from `from_position` (inclusive); only indexed
    /// events, so positions and hashes are those every replica computes.
    pub(crate) async fn read_global(
        &self,
        from_position: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let from = from_position.max(1);
        if max == 0 || from > self.tail().position {
            return Ok(Vec::new());
        }
        let before = from - 1;
        let mut rows = self
            .with_index(move |ix| ix.rows(before.max(1), max.saturating_add(1)))
            .await?;
        // Read from the event before `from`, whichever way the server treats a start position.
        let mut cursor = match rows.first() {
            Some(row) if row.position == before => Some(rows.remove(0).kpos),
            _ => None,
        };
        rows.truncate(max);
        let mut out = Vec::with_capacity(rows.len());
        while out.len() < rows.len() {
            let want = rows.len() - out.len() + 1;
            let transport = self.inner.transport.clone();
            let prefixes = &self.inner.prefixes;
            let start = cursor;
            let page = self
                .retrying(Context::ALL, || transport.read_all(start, prefixes, want))
                .await?;
            let mut progressed = false;
            for raw in page {
                if cursor.is_some_and(|c| raw.position <= c) {
                    continue;
                }
                let Some(row) = rows.get(out.len()) else {
                    break;
                };
                out.push(self.recorded(row, &raw)?);
                cursor = Some(raw.position);
                progressed = true;
            }
            if !progressed {
                let missing = &rows[out.len()];
                return Err(StoreError::Corrupt {
                    position: missing.position,
                    reason: format!(
                        "event {} indexed at {} is no longer in $all: the cluster lost or deleted events (rebuild the index by deleting its file)",
                        missing.event_id, missing.kpos
                    ),
                });
            }
        }
        Ok(out)
    }

    /// One indexed event with its bytes from the cluster; they must be the event indexed there.
    fn recorded(&self, row: &IndexRow, raw: &RawEvent) -> Result<RecordedEvent, StoreError> {
        if raw.position != row.kpos || raw.event_id != row.event_id {
            return Err(StoreError::Corrupt {
                position: row.position,
                reason: format!(
                    "$all changed under the index: expected event {} at {}, found {} at {} (rebuild the index by deleting its file)",
                    row.event_id, row.kpos, raw.event_id, raw.position
                ),
            });
        }
        let decoded = decode_event(&self.inner.names, raw).map_err(|e| StoreError::Corrupt {
            position: row.position,
            reason: e.to_string(),
        })?;
        Ok(RecordedEvent {
            position: row.position,
            stream: decoded.stream,
            revision: decoded.revision,
            event_id: decoded.event_id,
            event_type: decoded.event_type,
            schema_version: decoded.schema_version,
            payload: decoded.payload,
            metadata: decoded.metadata,
            hash: row.hash,
        })
    }

    /// Up to `max` events of one stream from a revision; positions and hashes from the index
    /// (read `$all` further when the stream is ahead of it).
    pub(crate) async fn read_one_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if max == 0 || !self.inner.names.owns(stream) {
            return Ok(Vec::new());
        }
        let name = self.inner.names.to_kurrent(stream);
        let transport = self.inner.transport.clone();
        let page = match self
            .retrying(Context::stream(stream), || {
                transport.read_stream(&name, from_revision, max)
            })
            .await
        {
            Ok(page) => page,
            Err(StoreError::NotFound(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut rows = self.rows_of(&page).await?;
        if rows.iter().any(Option::is_none) {
            self.sync().await?;
            rows = self.rows_of(&page).await?;
        }
        page.iter()
            .zip(rows)
            .map(|(raw, row)| match row {
                Some(row) => self.recorded(&row, raw),
                None => Err(StoreError::Unavailable(format!(
                    "event {} of {stream} is not in $all yet",
                    raw.event_id
                ))),
            })
            .collect()
    }

    async fn rows_of(&self, page: &[RawEvent]) -> Result<Vec<Option<IndexRow>>, StoreError> {
        let positions: Vec<_> = page.iter().map(|raw| raw.position).collect();
        self.with_index(move |ix| positions.into_iter().map(|p| ix.at_kpos(p)).collect())
            .await
    }

    /// The last revision of a stream, straight from the cluster.
    pub(crate) async fn last_revision(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        if !self.inner.names.owns(stream) {
            return Ok(None);
        }
        let name = self.inner.names.to_kurrent(stream);
        let transport = self.inner.transport.clone();
        match self
            .retrying(Context::stream(stream), || transport.last_event(&name))
            .await
        {
            Ok(last) => Ok(last.map(|e| e.revision)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

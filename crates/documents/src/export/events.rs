//! A fonds' events as JSON lines, read from the store page by page: the envelope (position,
//! stream, revision, id, type, schema version), the payload and metadata exactly as stored (the
//! bytes the hash chain covers), and the chain hash.

use std::io::Write;

use bangiao_store::{EventStore, RecordedEvent};

use super::ExportError;

/// Events read from the store per page.
pub const PAGE: usize = 1_000;

/// The stream of a fonds.
pub fn fonds_stream(code: &str) -> String {
    format!("{}{code}", bangiao_domain::streams::FONDS_PREFIX)
}

/// Reads every event of `stream` in order, a page at a time, calling `visit` on each.
pub async fn each_event<S: EventStore + ?Sized>(
    store: &S,
    stream: &str,
    mut visit: impl FnMut(&RecordedEvent) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut from = 0;
    let mut count = 0;
    loop {
        let page = store.read_stream(stream, from, PAGE).await?;
        let Some(last) = page.last() else {
            return Ok(count);
        };
        from = last.revision + 1;
        let full = page.len() == PAGE;
        for event in &page {
            visit(event)?;
            count += 1;
        }
        if !full {
            return Ok(count);
        }
    }
}

/// One event as a JSON line (with its newline). Payload and metadata are embedded as stored:
/// they are JSON already, and keeping their bytes lets a reader recompute the chain hash.
pub fn json_line(event: &RecordedEvent) -> Result<String, ExportError> {
    for (what, text) in [("payload", &event.payload), ("metadata", &event.metadata)] {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
            ExportError::Corrupt(format!(
                "event at position {}: {what} is not JSON: {e}",
                event.position
            ))
        })?;
    }
    let text = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    // A JSON line cannot hold a raw line break; stored JSON is compact, but should one have
    // been stored pretty-printed, it is written compact (its bytes then differ from the hashed ones).
    let one_line = |s: &str| -> String {
        if s.contains(['\n', '\r']) {
            serde_json::from_str::<serde_json::Value>(s)
                .map(|v| v.to_string())
                .unwrap_or_default()
        } else {
            s.to_owned()
        }
    };
    Ok(format!(
        "{{\"position\":{},\"stream\":{},\"revision\":{},\"event_id\":\"{}\",\"event_type\":{},\"schema_version\":{},\"payload\":{},\"metadata\":{},\"hash\":\"{}\"}}\n",
        event.position,
        text(&event.stream),
        event.revision,
        event.event_id,
        text(&event.event_type),
        event.schema_version,
        one_line(&event.payload),
        one_line(&event.metadata),
        event.hash_hex()
    ))
}

/// Writes every event of fonds `code` to `out` as JSON lines; returns how many.
pub async fn write_jsonl<S: EventStore + ?Sized, W: Write>(
    store: &S,
    code: &str,
    mut out: W,
) -> Result<u64, ExportError> {
    let n = each_event(store, &fonds_stream(code), |event| {
        out.write_all(json_line(event)?.as_bytes())?;
        Ok(())
    })
    .await?;
    out.flush()?;
    Ok(n)
}

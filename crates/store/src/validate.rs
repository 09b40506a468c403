//! Checks every backend applies to an append before touching storage.

use std::collections::HashSet;

use crate::error::StoreError;
use crate::event::AppendRequest;

/// Longest stream name accepted.
pub const MAX_STREAM_NAME: usize = 200;

/// Refuses an append with no events, a bad stream name or an event id twice in the request.
pub fn validate_request(request: &AppendRequest) -> Result<(), StoreError> {
    let stream = &request.stream;
    if stream.is_empty() || stream.len() > MAX_STREAM_NAME || stream.chars().any(char::is_control) {
        return Err(StoreError::InvalidRequest(format!(
            "bad stream name {stream:?}"
        )));
    }
    if request.events.is_empty() {
        return Err(StoreError::InvalidRequest(
            "an append needs at least one event".into(),
        ));
    }
    let mut seen = HashSet::with_capacity(request.events.len());
    for event in &request.events {
        if !seen.insert(event.event_id) {
            return Err(StoreError::InvalidRequest(format!(
                "event id {} appears twice in one append",
                event.event_id
            )));
        }
        if event.event_type.is_empty() {
            return Err(StoreError::InvalidRequest(
                "an event needs a type name".into(),
            ));
        }
    }
    Ok(())
}

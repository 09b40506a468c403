//! Upcasting: old payload versions are turned into the current shape on read, never rewritten.
//! The steps are pure JSON transformations; the set every reader applies is
//! [`crate::events::upcasters`].

use std::borrow::Cow;
use std::collections::HashMap;

/// Turns a payload of one schema version into the next version's shape.
pub type UpcastStep = fn(serde_json::Value) -> serde_json::Value;

/// Why a stored payload cannot be brought to the current version.
#[derive(Debug, thiserror::Error)]
pub enum UpcastError {
    /// No step is registered from this version.
    #[error("no upcaster for {event_type} from schema version {version}")]
    Missing {
        /// The type name.
        event_type: String,
        /// The version with no step.
        version: u32,
    },
    /// The stored payload is newer than this code.
    #[error("{event_type} has schema version {stored}, newer than this program's {current}")]
    TooNew {
        /// The type name.
        event_type: String,
        /// The version stored.
        stored: u32,
        /// The version this code writes.
        current: u32,
    },
    /// The stored payload is not JSON.
    #[error("payload of {event_type} is not JSON: {source}")]
    NotJson {
        /// The type name.
        event_type: String,
        /// What serde reported.
        source: serde_json::Error,
    },
}

/// The registered upcasting steps, keyed by event type and the version they upgrade from.
#[derive(Debug, Default, Clone)]
pub struct Upcasters {
    steps: HashMap<(String, u32), UpcastStep>,
}

impl Upcasters {
    /// No steps: every stored payload must already be current.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the step that upgrades `event_type` from `from_version` to `from_version + 1`.
    pub fn register(mut self, event_type: &str, from_version: u32, step: UpcastStep) -> Self {
        self.steps
            .insert((event_type.to_owned(), from_version), step);
        self
    }

    /// The payload of a stored `event_type` of schema version `stored`, in the shape of version
    /// `current`; borrowed when already current.
    pub fn upcast<'a>(
        &self,
        event_type: &str,
        stored: u32,
        payload: &'a str,
        current: u32,
    ) -> Result<Cow<'a, str>, UpcastError> {
        if stored == current {
            return Ok(Cow::Borrowed(payload));
        }
        if stored > current {
            return Err(UpcastError::TooNew {
                event_type: event_type.to_owned(),
                stored,
                current,
            });
        }
        let mut value: serde_json::Value =
            serde_json::from_str(payload).map_err(|source| UpcastError::NotJson {
                event_type: event_type.to_owned(),
                source,
            })?;
        for version in stored..current {
            let step = self
                .steps
                .get(&(event_type.to_owned(), version))
                .ok_or_else(|| UpcastError::Missing {
                    event_type: event_type.to_owned(),
                    version,
                })?;
            value = step(value);
        }
        Ok(Cow::Owned(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename_name_to_title(mut v: serde_json::Value) -> serde_json::Value {
        if let Some(name) = v.as_object_mut().and_then(|o| o.remove("name")) {
            v["title"] = name;
        }
        v
    }

    #[test]
    fn old_payloads_are_upcast_and_current_ones_borrowed() {
        let up = Upcasters::new().register("FileRecorded", 1, rename_name_to_title);
        assert_eq!(
            up.upcast("FileRecorded", 1, r#"{"name":"Hồ sơ"}"#, 2)
                .expect("step registered"),
            r#"{"title":"Hồ sơ"}"#
        );
        assert!(matches!(
            up.upcast("FileRecorded", 2, r#"{"title":"x"}"#, 2),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn a_missing_step_or_a_newer_payload_is_an_error() {
        let up = Upcasters::new();
        assert!(matches!(
            up.upcast("FileRecorded", 1, "{}", 2),
            Err(UpcastError::Missing { version: 1, .. })
        ));
        assert!(matches!(
            up.upcast("FileRecorded", 3, "{}", 2),
            Err(UpcastError::TooNew { .. })
        ));
    }
}

//! The event registry: the one upcaster set every reader of the log applies, and the one way a
//! stored event is read back (upcast to its type's current schema version, then decoded).
//! The event types and their versions are declared with [`crate::event_enum!`]; the stream
//! names they are stored under are in [`crate::streams`].

use std::borrow::Cow;

use crate::DomainEvent;
use crate::aggregate::DecodeError;
use crate::upcast::{UpcastError, Upcasters};

/// The upcasting steps of every event type whose schema version was ever raised.
///
/// Register a step here when a variant of an event enum gains `(version N)`: the command
/// handler, the read models and the feed all read the log through this one set.
pub fn upcasters() -> Upcasters {
    Upcasters::new()
}

/// Why a stored event cannot be read back.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Its payload cannot be brought to the current schema version.
    #[error(transparent)]
    Upcast(#[from] UpcastError),
    /// Its (upcast) payload does not decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// The payload of a stored event of `E`, in the shape of its type's current schema version.
pub fn current_payload<'a, E: DomainEvent>(
    upcasters: &Upcasters,
    event_type: &str,
    stored_version: u32,
    payload: &'a str,
) -> Result<Cow<'a, str>, UpcastError> {
    upcasters.upcast(
        event_type,
        stored_version,
        payload,
        E::current_schema_version(event_type),
    )
}

/// Reads back a stored event of `E`: upcast to its type's current version, then decoded.
pub fn decode<E: DomainEvent>(
    upcasters: &Upcasters,
    event_type: &str,
    stored_version: u32,
    payload: &str,
) -> Result<E, ReadError> {
    let payload = current_payload::<E>(upcasters, event_type, stored_version, payload)?;
    Ok(E::from_payload(event_type, &payload)?)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    /// An event type whose payload was reshaped once.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Renamed {
        title: String,
    }

    /// An event type still at its first version.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Kept {
        name: String,
    }

    crate::event_enum! {
        /// Two event types at different schema versions.
        pub enum TestEvent {
            Kept,
            Renamed (version 2),
        }
    }

    fn name_to_title(mut v: serde_json::Value) -> serde_json::Value {
        if let Some(name) = v.as_object_mut().and_then(|o| o.remove("name")) {
            v["title"] = name;
        }
        v
    }

    #[test]
    fn each_event_type_has_its_own_schema_version() {
        assert_eq!(TestEvent::current_schema_version("Kept"), 1);
        assert_eq!(TestEvent::current_schema_version("Renamed"), 2);
        let renamed = TestEvent::Renamed(Renamed { title: "x".into() });
        assert_eq!(renamed.schema_version(), 2);
        assert_eq!(
            TestEvent::Kept(Kept { name: "x".into() }).schema_version(),
            1
        );
    }

    #[test]
    fn a_registered_step_brings_an_old_payload_to_its_types_version() {
        let registry = Upcasters::new().register("Renamed", 1, name_to_title);
        let old = r#"{"name":"Hồ sơ"}"#;
        assert_eq!(
            decode::<TestEvent>(&registry, "Renamed", 1, old).expect("upcast"),
            TestEvent::Renamed(Renamed {
                title: "Hồ sơ".into()
            })
        );
        // The other type is at version 1: its payload is read as stored, with no step.
        assert_eq!(
            decode::<TestEvent>(&registry, "Kept", 1, old).expect("current"),
            TestEvent::Kept(Kept {
                name: "Hồ sơ".into()
            })
        );
        // Without the step the old payload is refused, never misread.
        assert!(matches!(
            decode::<TestEvent>(&upcasters(), "Renamed", 1, old),
            Err(ReadError::Upcast(UpcastError::Missing { version: 1, .. }))
        ));
    }

    #[test]
    fn every_stored_event_type_is_at_its_first_version() {
        // Raising one is a stored-contract change: register its upcaster in `upcasters`.
        for event_type in crate::FondsEvent::event_types() {
            assert_eq!(crate::FondsEvent::current_schema_version(event_type), 1);
        }
        for event_type in crate::UnitEvent::event_types() {
            assert_eq!(crate::UnitEvent::current_schema_version(event_type), 1);
        }
        for event_type in crate::FixityEvent::event_types() {
            assert_eq!(crate::FixityEvent::current_schema_version(event_type), 1);
        }
    }
}

//! The shape every aggregate shares: commands in, events out, events folded into state.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::DomainError;

/// A consistency boundary: one event stream, decided and folded by pure functions.
pub trait Aggregate {
    /// The decision state folded from the stream's events (compact: ids and statuses).
    type State: Default + Clone + Send + Sync + 'static;
    /// What a caller asks the aggregate to do.
    type Command: Send + Sync;
    /// What the aggregate records when it accepts a command.
    type Event: DomainEvent;

    /// Prefix of the stream names of this aggregate, one of [`crate::streams`]' prefixes.
    const STREAM_PREFIX: &'static str;

    /// Decides whether the command is accepted against the state, and which events record it.
    fn decide(
        state: &Self::State,
        command: &Self::Command,
    ) -> Result<Vec<Self::Event>, DomainError>;

    /// Folds one recorded event into the state.
    fn evolve(state: &mut Self::State, event: &Self::Event);

    /// Folds events in order into a fresh state.
    fn replay<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self::State
    where
        Self::Event: 'a,
    {
        let mut state = Self::State::default();
        for event in events {
            Self::evolve(&mut state, event);
        }
        state
    }
}

/// An event as a stored contract: a stable type name, a schema version and a JSON payload.
pub trait DomainEvent: Sized + Clone + Send + Sync + 'static {
    /// The stable type name stored with the event, e.g. `"FondsClosed"`.
    fn event_type(&self) -> &'static str;
    /// The schema version of the payload this code writes.
    fn schema_version(&self) -> u32 {
        Self::current_schema_version(self.event_type())
    }
    /// The schema version this code writes for the named event type (the first version for a
    /// type this aggregate does not know, which [`DomainEvent::from_payload`] then refuses).
    fn current_schema_version(event_type: &str) -> u32;
    /// The payload as JSON text.
    fn to_payload(&self) -> String;
    /// Rebuilds the event from its stored type name and (already upcast) JSON payload.
    fn from_payload(event_type: &str, payload: &str) -> Result<Self, DecodeError>;
    /// Every event type name this aggregate can record.
    fn event_types() -> &'static [&'static str];
}

/// A stored event that this code cannot read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The type name is not one this aggregate knows.
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    /// The payload does not match the type's current schema.
    #[error("event {event_type}: payload does not match its schema: {source}")]
    Payload {
        /// The stored type name.
        event_type: String,
        /// What serde reported.
        source: serde_json::Error,
    },
}

/// Serializes one payload struct; payload structs are plain data and cannot fail to serialize.
pub fn payload_json<T: Serialize>(payload: &T) -> String {
    serde_json::to_string(payload)
        .expect("payload structs hold only strings, numbers, dates and lists")
}

/// Parses one payload struct of the named event type.
pub fn payload_from<T: DeserializeOwned>(
    event_type: &str,
    payload: &str,
) -> Result<T, DecodeError> {
    serde_json::from_str(payload).map_err(|source| DecodeError::Payload {
        event_type: event_type.to_owned(),
        source,
    })
}

/// The schema version of an event type whose declaration names none.
pub const FIRST_SCHEMA_VERSION: u32 = 1;

/// Declares an event enum whose variants each wrap one payload struct of the same name,
/// and implements [`DomainEvent`] for it: the variant name is the stored type name.
///
/// Each event type has its own schema version: [`FIRST_SCHEMA_VERSION`] unless the variant
/// says `(version N)`. Raise it when the payload's shape changes, and register the step from
/// the old shape in [`crate::events::upcasters`].
///
/// ```ignore
/// event_enum! {
///     /// Events of the fonds stream.
///     pub enum FondsEvent {
///         FondsOpened,
///         FondsClosed (version 2),
///     }
/// }
/// ```
#[macro_export]
macro_rules! event_enum {
    (@version) => { $crate::aggregate::FIRST_SCHEMA_VERSION };
    (@version $version:literal) => { $version };
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident $((version $version:literal))?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $(
                #[doc = concat!("See [`", stringify!($variant), "`].")]
                $variant($variant),
            )+
        }

        impl $crate::DomainEvent for $name {
            fn event_type(&self) -> &'static str {
                match self { $( Self::$variant(_) => stringify!($variant), )+ }
            }
            fn current_schema_version(event_type: &str) -> u32 {
                match event_type {
                    $( stringify!($variant) => $crate::event_enum!(@version $($version)?), )+
                    _ => $crate::aggregate::FIRST_SCHEMA_VERSION,
                }
            }
            fn to_payload(&self) -> String {
                match self { $( Self::$variant(p) => $crate::aggregate::payload_json(p), )+ }
            }
            fn from_payload(event_type: &str, payload: &str) -> Result<Self, $crate::DecodeError> {
                match event_type {
                    $( stringify!($variant) => Ok(Self::$variant($crate::aggregate::payload_from(event_type, payload)?)), )+
                    other => Err($crate::DecodeError::UnknownType(other.to_owned())),
                }
            }
            fn event_types() -> &'static [&'static str] {
                &[$( stringify!($variant) ),+]
            }
        }

        $(
            impl From<$variant> for $name {
                fn from(payload: $variant) -> Self {
                    Self::$variant(payload)
                }
            }
        )+
    };
}

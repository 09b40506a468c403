//! The envelope of a command: its ids parsed once for every door, in the caller's name.

use bangiao_auth::Principal;
use bangiao_store::ActorRef;
use uuid::Uuid;

use crate::handler::CommandMeta;

/// The envelope fields a door read from its transport, not yet parsed.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// The command id (HTTP `Idempotency-Key`, gRPC `command_id`, a form's `command_id`); a
    /// fresh one when absent.
    pub command_id: Option<String>,
    /// The conversation the command belongs to (HTTP `X-Correlation-Id`, gRPC
    /// `correlation_id`, a form's `correlation_id`).
    pub correlation_id: Option<String>,
    /// The stream revision the caller saw.
    pub expected_revision: Option<u64>,
    /// A digest of the request that carried the command (see [`CommandMeta::request_digest`]).
    pub request_digest: Option<String>,
}

/// An envelope field that is not what it must be (400, `invalid_argument`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// The command id is not a UUID.
    #[error("the command id (Idempotency-Key) must be a UUID")]
    CommandId,
    /// The correlation id is not a UUID.
    #[error("the correlation id must be a UUID")]
    CorrelationId,
}

impl EnvelopeError {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            Self::CommandId => "invalid_idempotency_key",
            Self::CorrelationId => "invalid_correlation_id",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(self) -> &'static str {
        match self {
            Self::CommandId => "Mã lệnh (Idempotency-Key, command_id) phải là một UUID.",
            Self::CorrelationId => {
                "Mã tương quan (X-Correlation-Id, correlation_id) phải là một UUID."
            }
        }
    }

    /// The message in English.
    pub fn message_en(self) -> &'static str {
        match self {
            Self::CommandId => "The command id (Idempotency-Key, command_id) must be a UUID.",
            Self::CorrelationId => {
                "The correlation id (X-Correlation-Id, correlation_id) must be a UUID."
            }
        }
    }
}

impl Envelope {
    /// The command's envelope in `who`'s name, refusing an id that is not a UUID.
    pub fn meta(&self, who: &Principal) -> Result<CommandMeta, EnvelopeError> {
        let (command_id, correlation_id) = self.ids()?;
        let mut meta = CommandMeta::new(command_id.unwrap_or_else(Uuid::now_v7));
        meta.expected_revision = self.expected_revision;
        meta.request_digest = self.request_digest.clone();
        meta.correlation_id = correlation_id;
        meta.actor = Some(actor(who));
        Ok(meta)
    }

    /// Refuses an id that is not a UUID, for a door that checks its envelope before it reads
    /// the command (the pipeline checks it again, the same way).
    pub fn validate(&self) -> Result<(), EnvelopeError> {
        self.ids().map(|_| ())
    }

    /// The command id and the correlation id, when given.
    fn ids(&self) -> Result<(Option<Uuid>, Option<Uuid>), EnvelopeError> {
        let parse = |text: Option<&str>, error: EnvelopeError| match text
            .map(|t| t.trim().trim_matches('"'))
        {
            None | Some("") => Ok(None),
            Some(id) => Uuid::parse_str(id).map(Some).map_err(|_| error),
        };
        Ok((
            parse(self.command_id.as_deref(), EnvelopeError::CommandId)?,
            parse(self.correlation_id.as_deref(), EnvelopeError::CorrelationId)?,
        ))
    }
}

/// The caller as the actor of the events it causes: id, role and scope, with the name, title
/// and organ its credential gives (so the events that sign minutes record who signed, as they
/// were named then). Every door names its actor through this.
pub fn actor(who: &Principal) -> ActorRef {
    ActorRef {
        name: who.person.name.clone(),
        title: who.person.title.clone(),
        organ: who.person.organ.clone(),
        ..ActorRef::new(&who.user_id, who.role.as_str(), who.scope.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clerk() -> Principal {
        Principal {
            user_id: "clerk.a".into(),
            role: bangiao_auth::Role::Clerk,
            scope: Some("U1".into()),
            person: bangiao_auth::Person::default(),
        }
    }

    #[test]
    fn an_envelope_refuses_ids_that_are_not_uuids() {
        let bad_correlation = Envelope {
            correlation_id: Some("not-a-uuid".into()),
            ..Envelope::default()
        };
        assert_eq!(
            bad_correlation.meta(&clerk()).expect_err("refused").code(),
            "invalid_correlation_id"
        );
        let bad_command = Envelope {
            command_id: Some("abc".into()),
            ..Envelope::default()
        };
        assert_eq!(
            bad_command.meta(&clerk()).expect_err("refused").code(),
            "invalid_idempotency_key"
        );
        let id = Uuid::now_v7();
        let good = Envelope {
            command_id: Some(format!("\"{id}\"")),
            correlation_id: Some(id.to_string()),
            expected_revision: Some(3),
            request_digest: None,
        };
        let meta = good.meta(&clerk()).expect("valid");
        assert_eq!(
            (meta.command_id, meta.correlation_id, meta.expected_revision),
            (id, Some(id), Some(3))
        );
        assert_eq!(meta.actor.expect("actor").user_id, "clerk.a");
    }
}

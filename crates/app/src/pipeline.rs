//! The one command pipeline of every front door (the HTTP API, gRPC and the pages): admit the
//! command under the one write limit, authorise it with the permission the command itself asks
//! for, build its envelope in the caller's name, execute it through the [`Service`], and keep a
//! refusal in the audit log. The doors only translate their transport to and from it, so a
//! refusal has the same stable code whichever door it came through.

use std::future::Future;
use std::sync::Arc;

use bangiao_auth::Principal;
use bangiao_auth::policy::{self, Action, Denial, Facts, Resource};
use bangiao_auth::token::{AccessDenied, AuditEvent};
use bangiao_domain::DomainEvent;
use bangiao_domain::fonds::*;
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit, UnitDetails};
use bangiao_domain::values::{FondsCode, UnitCode};
use bangiao_store::{ActorRef, AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::handler::{CommandMeta, HandleError};
use crate::service::{Accepted, Service};

/// The permits of commands in flight: at most this many at once, whichever door they came by.
#[derive(Debug, Clone)]
pub struct WritePermits(Arc<Semaphore>);

impl WritePermits {
    /// Room for `limit` commands in flight.
    pub fn new(limit: usize) -> Self {
        Self(Arc::new(Semaphore::new(limit.max(1))))
    }

    /// A permit for one command, held until its last clone is dropped; `None` when all are taken.
    pub fn try_acquire(&self) -> Option<Permit> {
        self.0
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|p| Permit(Arc::new(p)))
    }

    /// Commands that could still be admitted now.
    pub fn available(&self) -> usize {
        self.0.available_permits()
    }
}

/// Proof that a command was admitted: one write permit, released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Permit(#[allow(dead_code)] Arc<OwnedSemaphorePermit>);

/// Every act a front door can ask for, with what addresses it.
#[derive(Debug, Clone)]
pub enum Command {
    /// An act on one fonds (opening it included: its code is the one the command opens).
    Fonds {
        /// The fonds acted on.
        code: FondsCode,
        /// The act.
        command: FondsCommand,
    },
    /// Đăng ký đơn vị.
    RegisterUnit(RegisterUnit),
    /// Kết thúc hoạt động of a unit.
    EndUnit {
        /// The unit ended.
        code: UnitCode,
        /// The act.
        command: EndUnit,
    },
    /// Sáp nhập: units merged into a successor.
    MergeUnits {
        /// The successor.
        successor: UnitCode,
        /// The units merged.
        predecessors: Vec<UnitCode>,
        /// The act.
        command: MergeUnits,
    },
    /// Chia: a unit split into new ones.
    SplitUnit {
        /// The unit divided.
        predecessor: UnitCode,
        /// The new units.
        successors: Vec<(UnitCode, UnitDetails)>,
        /// The act.
        command: SplitUnit,
    },
}

/// The policy's action a command type asks for: every act declares its own.
pub trait Act {
    /// The action.
    const ACTION: Action;
}

/// Declares the action of each command type.
macro_rules! acts {
    ($($action:ident: $($command:ty),+;)+) => {
        $($(impl Act for $command {
            const ACTION: Action = Action::$action;
        })+)+
    };
}

acts! {
    WriteFonds: OpenFonds, RecordCreatorHistory, CloseFonds, RecordFile, CorrectFile,
        AppraiseRetention, DigitiseFile, DeclassifyFile, MarkFileMissing, MarkFileDamaged,
        MarkFileFound, FlagUnfinished, DraftHandover, SignHandover, CancelHandover,
        RegisterTransfer;
    ReceiveHandover: ReceiveHandover;
    ArchiveTransfer: AppraiseTransferList, AcceptTransfer;
    CurateFonds: ProposeDestruction, ExecuteDestruction, CancelDestruction, PlaceHold, LiftHold;
    ApproveDestruction: ApproveDestruction;
    Administer: RegisterUnit, EndUnit, MergeUnits, SplitUnit;
}

/// The policy's action a fonds command asks for (one arm per act, no default).
pub fn fonds_action(command: &FondsCommand) -> Action {
    use FondsCommand as C;
    match command {
        C::Open(_) => OpenFonds::ACTION,
        C::RecordCreatorHistory(_) => RecordCreatorHistory::ACTION,
        C::Close(_) => CloseFonds::ACTION,
        C::RecordFile(_) => RecordFile::ACTION,
        C::CorrectFile(_) => CorrectFile::ACTION,
        C::AppraiseRetention(_) => AppraiseRetention::ACTION,
        C::DigitiseFile(_) => DigitiseFile::ACTION,
        C::DeclassifyFile(_) => DeclassifyFile::ACTION,
        C::MarkFileMissing(_) => MarkFileMissing::ACTION,
        C::MarkFileDamaged(_) => MarkFileDamaged::ACTION,
        C::MarkFileFound(_) => MarkFileFound::ACTION,
        C::FlagUnfinished(_) => FlagUnfinished::ACTION,
        C::DraftHandover(_) => DraftHandover::ACTION,
        C::SignHandover(_) => SignHandover::ACTION,
        C::ReceiveHandover(_) => ReceiveHandover::ACTION,
        C::CancelHandover(_) => CancelHandover::ACTION,
        C::RegisterTransfer(_) => RegisterTransfer::ACTION,
        C::AppraiseTransferList(_) => AppraiseTransferList::ACTION,
        C::AcceptTransfer(_) => AcceptTransfer::ACTION,
        C::ProposeDestruction(_) => ProposeDestruction::ACTION,
        C::ApproveDestruction(_) => ApproveDestruction::ACTION,
        C::ExecuteDestruction(_) => ExecuteDestruction::ACTION,
        C::CancelDestruction(_) => CancelDestruction::ACTION,
        C::PlaceHold(_) => PlaceHold::ACTION,
        C::LiftHold(_) => LiftHold::ACTION,
    }
}

/// The person a fonds command names as acting (signer, proposer, approver…), if it names one.
pub fn named_actor(command: &FondsCommand) -> Option<&str> {
    use FondsCommand as C;
    let named = match command {
        C::Open(_)
        | C::RecordCreatorHistory(_)
        | C::Close(_)
        | C::RecordFile(_)
        | C::CorrectFile(_)
        | C::AppraiseRetention(_)
        | C::DigitiseFile(_)
        | C::DeclassifyFile(_)
        | C::MarkFileMissing(_)
        | C::MarkFileDamaged(_)
        | C::MarkFileFound(_)
        | C::FlagUnfinished(_) => return None,
        C::DraftHandover(c) => &c.giving_person,
        C::SignHandover(c) => &c.signed_by,
        C::ReceiveHandover(c) => &c.received_by,
        C::CancelHandover(c) => &c.cancelled_by,
        C::RegisterTransfer(c) => &c.registered_by,
        C::AppraiseTransferList(c) => &c.appraised_by,
        C::AcceptTransfer(c) => &c.accepted_by,
        C::ProposeDestruction(c) => &c.proposed_by,
        C::ApproveDestruction(c) => &c.approved_by,
        C::ExecuteDestruction(c) => &c.executed_by,
        C::CancelDestruction(c) => &c.cancelled_by,
        C::PlaceHold(c) => &c.placed_by,
        C::LiftHold(c) => &c.lifted_by,
    };
    Some(named.as_str())
}

/// What a command's scope is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A fonds, by its code.
    Fonds(&'a str),
    /// A unit, by its code (opening a fonds for it).
    Unit(&'a str),
    /// Nothing in particular (unit acts, which are not scoped).
    Nothing,
}

impl Command {
    /// The policy's action this command asks for.
    pub fn action(&self) -> Action {
        match self {
            Self::Fonds { command, .. } => fonds_action(command),
            Self::RegisterUnit(_) => RegisterUnit::ACTION,
            Self::EndUnit { .. } => EndUnit::ACTION,
            Self::MergeUnits { .. } => MergeUnits::ACTION,
            Self::SplitUnit { .. } => SplitUnit::ACTION,
        }
    }

    /// What the command's scope is judged on.
    pub fn target(&self) -> Target<'_> {
        match self {
            Self::Fonds {
                command: FondsCommand::Open(open),
                ..
            } => Target::Unit(open.unit_code.as_str()),
            Self::Fonds { code, .. } => Target::Fonds(code.as_str()),
            Self::RegisterUnit(_)
            | Self::EndUnit { .. }
            | Self::MergeUnits { .. }
            | Self::SplitUnit { .. } => Target::Nothing,
        }
    }

    /// The fonds named in the audit of a refusal, if any.
    fn resource(&self) -> Option<String> {
        match self {
            Self::Fonds { code, .. } => Some(code.to_string()),
            Self::RegisterUnit(_)
            | Self::EndUnit { .. }
            | Self::MergeUnits { .. }
            | Self::SplitUnit { .. } => None,
        }
    }

    /// The person the command names as acting, if any.
    fn named_actor(&self) -> Option<&str> {
        match self {
            Self::Fonds { command, .. } => named_actor(command),
            Self::RegisterUnit(_)
            | Self::EndUnit { .. }
            | Self::MergeUnits { .. }
            | Self::SplitUnit { .. } => None,
        }
    }
}

/// The scope facts of a caller and a target, gathered by whoever holds the read models (the
/// server); the pipeline only asks.
pub trait ScopeFacts: Sync {
    /// Why the facts could not be gathered (the read models failed).
    type Error: Send;

    /// The facts `who` taking `action` on `target` is judged on, as the log stands now.
    fn facts(
        &self,
        who: &Principal,
        action: Action,
        target: Target<'_>,
    ) -> impl Future<Output = Result<Facts, Self::Error>> + Send;
}

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

/// Why the pipeline did not execute a command, or how it failed.
#[derive(Debug, thiserror::Error)]
pub enum Refusal<E> {
    /// Every write permit is taken: retry in a moment (`busy`).
    #[error("the service is busy writing")]
    Busy,
    /// The policy refused the caller (wrong role, out of scope, acting as another).
    #[error(transparent)]
    Denied(Denial),
    /// The envelope is malformed.
    #[error(transparent)]
    Envelope(EnvelopeError),
    /// The scope facts could not be gathered.
    #[error("the scope facts could not be gathered")]
    Facts(E),
    /// The domain refused the act, or the store failed.
    #[error(transparent)]
    Handle(#[from] HandleError),
}

/// Keeps a refusal in the audit log (and the service log): the one place every door audits.
pub async fn record_refusal<S: EventStore + ?Sized>(
    store: &S,
    who: &Principal,
    action: String,
    resource: Option<String>,
    denial: &Denial,
) {
    tracing::warn!(user = %who.user_id, role = who.role.as_str(), %action, ?resource, reason = denial.code(), "request refused");
    let event = AuditEvent::AccessDenied(AccessDenied {
        user_id: who.user_id.clone(),
        role: Some(who.role),
        action,
        resource,
        reason: denial.code().to_owned(),
    });
    let mut metadata = EventMetadata::recorded_now();
    metadata.actor = Some(actor(who));
    let request = AppendRequest {
        stream: format!("audit-{}", chrono::Utc::now().format("%Y-%m-%d")),
        expected: ExpectedState::Any,
        command_id: None,
        events: vec![NewEvent::new(
            Uuid::now_v7(),
            event.event_type(),
            event.schema_version(),
            event.to_payload(),
            &metadata,
        )],
    };
    if let Err(error) = store.append(request).await {
        tracing::error!(%error, "could not keep a refusal in the audit log");
    }
}

/// The command pipeline over one service and one write limit.
pub struct Pipeline<S: EventStore + Clone> {
    service: Arc<Service<S>>,
    permits: WritePermits,
}

impl<S: EventStore + Clone> Clone for Pipeline<S> {
    fn clone(&self) -> Self {
        Self {
            service: self.service.clone(),
            permits: self.permits.clone(),
        }
    }
}

/// Proof that the policy allowed a caller an action on a fonds (or on nothing in particular):
/// what a door's first gate decided before the command was read, so that the pipeline need not
/// gather the same facts again. Only [`Pipeline::decide`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    user: String,
    action: Action,
    fonds: Option<String>,
}

impl Decided {
    /// Whether this decision is the one `command` of `who` needs.
    fn covers(&self, who: &Principal, command: &Command) -> bool {
        let fonds = match command.target() {
            Target::Fonds(code) => Some(code),
            Target::Nothing => None,
            Target::Unit(_) => return false,
        };
        self.user == who.user_id
            && self.action == command.action()
            && self.fonds.as_deref() == fonds
    }
}

/// One command as a door hands it over.
#[derive(Debug)]
pub struct Call<'a> {
    /// The authenticated caller.
    pub who: &'a Principal,
    /// What the caller asked, as named in the audit log (e.g. `POST /api/v1/fonds/{code}/close`).
    pub asked: &'a str,
    /// The act.
    pub command: Command,
    /// Its envelope fields.
    pub envelope: Envelope,
    /// What the door's first gate decided, if it had one.
    pub decided: Option<Decided>,
}

impl<S: EventStore + Clone> Pipeline<S> {
    /// The pipeline of `service`, admitting at most as many commands as `permits` hold.
    pub fn new(service: Arc<Service<S>>, permits: WritePermits) -> Self {
        Self { service, permits }
    }

    /// Admits one command, or refuses it at once (`busy`) when every permit is taken. Doors
    /// admit first, before anything else is done for the command.
    pub fn admit<E>(&self) -> Result<Permit, Refusal<E>> {
        self.permits.try_acquire().ok_or(Refusal::Busy)
    }

    /// Authorises an admitted command with its own action, builds its envelope, executes it and
    /// audits a refusal of the policy.
    pub async fn run<F: ScopeFacts>(
        &self,
        _admitted: &Permit,
        scope: &F,
        call: Call<'_>,
    ) -> Result<Accepted, Refusal<F::Error>> {
        let Call {
            who,
            asked,
            command,
            envelope,
            decided,
        } = call;
        if !decided.is_some_and(|d| d.covers(who, &command)) {
            let (action, target) = (command.action(), command.target());
            self.decide(scope, who, action, target, asked, command.resource())
                .await?;
        }
        if let Err(denial) = policy::acting_as(who, command.named_actor()) {
            self.refuse(who, asked, command.resource(), &denial).await;
            return Err(Refusal::Denied(denial));
        }
        let meta = envelope.meta(who).map_err(Refusal::Envelope)?;
        Ok(self.execute(command, &meta).await?)
    }

    /// The policy's decision on `who` taking `action` on `target`, with the facts `scope`
    /// gathers; a refusal is audited as `asked`, naming `resource`.
    pub async fn decide<F: ScopeFacts>(
        &self,
        scope: &F,
        who: &Principal,
        action: Action,
        target: Target<'_>,
        asked: &str,
        resource: Option<String>,
    ) -> Result<Decided, Refusal<F::Error>> {
        let facts = if action.roles().contains(&who.role) {
            scope
                .facts(who, action, target)
                .await
                .map_err(Refusal::Facts)?
        } else {
            Facts::default()
        };
        let named = match target {
            Target::Fonds(code) => Some(Resource::Fonds(code.to_owned())),
            Target::Unit(code) => Some(Resource::Unit(code.to_owned())),
            Target::Nothing => None,
        };
        if let Err(denial) = policy::authorize(who, action, facts) {
            let denial = match named {
                Some(named) => denial.concerning(named),
                None => denial,
            };
            self.refuse(who, asked, resource, &denial).await;
            return Err(Refusal::Denied(denial));
        }
        Ok(Decided {
            user: who.user_id.clone(),
            action,
            fonds: match target {
                Target::Fonds(code) => Some(code.to_owned()),
                Target::Unit(_) | Target::Nothing => None,
            },
        })
    }

    /// Keeps a refusal in the audit log.
    pub async fn refuse(
        &self,
        who: &Principal,
        asked: &str,
        resource: Option<String>,
        denial: &Denial,
    ) {
        record_refusal(
            self.service.store(),
            who,
            asked.to_owned(),
            resource,
            denial,
        )
        .await;
    }

    /// Hands the command to the service.
    async fn execute(&self, command: Command, meta: &CommandMeta) -> Result<Accepted, HandleError> {
        let service = &self.service;
        match command {
            Command::Fonds { code, command } => service.fonds_command(&code, command, meta).await,
            Command::RegisterUnit(command) => service.register_unit(command, meta).await,
            Command::EndUnit { code, command } => service.end_unit(&code, command, meta).await,
            Command::MergeUnits {
                successor,
                predecessors,
                command,
            } => {
                service
                    .merge_units(&successor, &predecessors, command, meta)
                    .await
            }
            Command::SplitUnit {
                predecessor,
                successors,
                command,
            } => {
                service
                    .split_unit(&predecessor, successors, command, meta)
                    .await
            }
        }
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

    #[test]
    fn write_permits_are_released_with_their_last_clone() {
        let permits = WritePermits::new(1);
        let permit = permits.try_acquire().expect("one");
        let copy = permit.clone();
        assert!(permits.try_acquire().is_none());
        drop(permit);
        assert!(permits.try_acquire().is_none(), "a clone still holds it");
        drop(copy);
        assert!(permits.try_acquire().is_some());
    }
}

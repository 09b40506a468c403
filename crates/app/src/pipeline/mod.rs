//! The one command pipeline of every front door (the HTTP API, gRPC and the pages): admit the
//! command under the one write limit, authorise it with the permission the command itself asks
//! for, build its envelope in the caller's name, execute it through the [`Service`], and keep a
//! refusal in the audit log. The doors only translate their transport to and from it, so a
//! refusal has the same stable code whichever door it came through.

mod admission;
mod audit;
mod commands;
mod envelope;

use std::future::Future;
use std::sync::Arc;

use bangiao_auth::Principal;
use bangiao_auth::policy::{self, Action, Denial, Facts, Resource};
use bangiao_store::EventStore;

pub use admission::{Permit, WritePermits};
pub use audit::record_refusal;
pub use commands::{Act, Command, Target, fonds_action, named_actor};
pub use envelope::{Envelope, EnvelopeError, actor};

use crate::handler::{CommandMeta, HandleError};
use crate::service::{Accepted, Service};

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

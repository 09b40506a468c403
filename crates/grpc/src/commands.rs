//! The `Commands` service: each act decoded into the domain's own command (so the HTTP body and
//! the protobuf message are decided alike), authorised by the route it follows, and handed to
//! the application service.

use bangiao_app::Accepted;
use bangiao_app::handler::CommandMeta;
use bangiao_auth::Principal;
use bangiao_domain::fonds::{self as domain, FondsCommand};
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit};
use bangiao_domain::values::{FondsCode, UnitCode};
use bangiao_server::AppState;
use bangiao_server::auth::acting::NamesActor;
use bangiao_server::auth::{actor, facts_for_unit, forbidden, record_denial};
use bangiao_server::commands::path_code;
use bangiao_server::commands::units::{MergeRequest, SplitRequest};
use bangiao_server::error::ApiError;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::authz::{Call, authorize};
use crate::convert::command;
use crate::pb;
use crate::pb::fonds_command_request::Command;
use crate::status::{from_api, invalid, invalid_command};

/// The commands service over the service's state.
pub struct CommandsApi {
    state: AppState,
}

impl CommandsApi {
    /// The service over `state`.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

/// The envelope of a command: its id, expected revision, correlation and the caller as actor.
fn command_meta(
    options: Option<&pb::CommandOptions>,
    who: &Principal,
) -> Result<CommandMeta, Status> {
    let uuid = |text: &str, code: &str, name: &str| {
        Uuid::parse_str(text).map_err(|_| {
            invalid(
                code,
                format!("{name} phải là một UUID."),
                format!("{name} must be a UUID."),
            )
        })
    };
    let options = options.cloned().unwrap_or_default();
    let command_id = match options.command_id.trim() {
        "" => Uuid::now_v7(),
        id => uuid(id, "invalid_idempotency_key", "command_id")?,
    };
    let mut meta = CommandMeta::new(command_id);
    meta.expected_revision = options.expected_revision;
    if let Some(id) = options.correlation_id.as_deref() {
        meta.correlation_id = Some(uuid(id, "invalid_correlation_id", "correlation_id")?);
    }
    meta.actor = Some(actor(who));
    Ok(meta)
}

fn result(outcome: Accepted) -> Response<pb::CommandResult> {
    Response::new(pb::CommandResult {
        position: outcome.position,
        revision: outcome.revision,
        events: outcome.events.iter().map(|e| (*e).to_owned()).collect(),
        replayed: outcome.replayed,
    })
}

/// Takes one of the service's write permits for the command, as the HTTP API does; none free
/// means `UNAVAILABLE` with the stable code `busy` (retry in a moment).
fn admit(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, Status> {
    state
        .write_permits
        .try_acquire()
        .ok_or_else(|| from_api(&ApiError::busy()))
}

fn missing_command() -> Status {
    invalid(
        "invalid_body",
        "Thiếu lệnh (trường command).",
        "The command is missing (field command).",
    )
}

fn required<T>(message: Option<T>) -> Result<T, Status> {
    message.ok_or_else(missing_command)
}

fn unit_code(raw: &str) -> Result<UnitCode, Status> {
    path_code(raw, UnitCode::parse).map_err(|e| from_api(&e))
}

/// Declares, for every act on a fonds, the route whose rule it follows and the domain command
/// its message decodes into.
macro_rules! fonds_commands {
    ($($variant:ident: $command:ident => $route:literal,)+) => {
        /// The HTTP route whose permission rule an act follows.
        fn fonds_route(act: &Command) -> &'static str {
            match act {
                Command::OpenFonds(_) => "/api/v1/fonds",
                $(Command::$variant(_) => $route,)+
            }
        }

        /// The domain command of an act (other than opening a fonds), refusing a command that
        /// names someone else than the caller as acting.
        fn fonds_command(act: &Command, who: &Principal) -> Result<FondsCommand, Status> {
            match act {
                Command::OpenFonds(_) => Err(from_api(&bangiao_server::error::ApiError::internal(
                    "opening a fonds is decided apart",
                ))),
                $(Command::$variant(message) => {
                    let decoded: domain::$command = command(message).map_err(|e| invalid_command(&e))?;
                    bangiao_auth::policy::acting_as(who, decoded.actor())
                        .map_err(|denial| from_api(&forbidden(&denial)))?;
                    Ok(decoded.into())
                })+
            }
        }
    };
}

fonds_commands! {
    RecordCreatorHistory: RecordCreatorHistory => "/api/v1/fonds/{code}/creator-history",
    CloseFonds: CloseFonds => "/api/v1/fonds/{code}/close",
    RecordFile: RecordFile => "/api/v1/fonds/{code}/files",
    CorrectFile: CorrectFile => "/api/v1/fonds/{code}/files/correct",
    AppraiseRetention: AppraiseRetention => "/api/v1/fonds/{code}/files/appraise",
    DigitiseFile: DigitiseFile => "/api/v1/fonds/{code}/files/digitise",
    DeclassifyFile: DeclassifyFile => "/api/v1/fonds/{code}/files/declassify",
    MarkFileMissing: MarkFileMissing => "/api/v1/fonds/{code}/files/missing",
    MarkFileDamaged: MarkFileDamaged => "/api/v1/fonds/{code}/files/damaged",
    MarkFileFound: MarkFileFound => "/api/v1/fonds/{code}/files/found",
    FlagUnfinished: FlagUnfinished => "/api/v1/fonds/{code}/files/unfinished",
    DraftHandover: DraftHandover => "/api/v1/fonds/{code}/handovers",
    SignHandover: SignHandover => "/api/v1/fonds/{code}/handovers/sign",
    ReceiveHandover: ReceiveHandover => "/api/v1/fonds/{code}/handovers/receive",
    CancelHandover: CancelHandover => "/api/v1/fonds/{code}/handovers/cancel",
    RegisterTransfer: RegisterTransfer => "/api/v1/fonds/{code}/transfers",
    AppraiseTransferList: AppraiseTransferList => "/api/v1/fonds/{code}/transfers/appraise",
    AcceptTransfer: AcceptTransfer => "/api/v1/fonds/{code}/transfers/accept",
    ProposeDestruction: ProposeDestruction => "/api/v1/fonds/{code}/destructions",
    ApproveDestruction: ApproveDestruction => "/api/v1/fonds/{code}/destructions/approve",
    ExecuteDestruction: ExecuteDestruction => "/api/v1/fonds/{code}/destructions/execute",
    CancelDestruction: CancelDestruction => "/api/v1/fonds/{code}/destructions/cancel",
    PlaceHold: PlaceHold => "/api/v1/fonds/{code}/holds",
    LiftHold: LiftHold => "/api/v1/fonds/{code}/holds/lift",
}

impl CommandsApi {
    /// Mở phông: the unit named in the command must lie in the caller's scope.
    async fn open_fonds(
        &self,
        who: &Principal,
        message: &pb::OpenFonds,
        requested: &str,
        meta: &CommandMeta,
    ) -> Result<Accepted, Status> {
        let open: domain::OpenFonds = command(message).map_err(|e| invalid_command(&e))?;
        if !requested.is_empty() && requested != open.fonds_code.as_str() {
            return Err(invalid(
                "invalid_body",
                "fonds_code của yêu cầu khác mã phông trong lệnh mở phông.",
                "The request's fonds_code differs from the fonds code of the open_fonds command.",
            ));
        }
        let state = &self.state;
        let facts = facts_for_unit(state, who, open.unit_code.as_str())
            .await
            .map_err(|e| from_api(&e))?;
        if let Err(denial) = bangiao_auth::authorize(who, bangiao_auth::Action::WriteFonds, facts) {
            record_denial(
                state,
                who,
                "gRPC POST /api/v1/fonds".into(),
                Some(open.fonds_code.to_string()),
                &denial,
            )
            .await;
            return Err(from_api(&forbidden(&denial)));
        }
        let code = open.fonds_code.clone();
        state
            .service
            .fonds_command(&code, open.into(), meta)
            .await
            .map_err(|e| from_api(&e.into()))
    }
}

#[tonic::async_trait]
impl pb::commands_server::Commands for CommandsApi {
    async fn register_unit(
        &self,
        request: Request<pb::RegisterUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let _admitted = admit(&self.state)?;
        let who = authorize(&self.state, &request, Call::write("/api/v1/units", None)).await?;
        let request = request.into_inner();
        let meta = command_meta(request.options.as_ref(), &who)?;
        let register: RegisterUnit =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let outcome = self.state.service.register_unit(register, &meta).await;
        Ok(result(outcome.map_err(|e| from_api(&e.into()))?))
    }

    async fn end_unit(
        &self,
        request: Request<pb::EndUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let route = "/api/v1/units/{code}/end";
        let _admitted = admit(&self.state)?;
        let who = authorize(&self.state, &request, Call::write(route, None)).await?;
        let request = request.into_inner();
        let meta = command_meta(request.options.as_ref(), &who)?;
        let code = unit_code(&request.unit_code)?;
        let end: EndUnit = command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let outcome = self.state.service.end_unit(&code, end, &meta).await;
        Ok(result(outcome.map_err(|e| from_api(&e.into()))?))
    }

    async fn merge_units(
        &self,
        request: Request<pb::MergeUnitsRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let route = "/api/v1/units/{code}/merge";
        let _admitted = admit(&self.state)?;
        let who = authorize(&self.state, &request, Call::write(route, None)).await?;
        let request = request.into_inner();
        let meta = command_meta(request.options.as_ref(), &who)?;
        let successor = unit_code(&request.successor_code)?;
        let merge: MergeRequest =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let decided = MergeUnits {
            merger_id: merge.merger_id,
            effective_on: merge.effective_on,
            legal_basis: merge.legal_basis,
            new_successor: merge.new_successor,
        };
        let outcome = self
            .state
            .service
            .merge_units(&successor, &merge.predecessors, decided, &meta)
            .await;
        Ok(result(outcome.map_err(|e| from_api(&e.into()))?))
    }

    async fn split_unit(
        &self,
        request: Request<pb::SplitUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let route = "/api/v1/units/{code}/split";
        let _admitted = admit(&self.state)?;
        let who = authorize(&self.state, &request, Call::write(route, None)).await?;
        let request = request.into_inner();
        let meta = command_meta(request.options.as_ref(), &who)?;
        let predecessor = unit_code(&request.unit_code)?;
        let split: SplitRequest =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let successors = split
            .successors
            .into_iter()
            .map(|p| (p.code, p.details))
            .collect();
        let decided = SplitUnit {
            split_id: split.split_id,
            effective_on: split.effective_on,
            legal_basis: split.legal_basis,
        };
        let outcome = self
            .state
            .service
            .split_unit(&predecessor, successors, decided, &meta)
            .await;
        Ok(result(outcome.map_err(|e| from_api(&e.into()))?))
    }

    async fn execute_fonds_command(
        &self,
        request: Request<pb::FondsCommandRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let Some(act) = request.get_ref().command.as_ref() else {
            return Err(missing_command());
        };
        let route = fonds_route(act);
        let named = request.get_ref().fonds_code.clone();
        let fonds = (!matches!(act, Command::OpenFonds(_))).then_some(named.as_str());
        let _admitted = admit(&self.state)?;
        let who = authorize(&self.state, &request, Call::write(route, fonds)).await?;
        let request = request.into_inner();
        let meta = command_meta(request.options.as_ref(), &who)?;
        let act = required(request.command)?;
        if let Command::OpenFonds(open) = &act {
            return Ok(result(self.open_fonds(&who, open, &named, &meta).await?));
        }
        let code = path_code(&named, FondsCode::parse).map_err(|e| from_api(&e))?;
        let decided = fonds_command(&act, &who)?;
        let outcome = self
            .state
            .service
            .fonds_command(&code, decided, &meta)
            .await;
        Ok(result(outcome.map_err(|e| from_api(&e.into()))?))
    }
}

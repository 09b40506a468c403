//! The `Commands` service: each act decoded into the domain's own command (so the HTTP body and
//! the protobuf message are decided alike) and handed to the command pipeline
//! (`bangiao_app::pipeline`), which admits, authorises with the command's own action, builds the
//! envelope, executes and audits, as it does for the HTTP API and the pages.

use bangiao_app::Accepted;
use bangiao_app::pipeline::{Call, Command, Envelope, Permit, Refusal};
use bangiao_auth::Principal;
use bangiao_domain::fonds::{self as domain, FondsCommand};
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit};
use bangiao_domain::values::{FondsCode, UnitCode};
use bangiao_server::AppState;
use bangiao_server::commands::path_code;
use bangiao_server::commands::units::{MergeRequest, SplitRequest};
use bangiao_server::error::ApiError;
use tonic::{Request, Response, Status};

use crate::authz::authenticate;
use crate::convert::command;
use crate::pb;
use crate::pb::fonds_command_request::Command as Act;
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

    /// Admits a command under the one write limit, before anything else is done for it; none
    /// free means `UNAVAILABLE` with the stable code `busy` (retry in a moment).
    fn admit(&self) -> Result<Permit, Status> {
        self.state.commands.admit().map_err(refused)
    }

    /// Runs an admitted command of `who` through the pipeline.
    async fn run(
        &self,
        admitted: &Permit,
        who: &Principal,
        asked: &str,
        command: Command,
        options: Option<pb::CommandOptions>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let destruction = bangiao_server::commands::executed_destruction(&command);
        let call = Call {
            who,
            asked,
            command,
            envelope: envelope(options.unwrap_or_default()),
            decided: None,
        };
        let outcome = self.state.commands.run(admitted, &self.state, call).await;
        let outcome = outcome.map_err(refused)?;
        if let Some(id) = destruction {
            bangiao_server::commands::after_destruction(&self.state, id, outcome.position).await;
        }
        Ok(result(outcome))
    }
}

/// The status of a refusal of the pipeline.
fn refused(refusal: Refusal<ApiError>) -> Status {
    from_api(&ApiError::from(refusal))
}

/// The envelope fields of a command's options, parsed by the pipeline.
fn envelope(options: pb::CommandOptions) -> Envelope {
    Envelope {
        command_id: Some(options.command_id),
        correlation_id: options.correlation_id,
        expected_revision: options.expected_revision,
        request_digest: None,
    }
}

fn result(outcome: Accepted) -> Response<pb::CommandResult> {
    Response::new(pb::CommandResult {
        position: outcome.position,
        revision: outcome.revision,
        events: outcome.events.iter().map(|e| (*e).to_owned()).collect(),
        replayed: outcome.replayed,
    })
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

/// Declares, for every act on a fonds, the domain command its message decodes into.
macro_rules! fonds_commands {
    ($($variant:ident: $command:ident,)+) => {
        /// The name of an act, as the audit log names what a gRPC caller asked.
        fn act_name(act: &Act) -> &'static str {
            match act {
                Act::OpenFonds(_) => "gRPC Commands/ExecuteFondsCommand OpenFonds",
                $(Act::$variant(_) => concat!("gRPC Commands/ExecuteFondsCommand ", stringify!($variant)),)+
            }
        }

        /// The domain command of an act; opening a fonds must name the fonds of the request,
        /// if the request names one.
        fn fonds_command(act: &Act, requested: &str) -> Result<(FondsCode, FondsCommand), Status> {
            match act {
                Act::OpenFonds(message) => {
                    let open: domain::OpenFonds = command(message).map_err(|e| invalid_command(&e))?;
                    if !requested.is_empty() && requested != open.fonds_code.as_str() {
                        return Err(invalid(
                            "invalid_body",
                            "fonds_code của yêu cầu khác mã phông trong lệnh mở phông.",
                            "The request's fonds_code differs from the fonds code of the open_fonds command.",
                        ));
                    }
                    Ok((open.fonds_code.clone(), open.into()))
                }
                $(Act::$variant(message) => {
                    let code = path_code(requested, FondsCode::parse).map_err(|e| from_api(&e))?;
                    let decoded: domain::$command = command(message).map_err(|e| invalid_command(&e))?;
                    Ok((code, decoded.into()))
                })+
            }
        }
    };
}

fonds_commands! {
    RecordCreatorHistory: RecordCreatorHistory,
    CloseFonds: CloseFonds,
    RecordFile: RecordFile,
    CorrectFile: CorrectFile,
    AppraiseRetention: AppraiseRetention,
    DigitiseFile: DigitiseFile,
    DeclassifyFile: DeclassifyFile,
    MarkFileMissing: MarkFileMissing,
    MarkFileDamaged: MarkFileDamaged,
    MarkFileFound: MarkFileFound,
    FlagUnfinished: FlagUnfinished,
    DraftHandover: DraftHandover,
    SignHandover: SignHandover,
    ReceiveHandover: ReceiveHandover,
    CancelHandover: CancelHandover,
    RegisterTransfer: RegisterTransfer,
    AppraiseTransferList: AppraiseTransferList,
    AcceptTransfer: AcceptTransfer,
    ProposeDestruction: ProposeDestruction,
    ApproveDestruction: ApproveDestruction,
    ExecuteDestruction: ExecuteDestruction,
    CancelDestruction: CancelDestruction,
    PlaceHold: PlaceHold,
    LiftHold: LiftHold,
}

#[tonic::async_trait]
impl pb::commands_server::Commands for CommandsApi {
    async fn register_unit(
        &self,
        request: Request<pb::RegisterUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let admitted = self.admit()?;
        let who = authenticate(&self.state, &request).await?;
        let request = request.into_inner();
        let register: RegisterUnit =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let asked = "gRPC Commands/RegisterUnit";
        let act = Command::RegisterUnit(register);
        self.run(&admitted, &who, asked, act, request.options).await
    }

    async fn end_unit(
        &self,
        request: Request<pb::EndUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let admitted = self.admit()?;
        let who = authenticate(&self.state, &request).await?;
        let request = request.into_inner();
        let code = unit_code(&request.unit_code)?;
        let end: EndUnit = command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let act = Command::EndUnit { code, command: end };
        let asked = "gRPC Commands/EndUnit";
        self.run(&admitted, &who, asked, act, request.options).await
    }

    async fn merge_units(
        &self,
        request: Request<pb::MergeUnitsRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let admitted = self.admit()?;
        let who = authenticate(&self.state, &request).await?;
        let request = request.into_inner();
        let successor = unit_code(&request.successor_code)?;
        let merge: MergeRequest =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let act = Command::MergeUnits {
            successor,
            predecessors: merge.predecessors,
            command: MergeUnits {
                merger_id: merge.merger_id,
                effective_on: merge.effective_on,
                legal_basis: merge.legal_basis,
                new_successor: merge.new_successor,
            },
        };
        let asked = "gRPC Commands/MergeUnits";
        self.run(&admitted, &who, asked, act, request.options).await
    }

    async fn split_unit(
        &self,
        request: Request<pb::SplitUnitRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let admitted = self.admit()?;
        let who = authenticate(&self.state, &request).await?;
        let request = request.into_inner();
        let predecessor = unit_code(&request.unit_code)?;
        let split: SplitRequest =
            command(&required(request.command)?).map_err(|e| invalid_command(&e))?;
        let act = Command::SplitUnit {
            predecessor,
            successors: split
                .successors
                .into_iter()
                .map(|p| (p.code, p.details))
                .collect(),
            command: SplitUnit {
                split_id: split.split_id,
                effective_on: split.effective_on,
                legal_basis: split.legal_basis,
            },
        };
        let asked = "gRPC Commands/SplitUnit";
        self.run(&admitted, &who, asked, act, request.options).await
    }

    async fn execute_fonds_command(
        &self,
        request: Request<pb::FondsCommandRequest>,
    ) -> Result<Response<pb::CommandResult>, Status> {
        let admitted = self.admit()?;
        let who = authenticate(&self.state, &request).await?;
        let request = request.into_inner();
        let act = required(request.command)?;
        let (code, decided) = fonds_command(&act, &request.fonds_code)?;
        let command = Command::Fonds {
            code,
            command: decided,
        };
        let asked = act_name(&act);
        self.run(&admitted, &who, asked, command, request.options)
            .await
    }
}

//! Every act a door can ask for, with the action each asks of the policy (one exhaustive table),
//! the person it names as acting, and what its scope is judged on.

use bangiao_auth::policy::Action;
use bangiao_domain::fonds::*;
use bangiao_domain::unit::{EndUnit, MergeUnits, RegisterUnit, SplitUnit, UnitDetails};
use bangiao_domain::values::{FondsCode, UnitCode};

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
    Digitise: AttachCopy, RecordDocument;
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
        C::AttachCopy(_) => AttachCopy::ACTION,
        C::RecordDocument(_) => RecordDocument::ACTION,
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
        C::AttachCopy(c) => &c.digitised_by,
        C::RecordDocument(c) => &c.recorded_by,
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
    pub(super) fn resource(&self) -> Option<String> {
        match self {
            Self::Fonds { code, .. } => Some(code.to_string()),
            Self::RegisterUnit(_)
            | Self::EndUnit { .. }
            | Self::MergeUnits { .. }
            | Self::SplitUnit { .. } => None,
        }
    }

    /// The person the command names as acting, if any.
    pub(super) fn named_actor(&self) -> Option<&str> {
        match self {
            Self::Fonds { command, .. } => named_actor(command),
            Self::RegisterUnit(_)
            | Self::EndUnit { .. }
            | Self::MergeUnits { .. }
            | Self::SplitUnit { .. } => None,
        }
    }
}

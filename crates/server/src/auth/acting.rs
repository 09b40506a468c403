//! The person a command names as acting (who signs, proposes, approves…) must be the caller:
//! nobody signs minutes or approves a destruction in someone else's name.

use bangiao_domain::fonds::*;
use bangiao_domain::unit::{EndUnit, RegisterUnit};

/// A command that may name the person acting.
pub trait NamesActor {
    /// The user id the command says is acting, if it names one.
    fn actor(&self) -> Option<&str>;
}

/// Commands that name their actor in the given field.
macro_rules! names_actor {
    ($($command:ty => $field:ident),+ $(,)?) => {
        $(impl NamesActor for $command {
            fn actor(&self) -> Option<&str> {
                Some(self.$field.as_str())
            }
        })+
    };
}

/// Commands that name no actor: the envelope records the caller.
macro_rules! names_no_actor {
    ($($command:ty),+ $(,)?) => {
        $(impl NamesActor for $command {
            fn actor(&self) -> Option<&str> {
                None
            }
        })+
    };
}

names_actor! {
    DraftHandover => giving_person,
    SignHandover => signed_by,
    ReceiveHandover => received_by,
    CancelHandover => cancelled_by,
    RegisterTransfer => registered_by,
    AppraiseTransferList => appraised_by,
    AcceptTransfer => accepted_by,
    ProposeDestruction => proposed_by,
    ApproveDestruction => approved_by,
    ExecuteDestruction => executed_by,
    CancelDestruction => cancelled_by,
    PlaceHold => placed_by,
    LiftHold => lifted_by,
}

names_no_actor! {
    OpenFonds, RecordCreatorHistory, CloseFonds, RecordFile, CorrectFile, AppraiseRetention, DigitiseFile,
    DeclassifyFile, MarkFileMissing, MarkFileDamaged, MarkFileFound, FlagUnfinished, RegisterUnit, EndUnit,
}

//! Events of the `fonds-{code}` stream, one file per family; the payload structs are the
//! stored JSON contract (plain fields, snake_case, unknown fields ignored on read).

mod copies;
mod destruction;
mod file_marks;
mod files;
mod fonds;
mod handovers;
mod holds;
mod transfers;

pub use copies::{CopyAttached, CopyReplaced, CopyTombstone, DocumentRecorded};
pub use destruction::{
    DestructionApproved, DestructionCancelled, DestructionExecuted, DestructionProposed,
};
pub use file_marks::{FileFlaggedUnfinished, FileFound, FileMarkedDamaged, FileMarkedMissing};
pub use files::{
    Correction, FileCorrected, FileDeclassified, FileDigitised, FileRecorded,
    FileRetentionAppraised,
};
pub use fonds::{CreatorHistoryRecorded, FondsClosed, FondsOpened};
pub use handovers::{
    Batch, Discrepancy, HandoverCancelled, HandoverDrafted, HandoverReceived, HandoverSigned,
};
pub use holds::{HoldLifted, HoldPlaced, HoldReason};
pub use transfers::{
    AppraisalOutcome, RejectedFile, TransferAccepted, TransferListAppraised, TransferRegistered,
};

use crate::event_enum;

event_enum! {
    /// Events of the `fonds-{code}` stream.
    pub enum FondsEvent {
        FondsOpened,
        CreatorHistoryRecorded,
        FondsClosed,
        FileRecorded,
        FileCorrected,
        FileRetentionAppraised,
        FileDigitised,
        FileMarkedMissing,
        FileMarkedDamaged,
        FileFound,
        FileFlaggedUnfinished,
        FileDeclassified,
        HandoverDrafted,
        HandoverSigned,
        HandoverReceived,
        HandoverCancelled,
        TransferRegistered,
        TransferListAppraised,
        TransferAccepted,
        DestructionProposed,
        DestructionApproved,
        DestructionExecuted,
        DestructionCancelled,
        HoldPlaced,
        HoldLifted,
        CopyAttached,
        DocumentRecorded,
        CopyReplaced,
    }
}

//! The decision state of a fonds: compact (codes, dates and statuses, no titles), so a
//! 100,000-file fonds folds fast and fits in memory.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::events::AppraisalOutcome;
use crate::values::{
    AccessRegime, BoxNumber, CopyId, CustodianId, DestructionId, FileCode, FondsCode, FondsKind,
    HandoverId, HoldId, OrganId, RetentionPeriod, TransferId, UnitCode, UserId,
};

/// What the rules know about one fonds stream; empty until the fonds is opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FondsState {
    pub(crate) fonds: Option<FondsRecord>,
    pub(crate) files: BTreeMap<FileCode, FileState>,
    pub(crate) handovers: BTreeMap<HandoverId, HandoverState>,
    pub(crate) transfers: BTreeMap<TransferId, TransferState>,
    pub(crate) destructions: BTreeMap<DestructionId, DestructionState>,
    pub(crate) holds: BTreeMap<HoldId, HoldState>,
    /// Sheets listed in each box, to warn of a box that holds more than a box can.
    pub(crate) box_sheets: BTreeMap<BoxNumber, u64>,
    /// Each file's identity within the fonds — its year and notation — to its code.
    pub(crate) identities: BTreeMap<(i32, String), FileCode>,
    /// The digital copies of the files, current, replaced or deleted.
    pub(crate) copies: BTreeMap<CopyId, CopyState>,
}

/// What the rules need of one digital copy.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyState {
    /// The file it is a copy of.
    pub file_code: FileCode,
    /// SHA-256 of its bytes (the blob's name).
    pub sha256: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Where it stands.
    pub status: CopyStatus,
}

/// Where a digital copy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStatus {
    /// The file's copy now.
    Current,
    /// Superseded by a newer copy; kept.
    Replaced,
    /// Deleted with its destroyed file; its checksum kept as a tombstone.
    Deleted,
}

/// The fonds itself.
#[derive(Debug, Clone, PartialEq)]
pub struct FondsRecord {
    /// Mã phông.
    pub fonds_code: FondsCode,
    /// State or Party.
    pub kind: FondsKind,
    /// The creator's organ id.
    pub creator_organ_id: OrganId,
    /// The creator's administrative unit.
    pub unit_code: UnitCode,
    /// The day it was opened.
    pub opened_on: NaiveDate,
    /// The day it was closed, once it is.
    pub closed_on: Option<NaiveDate>,
    /// Who holds the fonds, and so every file recorded in it from now on: the custodian named
    /// when it was opened, then the receiving side of each handover (or the archive of each
    /// transfer) that left its previous holder with none of its files.
    pub custodian: CustodianId,
}

/// What the rules need of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileState {
    /// Date of the earliest document.
    pub start_date: NaiveDate,
    /// Date of the latest document.
    pub end_date: NaiveDate,
    /// Thời hạn bảo quản.
    pub retention: RetentionPeriod,
    /// Chế độ sử dụng.
    pub access: AccessRegime,
    /// Hộp số.
    pub box_number: Option<BoxNumber>,
    /// Số tờ.
    pub sheets: Option<u32>,
    /// Who holds it (or last held it, if missing or destroyed).
    pub custodian: CustodianId,
    /// Where it stands.
    pub status: FileStatus,
    /// Whether it was found damaged.
    pub damaged: bool,
    /// Whether it belongs to unfinished work.
    pub unfinished: bool,
    /// The holds on it now.
    pub holds: Vec<HoldId>,
    pub(crate) title_print: u64,
    pub(crate) notes_print: u64,
}

/// Where a file stands; every status but `InCustody` keeps it out of new lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Held by its custodian and free to be listed.
    InCustody,
    /// Listed in an open handover.
    InHandover(HandoverId),
    /// Listed in an open transfer.
    InTransfer(TransferId),
    /// Listed in an open destruction.
    InDestruction(DestructionId),
    /// Held by a historical archive.
    Transferred,
    /// Destroyed: a tombstone, never removed.
    Destroyed,
    /// Cannot be found.
    Missing,
}

/// One set of handover minutes. Its list of files is emptied once it closes (received or
/// cancelled): closed minutes need no list to decide anything, and the state stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverState {
    /// Where the minutes stand.
    pub status: HandoverStatus,
    /// Bên giao.
    pub giving_custodian: CustodianId,
    /// Bên nhận.
    pub receiving_custodian: CustodianId,
    /// Who signs for the giving side.
    pub giving_person: UserId,
    /// Who signs for the receiving side.
    pub receiving_person: UserId,
    /// The files listed, while the minutes are open.
    pub files: Vec<FileCode>,
    /// Date of the minutes.
    pub drafted_on: NaiveDate,
    /// When the giving side signed.
    pub signed_on: Option<NaiveDate>,
}

/// Where handover minutes stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoverStatus {
    /// Drafted, not signed.
    Drafted,
    /// Signed by the giving side.
    Signed,
    /// Received: custody passed.
    Received,
    /// Cancelled.
    Cancelled,
}

/// One transfer to a historical archive; its list is emptied once accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferState {
    /// Who transfers the files.
    pub transferring_custodian: CustodianId,
    /// The archive receiving the files.
    pub archive: CustodianId,
    /// The files listed, while the transfer is open.
    pub files: Vec<FileCode>,
    /// When it was registered.
    pub registered_on: NaiveDate,
    /// The archive's appraisal of the list, once made.
    pub appraisal: Option<TransferAppraisal>,
    /// Whether the archive accepted (the transfer is then closed).
    pub accepted: bool,
}

/// The outcome and date of a transfer list's appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferAppraisal {
    /// Approved or rejected.
    pub outcome: AppraisalOutcome,
    /// When.
    pub appraised_on: NaiveDate,
}

/// One destruction procedure; its list is emptied once executed or cancelled.
#[derive(Debug, Clone, PartialEq)]
pub struct DestructionState {
    /// Where it stands.
    pub status: DestructionStatus,
    /// The frozen list of files, while open.
    pub files: Vec<FileCode>,
    /// Who proposed it.
    pub proposed_by: UserId,
    /// When.
    pub proposed_on: NaiveDate,
    /// When it was approved.
    pub approved_on: Option<NaiveDate>,
}

/// Where a destruction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestructionStatus {
    /// Proposed, awaiting approval.
    Proposed,
    /// Approved, awaiting execution.
    Approved,
    /// Executed: the files are destroyed.
    Executed,
    /// Cancelled: the files are released.
    Cancelled,
}

/// One hold; its list is emptied once lifted.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldState {
    /// The files held, while the hold stands.
    pub files: Vec<FileCode>,
    /// When it was placed.
    pub placed_on: NaiveDate,
    /// Whether it was lifted.
    pub lifted: bool,
}

impl FondsState {
    /// The fonds, once opened.
    pub fn fonds(&self) -> Option<&FondsRecord> {
        self.fonds.as_ref()
    }

    /// Whether the fonds is opened.
    pub fn is_opened(&self) -> bool {
        self.fonds.is_some()
    }

    /// The day the fonds was closed, if it is.
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.fonds.as_ref().and_then(|fonds| fonds.closed_on)
    }

    /// Whether the fonds is closed.
    pub fn is_closed(&self) -> bool {
        self.closed_on().is_some()
    }

    /// One file, if recorded.
    pub fn file(&self, code: &FileCode) -> Option<&FileState> {
        self.files.get(code)
    }

    /// The file with the same identity as `code` — the same year and notation in this fonds —
    /// whatever prefix either was recorded with.
    pub fn file_with_identity(&self, code: &FileCode) -> Option<(&FileCode, &FileState)> {
        let recorded = self
            .identities
            .get(&(code.year(), code.notation().to_owned()))?;
        self.files.get_key_value(recorded)
    }

    /// Every file, in file-code order.
    pub fn files(&self) -> impl Iterator<Item = (&FileCode, &FileState)> {
        self.files.iter()
    }

    /// How many files are recorded (destroyed ones included: they stay as tombstones).
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// One handover, if drafted.
    pub fn handover(&self, id: &HandoverId) -> Option<&HandoverState> {
        self.handovers.get(id)
    }

    /// One transfer, if registered.
    pub fn transfer(&self, id: &TransferId) -> Option<&TransferState> {
        self.transfers.get(id)
    }

    /// One destruction, if proposed.
    pub fn destruction(&self, id: &DestructionId) -> Option<&DestructionState> {
        self.destructions.get(id)
    }

    /// One hold, if placed.
    pub fn hold(&self, id: &HoldId) -> Option<&HoldState> {
        self.holds.get(id)
    }

    /// One digital copy, if attached.
    pub fn copy(&self, id: &CopyId) -> Option<&CopyState> {
        self.copies.get(id)
    }

    /// The digital copies of one file, in copy-id order.
    pub fn copies_of<'a>(
        &'a self,
        code: &'a FileCode,
    ) -> impl Iterator<Item = (&'a CopyId, &'a CopyState)> + 'a {
        self.copies
            .iter()
            .filter(move |(_, copy)| copy.file_code == *code)
    }

    /// The sheets of every file recorded in box `box_number`.
    pub fn sheets_in_box(&self, box_number: &BoxNumber) -> u64 {
        self.box_sheets.get(box_number).copied().unwrap_or(0)
    }
}

// Over 500 lines: the one refusal enum, a variant and its message each.
//! Every refusal the domain can give, each with a stable code and messages in Vietnamese and English.

mod class;
mod code;
mod labels;
mod value;
mod vi;

use chrono::NaiveDate;

pub use class::RefusalClass;
pub use labels::{Act, CountKind, Entity, ListKind};
pub use value::{ValueError, ValueProblem};

use crate::values::{
    CopyId, CustodianId, DestructionId, FileCode, FondsCode, FondsKind, HandoverId, HoldId,
    RetentionPeriod, TransferId, UnitCode, UnitLevel, UnitType, UserId,
};

/// Why a command was refused. `Display` is the English message; see [`DomainError::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A value in the command did not parse.
    #[error(transparent)]
    InvalidValue(#[from] ValueError),
    /// The thing the command would create already exists.
    #[error("{} already exists", named(*what, id))]
    AlreadyExists {
        /// What kind of thing.
        what: Entity,
        /// Its identifier.
        id: String,
    },
    /// The thing the command acts on does not exist.
    #[error("{} does not exist", named(*what, id))]
    NotFound {
        /// What kind of thing.
        what: Entity,
        /// Its identifier.
        id: String,
    },
    /// A listed file is not recorded in the fonds.
    #[error("file {file} is not recorded in this fonds")]
    FileNotFound {
        /// The unknown file code.
        file: FileCode,
    },
    /// A list names the same item twice.
    #[error("{item} appears more than once in the list of {list}")]
    DuplicateInList {
        /// Which list.
        list: ListKind,
        /// The repeated item.
        item: String,
    },
    /// A list that must name something is empty.
    #[error("the list of {list} is empty")]
    EmptyList {
        /// Which list.
        list: ListKind,
    },
    /// An act is dated before the act it must follow.
    #[error("the date of {act} ({date}) is before {earliest}")]
    DateOutOfOrder {
        /// The act being dated.
        act: Act,
        /// Its date.
        date: NaiveDate,
        /// The earliest date allowed.
        earliest: NaiveDate,
    },
    /// The unit has ended (or was merged or split away) and can take part in nothing new.
    #[error("administrative unit {unit} ended on {ended_on}")]
    UnitEnded {
        /// The unit.
        unit: UnitCode,
        /// When it ended.
        ended_on: NaiveDate,
    },
    /// A unit type given with a level it does not belong to.
    #[error("a unit of type {unit_type} is not at level {level}")]
    TypeLevelMismatch {
        /// The type given.
        unit_type: UnitType,
        /// The level given.
        level: UnitLevel,
    },
    /// A parent unit at a level that cannot contain the unit (or a missing or unexpected parent).
    #[error("a {level} unit cannot have as parent: {}", parent_level.map_or("none", |l| l.label_en()))]
    InvalidParent {
        /// The level of the unit.
        level: UnitLevel,
        /// The level of the parent given, if any.
        parent_level: Option<UnitLevel>,
    },
    /// Units of different levels in one merger or split.
    #[error("unit {unit} is at level {level}, not {expected}")]
    LevelMismatch {
        /// The unit at the wrong level.
        unit: UnitCode,
        /// Its level.
        level: UnitLevel,
        /// The level of the act.
        expected: UnitLevel,
    },
    /// A unit named as its own successor.
    #[error("unit {unit} cannot be its own successor")]
    OwnSuccessor {
        /// The unit.
        unit: UnitCode,
    },
    /// A merger with fewer than two predecessors, or a split into fewer than two units.
    #[error("the list of {list} needs at least 2 units, {given} given")]
    TooFewUnits {
        /// Which list.
        list: ListKind,
        /// How many were given.
        given: usize,
    },
    /// The fonds is closed and the act would change that.
    #[error("the fonds was closed on {closed_on}")]
    FondsClosed {
        /// When it was closed.
        closed_on: NaiveDate,
    },
    /// A handover of a fonds that is not closed yet.
    #[error("the fonds must be closed before it is handed over")]
    FondsNotClosed,
    /// Handover minutes dated before the fonds closed.
    #[error("the handover is drafted on {drafted_on}, before the fonds closed on {closed_on}")]
    HandoverBeforeClosure {
        /// Date of the minutes.
        drafted_on: NaiveDate,
        /// Date of closure.
        closed_on: NaiveDate,
    },
    /// A file ending after its fonds was closed: records made after closure are not in the fonds.
    #[error("file {file} ends on {end_date}, after the fonds closed on {closed_on}")]
    FileAfterClosure {
        /// The file.
        file: FileCode,
        /// Its end date.
        end_date: NaiveDate,
        /// Date of closure.
        closed_on: NaiveDate,
    },
    /// A file code that does not start with the creator's organ id (before and after closure alike).
    #[error("file code {file} must start with {expected}")]
    WrongFileCodePrefix {
        /// The file code.
        file: FileCode,
        /// The prefix required.
        expected: String,
    },
    /// An end date before the start date.
    #[error("end date {end_date} is before start date {start_date}")]
    EndBeforeStart {
        /// The start date.
        start_date: NaiveDate,
        /// The end date.
        end_date: NaiveDate,
    },
    /// A new file named a custodian other than the fonds' holder: custody is claimed by no
    /// description, only moved by a handover or a transfer.
    #[error(
        "the fonds is held by {custodian}: a file recorded in it is held by {custodian}, not {claimed}; custody moves only by a handover or a transfer"
    )]
    NotFondsCustodian {
        /// Who holds the fonds.
        custodian: CustodianId,
        /// Who the command named.
        claimed: CustodianId,
    },
    /// A date before the oldest records any Vietnamese archive holds: a typing error.
    #[error(
        "{field} {date} is before {earliest}, older than any record an archive holds: check the year"
    )]
    DateTooEarly {
        /// The field, e.g. `start_date`.
        field: &'static str,
        /// The date given.
        date: NaiveDate,
        /// The earliest date taken.
        earliest: NaiveDate,
    },
    /// A date that has not come yet (in Vietnam's time zone) on the day of recording.
    #[error(
        "{field} {date} is after today ({today}): a record cannot end, nor an act happen, in the future"
    )]
    DateInFuture {
        /// The field, e.g. `end_date`.
        field: &'static str,
        /// The date given.
        date: NaiveDate,
        /// The day of recording.
        today: NaiveDate,
    },
    /// A correction, appraisal or declassification that would change nothing.
    #[error("file {file}: the new value equals the current one")]
    NoChange {
        /// The file.
        file: FileCode,
    },
    /// A correction whose old value is not the file's current value.
    #[error("file {file}: the old value of {field} does not match the file")]
    StaleValue {
        /// The file.
        file: FileCode,
        /// The field corrected.
        field: &'static str,
    },
    /// The file is listed in a handover that is still open.
    #[error("file {file} is in open handover {handover}")]
    FileInOpenHandover {
        /// The file.
        file: FileCode,
        /// The open handover.
        handover: HandoverId,
    },
    /// The file is listed in a transfer that is still open.
    #[error("file {file} is in open transfer {transfer}")]
    FileInOpenTransfer {
        /// The file.
        file: FileCode,
        /// The open transfer.
        transfer: TransferId,
    },
    /// The file is listed in a destruction that is still open.
    #[error("file {file} is in open destruction {destruction}")]
    FileInOpenDestruction {
        /// The file.
        file: FileCode,
        /// The open destruction.
        destruction: DestructionId,
    },
    /// The file is already with a historical archive.
    #[error("file {file} has been transferred to a historical archive")]
    FileTransferred {
        /// The file.
        file: FileCode,
    },
    /// The file was destroyed (its record stays as a tombstone).
    #[error("file {file} has been destroyed")]
    FileDestroyed {
        /// The file.
        file: FileCode,
    },
    /// The file is marked missing.
    #[error("file {file} is missing")]
    FileMissing {
        /// The file.
        file: FileCode,
    },
    /// The file is not marked missing, so it cannot be found.
    #[error("file {file} is not marked missing")]
    FileNotMissing {
        /// The file.
        file: FileCode,
    },
    /// The side handing a file over does not hold it.
    #[error("file {file} is held by {custodian}, not by {claimed}")]
    NotCurrentCustodian {
        /// The file.
        file: FileCode,
        /// Who holds it.
        custodian: CustodianId,
        /// Who claimed to.
        claimed: CustodianId,
    },
    /// Giving and receiving sides are the same.
    #[error("the giving and receiving sides are both {custodian}")]
    SameCustodian {
        /// The custodian named twice.
        custodian: CustodianId,
    },
    /// A count in the minutes differs from the attached list.
    #[error(
        "the {count} declared in the minutes ({declared}) differs from the attached list ({actual})"
    )]
    CountsMismatch {
        /// Which count.
        count: CountKind,
        /// Declared in the minutes.
        declared: u64,
        /// Counted from the list.
        actual: u64,
    },
    /// Unfinished-work files mixed with finished ones in one handover.
    #[error(
        "files of unfinished work are handed over apart: the list mixes {unfinished} unfinished and {finished} finished files"
    )]
    MixedUnfinishedWork {
        /// Unfinished files in the list.
        unfinished: usize,
        /// Finished files in the list.
        finished: usize,
    },
    /// A batch that does not name this fonds.
    #[error("fonds {fonds} is not in the batch's list of fonds")]
    FondsNotInBatch {
        /// This fonds.
        fonds: FondsCode,
    },
    /// Receipt before the giving side signed.
    #[error("handover {handover} is not signed by the giving side yet")]
    HandoverNotSigned {
        /// The handover.
        handover: HandoverId,
    },
    /// The giving side signs only once.
    #[error("handover {handover} is already signed by the giving side")]
    HandoverAlreadySigned {
        /// The handover.
        handover: HandoverId,
    },
    /// The handover was received or cancelled.
    #[error("handover {handover} is already received or cancelled")]
    HandoverClosed {
        /// The handover.
        handover: HandoverId,
    },
    /// Someone other than the person named in the minutes signs.
    #[error("the signatory must be {expected}, not {given}")]
    WrongSignatory {
        /// The person named in the minutes.
        expected: UserId,
        /// The person who tried to sign.
        given: UserId,
    },
    /// A file named that is not in the list it must belong to.
    #[error("file {file} is not in the list")]
    FileNotListed {
        /// The file.
        file: FileCode,
    },
    /// A file reported as "not on the list" that is on the list.
    #[error("file {file} is on the list, so it cannot be reported as not on it")]
    FileIsListed {
        /// The file.
        file: FileCode,
    },
    /// Only permanent files go to a historical archive.
    #[error("file {file} is kept {}: only permanent files go to a historical archive", retention.label_en())]
    NotPermanent {
        /// The file.
        file: FileCode,
        /// Its retention period.
        retention: RetentionPeriod,
    },
    /// Secret files go to a historical archive only after declassification.
    #[error("file {file} is secret and must be declassified before transfer")]
    SecretNotDeclassified {
        /// The file.
        file: FileCode,
    },
    /// State and Party fonds never share a transfer.
    #[error("the transfer is declared {declared} but this fonds is {fonds}")]
    MixedFondsKinds {
        /// The kind declared for the transfer.
        declared: FondsKind,
        /// The kind of this fonds.
        fonds: FondsKind,
    },
    /// Acceptance before the archive appraised the list.
    #[error("the list of transfer {transfer} has not been appraised")]
    TransferNotAppraised {
        /// The transfer.
        transfer: TransferId,
    },
    /// A transfer list is appraised once.
    #[error("the list of transfer {transfer} is already appraised")]
    TransferAlreadyAppraised {
        /// The transfer.
        transfer: TransferId,
    },
    /// Files accepted although the appraisal rejected the list.
    #[error(
        "the list of transfer {transfer} was rejected on appraisal, so no file can be accepted"
    )]
    TransferListRejected {
        /// The transfer.
        transfer: TransferId,
    },
    /// The transfer was already accepted.
    #[error("transfer {transfer} is already closed")]
    TransferClosed {
        /// The transfer.
        transfer: TransferId,
    },
    /// Accepted and rejected files must cover the transfer's list exactly.
    #[error(
        "accepted and rejected files must cover the whole list; not covered: {}",
        join(missing)
    )]
    NotAPartition {
        /// Listed files neither accepted nor rejected.
        missing: Vec<FileCode>,
    },
    /// Permanent files are never destroyed.
    #[error("file {file} is permanent and is never destroyed")]
    FilePermanent {
        /// The file.
        file: FileCode,
    },
    /// The file's retention has not expired at the proposal date.
    #[error("file {file} is kept until {expires_on}")]
    RetentionNotExpired {
        /// The file.
        file: FileCode,
        /// The first day it may be destroyed.
        expires_on: NaiveDate,
    },
    /// The proposer of a destruction approves it.
    #[error("{person} proposed this destruction and cannot also approve it")]
    SameApprover {
        /// The person.
        person: UserId,
    },
    /// Execution before approval.
    #[error("destruction {destruction} is not approved")]
    DestructionNotApproved {
        /// The destruction.
        destruction: DestructionId,
    },
    /// A destruction is approved once.
    #[error("destruction {destruction} is already approved")]
    DestructionAlreadyApproved {
        /// The destruction.
        destruction: DestructionId,
    },
    /// The destruction was executed or cancelled.
    #[error("destruction {destruction} is already executed or cancelled")]
    DestructionClosed {
        /// The destruction.
        destruction: DestructionId,
    },
    /// A file under an inspection or dispute hold.
    #[error("file {file} is under hold {hold}")]
    FileOnHold {
        /// The file.
        file: FileCode,
        /// The hold.
        hold: HoldId,
    },
    /// A hold is lifted once.
    #[error("hold {hold} is already lifted")]
    HoldAlreadyLifted {
        /// The hold.
        hold: HoldId,
    },
    /// A copy that was replaced or deleted cannot be replaced again.
    #[error("digital copy {copy} is no longer current: it was replaced or deleted")]
    CopyNotCurrent {
        /// The copy.
        copy: CopyId,
    },
    /// Declassifying a file that is not secret.
    #[error("file {file} is not secret")]
    NotSecret {
        /// The file.
        file: FileCode,
    },
    /// A unit would begin on a day its parent unit does not exist (not yet begun, or ended).
    #[error(
        "parent unit {parent} exists from {parent_from}{}: a unit beginning on {starts_on} cannot belong to it",
        parent_ended_on.map_or(String::new(), |end| format!(" until the day before {end}"))
    )]
    ParentNotInExistence {
        /// The parent unit.
        parent: UnitCode,
        /// The new unit's first day.
        starts_on: NaiveDate,
        /// The parent's first day.
        parent_from: NaiveDate,
        /// The effective date of the act that ended the parent, if any.
        parent_ended_on: Option<NaiveDate>,
    },
    /// An end, merger or split of a unit taking effect on or before the unit's first day.
    #[error(
        "unit {unit}: {act} takes effect on {effective_on}, but the unit only began on {valid_from}; its last day would come before its first"
    )]
    UnitEndsBeforeStart {
        /// The unit.
        unit: UnitCode,
        /// The act ending it.
        act: Act,
        /// The act's effective date (the first day without the unit).
        effective_on: NaiveDate,
        /// The unit's first day.
        valid_from: NaiveDate,
    },
    /// A merger into an existing unit dated before that unit began.
    #[error(
        "the merger takes effect on {effective_on}, but successor unit {successor} only exists from {valid_from}"
    )]
    SuccessorNotInExistence {
        /// The successor unit.
        successor: UnitCode,
        /// The merger's effective date.
        effective_on: NaiveDate,
        /// The successor's first day.
        valid_from: NaiveDate,
    },
}

impl DomainError {
    /// The message in English (also the `Display` form).
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}

/// Names a thing with its id, or by its kind alone when the stream does not know the id.
fn named(what: Entity, id: &str) -> String {
    if id.is_empty() {
        return what.en().to_owned();
    }
    format!("{} {id}", what.en())
}

/// Joins file codes for a message.
fn join(files: &[FileCode]) -> String {
    let codes: Vec<&str> = files.iter().map(FileCode::as_str).collect();
    codes.join(", ")
}

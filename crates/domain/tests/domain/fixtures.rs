// Over 500 lines: one fonds scenario, each command builder beside its event.
//! Sample values, commands and events: one former district's People's Committee fonds.
//! Each process has a command builder and the event it should produce, field for field.

use bangiao_domain::FondsAggregate;
use bangiao_domain::fonds::*;
use bangiao_domain::values::*;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::support::{Given, given};

pub const GIVER: &str = "UBND-066";
pub const RECEIVER: &str = "SNV-11";
pub const ARCHIVE: &str = "LTLS-11";
pub const ORGAN: &str = "000.00.07.H56";
pub const FONDS: &str = "UB-066";

pub fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

pub fn custodian(id: &str) -> CustodianId {
    CustodianId::parse(id).expect("valid custodian")
}

pub fn user(id: &str) -> UserId {
    UserId::parse(id).expect("valid user")
}

pub fn note(text: &str) -> Note {
    Note::parse(text).expect("valid note")
}

pub fn basis() -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse("203/2025/QH15").expect("valid"),
        issued_on: day(2025, 6, 16),
        issuer: Name::parse("Quốc hội").expect("valid"),
        title: None,
    }
}

/// File `n` of the year 2020, coded with the organ id (recorded while the fonds was open).
pub fn code(n: u32) -> FileCode {
    FileCode::parse(&format!("{ORGAN}.2020.{n:02}")).expect("valid file code")
}

/// File `n` coded with the fonds code, as earlier versions recorded a file after closure.
pub fn closed_code(n: u32) -> FileCode {
    FileCode::parse(&format!("{FONDS}.2020.{n:02}")).expect("valid file code")
}

pub fn codes(ns: &[u32]) -> Vec<FileCode> {
    ns.iter().map(|n| code(*n)).collect()
}

pub fn handover_id(n: u128) -> HandoverId {
    HandoverId::from_uuid(Uuid::from_u128(n))
}

pub fn transfer_id(n: u128) -> TransferId {
    TransferId::from_uuid(Uuid::from_u128(n))
}

pub fn destruction_id(n: u128) -> DestructionId {
    DestructionId::from_uuid(Uuid::from_u128(n))
}

pub fn hold_id(n: u128) -> HoldId {
    HoldId::from_uuid(Uuid::from_u128(n))
}

pub fn fonds(events: impl IntoIterator<Item = FondsEvent>) -> Given<FondsAggregate> {
    given(events)
}

// ---- the fonds ----

pub fn open() -> OpenFonds {
    OpenFonds {
        fonds_code: FondsCode::parse(FONDS).expect("valid"),
        name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse(ORGAN).expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: custodian(GIVER),
        opened_on: day(2000, 1, 1),
        unit_ended_on: None,
    }
}

pub fn opened() -> FondsEvent {
    let c = open();
    FondsOpened {
        fonds_code: c.fonds_code,
        name: c.name,
        kind: c.kind,
        creator_organ_id: c.creator_organ_id,
        creator_name: c.creator_name,
        unit_code: c.unit_code,
        custodian: c.custodian,
        opened_on: c.opened_on,
    }
    .into()
}

pub const CLOSED_ON: (i32, u32, u32) = (2025, 6, 30);

pub fn close() -> CloseFonds {
    CloseFonds {
        closed_on: day(CLOSED_ON.0, CLOSED_ON.1, CLOSED_ON.2),
        closing_act: basis(),
    }
}

pub fn closed() -> FondsEvent {
    let c = close();
    FondsClosed {
        closed_on: c.closed_on,
        closing_act: c.closing_act,
    }
    .into()
}

// ---- files ----

/// A permanent, open, paper file in box 1 with 10 sheets, held by the giving side.
pub fn record_file(n: u32) -> RecordFile {
    RecordFile {
        file_code: code(n),
        title: Title::parse(&format!("Hồ sơ số {n}")).expect("valid"),
        start_date: day(2020, 1, 1),
        end_date: day(2020, 12, 31),
        retention: RetentionPeriod::PERMANENT,
        access: AccessRegime::Open,
        carrier: Carrier::Paper,
        box_number: Some(BoxNumber::parse("1").expect("valid")),
        sheets: Some(10),
        language: Name::parse("Tiếng Việt").expect("valid"),
        notes: None,
        custodian: None,
        list_number: None,
    }
}

/// The event a file recorded while the giving side holds the fonds.
pub fn recorded(c: RecordFile) -> FileRecorded {
    FileRecorded {
        file_code: c.file_code,
        title: c.title,
        start_date: c.start_date,
        end_date: c.end_date,
        retention: c.retention,
        access: c.access,
        carrier: c.carrier,
        box_number: c.box_number,
        sheets: c.sheets,
        language: c.language,
        notes: c.notes,
        custodian: c.custodian.unwrap_or_else(|| custodian(GIVER)),
        list_number: c.list_number,
    }
}

pub fn file(n: u32) -> FileRecorded {
    recorded(record_file(n))
}

pub fn files(ns: &[u32]) -> Vec<FondsEvent> {
    ns.iter().map(|n| file(*n).into()).collect()
}

/// An opened fonds holding the given files, then closed.
pub fn closed_with(files: impl IntoIterator<Item = FileRecorded>) -> Vec<FondsEvent> {
    let mut events = vec![opened()];
    events.extend(files.into_iter().map(FondsEvent::from));
    events.push(closed());
    events
}

pub fn closed_with_files(ns: &[u32]) -> Vec<FondsEvent> {
    closed_with(ns.iter().map(|n| file(*n)))
}

pub fn with(
    mut events: Vec<FondsEvent>,
    more: impl IntoIterator<Item = FondsEvent>,
) -> Vec<FondsEvent> {
    events.extend(more);
    events
}

// ---- handovers ----

/// Minutes handing files `ns` (default shape: box 1, 10 sheets each) from GIVER to RECEIVER.
pub fn draft(id: u128, ns: &[u32]) -> DraftHandover {
    let count = u32::try_from(ns.len()).expect("few files");
    DraftHandover {
        handover_id: handover_id(id),
        batch: None,
        giving_custodian: custodian(GIVER),
        receiving_custodian: custodian(RECEIVER),
        giving_person: user("giver-1"),
        receiving_person: user("receiver-1"),
        legal_basis: basis(),
        file_codes: codes(ns),
        declared_files: count,
        declared_extent: Extent {
            boxes: 1,
            sheets: 10 * count,
            linear_mm: 100,
        },
        drafted_on: day(2025, 7, 10),
    }
}

pub fn drafted_from(c: DraftHandover) -> FondsEvent {
    HandoverDrafted {
        handover_id: c.handover_id,
        batch: c.batch,
        giving_custodian: c.giving_custodian,
        receiving_custodian: c.receiving_custodian,
        giving_person: c.giving_person,
        receiving_person: c.receiving_person,
        legal_basis: c.legal_basis,
        file_codes: c.file_codes,
        declared_files: c.declared_files,
        declared_extent: c.declared_extent,
        drafted_on: c.drafted_on,
    }
    .into()
}

pub fn drafted(id: u128, ns: &[u32]) -> FondsEvent {
    drafted_from(draft(id, ns))
}

pub fn sign(id: u128) -> SignHandover {
    SignHandover {
        handover_id: handover_id(id),
        signed_by: user("giver-1"),
        signed_on: day(2025, 7, 11),
    }
}

pub fn signed(id: u128) -> FondsEvent {
    let c = sign(id);
    HandoverSigned {
        handover_id: c.handover_id,
        signed_by: c.signed_by,
        signed_on: c.signed_on,
    }
    .into()
}

pub fn receive(id: u128, discrepancies: Vec<Discrepancy>) -> ReceiveHandover {
    ReceiveHandover {
        handover_id: handover_id(id),
        received_by: user("receiver-1"),
        received_on: day(2025, 7, 12),
        discrepancies,
    }
}

pub fn received(id: u128, discrepancies: Vec<Discrepancy>) -> FondsEvent {
    let c = receive(id, discrepancies);
    HandoverReceived {
        handover_id: c.handover_id,
        received_by: c.received_by,
        received_on: c.received_on,
        discrepancies: c.discrepancies,
    }
    .into()
}

pub fn cancel_handover(id: u128) -> CancelHandover {
    CancelHandover {
        handover_id: handover_id(id),
        cancelled_by: user("giver-1"),
        cancelled_on: day(2025, 7, 11),
        reason: note("Lập lại biên bản"),
    }
}

pub fn handover_cancelled(id: u128) -> FondsEvent {
    let c = cancel_handover(id);
    HandoverCancelled {
        handover_id: c.handover_id,
        cancelled_by: c.cancelled_by,
        cancelled_on: c.cancelled_on,
        reason: c.reason,
    }
    .into()
}

// ---- transfers ----

pub fn register_transfer(id: u128, ns: &[u32]) -> RegisterTransfer {
    RegisterTransfer {
        transfer_id: transfer_id(id),
        batch: None,
        transferring_custodian: custodian(GIVER),
        archive: custodian(ARCHIVE),
        declared_kind: FondsKind::State,
        file_codes: codes(ns),
        registered_by: user("giver-1"),
        registered_on: day(2025, 8, 1),
    }
}

pub fn transfer_registered_from(c: RegisterTransfer) -> FondsEvent {
    TransferRegistered {
        transfer_id: c.transfer_id,
        batch: c.batch,
        transferring_custodian: c.transferring_custodian,
        archive: c.archive,
        declared_kind: c.declared_kind,
        file_codes: c.file_codes,
        registered_by: c.registered_by,
        registered_on: c.registered_on,
    }
    .into()
}

pub fn transfer_registered(id: u128, ns: &[u32]) -> FondsEvent {
    transfer_registered_from(register_transfer(id, ns))
}

pub fn appraise_list(id: u128, outcome: AppraisalOutcome) -> AppraiseTransferList {
    AppraiseTransferList {
        transfer_id: transfer_id(id),
        appraised_by: user("archivist-1"),
        appraised_on: day(2025, 8, 15),
        outcome,
        notes: None,
    }
}

pub fn list_appraised(id: u128, outcome: AppraisalOutcome) -> FondsEvent {
    let c = appraise_list(id, outcome);
    TransferListAppraised {
        transfer_id: c.transfer_id,
        appraised_by: c.appraised_by,
        appraised_on: c.appraised_on,
        outcome: c.outcome,
        notes: c.notes,
    }
    .into()
}

pub fn rejected_file(n: u32) -> RejectedFile {
    RejectedFile {
        file_code: code(n),
        reason: note("Chưa chỉnh lý"),
    }
}

pub fn accept_transfer(id: u128, accepted: &[u32], rejected: &[u32]) -> AcceptTransfer {
    AcceptTransfer {
        transfer_id: transfer_id(id),
        accepted_by: user("archivist-1"),
        accepted_on: day(2025, 9, 1),
        accepted: codes(accepted),
        rejected: rejected.iter().map(|n| rejected_file(*n)).collect(),
    }
}

pub fn transfer_accepted(id: u128, accepted: &[u32], rejected: &[u32]) -> FondsEvent {
    let c = accept_transfer(id, accepted, rejected);
    TransferAccepted {
        transfer_id: c.transfer_id,
        accepted_by: c.accepted_by,
        accepted_on: c.accepted_on,
        accepted: c.accepted,
        rejected: c.rejected,
    }
    .into()
}

// ---- destruction ----

/// A file kept 10 years that ended on 31/12/2014, so it may be destroyed from 31/12/2024.
pub fn expired_file(n: u32) -> FileRecorded {
    FileRecorded {
        retention: RetentionPeriod::fixed_term(10).expect("valid"),
        start_date: day(2014, 1, 1),
        end_date: day(2014, 12, 31),
        ..file(n)
    }
}

pub fn propose(id: u128, ns: &[u32]) -> ProposeDestruction {
    ProposeDestruction {
        destruction_id: destruction_id(id),
        file_codes: codes(ns),
        council_decision: basis(),
        proposed_by: user("clerk-1"),
        proposed_on: day(2025, 3, 1),
    }
}

pub fn proposed(id: u128, ns: &[u32]) -> FondsEvent {
    let c = propose(id, ns);
    DestructionProposed {
        destruction_id: c.destruction_id,
        file_codes: c.file_codes,
        council_decision: c.council_decision,
        proposed_by: c.proposed_by,
        proposed_on: c.proposed_on,
    }
    .into()
}

pub fn approve(id: u128, by: &str) -> ApproveDestruction {
    ApproveDestruction {
        destruction_id: destruction_id(id),
        approved_by: user(by),
        approved_on: day(2025, 3, 10),
    }
}

pub fn approved(id: u128) -> FondsEvent {
    let c = approve(id, "director-1");
    DestructionApproved {
        destruction_id: c.destruction_id,
        approved_by: c.approved_by,
        approved_on: c.approved_on,
    }
    .into()
}

pub fn execute(id: u128) -> ExecuteDestruction {
    ExecuteDestruction {
        destruction_id: destruction_id(id),
        executed_by: user("clerk-1"),
        executed_on: day(2025, 3, 20),
    }
}

pub fn executed(id: u128) -> FondsEvent {
    destruction_executed(id).into()
}

pub fn destruction_executed(id: u128) -> DestructionExecuted {
    let c = execute(id);
    DestructionExecuted {
        destruction_id: c.destruction_id,
        executed_by: c.executed_by,
        executed_on: c.executed_on,
        deleted_copies: Vec::new(),
    }
}

pub fn cancel_destruction(id: u128) -> CancelDestruction {
    CancelDestruction {
        destruction_id: destruction_id(id),
        cancelled_by: user("director-1"),
        cancelled_on: day(2025, 3, 5),
        reason: note("Hội đồng xem xét lại"),
    }
}

pub fn destruction_cancelled(id: u128) -> FondsEvent {
    let c = cancel_destruction(id);
    DestructionCancelled {
        destruction_id: c.destruction_id,
        cancelled_by: c.cancelled_by,
        cancelled_on: c.cancelled_on,
        reason: c.reason,
    }
    .into()
}

// ---- holds ----

pub fn place_hold(id: u128, ns: &[u32]) -> PlaceHold {
    PlaceHold {
        hold_id: hold_id(id),
        reason: HoldReason::Inspection,
        file_codes: codes(ns),
        legal_basis: basis(),
        placed_by: user("inspector-1"),
        placed_on: day(2025, 3, 5),
    }
}

pub fn hold_placed(id: u128, ns: &[u32]) -> FondsEvent {
    let c = place_hold(id, ns);
    HoldPlaced {
        hold_id: c.hold_id,
        reason: c.reason,
        file_codes: c.file_codes,
        legal_basis: c.legal_basis,
        placed_by: c.placed_by,
        placed_on: c.placed_on,
    }
    .into()
}

pub fn lift_hold(id: u128) -> LiftHold {
    LiftHold {
        hold_id: hold_id(id),
        lifted_by: user("inspector-1"),
        lifted_on: day(2025, 3, 8),
    }
}

pub fn hold_lifted(id: u128) -> FondsEvent {
    let c = lift_hold(id);
    HoldLifted {
        hold_id: c.hold_id,
        lifted_by: c.lifted_by,
        lifted_on: c.lifted_on,
    }
    .into()
}

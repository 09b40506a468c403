//! Rule 10: destruction takes expired fixed-term files, approval by a second person, no hold,
//! and execution only after approval; a destroyed file is never handed over, transferred or
//! corrected.

use bangiao_domain::fonds::*;
use bangiao_domain::values::RetentionPeriod;

use crate::fixtures::*;

fn expired_fonds() -> Vec<FondsEvent> {
    with(
        vec![opened()],
        [expired_file(1).into(), expired_file(2).into()],
    )
}

fn proposal() -> Vec<FondsEvent> {
    with(expired_fonds(), [proposed(1, &[1, 2])])
}

fn approval() -> Vec<FondsEvent> {
    with(proposal(), [approved(1)])
}

#[test]
fn expired_fixed_term_files_are_proposed() {
    fonds(expired_fonds())
        .when(propose(1, &[1, 2]))
        .then_expect(vec![proposed(1, &[1, 2])]);
}

#[test]
fn a_permanent_file_is_never_proposed() {
    fonds(with(expired_fonds(), [file(3).into()]))
        .when(propose(1, &[1, 3]))
        .then_expect_error("file_permanent");
}

#[test]
fn a_file_is_proposed_from_the_day_its_retention_expires() {
    let day_before = ProposeDestruction {
        proposed_on: day(2024, 12, 30),
        ..propose(1, &[1])
    };
    fonds(expired_fonds())
        .when(day_before)
        .then_expect_error("retention_not_expired");
    let expiry_day = ProposeDestruction {
        proposed_on: day(2024, 12, 31),
        ..propose(1, &[1])
    };
    fonds(expired_fonds()).when(expiry_day).then_state();
}

#[test]
fn a_five_year_file_expires_five_years_after_it_ends() {
    let five_years = FileRecorded {
        retention: RetentionPeriod::fixed_term(5).expect("valid"),
        end_date: day(2020, 12, 31),
        start_date: day(2020, 1, 1),
        ..file(3)
    };
    fonds(with(expired_fonds(), [five_years.into()]))
        .when(propose(1, &[3]))
        .then_expect_error("retention_not_expired");
}

#[test]
fn the_proposer_cannot_approve() {
    fonds(proposal())
        .when(approve(1, "clerk-1"))
        .then_expect_error("same_approver");
}

#[test]
fn another_person_approves_once() {
    fonds(proposal())
        .when(approve(1, "director-1"))
        .then_expect(vec![approved(1)]);
    fonds(approval())
        .when(approve(1, "director-1"))
        .then_expect_error("destruction_already_approved");
}

#[test]
fn execution_before_approval_is_refused() {
    fonds(proposal())
        .when(execute(1))
        .then_expect_error("destruction_not_approved");
}

#[test]
fn execution_after_approval_is_accepted() {
    fonds(approval())
        .when(execute(1))
        .then_expect(vec![executed(1)]);
}

#[test]
fn a_held_file_blocks_approval() {
    fonds(with(proposal(), [hold_placed(1, &[2])]))
        .when(approve(1, "director-1"))
        .then_expect_error("file_on_hold");
}

#[test]
fn a_hold_placed_after_approval_blocks_execution() {
    fonds(with(approval(), [hold_placed(1, &[1])]))
        .when(execute(1))
        .then_expect_error("file_on_hold");
}

#[test]
fn a_lifted_hold_no_longer_blocks() {
    fonds(with(proposal(), [hold_placed(1, &[2]), hold_lifted(1)]))
        .when(approve(1, "director-1"))
        .then_expect(vec![approved(1)]);
}

#[test]
fn an_executed_destruction_is_closed() {
    let history = with(approval(), [executed(1)]);
    fonds(history.clone())
        .when(execute(1))
        .then_expect_error("destruction_closed");
    fonds(history)
        .when(cancel_destruction(1))
        .then_expect_error("destruction_closed");
}

#[test]
fn a_cancelled_proposal_releases_its_files() {
    fonds(proposal())
        .when(cancel_destruction(1))
        .then_expect(vec![destruction_cancelled(1)]);
    fonds(with(proposal(), [destruction_cancelled(1)]))
        .when(propose(2, &[1]))
        .then_expect(vec![proposed(2, &[1])]);
}

fn destroyed_then_closed() -> Vec<FondsEvent> {
    with(approval(), [executed(1), closed()])
}

#[test]
fn a_destroyed_file_is_never_handed_over() {
    fonds(destroyed_then_closed())
        .when(draft(1, &[1]))
        .then_expect_error("file_destroyed");
}

#[test]
fn a_destroyed_file_is_never_transferred() {
    fonds(destroyed_then_closed())
        .when(register_transfer(1, &[1]))
        .then_expect_error("file_destroyed");
}

#[test]
fn a_destroyed_file_is_never_corrected() {
    let correction = CorrectFile {
        file_code: code(1),
        correction: Correction::Sheets {
            old_value: Some(10),
            new_value: Some(11),
        },
    };
    fonds(destroyed_then_closed())
        .when(correction)
        .then_expect_error("file_destroyed");
}

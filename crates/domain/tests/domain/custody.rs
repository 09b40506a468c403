//! What the events do to custody: receipt, cancellation, transfer, destruction and holds.

use bangiao_domain::fonds::AppraisalOutcome::Approved;
use bangiao_domain::fonds::*;

use crate::fixtures::*;

fn status_and_custodian(state: &FondsState, n: u32) -> (FileStatus, String) {
    let file = state.file(&code(n)).expect("file recorded");
    (file.status, file.custodian.to_string())
}

#[test]
fn drafting_puts_the_listed_files_in_the_handover() {
    let state = fonds(with(closed_with_files(&[1, 2]), [drafted(1, &[1])])).state();
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::InHandover(handover_id(1)), GIVER.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 2),
        (FileStatus::InCustody, GIVER.to_owned())
    );
}

#[test]
fn on_receipt_listed_files_pass_to_the_receiving_side() {
    let history = with(
        closed_with_files(&[1, 2, 3]),
        [drafted(1, &[1, 2]), signed(1), received(1, vec![])],
    );
    let state = fonds(history).state();
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::InCustody, RECEIVER.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 2),
        (FileStatus::InCustody, RECEIVER.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 3),
        (FileStatus::InCustody, GIVER.to_owned())
    );
    let handover = state.handover(&handover_id(1)).expect("drafted");
    assert_eq!(handover.status, HandoverStatus::Received);
    assert!(handover.files.is_empty(), "closed minutes keep no list");
}

#[test]
fn on_receipt_missing_files_stay_with_the_giving_side_and_damaged_ones_pass() {
    let discrepancies = vec![
        Discrepancy::Missing { file_code: code(1) },
        Discrepancy::Damaged {
            file_code: code(2),
            description: note("Rách bìa"),
        },
        Discrepancy::NotOnList { file_code: code(3) },
    ];
    let history = with(
        closed_with_files(&[1, 2, 3]),
        [drafted(1, &[1, 2]), signed(1), received(1, discrepancies)],
    );
    let state = fonds(history).state();
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::Missing, GIVER.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 2),
        (FileStatus::InCustody, RECEIVER.to_owned())
    );
    assert!(state.file(&code(2)).is_some_and(|f| f.damaged));
    // Presented but not listed: noted on the minutes, custody unchanged.
    assert_eq!(
        status_and_custodian(&state, 3),
        (FileStatus::InCustody, GIVER.to_owned())
    );
}

#[test]
fn cancelled_minutes_release_their_files() {
    let history = with(
        closed_with_files(&[1]),
        [drafted(1, &[1]), handover_cancelled(1)],
    );
    let state = fonds(history).state();
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::InCustody, GIVER.to_owned())
    );
}

#[test]
fn on_acceptance_the_archive_holds_accepted_files_and_rejected_ones_return() {
    let history = with(
        closed_with_files(&[1, 2]),
        [
            transfer_registered(1, &[1, 2]),
            list_appraised(1, Approved),
            transfer_accepted(1, &[1], &[2]),
        ],
    );
    let state = fonds(history).state();
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::Transferred, ARCHIVE.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 2),
        (FileStatus::InCustody, GIVER.to_owned())
    );
    assert!(state.transfer(&transfer_id(1)).is_some_and(|t| t.accepted));
}

#[test]
fn a_transferred_file_is_no_longer_handed_over_by_its_former_holder() {
    let history = with(
        closed_with_files(&[1]),
        [
            transfer_registered(1, &[1]),
            list_appraised(1, Approved),
            transfer_accepted(1, &[1], &[]),
        ],
    );
    fonds(history)
        .when(draft(1, &[1]))
        .then_expect_error("file_transferred");
}

#[test]
fn destroyed_files_stay_recorded_as_tombstones() {
    let history = with(
        vec![opened(), expired_file(1).into(), expired_file(2).into()],
        [proposed(1, &[1]), approved(1), executed(1)],
    );
    let state = fonds(history).state();
    assert_eq!(state.file_count(), 2);
    assert_eq!(
        status_and_custodian(&state, 1),
        (FileStatus::Destroyed, GIVER.to_owned())
    );
    assert_eq!(
        status_and_custodian(&state, 2),
        (FileStatus::InCustody, GIVER.to_owned())
    );
    let destruction = state.destruction(&destruction_id(1)).expect("proposed");
    assert_eq!(destruction.status, DestructionStatus::Executed);
}

#[test]
fn holds_are_tracked_per_file_until_lifted() {
    let placed = with(
        closed_with_files(&[1, 2]),
        [hold_placed(1, &[1]), hold_placed(2, &[1, 2])],
    );
    let state = fonds(placed.clone()).state();
    assert_eq!(state.file(&code(1)).map(|f| f.holds.len()), Some(2));
    let lifted = fonds(with(placed, [hold_lifted(1)])).state();
    assert_eq!(
        lifted.file(&code(1)).map(|f| f.holds.clone()),
        Some(vec![hold_id(2)])
    );
    assert!(lifted.hold(&hold_id(1)).is_some_and(|h| h.lifted));
}

#[test]
fn the_fonds_record_follows_opening_and_closure() {
    let state = fonds(closed_with_files(&[])).state();
    assert!(state.is_opened());
    assert_eq!(state.closed_on(), Some(day(2025, 6, 30)));
    assert_eq!(
        state.fonds().map(|f| f.fonds_code.to_string()),
        Some(FONDS.to_owned())
    );
}

//! Rule 3: a file is in at most one open handover, transfer or destruction.

use crate::fixtures::*;

#[test]
fn a_file_in_an_open_handover_cannot_join_another_handover() {
    fonds(with(closed_with_files(&[1, 2]), [drafted(1, &[1])]))
        .when(draft(2, &[2, 1]))
        .then_expect_error("file_in_open_handover");
}

#[test]
fn a_file_in_a_signed_handover_cannot_join_a_transfer() {
    fonds(with(closed_with_files(&[1]), [drafted(1, &[1]), signed(1)]))
        .when(register_transfer(1, &[1]))
        .then_expect_error("file_in_open_handover");
}

#[test]
fn a_file_in_an_open_transfer_cannot_join_a_handover() {
    fonds(with(
        closed_with_files(&[1]),
        [transfer_registered(1, &[1])],
    ))
    .when(draft(1, &[1]))
    .then_expect_error("file_in_open_transfer");
}

#[test]
fn a_file_in_an_open_destruction_cannot_join_a_handover() {
    fonds(with(closed_with([expired_file(1)]), [proposed(1, &[1])]))
        .when(draft(1, &[1]))
        .then_expect_error("file_in_open_destruction");
}

#[test]
fn a_file_of_cancelled_minutes_can_be_listed_again() {
    fonds(with(
        closed_with_files(&[1]),
        [drafted(1, &[1]), handover_cancelled(1)],
    ))
    .when(draft(2, &[1]))
    .then_expect(vec![drafted(2, &[1])]);
}

#[test]
fn a_file_rejected_by_the_archive_can_be_listed_again() {
    let history = with(
        closed_with_files(&[1, 2]),
        [
            transfer_registered(1, &[1, 2]),
            list_appraised(1, bangiao_domain::fonds::AppraisalOutcome::Approved),
            transfer_accepted(1, &[1], &[2]),
        ],
    );
    fonds(history)
        .when(draft(1, &[2]))
        .then_expect(vec![drafted(1, &[2])]);
}

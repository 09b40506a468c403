//! Rule 9: the archive accepts only after appraising the list, and accepted plus rejected files
//! are exactly the list.

use bangiao_domain::fonds::AppraisalOutcome::{Approved, Rejected};
use bangiao_domain::fonds::*;

use crate::fixtures::*;

fn registered() -> Vec<FondsEvent> {
    with(
        closed_with_files(&[1, 2, 3]),
        [transfer_registered(1, &[1, 2])],
    )
}

fn appraised(outcome: AppraisalOutcome) -> Vec<FondsEvent> {
    with(registered(), [list_appraised(1, outcome)])
}

#[test]
fn the_archive_appraises_a_registered_list_once() {
    fonds(registered())
        .when(appraise_list(1, Approved))
        .then_expect(vec![list_appraised(1, Approved)]);
    fonds(appraised(Approved))
        .when(appraise_list(1, Approved))
        .then_expect_error("transfer_already_appraised");
}

#[test]
fn acceptance_before_appraisal_is_refused() {
    fonds(registered())
        .when(accept_transfer(1, &[1, 2], &[]))
        .then_expect_error("transfer_not_appraised");
}

#[test]
fn accepted_and_rejected_files_that_cover_the_list_are_accepted() {
    fonds(appraised(Approved))
        .when(accept_transfer(1, &[1], &[2]))
        .then_expect(vec![transfer_accepted(1, &[1], &[2])]);
}

#[test]
fn a_listed_file_left_undecided_is_refused() {
    fonds(appraised(Approved))
        .when(accept_transfer(1, &[1], &[]))
        .then_expect_error("not_a_partition");
}

#[test]
fn a_file_both_accepted_and_rejected_is_refused() {
    fonds(appraised(Approved))
        .when(accept_transfer(1, &[1, 2], &[2]))
        .then_expect_error("duplicate_in_list");
}

#[test]
fn a_file_outside_the_transfer_is_refused() {
    fonds(appraised(Approved))
        .when(accept_transfer(1, &[1, 2, 3], &[]))
        .then_expect_error("file_not_listed");
    fonds(appraised(Approved))
        .when(accept_transfer(1, &[1, 2, 9], &[]))
        .then_expect_error("file_not_found");
}

#[test]
fn a_rejected_list_accepts_no_file() {
    fonds(appraised(Rejected))
        .when(accept_transfer(1, &[1], &[2]))
        .then_expect_error("transfer_list_rejected");
    fonds(appraised(Rejected))
        .when(accept_transfer(1, &[], &[1, 2]))
        .then_expect(vec![transfer_accepted(1, &[], &[1, 2])]);
}

#[test]
fn an_accepted_transfer_is_closed() {
    let history = with(appraised(Approved), [transfer_accepted(1, &[1, 2], &[])]);
    fonds(history.clone())
        .when(accept_transfer(1, &[1, 2], &[]))
        .then_expect_error("transfer_closed");
    fonds(history)
        .when(appraise_list(1, Approved))
        .then_expect_error("transfer_closed");
}

#[test]
fn acceptance_dated_before_appraisal_is_refused() {
    let early = AcceptTransfer {
        accepted_on: day(2025, 8, 14),
        ..accept_transfer(1, &[1, 2], &[])
    };
    fonds(appraised(Approved))
        .when(early)
        .then_expect_error("date_out_of_order");
}

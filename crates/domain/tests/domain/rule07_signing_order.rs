//! Rule 7: the giving side signs, then the receiving side receives; closed minutes stay closed;
//! discrepancies name listed files (missing, damaged) or unlisted ones (not on the list).

use bangiao_domain::fonds::*;

use crate::fixtures::*;

fn drafted_minutes() -> Vec<FondsEvent> {
    with(closed_with_files(&[1, 2]), [drafted(1, &[1, 2])])
}

fn signed_minutes() -> Vec<FondsEvent> {
    with(drafted_minutes(), [signed(1)])
}

#[test]
fn the_giving_side_signs_drafted_minutes() {
    fonds(drafted_minutes())
        .when(sign(1))
        .then_expect(vec![signed(1)]);
}

#[test]
fn the_receiving_side_receives_signed_minutes() {
    fonds(signed_minutes())
        .when(receive(1, vec![]))
        .then_expect(vec![received(1, vec![])]);
}

#[test]
fn receipt_before_the_giving_side_signs_is_refused() {
    fonds(drafted_minutes())
        .when(receive(1, vec![]))
        .then_expect_error("handover_not_signed");
}

#[test]
fn the_giving_side_signs_once() {
    fonds(signed_minutes())
        .when(sign(1))
        .then_expect_error("handover_already_signed");
}

#[test]
fn only_the_persons_named_in_the_minutes_sign() {
    let stranger_signs = SignHandover {
        signed_by: user("someone-else"),
        ..sign(1)
    };
    fonds(drafted_minutes())
        .when(stranger_signs)
        .then_expect_error("wrong_signatory");
    let giver_receives = ReceiveHandover {
        received_by: user("giver-1"),
        ..receive(1, vec![])
    };
    fonds(signed_minutes())
        .when(giver_receives)
        .then_expect_error("wrong_signatory");
}

#[test]
fn a_signature_dated_before_the_minutes_is_refused() {
    let early = SignHandover {
        signed_on: day(2025, 7, 9),
        ..sign(1)
    };
    fonds(drafted_minutes())
        .when(early)
        .then_expect_error("date_out_of_order");
}

#[test]
fn received_minutes_cannot_be_signed_received_or_cancelled() {
    let history = with(signed_minutes(), [received(1, vec![])]);
    fonds(history.clone())
        .when(sign(1))
        .then_expect_error("handover_closed");
    fonds(history.clone())
        .when(receive(1, vec![]))
        .then_expect_error("handover_closed");
    fonds(history)
        .when(cancel_handover(1))
        .then_expect_error("handover_closed");
}

#[test]
fn cancelled_minutes_cannot_be_signed_or_cancelled_again() {
    let history = with(drafted_minutes(), [handover_cancelled(1)]);
    fonds(history.clone())
        .when(sign(1))
        .then_expect_error("handover_closed");
    fonds(history)
        .when(cancel_handover(1))
        .then_expect_error("handover_closed");
}

#[test]
fn signed_minutes_can_still_be_cancelled() {
    fonds(signed_minutes())
        .when(cancel_handover(1))
        .then_expect(vec![handover_cancelled(1)]);
}

#[test]
fn unknown_minutes_are_not_found() {
    fonds(drafted_minutes())
        .when(sign(9))
        .then_expect_error("not_found");
}

#[test]
fn discrepancies_name_listed_files_or_files_not_on_the_list() {
    let discrepancies = vec![
        Discrepancy::Missing { file_code: code(1) },
        Discrepancy::Damaged {
            file_code: code(2),
            description: note("Rách bìa"),
        },
        Discrepancy::NotOnList { file_code: code(9) },
    ];
    fonds(signed_minutes())
        .when(receive(1, discrepancies.clone()))
        .then_expect(vec![received(1, discrepancies)]);
}

#[test]
fn a_missing_or_damaged_file_must_be_listed() {
    let unlisted_missing = vec![Discrepancy::Missing { file_code: code(9) }];
    fonds(signed_minutes())
        .when(receive(1, unlisted_missing))
        .then_expect_error("file_not_listed");
}

#[test]
fn a_file_not_on_the_list_must_not_be_listed() {
    let listed = vec![Discrepancy::NotOnList { file_code: code(1) }];
    fonds(signed_minutes())
        .when(receive(1, listed))
        .then_expect_error("file_is_listed");
}

#[test]
fn a_file_is_named_in_one_discrepancy_only() {
    let twice = vec![
        Discrepancy::Missing { file_code: code(1) },
        Discrepancy::Damaged {
            file_code: code(1),
            description: note("Rách bìa"),
        },
    ];
    fonds(signed_minutes())
        .when(receive(1, twice))
        .then_expect_error("duplicate_in_list");
}

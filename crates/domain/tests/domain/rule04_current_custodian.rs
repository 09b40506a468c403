//! Rule 4: only a file's current custodian hands it over, and never to itself.

use bangiao_domain::fonds::*;

use crate::fixtures::*;

#[test]
fn the_giving_side_must_hold_every_listed_file() {
    let elsewhere = FileRecorded {
        custodian: custodian("PHONG-NV"),
        ..file(2)
    };
    fonds(closed_with([file(1), elsewhere]))
        .when(draft(1, &[1, 2]))
        .then_expect_error("not_current_custodian");
}

#[test]
fn giving_and_receiving_sides_must_differ() {
    let to_itself = DraftHandover {
        receiving_custodian: custodian(GIVER),
        ..draft(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(to_itself)
        .then_expect_error("same_custodian");
}

fn received_by_receiver() -> Vec<FondsEvent> {
    with(
        closed_with_files(&[1]),
        [drafted(1, &[1]), signed(1), received(1, vec![])],
    )
}

#[test]
fn after_receipt_the_receiver_hands_the_file_on() {
    let onward = DraftHandover {
        giving_custodian: custodian(RECEIVER),
        receiving_custodian: custodian(ARCHIVE),
        giving_person: user("receiver-1"),
        receiving_person: user("archivist-1"),
        ..draft(2, &[1])
    };
    let expected = drafted_from(onward.clone());
    fonds(received_by_receiver())
        .when(onward)
        .then_expect(vec![expected]);
}

#[test]
fn after_receipt_the_former_custodian_cannot_hand_the_file_over() {
    fonds(received_by_receiver())
        .when(draft(2, &[1]))
        .then_expect_error("not_current_custodian");
}

//! Rule 12: custody is never claimed by writing it. A new file is held by whoever holds the
//! fonds; the fonds passes only by a handover or a transfer that leaves its holder with none of
//! its files.

use bangiao_domain::fonds::*;

use crate::fixtures::*;

/// A file recorded after closure (found in the inventory after the fonds was closed).
fn late_file(n: u32) -> RecordFile {
    record_file(n)
}

fn holder(events: Vec<FondsEvent>) -> String {
    fonds(events)
        .state()
        .fonds()
        .expect("opened")
        .custodian
        .to_string()
}

#[test]
fn a_file_naming_another_custodian_is_refused() {
    let claimed = RecordFile {
        custodian: Some(custodian(ARCHIVE)),
        ..record_file(1)
    };
    fonds([opened()])
        .when(claimed)
        .then_expect_error("not_fonds_custodian");
}

#[test]
fn a_file_naming_the_holder_or_no_one_is_held_by_the_holder() {
    let named = RecordFile {
        custodian: Some(custodian(GIVER)),
        ..record_file(1)
    };
    fonds([opened()])
        .when(named)
        .then_expect(vec![file(1).into()]);
    fonds([opened()])
        .when(record_file(1))
        .then_expect(vec![file(1).into()]);
}

fn whole_fonds_handed_over() -> Vec<FondsEvent> {
    with(
        closed_with_files(&[1, 2]),
        [drafted(1, &[1, 2]), signed(1), received(1, vec![])],
    )
}

#[test]
fn a_handover_of_every_file_passes_the_fonds_to_the_receiving_side() {
    assert_eq!(holder(whole_fonds_handed_over()), RECEIVER);
    let recorded_later = FileRecorded {
        custodian: custodian(RECEIVER),
        ..recorded(late_file(9))
    };
    fonds(whole_fonds_handed_over())
        .when(late_file(9))
        .then_expect(vec![recorded_later.into()]);
}

#[test]
fn after_the_fonds_passed_the_former_holder_cannot_record_files_as_its_own() {
    let as_giver = RecordFile {
        custodian: Some(custodian(GIVER)),
        ..late_file(9)
    };
    fonds(whole_fonds_handed_over())
        .when(as_giver)
        .then_expect_error("not_fonds_custodian");
}

#[test]
fn a_handover_of_some_files_leaves_the_fonds_with_its_holder() {
    let part = with(
        closed_with_files(&[1, 2]),
        [drafted(1, &[1]), signed(1), received(1, vec![])],
    );
    assert_eq!(holder(part), GIVER);
}

#[test]
fn a_file_reported_missing_does_not_keep_the_fonds_with_the_giving_side() {
    let missing = Discrepancy::Missing { file_code: code(2) };
    let events = with(
        closed_with_files(&[1, 2]),
        [drafted(1, &[1, 2]), signed(1), received(1, vec![missing])],
    );
    assert_eq!(holder(events), RECEIVER);
}

#[test]
fn a_transfer_of_every_file_passes_the_fonds_to_the_archive() {
    let events = with(
        closed_with_files(&[1, 2]),
        [
            transfer_registered(1, &[1, 2]),
            list_appraised(1, AppraisalOutcome::Approved),
            transfer_accepted(1, &[1, 2], &[]),
        ],
    );
    assert_eq!(holder(events), ARCHIVE);
}

#[test]
fn a_transfer_with_rejected_files_leaves_the_fonds_with_its_holder() {
    let events = with(
        closed_with_files(&[1, 2]),
        [
            transfer_registered(1, &[1, 2]),
            list_appraised(1, AppraisalOutcome::Approved),
            transfer_accepted(1, &[1], &[2]),
        ],
    );
    assert_eq!(holder(events), GIVER);
}

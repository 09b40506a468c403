//! Opening a fonds, its creator's history, and commands on a fonds never opened.

use bangiao_domain::fonds::*;
use bangiao_domain::values::UnitCode;

use crate::fixtures::*;

#[test]
fn a_fonds_opens_once() {
    fonds([]).when(open()).then_expect(vec![opened()]);
    fonds([opened()])
        .when(open())
        .then_expect_error("already_exists");
}

#[test]
fn a_fonds_of_a_unit_ended_on_or_before_the_opening_day_is_refused() {
    let ended_that_day = OpenFonds {
        unit_ended_on: Some(day(2000, 1, 1)),
        ..open()
    };
    fonds([])
        .when(ended_that_day)
        .then_expect_error("unit_ended");
}

#[test]
fn a_fonds_of_a_unit_that_ended_later_is_opened() {
    // Backfilling: the fonds of a district that ended on 1 July 2025 existed long before.
    let ended_later = OpenFonds {
        unit_ended_on: Some(day(2025, 7, 1)),
        unit_code: UnitCode::parse("066").expect("valid"),
        ..open()
    };
    fonds([]).when(ended_later).then_expect(vec![opened()]);
}

#[test]
fn every_other_command_needs_an_opened_fonds() {
    fonds([])
        .when(record_file(1))
        .then_expect_error("not_found");
    fonds([]).when(close()).then_expect_error("not_found");
    fonds([]).when(lift_hold(1)).then_expect_error("not_found");
}

#[test]
fn creator_history_is_recorded_even_after_closure() {
    let history = RecordCreatorHistory {
        history: note("UBND huyện Pác Nặm thành lập năm 2003.\nKết thúc hoạt động ngày 30/6/2025."),
        recorded_on: day(2025, 7, 2),
    };
    let expected = CreatorHistoryRecorded {
        history: history.history.clone(),
        recorded_on: history.recorded_on,
    };
    fonds(closed_with_files(&[]))
        .when(history)
        .then_expect(vec![expected.into()]);
}

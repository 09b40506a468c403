//! Rule 2: a fonds is closed before any handover, and the minutes are dated on or after closure.

use bangiao_domain::fonds::*;

use crate::fixtures::*;

#[test]
fn a_handover_of_a_closed_fonds_is_drafted() {
    fonds(closed_with_files(&[1, 2]))
        .when(draft(1, &[1, 2]))
        .then_expect(vec![drafted(1, &[1, 2])]);
}

#[test]
fn a_handover_of_an_open_fonds_is_refused() {
    fonds(with(vec![opened()], files(&[1])))
        .when(draft(1, &[1]))
        .then_expect_error("fonds_not_closed");
}

#[test]
fn minutes_dated_before_closure_are_refused() {
    let early = DraftHandover {
        drafted_on: day(2025, 6, 29),
        ..draft(1, &[1])
    };
    fonds(closed_with_files(&[1]))
        .when(early)
        .then_expect_error("handover_before_closure");
}

#[test]
fn minutes_dated_on_the_closure_day_are_accepted() {
    let same_day = DraftHandover {
        drafted_on: day(2025, 6, 30),
        ..draft(1, &[1])
    };
    let expected = drafted_from(same_day.clone());
    fonds(closed_with_files(&[1]))
        .when(same_day)
        .then_expect(vec![expected]);
}

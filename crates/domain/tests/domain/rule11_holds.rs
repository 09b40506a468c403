//! Rule 11: a hold is placed once and lifted once; an unknown hold cannot be lifted.

use bangiao_domain::fonds::{FondsEvent, LiftHold};

use crate::fixtures::*;

fn held() -> Vec<FondsEvent> {
    with(closed_with_files(&[1, 2]), [hold_placed(1, &[1])])
}

#[test]
fn a_hold_is_placed_once() {
    fonds(closed_with_files(&[1, 2]))
        .when(place_hold(1, &[1]))
        .then_expect(vec![hold_placed(1, &[1])]);
    fonds(held())
        .when(place_hold(1, &[2]))
        .then_expect_error("already_exists");
}

#[test]
fn a_file_may_be_under_several_holds() {
    fonds(held())
        .when(place_hold(2, &[1, 2]))
        .then_expect(vec![hold_placed(2, &[1, 2])]);
}

#[test]
fn a_hold_is_lifted_once() {
    fonds(held())
        .when(lift_hold(1))
        .then_expect(vec![hold_lifted(1)]);
    fonds(with(held(), [hold_lifted(1)]))
        .when(lift_hold(1))
        .then_expect_error("hold_already_lifted");
}

#[test]
fn an_unknown_hold_cannot_be_lifted() {
    fonds(held())
        .when(lift_hold(2))
        .then_expect_error("not_found");
}

#[test]
fn a_hold_is_not_lifted_before_it_was_placed() {
    let early = LiftHold {
        lifted_on: day(2025, 3, 4),
        ..lift_hold(1)
    };
    fonds(held())
        .when(early)
        .then_expect_error("date_out_of_order");
}

#[test]
fn a_destroyed_file_cannot_be_held() {
    let history = with(
        vec![opened(), expired_file(1).into()],
        [proposed(1, &[1]), approved(1), executed(1)],
    );
    fonds(history)
        .when(place_hold(1, &[1]))
        .then_expect_error("file_destroyed");
}

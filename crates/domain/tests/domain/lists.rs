//! Lists in commands: unknown file codes, duplicates and empty lists are refused everywhere.

use crate::fixtures::*;

#[test]
fn an_unknown_file_is_refused_in_every_list() {
    let history = closed_with_files(&[1]);
    fonds(history.clone())
        .when(draft(1, &[1, 9]))
        .then_expect_error("file_not_found");
    fonds(history.clone())
        .when(register_transfer(1, &[9]))
        .then_expect_error("file_not_found");
    fonds(history.clone())
        .when(propose(1, &[9]))
        .then_expect_error("file_not_found");
    fonds(history)
        .when(place_hold(1, &[9]))
        .then_expect_error("file_not_found");
}

#[test]
fn a_file_listed_twice_is_refused_in_every_list() {
    let history = closed_with_files(&[1]);
    fonds(history.clone())
        .when(draft(1, &[1, 1]))
        .then_expect_error("duplicate_in_list");
    fonds(history.clone())
        .when(register_transfer(1, &[1, 1]))
        .then_expect_error("duplicate_in_list");
    fonds(history.clone())
        .when(propose(1, &[1, 1]))
        .then_expect_error("duplicate_in_list");
    fonds(history)
        .when(place_hold(1, &[1, 1]))
        .then_expect_error("duplicate_in_list");
}

#[test]
fn an_empty_list_is_refused_everywhere() {
    let history = closed_with_files(&[1]);
    fonds(history.clone())
        .when(draft(1, &[]))
        .then_expect_error("empty_list");
    fonds(history.clone())
        .when(register_transfer(1, &[]))
        .then_expect_error("empty_list");
    fonds(history.clone())
        .when(propose(1, &[]))
        .then_expect_error("empty_list");
    fonds(history)
        .when(place_hold(1, &[]))
        .then_expect_error("empty_list");
}

#[test]
fn an_id_is_used_once_per_process() {
    let history = with(
        closed_with_files(&[1, 2]),
        [drafted(1, &[1]), transfer_registered(1, &[2])],
    );
    fonds(history.clone())
        .when(draft(1, &[2]))
        .then_expect_error("already_exists");
    fonds(history)
        .when(register_transfer(1, &[1]))
        .then_expect_error("already_exists");
}

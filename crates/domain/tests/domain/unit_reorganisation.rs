//! Mergers and splits: pure decisions over several unit streams.

use bangiao_domain::Aggregate;
use bangiao_domain::unit::*;
use bangiao_domain::values::*;

use crate::fixtures::{basis, day};
use crate::unit_fixtures::*;

fn merge(new_successor: Option<UnitDetails>) -> MergeUnits {
    MergeUnits {
        merger_id: reorganisation(1),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        new_successor,
    }
}

fn new_commune() -> UnitDetails {
    details(
        "Xã Bằng Thành",
        UnitType::Commune,
        Some(("11", UnitLevel::Province)),
    )
}

fn codes_of(events: &EventsByUnit) -> Vec<String> {
    events.iter().map(|(code, _)| code.to_string()).collect()
}

#[test]
fn communes_merge_into_a_new_commune() {
    let (a, b, empty) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        UnitState::default(),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let events = decide_merger(
        &predecessors,
        (&unit_code("01999"), &empty),
        &merge(Some(new_commune())),
    )
    .expect("merger accepted");
    assert_eq!(codes_of(&events), ["01999", "01960", "01963"]);
    let formed = UnitFormedByMerger {
        code: unit_code("01999"),
        name: new_commune().name,
        level: UnitLevel::Commune,
        unit_type: UnitType::Commune,
        parent: Some(unit_code("11")),
        predecessors: vec![unit_code("01960"), unit_code("01963")],
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        merger_id: reorganisation(1),
    };
    assert_eq!(events[0].1, vec![formed.into()]);
    let merged = UnitMergedInto {
        successor: unit_code("01999"),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        merger_id: reorganisation(1),
    };
    assert_eq!(events[1].1, vec![merged.into()]);
}

#[test]
fn an_existing_commune_absorbs_its_neighbours() {
    let (a, b, successor) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        state_of([commune("01966")]),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let events = decide_merger(
        &predecessors,
        (&unit_code("01966"), &successor),
        &merge(None),
    )
    .expect("merger accepted");
    assert!(matches!(
        events[0].1.as_slice(),
        [UnitEvent::UnitAbsorbed(_)]
    ));
    let mut merged_away = a.clone();
    UnitAggregate::evolve(&mut merged_away, &events[1].1[0]);
    assert_eq!(merged_away.ended_on(), Some(day(2025, 7, 1)));
}

#[test]
fn a_merger_needs_two_distinct_predecessors() {
    let (a, empty) = (state_of([commune("01960")]), UnitState::default());
    let refused = |predecessors: &[(UnitCode, &UnitState)]| {
        decide_merger(
            predecessors,
            (&unit_code("01999"), &empty),
            &merge(Some(new_commune())),
        )
        .map_err(|e| e.code())
    };
    assert_eq!(refused(&[(unit_code("01960"), &a)]), Err("too_few_units"));
    assert_eq!(
        refused(&[(unit_code("01960"), &a), (unit_code("01960"), &a)]),
        Err("duplicate_in_list")
    );
}

#[test]
fn an_existing_unit_may_absorb_a_single_predecessor() {
    let (a, b) = (state_of([commune("01960")]), state_of([commune("01963")]));
    let absorbed = decide_merger(
        &[(unit_code("01960"), &a)],
        (&unit_code("01963"), &b),
        &merge(None),
    );
    let events = absorbed.expect("one unit absorbed into an existing one");
    assert!(matches!(
        events[0].1.as_slice(),
        [UnitEvent::UnitAbsorbed(_)]
    ));
    let none: &[(UnitCode, &UnitState)] = &[];
    let refused =
        decide_merger(none, (&unit_code("01963"), &b), &merge(None)).map_err(|e| e.code());
    assert_eq!(refused, Err("too_few_units"));
}

#[test]
fn a_unit_cannot_merge_into_itself() {
    let (a, b) = (state_of([commune("01960")]), state_of([commune("01963")]));
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let result = decide_merger(&predecessors, (&unit_code("01960"), &a), &merge(None));
    assert_eq!(result.map_err(|e| e.code()), Err("own_successor"));
}

#[test]
fn an_ended_unit_cannot_be_merged_again() {
    let ended = state_of([commune("01960"), unit_ended()]);
    let (b, empty) = (state_of([commune("01963")]), UnitState::default());
    let predecessors = [(unit_code("01960"), &ended), (unit_code("01963"), &b)];
    let result = decide_merger(
        &predecessors,
        (&unit_code("01999"), &empty),
        &merge(Some(new_commune())),
    );
    assert_eq!(result.map_err(|e| e.code()), Err("unit_ended"));
}

#[test]
fn units_of_different_levels_do_not_merge() {
    let (a, d, empty) = (
        state_of([commune("01960")]),
        state_of([district()]),
        UnitState::default(),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("066"), &d)];
    let result = decide_merger(
        &predecessors,
        (&unit_code("01999"), &empty),
        &merge(Some(new_commune())),
    );
    assert_eq!(result.map_err(|e| e.code()), Err("level_mismatch"));
}

#[test]
fn a_new_successor_needs_its_details_and_an_existing_one_must_not_get_them() {
    let (a, b, empty, existing) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        UnitState::default(),
        state_of([commune("01966")]),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let missing_details = decide_merger(&predecessors, (&unit_code("01999"), &empty), &merge(None));
    assert_eq!(missing_details.map_err(|e| e.code()), Err("not_found"));
    let re_register = decide_merger(
        &predecessors,
        (&unit_code("01966"), &existing),
        &merge(Some(new_commune())),
    );
    assert_eq!(re_register.map_err(|e| e.code()), Err("already_exists"));
}

#[test]
fn a_merger_is_not_dated_before_a_predecessor_began() {
    let (a, b, empty) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        UnitState::default(),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let early = MergeUnits {
        effective_on: day(2002, 1, 1),
        ..merge(Some(new_commune()))
    };
    let result = decide_merger(&predecessors, (&unit_code("01999"), &empty), &early);
    assert_eq!(result.map_err(|e| e.code()), Err("unit_ends_before_start"));
}

fn split() -> SplitUnit {
    SplitUnit {
        split_id: reorganisation(2),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
    }
}

#[test]
fn a_commune_splits_into_new_communes() {
    let (whole, empty) = (state_of([commune("01960")]), UnitState::default());
    let (first, second) = (new_commune(), new_commune());
    let successors = [
        (unit_code("01997"), &empty, &first),
        (unit_code("01998"), &empty, &second),
    ];
    let events =
        decide_split((&unit_code("01960"), &whole), &successors, &split()).expect("split accepted");
    assert_eq!(codes_of(&events), ["01997", "01998", "01960"]);
    let split_into = UnitSplitInto {
        successors: vec![unit_code("01997"), unit_code("01998")],
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        split_id: reorganisation(2),
    };
    assert_eq!(events[2].1, vec![split_into.into()]);
    assert!(
        matches!(events[0].1.as_slice(), [UnitEvent::UnitFormedBySplit(e)] if e.predecessor == unit_code("01960"))
    );
}

#[test]
fn a_split_needs_two_new_units_of_the_same_level() {
    let (whole, empty, existing) = (
        state_of([commune("01960")]),
        UnitState::default(),
        state_of([commune("01966")]),
    );
    let (first, district_details) = (
        new_commune(),
        details(
            "Huyện Mới",
            UnitType::District,
            Some(("11", UnitLevel::Province)),
        ),
    );
    let code = |successors: &[(UnitCode, &UnitState, &UnitDetails)]| {
        decide_split((&unit_code("01960"), &whole), successors, &split()).map_err(|e| e.code())
    };
    assert_eq!(
        code(&[(unit_code("01997"), &empty, &first)]),
        Err("too_few_units")
    );
    assert_eq!(
        code(&[
            (unit_code("01997"), &empty, &first),
            (unit_code("01966"), &existing, &first)
        ]),
        Err("already_exists")
    );
    assert_eq!(
        code(&[
            (unit_code("01997"), &empty, &first),
            (unit_code("067"), &empty, &district_details)
        ]),
        Err("level_mismatch")
    );
    assert_eq!(
        code(&[
            (unit_code("01997"), &empty, &first),
            (unit_code("01960"), &empty, &first)
        ]),
        Err("own_successor")
    );
}

#[test]
fn an_ended_unit_cannot_be_split() {
    let (ended, empty) = (
        state_of([commune("01960"), unit_ended()]),
        UnitState::default(),
    );
    let first = new_commune();
    let successors = [
        (unit_code("01997"), &empty, &first),
        (unit_code("01998"), &empty, &first),
    ];
    let result = decide_split((&unit_code("01960"), &ended), &successors, &split());
    assert_eq!(result.map_err(|e| e.code()), Err("unit_ended"));
}

#[test]
fn a_merger_into_an_existing_unit_is_not_dated_before_it_exists() {
    // Given commune 01966 registered from 01/01/2003, when 01960 merges into it on
    // 01/06/2002, then the merger is refused: the successor did not exist that day.
    let (a, successor) = (state_of([commune("01960")]), state_of([commune("01966")]));
    let predecessors = [(unit_code("01960"), &a)];
    let early = MergeUnits {
        effective_on: day(2002, 6, 1),
        ..merge(None)
    };
    let result = decide_merger(&predecessors, (&unit_code("01966"), &successor), &early);
    let error = result.expect_err("refused");
    assert_eq!(error.code(), "successor_not_in_existence");
    assert!(
        error.message_vi().contains("01966"),
        "{}",
        error.message_vi()
    );
    // On a day it exists, the absorption is accepted.
    decide_merger(
        &predecessors,
        (&unit_code("01966"), &successor),
        &merge(None),
    )
    .expect("merger accepted");
}

#[test]
fn a_new_unit_of_a_merger_or_split_needs_a_parent_existing_that_day() {
    // Given province 11 that only exists from 01/08/2025, a commune formed under it on
    // 01/07/2025 by a merger or a split is refused.
    let late_parent = UnitDetails {
        parent_lifespan: Some(Lifespan {
            from: day(2025, 8, 1),
            ended_on: None,
        }),
        ..new_commune()
    };
    let (a, b, empty) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        UnitState::default(),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let merged = decide_merger(
        &predecessors,
        (&unit_code("01999"), &empty),
        &merge(Some(late_parent.clone())),
    );
    assert_eq!(merged.map_err(|e| e.code()), Err("parent_not_in_existence"));
    let successors = [
        (unit_code("01997"), &empty, &late_parent),
        (unit_code("01998"), &empty, &late_parent),
    ];
    let split = decide_split((&unit_code("01960"), &a), &successors, &split());
    assert_eq!(split.map_err(|e| e.code()), Err("parent_not_in_existence"));
}

#[test]
fn a_unit_is_not_merged_or_split_away_on_the_day_it_began() {
    // Given communes that began on 01/01/2003, a merger or split effective that day is refused.
    let (a, b, empty) = (
        state_of([commune("01960")]),
        state_of([commune("01963")]),
        UnitState::default(),
    );
    let predecessors = [(unit_code("01960"), &a), (unit_code("01963"), &b)];
    let same_day = MergeUnits {
        effective_on: day(2003, 1, 1),
        ..merge(Some(new_commune()))
    };
    let merged = decide_merger(&predecessors, (&unit_code("01999"), &empty), &same_day);
    assert_eq!(merged.map_err(|e| e.code()), Err("unit_ends_before_start"));
    let (first, second) = (new_commune(), new_commune());
    let successors = [
        (unit_code("01997"), &empty, &first),
        (unit_code("01998"), &empty, &second),
    ];
    let same_day_split = SplitUnit {
        effective_on: day(2003, 1, 1),
        ..split()
    };
    let result = decide_split((&unit_code("01960"), &a), &successors, &same_day_split);
    assert_eq!(result.map_err(|e| e.code()), Err("unit_ends_before_start"));
}

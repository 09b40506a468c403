//! A unit registers once, with a type of its level and a parent of a level that can hold it,
//! and ends once, not before it began.

use bangiao_domain::unit::*;
use bangiao_domain::values::*;

use crate::fixtures::day;
use crate::unit_fixtures::*;

#[test]
fn a_unit_registers_once() {
    let command = register(
        "01960",
        details(
            "Xã Bộc Bố",
            UnitType::Commune,
            Some(("066", UnitLevel::District)),
        ),
    );
    units([])
        .when(command.clone())
        .then_expect(vec![registered(command.clone())]);
    units([registered(command.clone())])
        .when(command)
        .then_expect_error("already_exists");
}

#[test]
fn a_province_has_no_parent() {
    let province = details("Tỉnh Bắc Kạn", UnitType::Province, None);
    units([])
        .when(register("11", province.clone()))
        .then_state();
    let with_parent = UnitDetails {
        parent: Some(unit_code("01")),
        parent_level: Some(UnitLevel::Province),
        parent_lifespan: None,
        ..province
    };
    units([])
        .when(register("11", with_parent))
        .then_expect_error("invalid_parent");
}

#[test]
fn a_district_belongs_to_a_province() {
    let under_commune = details(
        "Huyện Pác Nặm",
        UnitType::District,
        Some(("01960", UnitLevel::Commune)),
    );
    units([])
        .when(register("066", under_commune))
        .then_expect_error("invalid_parent");
    let orphan = details("Huyện Pác Nặm", UnitType::District, None);
    units([])
        .when(register("066", orphan))
        .then_expect_error("invalid_parent");
}

#[test]
fn a_commune_belongs_to_a_district_or_a_province() {
    for parent_level in [UnitLevel::District, UnitLevel::Province] {
        let commune = details(
            "Xã Bằng Thành",
            UnitType::Commune,
            Some(("066", parent_level)),
        );
        units([]).when(register("01963", commune)).then_state();
    }
    let under_commune = details(
        "Xã Bằng Thành",
        UnitType::Commune,
        Some(("01960", UnitLevel::Commune)),
    );
    units([])
        .when(register("01963", under_commune))
        .then_expect_error("invalid_parent");
}

#[test]
fn a_parent_that_is_not_registered_is_not_found() {
    let unknown_parent = UnitDetails {
        parent_level: None,
        parent_lifespan: None,
        ..details(
            "Xã Bằng Thành",
            UnitType::Commune,
            Some(("066", UnitLevel::District)),
        )
    };
    units([])
        .when(register("01963", unknown_parent))
        .then_expect_error("not_found");
}

#[test]
fn a_unit_type_belongs_to_its_level() {
    let ward_as_district = UnitDetails {
        level: UnitLevel::District,
        ..details(
            "Phường 1",
            UnitType::Ward,
            Some(("11", UnitLevel::Province)),
        )
    };
    units([])
        .when(register("00100", ward_as_district))
        .then_expect_error("type_level_mismatch");
}

#[test]
fn a_unit_ends_once() {
    units([district()])
        .when(end_unit())
        .then_expect(vec![unit_ended()]);
    units([district(), unit_ended()])
        .when(end_unit())
        .then_expect_error("unit_ended");
}

#[test]
fn an_unknown_unit_cannot_end() {
    units([]).when(end_unit()).then_expect_error("not_found");
}

#[test]
fn a_unit_cannot_end_before_it_began() {
    let early = EndUnit {
        effective_on: day(2002, 12, 31),
        ..end_unit()
    };
    units([district()])
        .when(early)
        .then_expect_error("unit_ends_before_start");
}

#[test]
fn the_state_tells_when_and_how_a_unit_ended() {
    let state = state_of([district(), unit_ended()]);
    assert!(state.is_ended());
    assert_eq!(state.ended_on(), Some(day(2025, 7, 1)));
    assert_eq!(state.level(), Some(UnitLevel::District));
    assert!(matches!(
        state.ending(),
        Some(UnitEnding::Ended {
            reason: EndReason::TierAbolished,
            ..
        })
    ));
}

/// Commune details under district 066, whose days are `from` until `ended_on`.
fn under_district(from: chrono::NaiveDate, ended_on: Option<chrono::NaiveDate>) -> UnitDetails {
    UnitDetails {
        parent_lifespan: Some(Lifespan { from, ended_on }),
        ..details(
            "Xã Bộc Bố",
            UnitType::Commune,
            Some(("066", UnitLevel::District)),
        )
    }
}

#[test]
fn a_unit_cannot_start_before_its_parent_exists() {
    // Given district 066 from 01/01/2005, when a commune of it is registered from 01/01/2003,
    // then it is refused: the parent did not exist yet.
    let early = RegisterUnit {
        valid_from: day(2003, 1, 1),
        ..register("01960", under_district(day(2005, 1, 1), None))
    };
    let error = units([])
        .when(early)
        .then_refused("parent_not_in_existence");
    assert!(
        error.message_vi().contains("01/01/2005"),
        "{}",
        error.message_vi()
    );
    assert!(
        error.message_en().contains("2005-01-01"),
        "{}",
        error.message_en()
    );
    // On the parent's first day it is accepted.
    let same_day = RegisterUnit {
        valid_from: day(2005, 1, 1),
        ..register("01960", under_district(day(2005, 1, 1), None))
    };
    units([]).when(same_day).then_state();
}

#[test]
fn a_unit_cannot_start_under_a_parent_that_has_ended() {
    // Given district 066 ended by an act effective 01/07/2025 (its last day 30/06/2025),
    // a commune of it cannot begin on 01/07/2025, but could on 30/06/2025.
    let after = RegisterUnit {
        valid_from: day(2025, 7, 1),
        ..register(
            "01960",
            under_district(day(2003, 1, 1), Some(day(2025, 7, 1))),
        )
    };
    let error = units([])
        .when(after)
        .then_refused("parent_not_in_existence");
    assert!(
        error.message_vi().contains("30/06/2025"),
        "{}",
        error.message_vi()
    );
    let last_day = RegisterUnit {
        valid_from: day(2025, 6, 30),
        ..register(
            "01960",
            under_district(day(2003, 1, 1), Some(day(2025, 7, 1))),
        )
    };
    units([]).when(last_day).then_state();
}

#[test]
fn a_unit_cannot_end_on_the_day_it_began() {
    // Given a district that began on 01/01/2003, an end effective that same day would make
    // its last day (31/12/2002) come before its first.
    let same_day = EndUnit {
        effective_on: day(2003, 1, 1),
        ..end_unit()
    };
    let error = units([district()])
        .when(same_day)
        .then_refused("unit_ends_before_start");
    assert!(
        error.message_vi().contains("Đơn vị 066"),
        "{}",
        error.message_vi()
    );
    let next_day = EndUnit {
        effective_on: day(2003, 1, 2),
        ..end_unit()
    };
    units([district()]).when(next_day).then_state();
}

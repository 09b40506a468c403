//! Sample units: Bắc Kạn province, Pác Nặm district and its communes.

use bangiao_domain::UnitAggregate;
use bangiao_domain::unit::*;
use bangiao_domain::values::*;
use uuid::Uuid;

use crate::fixtures::{basis, day};
use crate::support::{Given, given};

pub fn unit_code(code: &str) -> UnitCode {
    UnitCode::parse(code).expect("valid unit code")
}

pub fn units(events: impl IntoIterator<Item = UnitEvent>) -> Given<UnitAggregate> {
    given(events)
}

pub fn state_of(events: impl IntoIterator<Item = UnitEvent>) -> UnitState {
    units(events).state()
}

pub fn reorganisation(n: u128) -> ReorganisationId {
    ReorganisationId::from_uuid(Uuid::from_u128(n))
}

pub fn details(name: &str, unit_type: UnitType, parent: Option<(&str, UnitLevel)>) -> UnitDetails {
    UnitDetails {
        name: Name::parse(name).expect("valid"),
        level: unit_type.level(),
        unit_type,
        parent: parent.map(|(code, _)| unit_code(code)),
        parent_level: parent.map(|(_, level)| level),
        parent_lifespan: None,
    }
}

pub fn register(code: &str, details: UnitDetails) -> RegisterUnit {
    RegisterUnit {
        code: unit_code(code),
        details,
        valid_from: day(2003, 1, 1),
        legal_basis: basis(),
    }
}

pub fn registered(command: RegisterUnit) -> UnitEvent {
    UnitRegistered {
        code: command.code,
        name: command.details.name,
        level: command.details.level,
        unit_type: command.details.unit_type,
        parent: command.details.parent,
        valid_from: command.valid_from,
        legal_basis: command.legal_basis,
    }
    .into()
}

/// A commune of district 066.
pub fn commune(code: &str) -> UnitEvent {
    registered(register(
        code,
        details(
            &format!("Xã {code}"),
            UnitType::Commune,
            Some(("066", UnitLevel::District)),
        ),
    ))
}

/// District 066 of province 11.
pub fn district() -> UnitEvent {
    registered(register(
        "066",
        details(
            "Huyện Pác Nặm",
            UnitType::District,
            Some(("11", UnitLevel::Province)),
        ),
    ))
}

pub fn end_unit() -> EndUnit {
    EndUnit {
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        reason: EndReason::TierAbolished,
    }
}

pub fn unit_ended() -> UnitEvent {
    let c = end_unit();
    UnitEnded {
        effective_on: c.effective_on,
        legal_basis: c.legal_basis,
        reason: c.reason,
    }
    .into()
}

//! Request bodies of the commands on administrative units.

use bangiao_domain::unit::*;
use bangiao_domain::values::*;

use super::{BASIS, decodes, uuid};
use crate::fixtures::{basis, day};
use crate::unit_fixtures::*;

/// What a caller says about a new commune of district 066: never the parent's level.
fn commune_details() -> UnitDetails {
    UnitDetails {
        name: Name::parse("Xã Cao Tân").expect("valid"),
        level: UnitLevel::Commune,
        unit_type: UnitType::Commune,
        parent: Some(unit_code("066")),
        parent_level: None,
        parent_lifespan: None,
    }
}

const COMMUNE: &str =
    r#"{"name":"Xã Cao Tân","level":"commune","unit_type":"commune","parent":"066"}"#;

#[test]
fn register_unit_decodes_with_a_titled_legal_basis() {
    let body = r#"{"code":"01960","details":{"name":"Xã Cao Tân","level":"commune",
        "unit_type":"commune","parent":"066"},"valid_from":"2003-01-01",
        "legal_basis":{"number":"202/2025/QH15","issued_on":"2025-06-12","issuer":"Quốc hội",
        "title":"Về việc sắp xếp đơn vị hành chính cấp tỉnh"}}"#;
    let legal_basis = LegalBasis {
        number: DocumentNumber::parse("202/2025/QH15").expect("valid"),
        issued_on: day(2025, 6, 12),
        issuer: Name::parse("Quốc hội").expect("valid"),
        title: Some(Title::parse("Về việc sắp xếp đơn vị hành chính cấp tỉnh").expect("valid")),
    };
    let expected = RegisterUnit {
        legal_basis,
        ..register("01960", commune_details())
    };
    decodes(body, &expected);
}

#[test]
fn register_unit_decodes_a_province_without_parent() {
    let body = format!(
        r#"{{"code":"11","details":{{"name":"Tỉnh Bắc Kạn","level":"province",
        "unit_type":"province"}},"valid_from":"2003-01-01","legal_basis":{BASIS}}}"#
    );
    let details = UnitDetails {
        name: Name::parse("Tỉnh Bắc Kạn").expect("valid"),
        level: UnitLevel::Province,
        unit_type: UnitType::Province,
        parent: None,
        parent_level: None,
        parent_lifespan: None,
    };
    decodes(&body, &register("11", details));
}

#[test]
fn end_unit_decodes_its_reason_in_snake_case() {
    let body = format!(
        r#"{{"effective_on":"2025-07-01","legal_basis":{BASIS},"reason":"tier_abolished"}}"#
    );
    decodes(&body, &end_unit());
}

#[test]
fn merge_units_decodes_into_a_new_or_an_existing_unit() {
    let id = uuid(3);
    let body = format!(
        r#"{{"merger_id":"{id}","effective_on":"2025-07-01","legal_basis":{BASIS},
        "new_successor":{COMMUNE}}}"#
    );
    let expected = MergeUnits {
        merger_id: reorganisation(3),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        new_successor: Some(commune_details()),
    };
    decodes(&body, &expected);
    let body =
        format!(r#"{{"merger_id":"{id}","effective_on":"2025-07-01","legal_basis":{BASIS}}}"#);
    let absorbed = MergeUnits {
        new_successor: None,
        ..expected
    };
    decodes(&body, &absorbed);
}

#[test]
fn split_unit_decodes() {
    let body = format!(
        r#"{{"split_id":"{}","effective_on":"2025-07-01","legal_basis":{BASIS}}}"#,
        uuid(4)
    );
    let expected = SplitUnit {
        split_id: reorganisation(4),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
    };
    decodes(&body, &expected);
}

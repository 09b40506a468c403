//! The Pác Nặm units and fonds of `tests/fixtures/pac-nam` (units.csv, agencies.csv), set up
//! through the real service so that the inventories have somewhere to go.

#![allow(dead_code)]

use std::path::PathBuf;

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_documents::import::{Format, ImportOptions, ImportReport, import_inventory};
use bangiao_domain::fonds::{CloseFonds, OpenFonds};
use bangiao_domain::unit::{RegisterUnit, UnitDetails};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
    UnitLevel, UnitType,
};
use bangiao_store::EventStore;
use chrono::NaiveDate;
use uuid::Uuid;

/// The folder of the sample spreadsheets.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pac-nam")
}

/// The bytes of one sample.
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).expect("the sample exists")
}

/// A date.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn records(name: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(fixtures().join(name)).expect("readable");
    reader.records().map(|r| r.expect("a record")).collect()
}

fn basis(number: &str, issued_on: NaiveDate, issuer: &str) -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse(number).expect("valid"),
        issued_on,
        issuer: Name::parse(issuer).expect("valid"),
        title: None,
    }
}

fn meta() -> CommandMeta {
    CommandMeta::new(Uuid::now_v7())
}

/// Registers every unit of units.csv, in file order (parents come first).
pub async fn register_units<S: EventStore + Clone>(service: &Service<S>) {
    for unit in records("units.csv") {
        let (level, unit_type) = match &unit[2] {
            "province" => (UnitLevel::Province, UnitType::Province),
            "district" => (UnitLevel::District, UnitType::District),
            _ => (UnitLevel::Commune, UnitType::Commune),
        };
        let new = unit[0].contains('N');
        let command = RegisterUnit {
            code: UnitCode::parse(&unit[0]).expect("valid"),
            details: UnitDetails {
                name: Name::parse(&unit[1]).expect("valid"),
                level,
                unit_type,
                parent: (!unit[3].is_empty()).then(|| UnitCode::parse(&unit[3]).expect("valid")),
                parent_level: None,
                parent_lifespan: None,
            },
            valid_from: if new {
                day(2025, 7, 1)
            } else {
                day(2003, 5, 28)
            },
            legal_basis: if new {
                basis(
                    "1683/NQ-UBTVQH15",
                    day(2025, 6, 16),
                    "Ủy ban Thường vụ Quốc hội",
                )
            } else {
                basis("56/2003/NĐ-CP", day(2003, 5, 28), "Chính phủ")
            },
        };
        service
            .register_unit(command, &meta())
            .await
            .expect("the unit registers");
    }
}

/// Opens the fonds of agencies.csv (organ id and custodian: the fonds code) on 1 January 2003
/// and, unless `open` names it, closes it on the day its agency ended.
pub async fn fonds<S: EventStore + Clone>(service: &Service<S>, open: &[&str]) {
    for agency in records("agencies.csv") {
        let code = FondsCode::parse(&agency[0]).expect("valid");
        let command = OpenFonds {
            fonds_code: code.clone(),
            name: Name::parse(&format!("Phông {}", &agency[1])).expect("valid"),
            kind: FondsKind::State,
            creator_organ_id: OrganId::parse(&agency[0]).expect("valid"),
            creator_name: Name::parse(&agency[1]).expect("valid"),
            unit_code: UnitCode::parse(&agency[2]).expect("valid"),
            custodian: CustodianId::parse(&agency[0]).expect("valid"),
            opened_on: day(2003, 1, 1),
            unit_ended_on: None,
        };
        service
            .fonds_command(&code, command.into(), &meta())
            .await
            .expect("the fonds opens");
        if open.contains(&code.as_str()) {
            continue;
        }
        let ended: NaiveDate = agency[3].parse().expect("a date");
        let close = CloseFonds {
            closed_on: ended,
            closing_act: basis("96/QĐ-UBND", day(2025, 6, 26), &agency[1]),
        };
        service
            .fonds_command(&code, close.into(), &meta())
            .await
            .expect("the fonds closes");
    }
}

/// Units and fonds, every fonds closed.
pub async fn pac_nam<S: EventStore + Clone>(service: &Service<S>) {
    register_units(service).await;
    fonds(service, &[]).await;
}

/// The fonds code a sample is for: "muc-luc-066-D01.xlsx" is for 066-D01.
pub fn fonds_of(file: &str) -> FondsCode {
    let stem = file
        .trim_start_matches("muc-luc-")
        .trim_end_matches(".xlsx")
        .trim_end_matches(".csv")
        .trim_end_matches("-loi");
    FondsCode::parse(stem).expect("a fonds code in the name")
}

/// Imports one sample into its fonds.
pub async fn import<S: EventStore + Clone>(
    service: &Service<S>,
    file: &str,
    options: &ImportOptions,
) -> ImportReport {
    let bytes = sample(file);
    let format = Format::detect(&bytes, Some(file)).expect("a known format");
    import_inventory(
        service,
        &fonds_of(file),
        &bytes,
        format,
        options,
        &mut |_| {},
    )
    .await
    .expect("the file is taken")
}

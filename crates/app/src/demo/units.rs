//! Phase 1 — the units: Bắc Kạn (06) and Thái Nguyên (19), Pác Nặm district (066) and its ten
//! communes; on 1 July 2025 Bắc Kạn joins Thái Nguyên, the ten communes become four new
//! communes of Thái Nguyên, and the district ends with its tier (tests/fixtures/pac-nam/units.csv).

use bangiao_domain::unit::{EndReason, EndUnit, MergeUnits, RegisterUnit, UnitDetails};
use bangiao_domain::values::{LegalBasis, Name, ReorganisationId, UnitCode, UnitType};
use bangiao_store::EventStore;
use chrono::NaiveDate;

use super::acts::{self, day};
use super::cast::{Person, unit_registrar};
use super::ids::act_id;
use super::run::{Act, Run};
use super::{DemoError, DemoPhase};

/// The provinces: code and name.
const PROVINCES: [(&str, &str); 2] = [("06", "Tỉnh Bắc Kạn"), ("19", "Tỉnh Thái Nguyên")];

/// The district: code, name and province.
const DISTRICT: (&str, &str, &str) = ("066", "Huyện Pác Nặm", "06");

/// The ten communes of Pác Nặm as Decree 56/2003 lists them, with their GSO codes.
pub(super) const OLD_COMMUNES: [(&str, &str); 10] = [
    ("06601", "Xã Bộc Bố"),
    ("06602", "Xã Bằng Thành"),
    ("06603", "Xã Nhạn Môn"),
    ("06604", "Xã Giáo Hiệu"),
    ("06605", "Xã Xuân La"),
    ("06606", "Xã An Thắng"),
    ("06607", "Xã Công Bằng"),
    ("06608", "Xã Cổ Linh"),
    ("06609", "Xã Cao Tân"),
    ("06610", "Xã Nghiên Loan"),
];

/// The four communes formed on 1 July 2025 (provisional codes), with their predecessors.
pub(super) const NEW_COMMUNES: [(&str, &str, &[&str]); 4] = [
    ("066N1", "Xã Bằng Thành", &["06602", "06603", "06604"]),
    ("066N2", "Xã Nghiên Loan", &["06605", "06606", "06610"]),
    ("066N3", "Xã Cao Tân", &["06608", "06609"]),
    ("066N4", "Xã Bộc Bố", &["06601", "06607"]),
];

/// The new commune an old commune merged into.
pub(super) fn successor_of(old: &str) -> Option<&'static str> {
    NEW_COMMUNES
        .iter()
        .find(|(_, _, predecessors)| predecessors.contains(&old))
        .map(|(code, _, _)| *code)
}

/// The day Pác Nặm and its communes (as members of it) begin in the register. Decree 56/2003
/// took effect 15 days after its publication in the Official Gazette; the demo uses 1 July 2003.
pub(super) fn district_founded() -> NaiveDate {
    day(2003, 7, 1)
}

/// A unit code from a literal of the GSO form.
pub(super) fn unit_code(code: &str) -> UnitCode {
    UnitCode::parse(code).expect("demo unit codes are GSO-form literals")
}

fn name(text: &str) -> Name {
    Name::parse(text).expect("demo unit names are short literals")
}

fn details(unit_name: &str, unit_type: UnitType, parent: Option<&str>) -> UnitDetails {
    UnitDetails {
        name: name(unit_name),
        level: unit_type.level(),
        unit_type,
        parent: parent.map(unit_code),
        parent_level: None,
        parent_lifespan: None,
    }
}

/// How many units the scenario holds.
pub(super) fn unit_count() -> usize {
    PROVINCES.len() + 1 + OLD_COMMUNES.len() + NEW_COMMUNES.len()
}

/// Registers, merges and ends the units.
pub(super) async fn play<S: EventStore + Clone>(run: &mut Run<'_, S>) -> Result<(), DemoError> {
    let registrar = unit_registrar();
    let acts = PROVINCES.len() + 1 + OLD_COMMUNES.len() + 1 + NEW_COMMUNES.len() + 1;
    run.begin(DemoPhase::Units, acts);
    let provinces = acts::provinces_1996();
    for (code, province) in PROVINCES {
        let valid_from = day(1997, 1, 1);
        let command = register(
            code,
            details(province, UnitType::Province, None),
            valid_from,
            &provinces,
        );
        register_unit(run, &registrar, command).await?;
    }
    let decree = acts::decree_56_2003();
    let (code, district, province) = DISTRICT;
    let command = register(
        code,
        details(district, UnitType::District, Some(province)),
        district_founded(),
        &decree,
    );
    register_unit(run, &registrar, command).await?;
    for (code, commune) in OLD_COMMUNES {
        let command = register(
            code,
            details(commune, UnitType::Commune, Some(DISTRICT.0)),
            district_founded(),
            &decree,
        );
        register_unit(run, &registrar, command).await?;
    }
    merge_provinces(run, &registrar).await?;
    merge_communes(run, &registrar).await?;
    end_district(run, &registrar).await?;
    run.summary().units = unit_count() as u64;
    Ok(())
}

fn register(
    code: &str,
    details: UnitDetails,
    valid_from: NaiveDate,
    basis: &LegalBasis,
) -> RegisterUnit {
    RegisterUnit {
        code: unit_code(code),
        details,
        valid_from,
        legal_basis: basis.clone(),
    }
}

async fn register_unit<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    registrar: &Person,
    command: RegisterUnit,
) -> Result<(), DemoError> {
    let basis = command.legal_basis.clone();
    let act = Act::new(
        format!("Đăng ký đơn vị {}", command.code),
        command.valid_from,
        registrar,
    )
    .under(&basis);
    run.act(&act, |service, meta| async move {
        service.register_unit(command, &meta).await
    })
    .await?;
    Ok(())
}

/// Bắc Kạn joins Thái Nguyên, which carries on under its own code (NQ 202/2025/QH15).
async fn merge_provinces<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    registrar: &Person,
) -> Result<(), DemoError> {
    let basis = acts::resolution_202_2025();
    let on = acts::reorganisation_day();
    let (successor, predecessor) = (unit_code("19"), unit_code("06"));
    let act = Act::new("Sáp nhập tỉnh 06 vào tỉnh 19".to_owned(), on, registrar).under(&basis);
    let merge = MergeUnits {
        merger_id: ReorganisationId::from_uuid(act_id(on, &act.name)),
        effective_on: on,
        legal_basis: basis.clone(),
        new_successor: None,
    };
    run.act(&act, |service, meta| async move {
        service
            .merge_units(&successor, &[predecessor], merge, &meta)
            .await
    })
    .await?;
    Ok(())
}

/// The ten communes merge into four new communes of Thái Nguyên (NQ 1683/NQ-UBTVQH15).
async fn merge_communes<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    registrar: &Person,
) -> Result<(), DemoError> {
    let basis = acts::resolution_1683_2025();
    let on = acts::reorganisation_day();
    for (code, commune, predecessors) in NEW_COMMUNES {
        let act = Act::new(
            format!(
                "Hợp nhất các xã {} thành xã {code}",
                predecessors.join(", ")
            ),
            on,
            registrar,
        )
        .under(&basis);
        let merge = MergeUnits {
            merger_id: ReorganisationId::from_uuid(act_id(on, &act.name)),
            effective_on: on,
            legal_basis: basis.clone(),
            new_successor: Some(details(commune, UnitType::Commune, Some("19"))),
        };
        let successor = unit_code(code);
        let predecessors: Vec<UnitCode> = predecessors.iter().copied().map(unit_code).collect();
        run.act(&act, |service, meta| async move {
            service
                .merge_units(&successor, &predecessors, merge, &meta)
                .await
        })
        .await?;
    }
    Ok(())
}

/// Pác Nặm district ends with the district tier (NQ 203/2025/QH15).
async fn end_district<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    registrar: &Person,
) -> Result<(), DemoError> {
    let basis = acts::resolution_203_2025();
    let on = acts::reorganisation_day();
    let act = Act::new("Kết thúc hoạt động huyện 066".to_owned(), on, registrar).under(&basis);
    let end = EndUnit {
        effective_on: on,
        legal_basis: basis.clone(),
        reason: EndReason::TierAbolished,
    };
    let code = unit_code(DISTRICT.0);
    run.act(&act, |service, meta| async move {
        service.end_unit(&code, end, &meta).await
    })
    .await?;
    Ok(())
}

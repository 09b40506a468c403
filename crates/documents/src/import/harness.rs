//! Any bytes through the importer, as a fuzzer and the property tests drive it: one commune,
//! one open fonds in an in-memory store, and a dry run or an apply of whatever was uploaded.
//! Not for the service: it is the shared test bench of `fuzz/` and `tests/properties.rs`.

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_domain::fonds::OpenFonds;
use bangiao_domain::unit::{RegisterUnit, UnitDetails};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
    UnitLevel, UnitType,
};
use bangiao_store::MemoryStore;
use chrono::NaiveDate;

use super::{Format, ImportError, ImportOptions, ImportReport, import_inventory};

/// The fonds every input is imported into.
pub const FONDS: &str = "06601-UB";

/// A commune with one open fonds, and a runtime to drive the importer from synchronous code.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    service: Service<MemoryStore>,
    fonds: FondsCode,
}

fn valid<T, E: std::fmt::Debug>(value: Result<T, E>) -> T {
    value.unwrap_or_else(|e| panic!("the harness's own values are valid: {e:?}"))
}

impl Harness {
    /// Sets up the commune and its fonds.
    pub fn new() -> Self {
        let runtime = valid(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build(),
        );
        let service = Service::new(MemoryStore::new());
        let fonds = valid(FondsCode::parse(FONDS));
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let basis = LegalBasis {
            number: valid(DocumentNumber::parse("56/2003/NĐ-CP")),
            issued_on: day(2003, 5, 28),
            issuer: valid(Name::parse("Chính phủ")),
            title: None,
        };
        let province = RegisterUnit {
            code: valid(UnitCode::parse("19")),
            details: UnitDetails {
                name: valid(Name::parse("Tỉnh Thái Nguyên")),
                level: UnitLevel::Province,
                unit_type: UnitType::Province,
                parent: None,
                parent_level: None,
                parent_lifespan: None,
            },
            valid_from: day(2003, 5, 28),
            legal_basis: basis.clone(),
        };
        let commune = RegisterUnit {
            code: valid(UnitCode::parse("06601")),
            details: UnitDetails {
                name: valid(Name::parse("Xã Bộc Bố")),
                level: UnitLevel::Commune,
                unit_type: UnitType::Commune,
                parent: Some(valid(UnitCode::parse("19"))),
                parent_level: None,
                parent_lifespan: None,
            },
            valid_from: day(2003, 5, 28),
            legal_basis: basis,
        };
        let open = OpenFonds {
            fonds_code: fonds.clone(),
            name: valid(Name::parse("Phông UBND xã Bộc Bố")),
            kind: FondsKind::State,
            creator_organ_id: valid(OrganId::parse("000.00.07.X01")),
            creator_name: valid(Name::parse("UBND xã Bộc Bố")),
            unit_code: valid(UnitCode::parse("06601")),
            custodian: valid(CustodianId::parse("UBND-06601")),
            opened_on: day(2003, 1, 1),
            unit_ended_on: None,
        };
        runtime.block_on(async {
            let meta = || CommandMeta::new(uuid::Uuid::now_v7());
            valid(service.register_unit(province, &meta()).await);
            valid(service.register_unit(commune, &meta()).await);
            valid(service.fonds_command(&fonds, open.into(), &meta()).await);
        });
        Self {
            runtime,
            service,
            fonds,
        }
    }

    /// Imports `bytes` (format detected as the server does); `apply` records the valid rows.
    pub fn import(&self, bytes: &[u8], apply: bool) -> Result<ImportReport, ImportError> {
        let format = Format::detect(bytes, None)?;
        let options = ImportOptions {
            dry_run: !apply,
            valid_only: true,
            ..ImportOptions::default()
        };
        self.runtime.block_on(import_inventory(
            &self.service,
            &self.fonds,
            bytes,
            format,
            &options,
            &mut |_| {},
        ))
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

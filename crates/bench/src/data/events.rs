//! Builders of the real domain events the generator appends.

use bangiao_domain::fonds::{
    FileRecorded, FondsEvent, FondsOpened, HandoverDrafted, HandoverReceived, HandoverSigned,
};
use bangiao_domain::unit::{UnitEvent, UnitRegistered};
use bangiao_domain::values::{
    AccessRegime, BoxNumber, Carrier, CustodianId, DocumentNumber, Extent, FileCode, FondsCode,
    FondsKind, HandoverId, LegalBasis, Name, OrganId, RetentionPeriod, Title, UnitCode, UnitLevel,
    UnitType, UserId,
};
use chrono::NaiveDate;

use super::catalogue::{KINDS, ORGANS, SUBJECTS, place};

/// A valid date; the generator only builds dates it knows exist.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("the generator builds valid dates")
}

fn basis(number: &str, issued_on: NaiveDate, issuer: &str) -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse(number).expect("a valid document number"),
        issued_on,
        issuer: Name::parse(issuer).expect("a valid issuer"),
        title: None,
    }
}

/// `UnitRegistered` for a province (no parent), district or commune.
pub fn unit_registered(code: &str, name: &str, parent: Option<&str>) -> UnitEvent {
    let (level, unit_type, valid_from) = match code.len() {
        2 => (UnitLevel::Province, UnitType::Province, day(1997, 1, 1)),
        3 => (UnitLevel::District, UnitType::District, day(2003, 7, 1)),
        _ => (UnitLevel::Commune, UnitType::Commune, day(2003, 7, 1)),
    };
    UnitEvent::UnitRegistered(UnitRegistered {
        code: UnitCode::parse(code).expect("a valid unit code"),
        name: Name::parse(name).expect("a valid unit name"),
        level,
        unit_type,
        parent: parent.map(|p| UnitCode::parse(p).expect("a valid parent code")),
        valid_from,
        legal_basis: basis("56/2003/NĐ-CP", day(2003, 5, 28), "Chính phủ"),
    })
}

/// One fonds as generated: its code, organ id, unit and custodian.
#[derive(Debug, Clone)]
pub struct FondsPlan {
    /// Global index of the fonds, from 0.
    pub index: usize,
    /// Mã phông, e.g. `06601-003`.
    pub code: FondsCode,
    /// The creator's organ id, prefix of its file codes.
    pub organ: String,
    /// The unit the creator belongs to.
    pub unit: String,
    /// Who holds the records.
    pub custodian: CustodianId,
    /// Which of [`ORGANS`] created it.
    pub organ_kind: usize,
    /// Files recorded in it.
    pub files: usize,
    /// Whether a handover closes its stream.
    pub handover: bool,
}

impl FondsPlan {
    /// Plans the fonds with global index `index`, the `nth` of its unit.
    pub fn new(index: usize, nth: usize, unit: &str, files: usize, handover: bool) -> Self {
        let organ_kind = nth % ORGANS.len();
        let custodian = format!("{}-{unit}-{nth}", ORGANS[organ_kind].1);
        Self {
            index,
            code: FondsCode::parse(&format!("{unit}-{nth:03}")).expect("a valid fonds code"),
            organ: format!("000.00.{index:06}"),
            unit: unit.to_owned(),
            custodian: CustodianId::parse(&custodian).expect("a valid custodian id"),
            organ_kind,
            files,
            handover,
        }
    }

    /// The `FondsOpened` event.
    pub fn opened(&self) -> FondsEvent {
        let (organ, _, party) = ORGANS[self.organ_kind];
        let creator = format!("{organ} {}", place(&self.unit));
        FondsEvent::FondsOpened(FondsOpened {
            fonds_code: self.code.clone(),
            name: Name::parse(&format!("Phông {creator} ({})", self.code))
                .expect("a valid fonds name"),
            kind: if party {
                FondsKind::Party
            } else {
                FondsKind::State
            },
            creator_organ_id: OrganId::parse(&self.organ).expect("a valid organ id"),
            creator_name: Name::parse(&creator).expect("a valid creator name"),
            unit_code: UnitCode::parse(&self.unit).expect("a valid unit code"),
            custodian: self.custodian.clone(),
            opened_on: day(2003, 7, 1),
        })
    }

    /// The year of the `n`-th file (from 0): years rise from 2003 to 2024 through the fonds.
    fn year(&self, n: usize) -> i32 {
        2003 + (n * 22 / self.files.max(1)) as i32
    }

    /// The code of the `n`-th file (from 0).
    pub fn file_code(&self, n: usize) -> FileCode {
        FileCode::parse(&format!("{}.{}.{:05}", self.organ, self.year(n), n + 1))
            .expect("a valid file code")
    }

    /// The `FileRecorded` event of the `n`-th file (from 0).
    pub fn file(&self, n: usize) -> FondsEvent {
        let year = self.year(n);
        let title = format!(
            "{} {} của {} {} năm {year}",
            KINDS[n % KINDS.len()],
            SUBJECTS[(n / KINDS.len()) % SUBJECTS.len()],
            ORGANS[self.organ_kind].0.to_lowercase(),
            place(&self.unit),
        );
        let retention = ["01", "01", "01", "04", "06", "05", "02"][n % 7];
        let access = match n % 50 {
            0 => "03",
            1..=5 => "02",
            _ => "01",
        };
        let electronic = year >= 2020 && n.is_multiple_of(4);
        FondsEvent::FileRecorded(FileRecorded {
            file_code: self.file_code(n),
            title: Title::parse(&title).expect("a valid title"),
            start_date: day(year, 1 + (n % 6) as u32, 1 + (n % 28) as u32),
            end_date: day(year, 7 + (n % 6) as u32, 1 + (n % 28) as u32),
            retention: RetentionPeriod::parse_code(retention).expect("a valid retention code"),
            access: AccessRegime::parse_code(access).expect("a valid access code"),
            carrier: if electronic {
                Carrier::Electronic
            } else {
                Carrier::Paper
            },
            box_number: (!electronic)
                .then(|| BoxNumber::parse(&(n / 30 + 1).to_string()).expect("a valid box number")),
            sheets: (!electronic).then_some(5 + (n % 240) as u32),
            language: Name::parse("Tiếng Việt").expect("a valid language"),
            notes: None,
            custodian: self.custodian.clone(),
            list_number: None,
        })
    }

    /// The three events of a handover of the fonds' first files to the district archive:
    /// drafted, signed by the giving side, received without discrepancies.
    pub fn handover(&self, id: uuid::Uuid) -> [FondsEvent; 3] {
        let listed = self.files.min(50);
        let handover_id = HandoverId::from_uuid(id);
        let giving = UserId::parse(&format!("vanthu.{}", self.unit)).expect("a valid user id");
        let receiving = UserId::parse("luutru.066").expect("a valid user id");
        let drafted = HandoverDrafted {
            handover_id,
            batch: None,
            giving_custodian: self.custodian.clone(),
            receiving_custodian: CustodianId::parse("LT-066").expect("a valid custodian id"),
            giving_person: giving.clone(),
            receiving_person: receiving.clone(),
            legal_basis: basis("414/BNV-VTLTNN", day(2025, 3, 19), "Bộ Nội vụ"),
            file_codes: (0..listed).map(|n| self.file_code(n)).collect(),
            declared_files: listed as u32,
            declared_extent: Extent {
                boxes: listed.div_ceil(30) as u32,
                sheets: (0..listed).map(|n| 5 + (n % 240) as u32).sum(),
                linear_mm: 100 * listed.div_ceil(30) as u64,
            },
            drafted_on: day(2025, 7, 10),
        };
        [
            FondsEvent::HandoverDrafted(drafted),
            FondsEvent::HandoverSigned(HandoverSigned {
                handover_id,
                signed_by: giving,
                signed_on: day(2025, 7, 11),
            }),
            FondsEvent::HandoverReceived(HandoverReceived {
                handover_id,
                received_by: receiving,
                received_on: day(2025, 7, 15),
                discrepancies: vec![],
            }),
        ]
    }
}

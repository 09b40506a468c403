//! Phases 2 and 5 — the fonds: the district People's Committee, three of its departments,
//! the district Party committee and seven communes; each opened with its creator's history
//! and closed on 30 June 2025, the last day its creator operated.

use bangiao_domain::fonds::{CloseFonds, OpenFonds, RecordCreatorHistory};
use bangiao_domain::values::{FondsCode, FondsKind, LegalBasis, Name, Note, OrganId};
use bangiao_store::EventStore;

use super::acts::{self, day};
use super::cast::{UBND_066, clerk_of, custodian};
use super::run::{Act, Run};
use super::titles::Profile;
use super::units::{NEW_COMMUNES, OLD_COMMUNES, district_founded, successor_of, unit_code};
use super::{DemoError, DemoPhase};

/// One fonds of the scenario.
pub(super) struct FondsSpec {
    /// Mã phông, e.g. "066-D02".
    pub code: FondsCode,
    /// The creator, e.g. "Phòng Nội vụ huyện Pác Nặm".
    pub creator: String,
    /// The creator's organ id, the prefix of its file codes while the fonds is open.
    pub organ_id: OrganId,
    /// The creator's unit.
    pub unit: &'static str,
    /// Who holds the records.
    pub custodian: String,
    /// State or Party.
    pub kind: FondsKind,
    /// How many files it holds.
    pub files: usize,
    /// What its files are about.
    pub profile: Profile,
    /// Lịch sử đơn vị hình thành phông.
    pub history: String,
    /// The decision closing it.
    pub closing_act: LegalBasis,
}

impl FondsSpec {
    /// Tên phông.
    pub fn name(&self) -> String {
        format!("Phông {}", self.creator)
    }
}

fn fonds_code(code: &str) -> FondsCode {
    FondsCode::parse(code).expect("demo fonds codes are ASCII literals")
}

fn organ_id(id: &str) -> OrganId {
    OrganId::parse(id).expect("demo organ ids are 13-character literals")
}

/// A fonds of the district (066), created with it in 2003.
struct District {
    code: &'static str,
    creator: &'static str,
    organ_id: &'static str,
    custodian: &'static str,
    kind: FondsKind,
    files: usize,
    profile: Profile,
    role: &'static str,
}

const DISTRICT_FONDS: [District; 5] = [
    District {
        code: "066-UB",
        creator: "Ủy ban nhân dân huyện Pác Nặm",
        organ_id: "000.00.66.H06",
        custodian: UBND_066,
        kind: FondsKind::State,
        files: 1500,
        profile: Profile::DistrictCommittee,
        role: "cơ quan hành chính nhà nước ở địa phương, chấp hành nghị quyết của Hội đồng nhân dân huyện",
    },
    District {
        code: "066-D01",
        creator: "Văn phòng HĐND và UBND huyện Pác Nặm",
        organ_id: "000.01.66.H06",
        custodian: "VP-066",
        kind: FondsKind::State,
        files: 400,
        profile: Profile::Office,
        role: "cơ quan chuyên môn thuộc Ủy ban nhân dân huyện, tham mưu tổng hợp, bảo đảm hoạt động của Hội đồng nhân dân và Ủy ban nhân dân huyện",
    },
    District {
        code: "066-D02",
        creator: "Phòng Nội vụ huyện Pác Nặm",
        organ_id: "000.02.66.H06",
        custodian: "PNV-066",
        kind: FondsKind::State,
        files: 300,
        profile: Profile::HomeAffairs,
        role: "cơ quan chuyên môn thuộc Ủy ban nhân dân huyện, tham mưu về tổ chức bộ máy, cán bộ, công chức, viên chức, thi đua - khen thưởng, văn thư, lưu trữ",
    },
    District {
        code: "066-D03",
        creator: "Phòng Tài chính - Kế hoạch huyện Pác Nặm",
        organ_id: "000.03.66.H06",
        custodian: "PTCKH-066",
        kind: FondsKind::State,
        files: 250,
        profile: Profile::Finance,
        role: "cơ quan chuyên môn thuộc Ủy ban nhân dân huyện, tham mưu về tài chính, ngân sách, kế hoạch và đầu tư",
    },
    District {
        code: "066-HU",
        creator: "Huyện ủy Pác Nặm",
        organ_id: "HU.066.H06",
        custodian: "HU-066",
        kind: FondsKind::Party,
        files: 200,
        profile: Profile::Party,
        role: "cơ quan lãnh đạo của Đảng bộ huyện giữa hai kỳ đại hội",
    },
];

/// The communes with a fonds in the demo, and its number of files.
const COMMUNE_FONDS: [(&str, usize); 7] = [
    ("06601", 180),
    ("06602", 220),
    ("06603", 150),
    ("06605", 160),
    ("06606", 120),
    ("06608", 100),
    ("06610", 140),
];

/// Every fonds of the scenario, district ones first.
pub(super) fn catalogue() -> Vec<FondsSpec> {
    let mut fonds: Vec<FondsSpec> = DISTRICT_FONDS
        .iter()
        .enumerate()
        .map(district_fonds)
        .collect();
    fonds.extend(
        COMMUNE_FONDS
            .iter()
            .enumerate()
            .map(|(i, &(code, files))| commune_fonds(i, code, files)),
    );
    fonds
}

fn district_fonds((index, spec): (usize, &District)) -> FondsSpec {
    let history = match spec.kind {
        FondsKind::Party => format!(
            "{} được thành lập năm 2003 khi huyện Pác Nặm được thành lập theo Nghị định số \
             56/2003/NĐ-CP ngày 28/5/2003 của Chính phủ; là {}. Kết thúc hoạt động từ ngày \
             01/7/2025 cùng với tổ chức cấp huyện; hồ sơ, tài liệu được quản lý theo Công văn số \
             14514-CV/VPTW của Văn phòng Trung ương Đảng.",
            spec.creator, spec.role
        ),
        FondsKind::State => format!(
            "{} được thành lập cùng với huyện Pác Nặm theo Nghị định số 56/2003/NĐ-CP ngày \
             28/5/2003 của Chính phủ; là {}. Chấm dứt hoạt động từ ngày 01/7/2025 khi kết thúc \
             hoạt động của đơn vị hành chính cấp huyện (Nghị quyết số 203/2025/QH15 ngày 16/6/2025 \
             của Quốc hội); hồ sơ, tài liệu được kiểm kê, đóng gói và bàn giao theo Công văn số \
             414/BNV-VTLTNN ngày 19/3/2025 của Bộ Nội vụ.",
            spec.creator, spec.role
        ),
    };
    let closing_act = match spec.kind {
        FondsKind::Party => acts::document(
            "412-QĐ/HU",
            day(2025, 6, 27),
            "Ban Thường vụ Huyện ủy Pác Nặm",
            &format!("Về việc đóng phông lưu trữ {}", spec.creator),
        ),
        FondsKind::State => acts::document(
            &format!("{}/QĐ-UBND", 1185 + index),
            day(2025, 6, 27),
            "Ủy ban nhân dân huyện Pác Nặm",
            &format!("Về việc đóng phông lưu trữ {}", spec.creator),
        ),
    };
    FondsSpec {
        code: fonds_code(spec.code),
        creator: spec.creator.to_owned(),
        organ_id: organ_id(spec.organ_id),
        unit: "066",
        custodian: spec.custodian.to_owned(),
        kind: spec.kind,
        files: spec.files,
        profile: spec.profile,
        history,
        closing_act,
    }
}

fn commune_fonds(index: usize, code: &'static str, files: usize) -> FondsSpec {
    let name = OLD_COMMUNES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, name)| *name);
    let place = name.replacen("Xã", "xã", 1);
    let (new_code, new_name, partners) = successor_of(code)
        .and_then(|new| NEW_COMMUNES.iter().find(|(c, _, _)| *c == new))
        .map_or(("", "", &[][..]), |(c, n, p)| (*c, *n, *p));
    let others: Vec<String> = partners
        .iter()
        .filter(|partner| **partner != code)
        .filter_map(|partner| OLD_COMMUNES.iter().find(|(c, _)| c == partner))
        .map(|(_, name)| name.trim_start_matches("Xã ").to_owned())
        .collect();
    let creator = format!("Ủy ban nhân dân {place}");
    let partners = match others.as_slice() {
        [one] => format!("xã {one}"),
        many => format!("các xã {}", many.join(", ")),
    };
    let history = format!(
        "{name} thuộc huyện Ba Bể, từ năm 2003 thuộc huyện Pác Nặm theo Nghị định số \
         56/2003/NĐ-CP ngày 28/5/2003 của Chính phủ. Từ ngày 01/7/2025 {place} cùng {partners} \
         được sắp xếp thành {} (mới, mã tạm {new_code}) thuộc tỉnh Thái Nguyên theo Nghị quyết số \
         1683/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội; {creator} chấm dứt hoạt \
         động từ ngày đó.",
        new_name.replacen("Xã", "xã", 1),
    );
    let closing_act = acts::document(
        &format!("{}/QĐ-UBND", 96 + index),
        day(2025, 6, 26),
        &creator,
        &format!("Về việc đóng phông lưu trữ {creator}"),
    );
    FondsSpec {
        code: fonds_code(&format!("{code}-UB")),
        organ_id: organ_id(&format!("{code}.00.H06")),
        creator,
        unit: code,
        custodian: format!("UBND-{code}"),
        kind: FondsKind::State,
        files,
        profile: Profile::Commune,
        history,
        closing_act,
    }
}

/// Opens every fonds and records its creator's history.
pub(super) async fn open_all<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    catalogue: &[FondsSpec],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::Fonds, catalogue.len() * 2);
    for fonds in catalogue {
        let clerk = clerk_of(&fonds.custodian);
        let why = "demo names and histories are short literals";
        let open = OpenFonds {
            fonds_code: fonds.code.clone(),
            name: Name::parse(&fonds.name()).expect(why),
            kind: fonds.kind,
            creator_organ_id: fonds.organ_id.clone(),
            creator_name: Name::parse(&fonds.creator).expect(why),
            unit_code: unit_code(fonds.unit),
            custodian: custodian(&fonds.custodian),
            opened_on: district_founded(),
            unit_ended_on: None,
        };
        let act = Act::new(
            format!("Mở phông {}", fonds.code),
            district_founded(),
            &clerk,
        );
        run.fonds(&act, &fonds.code, open).await?;
        let recorded_on = day(2025, 6, 25);
        let history = RecordCreatorHistory {
            history: Note::parse(&fonds.history).expect(why),
            recorded_on,
        };
        let act = Act::new(
            format!("Lịch sử đơn vị hình thành phông {}", fonds.code),
            recorded_on,
            &clerk,
        );
        run.fonds(&act, &fonds.code, history).await?;
    }
    run.summary().fonds = catalogue.len() as u64;
    Ok(())
}

/// Closes every fonds on 30 June 2025, under its closing decision.
pub(super) async fn close_all<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    catalogue: &[FondsSpec],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::Closure, catalogue.len());
    for fonds in catalogue {
        let clerk = clerk_of(&fonds.custodian);
        let close = CloseFonds {
            closed_on: acts::closing_day(),
            closing_act: fonds.closing_act.clone(),
        };
        let act = Act::new(
            format!("Đóng phông {}", fonds.code),
            acts::closing_day(),
            &clerk,
        )
        .under(&fonds.closing_act);
        run.fonds(&act, &fonds.code, close).await?;
    }
    Ok(())
}

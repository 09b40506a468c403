//! Phase 3 — the files: a few thousand file descriptions generated from the title templates,
//! dated July 2003 to June 2025, numbered per year, 5 to 120 sheets each, packed 600 to 950
//! sheets to a box (a box holds about 1,000); a few flagged as
//! unfinished work and a few digitised.

use std::collections::HashSet;

use crate::handler::HandleError;
use bangiao_domain::DomainError;
use bangiao_domain::error::Entity;
use bangiao_domain::fonds::{DigitiseFile, FlagUnfinished, RecordFile};
use bangiao_domain::values::{
    AccessRegime, BoxNumber, Carrier, FileCode, Name, Note, RetentionPeriod, Sha256Hex, Title,
};
use bangiao_store::EventStore;
use chrono::{Datelike, Days, NaiveDate};

use super::acts::{self, day};
use super::cast::{clerk_of, custodian, district_archivist};
use super::fonds::FondsSpec;
use super::ids::{Rng, fake_sha256};
use super::names::fill;
use super::run::{Act, Run, checked};
use super::titles::{Access, Keep, Span, Template};
use super::units::district_founded;
use super::{DemoError, DemoPhase};

/// One file as the demo records it.
pub(super) struct FileSpec {
    /// Mã hồ sơ, with the organ id prefix (every file is recorded before closure).
    pub code: FileCode,
    /// Tiêu đề.
    pub title: Title,
    /// Date of the earliest document.
    pub start: NaiveDate,
    /// Date of the latest document.
    pub end: NaiveDate,
    /// Thời hạn bảo quản.
    pub retention: RetentionPeriod,
    /// Chế độ sử dụng.
    pub access: AccessRegime,
    /// Paper, or electronic for a few recent files.
    pub carrier: Carrier,
    /// Hộp số, for paper files.
    pub box_number: Option<u32>,
    /// Số tờ, for paper files.
    pub sheets: Option<u32>,
    /// Ghi chú.
    pub note: Option<&'static str>,
}

/// A fonds and the files recorded in it.
pub(super) struct Inventory<'c> {
    /// The fonds.
    pub fonds: &'c FondsSpec,
    /// Its files, in file-code order within each year.
    pub files: Vec<FileSpec>,
    /// Files flagged as unfinished work.
    pub unfinished: Vec<FileCode>,
}

impl Inventory<'_> {
    /// The files not flagged as unfinished work, in order.
    pub fn finished(&self) -> impl Iterator<Item = &FileSpec> {
        self.files
            .iter()
            .filter(|file| !self.unfinished.contains(&file.code))
    }

    /// Permanent, non-secret, finished files of the years in `years`: those a historical
    /// archive may receive.
    pub fn transferable(
        &self,
        years: std::ops::RangeInclusive<i32>,
    ) -> impl Iterator<Item = &FileSpec> {
        self.finished().filter(move |file| {
            file.retention.is_permanent()
                && file.access != AccessRegime::Secret
                && years.contains(&file.code.year())
        })
    }
}

/// The inventory of the fonds with this code.
pub(super) fn inventory<'a, 'c>(
    all: &'a [Inventory<'c>],
    code: &str,
) -> Result<&'a Inventory<'c>, DemoError> {
    all.iter()
        .find(|inventory| inventory.fonds.code.as_str() == code)
        .ok_or_else(|| DemoError {
            step: format!("Phông {code}"),
            source: HandleError::Domain(DomainError::NotFound {
                what: Entity::Fonds,
                id: code.to_owned(),
            }),
        })
}

/// Fonds with files of unfinished work, and how many (the latest files of each).
const UNFINISHED: [(&str, usize); 2] = [("066-D01", 3), ("06601-UB", 2)];

/// Files digitised before the 2024 transfer: the first permanent files of 066-UB.
const DIGITISED: usize = 6;

/// Generates, records, flags and digitises the files of every fonds.
pub(super) async fn play<'c, S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    catalogue: &'c [FondsSpec],
) -> Result<Vec<Inventory<'c>>, DemoError> {
    let mut inventories = Vec::with_capacity(catalogue.len());
    for fonds in catalogue {
        let files = generate(fonds)?;
        let unfinished = UNFINISHED
            .iter()
            .find(|(code, _)| *code == fonds.code.as_str())
            .map_or_else(Vec::new, |(_, n)| {
                files
                    .iter()
                    .rev()
                    .take(*n)
                    .map(|f| f.code.clone())
                    .collect()
            });
        inventories.push(Inventory {
            fonds,
            files,
            unfinished,
        });
    }
    let recorded: usize = inventories.iter().map(|i| i.files.len()).sum();
    let flagged: usize = inventories.iter().map(|i| i.unfinished.len()).sum();
    let scanned = scanned(inventory(&inventories, "066-UB")?).count();
    run.begin(DemoPhase::Files, recorded + flagged + scanned);
    for inventory in &inventories {
        record_all(run, inventory).await?;
        flag_unfinished(run, inventory).await?;
    }
    digitise(run, inventory(&inventories, "066-UB")?).await?;
    run.summary().files = recorded as u64;
    Ok(inventories)
}

/// The files of one fonds, the same on every run.
fn generate(fonds: &FondsSpec) -> Result<Vec<FileSpec>, DemoError> {
    let mut rng = Rng::seeded(fonds.code.as_str());
    let mut titles = HashSet::with_capacity(fonds.files);
    let mut drafts: Vec<Draft> = (0..fonds.files)
        .map(|_| Draft::unique(fonds, &mut rng, &mut titles))
        .collect();
    drafts.sort_by(|a, b| (a.start, a.end, &a.title).cmp(&(b.start, b.end, &b.title)));
    let mut files = Vec::with_capacity(drafts.len());
    let (mut year, mut number) = (0, 0);
    // Boxes are filled as an archivist packs them: a box takes files until the next would
    // pass 600 to 950 sheets, below what a box holds (SHEETS_PER_BOX, about 1,000).
    let (mut box_number, mut box_sheets, mut box_budget) = (1, 0, rng.between(600, 950));
    for draft in drafts {
        (year, number) = if draft.start.year() == year {
            (year, number + 1)
        } else {
            (draft.start.year(), 1)
        };
        let code = format!("{}.{year}.{number:02}", fonds.organ_id);
        let paper = draft.carrier == Carrier::Paper;
        let sheets = paper.then(|| rng.between(5, 120));
        if let Some(sheets) = sheets {
            if box_sheets > 0 && box_sheets + sheets > box_budget {
                (box_number, box_sheets, box_budget) = (box_number + 1, 0, rng.between(600, 950));
            }
            box_sheets += sheets;
        }
        files.push(FileSpec {
            code: checked(&code, FileCode::parse(&code))?,
            title: checked(&code, Title::parse(&draft.title))?,
            start: draft.start,
            end: draft.end,
            retention: checked(&code, draft.retention())?,
            access: draft.access,
            carrier: draft.carrier,
            box_number: paper.then_some(box_number),
            sheets,
            note: draft.note,
        });
    }
    Ok(files)
}

/// A file before it is numbered.
struct Draft {
    title: String,
    start: NaiveDate,
    end: NaiveDate,
    keep: Keep,
    access: AccessRegime,
    carrier: Carrier,
    note: Option<&'static str>,
}

/// Draws for a title not yet in the fonds before settling for a repeat.
const TITLE_DRAWS: usize = 8;

impl Draft {
    /// A draft whose title is new to the fonds, unless the templates run out of variety.
    fn unique(fonds: &FondsSpec, rng: &mut Rng, titles: &mut HashSet<String>) -> Self {
        let mut draft = Self::new(fonds, rng);
        for _ in 1..TITLE_DRAWS {
            if !titles.contains(&draft.title) {
                break;
            }
            draft = Self::new(fonds, rng);
        }
        titles.insert(draft.title.clone());
        draft
    }

    fn new(fonds: &FondsSpec, rng: &mut Rng) -> Self {
        // Half-years 1..=44 spread files evenly over July 2003 to June 2025.
        let year = 2003 + rng.between(1, 44) as i32 / 2;
        let template = fonds.profile.pick(rng);
        let (start, end) = dates(template, rng, year);
        let access = match template.access {
            Access::Open => AccessRegime::Open,
            Access::SomeRestricted(share) if rng.percent(share) => AccessRegime::Conditional,
            Access::SomeRestricted(_) => AccessRegime::Open,
            Access::Restricted => AccessRegime::Conditional,
            Access::Secret => AccessRegime::Secret,
        };
        let carrier = if year >= 2020 && rng.percent(4) {
            Carrier::Electronic
        } else {
            Carrier::Paper
        };
        let land = template.text.starts_with("Hồ sơ cấp giấy chứng nhận");
        Self {
            title: fill(template, rng, year, start.month()),
            start,
            end,
            keep: template.keep,
            access,
            carrier,
            note: (land && rng.percent(30)).then_some("Có trích lục bản đồ địa chính kèm theo"),
        }
    }

    fn retention(&self) -> Result<RetentionPeriod, bangiao_domain::ValueError> {
        match self.keep {
            Keep::Permanent => Ok(RetentionPeriod::PERMANENT),
            Keep::Years(years) => RetentionPeriod::fixed_term(years),
        }
    }
}

/// The date range of a file of `year`, within July 2003 to June 2025.
fn dates(template: &Template, rng: &mut Rng, year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1)
        .map_or(district_founded(), |d| d.max(district_founded()));
    let last = NaiveDate::from_ymd_opt(year, 12, 31)
        .map_or(acts::closing_day(), |d| d.min(acts::closing_day()));
    let after = |date: NaiveDate, days: u32| {
        date.checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(last)
            .min(last)
    };
    match template.span {
        Span::Year => (first, last),
        Span::Month => {
            let month = rng.between(first.month(), last.month());
            let start = NaiveDate::from_ymd_opt(year, month, 1)
                .unwrap_or(first)
                .max(first);
            let next = NaiveDate::from_ymd_opt(year + i32::from(month == 12), month % 12 + 1, 1);
            let end = next.and_then(|d| d.pred_opt()).unwrap_or(last).min(last);
            (start, end)
        }
        Span::Days(longest) => {
            let room = u32::try_from((last - first).num_days()).unwrap_or(0);
            let start = after(first, rng.between(0, room));
            (start, after(start, rng.between(0, longest)))
        }
    }
}

/// Lập hồ sơ — records every file of a fonds, in order.
async fn record_all<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventory: &Inventory<'_>,
) -> Result<(), DemoError> {
    let fonds = inventory.fonds;
    let clerk = clerk_of(&fonds.custodian);
    let holder = custodian(&fonds.custodian);
    let language = Name::parse("Tiếng Việt").expect("a short literal");
    for file in &inventory.files {
        let step = format!("Lập hồ sơ {}", file.code);
        let box_number = match file.box_number {
            Some(n) => Some(checked(&step, BoxNumber::parse(&n.to_string()))?),
            None => None,
        };
        let note = match file.note {
            Some(text) => Some(checked(&step, Note::parse(text))?),
            None => None,
        };
        let record = RecordFile {
            file_code: file.code.clone(),
            title: file.title.clone(),
            start_date: file.start,
            end_date: file.end,
            retention: file.retention,
            access: file.access,
            carrier: file.carrier,
            box_number,
            sheets: file.sheets,
            language: language.clone(),
            notes: note,
            custodian: Some(holder.clone()),
            list_number: None,
        };
        run.fonds(&Act::new(step, file.end, &clerk), &fonds.code, record)
            .await?;
    }
    Ok(())
}

/// Đánh dấu hồ sơ công việc chưa giải quyết xong — found at the inventory before closure.
async fn flag_unfinished<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventory: &Inventory<'_>,
) -> Result<(), DemoError> {
    let fonds = inventory.fonds;
    let clerk = clerk_of(&fonds.custodian);
    let why = "short literals";
    let tasks = vec![
        Note::parse("Chưa ban hành văn bản giải quyết; chờ ý kiến của cơ quan chuyên môn")
            .expect(why),
        Note::parse("Chuyển cơ quan kế thừa chức năng tiếp tục giải quyết").expect(why),
    ];
    for code in &inventory.unfinished {
        let flag = FlagUnfinished {
            file_code: code.clone(),
            tasks: tasks.clone(),
        };
        let act = Act::new(
            format!("Hồ sơ chưa giải quyết xong {code}"),
            day(2025, 6, 20),
            &clerk,
        );
        run.fonds(&act, &fonds.code, flag).await?;
    }
    Ok(())
}

/// The files scanned: the first permanent paper files, all later in the 2024 transfer.
fn scanned<'a>(inventory: &'a Inventory<'_>) -> impl Iterator<Item = &'a FileSpec> {
    inventory
        .transferable(2003..=2005)
        .filter(|file| file.carrier == Carrier::Paper)
        .take(DIGITISED)
}

/// Số hóa — the first permanent paper files of 066-UB, scanned in October 2023.
async fn digitise<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventory: &Inventory<'_>,
) -> Result<(), DemoError> {
    let archivist = district_archivist();
    for (index, file) in scanned(inventory).enumerate() {
        let step = format!("Số hóa {}", file.code);
        let digitised_on = acts::after(day(2023, 10, 16), index as u64);
        let scan = DigitiseFile {
            file_code: file.code.clone(),
            sha256: checked(&step, Sha256Hex::parse(&fake_sha256(file.code.as_str())))?,
            size_bytes: 350_000 + u64::from(file.sheets.unwrap_or(1)) * 185_000,
            format: Name::parse("PDF/A-2b").expect("a short literal"),
            digitised_on,
        };
        run.fonds(
            &Act::new(step, digitised_on, &archivist),
            &inventory.fonds.code,
            scan,
        )
        .await?;
    }
    Ok(())
}

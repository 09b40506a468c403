//! The demo scenario, loaded through the real service into memory and into SQLite: what it
//! holds, who holds each file afterwards, and that a second load appends nothing.

use std::collections::BTreeMap;
use std::time::Instant;

use bangiao_app::Service;
use bangiao_app::demo::{DemoPhase, DemoStep, DemoSummary, load_demo};
use bangiao_domain::fonds::AppraisalOutcome;
use bangiao_domain::fonds::{
    DestructionStatus, FileStatus, FondsState, HandoverStatus, TransferAppraisal,
};
use bangiao_domain::unit::{EndReason, UnitEnding};
use bangiao_domain::values::{CustodianId, FondsCode, UnitCode};
use bangiao_store::{EventStore, MemoryStore, SqliteStore};
use chrono::NaiveDate;

const FONDS: [&str; 12] = [
    "066-UB", "066-D01", "066-D02", "066-D03", "066-HU", "06601-UB", "06602-UB", "06603-UB",
    "06605-UB", "06606-UB", "06608-UB", "06610-UB",
];

/// Events the demo appends to an empty store.
const EVENTS: u64 = 3819;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn holder(id: &str) -> CustodianId {
    CustodianId::parse(id).expect("valid custodian")
}

async fn load<S: EventStore + Clone>(service: &Service<S>) -> (DemoSummary, Vec<DemoStep>) {
    let mut steps = Vec::new();
    let summary = load_demo(service, &mut |step| steps.push(step))
        .await
        .expect("the demo loads");
    (summary, steps)
}

async fn fonds<S: EventStore + Clone>(service: &Service<S>, code: &str) -> FondsState {
    let code = FondsCode::parse(code).expect("valid fonds code");
    service.fonds_state(&code).await.expect("fonds loads").0
}

/// How many files of the fonds stand in each status, and with whom.
fn tally(state: &FondsState) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for (_, file) in state.files() {
        let status = match file.status {
            FileStatus::InCustody => "in_custody",
            FileStatus::InHandover(_) => "in_handover",
            FileStatus::InTransfer(_) => "in_transfer",
            FileStatus::InDestruction(_) => "in_destruction",
            FileStatus::Transferred => "transferred",
            FileStatus::Destroyed => "destroyed",
            FileStatus::Missing => "missing",
        };
        *counts
            .entry((file.custodian.to_string(), status.to_owned()))
            .or_default() += 1;
    }
    counts
}

fn count(tally: &BTreeMap<(String, String), usize>, custodian: &str, status: &str) -> usize {
    tally
        .get(&(custodian.to_owned(), status.to_owned()))
        .copied()
        .unwrap_or(0)
}

fn check_summary(summary: &DemoSummary) {
    assert_eq!(summary.units, 17);
    assert_eq!(summary.fonds, 12);
    assert_eq!(summary.files, 3720);
    assert_eq!(summary.handovers, 6);
    assert_eq!(summary.transfers, 2);
    assert_eq!((summary.destructions, summary.holds), (1, 1));
    assert_eq!(summary.replayed, 0);
    assert_eq!(summary.events_appended, EVENTS);
    assert_eq!(summary.last_position, EVENTS);
}

/// Each phase reports in order, starting at 0 and ending with every act done.
fn check_progress(steps: &[DemoStep]) {
    let phases: Vec<DemoPhase> =
        steps
            .iter()
            .map(|s| s.phase)
            .fold(Vec::new(), |mut seen, phase| {
                if seen.last() != Some(&phase) {
                    seen.push(phase);
                }
                seen
            });
    assert_eq!(phases, DemoPhase::ALL);
    for phase in DemoPhase::ALL {
        let of_phase: Vec<&DemoStep> = steps.iter().filter(|s| s.phase == phase).collect();
        assert_eq!(of_phase[0].done, 0, "{phase:?}");
        let last = of_phase[of_phase.len() - 1];
        assert_eq!(last.done, last.total, "{phase:?}");
        assert!(!phase.label_vi().is_empty());
    }
}

/// The units as tests/fixtures/pac-nam/units.csv describes them.
async fn check_units<S: EventStore + Clone>(service: &Service<S>) {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pac-nam/units.csv"
    );
    let csv = std::fs::read_to_string(fixture).expect("fixture readable");
    for row in csv.lines().skip(1) {
        let cols: Vec<&str> = row.split(',').collect();
        let (code, name, level, parent, ended_on, successor) =
            (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
        let (state, _) = service
            .unit(&UnitCode::parse(code).expect("valid"))
            .await
            .expect("unit loads");
        let unit = state.unit().unwrap_or_else(|| panic!("{code} registered"));
        assert_eq!(unit.name.as_str(), name, "{code}");
        assert_eq!(unit.level.as_str(), level, "{code}");
        assert_eq!(
            unit.parent.as_ref().map_or("", |p| p.as_str()),
            parent,
            "{code}"
        );
        // The fixture gives the last day of operation; the domain records the day the act took
        // effect, the day after.
        let last_day = state.ended_on().and_then(|d| d.pred_opt());
        let expected = (!ended_on.is_empty()).then(|| ended_on.parse::<NaiveDate>().expect("date"));
        assert_eq!(last_day, expected, "{code}");
        match (state.ending(), successor) {
            (None, "") => {}
            (Some(UnitEnding::Ended { reason, .. }), "") => {
                assert_eq!(*reason, EndReason::TierAbolished, "{code}")
            }
            (Some(UnitEnding::MergedInto { successor: to, .. }), expected) => {
                assert_eq!(to.as_str(), expected, "{code}")
            }
            (ending, expected) => panic!("{code}: {ending:?}, expected successor {expected:?}"),
        }
    }
}

async fn check_custody<S: EventStore + Clone>(service: &Service<S>) {
    for code in FONDS {
        assert_eq!(
            fonds(service, code).await.closed_on(),
            Some(day(2025, 6, 30)),
            "{code}"
        );
    }
    // Phòng Nội vụ: received by the Department of Home Affairs, one file missing, one damaged.
    let d02 = fonds(service, "066-D02").await;
    let t = tally(&d02);
    assert_eq!(count(&t, "SNV-19", "in_custody"), 299);
    assert_eq!(count(&t, "PNV-066", "missing"), 1);
    assert_eq!(d02.files().filter(|(_, f)| f.damaged).count(), 1);
    assert!(
        d02.files()
            .filter(|(_, f)| f.damaged)
            .all(|(_, f)| f.custodian == holder("SNV-19"))
    );

    // Bằng Thành: signed, not received — the files stay with the old commune, in the handover.
    let bang_thanh = fonds(service, "06602-UB").await;
    assert_eq!(count(&tally(&bang_thanh), "UBND-06602", "in_handover"), 220);
    assert_eq!(handover_status(&bang_thanh), HandoverStatus::Signed);
    let nhan_mon = fonds(service, "06603-UB").await;
    assert_eq!(count(&tally(&nhan_mon), "UBND-06603", "in_handover"), 150);
    assert_eq!(handover_status(&nhan_mon), HandoverStatus::Drafted);

    // The batch for Nghiên Loan: two fonds received, one pending.
    for (code, files) in [("06605-UB", 160), ("06610-UB", 140)] {
        assert_eq!(
            count(
                &tally(&fonds(service, code).await),
                "UBND-066N2",
                "in_custody"
            ),
            files,
            "{code}"
        );
    }
    let an_thang = fonds(service, "06606-UB").await;
    assert_eq!(count(&tally(&an_thang), "UBND-06606", "in_handover"), 120);
    assert_eq!(handover_status(&an_thang), HandoverStatus::Signed);

    // 066-UB: 39 files with Bắc Kạn's archive, one rejected back; a list in appraisal.
    let ub = fonds(service, "066-UB").await;
    let t = tally(&ub);
    assert_eq!(count(&t, "LTLS-06", "transferred"), 39);
    let in_transfer = count(&t, "UBND-066", "in_transfer");
    assert!(
        in_transfer > 200,
        "{in_transfer} files in the 2025 transfer"
    );
    let transfer = ub
        .files()
        .find_map(|(_, f)| match f.status {
            FileStatus::InTransfer(id) => ub.transfer(&id),
            _ => None,
        })
        .expect("an open transfer");
    assert!(!transfer.accepted);
    assert_eq!(transfer.archive, holder("LTLS-19"));
    assert!(matches!(
        transfer.appraisal,
        Some(TransferAppraisal {
            outcome: AppraisalOutcome::Approved,
            ..
        })
    ));
    assert_eq!(count(&t, "UBND-066", "in_custody") + in_transfer + 39, 1500);

    // Unfinished work, kept apart.
    let d01 = fonds(service, "066-D01").await;
    assert_eq!(d01.files().filter(|(_, f)| f.unfinished).count(), 3);

    // Phòng Tài chính - Kế hoạch: six files in an approved destruction, two under a hold.
    let d03 = fonds(service, "066-D03").await;
    assert_eq!(count(&tally(&d03), "PTCKH-066", "in_destruction"), 6);
    let destruction = d03
        .files()
        .find_map(|(_, f)| match f.status {
            FileStatus::InDestruction(id) => d03.destruction(&id),
            _ => None,
        })
        .expect("an open destruction");
    assert_eq!(destruction.status, DestructionStatus::Approved);
    assert_eq!(d03.files().filter(|(_, f)| !f.holds.is_empty()).count(), 2);
}

fn handover_status(state: &FondsState) -> HandoverStatus {
    let id = state
        .files()
        .find_map(|(_, f)| match f.status {
            FileStatus::InHandover(id) => Some(id),
            _ => None,
        })
        .expect("a file in an open handover");
    state.handover(&id).expect("the handover").status
}

#[tokio::test]
async fn the_demo_loads_into_memory() {
    let service = Service::new(MemoryStore::new());
    let (summary, steps) = load(&service).await;
    check_summary(&summary);
    check_progress(&steps);
    check_units(&service).await;
    check_custody(&service).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_loads_into_sqlite_and_a_second_load_appends_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    let service = Service::new(SqliteStore::open_path(&path).expect("store opens"));
    let started = Instant::now();
    let (summary, _) = load(&service).await;
    eprintln!("demo loaded into SQLite in {:?}", started.elapsed());
    check_summary(&summary);
    check_units(&service).await;
    check_custody(&service).await;

    let started = Instant::now();
    let (again, _) = load(&service).await;
    eprintln!("second load (all retries) in {:?}", started.elapsed());
    assert_eq!(again.events_appended, 0);
    assert_eq!(again.replayed, again.commands);
    assert_eq!(again.last_position, summary.last_position);
    assert_eq!(service.store().head_position(), EVENTS);
    drop(service);

    // A fresh service over the reopened file knows nothing cached, and still appends nothing.
    let reopened = Service::new(SqliteStore::open_path(&path).expect("store reopens"));
    let (third, _) = load(&reopened).await;
    assert_eq!(third.events_appended, 0);
    assert_eq!(reopened.store().head_position(), EVENTS);
    check_custody(&reopened).await;
}

#[tokio::test]
async fn a_second_load_into_memory_appends_nothing() {
    let service = Service::new(MemoryStore::new());
    let (first, _) = load(&service).await;
    let (second, _) = load(&service).await;
    assert_eq!(second.events_appended, 0);
    assert_eq!(second.commands, first.commands);
    assert_eq!(second.replayed, second.commands);
    assert_eq!(service.store().head_position(), first.last_position);
}

/// The demo's numbers are ones a person would believe: no box of any fonds lists more sheets
/// than a box holds (about 1,000), so the fonds' boxes, sheets and shelf metres agree.
#[tokio::test]
async fn every_demo_box_holds_no_more_sheets_than_a_box_can() {
    let service = Service::new(MemoryStore::new());
    load(&service).await;
    for code in FONDS {
        let (state, _) = service
            .fonds_state(&FondsCode::parse(code).expect("valid"))
            .await
            .expect("loads");
        let boxes: std::collections::BTreeSet<_> = state
            .files()
            .filter_map(|(_, file)| file.box_number.clone())
            .collect();
        assert!(!boxes.is_empty(), "{code} packs its paper files in boxes");
        let sheets: u64 = boxes.iter().map(|b| state.sheets_in_box(b)).sum();
        for box_number in &boxes {
            assert!(
                state.box_over_capacity(box_number.clone()).is_none(),
                "{code} box {box_number}: {} sheets",
                state.sheets_in_box(box_number)
            );
        }
        let per_box = sheets / boxes.len() as u64;
        assert!(
            (300..=bangiao_domain::values::SHEETS_PER_BOX).contains(&per_box),
            "{code}: {sheets} sheets in {} boxes",
            boxes.len()
        );
    }
}

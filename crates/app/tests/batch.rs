//! Batches of fonds commands: decided in order against one state, one append per batch,
//! nothing appended twice, the first refusal stopping the run.

use std::collections::HashSet;

use bangiao_app::handler::{CommandMeta, HandleError};
use bangiao_app::{CommandBatch, Service};
use bangiao_domain::fonds::{FondsCommand, OpenFonds, RecordFile};
use bangiao_domain::values::{
    AccessRegime, Carrier, CustodianId, FileCode, FondsCode, FondsKind, Name, OrganId,
    RetentionPeriod, Title, UnitCode,
};
use bangiao_store::{EventStore, MemoryStore};
use chrono::NaiveDate;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn fonds_code() -> FondsCode {
    FondsCode::parse("066-UB").expect("valid")
}

fn file(n: u32) -> FondsCommand {
    RecordFile {
        file_code: FileCode::parse(&format!("H06.2003.{n:02}")).expect("valid"),
        title: Title::parse(&format!("Hồ sơ số {n}")).expect("valid"),
        start_date: day(2003, 1, 2),
        end_date: day(2003, 5, 25),
        retention: RetentionPeriod::PERMANENT,
        access: AccessRegime::Open,
        carrier: Carrier::Paper,
        box_number: None,
        sheets: Some(12),
        language: Name::parse("Tiếng Việt").expect("valid"),
        notes: None,
        custodian: Some(CustodianId::parse("UBND-066").expect("valid")),
        list_number: None,
    }
    .into()
}

async fn opened() -> Service<MemoryStore> {
    let service = Service::new(MemoryStore::new());
    let open = OpenFonds {
        fonds_code: fonds_code(),
        name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse("H06").expect("valid"),
        creator_name: Name::parse("UBND huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("UBND-066").expect("valid"),
        opened_on: day(2003, 1, 1),
        unit_ended_on: None,
    };
    service
        .fonds_command(
            &fonds_code(),
            open.into(),
            &CommandMeta::new(Uuid::now_v7()),
        )
        .await
        .expect("opens");
    service
}

fn batches(ranges: &[(u32, u32)]) -> Vec<CommandBatch> {
    ranges
        .iter()
        .enumerate()
        .map(|(i, range)| CommandBatch {
            command_id: Uuid::from_u128(0x1000 + i as u128),
            commands: (range.0..range.1).map(file).collect(),
        })
        .collect()
}

#[tokio::test]
async fn each_batch_is_one_append_and_a_rerun_appends_nothing() {
    let service = opened().await;
    let meta = CommandMeta::new(Uuid::now_v7());
    let mut seen = Vec::new();
    let outcome = service
        .fonds_batches(&fonds_code(), batches(&[(1, 4), (4, 6)]), &meta, &mut |n| {
            seen.push(n)
        })
        .await
        .expect("accepted");
    assert_eq!(
        (outcome.appended, outcome.replayed, outcome.events),
        (2, 0, 5)
    );
    assert_eq!(seen, [3, 5]);
    assert_eq!(outcome.last_position, 6, "the opening, then five files");
    let state = service.fonds_state(&fonds_code()).await.expect("loads").0;
    assert_eq!(state.file_count(), 5);

    let again = service
        .fonds_batches(
            &fonds_code(),
            batches(&[(1, 4), (4, 6)]),
            &meta,
            &mut |_| {},
        )
        .await
        .expect("a re-run is accepted");
    assert_eq!((again.appended, again.replayed, again.events), (0, 2, 0));
    assert_eq!(service.store().head_position(), 6);
}

#[tokio::test]
async fn a_batch_sees_its_own_earlier_files() {
    let service = opened().await;
    let twice = vec![CommandBatch {
        command_id: Uuid::from_u128(7),
        commands: vec![file(1), file(2), file(1)],
    }];
    let error = service
        .fonds_batches(
            &fonds_code(),
            twice,
            &CommandMeta::new(Uuid::now_v7()),
            &mut |_| {},
        )
        .await
        .expect_err("the repeated file is refused");
    assert_eq!((error.batch, error.index), (0, 2));
    assert!(matches!(
        error.source,
        HandleError::Domain(ref e) if e.code() == "already_exists"
    ));
    assert_eq!(service.store().head_position(), 1, "nothing of the batch");
}

#[tokio::test]
async fn a_refusal_keeps_earlier_batches_and_stops_the_run() {
    let service = opened().await;
    let meta = CommandMeta::new(Uuid::now_v7());
    let error = service
        .fonds_batches(
            &fonds_code(),
            batches(&[(1, 3), (2, 4), (4, 6)]),
            &meta,
            &mut |_| {},
        )
        .await
        .expect_err("the second batch repeats file 2");
    assert_eq!((error.batch, error.index), (1, 0));
    let state = service.fonds_state(&fonds_code()).await.expect("loads").0;
    assert_eq!(state.file_count(), 2);
}

#[tokio::test]
async fn recorded_files_and_the_opening_are_read_back() {
    let service = opened().await;
    let meta = CommandMeta::new(Uuid::now_v7());
    service
        .fonds_batches(&fonds_code(), batches(&[(1, 4)]), &meta, &mut |_| {})
        .await
        .expect("accepted");
    let wanted: HashSet<FileCode> = [2, 9]
        .iter()
        .map(|n| FileCode::parse(&format!("H06.2003.{n:02}")).expect("valid"))
        .collect();
    let found = service
        .recorded_files(&fonds_code(), &wanted)
        .await
        .expect("reads");
    assert_eq!(found.len(), 1);
    let two = found.values().next().expect("file 2");
    assert_eq!(two.title.as_str(), "Hồ sơ số 2");
    let opening = service
        .fonds_opened(&fonds_code())
        .await
        .expect("reads")
        .expect("opened");
    assert_eq!(opening.custodian.as_str(), "UBND-066");
    let other = FondsCode::parse("066-D01").expect("valid");
    assert!(service.fonds_opened(&other).await.expect("reads").is_none());
}

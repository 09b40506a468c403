//! The command handler over real stores with the real domain: decide, append, retry, resume.

use std::sync::Arc;

use bangiao_app::handler::{CommandMeta, HandleError, Repository};
use bangiao_domain::events;
use bangiao_domain::fonds::{CloseFonds, FondsCommand, OpenFonds, RecordFile};
use bangiao_domain::unit::{
    MergeUnits, RegisterUnit, UnitCommand, UnitDetails, UnitState, decide_merger,
};
use bangiao_domain::values::*;
use bangiao_domain::{FondsAggregate, UnitAggregate};
use bangiao_store::failing::FailAfter;
use bangiao_store::{EventStore, MemoryStore, SqliteStore};
use chrono::NaiveDate;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn basis() -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse("1683/NQ-UBTVQH15").expect("valid"),
        issued_on: day(2025, 6, 16),
        issuer: Name::parse("Ủy ban Thường vụ Quốc hội").expect("valid"),
        title: None,
    }
}

fn open_fonds() -> FondsCommand {
    OpenFonds {
        fonds_code: FondsCode::parse("UB-066").expect("valid"),
        name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse("000.00.07.H56").expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("UBND-066").expect("valid"),
        opened_on: day(2003, 1, 1),
        unit_ended_on: None,
    }
    .into()
}

/// File `n` of `year`, coded with the organ id (before and after closure alike).
fn record_file(n: u32, year: i32) -> FondsCommand {
    RecordFile {
        file_code: FileCode::parse(&format!("000.00.07.H56.{year}.{n:02}")).expect("valid"),
        title: Title::parse(&format!("Hồ sơ số {n}")).expect("valid"),
        start_date: day(year, 1, 1),
        end_date: day(year, 12, 31),
        retention: RetentionPeriod::PERMANENT,
        access: AccessRegime::Open,
        carrier: Carrier::Paper,
        box_number: Some(BoxNumber::parse("1").expect("valid")),
        sheets: Some(10),
        language: Name::parse("Tiếng Việt").expect("valid"),
        notes: None,
        custodian: Some(CustodianId::parse("UBND-066").expect("valid")),
        list_number: None,
    }
    .into()
}

fn close_fonds() -> FondsCommand {
    CloseFonds {
        closed_on: day(2025, 6, 30),
        closing_act: basis(),
    }
    .into()
}

fn meta() -> CommandMeta {
    CommandMeta::new(Uuid::now_v7())
}

fn fonds_repo<S: EventStore>(store: S) -> Repository<FondsAggregate, S> {
    Repository::new(store, events::upcasters())
}

#[tokio::test]
async fn commands_append_events_and_fold_into_state() {
    let repo = fonds_repo(MemoryStore::new());
    repo.execute("UB-066", &open_fonds(), &meta())
        .await
        .expect("open");
    for n in 1..=3 {
        repo.execute("UB-066", &record_file(n, 2020), &meta())
            .await
            .expect("record");
    }
    let (state, revision) = repo.load("UB-066").await.expect("load");
    assert_eq!(revision, Some(3));
    assert_eq!(state.file_count(), 3);
    let stored = repo
        .store()
        .read_stream("fonds-UB-066", 0, 10)
        .await
        .expect("read");
    assert_eq!(stored[1].event_type, "FileRecorded");
    let metadata = stored[1].metadata().expect("metadata");
    assert!(metadata.command_id.is_some());
}

/// Opens fonds `code` (the commune fonds of the tests, under another code).
fn open_fonds_coded(code: &str) -> FondsCommand {
    let FondsCommand::Open(mut open) = open_fonds() else {
        unreachable!("open_fonds opens a fonds")
    };
    open.fonds_code = FondsCode::parse(code).expect("valid");
    open.into()
}

#[tokio::test]
async fn kept_states_stay_under_their_weight_and_dropped_ones_are_folded_again() {
    const LIMIT: u64 = 25;
    let repo = Repository::<FondsAggregate, _>::with_weight_limit(
        MemoryStore::new(),
        events::upcasters(),
        LIMIT,
    );
    let codes = ["UB-061", "UB-062", "UB-063", "UB-064"];
    for code in codes {
        repo.execute(code, &open_fonds_coded(code), &meta())
            .await
            .expect("open");
        for n in 1..=9 {
            repo.execute(code, &record_file(n, 2020), &meta())
                .await
                .expect("record");
            let (_, weight) = repo.cached();
            assert!(
                weight <= LIMIT,
                "{weight} events kept after {code} file {n}"
            );
        }
    }
    let (kept, weight) = repo.cached();
    assert!(kept < codes.len(), "{kept} states kept, weighing {weight}");
    // The first fonds was dropped: its state comes back from the log, whole.
    let refused = repo
        .execute("UB-061", &record_file(5, 2020), &meta())
        .await
        .expect_err("file 5 of UB-061 exists");
    assert!(matches!(refused, HandleError::Domain(_)), "{refused:?}");
    let (state, revision) = repo.load("UB-061").await.expect("load");
    assert_eq!((state.file_count(), revision), (9, Some(9)));
}

#[tokio::test]
async fn a_retried_command_appends_nothing_and_returns_the_first_result() {
    let repo = fonds_repo(MemoryStore::new());
    let m = meta();
    let first = repo
        .execute("UB-066", &open_fonds(), &m)
        .await
        .expect("open");
    assert!(!first.replayed);
    let again = repo
        .execute("UB-066", &open_fonds(), &m)
        .await
        .expect("retry is not refused");
    assert!(again.replayed);
    assert_eq!(again.result, first.result);
    assert_eq!(repo.store().head_position(), 1);
}

#[tokio::test]
async fn a_refusal_comes_back_as_the_domain_error_and_writes_nothing() {
    let repo = fonds_repo(MemoryStore::new());
    repo.execute("UB-066", &open_fonds(), &meta())
        .await
        .expect("open");
    repo.execute("UB-066", &close_fonds(), &meta())
        .await
        .expect("close");
    let late = repo.execute("UB-066", &record_file(9, 2026), &meta()).await;
    match late {
        Err(HandleError::Domain(e)) => assert_eq!(e.code(), "file_after_closure"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(repo.store().head_position(), 2);
}

#[tokio::test]
async fn if_match_with_a_stale_revision_is_a_conflict_reporting_the_current_one() {
    let repo = fonds_repo(MemoryStore::new());
    repo.execute("UB-066", &open_fonds(), &meta())
        .await
        .expect("open");
    repo.execute("UB-066", &record_file(1, 2020), &meta())
        .await
        .expect("record");
    let mut stale = meta();
    stale.expected_revision = Some(0);
    match repo.execute("UB-066", &record_file(2, 2020), &stale).await {
        Err(HandleError::Conflict { current, .. }) => assert_eq!(current, Some(1)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let mut fresh = meta();
    fresh.expected_revision = Some(1);
    repo.execute("UB-066", &record_file(2, 2020), &fresh)
        .await
        .expect("current revision");
}

#[tokio::test]
async fn a_second_process_sees_the_first_ones_writes_and_decides_against_them() {
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteStore::open_path(dir.path().join("events.db")).expect("open");
    // Two repositories with their own caches stand for two service replicas.
    let a = fonds_repo(store.clone());
    let b = fonds_repo(store.clone());
    a.execute("UB-066", &open_fonds(), &meta())
        .await
        .expect("open");
    a.load("UB-066").await.expect("a caches the fonds");
    b.execute("UB-066", &record_file(1, 2020), &meta())
        .await
        .expect("b records");
    b.execute("UB-066", &close_fonds(), &meta())
        .await
        .expect("b closes");
    // a's cache is behind: it catches up before deciding, and so refuses.
    match a.execute("UB-066", &record_file(2, 2026), &meta()).await {
        Err(HandleError::Domain(e)) => assert_eq!(e.code(), "file_after_closure"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match a.execute("UB-066", &open_fonds(), &meta()).await {
        Err(HandleError::Domain(e)) => assert_eq!(e.code(), "already_exists"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_writers_on_one_fonds_all_land_once() {
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteStore::open_path(dir.path().join("events.db")).expect("open");
    fonds_repo(store.clone())
        .execute("UB-066", &open_fonds(), &meta())
        .await
        .expect("open");
    let mut tasks = Vec::new();
    for w in 0..4u32 {
        let repo = Arc::new(fonds_repo(store.clone()));
        tasks.push(tokio::spawn(async move {
            for i in 0..20u32 {
                repo.execute("UB-066", &record_file(w * 20 + i + 1, 2020), &meta())
                    .await
                    .expect("lands after retries");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let (state, revision) = fonds_repo(store).load("UB-066").await.expect("load");
    assert_eq!((state.file_count(), revision), (80, Some(80)));
}

// ---- a merger spans streams: resumable after an interruption ----

fn unit(code: &str) -> UnitCode {
    UnitCode::parse(code).expect("valid")
}

fn commune(code: &str) -> UnitCommand {
    RegisterUnit {
        code: unit(code),
        details: UnitDetails {
            name: Name::parse(&format!("Xã {code}")).expect("valid"),
            level: UnitLevel::Commune,
            unit_type: UnitType::Commune,
            parent: Some(unit("066")),
            parent_level: Some(UnitLevel::District),
            parent_lifespan: None,
        },
        valid_from: day(2003, 1, 1),
        legal_basis: basis(),
    }
    .into()
}

fn merger() -> MergeUnits {
    MergeUnits {
        merger_id: ReorganisationId::from_uuid(Uuid::from_u128(7)),
        effective_on: day(2025, 7, 1),
        legal_basis: basis(),
        new_successor: Some(UnitDetails {
            name: Name::parse("Xã Nghiên Loan").expect("valid"),
            level: UnitLevel::Commune,
            unit_type: UnitType::Commune,
            parent: Some(unit("11")),
            parent_level: Some(UnitLevel::Province),
            parent_lifespan: None,
        }),
    }
}

fn plan(
    views: &[(&str, &UnitState)],
) -> Result<Vec<(String, Vec<bangiao_domain::UnitEvent>)>, bangiao_domain::DomainError> {
    let (successor, predecessors) = views.split_first().expect("successor first");
    let preds: Vec<(UnitCode, &UnitState)> =
        predecessors.iter().map(|(c, s)| (unit(c), *s)).collect();
    let events = decide_merger(&preds, (&unit(successor.0), successor.1), &merger())?;
    Ok(events
        .into_iter()
        .map(|(code, e)| (code.to_string(), e))
        .collect())
}

#[tokio::test]
async fn an_interrupted_merger_resumes_without_duplicating_anything() {
    let memory = MemoryStore::new();
    let setup: Repository<UnitAggregate, _> = Repository::new(memory.clone(), events::upcasters());
    for code in ["01960", "01963", "01966"] {
        setup
            .execute(code, &commune(code), &meta())
            .await
            .expect("register");
    }
    let ids: Vec<String> = ["01999", "01960", "01963", "01966"]
        .map(String::from)
        .to_vec();
    let m = meta();

    // The first run writes the successor and one predecessor, then the store goes away.
    let failing = FailAfter::new(memory.clone(), 2);
    let crashed: Repository<UnitAggregate, _> = Repository::new(failing, events::upcasters());
    let first_run = crashed.execute_multi(&ids, &m, plan).await;
    assert!(
        matches!(first_run, Err(HandleError::Store(_))),
        "{first_run:?}"
    );
    assert_eq!(memory.head_position(), 3 + 2);

    // Re-running the same command completes it from where it stopped.
    let repo: Repository<UnitAggregate, _> = Repository::new(memory.clone(), events::upcasters());
    let resumed = repo.execute_multi(&ids, &m, plan).await.expect("resume");
    assert_eq!((resumed.replayed.len(), resumed.appended.len()), (2, 2));
    assert_eq!(memory.head_position(), 3 + 4);

    // A third run changes nothing.
    let again = repo.execute_multi(&ids, &m, plan).await.expect("replay");
    assert_eq!((again.replayed.len(), again.appended.len()), (4, 0));
    assert_eq!(memory.head_position(), 3 + 4);
    for code in ["01960", "01963", "01966"] {
        let (state, _) = repo.load(code).await.expect("load");
        assert!(state.is_ended(), "{code} ended by the merger");
    }
}

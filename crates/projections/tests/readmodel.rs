// Over 500 lines: scenarios fed through the real service share their command builders.
//! The read models, fed by the real application service over the SQLite store.

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_domain::fonds::*;
use bangiao_domain::unit::{EndReason, EndUnit, MergeUnits, RegisterUnit, UnitDetails};
use bangiao_domain::values::*;
use bangiao_projections::query::inventory::{Filter, Scope};
use bangiao_projections::query::{acts, custody, deadlines, inventory, units};
use bangiao_projections::{ReadModel, digest, rebuild};
use bangiao_store::{EventStore, SqliteStore};
use chrono::NaiveDate;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}
fn meta() -> CommandMeta {
    CommandMeta::new(Uuid::now_v7())
}
fn basis(number: &str) -> LegalBasis {
    LegalBasis {
        number: DocumentNumber::parse(number).expect("valid"),
        issued_on: day(2025, 6, 16),
        issuer: Name::parse("Ủy ban Thường vụ Quốc hội").expect("valid"),
        title: None,
    }
}
fn code(c: &str) -> UnitCode {
    UnitCode::parse(c).expect("valid")
}
fn details(name: &str, ty: UnitType, parent: Option<&str>) -> UnitDetails {
    UnitDetails {
        name: Name::parse(name).expect("valid"),
        level: ty.level(),
        unit_type: ty,
        parent: parent.map(code),
        parent_level: None,
        parent_lifespan: None,
    }
}
fn register(c: &str, d: UnitDetails) -> RegisterUnit {
    RegisterUnit {
        code: code(c),
        details: d,
        valid_from: day(2003, 1, 1),
        legal_basis: basis("01/2003/NĐ-CP"),
    }
}
fn custodian(c: &str) -> CustodianId {
    CustodianId::parse(c).expect("valid")
}
fn user(u: &str) -> UserId {
    UserId::parse(u).expect("valid")
}
fn file_code(organ: &str, n: u32) -> FileCode {
    FileCode::parse(&format!("{organ}.2010.{n:02}")).expect("valid")
}
fn record(
    organ: &str,
    n: u32,
    title: &str,
    retention: RetentionPeriod,
    holder: &str,
) -> FondsCommand {
    RecordFile {
        file_code: file_code(organ, n),
        title: Title::parse(title).expect("valid"),
        start_date: day(2010, 1, 1),
        end_date: day(2010, 12, 31),
        retention,
        access: AccessRegime::Open,
        carrier: Carrier::Paper,
        box_number: Some(BoxNumber::parse(&format!("{}", n.div_ceil(2))).expect("valid")),
        sheets: Some(10 * n),
        language: Name::parse("Tiếng Việt").expect("valid"),
        notes: None,
        custodian: Some(custodian(holder)),
        list_number: None,
    }
    .into()
}
fn open(fonds: &str, organ: &str, unit: &str, holder: &str) -> FondsCommand {
    OpenFonds {
        fonds_code: FondsCode::parse(fonds).expect("valid"),
        name: Name::parse(&format!("Phông {fonds}")).expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse(organ).expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: code(unit),
        custodian: custodian(holder),
        opened_on: day(2003, 1, 1),
        unit_ended_on: None,
    }
    .into()
}

const ORGAN: &str = "000.00.07.H56";
const HANDOVER: u128 = 42;

/// A province absorbed, a district ended, two communes merged, one fonds handed over.
async fn scenario(service: &Service<SqliteStore>) {
    let s = service;
    s.register_unit(
        register("06", details("Tỉnh Bắc Kạn", UnitType::Province, None)),
        &meta(),
    )
    .await
    .expect("06");
    s.register_unit(
        register("19", details("Tỉnh Thái Nguyên", UnitType::Province, None)),
        &meta(),
    )
    .await
    .expect("19");
    s.register_unit(
        register(
            "066",
            details("Huyện Pác Nặm", UnitType::District, Some("06")),
        ),
        &meta(),
    )
    .await
    .expect("066");
    for c in ["06601", "06602"] {
        s.register_unit(
            register(
                c,
                details(&format!("Xã {c}"), UnitType::Commune, Some("066")),
            ),
            &meta(),
        )
        .await
        .expect(c);
    }
    let merge = |id: u128, successor: Option<UnitDetails>| MergeUnits {
        merger_id: ReorganisationId::from_uuid(Uuid::from_u128(id)),
        effective_on: day(2025, 7, 1),
        legal_basis: basis("1683/NQ-UBTVQH15"),
        new_successor: successor,
    };
    s.merge_units(
        &code("066N1"),
        &[code("06601"), code("06602")],
        merge(
            1,
            Some(details("Xã Bằng Thành", UnitType::Commune, Some("19"))),
        ),
        &meta(),
    )
    .await
    .expect("communes merged");
    s.merge_units(&code("19"), &[code("06")], merge(2, None), &meta())
        .await
        .expect("province absorbed");
    s.end_unit(
        &code("066"),
        EndUnit {
            effective_on: day(2025, 7, 1),
            legal_basis: basis("203/2025/QH15"),
            reason: EndReason::TierAbolished,
        },
        &meta(),
    )
    .await
    .expect("district ended");

    let ub = FondsCode::parse("UB-066").expect("valid");
    s.fonds_command(&ub, open("UB-066", ORGAN, "066", "UBND-066"), &meta())
        .await
        .expect("open");
    s.fonds_command(
        &ub,
        record(
            ORGAN,
            1,
            "Hồ sơ cấp đất xã Nghiên Loan, huyện Pác Nặm",
            RetentionPeriod::PERMANENT,
            "UBND-066",
        ),
        &meta(),
    )
    .await
    .expect("f1");
    s.fonds_command(
        &ub,
        record(
            ORGAN,
            2,
            "Kế hoạch công tác năm 2010",
            RetentionPeriod::PERMANENT,
            "UBND-066",
        ),
        &meta(),
    )
    .await
    .expect("f2");
    s.fonds_command(
        &ub,
        record(
            ORGAN,
            3,
            "Báo cáo tài chính",
            RetentionPeriod::fixed_term(10).expect("valid"),
            "UBND-066",
        ),
        &meta(),
    )
    .await
    .expect("f3");
    s.fonds_command(
        &ub,
        CloseFonds {
            closed_on: day(2025, 6, 30),
            closing_act: basis("99/QĐ-UBND"),
        }
        .into(),
        &meta(),
    )
    .await
    .expect("close");
    let files = vec![file_code(ORGAN, 1), file_code(ORGAN, 2)];
    s.fonds_command(
        &ub,
        DraftHandover {
            handover_id: HandoverId::from_uuid(Uuid::from_u128(HANDOVER)),
            batch: None,
            giving_custodian: custodian("UBND-066"),
            receiving_custodian: custodian("SNV-19"),
            giving_person: user("vanthu.066"),
            receiving_person: user("luutru.19"),
            legal_basis: basis("414/BNV-VTLTNN"),
            file_codes: files,
            declared_files: 2,
            declared_extent: Extent {
                boxes: 1,
                sheets: 30,
                linear_mm: 125,
            },
            drafted_on: day(2025, 7, 10),
        }
        .into(),
        &meta(),
    )
    .await
    .expect("draft");
    s.fonds_command(
        &ub,
        SignHandover {
            handover_id: HandoverId::from_uuid(Uuid::from_u128(HANDOVER)),
            signed_by: user("vanthu.066"),
            signed_on: day(2025, 7, 11),
        }
        .into(),
        &meta(),
    )
    .await
    .expect("sign");
    s.fonds_command(
        &ub,
        ReceiveHandover {
            handover_id: HandoverId::from_uuid(Uuid::from_u128(HANDOVER)),
            received_by: user("luutru.19"),
            received_on: day(2025, 7, 15),
            discrepancies: vec![Discrepancy::Missing {
                file_code: file_code(ORGAN, 2),
            }],
        }
        .into(),
        &meta(),
    )
    .await
    .expect("receive");

    let commune = FondsCode::parse("UB-06601").expect("valid");
    s.fonds_command(
        &commune,
        open("UB-06601", "000.00.07.X01", "06601", "UBND-06601"),
        &meta(),
    )
    .await
    .expect("open commune");
    s.fonds_command(
        &commune,
        record(
            "000.00.07.X01",
            1,
            "Sổ hộ tịch xã",
            RetentionPeriod::PERMANENT,
            "UBND-06601",
        ),
        &meta(),
    )
    .await
    .expect("commune file");
}

async fn setup() -> (tempfile::TempDir, SqliteStore, ReadModel) {
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteStore::open_path(dir.path().join("events.db")).expect("store");
    scenario(&Service::new(store.clone())).await;
    let model = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    model.catch_up(&store).await.expect("projected");
    (dir, store, model)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_now_and_as_of_a_date() {
    let (_dir, store, model) = setup().await;
    assert_eq!(model.position(), store.head_position());
    let f1 = file_code(ORGAN, 1).to_string();
    let (now, before, after, history) = model
        .readers()
        .with(move |c| {
            Ok::<_, bangiao_projections::ProjectionError>((
                custody::now(c, &f1)?,
                custody::as_of(c, &f1, day(2025, 6, 30))?,
                custody::as_of(c, &f1, day(2025, 7, 20))?,
                custody::history(c, &f1)?,
            ))
        })
        .await
        .expect("query");
    let now = now.expect("file 1 is recorded");
    assert_eq!(
        (now.custodian.as_deref(), now.status.as_str(), now.since),
        (Some("SNV-19"), "in_custody", Some(day(2025, 7, 15)))
    );
    assert_eq!(
        before.expect("recorded").custodian.as_deref(),
        Some("UBND-066")
    );
    assert_eq!(
        after.expect("recorded").custodian.as_deref(),
        Some("SNV-19")
    );
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].to, Some(day(2025, 7, 15)));

    let f2 = file_code(ORGAN, 2).to_string();
    let missing = model
        .readers()
        .with(move |c| custody::now(c, &f2))
        .await
        .expect("query")
        .expect("recorded");
    assert_eq!(
        (missing.status.as_str(), missing.custodian.as_deref()),
        ("missing", Some("UBND-066"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_units_inventory_reaches_through_lineage_and_below() {
    let (_dir, _store, model) = setup().await;
    let count = |scope: Scope, filter: Filter| {
        let model = model.clone();
        async move {
            model
                .readers()
                .with(move |c| inventory::page(c, &scope, &filter, None, 100))
                .await
                .expect("query")
                .len()
        }
    };
    // Province 19 absorbed 06, whose district 066 held UB-066; its new commune took 06601's fonds.
    assert_eq!(count(Scope::Unit("19".into()), Filter::default()).await, 4);
    assert_eq!(
        count(Scope::Unit("066N1".into()), Filter::default()).await,
        1
    );
    assert_eq!(
        count(Scope::Fonds("UB-066".into()), Filter::default()).await,
        3
    );
    let search = Filter {
        q: Some("pac nam".into()),
        ..Filter::default()
    };
    assert_eq!(
        count(Scope::Unit("19".into()), search).await,
        1,
        "diacritics and case ignored"
    );
    let permanent = Filter {
        retention: Some("01".into()),
        ..Filter::default()
    };
    assert_eq!(count(Scope::Fonds("UB-066".into()), permanent).await, 2);
    let totals = model
        .readers()
        .with(|c| inventory::totals(c, &Scope::Fonds("UB-066".into()), &Filter::default()))
        .await
        .expect("totals");
    assert_eq!((totals.files, totals.boxes, totals.sheets), (3, 2, 60));
    let after_first = model
        .readers()
        .with(|c| {
            let first = inventory::page(
                c,
                &Scope::Fonds("UB-066".into()),
                &Filter::default(),
                None,
                1,
            )?;
            inventory::page(
                c,
                &Scope::Fonds("UB-066".into()),
                &Filter::default(),
                Some(first[0].seq),
                10,
            )
        })
        .await
        .expect("second page");
    assert_eq!(
        after_first.len(),
        2,
        "the cursor continues after the first row"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lineage_handovers_and_deadlines() {
    let (_dir, _store, model) = setup().await;
    let lineage = model
        .readers()
        .with(|c| units::lineage(c, "066N1"))
        .await
        .expect("query")
        .expect("registered");
    let preds: Vec<&str> = lineage
        .predecessors
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    assert_eq!(preds, vec!["06601", "06602"]);
    let old = model
        .readers()
        .with(|c| units::lineage(c, "06601"))
        .await
        .expect("query")
        .expect("registered");
    assert_eq!(old.unit.ended_on, Some(day(2025, 7, 1)));
    assert_eq!(old.successors[0].code, "066N1");

    let h = model
        .readers()
        .with(|c| acts::handover(c, &Uuid::from_u128(HANDOVER).to_string()))
        .await
        .expect("query")
        .expect("drafted");
    assert_eq!(h.status, "received");
    assert!(h.counts_match, "{h:?}");
    assert!(h.chain_head.is_some_and(|c| c.len() == 64));

    let due = model
        .readers()
        .with(|c| deadlines::deadlines(c, day(2031, 1, 1), false))
        .await
        .expect("query");
    let ub = due
        .iter()
        .find(|d| d.fonds_code == "UB-066")
        .expect("pending permanent files");
    assert_eq!(
        (ub.pending_files, ub.overdue_files, ub.rule.as_deref()),
        (2, 2, Some("art65"))
    );
    let commune = due
        .iter()
        .find(|d| d.fonds_code == "UB-06601")
        .expect("commune fonds");
    assert_eq!(
        (commune.overdue_files, commune.next_due),
        (0, Some(day(2035, 7, 1)))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_equals_the_live_read_model_and_checkpoints_persist() {
    let (dir, store, model) = setup().await;
    let live = model
        .readers()
        .with(digest::table_digests)
        .await
        .expect("digest");
    let position = model.position();
    drop(model);
    let reopened = ReadModel::open(dir.path().join("readmodel.db")).expect("reopen");
    assert_eq!(
        reopened.position(),
        position,
        "the checkpoint survives a restart"
    );
    assert_eq!(
        reopened.catch_up(&store).await.expect("nothing new"),
        position
    );

    let rebuilt_path = dir.path().join("rebuilt.db");
    let report = rebuild(&store, &rebuilt_path, |_, _| ())
        .await
        .expect("rebuild");
    assert_eq!(
        (report.events, report.position),
        (store.head_position(), store.head_position())
    );
    let rebuilt = ReadModel::open(&rebuilt_path).expect("open rebuilt");
    assert_eq!(rebuilt.position(), position);
    let fresh = rebuilt
        .readers()
        .with(digest::table_digests)
        .await
        .expect("digest");
    assert_eq!(live, fresh);
}

/// The units of scope `scope` computed independently of the read model's SQL: the unit, its
/// predecessors through mergers and splits, and the units below each, recursively.
fn scope_by_walking_down(conn: &rusqlite::Connection, scope: &str) -> Vec<String> {
    let links: Vec<(String, String)> = conn
        .prepare("SELECT predecessor, successor FROM unit_links")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()
        })
        .expect("links");
    let parents: Vec<(String, Option<String>)> = conn
        .prepare("SELECT code, parent FROM units")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()
        })
        .expect("units");
    let mut found = vec![scope.to_owned()];
    let mut next = 0;
    while next < found.len() {
        let here = found[next].clone();
        next += 1;
        let below = links
            .iter()
            .filter(|(_, successor)| *successor == here)
            .map(|(predecessor, _)| predecessor.clone())
            .chain(
                parents
                    .iter()
                    .filter(|(_, parent)| parent.as_deref() == Some(here.as_str()))
                    .map(|(code, _)| code.clone()),
            )
            .collect::<Vec<_>>();
        for code in below {
            if !found.contains(&code) {
                found.push(code);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scope_checks_agree_with_the_scope_walked_down_for_every_unit_and_fonds() {
    use bangiao_projections::query::access;
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteStore::open_path(dir.path().join("events.db")).expect("store");
    bangiao_app::demo::load_demo(&Service::new(store.clone()), &mut |_| {})
        .await
        .expect("demo");
    let model = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    model.catch_up(&store).await.expect("projected");
    model
        .readers()
        .with_blocking(|conn| -> Result<(), bangiao_projections::ProjectionError> {
            let codes = |sql: &str| -> Vec<String> {
                conn.prepare(sql)
                    .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                    .expect("codes")
            };
            let units = codes("SELECT code FROM units ORDER BY code");
            let fonds = codes("SELECT code || '|' || unit_code FROM fonds ORDER BY code");
            let (mut inside, mut outside) = (0, 0);
            for scope in &units {
                let expected = scope_by_walking_down(conn, scope);
                for unit in &units {
                    let want = expected.contains(unit);
                    assert_eq!(
                        access::unit_in_scope(conn, scope, unit)?,
                        want,
                        "{unit} in {scope}"
                    );
                    if want { inside += 1 } else { outside += 1 }
                }
                for entry in &fonds {
                    let (code, unit) = entry.split_once('|').expect("code|unit");
                    let want = expected.iter().any(|u| u == unit);
                    assert_eq!(
                        access::fonds_in_unit_scope(conn, scope, code)?,
                        want,
                        "fonds {code} in {scope}"
                    );
                }
            }
            assert!(
                units.len() > 10 && fonds.len() > 10,
                "the demo has a lineage to walk"
            );
            assert!(
                inside > units.len() && outside > 0,
                "both answers occur: {inside} in, {outside} out"
            );
            Ok(())
        })
        .expect("checked");
}

//! A file keeps one identity for its whole life (issue 21, item 1): a list imported while the
//! fonds is open and imported again after the fonds is closed finds every one of its files —
//! nothing is recorded twice, no file answers to two codes — and a row dated after the day of
//! recording is refused on its cell.

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_documents::import::{Format, ImportOptions, ImportReport, import_inventory};
use bangiao_domain::fonds::{CloseFonds, OpenFonds};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
};
use bangiao_store::{EventStore, MemoryStore};
use chrono::NaiveDate;

const FONDS: &str = "066-UB";
const ORGAN: &str = "000.00.66.H06";
const HEADER: &str = "Hộp số;Hồ sơ số;Số, ký hiệu hồ sơ;Tiêu đề hồ sơ;Ngày bắt đầu;Ngày kết thúc;THBQ;Chế độ sử dụng;Số tờ\n";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn meta() -> CommandMeta {
    CommandMeta::new(uuid::Uuid::now_v7())
}

fn fonds() -> FondsCode {
    FondsCode::parse(FONDS).expect("valid")
}

/// A district People's Committee fonds whose organ id differs from its fonds code.
async fn service() -> Service<MemoryStore> {
    let service = Service::new(MemoryStore::new());
    let open = OpenFonds {
        fonds_code: fonds(),
        name: Name::parse("Phông UBND huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse(ORGAN).expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("UBND-066").expect("valid"),
        opened_on: day(2003, 7, 1),
        unit_ended_on: None,
    };
    service
        .fonds_command(&fonds(), open.into(), &meta())
        .await
        .expect("opened");
    service
}

/// `count` files over the years 2004–2023, numbered per year as a list numbers them.
fn list(count: u32) -> String {
    let mut text = HEADER.to_owned();
    for n in 1..=count {
        let year = 2004 + (n % 20) as i32;
        let number = n / 20 + 1;
        text.push_str(&format!(
            "{};{n};{number:02}.{year};Hồ sơ số {n} năm {year};02/01/{year};28/12/{year};Vĩnh viễn;Công khai;{}\n",
            n / 12 + 1,
            10 + n % 50
        ));
    }
    text
}

async fn import(service: &Service<MemoryStore>, text: &str) -> ImportReport {
    import_inventory(
        service,
        &fonds(),
        text.as_bytes(),
        Format::Csv,
        &ImportOptions::default(),
        &mut |_| {},
    )
    .await
    .expect("the list is taken")
}

#[tokio::test]
async fn a_list_imported_again_after_closure_finds_every_file_and_records_none() {
    let service = service().await;
    let text = list(1_000);
    let first = import(&service, &text).await;
    assert!(first.problems.is_empty(), "{:?}", first.problems.first());
    assert_eq!(first.files_recorded, 1_000);
    let close = CloseFonds {
        closed_on: day(2025, 6, 30),
        closing_act: LegalBasis {
            number: DocumentNumber::parse("45/QĐ-UBND").expect("valid"),
            issued_on: day(2025, 6, 27),
            issuer: Name::parse("UBND huyện Pác Nặm").expect("valid"),
            title: None,
        },
    };
    service
        .fonds_command(&fonds(), close.into(), &meta())
        .await
        .expect("closed");
    let head = service.store().head_position();

    let again = import(&service, &text).await;
    assert!(again.problems.is_empty(), "{:?}", again.problems.first());
    assert_eq!((again.rows_present, again.files_recorded), (1_000, 0));
    assert_eq!(service.store().head_position(), head, "nothing recorded");
    let (state, _) = service.fonds_state(&fonds()).await.expect("state");
    assert_eq!(state.file_count(), 1_000, "one code for each file");
    assert!(state.files().all(|(code, _)| code.prefix() == ORGAN));
}

#[tokio::test]
async fn a_row_ending_after_the_day_of_recording_is_refused_on_its_cell() {
    let service = service().await;
    let text = format!(
        "{HEADER}1;1;01.2010;Hồ sơ năm 2010;02/01/2010;28/12/2010;Vĩnh viễn;Công khai;10\n\
         1;2;02.2010;Hồ sơ kéo dài đến 2099;02/01/2010;28/12/2099;Vĩnh viễn;Công khai;10\n"
    );
    let report = import_inventory(
        &service,
        &fonds(),
        text.as_bytes(),
        Format::Csv,
        &ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        },
        &mut |_| {},
    )
    .await
    .expect("taken");
    let found: Vec<(u32, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.code.as_str(), p.header.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(found, [(3, "date_in_future", "Ngày kết thúc")]);
}

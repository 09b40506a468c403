//! Snapshots of the printable HTML of the Mục lục hồ sơ and of the Biên bản giao nhận, from
//! fixed rows and fixed dates (no clock, no store), so any change to what is printed shows up
//! in review. Update with `cargo insta review` (or INSTA_UPDATE=always).

use bangiao_documents::export::heading::{ListHeading, ListKind};
use bangiao_documents::export::html;
use bangiao_documents::export::minutes::{Minutes, Party, record_url};
use bangiao_documents::export::rows::{ListStats, RowSource};
use bangiao_projections::query::acts::{Counts, HandoverRow, Signer};
use bangiao_projections::query::inventory::FileRow;
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn rows() -> Vec<FileRow> {
    let row = |seq: i64, code: &str, title: &str, start: NaiveDate, end: NaiveDate| FileRow {
        seq,
        list_number: Some(seq as u32 * 10),
        fonds_code: "066-D02".into(),
        file_code: code.into(),
        title: title.into(),
        start_date: start,
        end_date: end,
        retention: "01".into(),
        retention_years: None,
        access: "01".into(),
        carrier: "paper".into(),
        box_number: Some("1".into()),
        sheets: Some(27),
        language: "Tiếng Việt".into(),
        notes: None,
        custodian: "PNV-066".into(),
        status: "in_custody".into(),
        unfinished: None,
        damaged: None,
        sha256: None,
        rejected: None,
        holds: Vec::new(),
    };
    vec![
        row(
            1,
            "066-D02.2003.01",
            "Hồ sơ giải quyết đơn khiếu nại của công dân Bàn Thị Liên về tài chính ngân sách",
            day(2003, 1, 2),
            day(2003, 5, 25),
        ),
        FileRow {
            retention: "06".into(),
            retention_years: Some(10),
            access: "02".into(),
            box_number: Some("2".into()),
            sheets: Some(13),
            notes: Some("=Có bản đồ kèm theo <A3>".into()),
            ..row(
                2,
                "066-D02.2003.02",
                "Kế hoạch, báo cáo công tác y tế năm 2003",
                day(2003, 1, 26),
                day(2003, 10, 29),
            )
        },
        FileRow {
            carrier: "electronic".into(),
            box_number: None,
            sheets: None,
            sha256: Some("ab".repeat(32)),
            damaged: Some("Bị ố vàng".into()),
            ..row(
                3,
                "066-D02.2024.01",
                "Hồ sơ Hội nghị tổng kết công tác nội vụ năm 2024",
                day(2024, 12, 20),
                day(2024, 12, 20),
            )
        },
    ]
}

fn stats(rows: &[FileRow]) -> ListStats {
    ListStats::gather(&mut &rows[..]).expect("stats")
}

#[test]
fn inventory_list_html() {
    let rows = rows();
    let heading = ListHeading {
        kind: ListKind::Fonds,
        agency: "Phòng Nội vụ huyện Pác Nặm".into(),
        code: "066-D02".into(),
        name: "Phòng Nội vụ huyện Pác Nặm (2003–2025)".into(),
        stats: stats(&rows),
        unit_end: None,
        verification: None,
    };
    let mut out = Vec::new();
    let n = html::write_list(&heading, &mut &rows[..], &mut out).expect("html");
    assert_eq!(n, 3);
    insta::assert_snapshot!(String::from_utf8(out).expect("utf-8"));
}

#[test]
fn handover_minutes_html() {
    let rows = rows();
    let id = "0197c3a0-0000-7000-8000-000000000001";
    // The giving side's signer named no organ: the custodian that opened the fonds is printed
    // as the fonds' creator.
    let giving_signer = Signer {
        user_id: "truongphong.pnv066".into(),
        name: Some("Hoàng Văn Thắng".into()),
        title: Some("Trưởng phòng Nội vụ".into()),
        organ: None,
    };
    let receiving_signer = Signer {
        user_id: "luutru.snv19".into(),
        name: Some("Hà Thị Xuân".into()),
        title: Some("Chuyên viên lưu trữ".into()),
        organ: Some("Sở Nội vụ tỉnh Thái Nguyên".into()),
    };
    let minutes = Minutes {
        handover: HandoverRow {
            handover_id: id.into(),
            fonds_code: "066-D02".into(),
            batch_id: None,
            giving: "PNV-066".into(),
            receiving: "SNV-19".into(),
            giving_person: "truongphong.pnv066".into(),
            receiving_person: "luutru.snv19".into(),
            legal_basis: Some(serde_json::json!({
                "number": "1234/QĐ-UBND",
                "issued_on": "2025-06-20",
                "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên",
                "title": "Quyết định giao nhận tài liệu lưu trữ của các cơ quan cấp huyện"
            })),
            status: "received".into(),
            drafted_on: day(2025, 7, 8),
            signed_on: Some(day(2025, 7, 9)),
            chain_head: Some("5f".repeat(32)),
            received_on: Some(day(2025, 7, 11)),
            cancelled_on: None,
            declared: Counts {
                files: 3,
                boxes: 2,
                sheets: 40,
            },
            declared_linear_mm: 250,
            listed: Counts {
                files: 3,
                boxes: 2,
                sheets: 40,
            },
            counts_match: true,
            discrepancies: Some(serde_json::json!([
                {"kind": "damaged", "file_code": "066-D02.2024.01", "description": "Bị ố vàng"}
            ])),
            giving_signer: Some(giving_signer.clone()),
            receiving_signer: Some(receiving_signer.clone()),
            event_position: 1234,
            event_hash: "5f".repeat(32),
        },
        giving: Party::new(
            "PNV-066",
            "truongphong.pnv066",
            Some(&giving_signer),
            Some("Phòng Nội vụ huyện Pác Nặm"),
        ),
        receiving: Party::new("SNV-19", "luutru.snv19", Some(&receiving_signer), None),
        fonds_name: "Phòng Nội vụ huyện Pác Nặm".into(),
        creator_name: "Phòng Nội vụ huyện Pác Nặm".into(),
        stats: stats(&rows),
        record_url: record_url("https://bangiao.example/", id),
    };
    let mut out = Vec::new();
    let n = html::write_minutes(&minutes, &mut &rows[..], &mut out).expect("html");
    assert_eq!(n, 3);
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("https://bangiao.example/api/v1/handovers/0197c3a0"));
    for account in ["PNV-066", "SNV-19", "truongphong.pnv066", "luutru.snv19"] {
        assert!(
            !text.contains(account),
            "{account} printed where a name is known"
        );
    }
    let mut seen = 0;
    (&rows[..])
        .each(&mut |_| {
            seen += 1;
            Ok(())
        })
        .expect("rows");
    assert_eq!(seen, 3);
    insta::assert_snapshot!(text);
}

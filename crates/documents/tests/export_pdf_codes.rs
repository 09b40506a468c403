//! A file code is printed on one line in the PDF lists, however long: the code column is as wide
//! as the list's longest code needs (within a share of the page), and a code still wider is set
//! smaller, never broken. Read back with pdftotext, from fixed rows (no store).

#[allow(dead_code)]
mod export_support;

use bangiao_documents::export::heading::{ListHeading, ListKind};
use bangiao_documents::export::pdf;
use bangiao_documents::export::rows::ListStats;
use bangiao_domain::values::FileCode;
use bangiao_projections::query::inventory::FileRow;
use chrono::NaiveDate;
use export_support::{run, tool};

/// Codes as offices write them, up to the longest a file code may be (46 characters).
const CODES: [&str; 4] = [
    "000.00.66.H06.2003.01",
    "000.00.66.H06.2003.12/TCCB-VP",
    "000.00.66.H06.2024.1234/QĐ-UBND",
    "ABCDEFGHIJKLMNOPQRST.2024.12345678901234567890",
];

fn rows() -> Vec<FileRow> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    CODES
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let code = FileCode::parse(code).expect("a valid file code");
            FileRow {
                seq: i as i64 + 1,
                list_number: None,
                fonds_code: "066-UB".into(),
                file_code: code.to_string(),
                title: "Hồ sơ giải quyết đơn thư của công dân về đất đai".into(),
                start_date: day(2003, 1, 2),
                end_date: day(2003, 5, 25),
                retention: "01".into(),
                retention_years: None,
                access: "01".into(),
                carrier: "paper".into(),
                box_number: Some("1".into()),
                sheets: Some(12),
                language: "Tiếng Việt".into(),
                notes: None,
                custodian: "UBND-066".into(),
                status: "in_custody".into(),
                unfinished: None,
                damaged: None,
                sha256: None,
                rejected: None,
                holds: Vec::new(),
            }
        })
        .collect()
}

fn pdftotext(bytes: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("muc-luc.pdf");
    std::fs::write(&file, bytes).expect("write");
    Some(run(std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")))
}

#[test]
fn long_file_codes_are_printed_whole_on_one_line() {
    let rows = rows();
    assert_eq!(rows[3].file_code.chars().count(), 46, "the longest code");
    for kind in [ListKind::Fonds, ListKind::Unit] {
        let heading = ListHeading {
            kind,
            agency: "Ủy ban nhân dân huyện Pác Nặm".into(),
            code: "066-UB".into(),
            name: "Phông Ủy ban nhân dân huyện Pác Nặm".into(),
            stats: ListStats::gather(&mut &rows[..]).expect("stats"),
            unit_end: None,
            verification: None,
        };
        let (bytes, n) = pdf::write_list(&heading, &mut &rows[..]).expect("pdf");
        assert_eq!(n, 4);
        let Some(text) = pdftotext(&bytes) else {
            return;
        };
        for code in CODES {
            let line = text.lines().find(|l| l.contains(code));
            assert!(line.is_some(), "{kind:?}: {code} is broken in:\n{text}");
        }
    }
}

/// A list printed with its verification address ends with it beside its QR code.
#[test]
fn a_list_with_a_verification_address_prints_it() {
    let rows = rows();
    let url = "https://bangiao.example/xac-minh/ml-3036362d5542-77-abababababababab";
    let heading = ListHeading {
        kind: ListKind::Fonds,
        agency: "Ủy ban nhân dân huyện Pác Nặm".into(),
        code: "066-UB".into(),
        name: "Phông Ủy ban nhân dân huyện Pác Nặm".into(),
        stats: ListStats::gather(&mut &rows[..]).expect("stats"),
        unit_end: None,
        verification: Some(url.to_owned()),
    };
    let (with, _) = pdf::write_list(&heading, &mut &rows[..]).expect("pdf");
    let (without, _) = pdf::write_list(
        &ListHeading {
            verification: None,
            ..heading
        },
        &mut &rows[..],
    )
    .expect("pdf");
    assert!(with.len() > without.len(), "the QR code adds to the page");
    let Some(text) = pdftotext(&with) else {
        return;
    };
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains(url), "{text}");
    assert!(text.contains("Xác minh bản in của mục lục này"), "{text}");
}

/// A transfer's minutes name both sides, the fonds, the steps with their dates, the counts and
/// every rejected file with its reason.
#[test]
fn a_transfers_minutes_name_its_counts_and_rejections() {
    let transfer = bangiao_projections::query::acts::TransferRow {
        transfer_id: "0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        fonds_code: "066-UB".into(),
        batch_id: None,
        transferring: "UBND-066".into(),
        archive: "LTLS-19".into(),
        declared_kind: "state".into(),
        status: "accepted".into(),
        registered_on: NaiveDate::from_ymd_opt(2025, 7, 10).expect("date"),
        appraised_on: NaiveDate::from_ymd_opt(2025, 7, 20),
        outcome: Some("approved".into()),
        accepted_on: NaiveDate::from_ymd_opt(2025, 8, 1),
        listed_files: 40,
        accepted: Some(38),
        rejected: Some(serde_json::json!([
            ["000.00.66.H06.2003.07", "Hồ sơ bị mốc, không đọc được"],
            ["000.00.66.H06.2003.09", null]
        ])),
    };
    let fonds = pdf::TransferredFonds {
        name: "Phông Ủy ban nhân dân huyện Pác Nặm",
        creator: "Ủy ban nhân dân huyện Pác Nặm",
    };
    let bytes = pdf::write_transfer_minutes(&transfer, &fonds).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let Some(text) = pdftotext(&bytes) else {
        return;
    };
    for expected in [
        "Về việc giao nhận tài liệu nộp lưu",
        "BÊN GIAO NỘP: UBND-066",
        "LTLS-19",
        "Mã phông: 066-UB",
        "Đăng ký nộp lưu ngày 10/07/2025",
        "Thu nhận ngày 01/08/2025",
        "Trong Mục lục hồ sơ nộp lưu: 40 hồ sơ",
        "Được thu nhận: 38 hồ sơ",
        "Bị từ chối: 2 hồ sơ",
        "000.00.66.H06.2003.07: Hồ sơ bị mốc, không đọc được",
        "000.00.66.H06.2003.09: (không ghi lý do)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

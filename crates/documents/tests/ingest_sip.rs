//! Ingest of E-ARK submission packages: a SIP exported from the demo's accepted transfer passes
//! every check and, ingested into a fresh fonds of the same creator, gives the same files with
//! the same metadata and its copies with their checksums; ingesting it again records nothing.
//! Packages broken by hand are refused whole, each with its problem code, and record nothing:
//! a missing file, a copy whose bytes no longer match its checksum, a METS that is not well
//! formed or lacks what CSIP requires, a path that climbs out (an entry and a METS location),
//! and ZIP bombs (a high ratio, an entry count over the limit). Also: the E-ARK validator does
//! not compare checksums with the bytes, so only the ingest refuses a changed checksum.

#[allow(dead_code)]
mod export_support;

use std::io::{Cursor, Read, Write};

use bangiao_app::Service;
use bangiao_app::handler::CommandMeta;
use bangiao_documents::export::ExportError;
use bangiao_documents::export::eark::{self, CopyRef, PackageKind, transfer};
use bangiao_documents::import::ImportOptions;
use bangiao_documents::import::sip::{self, Checked, SipLimits};
use bangiao_domain::fonds::OpenFonds;
use bangiao_domain::unit::{RegisterUnit, UnitDetails};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
    UnitLevel, UnitType,
};
use bangiao_projections::ReadModel;
use bangiao_projections::query::acts;
use bangiao_projections::query::inventory::{self, FileRow, Filter, ProcessList, Scope};
use bangiao_store::{EventStore, MemoryStore};
use chrono::{NaiveDate, TimeZone, Utc};
use export_support::{demo, eark_validate, eark_validator};
use proptest::prelude::*;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

const FONDS: &str = "066-UB";
const ORGAN: &str = "000.00.66.H06";

fn copy_bytes(file_code: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    for i in 0..100 {
        out.extend_from_slice(format!("{file_code} trang {i}\n").as_bytes());
    }
    out
}

fn generated(_: &Connection, row: &FileRow) -> Result<Vec<CopyRef>, ExportError> {
    let bytes = copy_bytes(&row.file_code);
    Ok(vec![CopyRef {
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
        mime: "application/pdf".to_owned(),
        name: "ban-quet.pdf".to_owned(),
    }])
}

fn accepted_transfer() -> String {
    demo()
        .read
        .readers()
        .with_blocking(|c| acts::transfers(c, Some(FONDS), Some("accepted")))
        .expect("transfers")
        .first()
        .map(|t| t.transfer_id.clone())
        .expect("the accepted transfer")
}

/// The SIP of the demo's accepted transfer, each file with one generated scan.
fn sip_zip() -> Vec<u8> {
    let id = accepted_transfer();
    let package = demo()
        .read
        .readers()
        .with_blocking(move |c| {
            let created = Utc
                .with_ymd_and_hms(2025, 8, 20, 9, 30, 0)
                .single()
                .expect("time");
            transfer::package(
                c,
                &id,
                PackageKind::Sip,
                created,
                &Filter::default(),
                &generated,
            )
        })
        .expect("the SIP's metadata");
    let source = |copy: &CopyRef| -> std::io::Result<Box<dyn Read + Send>> {
        let file = package_file(copy);
        Ok(Box::new(Cursor::new(copy_bytes(&file))))
    };
    let (_, bytes) = eark::write(&package, &source, Vec::new()).expect("the SIP");
    bytes
}

/// The file code whose generated copy has this checksum (every copy is named by its file).
fn package_file(copy: &CopyRef) -> String {
    let codes: Vec<String> = demo()
        .read
        .readers()
        .with_blocking(|c| {
            let id = acts::transfers(c, Some(FONDS), Some("accepted"))?
                .first()
                .map(|t| t.transfer_id.clone())
                .unwrap_or_default();
            Ok::<_, ExportError>(
                inventory::listed_in(c, ProcessList::Transfer, &id, &Filter::default())?
                    .into_iter()
                    .map(|r| r.file_code)
                    .collect(),
            )
        })
        .expect("codes");
    codes
        .into_iter()
        .find(|code| hex::encode(Sha256::digest(copy_bytes(code))) == copy.sha256)
        .expect("a file of the transfer")
}

/// The entries of a ZIP, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let name = entry.name().expect("name").into_owned();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("read");
            (name, data)
        })
        .collect()
}

/// A ZIP of these entries (names ending in `/` are folders).
fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, data) in entries {
        if name.ends_with('/') {
            zip.add_directory(name.as_str(), options).expect("dir");
        } else {
            zip.start_file(name.as_str(), options).expect("entry");
            zip.write_all(data).expect("write");
        }
    }
    zip.finish().expect("finish").into_inner()
}

fn codes(checked: &Checked) -> Vec<String> {
    match checked {
        Checked::Accepted(_) => Vec::new(),
        Checked::Refused(problems) => problems.iter().map(|p| p.code.clone()).collect(),
    }
}

fn check(bytes: Vec<u8>) -> Checked {
    sip::check(Cursor::new(bytes), &SipLimits::default())
}

/// The SIP with its entries changed by `edit`.
fn edited(edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut entries = unzip(&sip_zip());
    edit(&mut entries);
    rezip(&entries)
}

fn first_copy(entries: &[(String, Vec<u8>)]) -> usize {
    entries
        .iter()
        .position(|(n, _)| n.contains("/data/") && n.ends_with(".pdf"))
        .expect("a copy")
}

#[test]
fn our_sip_passes_every_check_with_its_files_and_copies() {
    let Checked::Accepted(ingest) = check(sip_zip()) else {
        panic!("refused: {:?}", codes(&check(sip_zip())));
    };
    assert_eq!(ingest.package_type, "SIP");
    assert!(ingest.objid.starts_with("urn:066-UB:uuid-"));
    assert_eq!(ingest.fonds_code.as_deref(), Some(FONDS));
    assert!(!ingest.files.is_empty());
    assert_eq!(ingest.copies.len(), ingest.files.len());
    for copy in &ingest.copies {
        assert_eq!(
            copy.sha256,
            hex::encode(Sha256::digest(copy_bytes(&copy.file_code)))
        );
    }
}

#[test]
fn a_missing_file_is_refused() {
    let bytes = edited(|entries| {
        let i = first_copy(entries);
        entries.remove(i);
    });
    assert_eq!(codes(&check(bytes)), ["missing_file"]);
}

#[test]
fn a_changed_checksum_is_refused_by_the_ingest_though_the_validator_passes_it() {
    let bytes = edited(|entries| {
        let i = first_copy(entries);
        let last = entries[i].1.len() - 1;
        entries[i].1[last] ^= 1;
    });
    assert_eq!(codes(&check(bytes)), ["checksum_mismatch"]);
    // The validator reads the METS, never the bytes: an AIP whose METS declares a wrong
    // checksum still comes out VALID (eark-validator 1.1.3), so the refusal is the ingest's.
    if let Some(validator) = eark_validator() {
        let dir = tempfile::tempdir().expect("dir");
        let zip = dir.path().join("aip.zip");
        let package = demo()
            .read
            .readers()
            .with_blocking(|c| {
                let id = acts::transfers(c, Some(FONDS), Some("accepted"))?
                    .first()
                    .map(|t| t.transfer_id.clone())
                    .unwrap_or_default();
                transfer::package(
                    c,
                    &id,
                    PackageKind::Aip,
                    Utc::now(),
                    &Filter::default(),
                    &transfer::no_copies,
                )
            })
            .expect("the AIP");
        let (_, bytes) = eark::write(&package, &eark::NoCopies, Vec::new()).expect("zip");
        let mut entries = unzip(&bytes);
        let pdf = entries
            .iter()
            .position(|(n, _)| n.ends_with(".pdf"))
            .expect("the PDF");
        let last = entries[pdf].1.len() - 2;
        entries[pdf].1[last] ^= 1;
        std::fs::write(&zip, rezip(&entries)).expect("write");
        let (_, text) = eark_validate(&validator, &zip);
        println!("validator on an AIP with one checksum changed: {text}");
        let refused = codes(&check(std::fs::read(&zip).expect("read")));
        assert_eq!(refused, ["checksum_mismatch"]);
    }
}

#[test]
fn a_mets_that_is_not_well_formed_or_lacks_csip_elements_is_refused() {
    let broken = edited(|entries| {
        let i = entries
            .iter()
            .position(|(n, _)| n.matches('/').count() == 1 && n.ends_with("/METS.xml"))
            .expect("root METS");
        let half = entries[i].1.len() / 2;
        entries[i].1.truncate(half);
    });
    assert_eq!(codes(&check(broken)), ["mets_invalid"]);
    let no_objid = edited(|entries| {
        let i = entries
            .iter()
            .position(|(n, _)| n.matches('/').count() == 1 && n.ends_with("/METS.xml"))
            .expect("root METS");
        let text = String::from_utf8(entries[i].1.clone()).expect("UTF-8");
        entries[i].1 = text.replacen(" OBJID=", " XOBJID=", 1).into_bytes();
    });
    assert_eq!(codes(&check(no_objid)), ["mets_invalid"]);
    let no_mets = edited(|entries| {
        entries.retain(|(n, _)| !(n.matches('/').count() == 1 && n.ends_with("/METS.xml")));
    });
    assert_eq!(codes(&check(no_mets)), ["missing_mets"]);
}

#[test]
fn a_path_that_climbs_out_is_refused() {
    let entry = edited(|entries| entries.push(("../escaped.txt".to_owned(), b"x".to_vec())));
    assert_eq!(codes(&check(entry)), ["path_escape"]);
    let location = edited(|entries| {
        let i = entries
            .iter()
            .position(|(n, _)| n.ends_with("representations/rep1/METS.xml"))
            .expect("rep METS");
        let text = String::from_utf8(entries[i].1.clone()).expect("UTF-8");
        let start = text.find("xlink:href=\"data/").expect("a copy location") + 12;
        let mut changed = text.clone();
        changed.insert_str(start, "../../../../");
        entries[i].1 = changed.into_bytes();
        // The root METS declares the representation METS's checksum: keep it right so that
        // only the location is wrong.
        let sha = hex::encode(Sha256::digest(&entries[i].1));
        let size = entries[i].1.len();
        let old_sha = hex::encode(Sha256::digest(text.as_bytes()));
        let root = entries
            .iter()
            .position(|(n, _)| n.matches('/').count() == 1 && n.ends_with("/METS.xml"))
            .expect("root METS");
        let root_text = String::from_utf8(entries[root].1.clone()).expect("UTF-8");
        entries[root].1 = root_text
            .replace(&old_sha, &sha)
            .replace(
                &format!("SIZE=\"{}\"", text.len()),
                &format!("SIZE=\"{size}\""),
            )
            .into_bytes();
    });
    assert_eq!(codes(&check(location)), ["path_escape"]);
}

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("p/METS.xml", options).expect("entry");
    zip.write_all(&vec![b' '; 64 * 1024 * 1024]).expect("write");
    let bomb = zip.finish().expect("finish").into_inner();
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    assert_eq!(codes(&check(bomb)), ["zip_bomb"]);
    let few = SipLimits {
        max_entries: 5,
        ..SipLimits::default()
    };
    let many = sip::check(Cursor::new(sip_zip()), &few);
    assert_eq!(codes(&many), ["zip_bomb"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any entry name that is absolute, has a drive letter or a backslash, or a `..` part, is
    /// refused as a path escape, whatever else the package holds.
    #[test]
    fn entry_names_that_escape_are_refused(
        parts in prop::collection::vec("[a-z]{1,6}", 0..3),
        kind in 0usize..4,
    ) {
        let tail = parts.join("/");
        let name = match kind {
            0 => format!("/{tail}x"),
            1 => format!("p/../{tail}x"),
            2 => format!("C:/{tail}x"),
            _ => format!("p\\{tail}x"),
        };
        let bytes = rezip(&[
            ("p/METS.xml".to_owned(), b"<x/>".to_vec()),
            (name, b"x".to_vec()),
        ]);
        prop_assert_eq!(codes(&check(bytes)), vec!["path_escape".to_owned()]);
    }
}

/// The global position of the last event of the store (0 when empty).
async fn last_position(service: &Service<MemoryStore>) -> u64 {
    let mut from = 0;
    loop {
        let page = service.store().read_all(from, 1000).await.expect("read");
        match page.last() {
            Some(last) => from = last.position + 1,
            None => return from,
        }
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A province, a district, and the district's fonds opened, empty, in a fresh store.
async fn fresh_fonds(service: &Service<MemoryStore>) {
    let meta = || CommandMeta::new(uuid::Uuid::now_v7());
    let basis = LegalBasis {
        number: DocumentNumber::parse("56/2003/NĐ-CP").expect("valid"),
        issued_on: day(2003, 5, 28),
        issuer: Name::parse("Chính phủ").expect("valid"),
        title: None,
    };
    for (code, name, level, kind, parent) in [
        (
            "19",
            "Tỉnh Thái Nguyên",
            UnitLevel::Province,
            UnitType::Province,
            None,
        ),
        (
            "066",
            "Huyện Pác Nặm",
            UnitLevel::District,
            UnitType::District,
            Some("19"),
        ),
    ] {
        let unit = RegisterUnit {
            code: UnitCode::parse(code).expect("valid"),
            details: UnitDetails {
                name: Name::parse(name).expect("valid"),
                level,
                unit_type: kind,
                parent: parent.map(|p| UnitCode::parse(p).expect("valid")),
                parent_level: None,
                parent_lifespan: None,
            },
            valid_from: day(2003, 5, 28),
            legal_basis: basis.clone(),
        };
        service
            .register_unit(unit, &meta())
            .await
            .expect("the unit registers");
    }
    let fonds = FondsCode::parse(FONDS).expect("valid");
    let open = OpenFonds {
        fonds_code: fonds.clone(),
        name: Name::parse("Phông Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse(ORGAN).expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("LTLS-19").expect("valid"),
        opened_on: day(1990, 1, 1),
        unit_ended_on: None,
    };
    service
        .fonds_command(&fonds, open.into(), &meta())
        .await
        .expect("the fonds opens");
}

/// What the package carries of a file and must arrive the same.
fn line(
    r: &FileRow,
) -> (
    String,
    String,
    NaiveDate,
    NaiveDate,
    String,
    String,
    Option<String>,
    Option<u32>,
) {
    (
        r.file_code.clone(),
        r.title.clone(),
        r.start_date,
        r.end_date,
        bangiao_documents::export::labels::retention(r),
        r.access.clone(),
        r.box_number.clone(),
        r.sheets,
    )
}

#[tokio::test]
async fn a_sip_exported_here_ingests_there_with_the_same_files_and_nothing_twice() {
    let service = Service::new(MemoryStore::new());
    fresh_fonds(&service).await;
    let before = last_position(&service).await;
    // A refused package records nothing.
    let broken = edited(|entries| {
        let i = first_copy(entries);
        entries.remove(i);
    });
    let report = sip::ingest(
        &service,
        Cursor::new(broken),
        None,
        &SipLimits::default(),
        &ImportOptions::default(),
    )
    .await
    .expect("checked");
    assert!(report.refused);
    assert_eq!(report.problems[0].code, "missing_file");
    assert_eq!(last_position(&service).await, before);
    // The whole package records every file.
    let report = sip::ingest(
        &service,
        Cursor::new(sip_zip()),
        None,
        &SipLimits::default(),
        &ImportOptions::default(),
    )
    .await
    .expect("ingested");
    assert!(!report.refused, "{report:?}");
    let imported = report.import.as_ref().expect("the import");
    assert_eq!(imported.files_recorded, report.files);
    assert_eq!(report.copies.len() as u64, report.files);
    let dir = tempfile::tempdir().expect("dir");
    let read = ReadModel::open(dir.path().join("readmodel.db")).expect("read model");
    read.catch_up(service.store()).await.expect("projected");
    let there: Vec<FileRow> = read
        .readers()
        .with_blocking(|c| {
            let mut rows = Vec::new();
            inventory::for_each(
                c,
                &Scope::Fonds(FONDS.to_owned()),
                &Filter::default(),
                |r| {
                    rows.push(r);
                    true
                },
            )?;
            Ok::<_, ExportError>(rows)
        })
        .expect("rows");
    let id = accepted_transfer();
    let here: Vec<FileRow> = demo()
        .read
        .readers()
        .with_blocking(move |c| {
            inventory::listed_in(c, ProcessList::Transfer, &id, &Filter::default())
                .map_err(ExportError::from)
        })
        .expect("rows");
    let mut a: Vec<_> = here.iter().map(line).collect();
    let mut b: Vec<_> = there.iter().map(line).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // Again: every file is already there, nothing is written.
    let after = last_position(&service).await;
    let again = sip::ingest(
        &service,
        Cursor::new(sip_zip()),
        None,
        &SipLimits::default(),
        &ImportOptions::default(),
    )
    .await
    .expect("ingested");
    let imported = again.import.expect("the import");
    assert_eq!(imported.files_recorded, 0);
    assert_eq!(imported.rows_present, report.files);
    assert_eq!(last_position(&service).await, after);
}

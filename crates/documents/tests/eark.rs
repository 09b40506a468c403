//! E-ARK packages of the demo's transfers, checked by the E-ARK validator
//! (`../shared/tools/eark-validate/eark_validate.py`, CSIP/SIP 2.0.4): the AIP passes it whole
//! (VALID, exit 0); every SIP passes its structure, METS schema and every CSIP rule, and fails
//! only SIP14, which no SIP can pass: the rule wants an unqualified `NOTETYPE` attribute on the
//! software agent's note, which the METS schema forbids, while CSIP15/16 want that same note to
//! exist typed `csip:NOTETYPE="SOFTWARE VERSION"` (see docs/benchmarks.md "E-ARK packages" and
//! the module documentation of `export::eark`). Also: copies stream through with their
//! checksums checked, a copy whose bytes differ from its declared checksum stops the export,
//! and no AIP is made before the archive accepts the transfer.

#[allow(dead_code)]
mod export_support;

use std::io::{Cursor, Read};
use std::path::Path;

use bangiao_documents::export::ExportError;
use bangiao_documents::export::eark::{self, CopyRef, NoCopies, PackageKind, transfer};
use bangiao_projections::query::acts::{self, TransferRow};
use bangiao_projections::query::inventory::{FileRow, Filter};
use chrono::{TimeZone, Utc};
use export_support::{demo, eark_validate, eark_validator};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const FONDS: &str = "066-UB";

fn transfer_with(status: &str) -> TransferRow {
    let status = status.to_owned();
    demo()
        .read
        .readers()
        .with_blocking(move |c| acts::transfers(c, Some(FONDS), Some(&status)))
        .expect("transfers")
        .first()
        .cloned()
        .expect("a transfer of the demo")
}

fn created() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 8, 20, 9, 30, 0)
        .single()
        .expect("time")
}

/// The bytes of the generated copy of a file: a few KB derived from its code.
fn copy_bytes(file_code: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    for i in 0..200 {
        out.extend_from_slice(format!("{file_code} trang {i}\n").as_bytes());
    }
    out
}

/// Every file of the transfer has one generated scan.
fn generated(_: &Connection, row: &FileRow) -> Result<Vec<CopyRef>, ExportError> {
    let bytes = copy_bytes(&row.file_code);
    Ok(vec![CopyRef {
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
        mime: "application/pdf".to_owned(),
        name: "ban-quet.pdf".to_owned(),
    }])
}

/// The source of the generated copies, by checksum.
fn source(files: &[eark::PackageFile]) -> impl eark::CopySource {
    let by_sha: std::collections::HashMap<String, Vec<u8>> = files
        .iter()
        .map(|f| {
            let bytes = copy_bytes(&f.file_code);
            (hex::encode(Sha256::digest(&bytes)), bytes)
        })
        .collect();
    move |copy: &CopyRef| -> std::io::Result<Box<dyn Read + Send>> {
        let bytes = by_sha
            .get(&copy.sha256)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such copy"))?;
        Ok(Box::new(Cursor::new(bytes)))
    }
}

fn build(
    id: &str,
    kind: PackageKind,
    copies: &'static transfer::CopiesOf,
) -> Result<eark::Package, ExportError> {
    let id = id.to_owned();
    demo().read.readers().with_blocking(move |c| {
        transfer::package(c, &id, kind, created(), &Filter::default(), copies)
    })
}

async fn aip(id: &str, copies: &'static transfer::CopiesOf) -> eark::Package {
    let mut package = build(id, PackageKind::Aip, copies).expect("the AIP's metadata");
    transfer::add_preservation(&demo().store, &mut package, id, &[])
        .await
        .expect("the AIP's PREMIS");
    package
}

fn write_zip(package: &eark::Package, source: &dyn eark::CopySource, path: &Path) {
    let file = std::fs::File::create(path).expect("zip file");
    eark::write(package, source, std::io::BufWriter::new(file)).expect("the package");
}

/// The validator's verdict on a SIP: structure and schema valid, and the only error SIP14
/// (on the software agent's note).
fn assert_sip_verdict(validator: &Path, zip: &Path) {
    let (code, text) = eark_validate(validator, zip);
    assert!(
        text.contains("structure=WellFormed schema=VALID schematron=INVALID"),
        "{text}"
    );
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("ERROR"))
        .collect();
    assert_eq!(errors.len(), 1, "only SIP14:\n{text}");
    assert!(
        errors[0].trim_start().starts_with("ERROR SIP14 ") && errors[0].contains("'note'"),
        "{text}"
    );
    assert_eq!(code, 1, "{text}");
}

fn entries(zip: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).expect("open")).expect("zip");
    (0..archive.len())
        .map(|i| {
            archive
                .by_index(i)
                .expect("entry")
                .name()
                .expect("a UTF-8 name")
                .into_owned()
        })
        .collect()
}

fn entry(zip: &Path, suffix: &str) -> Vec<u8> {
    let name = entries(zip)
        .into_iter()
        .filter(|n| n.ends_with(suffix))
        .min_by_key(String::len)
        .unwrap_or_else(|| panic!("no entry {suffix}"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).expect("open")).expect("zip");
    let mut out = Vec::new();
    archive
        .by_name(&name)
        .expect("entry")
        .read_to_end(&mut out)
        .expect("read");
    out
}

#[test]
fn a_paper_only_sip_has_an_empty_representation_and_passes_every_rule_but_sip14() {
    let pending = transfer_with("appraised");
    let package = build(&pending.transfer_id, PackageKind::Sip, &transfer::no_copies)
        .expect("the SIP of the transfer not yet accepted");
    assert!(package.files.iter().all(|f| f.copies.is_empty()));
    assert_eq!(package.files.len() as u64, pending.listed_files);
    assert!(package.objid.starts_with(&format!("urn:{FONDS}:uuid-")));
    let dir = tempfile::tempdir().expect("dir");
    let zip = dir.path().join("sip.zip");
    write_zip(&package, &NoCopies, &zip);
    let names = entries(&zip);
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("representations/rep1/data/"))
    );
    assert!(
        names
            .iter()
            .all(|n| !n.contains("/data/") || n.ends_with("/data/"))
    );
    let mets = String::from_utf8(entry(&zip, "/METS.xml")).expect("UTF-8");
    assert!(mets.contains(r#"csip:OAISPACKAGETYPE="SIP""#));
    assert!(mets.contains(&format!(
        r#"<mets:altRecordID TYPE="SUBMISSIONAGREEMENT">bangiao:transfer:{}</mets:altRecordID>"#,
        pending.transfer_id
    )));
    let ead = String::from_utf8(entry(&zip, "metadata/descriptive/ead3.xml")).expect("UTF-8");
    assert_eq!(
        ead.matches(r#"<c level="file">"#).count() as u64,
        pending.listed_files
    );
    assert!(entry(&zip, ".pdf").starts_with(b"%PDF-"));
    if let Some(validator) = eark_validator() {
        assert_sip_verdict(&validator, &zip);
    }
}

#[test]
fn a_sip_with_copies_carries_each_copy_with_its_checksum() {
    let accepted = transfer_with("accepted");
    let package =
        build(&accepted.transfer_id, PackageKind::Sip, &generated).expect("the SIP's metadata");
    let dir = tempfile::tempdir().expect("dir");
    let zip = dir.path().join("sip.zip");
    let source = source(&package.files);
    write_zip(&package, &source, &zip);
    let rep = String::from_utf8(entry(&zip, "representations/rep1/METS.xml")).expect("UTF-8");
    for file in &package.files {
        let bytes = copy_bytes(&file.file_code);
        let sha = hex::encode(Sha256::digest(&bytes));
        assert!(rep.contains(&format!(r#"CHECKSUM="{sha}""#)), "{sha}");
        let path = format!(
            "representations/rep1/data/{}/ban-quet.pdf",
            eark::safe_name(&file.file_code)
        );
        assert_eq!(entry(&zip, &path), bytes);
        assert!(rep.contains(&format!(r#"LABEL="{}""#, file.file_code)));
    }
    if let Some(validator) = eark_validator() {
        assert_sip_verdict(&validator, &zip);
    }
}

#[test]
fn a_copy_whose_bytes_differ_from_its_checksum_stops_the_export() {
    let accepted = transfer_with("accepted");
    let package =
        build(&accepted.transfer_id, PackageKind::Sip, &generated).expect("the SIP's metadata");
    let wrong = |_: &CopyRef| -> std::io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(Cursor::new(b"not the scan".to_vec())))
    };
    let error = eark::write(&package, &wrong, Vec::new()).expect_err("refused");
    let text = error.to_string();
    assert!(text.contains("bản sao") && text.contains("copy"), "{text}");
}

#[tokio::test]
async fn the_aip_of_the_accepted_transfer_is_valid_and_carries_its_custody_history() {
    let accepted = transfer_with("accepted");
    let package = aip(&accepted.transfer_id, &generated).await;
    assert_eq!(
        package.files.len() as u64,
        accepted.accepted.expect("accepted count"),
        "the AIP holds the accepted files only"
    );
    let dir = tempfile::tempdir().expect("dir");
    let zip = dir.path().join("aip.zip");
    let source = source(&package.files);
    write_zip(&package, &source, &zip);
    let mets = String::from_utf8(entry(&zip, "/METS.xml")).expect("UTF-8");
    assert!(mets.contains(r#"csip:OAISPACKAGETYPE="AIP""#));
    assert!(mets.contains(r#"MDTYPE="PREMIS""#));
    let premis = String::from_utf8(entry(&zip, "metadata/preservation/premis.xml")).expect("UTF-8");
    assert!(premis.contains(">information package creation</eventType>"));
    assert!(premis.contains(&transfer::sip_objid(FONDS, &accepted.transfer_id)));
    assert!(
        premis.contains("giving side (bên giao)") && premis.contains("receiving side (bên nhận)")
    );
    assert!(premis.contains(&format!("mã: {}", accepted.transfer_id)));
    let rep_premis = String::from_utf8(entry(
        &zip,
        "representations/rep1/metadata/preservation/premis.xml",
    ))
    .expect("UTF-8");
    assert!(rep_premis.contains("<premis"));
    if let Some(validator) = eark_validator() {
        let (code, text) = eark_validate(&validator, &zip);
        assert!(text.starts_with("VALID "), "{text}");
        assert_eq!(code, 0, "{text}");
    }
}

#[test]
fn no_aip_before_the_archive_accepts_the_transfer() {
    let pending = transfer_with("appraised");
    let error =
        build(&pending.transfer_id, PackageKind::Aip, &transfer::no_copies).expect_err("refused");
    assert!(matches!(error, ExportError::NotAccepted(_)), "{error}");
}

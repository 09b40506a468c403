//! E-ARK packages over HTTP, on the demo scenario: the SIP and the AIP of the accepted transfer
//! stream as ZIPs that pass the ingest's checks (the AIP with its PREMIS), no AIP before
//! acceptance (409), and the SIP taken by `POST /api/v1/fonds/{code}/sip` into another
//! service's fonds of the same creator: a broken package refused with its problem code and
//! nothing recorded, the whole one recorded (201), the same again recording nothing (200).

mod support;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bangiao_app::handler::CommandMeta;
use bangiao_auth::Role;
use bangiao_content::{Blobs, PutLimits};
use bangiao_documents::import::sip::{self, Checked, SipLimits};
use bangiao_domain::DomainEvent;
use bangiao_domain::fixity::{
    FixityChecked, FixityEvent, FixityResult, FixityRunCompleted, FixityVerdict,
};
use bangiao_domain::fonds::{AttachCopy, OpenFonds};
use bangiao_domain::unit::{RegisterUnit, UnitDetails};
use bangiao_domain::values::{
    CustodianId, DocumentNumber, FondsCode, FondsKind, LegalBasis, Name, OrganId, UnitCode,
    UnitLevel, UnitType,
};
use bangiao_projections::query::acts;
use bangiao_projections::query::inventory::{self, Filter, Scope};
use bangiao_server::{HttpConfig, router};
use bangiao_store::{AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const INSPECTOR: &str = "bg_packages-test-inspector-reads-all-000000000";
const ARCHIVIST: &str = "bg_packages-test-archivist-of-ltls-19-00000000";

async fn call(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let response = app.clone().oneshot(request).await.expect("answered");
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, kind, body.to_vec())
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {INSPECTOR}"))
        .body(Body::empty())
        .expect("request")
}

fn post(path: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {ARCHIVIST}"))
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(body))
        .expect("request")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A service holding only the district's fonds 066-UB (creator 000.00.66.H06), empty, kept by
/// the provincial archive LTLS-19.
async fn receiving() -> (tempfile::TempDir, bangiao_server::AppState) {
    let (dir, store, state) = support::service(HttpConfig::default());
    support::issue(
        &store,
        ARCHIVIST,
        "luutru.19",
        Role::Archivist,
        Some("LTLS-19"),
    )
    .await;
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
        state
            .service
            .register_unit(unit, &meta())
            .await
            .expect("the unit registers");
    }
    let fonds = FondsCode::parse("066-UB").expect("valid");
    let open = OpenFonds {
        fonds_code: fonds.clone(),
        name: Name::parse("Phông Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        kind: FondsKind::State,
        creator_organ_id: OrganId::parse("000.00.66.H06").expect("valid"),
        creator_name: Name::parse("Ủy ban nhân dân huyện Pác Nặm").expect("valid"),
        unit_code: UnitCode::parse("066").expect("valid"),
        custodian: CustodianId::parse("LTLS-19").expect("valid"),
        opened_on: day(1990, 1, 1),
        unit_ended_on: None,
    };
    state
        .service
        .fonds_command(&fonds, open.into(), &meta())
        .await
        .expect("the fonds opens");
    state.read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    (dir, state)
}

#[tokio::test]
async fn the_packages_of_a_transfer_stream_and_ingest_elsewhere() {
    let (_dir, store, state) = support::service(HttpConfig::default());
    support::issue(&store, INSPECTOR, "thanhtra.test", Role::Inspector, None).await;
    bangiao_app::demo::load_demo(&state.service, &mut |_| {})
        .await
        .expect("demo");
    state.read.catch_up(&store).await.expect("projected");
    state.mark_caught_up();
    let transfers = state
        .read
        .readers()
        .with_blocking(|c| acts::transfers(c, Some("066-UB"), None))
        .expect("transfers");
    let accepted = transfers
        .iter()
        .find(|t| t.status == "accepted")
        .expect("an accepted transfer");
    let pending = transfers
        .iter()
        .find(|t| t.status != "accepted")
        .expect("a transfer not yet accepted");
    let app = router(state.clone());

    let (status, kind, sip_zip) = call(
        &app,
        get(&format!("/api/v1/transfers/{}/sip", accepted.transfer_id)),
    )
    .await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let Checked::Accepted(ingest) = sip::check(Cursor::new(sip_zip.clone()), &SipLimits::default())
    else {
        panic!("our SIP fails our own checks");
    };
    assert_eq!(ingest.package_type, "SIP");
    assert_eq!(ingest.files.len() as u64, accepted.listed_files);

    let (status, _, aip_zip) = call(
        &app,
        get(&format!("/api/v1/transfers/{}/aip", accepted.transfer_id)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let Checked::Accepted(aip) = sip::check(Cursor::new(aip_zip), &SipLimits::default()) else {
        panic!("our AIP fails our own checks");
    };
    assert_eq!(aip.package_type, "AIP");
    assert_eq!(Some(aip.files.len() as u64), accepted.accepted);

    let (status, _, body) = call(
        &app,
        get(&format!("/api/v1/transfers/{}/aip", pending.transfer_id)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let problem: Value = serde_json::from_slice(&body).expect("problem");
    assert_eq!(problem["code"], "not_accepted");
    let (status, _, _) = call(&app, get("/api/v1/transfers/khong-co/sip")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Into another service: a broken package first, then the whole one, then again.
    let (_there_dir, there) = receiving().await;
    let there_app = router(there.clone());
    let mut broken = sip_zip.clone();
    let middle = broken.len() / 2;
    broken.truncate(middle);
    let (status, _, body) = call(&there_app, post("/api/v1/fonds/066-UB/sip", broken)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = serde_json::from_slice(&body).expect("report");
    assert_eq!(report["refused"], true);
    assert_eq!(report["problems"][0]["code"], "unreadable_package");
    assert!(report["problems"][0]["message_vi"].as_str().is_some());
    let (status, _, body) = call(
        &there_app,
        post("/api/v1/fonds/066-UB/sip", sip_zip.clone()),
    )
    .await;
    let report: Value = serde_json::from_slice(&body).expect("report");
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(report["import"]["files_recorded"], accepted.listed_files);
    let (status, _, body) = call(&there_app, post("/api/v1/fonds/066-UB/sip", sip_zip)).await;
    let report: Value = serde_json::from_slice(&body).expect("report");
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["import"]["files_recorded"], 0);
    there
        .read
        .catch_up(there.store.as_ref())
        .await
        .expect("projected");
    let recorded = there
        .read
        .readers()
        .with_blocking(|c| {
            let mut n = 0u64;
            inventory::for_each(
                c,
                &Scope::Fonds("066-UB".into()),
                &Filter::default(),
                |_| {
                    n += 1;
                    true
                },
            )?;
            Ok::<_, bangiao_projections::ProjectionError>(n)
        })
        .expect("rows");
    assert_eq!(recorded, accepted.listed_files);
}

/// The SIP of a transfer carries its files' current digital copies from the blob store, byte
/// for byte under `representations/rep1/data/`, and another service's ingest stores and
/// attaches them (once); a copy whose blob is gone stops the package before a byte is sent
/// (409 `copies_missing`), naming the file.
#[tokio::test]
async fn a_transfers_sip_carries_its_files_copies_and_refuses_when_one_is_gone() {
    let (dir, store, state) = support::service(HttpConfig::default());
    let blobs = Blobs::local(dir.path().join("blobs")).expect("blobs");
    let state = state.with_blobs(blobs.clone());
    support::issue(&store, INSPECTOR, "thanhtra.test", Role::Inspector, None).await;
    bangiao_app::demo::load_demo(&state.service, &mut |_| {})
        .await
        .expect("demo");
    state.read.catch_up(&store).await.expect("projected");
    let transfer = state
        .read
        .readers()
        .with_blocking(|c| acts::transfers(c, Some("066-UB"), None))
        .expect("transfers")
        .into_iter()
        .find(|t| t.status == "accepted")
        .expect("an accepted transfer");
    let app = router(state.clone());
    let path = format!("/api/v1/transfers/{}/sip", transfer.transfer_id);
    let (status, _, paper_only) = call(&app, get(&path)).await;
    assert_eq!(status, StatusCode::OK);
    let paper_only_bytes = paper_only.clone();
    let Checked::Accepted(paper) = sip::check(Cursor::new(paper_only), &SipLimits::default())
    else {
        panic!("our SIP fails our own checks");
    };
    assert!(paper.copies.is_empty());
    let mut sip_zip = zip::ZipArchive::new(Cursor::new(paper_only_bytes.clone())).expect("a ZIP");
    let minutes_name = sip_zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .find(|n| {
            n.ends_with(&format!(
                "documentation/bien-ban-nop-luu-{}.pdf",
                transfer.transfer_id
            ))
        })
        .expect("the transfer's minutes are in documentation/");
    let mut minutes = Vec::new();
    std::io::Read::read_to_end(
        &mut sip_zip.by_name(&minutes_name).expect("entry"),
        &mut minutes,
    )
    .expect("read");
    assert!(minutes.starts_with(b"%PDF-"));
    let file_code = paper.files[0].file_code.clone();

    let mut scan = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n".to_vec();
    scan.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    scan.extend_from_slice(b"\n%%EOF\n");
    let put = blobs
        .put(
            futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(scan.clone()))]),
            &PutLimits {
                max_bytes: 1 << 30,
                expected: None,
            },
        )
        .await
        .expect("stored");
    let copy_id = uuid::Uuid::now_v7().to_string();
    let attach: AttachCopy = serde_json::from_value(serde_json::json!({
        "file_code": file_code, "copy_id": copy_id,
        "sha256": put.digest.to_hex(), "size_bytes": put.size, "format": "pdf", "pages": 1,
        "original_name": "ban-quet.pdf", "digitised_by": "luutru.19",
        "digitised_on": "2025-08-01"}))
    .expect("a valid command");
    state
        .service
        .fonds_command(
            &FondsCode::parse("066-UB").expect("valid"),
            attach.into(),
            &CommandMeta::new(uuid::Uuid::now_v7()),
        )
        .await
        .expect("the copy attaches");
    state.read.catch_up(&store).await.expect("projected");

    let (status, _, with_copy) = call(&app, get(&path)).await;
    assert_eq!(status, StatusCode::OK);
    let Checked::Accepted(ingest) =
        sip::check(Cursor::new(with_copy.clone()), &SipLimits::default())
    else {
        panic!("the SIP with a copy fails our own checks");
    };
    assert_eq!(ingest.copies.len(), 1, "{:?}", ingest.copies);
    let copy = &ingest.copies[0];
    assert_eq!(copy.file_code, file_code);
    assert_eq!(
        (copy.sha256.as_str(), copy.size),
        (put.digest.to_hex().as_str(), put.size)
    );
    assert!(copy.path.ends_with("ban-quet.pdf"), "{}", copy.path);
    let mut zip = zip::ZipArchive::new(Cursor::new(with_copy.clone())).expect("a ZIP");
    let name = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .find(|n| n.ends_with(&copy.path))
        .expect("the copy is in the ZIP");
    let mut stored = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(&name).expect("entry"), &mut stored).expect("read");
    assert!(stored == scan, "the packaged bytes are the scan's");

    // A fixity run found the copy intact: the AIP's PREMIS records the check, at package and
    // at representation level.
    let run = uuid::Uuid::now_v7();
    let checked = FixityChecked {
        run_id: run.to_string(),
        results: vec![FixityResult {
            fonds_code: "066-UB".to_owned(),
            file_code: file_code.clone(),
            copy_id: copy_id.clone(),
            sha256: put.digest.to_hex(),
            verdict: FixityVerdict::Intact,
            actual_sha256: None,
            actual_size: None,
        }],
    };
    let now = chrono::Utc::now();
    let completed = FixityRunCompleted {
        run_id: run.to_string(),
        started_at: now,
        finished_at: now,
        sample_percent: 100,
        checked: 1,
        bytes: put.size,
        intact: 1,
        missing: 0,
        altered: 0,
    };
    let metadata = EventMetadata::recorded_now();
    let events = [FixityEvent::from(checked), FixityEvent::from(completed)]
        .iter()
        .map(|e| {
            NewEvent::new(
                uuid::Uuid::now_v7(),
                e.event_type(),
                e.schema_version(),
                e.to_payload(),
                &metadata,
            )
        })
        .collect();
    store
        .append(AppendRequest {
            stream: bangiao_domain::streams::fixity(run),
            expected: ExpectedState::NoStream,
            command_id: None,
            events,
        })
        .await
        .expect("the run is recorded");
    state.read.catch_up(&store).await.expect("projected");
    let (status, _, aip) = call(
        &app,
        get(&format!("/api/v1/transfers/{}/aip", transfer.transfer_id)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut aip = zip::ZipArchive::new(Cursor::new(aip)).expect("a ZIP");
    let premis: Vec<String> = aip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.ends_with("preservation/premis.xml"))
        .collect();
    assert_eq!(premis.len(), 2, "{premis:?}");
    for name in premis {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut aip.by_name(&name).expect("entry"), &mut xml)
            .expect("read");
        let at = xml
            .find(">fixity check<")
            .unwrap_or_else(|| panic!("{name}: {xml}"));
        let event = &xml[at..xml[at..].find("</event>").map_or(xml.len(), |e| at + e)];
        assert!(event.contains(&put.digest.to_hex()), "{name}: {event}");
        assert!(event.contains("nguyên vẹn"), "{name}: {event}");
    }

    // Another service ingests the package: the files, then the copy into its own blob store,
    // attached to the same file with the same checksum; the same package again adds nothing.
    let (there_dir, there) = receiving().await;
    let there_blobs = Blobs::local(there_dir.path().join("blobs")).expect("blobs");
    let there = there.with_blobs(there_blobs.clone());
    let there_app = router(there.clone());
    let (status, _, body) = call(
        &there_app,
        post("/api/v1/fonds/066-UB/sip", with_copy.clone()),
    )
    .await;
    let report: Value = serde_json::from_slice(&body).expect("report");
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(
        (
            report["copies_recorded"].as_u64(),
            report["copies_present"].as_u64()
        ),
        (Some(1), Some(0)),
        "{report}"
    );
    assert_eq!(
        there_blobs.size(&put.digest).await.expect("size"),
        Some(put.size)
    );
    there
        .read
        .catch_up(there.store.as_ref())
        .await
        .expect("projected");
    let copies = there
        .read
        .readers()
        .with_blocking({
            let file_code = file_code.clone();
            move |c| bangiao_projections::query::copies::of_file(c, &file_code)
        })
        .expect("copies");
    assert_eq!(copies.len(), 1);
    assert_eq!(
        (
            copies[0].sha256.as_str(),
            copies[0].size_bytes,
            copies[0].format.as_str(),
            copies[0].status.as_str()
        ),
        (put.digest.to_hex().as_str(), put.size, "pdf", "current")
    );
    let (status, _, body) = call(
        &there_app,
        post("/api/v1/fonds/066-UB/sip", with_copy.clone()),
    )
    .await;
    let report: Value = serde_json::from_slice(&body).expect("report");
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (
            report["copies_recorded"].as_u64(),
            report["copies_present"].as_u64()
        ),
        (Some(0), Some(1)),
        "{report}"
    );

    assert!(blobs.delete(&put.digest).await.expect("deleted"));
    let (status, _, body) = call(&app, get(&path)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let problem: Value = serde_json::from_slice(&body).expect("problem");
    assert_eq!(problem["code"], "copies_missing");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(&file_code),
        "{problem}"
    );
}

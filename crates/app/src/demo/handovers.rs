//! Phase 6 — handovers (bàn giao): Phòng Nội vụ's whole fonds received by the provincial
//! Department of Home Affairs with one file missing and one damaged; Bằng Thành's fonds signed
//! over to the new commune but not yet received; Nhạn Môn's only drafted; and one set of minutes
//! for three communes merging into Nghiên Loan (a batch), two received and one pending.

use std::collections::BTreeSet;

use bangiao_domain::fonds::{Batch, Discrepancy, DraftHandover, ReceiveHandover, SignHandover};
use bangiao_domain::values::{BatchId, Extent, HandoverId, LegalBasis, Note};
use bangiao_store::EventStore;
use chrono::NaiveDate;

use super::acts::{self, day};
use super::cast::{Person, SNV_19, clerk_of, custodian, head_of, snv_archivist};
use super::files::{Inventory, inventory};
use super::ids::act_id;
use super::run::{Act, Run};
use super::units::successor_of;
use super::{DemoError, DemoPhase};

/// One set of minutes for one fonds, and how far it gets.
struct Handover<'i, 'c> {
    fonds: &'i Inventory<'c>,
    /// Biên bản giao nhận.
    minutes: LegalBasis,
    receiving: String,
    receiver: Person,
    batch: Option<Batch>,
    drafted_on: NaiveDate,
    signed_on: Option<NaiveDate>,
    received_on: Option<NaiveDate>,
    discrepancies: Vec<Discrepancy>,
}

/// Acts of this phase: three for D02, two for Bằng Thành, one for Nhạn Môn, eight for the batch.
const ACTS: usize = 3 + 2 + 1 + 8;

/// The fonds of communes merging into Nghiên Loan (066N2), handed over under one set of minutes.
const BATCH: [&str; 3] = ["06605-UB", "06606-UB", "06610-UB"];

/// Plays the handovers.
pub(super) async fn play<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventories: &[Inventory<'_>],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::Handovers, ACTS);
    let home_affairs = inventory(inventories, "066-D02")?;
    let handover = Handover {
        discrepancies: discrepancies(home_affairs),
        ..to_department(home_affairs, 1)
    };
    play_one(run, handover).await?;
    let bang_thanh = to_new_commune(inventory(inventories, "06602-UB")?, 2, day(2025, 7, 8));
    play_one(
        run,
        Handover {
            received_on: None,
            ..bang_thanh
        },
    )
    .await?;
    let nhan_mon = to_new_commune(inventory(inventories, "06603-UB")?, 3, day(2025, 7, 14));
    play_one(
        run,
        Handover {
            signed_on: None,
            received_on: None,
            ..nhan_mon
        },
    )
    .await?;
    let batch = Batch {
        batch_id: BatchId::from_uuid(act_id(
            day(2025, 7, 11),
            "Biên bản giao nhận các xã sáp nhập vào xã 066N2",
        )),
        fonds_codes: BATCH
            .iter()
            .map(|code| inventory(inventories, code).map(|i| i.fonds.code.clone()))
            .collect::<Result<_, _>>()?,
    };
    let minutes = acts::minutes(
        4,
        day(2025, 7, 11),
        "Ủy ban nhân dân xã Nghiên Loan",
        "của Ủy ban nhân dân các xã Xuân La, An Thắng, Nghiên Loan",
    );
    for code in BATCH {
        let handover = to_new_commune(inventory(inventories, code)?, 4, day(2025, 7, 11));
        let pending = code == "06606-UB";
        let handover = Handover {
            minutes: minutes.clone(),
            batch: Some(batch.clone()),
            received_on: if pending { None } else { handover.received_on },
            ..handover
        };
        play_one(run, handover).await?;
    }
    Ok(())
}

/// A district department's whole fonds to the Department of Home Affairs, received.
fn to_department<'i, 'c>(fonds: &'i Inventory<'c>, number: u32) -> Handover<'i, 'c> {
    let drafted_on = day(2025, 7, 10);
    let spec = fonds.fonds;
    Handover {
        fonds,
        minutes: acts::minutes(number, drafted_on, &spec.creator, &spec.name()),
        receiving: SNV_19.to_owned(),
        receiver: snv_archivist(),
        batch: None,
        drafted_on,
        signed_on: Some(day(2025, 7, 10)),
        received_on: Some(day(2025, 7, 15)),
        discrepancies: Vec::new(),
    }
}

/// An old commune's whole fonds to the new commune it merged into, signed and received.
fn to_new_commune<'i, 'c>(
    fonds: &'i Inventory<'c>,
    number: u32,
    drafted_on: NaiveDate,
) -> Handover<'i, 'c> {
    let successor = successor_of(fonds.fonds.unit).unwrap_or("066N1");
    let receiving = format!("UBND-{successor}");
    let spec = fonds.fonds;
    Handover {
        fonds,
        minutes: acts::minutes(number, drafted_on, &spec.creator, &spec.name()),
        receiver: clerk_of(&receiving),
        receiving,
        batch: None,
        drafted_on,
        signed_on: Some(acts::after(drafted_on, 1)),
        received_on: Some(acts::after(drafted_on, 5)),
        discrepancies: Vec::new(),
    }
}

/// One file not found at the receiving check and one arrived damaged.
fn discrepancies(fonds: &Inventory<'_>) -> Vec<Discrepancy> {
    let files = &fonds.files;
    let mut found = Vec::new();
    if let Some(file) = files.get(files.len() / 2) {
        found.push(Discrepancy::Missing {
            file_code: file.code.clone(),
        });
    }
    if let Some(file) = files.get(files.len() / 5) {
        let description =
            Note::parse("Hồ sơ bị ẩm mốc, rách 12 tờ cuối; cần tu bổ trước khi phục vụ khai thác")
                .expect("a short literal");
        found.push(Discrepancy::Damaged {
            file_code: file.code.clone(),
            description,
        });
    }
    found
}

/// Drafts, signs and receives as far as the handover goes.
async fn play_one<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    handover: Handover<'_, '_>,
) -> Result<(), DemoError> {
    let fonds = handover.fonds.fonds;
    let giver = head_of(&fonds.custodian);
    let minutes = &handover.minutes;
    let name = format!("Biên bản giao nhận {} → {}", fonds.code, handover.receiving);
    let handover_id = HandoverId::from_uuid(act_id(handover.drafted_on, &name));
    let files: Vec<_> = handover.fonds.finished().collect();
    let boxes: BTreeSet<u32> = files.iter().filter_map(|f| f.box_number).collect();
    let draft = DraftHandover {
        handover_id,
        batch: handover.batch.clone(),
        giving_custodian: custodian(&fonds.custodian),
        receiving_custodian: custodian(&handover.receiving),
        giving_person: giver.id(),
        receiving_person: handover.receiver.id(),
        legal_basis: acts::dispatch_414_2025(),
        file_codes: files.iter().map(|f| f.code.clone()).collect(),
        declared_files: files.len() as u32,
        declared_extent: Extent {
            boxes: boxes.len() as u32,
            sheets: files.iter().filter_map(|f| f.sheets).sum(),
            // About eight boxes to the metre (12.5 cm a box), as the Điện Biên figures show.
            linear_mm: boxes.len() as u64 * 125,
        },
        drafted_on: handover.drafted_on,
    };
    let clerk = clerk_of(&fonds.custodian);
    let act = Act::new(format!("{name}: lập biên bản"), handover.drafted_on, &clerk).under(minutes);
    run.fonds(&act, &fonds.code, draft).await?;
    run.summary().handovers += 1;
    let Some(signed_on) = handover.signed_on else {
        return Ok(());
    };
    let sign = SignHandover {
        handover_id,
        signed_by: giver.id(),
        signed_on,
    };
    let act = Act::new(format!("{name}: bên giao ký"), signed_on, &giver).under(minutes);
    run.fonds(&act, &fonds.code, sign).await?;
    let Some(received_on) = handover.received_on else {
        return Ok(());
    };
    let receive = ReceiveHandover {
        handover_id,
        received_by: handover.receiver.id(),
        received_on,
        discrepancies: handover.discrepancies,
    };
    let act = Act::new(
        format!("{name}: bên nhận ký nhận"),
        received_on,
        &handover.receiver,
    )
    .under(minutes);
    run.fonds(&act, &fonds.code, receive).await?;
    Ok(())
}

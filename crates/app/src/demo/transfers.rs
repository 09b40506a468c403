//! Phases 4 and 7 — transfers to the provincial historical archive (nộp lưu): a small one of
//! 066-UB accepted by Bắc Kạn's archive in 2024 with one file rejected, and a larger one
//! registered with Thái Nguyên's archive in 2025 whose list is appraised but not yet accepted.

use bangiao_domain::fonds::{
    AcceptTransfer, AppraisalOutcome, AppraiseTransferList, RegisterTransfer, RejectedFile,
};
use bangiao_domain::values::{FileCode, FondsKind, Note, TransferId};
use bangiao_store::EventStore;

use super::acts::{day, document};
use super::cast::{
    LTLS_06, LTLS_19, Person, UBND_066, bac_kan_archivist, custodian, district_archivist,
    thai_nguyen_archivist,
};
use super::files::{Inventory, inventory};
use super::ids::act_id;
use super::run::{Act, Run};
use super::{DemoError, DemoPhase};

/// Files in the 2024 transfer.
const EARLY_FILES: usize = 40;

/// The transferring side, the archive, and the files of one transfer.
struct Transfer<'p> {
    name: &'static str,
    archive: &'static str,
    archivist: &'p Person,
    files: Vec<FileCode>,
}

/// The 2024 transfer of 066-UB's 2003–2005 permanent files, accepted with one file rejected.
pub(super) async fn play_early<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventories: &[Inventory<'_>],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::EarlyTransfer, 3);
    let fonds = inventory(inventories, "066-UB")?;
    let archivist = bac_kan_archivist();
    let transfer = Transfer {
        name: "Nộp lưu 066-UB năm 2024",
        archive: LTLS_06,
        archivist: &archivist,
        files: fonds
            .transferable(2003..=2005)
            .take(EARLY_FILES)
            .map(|f| f.code.clone())
            .collect(),
    };
    let registration = document(
        "48/UBND-VP",
        day(2024, 3, 8),
        "Ủy ban nhân dân huyện Pác Nặm",
        "Về việc đăng ký nộp lưu hồ sơ, tài liệu vào Lưu trữ lịch sử tỉnh Bắc Kạn",
    );
    let id = register(run, fonds, &transfer, day(2024, 3, 12), &registration).await?;
    appraise(run, fonds, &transfer, id, day(2024, 4, 5)).await?;
    let receipt = document(
        "12/BB-LTLS",
        day(2024, 5, 20),
        "Trung tâm Lưu trữ lịch sử tỉnh Bắc Kạn",
        "Biên bản thu nộp hồ sơ, tài liệu của Ủy ban nhân dân huyện Pác Nặm",
    );
    let act = Act::new(
        format!("{}: thu nộp", transfer.name),
        day(2024, 5, 20),
        &archivist,
    )
    .under(&receipt);
    let (rejected, accepted) = transfer
        .files
        .split_last()
        .map_or((None, &[][..]), |(last, rest)| (Some(last), rest));
    let rejected = rejected.map(|code| RejectedFile {
        file_code: code.clone(),
        reason: Note::parse("Hồ sơ chưa được chỉnh lý hoàn chỉnh, thiếu mục lục văn bản; trả lại cơ quan để hoàn thiện")
            .expect("a short literal"),
    });
    let accept = AcceptTransfer {
        transfer_id: id,
        accepted_by: archivist.id(),
        accepted_on: act.on,
        accepted: accepted.to_vec(),
        rejected: rejected.into_iter().collect(),
    };
    run.fonds(&act, &fonds.fonds.code, accept).await?;
    Ok(())
}

/// The 2025 transfer of 066-UB's 2006–2012 permanent files, appraised, awaiting acceptance.
pub(super) async fn play_appraisal<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventories: &[Inventory<'_>],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::Transfer, 2);
    let fonds = inventory(inventories, "066-UB")?;
    let archivist = thai_nguyen_archivist();
    let transfer = Transfer {
        name: "Nộp lưu 066-UB năm 2025",
        archive: LTLS_19,
        archivist: &archivist,
        files: fonds
            .transferable(2006..=2012)
            .map(|f| f.code.clone())
            .collect(),
    };
    let registration = document(
        "215/SNV-VTLT",
        day(2025, 8, 8),
        "Sở Nội vụ tỉnh Thái Nguyên",
        "Về việc đăng ký nộp lưu hồ sơ, tài liệu của Ủy ban nhân dân huyện Pác Nặm (cũ)",
    );
    let id = register(run, fonds, &transfer, day(2025, 8, 12), &registration).await?;
    appraise(run, fonds, &transfer, id, day(2025, 9, 5)).await
}

/// Đăng ký nộp lưu — the district archivist registers the list.
async fn register<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    fonds: &Inventory<'_>,
    transfer: &Transfer<'_>,
    on: chrono::NaiveDate,
    registration: &bangiao_domain::values::LegalBasis,
) -> Result<TransferId, DemoError> {
    let clerk = district_archivist();
    let act = Act::new(format!("{}: đăng ký", transfer.name), on, &clerk).under(registration);
    let id = TransferId::from_uuid(act_id(on, transfer.name));
    let register = RegisterTransfer {
        transfer_id: id,
        batch: None,
        transferring_custodian: custodian(UBND_066),
        archive: custodian(transfer.archive),
        declared_kind: FondsKind::State,
        file_codes: transfer.files.clone(),
        registered_by: clerk.id(),
        registered_on: on,
    };
    run.fonds(&act, &fonds.fonds.code, register).await?;
    run.summary().transfers += 1;
    Ok(id)
}

/// Thẩm định mục lục — the archive approves the list.
async fn appraise<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    fonds: &Inventory<'_>,
    transfer: &Transfer<'_>,
    id: TransferId,
    on: chrono::NaiveDate,
) -> Result<(), DemoError> {
    let act = Act::new(
        format!("{}: thẩm định mục lục", transfer.name),
        on,
        transfer.archivist,
    );
    let appraise = AppraiseTransferList {
        transfer_id: id,
        appraised_by: transfer.archivist.id(),
        appraised_on: on,
        outcome: AppraisalOutcome::Approved,
        notes: Some(
            Note::parse(&format!(
                "Mục lục hồ sơ đúng thành phần, {} hồ sơ thời hạn bảo quản vĩnh viễn; đồng ý thu nộp",
                transfer.files.len()
            ))
            .expect("a short generated sentence"),
        ),
    };
    run.fonds(&act, &fonds.fonds.code, appraise).await?;
    Ok(())
}

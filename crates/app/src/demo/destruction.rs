//! Phase 8 — destruction and holds: six expired accounting files of Phòng Tài chính - Kế hoạch
//! proposed for destruction by the Department's archivist and approved by its director (not yet
//! executed), and an inspection hold on two budget files of the same fonds.

use bangiao_domain::fonds::{ApproveDestruction, HoldReason, PlaceHold, ProposeDestruction};
use bangiao_domain::values::{DestructionId, HoldId};
use bangiao_store::EventStore;

use super::acts::{day, document};
use super::cast::{snv_archivist, snv_director};
use super::files::{Inventory, inventory};
use super::ids::act_id;
use super::run::{Act, Run};
use super::{DemoError, DemoPhase};

/// Files proposed for destruction.
const DESTROYED: usize = 6;

/// Files under the inspection hold.
const HELD: usize = 2;

/// Places the hold, then proposes and approves the destruction.
pub(super) async fn play<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    inventories: &[Inventory<'_>],
) -> Result<(), DemoError> {
    run.begin(DemoPhase::Destruction, 3);
    let finance = inventory(inventories, "066-D03")?;
    hold(run, finance).await?;
    destroy(run, finance).await
}

/// Phong tỏa — the provincial inspectorate freezes two budget settlement files.
async fn hold<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    finance: &Inventory<'_>,
) -> Result<(), DemoError> {
    let order = document(
        "215/QĐ-TTr",
        day(2025, 8, 20),
        "Thanh tra tỉnh Thái Nguyên",
        "Về việc thanh tra việc quản lý, sử dụng ngân sách huyện Pác Nặm giai đoạn 2019 - 2024",
    );
    let archivist = snv_archivist();
    let placed_on = day(2025, 8, 25);
    let act = Act::new(
        "Phong tỏa hồ sơ ngân sách 066-D03".to_owned(),
        placed_on,
        &archivist,
    )
    .under(&order);
    let files = finance
        .files
        .iter()
        .filter(|file| file.retention.is_permanent() && (2019..=2020).contains(&file.code.year()))
        .take(HELD)
        .map(|file| file.code.clone())
        .collect();
    let place = PlaceHold {
        hold_id: HoldId::from_uuid(act_id(placed_on, &act.name)),
        reason: HoldReason::Inspection,
        file_codes: files,
        legal_basis: order.clone(),
        placed_by: archivist.id(),
        placed_on,
    };
    run.fonds(&act, &finance.fonds.code, place).await?;
    run.summary().holds += 1;
    Ok(())
}

/// Đề nghị hủy, duyệt hủy — ten-year files that ended before 2014, so expired by 2024.
async fn destroy<S: EventStore + Clone>(
    run: &mut Run<'_, S>,
    finance: &Inventory<'_>,
) -> Result<(), DemoError> {
    let council = document(
        "15/BB-HĐXĐGTTL",
        day(2025, 9, 15),
        "Hội đồng xác định giá trị tài liệu Sở Nội vụ tỉnh Thái Nguyên",
        "Biên bản họp Hội đồng xác định giá trị tài liệu về tài liệu hết giá trị của Phòng Tài chính - Kế hoạch huyện Pác Nặm",
    );
    let (proposer, approver) = (snv_archivist(), snv_director());
    let proposed_on = day(2025, 9, 22);
    let name = "Hủy tài liệu hết giá trị 066-D03";
    let destruction_id = DestructionId::from_uuid(act_id(proposed_on, name));
    let files = finance
        .files
        .iter()
        .filter(|file| file.retention.years() == Some(10) && file.end < day(2014, 1, 1))
        .take(DESTROYED)
        .map(|file| file.code.clone())
        .collect();
    let propose = ProposeDestruction {
        destruction_id,
        file_codes: files,
        council_decision: council.clone(),
        proposed_by: proposer.id(),
        proposed_on,
    };
    let act = Act::new(format!("{name}: đề nghị"), proposed_on, &proposer).under(&council);
    run.fonds(&act, &finance.fonds.code, propose).await?;
    run.summary().destructions += 1;
    let approved_on = day(2025, 10, 6);
    let approve = ApproveDestruction {
        destruction_id,
        approved_by: approver.id(),
        approved_on,
    };
    let act = Act::new(format!("{name}: duyệt"), approved_on, &approver);
    run.fonds(&act, &finance.fonds.code, approve).await?;
    Ok(())
}

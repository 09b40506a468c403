//! Commands on a fonds stream, one file per family, dispatched from one closed enum.

mod copies;
mod dates;
mod destruction;
mod file_marks;
mod files;
mod fonds;
mod handovers;
mod holds;
mod transfers;

pub use copies::{AttachCopy, ConfidenceLevel, CopyFormat, RecordDocument};
pub use dates::EARLIEST_RECORD_DATE;
pub use destruction::{
    ApproveDestruction, CancelDestruction, ExecuteDestruction, ProposeDestruction,
};
pub use file_marks::{FlagUnfinished, MarkFileDamaged, MarkFileFound, MarkFileMissing};
pub use files::{AppraiseRetention, CorrectFile, DeclassifyFile, DigitiseFile, RecordFile};
pub use fonds::{CloseFonds, OpenFonds, RecordCreatorHistory};
pub use handovers::{CancelHandover, DraftHandover, ReceiveHandover, SignHandover};
pub use holds::{LiftHold, PlaceHold};
pub use transfers::{AcceptTransfer, AppraiseTransferList, RegisterTransfer};

use super::events::FondsEvent;
use super::state::FondsState;
use crate::DomainError;

/// A command on one fonds stream.
#[derive(Debug, Clone, PartialEq)]
pub enum FondsCommand {
    /// Mở phông.
    Open(OpenFonds),
    /// Ghi lịch sử đơn vị hình thành phông.
    RecordCreatorHistory(RecordCreatorHistory),
    /// Đóng phông.
    Close(CloseFonds),
    /// Lập hồ sơ.
    RecordFile(RecordFile),
    /// Đính chính hồ sơ.
    CorrectFile(CorrectFile),
    /// Xác định lại thời hạn bảo quản.
    AppraiseRetention(AppraiseRetention),
    /// Số hóa hồ sơ.
    DigitiseFile(DigitiseFile),
    /// Giải mật hồ sơ.
    DeclassifyFile(DeclassifyFile),
    /// Báo thất lạc.
    MarkFileMissing(MarkFileMissing),
    /// Báo hư hỏng.
    MarkFileDamaged(MarkFileDamaged),
    /// Tìm thấy hồ sơ.
    MarkFileFound(MarkFileFound),
    /// Đánh dấu hồ sơ công việc chưa giải quyết xong.
    FlagUnfinished(FlagUnfinished),
    /// Lập biên bản giao nhận.
    DraftHandover(DraftHandover),
    /// Bên giao ký.
    SignHandover(SignHandover),
    /// Bên nhận ký nhận.
    ReceiveHandover(ReceiveHandover),
    /// Hủy biên bản giao nhận.
    CancelHandover(CancelHandover),
    /// Đăng ký nộp lưu.
    RegisterTransfer(RegisterTransfer),
    /// Thẩm định mục lục nộp lưu.
    AppraiseTransferList(AppraiseTransferList),
    /// Thu nộp.
    AcceptTransfer(AcceptTransfer),
    /// Đề nghị hủy tài liệu.
    ProposeDestruction(ProposeDestruction),
    /// Duyệt hủy.
    ApproveDestruction(ApproveDestruction),
    /// Thực hiện hủy.
    ExecuteDestruction(ExecuteDestruction),
    /// Hủy bỏ đề nghị hủy.
    CancelDestruction(CancelDestruction),
    /// Phong tỏa.
    PlaceHold(PlaceHold),
    /// Gỡ phong tỏa.
    LiftHold(LiftHold),
    /// Số hóa: gắn bản số hóa vào hồ sơ.
    AttachCopy(AttachCopy),
    /// Ghi tài liệu số vào hồ sơ.
    RecordDocument(RecordDocument),
}

/// Implements `From<X> for FondsCommand` for each command struct, so callers write `draft.into()`.
macro_rules! into_command {
    ($($variant:ident),+ $(,)?) => {
        $(impl From<$variant> for FondsCommand {
            fn from(command: $variant) -> Self {
                Self::$variant(command)
            }
        })+
    };
}

into_command!(
    RecordCreatorHistory,
    RecordFile,
    CorrectFile,
    AppraiseRetention,
    DigitiseFile,
    DeclassifyFile,
    MarkFileMissing,
    MarkFileDamaged,
    MarkFileFound,
    FlagUnfinished,
    DraftHandover,
    SignHandover,
    ReceiveHandover,
    CancelHandover,
    RegisterTransfer,
    AppraiseTransferList,
    AcceptTransfer,
    ProposeDestruction,
    ApproveDestruction,
    ExecuteDestruction,
    CancelDestruction,
    PlaceHold,
    LiftHold,
    AttachCopy,
    RecordDocument,
);

impl From<OpenFonds> for FondsCommand {
    fn from(command: OpenFonds) -> Self {
        Self::Open(command)
    }
}

impl From<CloseFonds> for FondsCommand {
    fn from(command: CloseFonds) -> Self {
        Self::Close(command)
    }
}

/// Every fonds command records one event when accepted, but a copy that replaces another,
/// which records two (the new copy, then the old one replaced).
pub(crate) fn decide(
    state: &FondsState,
    command: &FondsCommand,
) -> Result<Vec<FondsEvent>, DomainError> {
    use FondsCommand as C;
    let event = match command {
        C::Open(c) => fonds::open(state, c),
        C::RecordCreatorHistory(c) => fonds::record_history(state, c),
        C::Close(c) => fonds::close(state, c),
        C::RecordFile(c) => files::record(state, c),
        C::CorrectFile(c) => files::correct(state, c),
        C::AppraiseRetention(c) => files::appraise(state, c),
        C::DigitiseFile(c) => files::digitise(state, c),
        C::DeclassifyFile(c) => files::declassify(state, c),
        C::MarkFileMissing(c) => file_marks::mark_missing(state, c),
        C::MarkFileDamaged(c) => file_marks::mark_damaged(state, c),
        C::MarkFileFound(c) => file_marks::mark_found(state, c),
        C::FlagUnfinished(c) => file_marks::flag_unfinished(state, c),
        C::DraftHandover(c) => handovers::draft(state, c),
        C::SignHandover(c) => handovers::sign(state, c),
        C::ReceiveHandover(c) => handovers::receive(state, c),
        C::CancelHandover(c) => handovers::cancel(state, c),
        C::RegisterTransfer(c) => transfers::register(state, c),
        C::AppraiseTransferList(c) => transfers::appraise(state, c),
        C::AcceptTransfer(c) => transfers::accept(state, c),
        C::ProposeDestruction(c) => destruction::propose(state, c),
        C::ApproveDestruction(c) => destruction::approve(state, c),
        C::ExecuteDestruction(c) => destruction::execute(state, c),
        C::CancelDestruction(c) => destruction::cancel(state, c),
        C::PlaceHold(c) => holds::place(state, c),
        C::LiftHold(c) => holds::lift(state, c),
        C::AttachCopy(c) => return copies::attach(state, c),
        C::RecordDocument(c) => return copies::record(state, c),
    }?;
    Ok(vec![event])
}

//! Small bilingual labels that refusals carry: what kind of thing, which act, which list.

use std::fmt;

/// A kind of thing that can exist or be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// An administrative unit (đơn vị hành chính).
    Unit,
    /// A fonds (phông lưu trữ).
    Fonds,
    /// A file (hồ sơ).
    File,
    /// A handover (biên bản giao nhận).
    Handover,
    /// A transfer to a historical archive (đợt nộp lưu).
    Transfer,
    /// A destruction procedure (đề nghị hủy tài liệu).
    Destruction,
    /// A hold freezing files (lệnh phong tỏa).
    Hold,
    /// A digital copy of a file (bản số hóa).
    Copy,
}

impl Entity {
    /// The name in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Self::Unit => "đơn vị hành chính",
            Self::Fonds => "phông",
            Self::File => "hồ sơ",
            Self::Handover => "biên bản giao nhận",
            Self::Transfer => "đợt nộp lưu",
            Self::Destruction => "đề nghị hủy tài liệu",
            Self::Hold => "lệnh phong tỏa",
            Self::Copy => "bản số hóa",
        }
    }

    /// The name in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::Unit => "administrative unit",
            Self::Fonds => "fonds",
            Self::File => "file",
            Self::Handover => "handover",
            Self::Transfer => "transfer",
            Self::Destruction => "destruction",
            Self::Hold => "hold",
            Self::Copy => "digital copy",
        }
    }
}

/// A dated act whose date must not come before an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// The end of a unit, not before it began.
    UnitEnd,
    /// A merger, not before any unit in it began.
    Merger,
    /// A split, not before the unit began.
    Split,
    /// Closing a fonds, not before it was opened.
    FondsClosure,
    /// The giving side signing, not before the draft.
    HandoverSigning,
    /// The receiving side receiving, not before the giving side signed.
    HandoverReceipt,
    /// Cancelling a handover, not before its draft.
    HandoverCancellation,
    /// The archive appraising a transfer list, not before registration.
    TransferAppraisal,
    /// The archive accepting a transfer, not before appraisal.
    TransferAcceptance,
    /// Approving a destruction, not before the proposal.
    DestructionApproval,
    /// Executing a destruction, not before approval.
    DestructionExecution,
    /// Cancelling a destruction, not before the proposal.
    DestructionCancellation,
    /// Lifting a hold, not before it was placed.
    HoldLifting,
}

impl Act {
    /// The name in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Self::UnitEnd => "kết thúc hoạt động của đơn vị",
            Self::Merger => "sáp nhập",
            Self::Split => "chia tách",
            Self::FondsClosure => "đóng phông",
            Self::HandoverSigning => "bên giao ký biên bản",
            Self::HandoverReceipt => "bên nhận nhận hồ sơ",
            Self::HandoverCancellation => "hủy biên bản giao nhận",
            Self::TransferAppraisal => "thẩm định mục lục nộp lưu",
            Self::TransferAcceptance => "tiếp nhận nộp lưu",
            Self::DestructionApproval => "duyệt hủy tài liệu",
            Self::DestructionExecution => "thực hiện hủy tài liệu",
            Self::DestructionCancellation => "hủy bỏ đề nghị hủy tài liệu",
            Self::HoldLifting => "gỡ phong tỏa",
        }
    }

    /// The name in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::UnitEnd => "the unit's end",
            Self::Merger => "the merger",
            Self::Split => "the split",
            Self::FondsClosure => "closing the fonds",
            Self::HandoverSigning => "the giving side's signature",
            Self::HandoverReceipt => "the receipt",
            Self::HandoverCancellation => "the handover's cancellation",
            Self::TransferAppraisal => "the transfer list's appraisal",
            Self::TransferAcceptance => "the transfer's acceptance",
            Self::DestructionApproval => "the destruction's approval",
            Self::DestructionExecution => "the destruction's execution",
            Self::DestructionCancellation => "the destruction's cancellation",
            Self::HoldLifting => "lifting the hold",
        }
    }
}

/// A list in a command that must be non-empty and without duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// File codes (of a handover, transfer, destruction or hold).
    Files,
    /// The units merged into a successor.
    Predecessors,
    /// The units a unit is split into.
    Successors,
    /// The fonds of a batch.
    BatchFonds,
    /// The discrepancies found on receipt.
    Discrepancies,
    /// The unfinished tasks of a file.
    UnfinishedTasks,
}

impl ListKind {
    /// The name in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Self::Files => "hồ sơ",
            Self::Predecessors => "đơn vị sáp nhập",
            Self::Successors => "đơn vị sau chia tách",
            Self::BatchFonds => "phông của đợt",
            Self::Discrepancies => "sai lệch khi nhận",
            Self::UnfinishedTasks => "công việc chưa giải quyết xong",
        }
    }

    /// The name in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::Files => "files",
            Self::Predecessors => "merged units",
            Self::Successors => "units split into",
            Self::BatchFonds => "fonds of the batch",
            Self::Discrepancies => "discrepancies",
            Self::UnfinishedTasks => "unfinished tasks",
        }
    }
}

/// A count declared in handover minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    /// Number of files (storage units).
    Files,
    /// Number of distinct boxes.
    Boxes,
    /// Total number of sheets.
    Sheets,
}

impl CountKind {
    /// The name in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Self::Files => "Số hồ sơ",
            Self::Boxes => "Số hộp",
            Self::Sheets => "Số tờ",
        }
    }

    /// The name in English.
    pub fn en(self) -> &'static str {
        match self {
            Self::Files => "number of files",
            Self::Boxes => "number of boxes",
            Self::Sheets => "number of sheets",
        }
    }
}

macro_rules! display_en {
    ($($label:ty),+) => {
        $(impl fmt::Display for $label {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.en())
            }
        })+
    };
}

display_en!(Entity, Act, ListKind, CountKind);

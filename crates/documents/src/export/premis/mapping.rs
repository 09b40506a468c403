//! Which PREMIS event type (Library of Congress vocabulary,
//! <http://id.loc.gov/vocabulary/preservation/eventType>) each stored event becomes.
//!
//! | stored event | PREMIS eventType | why |
//! |---|---|---|
//! | FondsOpened | creation | the fonds is established as an intellectual entity |
//! | CreatorHistoryRecorded, FileCorrected, FileMarkedMissing, FileMarkedDamaged, FileFound, FileFlaggedUnfinished | metadata modification | the description changes, the records do not |
//! | FondsClosed, FileDeclassified, HoldPlaced, HoldLifted | policy assignment | a rule now applies (no additions; a new access regime; a freeze) |
//! | FileRecorded | accession | the file enters the fonds' inventory with its custodian |
//! | FileRetentionAppraised, TransferListAppraised, DestructionProposed, DestructionApproved, DestructionCancelled | appraisal | a decision on value or on a proposed list |
//! | FileDigitised | creation | a digital copy (its SHA-256 the outcome object) is made from the paper file |
//! | HandoverDrafted, HandoverSigned, HandoverReceived, HandoverCancelled | transfer | PREMIS has no custody-change term; each stage of the minutes is a transfer event with the giving and receiving sides as agents; custody changes on receipt (outcome `success`) |
//! | TransferRegistered, TransferAccepted | transfer | the same, towards the historical archive |
//! | DestructionExecuted | deaccession | the files leave the inventory |
//!
//! TT 05/2025 uses `transfer` for digitisation; here digitisation is `creation` so that
//! `transfer` means a change of custody only, except in the PREMIS of an archival package
//! (E-ARK AIP), which follows TT 05 ([`event_type_tt05`]).
//!
//! An event's `eventDateTime` is the date of the act, taken from the command that made it (see
//! [`act_date`]); the time the service recorded it is a separate note.

use chrono::NaiveDate;
use serde_json::Value;

/// The LoC vocabulary of event types.
pub const AUTHORITY_URI: &str = "http://id.loc.gov/vocabulary/preservation/eventType";

/// The PREMIS event type of a stored event type, as (label, LoC code).
pub fn event_type(stored: &str) -> (&'static str, &'static str) {
    match stored {
        "FondsOpened" | "FileDigitised" => ("creation", "cre"),
        "FileRecorded" => ("accession", "acc"),
        "FondsClosed" | "FileDeclassified" | "HoldPlaced" | "HoldLifted" => {
            ("policy assignment", "poa")
        }
        "FileRetentionAppraised"
        | "TransferListAppraised"
        | "DestructionProposed"
        | "DestructionApproved"
        | "DestructionCancelled" => ("appraisal", "app"),
        "HandoverDrafted" | "HandoverSigned" | "HandoverReceived" | "HandoverCancelled"
        | "TransferRegistered" | "TransferAccepted" => ("transfer", "tra"),
        "DestructionExecuted" => ("deaccession", "dea"),
        _ => ("metadata modification", "mem"),
    }
}

/// The PREMIS event type as TT 05/2025 maps it for archival packages: digitisation is a
/// `transfer` (to a digital carrier); the rest as [`event_type`].
pub fn event_type_tt05(stored: &str) -> (&'static str, &'static str) {
    match stored {
        "FileDigitised" => ("transfer", "tra"),
        other => event_type(other),
    }
}

/// What the event did, in Vietnamese, for `eventDetail`.
pub fn detail(stored: &str) -> &'static str {
    match stored {
        "FondsOpened" => "Mở phông",
        "CreatorHistoryRecorded" => "Ghi lịch sử đơn vị hình thành phông",
        "FondsClosed" => "Đóng phông",
        "FileRecorded" => "Lập hồ sơ (ghi vào mục lục)",
        "FileCorrected" => "Đính chính hồ sơ",
        "FileRetentionAppraised" => "Xác định lại thời hạn bảo quản",
        "FileDigitised" => "Số hóa hồ sơ",
        "FileMarkedMissing" => "Ghi nhận hồ sơ thất lạc",
        "FileMarkedDamaged" => "Ghi nhận hồ sơ hư hỏng",
        "FileFound" => "Tìm thấy hồ sơ",
        "FileFlaggedUnfinished" => "Đánh dấu hồ sơ công việc chưa giải quyết xong",
        "FileDeclassified" => "Giải mật hồ sơ",
        "HandoverDrafted" => "Lập biên bản giao nhận",
        "HandoverSigned" => "Bên giao ký biên bản giao nhận",
        "HandoverReceived" => "Bên nhận ký nhận: chuyển quyền quản lý",
        "HandoverCancelled" => "Hủy biên bản giao nhận",
        "TransferRegistered" => "Đăng ký nộp lưu",
        "TransferListAppraised" => "Thẩm định mục lục nộp lưu",
        "TransferAccepted" => "Thu nộp: chuyển quyền quản lý cho lưu trữ lịch sử",
        "DestructionProposed" => "Đề nghị hủy tài liệu hết giá trị",
        "DestructionApproved" => "Duyệt hủy",
        "DestructionExecuted" => "Thực hiện hủy",
        "DestructionCancelled" => "Hủy bỏ đề nghị hủy",
        "HoldPlaced" => "Phong tỏa hồ sơ",
        "HoldLifted" => "Gỡ phong tỏa",
        _ => "Sự kiện",
    }
}

/// The outcome of a stage of a custody change, when the event is one.
pub fn outcome(stored: &str) -> Option<&'static str> {
    match stored {
        "HandoverDrafted" | "TransferRegistered" => Some("in progress"),
        "HandoverSigned" => Some("signed by the giving side"),
        "HandoverReceived" | "TransferAccepted" | "DestructionExecuted" => Some("success"),
        "HandoverCancelled" | "DestructionCancelled" => Some("cancelled"),
        _ => None,
    }
}

/// Where the date of the act sits in a stored event's payload: the date the command carried
/// (received on, closed on, …), or the issue date of the decision it applies; none for events
/// whose command carries no date (a file recorded, corrected or flagged).
pub fn act_date_field(stored: &str) -> Option<&'static [&'static str]> {
    Some(match stored {
        "FondsOpened" => &["opened_on"],
        "CreatorHistoryRecorded" => &["recorded_on"],
        "FondsClosed" => &["closed_on"],
        "FileDigitised" => &["digitised_on"],
        "FileMarkedMissing" | "FileMarkedDamaged" => &["noted_on"],
        "FileFound" => &["found_on"],
        "FileRetentionAppraised" | "FileDeclassified" => &["decision", "issued_on"],
        "HandoverDrafted" => &["drafted_on"],
        "HandoverSigned" => &["signed_on"],
        "HandoverReceived" => &["received_on"],
        "HandoverCancelled" | "DestructionCancelled" => &["cancelled_on"],
        "TransferRegistered" => &["registered_on"],
        "TransferListAppraised" => &["appraised_on"],
        "TransferAccepted" => &["accepted_on"],
        "DestructionProposed" => &["proposed_on"],
        "DestructionApproved" => &["approved_on"],
        "DestructionExecuted" => &["executed_on"],
        "HoldPlaced" => &["placed_on"],
        "HoldLifted" => &["lifted_on"],
        _ => return None,
    })
}

/// The date of the act a stored event records, as its command gave it.
pub fn act_date(stored: &str, payload: &Value) -> Option<NaiveDate> {
    let path = act_date_field(stored)?;
    let value = path.iter().try_fold(payload, |v, key| v.get(key))?;
    value.as_str()?.parse().ok()
}

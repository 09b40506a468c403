//! Why an export failed.

use bangiao_projections::ProjectionError;
use bangiao_store::StoreError;

/// Why an export failed; messages are in Vietnamese and English.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The read models failed.
    #[error("dữ liệu đọc / read model: {0}")]
    Projection(#[from] ProjectionError),
    /// The event store failed.
    #[error("kho sự kiện / event store: {0}")]
    Store(#[from] StoreError),
    /// Writing the output failed (disk full, client gone, …).
    #[error("ghi tệp / writing: {0}")]
    Io(#[from] std::io::Error),
    /// The spreadsheet writer failed.
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A template failed to render.
    #[error("mẫu HTML / HTML template: {0}")]
    Template(#[from] minijinja::Error),
    /// The PDF writer failed.
    #[error("PDF: {0}")]
    Pdf(String),
    /// The zip writer failed.
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// The QR code could not be made (the link is too long).
    #[error("mã QR / QR code: {0}")]
    Qr(String),
    /// The fonds, unit or handover does not exist.
    #[error("không tìm thấy {what_vi} {id} / no {what_en} {id}")]
    NotFound {
        /// What, in Vietnamese.
        what_vi: &'static str,
        /// What, in English.
        what_en: &'static str,
        /// Its code or id.
        id: String,
    },
    /// The format does not apply to this kind of list.
    #[error(
        "định dạng {format} không áp dụng cho {what} / format {format} does not apply to {what}"
    )]
    Unsupported {
        /// The format asked for.
        format: &'static str,
        /// What it was asked for.
        what: &'static str,
    },
    /// An archival package asked of a transfer the archive has not accepted.
    #[error(
        "đợt nộp lưu {0} chưa được lưu trữ lịch sử thu nhận: chưa có gói AIP / transfer {0} has not been accepted by the historical archive: no AIP yet"
    )]
    NotAccepted(String),
    /// A stored row could not be read (a JSON column that is not JSON, …).
    #[error("dữ liệu hỏng / corrupt data: {0}")]
    Corrupt(String),
}

impl ExportError {
    /// A missing fonds, unit or handover.
    pub fn not_found(what_vi: &'static str, what_en: &'static str, id: &str) -> Self {
        Self::NotFound {
            what_vi,
            what_en,
            id: id.to_owned(),
        }
    }
}

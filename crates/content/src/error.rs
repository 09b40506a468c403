//! Why a blob operation failed.

use crate::Digest;

/// Why a blob operation failed; every message is in Vietnamese then English.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// The body is larger than the configured limit; nothing was kept.
    #[error(
        "tệp vượt quá giới hạn {limit} byte / the file is larger than the limit of {limit} bytes"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The body's SHA-256 is not the one the client announced; nothing was kept.
    #[error(
        "mã SHA-256 không khớp: mong đợi {expected}, nhận được {actual} / SHA-256 mismatch: expected {expected}, got {actual}"
    )]
    Mismatch {
        /// The digest the client announced.
        expected: Digest,
        /// The digest of the bytes received.
        actual: Digest,
    },
    /// No blob has this digest.
    #[error("không có bản sao {0} / no blob {0}")]
    NotFound(Digest),
    /// The byte range asked for is not inside the blob.
    #[error(
        "khoảng byte nằm ngoài tệp ({size} byte) / the byte range lies outside the blob ({size} bytes)"
    )]
    RangeNotSatisfiable {
        /// The blob's size in bytes.
        size: u64,
    },
    /// The `--blobs` location cannot be understood.
    #[error("vị trí lưu bản sao không hợp lệ / invalid blob location: {0}")]
    BadLocation(String),
    /// The local disk failed.
    #[error("lỗi đọc/ghi đĩa / disk input/output error: {0}")]
    Io(#[from] std::io::Error),
    /// The object store failed.
    #[error("lỗi kho đối tượng / object store error: {0}")]
    Backend(String),
}

impl ContentError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        self.halves().0
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        self.halves().1
    }

    fn halves(&self) -> (String, String) {
        match self {
            Self::TooLarge { limit } => (
                format!("tệp vượt quá giới hạn {limit} byte"),
                format!("the file is larger than the limit of {limit} bytes"),
            ),
            Self::Mismatch { expected, actual } => (
                format!("mã SHA-256 không khớp: mong đợi {expected}, nhận được {actual}"),
                format!("SHA-256 mismatch: expected {expected}, got {actual}"),
            ),
            Self::NotFound(d) => (format!("không có bản sao {d}"), format!("no blob {d}")),
            Self::RangeNotSatisfiable { size } => (
                format!("khoảng byte nằm ngoài tệp ({size} byte)"),
                format!("the byte range lies outside the blob ({size} bytes)"),
            ),
            Self::BadLocation(l) => (
                format!("vị trí lưu bản sao không hợp lệ: {l}"),
                format!("invalid blob location: {l}"),
            ),
            Self::Io(e) => (
                format!("lỗi đọc/ghi đĩa: {e}"),
                format!("disk input/output error: {e}"),
            ),
            Self::Backend(e) => (
                format!("lỗi kho đối tượng: {e}"),
                format!("object store error: {e}"),
            ),
        }
    }
}

impl From<object_store::Error> for ContentError {
    fn from(e: object_store::Error) -> Self {
        ContentError::Backend(e.to_string())
    }
}

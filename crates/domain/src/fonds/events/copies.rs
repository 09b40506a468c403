//! Events of a file's digital copies (bản số hóa, tài liệu số): the content itself lives in
//! the blob store under its SHA-256; the events record which blob is which file's copy.
//!
//! These payloads are plain records (strings, numbers, dates), so a change to a domain value
//! type's serialisation cannot change what is stored. `FileDigitised` (a copy known by its
//! checksum only, its content kept elsewhere) stays as it was; a copy whose content Bàn Giao
//! keeps is a `CopyAttached` or a `DocumentRecorded`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Số hóa — a scan of a paper file, its bytes kept in the blob store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopyAttached {
    /// The file (mã hồ sơ).
    pub file_code: String,
    /// The copy (a UUID).
    pub copy_id: String,
    /// SHA-256 of the copy's bytes, 64 lowercase hex digits: the blob's name.
    pub sha256: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its format by signature: `pdf`, `tiff`, `jpeg2000`, `jpeg`, `png` or `other`.
    pub format: String,
    /// Number of pages, when the format says.
    pub pages: Option<u32>,
    /// Resolution in dots per inch, when the format says.
    pub dpi: Option<u32>,
    /// The name of the file as uploaded, when given.
    pub original_name: Option<String>,
    /// Who digitised the file.
    pub digitised_by: String,
    /// When.
    pub digitised_on: NaiveDate,
}

/// Tài liệu số — a born-digital document recorded in a file, with its TT 05/2025 metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRecorded {
    /// The file (mã hồ sơ) the document belongs to.
    pub file_code: String,
    /// The document's content (a UUID).
    pub copy_id: String,
    /// SHA-256 of its bytes, 64 lowercase hex digits: the blob's name.
    pub sha256: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its format by signature: `pdf`, `tiff`, `jpeg2000`, `jpeg`, `png` or `other`.
    pub format: String,
    /// The name of the file as uploaded, when given.
    pub original_name: Option<String>,
    /// Số văn bản (TT 05 `codeNumber`), when it has one.
    pub number: Option<String>,
    /// Ký hiệu văn bản (`codeNotation`), when it has one.
    pub notation: Option<String>,
    /// Ngày ban hành (`issuedDate`).
    pub issued_on: NaiveDate,
    /// Cơ quan ban hành (`organName`).
    pub issuer: String,
    /// Trích yếu nội dung (`subject`).
    pub summary: String,
    /// Số trang (`numberOfPage`), when known.
    pub pages: Option<u32>,
    /// Ngôn ngữ.
    pub language: String,
    /// Mức độ tin cậy (`confidenceLevel`): `01` born digital, `02` digitised, `03` mixed.
    pub confidence_level: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_on: NaiveDate,
}

/// Thay bản số hóa — a copy was superseded by a newer one of the same file; the old one is
/// kept (its blob and its events), marked replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopyReplaced {
    /// The file.
    pub file_code: String,
    /// The copy replaced.
    pub copy_id: String,
    /// The copy that replaces it.
    pub replaced_by: String,
    /// When.
    pub replaced_on: NaiveDate,
}

/// A copy deleted with its destroyed file: what is left of it (its checksum and size), kept in
/// the event that destroyed the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopyTombstone {
    /// The destroyed file.
    pub file_code: String,
    /// The copy.
    pub copy_id: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub size_bytes: u64,
}

//! Commands on a file's digital copies: a scan attached, a born-digital document recorded,
//! either one replacing an older copy (which is kept, marked replaced).
//!
//! The bytes are in the blob store before the command comes: the command names the blob by its
//! SHA-256 and states what the upload found (size, format by signature, pages, resolution); the
//! server checks the blob is there with that size before it hands the command in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Entity, ValueError, ValueProblem};
use crate::fonds::checks::{file, not_destroyed, opened};
use crate::fonds::events::{CopyAttached, CopyReplaced, DocumentRecorded, FondsEvent};
use crate::fonds::state::{CopyStatus, FondsState};
use crate::values::{CopyId, DocumentNumber, FileCode, Name, Sha256Hex, Title, UserId};

/// A copy's format, told by its signature (its first bytes), not by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CopyFormat {
    /// PDF (also PDF/A).
    Pdf,
    /// TIFF.
    Tiff,
    /// JPEG 2000.
    Jpeg2000,
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// Anything else.
    Other,
}

impl CopyFormat {
    /// The stored name (`pdf`, `tiff`, `jpeg2000`, `jpeg`, `png`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Tiff => "tiff",
            Self::Jpeg2000 => "jpeg2000",
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Other => "other",
        }
    }
}

/// Mức độ tin cậy (TT 05/2025 `confidenceLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConfidenceLevel {
    /// 01 — born digital (số gốc).
    #[serde(rename = "01")]
    BornDigital,
    /// 02 — digitised (số hóa).
    #[serde(rename = "02")]
    Digitised,
    /// 03 — mixed (hỗn hợp).
    #[serde(rename = "03")]
    Mixed,
}

impl ConfidenceLevel {
    /// The TT 05 code (`01`, `02`, `03`), as stored.
    pub fn code(self) -> &'static str {
        match self {
            Self::BornDigital => "01",
            Self::Digitised => "02",
            Self::Mixed => "03",
        }
    }
}

/// Số hóa — attaches a scan of a paper file, already uploaded to the blob store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachCopy {
    /// The file.
    pub file_code: FileCode,
    /// The new copy's id (a UUID the caller generates).
    pub copy_id: CopyId,
    /// SHA-256 of the uploaded bytes, as the upload answered.
    pub sha256: Sha256Hex,
    /// Their size in bytes, more than zero, as the upload answered.
    pub size_bytes: u64,
    /// The format the upload found by signature.
    pub format: CopyFormat,
    /// Pages, when the upload found them.
    #[serde(default)]
    pub pages: Option<u32>,
    /// Resolution in dpi, when the upload found it.
    #[serde(default)]
    pub dpi: Option<u32>,
    /// The uploaded file's name.
    #[serde(default)]
    pub original_name: Option<Name>,
    /// Who digitised the file: the caller.
    pub digitised_by: UserId,
    /// When.
    pub digitised_on: NaiveDate,
    /// A current copy of the same file this one replaces (kept, marked replaced).
    #[serde(default)]
    pub replaces: Option<CopyId>,
}

/// Tài liệu số — records a born-digital document in a file, its content already uploaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordDocument {
    /// The file.
    pub file_code: FileCode,
    /// The document content's id (a UUID the caller generates).
    pub copy_id: CopyId,
    /// SHA-256 of the uploaded bytes, as the upload answered.
    pub sha256: Sha256Hex,
    /// Their size in bytes, more than zero.
    pub size_bytes: u64,
    /// The format the upload found by signature.
    pub format: CopyFormat,
    /// The uploaded file's name.
    #[serde(default)]
    pub original_name: Option<Name>,
    /// Số văn bản.
    #[serde(default)]
    pub number: Option<DocumentNumber>,
    /// Ký hiệu văn bản.
    #[serde(default)]
    pub notation: Option<DocumentNumber>,
    /// Ngày ban hành.
    pub issued_on: NaiveDate,
    /// Cơ quan ban hành.
    pub issuer: Name,
    /// Trích yếu nội dung.
    pub summary: Title,
    /// Số trang.
    #[serde(default)]
    pub pages: Option<u32>,
    /// Ngôn ngữ.
    pub language: Name,
    /// Mức độ tin cậy.
    #[serde(default)]
    pub confidence_level: Option<ConfidenceLevel>,
    /// Who records it: the caller.
    pub recorded_by: UserId,
    /// When.
    pub recorded_on: NaiveDate,
    /// A current copy of the same file this one replaces (kept, marked replaced).
    #[serde(default)]
    pub replaces: Option<CopyId>,
}

/// What both kinds of copy are checked on.
struct NewCopy<'a> {
    file_code: &'a FileCode,
    copy_id: CopyId,
    sha256: &'a Sha256Hex,
    size_bytes: u64,
    replaces: Option<CopyId>,
    on: NaiveDate,
}

/// A file that exists and is not destroyed (in custody, in a process, transferred or missing:
/// the archive digitises what it holds, and a fonds' closure does not stop its files being
/// scanned) gets a new copy with a fresh id, of bytes not already its current copy; a copy it
/// replaces must be a current copy of the same file.
fn check(state: &FondsState, new: &NewCopy<'_>) -> Result<Vec<FondsEvent>, DomainError> {
    opened(state)?;
    not_destroyed(new.file_code, file(state, new.file_code)?)?;
    if state.copy(&new.copy_id).is_some() {
        return Err(DomainError::AlreadyExists {
            what: Entity::Copy,
            id: new.copy_id.to_string(),
        });
    }
    if new.size_bytes == 0 {
        let problem = ValueProblem::Format {
            vi: "số byte lớn hơn 0",
            en: "a size above zero bytes",
        };
        return Err(ValueError::new("size_bytes", "0", problem).into());
    }
    let same_bytes = state
        .copies_of(new.file_code)
        .find(|(_, copy)| copy.status == CopyStatus::Current && copy.sha256 == new.sha256.as_str());
    if let Some((existing, _)) = same_bytes {
        return Err(DomainError::AlreadyExists {
            what: Entity::Copy,
            id: existing.to_string(),
        });
    }
    let Some(old) = new.replaces else {
        return Ok(Vec::new());
    };
    let copy = state
        .copy(&old)
        .filter(|copy| copy.file_code == *new.file_code)
        .ok_or_else(|| DomainError::NotFound {
            what: Entity::Copy,
            id: old.to_string(),
        })?;
    if copy.status != CopyStatus::Current {
        return Err(DomainError::CopyNotCurrent { copy: old });
    }
    Ok(vec![
        CopyReplaced {
            file_code: new.file_code.to_string(),
            copy_id: old.to_string(),
            replaced_by: new.copy_id.to_string(),
            replaced_on: new.on,
        }
        .into(),
    ])
}

/// A scan of a file that is not destroyed, then the copy it replaces, if any.
pub(super) fn attach(
    state: &FondsState,
    command: &AttachCopy,
) -> Result<Vec<FondsEvent>, DomainError> {
    let replaced = check(
        state,
        &NewCopy {
            file_code: &command.file_code,
            copy_id: command.copy_id,
            sha256: &command.sha256,
            size_bytes: command.size_bytes,
            replaces: command.replaces,
            on: command.digitised_on,
        },
    )?;
    let attached = CopyAttached {
        file_code: command.file_code.to_string(),
        copy_id: command.copy_id.to_string(),
        sha256: command.sha256.to_string(),
        size_bytes: command.size_bytes,
        format: command.format.as_str().to_owned(),
        pages: command.pages,
        dpi: command.dpi,
        original_name: command.original_name.as_ref().map(ToString::to_string),
        digitised_by: command.digitised_by.to_string(),
        digitised_on: command.digitised_on,
    };
    Ok(std::iter::once(attached.into()).chain(replaced).collect())
}

/// A born-digital document in a file that is not destroyed, then the copy it replaces, if any.
pub(super) fn record(
    state: &FondsState,
    command: &RecordDocument,
) -> Result<Vec<FondsEvent>, DomainError> {
    let replaced = check(
        state,
        &NewCopy {
            file_code: &command.file_code,
            copy_id: command.copy_id,
            sha256: &command.sha256,
            size_bytes: command.size_bytes,
            replaces: command.replaces,
            on: command.recorded_on,
        },
    )?;
    let recorded = DocumentRecorded {
        file_code: command.file_code.to_string(),
        copy_id: command.copy_id.to_string(),
        sha256: command.sha256.to_string(),
        size_bytes: command.size_bytes,
        format: command.format.as_str().to_owned(),
        original_name: command.original_name.as_ref().map(ToString::to_string),
        number: command.number.as_ref().map(ToString::to_string),
        notation: command.notation.as_ref().map(ToString::to_string),
        issued_on: command.issued_on,
        issuer: command.issuer.to_string(),
        summary: command.summary.to_string(),
        pages: command.pages,
        language: command.language.to_string(),
        confidence_level: command.confidence_level.map(|c| c.code().to_owned()),
        recorded_by: command.recorded_by.to_string(),
        recorded_on: command.recorded_on,
    };
    Ok(std::iter::once(recorded.into()).chain(replaced).collect())
}

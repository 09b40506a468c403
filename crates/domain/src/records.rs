//! What the stored records of both event families share: the conversions between value types
//! and their stored texts, and the stored form of a legal basis. A record reads back through each
//! value type's own parser, so a stored value that no longer parses is refused, never guessed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValueError;
use crate::values::LegalBasis;

/// A stored text value, checked by its value type's parser when read.
pub(crate) fn value<T: TryFrom<String, Error = ValueError>>(raw: String) -> Result<T, ValueError> {
    T::try_from(raw)
}

/// An optional stored text value, checked when present.
pub(crate) fn optional<T: TryFrom<String, Error = ValueError>>(
    raw: Option<String>,
) -> Result<Option<T>, ValueError> {
    raw.map(T::try_from).transpose()
}

/// Stored text values, each checked when read.
pub(crate) fn values<T: TryFrom<String, Error = ValueError>>(
    raw: Vec<String>,
) -> Result<Vec<T>, ValueError> {
    raw.into_iter().map(T::try_from).collect()
}

/// A value as its stored text.
pub(crate) fn text<T: Clone + Into<String>>(value: &T) -> String {
    value.clone().into()
}

/// Values as their stored texts.
pub(crate) fn texts<T: Clone + Into<String>>(values: &[T]) -> Vec<String> {
    values.iter().map(text).collect()
}

/// The stored form of a legal basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalBasisRecord {
    /// Số, ký hiệu.
    pub number: String,
    /// Ngày ban hành.
    pub issued_on: NaiveDate,
    /// Cơ quan ban hành.
    pub issuer: String,
    /// Trích yếu, when known.
    pub title: Option<String>,
}

impl From<&LegalBasis> for LegalBasisRecord {
    fn from(basis: &LegalBasis) -> Self {
        Self {
            number: text(&basis.number),
            issued_on: basis.issued_on,
            issuer: text(&basis.issuer),
            title: basis.title.as_ref().map(text),
        }
    }
}

impl TryFrom<LegalBasisRecord> for LegalBasis {
    type Error = ValueError;
    fn try_from(record: LegalBasisRecord) -> Result<Self, ValueError> {
        Ok(Self {
            number: value(record.number)?,
            issued_on: record.issued_on,
            issuer: value(record.issuer)?,
            title: optional(record.title)?,
        })
    }
}

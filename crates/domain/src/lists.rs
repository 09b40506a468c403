//! Checks every list in a command passes: something is listed, and nothing twice.

use std::collections::BTreeSet;
use std::fmt::Display;

use crate::error::{DomainError, ListKind};

/// Refuses an empty list.
pub(crate) fn non_empty<T>(list: ListKind, items: &[T]) -> Result<(), DomainError> {
    if items.is_empty() {
        return Err(DomainError::EmptyList { list });
    }
    Ok(())
}

/// Refuses a list naming the same item twice, reporting the first repeat.
pub(crate) fn unique<'a, T>(
    list: ListKind,
    items: impl IntoIterator<Item = &'a T>,
) -> Result<(), DomainError>
where
    T: Ord + Display + 'a,
{
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item) {
            return Err(DomainError::DuplicateInList {
                list,
                item: item.to_string(),
            });
        }
    }
    Ok(())
}

/// Refuses an empty list or one with a repeat.
pub(crate) fn non_empty_unique<T: Ord + Display>(
    list: ListKind,
    items: &[T],
) -> Result<(), DomainError> {
    non_empty(list, items)?;
    unique(list, items)
}

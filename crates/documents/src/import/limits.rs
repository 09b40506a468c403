//! Limits on what an upload may cost, checked before any parsing: the file's size, its row
//! count and, for an XLSX (a zip archive), the sizes its central directory declares.
//!
//! The zip crate stops inflating an entry once it passes its declared size, so checking the
//! declared sizes before calamine opens the workbook bounds what inflating can ever produce:
//! an entry that lies about its size fails to read instead of filling memory.

use std::io::Cursor;

use super::error::ImportError;

/// The limits of one import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest total uncompressed size of an XLSX's entries, in bytes.
    pub max_uncompressed_bytes: u64,
    /// Largest ratio of uncompressed to compressed size for an XLSX entry above 1 MiB.
    pub max_ratio: u64,
    /// Most data rows accepted.
    pub max_rows: u64,
}

impl Default for ImportLimits {
    /// 256 MiB of file, 1 GiB inflated, a ratio of 200, 1,048,576 rows (Excel's own maximum).
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024 * 1024,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
            max_ratio: 200,
            max_rows: 1_048_576,
        }
    }
}

/// Entries smaller than this are never refused for their ratio: tiny parts compress oddly.
const RATIO_FLOOR: u64 = 1024 * 1024;

impl ImportLimits {
    /// Refuses a file larger than the limit.
    pub fn check_file(&self, size: usize) -> Result<(), ImportError> {
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if size > self.max_file_bytes {
            return Err(ImportError::FileTooLarge {
                size,
                limit: self.max_file_bytes,
            });
        }
        Ok(())
    }

    /// Reads the zip's central directory (nothing is inflated) and refuses an archive whose
    /// entries declare more than the limit in total, or one that inflates too much.
    pub fn check_zip(&self, bytes: &[u8]) -> Result<(), ImportError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ImportError::Unreadable(format!("XLSX (zip): {e}")))?;
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let entry = archive
                .by_index_data(index)
                .map_err(|e| ImportError::Unreadable(format!("XLSX (zip): {e}")))?;
            let declared = entry.size();
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            total = total.saturating_add(declared);
            if total > self.max_uncompressed_bytes {
                return Err(ImportError::ZipBomb {
                    entry: format!("total, at {name}"),
                    declared: total,
                });
            }
            let compressed = entry.compressed_size().max(1);
            if declared > RATIO_FLOOR && declared / compressed > self.max_ratio {
                return Err(ImportError::ZipBomb {
                    entry: format!("{name}, {}:1", declared / compressed),
                    declared,
                });
            }
        }
        Ok(())
    }

    /// Refuses a row count above the limit.
    pub fn check_rows(&self, rows: u64) -> Result<(), ImportError> {
        if rows > self.max_rows {
            return Err(ImportError::TooManyRows {
                limit: self.max_rows,
            });
        }
        Ok(())
    }
}

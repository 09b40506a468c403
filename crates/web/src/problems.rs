//! "Imports with problems" on the home page, kept across restarts: the latest dry run of each
//! person for each fonds whose report found problems, until that person imports into the fonds
//! cleanly. Kept as a small JSON file in the data directory (`pages-imports.json`), rewritten
//! whole and renamed into place on each change, so a crash leaves the old or the new file,
//! never half of one. docs/ARCHITECTURE.md says why it is not in the event log.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The file's name in the data directory.
pub const FILE_NAME: &str = "pages-imports.json";

/// A dry run whose report found problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWithProblems {
    /// Who uploaded the spreadsheet.
    pub user_id: String,
    /// The fonds it was for.
    pub fonds: String,
    /// The spreadsheet's name as sent.
    pub file_name: String,
    /// Rows with at least one problem.
    pub rows: u64,
    /// Problems found.
    pub problems: u64,
    /// When the dry run ran.
    pub at: DateTime<Utc>,
}

/// Why the kept list could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProblemsError {
    /// The file could not be read or written.
    #[error("không đọc, ghi được / cannot read or write {path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The file is not a list of imports.
    #[error("{path} hỏng, không phải danh sách lần nhập / is not a list of imports: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
}

/// The imports with problems, by person and fonds, and the file that keeps them.
#[derive(Debug)]
pub struct ImportProblems {
    path: PathBuf,
    kept: Mutex<BTreeMap<(String, String), ImportWithProblems>>,
}

impl ImportProblems {
    /// Reads the list kept in `data_dir` (empty when there is none yet).
    pub fn open(data_dir: &Path) -> Result<Self, ProblemsError> {
        let path = data_dir.join(FILE_NAME);
        let io = |e: std::io::Error| ProblemsError::Io {
            path: path.clone(),
            reason: e.to_string(),
        };
        let entries: Vec<ImportWithProblems> = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| ProblemsError::Corrupt {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io(e)),
        };
        let kept = entries
            .into_iter()
            .map(|e| ((e.user_id.clone(), e.fonds.clone()), e))
            .collect();
        Ok(Self {
            path,
            kept: Mutex::new(kept),
        })
    }

    /// Keeps a dry run with problems, replacing that person's earlier one for the fonds.
    pub fn record(&self, entry: ImportWithProblems) -> Result<(), ProblemsError> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.insert((entry.user_id.clone(), entry.fonds.clone()), entry);
        self.write(&kept)
    }

    /// Forgets a person's import with problems for a fonds (a clean dry run or an applied
    /// import replaced it); writes nothing when there was none.
    pub fn clear(&self, user_id: &str, fonds: &str) -> Result<(), ProblemsError> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept
            .remove(&(user_id.to_owned(), fonds.to_owned()))
            .is_none()
        {
            return Ok(());
        }
        self.write(&kept)
    }

    /// A person's imports with problems, newest first.
    pub fn of(&self, user_id: &str) -> Vec<ImportWithProblems> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let mut found: Vec<_> = kept
            .values()
            .filter(|e| e.user_id == user_id)
            .cloned()
            .collect();
        found.sort_by_key(|e| std::cmp::Reverse(e.at));
        found
    }

    /// Writes the whole list to a temporary file, flushes it to disk and renames it over the
    /// kept one. The list is a handful of entries per person, so this takes well under a
    /// millisecond beside the dry run that caused it.
    fn write(
        &self,
        kept: &BTreeMap<(String, String), ImportWithProblems>,
    ) -> Result<(), ProblemsError> {
        let io = |e: std::io::Error| ProblemsError::Io {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let entries: Vec<&ImportWithProblems> = kept.values().collect();
        let json = serde_json::to_vec_pretty(&entries).map_err(|e| ProblemsError::Corrupt {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let temporary = self.path.with_extension("json.tmp");
        let mut file = std::fs::File::create(&temporary).map_err(io)?;
        file.write_all(&json).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&temporary, &self.path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(user: &str, fonds: &str, rows: u64, minute: u32) -> ImportWithProblems {
        ImportWithProblems {
            user_id: user.into(),
            fonds: fonds.into(),
            file_name: format!("{fonds}.xlsx"),
            rows,
            problems: rows + 1,
            at: DateTime::parse_from_rfc3339(&format!("2026-01-10T08:{minute:02}:00Z"))
                .expect("time")
                .with_timezone(&Utc),
        }
    }

    #[test]
    fn kept_entries_survive_reopening_and_clearing_forgets_one() {
        let dir = tempfile::tempdir().expect("dir");
        let kept = ImportProblems::open(dir.path()).expect("empty");
        assert!(kept.of("vanthu.066").is_empty());
        kept.record(entry("vanthu.066", "066-UB", 7, 1))
            .expect("kept");
        kept.record(entry("vanthu.066", "066-D03", 2, 2))
            .expect("kept");
        kept.record(entry("vanthu.066", "066-UB", 3, 3))
            .expect("replaced");
        kept.record(entry("vanthu.067", "067-UB", 1, 4))
            .expect("kept");
        drop(kept);
        let reopened = ImportProblems::open(dir.path()).expect("reopened");
        let mine = reopened.of("vanthu.066");
        assert_eq!(
            mine,
            [
                entry("vanthu.066", "066-UB", 3, 3),
                entry("vanthu.066", "066-D03", 2, 2)
            ]
        );
        reopened.clear("vanthu.066", "066-UB").expect("cleared");
        reopened
            .clear("vanthu.066", "066-XX")
            .expect("nothing to clear");
        let again = ImportProblems::open(dir.path()).expect("reopened");
        assert_eq!(
            again.of("vanthu.066"),
            [entry("vanthu.066", "066-D03", 2, 2)]
        );
        assert_eq!(again.of("vanthu.067").len(), 1);
    }

    #[test]
    fn a_damaged_file_is_reported_not_ignored() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").expect("write");
        assert!(matches!(
            ImportProblems::open(dir.path()),
            Err(ProblemsError::Corrupt { .. })
        ));
    }
}

//! Events of the `fixity-{run id}` streams: one run of `bangiao fixity`, which re-reads the
//! blobs of the copies the log references and says which are intact, missing or altered.
//!
//! A run is its own stream rather than events on each fonds: the check is about the blob store,
//! not about custody; one run touches thousands of copies across every fonds, and writing to the
//! fonds streams would contend with the clerks' commands on them (and grow the fonds' decision
//! state) for a fact no custody rule reads. Payloads are plain records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event_enum;

/// The most results one `FixityChecked` event carries; a run stores its results in chunks.
pub const RESULTS_PER_EVENT: usize = 500;

/// What one copy's blob was found to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FixityVerdict {
    /// Present, of the expected size and digest.
    Intact,
    /// Absent from the blob store.
    Missing,
    /// Present, but its bytes are not the ones named.
    Altered,
}

impl FixityVerdict {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intact => "intact",
            Self::Missing => "missing",
            Self::Altered => "altered",
        }
    }
}

/// One copy checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixityResult {
    /// The fonds.
    pub fonds_code: String,
    /// The file.
    pub file_code: String,
    /// The copy.
    pub copy_id: String,
    /// The digest the log names (the blob's name).
    pub sha256: String,
    /// The verdict.
    pub verdict: FixityVerdict,
    /// The digest of the bytes found, when altered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_sha256: Option<String>,
    /// The size found, when altered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_size: Option<u64>,
}

/// Kiểm tra toàn vẹn — the results of part of a run (at most [`RESULTS_PER_EVENT`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixityChecked {
    /// The run.
    pub run_id: String,
    /// The copies checked, with their verdicts.
    pub results: Vec<FixityResult>,
}

/// The end of a run, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixityRunCompleted {
    /// The run.
    pub run_id: String,
    /// When it began.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// The share of copies drawn, in percent (100 for a full run).
    pub sample_percent: u32,
    /// Copies checked.
    pub checked: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Copies found intact.
    pub intact: u64,
    /// Copies whose blob is missing.
    pub missing: u64,
    /// Copies whose blob is altered.
    pub altered: u64,
}

event_enum! {
    /// Events of a `fixity-{run id}` stream.
    pub enum FixityEvent {
        FixityChecked,
        FixityRunCompleted,
    }
}

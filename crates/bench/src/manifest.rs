//! What `bangiao-bench-data` wrote, so the load generator knows which codes exist.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The name of the manifest file inside a data directory.
pub const MANIFEST_FILE: &str = "bench-manifest.json";

/// A summary of a generated data directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Events in the log.
    pub events: u64,
    /// Fonds opened.
    pub fonds: u64,
    /// Files recorded.
    pub files: u64,
    /// Handovers (each drafted, signed and received).
    pub handovers: u64,
    /// The unit whose inventory list is the CSV target.
    pub inventory_unit: String,
    /// Files under that unit.
    pub inventory_files: u64,
    /// Every unit registered (communes last), for commands that open new fonds.
    pub units: Vec<String>,
    /// File codes spread evenly over the log, for custody reads.
    pub sample_file_codes: Vec<String>,
    /// Whether the read model was rebuilt after writing (checkpoint at the head).
    pub read_model_built: bool,
}

impl Manifest {
    /// The manifest path of a data directory.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(MANIFEST_FILE)
    }

    /// Reads the manifest of a data directory.
    pub fn load(data_dir: &Path) -> Result<Self, String> {
        let path = Self::path_in(data_dir);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Writes the manifest into a data directory.
    pub fn save(&self, data_dir: &Path) -> Result<(), String> {
        let path = Self::path_in(data_dir);
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

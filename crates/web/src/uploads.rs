//! Spreadsheets uploaded for a dry run, kept in memory until the person applies them (or they
//! expire), so the import page shows the report first and applies the very same bytes after.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bangiao_documents::import::ImportReport;

/// How long an upload waits for its apply.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 60);
/// Most uploads kept at once (the oldest go first).
pub const MAX_KEPT: usize = 16;
/// Most bytes kept at once, all uploads together (the oldest go first).
pub const MAX_KEPT_BYTES: usize = 256 * 1024 * 1024;

/// One uploaded spreadsheet and its dry-run report.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Who uploaded it: only they may apply it.
    pub user_id: String,
    /// The fonds it is for.
    pub fonds: String,
    /// The file's name as sent.
    pub file_name: String,
    /// The bytes.
    pub bytes: Arc<Vec<u8>>,
    /// The dry run's report.
    pub report: ImportReport,
    /// When it came.
    pub at: Instant,
}

/// The uploads waiting for an apply, by id.
#[derive(Debug, Default)]
pub struct Uploads {
    kept: Mutex<HashMap<String, Upload>>,
}

impl Uploads {
    /// Keeps an upload and returns its id.
    pub fn keep(&self, upload: Upload) -> String {
        let id = uuid::Uuid::now_v7().simple().to_string();
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|_, u| u.at.elapsed() < KEEP_FOR);
        let held =
            |kept: &HashMap<String, Upload>| kept.values().map(|u| u.bytes.len()).sum::<usize>();
        while kept.len() >= MAX_KEPT
            || (!kept.is_empty() && held(&kept) + upload.bytes.len() > MAX_KEPT_BYTES)
        {
            let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, u)| u.at)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            kept.remove(&oldest);
        }
        kept.insert(id.clone(), upload);
        id
    }

    /// The upload `id` of `user_id`, if it is still kept.
    pub fn get(&self, id: &str, user_id: &str) -> Option<Upload> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(id)
            .filter(|u| u.user_id == user_id && u.at.elapsed() < KEEP_FOR)
            .cloned()
    }

    /// Forgets an upload (once applied).
    pub fn forget(&self, id: &str) {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }
}

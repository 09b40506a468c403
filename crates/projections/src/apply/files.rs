//! The files of a fonds: description, corrections, digitisation, marks, access.

use bangiao_domain::fonds::{
    Correction, FileCorrected, FileDeclassified, FileDigitised, FileFlaggedUnfinished, FileFound,
    FileMarkedDamaged, FileMarkedMissing, FileRecorded, FileRetentionAppraised,
};
use rusqlite::{Connection, params};

use super::fold::{fold, search_words};
use super::{FILE_MARK, code, exec, json};
use crate::error::ProjectionError;

const INSERT_FILE: &str = "INSERT OR REPLACE INTO files
    (file_code, fonds_code, seq, title, title_folded, start_date, end_date, retention, retention_years,
     access, carrier, box, sheets, language, notes, initial_custodian, custodian, status, since, list_number, title_words)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, 'in_custody', ?6, ?17, ?18)";

/// A `FileRecorded` of fonds `fonds` at `position`: the file's row.
pub fn recorded(
    conn: &Connection,
    fonds: &str,
    position: u64,
    e: &FileRecorded,
) -> Result<(), ProjectionError> {
    FileRow::new(fonds.to_owned(), position, e.clone()).insert(conn)
}

/// A `FileCorrected`: the corrected field.
pub fn corrected(conn: &Connection, e: &FileCorrected) -> Result<(), ProjectionError> {
    correct(conn, e.file_code.as_str(), &e.correction)
}

/// A `FileRetentionAppraised`: the new retention period.
pub fn retention_appraised(
    conn: &Connection,
    e: &FileRetentionAppraised,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET retention = ?2, retention_years = ?3 WHERE file_code = ?1",
        params![
            e.file_code.as_str(),
            e.new_retention.code(),
            e.new_retention.years()
        ],
    )?;
    Ok(())
}

/// A `FileDigitised`: the digital copy's digest, size, format and date.
pub fn digitised(conn: &Connection, e: &FileDigitised) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET sha256 = ?2, size_bytes = ?3, format = ?4, digitised_on = ?5 WHERE file_code = ?1",
        params![
            e.file_code.as_str(),
            e.sha256.as_str(),
            e.size_bytes as i64,
            e.format.as_str(),
            e.digitised_on.to_string()
        ],
    )?;
    Ok(())
}

/// A `FileMarkedMissing` at `seq`: the file is missing, with a mark in its history.
pub fn marked_missing(
    conn: &Connection,
    seq: i64,
    e: &FileMarkedMissing,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET status = 'missing', since = ?2 WHERE file_code = ?1",
        params![e.file_code.as_str(), e.noted_on.to_string()],
    )?;
    exec(
        conn,
        FILE_MARK,
        params![
            e.file_code.as_str(),
            seq,
            "missing",
            e.noted_on.to_string(),
            None::<String>,
            None::<String>
        ],
    )?;
    Ok(())
}

/// A `FileMarkedDamaged` at `seq`: the damage, with a mark in the file's history.
pub fn marked_damaged(
    conn: &Connection,
    seq: i64,
    e: &FileMarkedDamaged,
) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET damaged = ?2 WHERE file_code = ?1",
        params![e.file_code.as_str(), e.description.as_str()],
    )?;
    exec(
        conn,
        FILE_MARK,
        params![
            e.file_code.as_str(),
            seq,
            "damaged",
            e.noted_on.to_string(),
            None::<String>,
            e.description.as_str()
        ],
    )?;
    Ok(())
}

/// A `FileFound` at `seq`: the file is in custody again, with a mark in its history.
pub fn found(conn: &Connection, seq: i64, e: &FileFound) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET status = 'in_custody', since = ?2 WHERE file_code = ?1",
        params![e.file_code.as_str(), e.found_on.to_string()],
    )?;
    exec(
        conn,
        FILE_MARK,
        params![
            e.file_code.as_str(),
            seq,
            "found",
            e.found_on.to_string(),
            None::<String>,
            None::<String>
        ],
    )?;
    Ok(())
}

/// A `FileFlaggedUnfinished`: the tasks left to do on the file.
pub fn flagged_unfinished(
    conn: &Connection,
    e: &FileFlaggedUnfinished,
) -> Result<(), ProjectionError> {
    let tasks: Vec<&str> = e.tasks.iter().map(|t| t.as_str()).collect();
    exec(
        conn,
        "UPDATE files SET unfinished = ?2 WHERE file_code = ?1",
        params![e.file_code.as_str(), json(&tasks)],
    )?;
    Ok(())
}

/// A `FileDeclassified`: the file's new access level.
pub fn declassified(conn: &Connection, e: &FileDeclassified) -> Result<(), ProjectionError> {
    exec(
        conn,
        "UPDATE files SET access = ?2 WHERE file_code = ?1",
        params![e.file_code.as_str(), code(&e.new_access)],
    )?;
    Ok(())
}

/// The `files` row a `FileRecorded` inserts, every value already computed: decoding builds it
/// (on the reading thread, during a rebuild), so the writer only binds it.
#[derive(Debug, Clone)]
pub struct FileRow {
    file_code: String,
    fonds: String,
    seq: i64,
    title: String,
    title_folded: String,
    title_words: String,
    start_date: String,
    end_date: String,
    retention: &'static str,
    retention_years: Option<u32>,
    access: String,
    carrier: String,
    box_number: Option<String>,
    sheets: Option<u32>,
    language: String,
    notes: Option<String>,
    custodian: String,
    list_number: Option<u32>,
}

impl FileRow {
    /// The row of file `e`, recorded in fonds `fonds` by the event at `position`.
    pub fn new(fonds: String, position: u64, e: FileRecorded) -> Self {
        let title = String::from(e.title);
        Self {
            title_folded: fold(&title),
            title_words: search_words(&title),
            title,
            file_code: e.file_code.into(),
            fonds,
            seq: position as i64,
            start_date: e.start_date.to_string(),
            end_date: e.end_date.to_string(),
            retention: e.retention.code(),
            retention_years: e.retention.years(),
            access: code(&e.access),
            carrier: code(&e.carrier),
            box_number: e.box_number.map(String::from),
            sheets: e.sheets,
            language: e.language.into(),
            notes: e.notes.map(String::from),
            custodian: e.custodian.into(),
            list_number: e.list_number,
        }
    }

    /// Inserts (or replaces) the row.
    pub fn insert(&self, conn: &Connection) -> Result<(), ProjectionError> {
        exec(
            conn,
            INSERT_FILE,
            params![
                self.file_code,
                self.fonds,
                self.seq,
                self.title,
                self.title_folded,
                self.start_date,
                self.end_date,
                self.retention,
                self.retention_years,
                self.access,
                self.carrier,
                self.box_number,
                self.sheets,
                self.language,
                self.notes,
                self.custodian,
                self.list_number,
                self.title_words
            ],
        )?;
        Ok(())
    }
}

fn correct(conn: &Connection, file: &str, correction: &Correction) -> Result<(), ProjectionError> {
    match correction {
        Correction::Title { new_value, .. } => exec(
            conn,
            "UPDATE files SET title = ?2, title_folded = ?3, title_words = ?4 WHERE file_code = ?1",
            params![
                file,
                new_value.as_str(),
                fold(new_value.as_str()),
                search_words(new_value.as_str())
            ],
        )?,
        Correction::Notes { new_value, .. } => exec(
            conn,
            "UPDATE files SET notes = ?2 WHERE file_code = ?1",
            params![file, new_value.as_ref().map(|n| n.as_str())],
        )?,
        Correction::BoxNumber { new_value, .. } => exec(
            conn,
            "UPDATE files SET box = ?2 WHERE file_code = ?1",
            params![file, new_value.as_ref().map(|b| b.as_str())],
        )?,
        Correction::Sheets { new_value, .. } => exec(
            conn,
            "UPDATE files SET sheets = ?2 WHERE file_code = ?1",
            params![file, new_value],
        )?,
        Correction::StartDate { new_value, .. } => exec(
            conn,
            "UPDATE files SET start_date = ?2 WHERE file_code = ?1",
            params![file, new_value.to_string()],
        )?,
        Correction::EndDate { new_value, .. } => exec(
            conn,
            "UPDATE files SET end_date = ?2 WHERE file_code = ?1",
            params![file, new_value.to_string()],
        )?,
    };
    Ok(())
}

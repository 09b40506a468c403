//! One row of the list to one `RecordFile` command, or to the problems that prevent it.
//!
//! The file code is `{prefix}.{year}.{number}` (Decree 30, Annex VI): the prefix is the fonds
//! code once the fonds is closed, the creator's organ id while it is open; the year and number
//! come from the notation ("01.2003" is number 01 of 2003), else the year of the start date and
//! the file number written with at least two digits, as the lists themselves write it.
//!
//! **A whole file code is taken as written.** The service's own Mục lục (CSV, XLSX, and the
//! printed lists) writes each file's whole code under "Số, ký hiệu hồ sơ"
//! ("000.00.66.H06.2003.01"), as do lists kept by other systems. Such a cell is the file's code
//! itself: the importer does not rebuild it from the fonds' prefix, and the domain checks its
//! prefix as for any file recorded (a code of another creator is refused with
//! `wrong_file_code_prefix`, on that cell). The fix lives here rather than in the exporter
//! because the whole code is the file's identity: an export imported back into its own fonds
//! finds every file already present, even in a closed fonds whose files were recorded under
//! the organ id before the closure, where a notation rebuilt with the fonds code would record
//! each file a second time under another code. The exported lists stay as they are (the whole
//! code, the same in every format), and lists already exported import too.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use bangiao_domain::fonds::{FondsCommand, FondsState, RecordFile};
use bangiao_domain::values::{
    AccessRegime, BoxNumber, Carrier, CustodianId, FileCode, FileNotation, Name, Note,
    RetentionPeriod, Title,
};
use bangiao_domain::{Aggregate, FondsAggregate, ValueError};
use chrono::NaiveDate;

use super::header::{Field, Header};
use super::problem::{Problems, RowProblem};
use super::table::{Cell, Row};
use super::values::{self, Bound};

/// What every file of the import shares.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The file-code prefix: fonds code (closed fonds) or organ id (open fonds).
    pub prefix: String,
    /// The carrier of the files.
    pub carrier: Carrier,
    /// Their language.
    pub language: Name,
    /// Who holds them.
    pub custodian: CustodianId,
}

/// One row read.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    /// The row number as shown.
    pub row: u32,
    /// The file code, when it could be built.
    pub file_code: Option<FileCode>,
    /// The `RecordFile` command, when the row has no problem.
    pub command: Option<FondsCommand>,
    /// Whether the fonds already holds a file with this code (same content or not: see
    /// `check`).
    pub recorded_before: bool,
    /// The row's problems.
    pub problems: Vec<RowProblem>,
    /// Its box, when given and readable, whatever the row's other problems.
    pub box_number: Option<BoxNumber>,
    /// Its sheet count, when given and readable.
    pub sheets: Option<u32>,
}

/// Reads rows under one header and checks each against the fonds as it stands and against
/// the rows before it; remembers the retention and access spellings it has seen.
pub struct RowReader<'h> {
    header: &'h Header,
    state: &'h FondsState,
    shared: Shared,
    retention: HashMap<String, Result<RetentionPeriod, ValueError>>,
    access: HashMap<String, Result<AccessRegime, ValueError>>,
    numbers: HashMap<u64, u32>,
    codes: HashMap<FileCode, u32>,
    /// The day of recording, for the dates a row may carry.
    today: NaiveDate,
}

impl<'h> RowReader<'h> {
    /// A reader for rows under `header`, into the fonds whose decision state is `state`.
    pub fn new(header: &'h Header, state: &'h FondsState, shared: Shared) -> Self {
        Self {
            header,
            state,
            shared,
            retention: HashMap::new(),
            access: HashMap::new(),
            numbers: HashMap::new(),
            codes: HashMap::new(),
            today: bangiao_app::today_in_vietnam(),
        }
    }

    fn cell<'r>(&self, row: &'r Row, field: Field) -> &'r Cell {
        self.header
            .column(field)
            .map_or(&Cell::Empty, |column| row.cell(column))
    }

    /// The cell of `field` as text, borrowed when it is text already.
    fn text<'r>(&self, row: &'r Row, field: Field) -> Option<Cow<'r, str>> {
        match self.cell(row, field) {
            Cell::Empty => None,
            Cell::Text(text) => Some(Cow::Borrowed(text)),
            cell => Some(Cow::Owned(cell.shown())),
        }
    }

    /// Whether a row is no file: blank, or a line of text such as a list's closing lines.
    pub fn passes_over(&self, row: &Row) -> bool {
        row.is_blank() || self.header.is_text_line(row)
    }

    /// Reads one row that holds a file.
    pub fn read(&mut self, row: &Row) -> ParsedRow {
        let mut problems = Problems::new(row, self.header);
        let file_number = match values::file_number(self.cell(row, Field::FileNumber)) {
            Ok(n) => n,
            Err(e) => {
                problems.count(Field::FileNumber, e);
                None
            }
        };
        let title = self.title(row, &mut problems);
        let dates = self.dates(row, &mut problems);
        let file_code = self.file_code(row, file_number, dates, &mut problems);
        let sheets = values::sheets(self.cell(row, Field::Sheets))
            .map_err(|e| problems.count(Field::Sheets, e))
            .ok()
            .flatten();
        let box_number = self.parsed(row, Field::BoxNumber, BoxNumber::parse, &mut problems);
        let notes = self.parsed(row, Field::Notes, Note::parse, &mut problems);
        let retention = self.retention(row, &mut problems);
        let access = self.access(row, &mut problems);
        self.duplicates(row.number, file_number, file_code.as_ref(), &mut problems);
        let record = match (title, dates, &file_code, retention, access) {
            (Some(title), Some((start_date, end_date)), Some(code), Some(ret), Some(acc))
                if problems.found.is_empty() =>
            {
                Some(RecordFile {
                    file_code: code.clone(),
                    title,
                    start_date,
                    end_date,
                    retention: ret,
                    access: acc,
                    carrier: self.shared.carrier,
                    box_number: box_number.clone().flatten(),
                    sheets,
                    language: self.shared.language.clone(),
                    notes: notes.flatten(),
                    custodian: Some(self.shared.custodian.clone()),
                    // What the list calls the file ("Hồ sơ số"), kept as written; a file
                    // number is at most u32::MAX (`values::file_number`).
                    list_number: file_number.and_then(|n| u32::try_from(n).ok()),
                })
            }
            _ => None,
        };
        let (command, recorded_before) = match record {
            Some(record) => self.decide(record, &mut problems),
            None => (None, false),
        };
        ParsedRow {
            row: row.number,
            file_code,
            command,
            recorded_before,
            problems: problems.found,
            box_number: box_number.flatten(),
            sheets,
        }
    }

    /// The first row with a file number or code wins; later ones are duplicates.
    fn duplicates(
        &mut self,
        row: u32,
        file_number: Option<u64>,
        file_code: Option<&FileCode>,
        problems: &mut Problems<'_>,
    ) {
        if let Some(number) = file_number {
            match self.numbers.entry(number) {
                Entry::Occupied(first) => problems.duplicate(Field::FileNumber, *first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                }
            }
        }
        if let Some(code) = file_code {
            let field = match self.header.column(Field::Notation) {
                Some(_) => Field::Notation,
                None => Field::FileNumber,
            };
            match self.codes.entry(code.clone()) {
                Entry::Occupied(first) => problems.duplicate(field, *first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                }
            }
        }
    }

    /// Lets the domain decide the command against the fonds as it stands; a file already
    /// recorded is set aside for `check` to compare.
    fn decide(
        &self,
        record: RecordFile,
        problems: &mut Problems<'_>,
    ) -> (Option<FondsCommand>, bool) {
        // A file is known by its identity in the fonds (year and notation), whatever prefix it
        // was recorded with: a list imported again, before or after closure, finds its files.
        if let Some((recorded, _)) = self.state.file_with_identity(&record.file_code) {
            let record = RecordFile {
                file_code: recorded.clone(),
                ..record
            };
            return (Some(record.into()), true);
        }
        let command = FondsCommand::from(record);
        let decided = command
            .check_dates(self.today)
            .and_then(|()| FondsAggregate::decide(self.state, &command));
        match decided {
            Ok(_) => (Some(command), false),
            Err(error) => {
                problems.domain(&error);
                (None, false)
            }
        }
    }

    fn title(&self, row: &Row, problems: &mut Problems<'_>) -> Option<Title> {
        let Some(text) = self.text(row, Field::Title) else {
            problems.missing(Field::Title);
            return None;
        };
        Title::parse(&text)
            .map_err(|e| problems.value(Field::Title, &e))
            .ok()
    }

    /// An optional text value: `Some(None)` when empty, `None` when refused.
    fn parsed<T>(
        &self,
        row: &Row,
        field: Field,
        parse: fn(&str) -> Result<T, ValueError>,
        problems: &mut Problems<'_>,
    ) -> Option<Option<T>> {
        match self.text(row, field) {
            None => Some(None),
            Some(text) => parse(&text)
                .map(Some)
                .map_err(|e| problems.value(field, &e))
                .ok(),
        }
    }

    fn dates(&self, row: &Row, problems: &mut Problems<'_>) -> Option<(NaiveDate, NaiveDate)> {
        if self.header.column(Field::Dates).is_some()
            && self.header.column(Field::StartDate).is_none()
        {
            return values::date_range(self.cell(row, Field::Dates))
                .map_err(|e| problems.date(Field::Dates, e))
                .ok();
        }
        let start = values::date(self.cell(row, Field::StartDate), Bound::Start)
            .map_err(|e| problems.date(Field::StartDate, e))
            .ok();
        let end = values::date(self.cell(row, Field::EndDate), Bound::End)
            .map_err(|e| problems.date(Field::EndDate, e))
            .ok();
        start.zip(end)
    }

    /// The file code: a whole code as written, else built from the prefix, the notation's year
    /// (or the start date's) and the notation (or the file number); see the module docs.
    fn file_code(
        &self,
        row: &Row,
        file_number: Option<u64>,
        dates: Option<(NaiveDate, NaiveDate)>,
        problems: &mut Problems<'_>,
    ) -> Option<FileCode> {
        let written = self.text(row, Field::Notation);
        if let Some(whole) = written.as_deref().and_then(values::whole_code) {
            return Some(whole);
        }
        let (number, year) = match (&written, file_number) {
            (Some(text), _) => values::notation(text),
            (None, Some(n)) => (format!("{n:02}"), None),
            (None, None) => {
                problems.missing(Field::Notation);
                return None;
            }
        };
        let year = year.or_else(|| dates.map(|(start, _)| values::year_of(start)))?;
        let field = if written.is_some() {
            Field::Notation
        } else {
            Field::FileNumber
        };
        FileNotation::parse(&number)
            .and_then(|notation| FileCode::new(&self.shared.prefix, year, &notation))
            .map_err(|e| problems.value(field, &e))
            .ok()
    }

    fn retention(&mut self, row: &Row, problems: &mut Problems<'_>) -> Option<RetentionPeriod> {
        let Some(text) = self.text(row, Field::Retention) else {
            problems.missing(Field::Retention);
            return None;
        };
        // Lists repeat a handful of spellings: each is parsed once.
        if !self.retention.contains_key(text.as_ref()) {
            let parsed = RetentionPeriod::parse_text(&text);
            self.retention.insert(text.clone().into_owned(), parsed);
        }
        self.retention
            .get(text.as_ref())?
            .as_ref()
            .map_err(|e| problems.value(Field::Retention, e))
            .ok()
            .copied()
    }

    fn access(&mut self, row: &Row, problems: &mut Problems<'_>) -> Option<AccessRegime> {
        let Some(text) = self.text(row, Field::Access) else {
            problems.missing(Field::Access);
            return None;
        };
        // Lists repeat a handful of spellings: each is parsed once.
        if !self.access.contains_key(text.as_ref()) {
            let parsed = AccessRegime::parse_text(&text);
            self.access.insert(text.clone().into_owned(), parsed);
        }
        self.access
            .get(text.as_ref())?
            .as_ref()
            .map_err(|e| problems.value(Field::Access, e))
            .ok()
            .copied()
    }
}

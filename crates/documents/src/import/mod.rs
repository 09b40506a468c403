//! Imports of the inventory lists offices keep (Mục lục hồ sơ) as XLSX or CSV: each row becomes
//! a `RecordFile` command of the domain, or a row-level problem.
//!
//! **Validate, then apply.** Every row is read and checked first: values (dates, retention,
//! access, counts), duplicates within the file, and the domain's own rules against the fonds as
//! it stands (its `decide`: a file ending after the closure, an end before the start, a code
//! already taken). A dry run stops there and writes nothing. Otherwise the apply is
//! all-or-nothing: any problem blocks it, unless the caller asked for the valid rows only.
//!
//! **Writing.** Valid rows are written in batches (`ImportOptions::batch_size` files per
//! append, one multi-event append each, through `Service::fonds_batches`). Each batch's
//! command id derives from the fonds, the file's content and the rows it holds. If the process
//! dies mid-apply, the batches written are whole and the rest are absent; importing the same
//! file again finds the files written as "already present" (compared field by field with the
//! `FileRecorded` event) and writes the rest, so nothing is recorded twice. Re-importing a file
//! already fully imported appends nothing.
//!
//! **Our own lists import back.** The service's CSV and XLSX of a fonds' Mục lục import into
//! any fonds whose file codes take the same prefix: a whole file code under "Số, ký hiệu hồ sơ"
//! is the file's code as written (see `row` for why the importer, not the exporter, does this),
//! the apostrophe the CSV puts before a would-be formula goes, and the closing lines under the
//! rows are passed over.
//!
//! **Warnings never block.** A box whose rows add up to more sheets than a box holds
//! ([`SHEETS_PER_BOX`]) is warned of (`box_over_capacity`), in a dry run and an apply alike.
//!
//! **Unknown values are refused, never invented.** The problem codes (stable):
//! `missing_value`, `invalid_date`, `impossible_date`, `invalid_sheet_count`,
//! `negative_sheet_count`, `invalid_file_number`, `invalid_notation`, `invalid_box_number`,
//! `invalid_value`, `unknown_retention`, `unknown_access`, `duplicate_file_number`,
//! `duplicate_file_code`, `already_exists` (the code is taken by a different file), and the
//! domain's own codes for its refusals (`end_before_start`, `file_after_closure`, …).
//! A refusal of the whole file is an [`ImportError`] (`file_too_large`, `zip_bomb`,
//! `too_many_rows`, `unknown_format`, `not_utf8`, `unreadable_file`, `no_header`,
//! `missing_columns`, `not_found`).

mod check;
mod error;
#[doc(hidden)]
pub mod harness;
mod header;
pub mod ids;
mod limits;
mod problem;
mod report;
mod row;
pub mod sip;
mod table;
mod values;
mod warning;

use std::sync::Arc;

use bangiao_app::handler::CommandMeta;
use bangiao_app::{CommandBatch, Service};
use bangiao_domain::fonds::{FondsCommand, FondsState};
use bangiao_domain::values::{Carrier, FondsCode, Name};
use bangiao_store::{ActorRef, EventStore};

pub use error::ImportError;
pub use header::{Column, Field};
pub use limits::ImportLimits;
pub use problem::RowProblem;
pub use report::{ImportReport, REPORT_HEADER};
pub use table::Format;
pub use warning::{ImportWarning, SHEETS_PER_BOX};

use header::{HEADER_SEARCH, Header};
use row::{ParsedRow, RowReader, Shared};
use table::Rows;

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Record the valid rows even when other rows have problems.
    pub valid_only: bool,
    /// The carrier of the files listed (a Mục lục hồ sơ lists paper files by default).
    pub carrier: Carrier,
    /// Their language.
    pub language: Name,
    /// Limits on size and rows.
    pub limits: ImportLimits,
    /// Files per append.
    pub batch_size: usize,
    /// Who imports, for the events' metadata.
    pub actor: Option<ActorRef>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            valid_only: false,
            carrier: Carrier::Paper,
            language: Name::parse("Tiếng Việt").expect("a short literal name"),
            limits: ImportLimits::default(),
            batch_size: 5_000,
            actor: None,
        }
    }
}

/// Where an import stands, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and checking rows (`total` is an upper bound for CSV).
    Checking,
    /// Writing the valid rows.
    Applying,
}

/// Rows done out of a total, in one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// Rows done.
    pub done: u64,
    /// Rows in the phase.
    pub total: u64,
}

/// Rows checked between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

/// Imports an inventory list into a fonds: reads, checks, and (unless a dry run, or blocked
/// by problems) records the valid rows. See the module docs for the guarantees.
pub async fn import_inventory<S: EventStore + Clone>(
    service: &Service<S>,
    fonds: &FondsCode,
    bytes: &[u8],
    format: Format,
    options: &ImportOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<ImportReport, ImportError> {
    options.limits.check_file(bytes.len())?;
    if format == Format::Xlsx {
        options.limits.check_zip(bytes)?;
    }
    let (state, _) = service.fonds_state(fonds).await?;
    let shared = shared(fonds, &state, options)?;
    let import = ids::import_id(
        fonds.as_str(),
        bytes,
        &[
            shared.custodian.as_str(),
            carrier_name(shared.carrier),
            shared.language.as_str(),
        ],
    );
    let (mut rows, header) = open(bytes, format)?;
    header.require()?;
    let total = rows.total_hint(bytes).saturating_sub(u64::from(header.row));
    let mut reader = RowReader::new(&header, &state, shared);
    let parsed = read_rows(&mut rows, &mut reader, total, &options.limits, progress)?;
    drop(reader);
    drop(state);
    let rows_read = parsed.len() as u64;
    let warnings = warning::boxes_over_capacity(&parsed);
    let sorted = check::sort(service, fonds, parsed).await?;
    progress(Progress {
        phase: Phase::Checking,
        done: total.max(rows_read),
        total: total.max(rows_read),
    });
    let mut report = ImportReport {
        fonds_code: fonds.to_string(),
        format,
        sheet: rows.sheet().map(str::to_owned),
        header_row: header.row,
        columns: header.columns.clone(),
        ignored_columns: header.ignored.clone(),
        dry_run: options.dry_run,
        valid_only: options.valid_only,
        rows_read,
        rows_valid: sorted.valid.len() as u64,
        rows_present: sorted.present,
        rows_with_problems: sorted.rows_with_problems,
        problems: sorted.problems,
        warnings,
        blocked: false,
        files_recorded: 0,
        batches_replayed: 0,
        last_position: 0,
        import_id: import.to_string(),
    };
    if options.dry_run {
        return Ok(report);
    }
    if !report.problems.is_empty() && !options.valid_only {
        report.blocked = true;
        return Ok(report);
    }
    let batches = batches(import, sorted.valid, options.batch_size.max(1));
    let mut meta = CommandMeta::new(import);
    meta.actor = options.actor.clone();
    let valid = report.rows_valid;
    let mut written = 0u64;
    let outcome = service
        .fonds_batches(fonds, batches, &meta, &mut |done| {
            written = done as u64;
            progress(Progress {
                phase: Phase::Applying,
                done: written,
                total: valid,
            });
        })
        .await
        .map_err(|source| ImportError::Apply {
            recorded: written,
            source,
        })?;
    report.files_recorded = outcome.events as u64;
    report.batches_replayed = outcome.replayed as u64;
    report.last_position = outcome.last_position;
    Ok(report)
}

/// What every file shares: the code prefix the fonds' state requires, custodian, carrier.
fn shared(
    fonds: &FondsCode,
    state: &FondsState,
    options: &ImportOptions,
) -> Result<Shared, ImportError> {
    let not_found = || ImportError::FondsNotFound(fonds.to_string());
    let record = state.fonds().ok_or_else(not_found)?;
    // Decree 30: a file code starts with the creator's organ id, before and after closure.
    let prefix = record.creator_organ_id.to_string();
    // Files are recorded with whoever holds the fonds: custody moves only by an act.
    let custodian = record.custodian.clone();
    Ok(Shared {
        prefix,
        carrier: options.carrier,
        language: options.language.clone(),
        custodian,
    })
}

fn carrier_name(carrier: Carrier) -> &'static str {
    match carrier {
        Carrier::Paper => "paper",
        Carrier::Electronic => "electronic",
        Carrier::Audiovisual => "audiovisual",
        Carrier::Other => "other",
    }
}

/// Opens the rows and finds the header; for CSV, with the first delimiter that yields one.
fn open(bytes: &[u8], format: Format) -> Result<(Rows, Header), ImportError> {
    match format {
        Format::Xlsx => find_header(table::open_xlsx(bytes)?),
        Format::Csv => {
            let text: Arc<[u8]> = table::decode_csv(bytes)?;
            let mut refusal = ImportError::NoHeader {
                searched: HEADER_SEARCH,
            };
            for delimiter in table::DELIMITERS {
                match find_header(table::open_csv(text.clone(), delimiter)) {
                    Ok(found) => return Ok(found),
                    Err(e @ ImportError::NoHeader { .. }) => refusal = e,
                    Err(e) => return Err(e),
                }
            }
            Err(refusal)
        }
    }
}

/// Reads rows until one is a header, within the first `HEADER_SEARCH`.
fn find_header(mut rows: Rows) -> Result<(Rows, Header), ImportError> {
    let mut searched = 0;
    while searched < HEADER_SEARCH {
        let Some(row) = rows.next_row()? else { break };
        if let Some(header) = Header::recognise(&row) {
            return Ok((rows, header));
        }
        searched += 1;
    }
    Err(ImportError::NoHeader { searched })
}

/// Reads and checks every row under the header that holds a file (blank rows and lines of
/// text, such as the closing lines of a Mục lục, are passed over).
fn read_rows(
    rows: &mut Rows,
    reader: &mut RowReader<'_>,
    total: u64,
    limits: &ImportLimits,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Vec<ParsedRow>, ImportError> {
    let mut parsed = Vec::new();
    while let Some(row) = rows.next_row()? {
        if reader.passes_over(&row) {
            continue;
        }
        limits.check_rows(parsed.len() as u64 + 1)?;
        parsed.push(reader.read(&row));
        if (parsed.len() as u64).is_multiple_of(PROGRESS_EVERY) {
            progress(Progress {
                phase: Phase::Checking,
                done: parsed.len() as u64,
                total,
            });
        }
    }
    Ok(parsed)
}

/// Cuts the valid rows into batches, each with its deterministic command id.
fn batches(import: uuid::Uuid, valid: Vec<(u32, FondsCommand)>, size: usize) -> Vec<CommandBatch> {
    let mut batches = Vec::with_capacity(valid.len().div_ceil(size));
    let mut rows = Vec::with_capacity(size);
    let mut commands = Vec::with_capacity(size);
    let count = valid.len();
    for (index, (row, command)) in valid.into_iter().enumerate() {
        rows.push(row);
        commands.push(command);
        if commands.len() == size || index + 1 == count {
            batches.push(CommandBatch {
                command_id: ids::batch_id(import, &rows),
                commands: std::mem::take(&mut commands),
            });
            rows.clear();
        }
    }
    batches
}

//! `bangiao export`: an inventory list or a handover as a document, from the embedded store's
//! read models (caught up first; like `rebuild`, run it with the service stopped or on a copy).
//!
//! * `--fonds CODE`: csv, xlsx, html, pdf, ead3, premis, bag;
//! * `--unit CODE`: csv, xlsx, html, pdf, ead3, premis (the events of each fonds of its list);
//! * `--handover ID`: html, pdf, bag;
//! * `--transfer ID`: bag, or its E-ARK package: `--sip` (any time) or `--aip` (once the
//!   archive accepted it), a ZIP streamed to `--out`.
//!
//! A bag is a zip when `--out` ends in `.zip`, else a directory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use bangiao_documents::export::bag::BagSubject;
use bangiao_documents::export::ead3::{self, Ead3Options};
use bangiao_documents::export::eark::{self, NoCopies, PackageKind, transfer};
use bangiao_documents::export::heading::ListHeading;
use bangiao_documents::export::minutes::{Minutes, attached_rows};
use bangiao_documents::export::rows::QueryRows;
use bangiao_documents::export::{ExportError, Format, bag, csv, html, pdf, premis, xlsx};
use bangiao_projections::ReadModel;
use bangiao_projections::query::inventory::{self, Filter, Scope};
use bangiao_projections::query::units;
use bangiao_server::reads::packages::{BlobSource, missing_copies};
use bangiao_store::{Durability, SqliteStore};

use super::CliError;
use crate::data_dir::DataDir;

/// Options of `bangiao export`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["fonds", "unit", "handover", "transfer"])))]
pub struct Args {
    /// Directory of the embedded store and the read models.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// A fonds' inventory list (mã phông).
    #[arg(long)]
    pub fonds: Option<String>,
    /// A unit's inventory list, with its predecessors and the units below it.
    #[arg(long)]
    pub unit: Option<String>,
    /// A handover's minutes (biên bản giao nhận) or bag.
    #[arg(long)]
    pub handover: Option<String>,
    /// A transfer to the historical archive (nộp lưu), as a bag.
    #[arg(long)]
    pub transfer: Option<String>,
    /// csv, xlsx, html, pdf, ead3, premis or bag (see above for which applies to what); sip
    /// and aip for a transfer, as `--sip` and `--aip` say.
    #[arg(long, required_unless_present_any = ["sip", "aip"])]
    pub format: Option<String>,
    /// The transfer's E-ARK submission package (SIP), a ZIP.
    #[arg(long, requires = "transfer", conflicts_with_all = ["format", "aip"])]
    pub sip: bool,
    /// The transfer's E-ARK archival package (AIP), a ZIP, once the archive accepted it.
    #[arg(long, requires = "transfer", conflicts_with_all = ["format", "sip"])]
    pub aip: bool,
    /// The file (or, for a bag, the .zip or directory) to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The service's public address, printed as a QR code on the minutes and on a fonds'
    /// list (PDF, HTML).
    #[arg(
        long,
        env = "BANGIAO_PUBLIC_URL",
        default_value = "http://localhost:8080"
    )]
    pub base_url: String,
    /// Where the digital copies live, as for `serve --blobs` [default: blobs in the data
    /// directory]; a package carries every current copy of its files.
    #[arg(long, env = "BANGIAO_BLOBS")]
    pub blobs: Option<String>,
}

fn failed(e: ExportError) -> CliError {
    CliError::Io(e.to_string())
}

/// Writes the export and says what it wrote.
pub async fn run(args: Args) -> Result<(), CliError> {
    let asked = match (&args.format, args.sip, args.aip) {
        (_, true, _) => "sip".to_owned(),
        (_, _, true) => "aip".to_owned(),
        (Some(format), _, _) => format.clone(),
        (None, false, false) => String::new(),
    };
    if let ("sip" | "aip", Some(id)) = (asked.as_str(), &args.transfer) {
        let kind = if asked == "sip" {
            PackageKind::Sip
        } else {
            PackageKind::Aip
        };
        return package(&args, id, kind).await;
    }
    let format = Format::parse(&asked)
        .filter(|f| *f != Format::Json)
        .ok_or_else(|| {
            CliError::Io(format!(
                "định dạng không hỗ trợ / unsupported format: {asked} (csv, xlsx, html, pdf, ead3, premis, bag, sip, aip)"
            ))
        })?;
    let data = DataDir::new(&args.data_dir);
    data.require_store()?;
    let store = data.open_store(Durability::Full)?;
    let read = ReadModel::open(data.read_model())?;
    read.catch_up(&store).await?;
    let started = std::time::Instant::now();
    let rows = match (&args.fonds, &args.unit, &args.handover, &args.transfer) {
        (_, _, Some(id), _) => handover(&store, &read, id, format, &args).await?,
        (_, _, _, Some(id)) if format == Format::Bag => {
            write_bag(&store, &read, BagSubject::Transfer(id.clone()), &args).await?
        }
        (_, _, _, Some(_)) => return Err(unsupported(format, Target::Transfer)),
        (Some(code), _, _, _) if format == Format::Premis => {
            let out = create(&args.out)?;
            premis::write(&store, code, out).await.map_err(failed)?
        }
        (Some(code), _, _, _) if format == Format::Bag => {
            write_bag(&store, &read, BagSubject::Fonds(code.clone()), &args).await?
        }
        (None, Some(code), _, _) if format == Format::Premis => {
            let unit = code.clone();
            let fonds = read
                .readers()
                .with(move |c| -> Result<Vec<String>, ExportError> {
                    if !units::exists(c, &unit)? {
                        return Err(ExportError::not_found("đơn vị", "unit", &unit));
                    }
                    Ok(inventory::fonds_of_unit(c, &unit)?)
                })
                .await
                .map_err(failed)?;
            let out = create(&args.out)?;
            premis::write_unit(&store, code, &fonds, out)
                .await
                .map_err(failed)?
        }
        (Some(code), _, _, _) => {
            // A fonds' list printed as PDF or HTML carries its verification page's QR code.
            let verification =
                bangiao_server::reads::verification::fonds_list_id(&store, read.position(), code)
                    .await?
                    .map(|id| id.url(&args.base_url));
            let scope = Scope::Fonds(code.clone());
            list(&read, scope, format, &args.out, verification).await?
        }
        (None, Some(code), _, _) => {
            list(&read, Scope::Unit(code.clone()), format, &args.out, None).await?
        }
        (None, None, None, None) => {
            return Err(CliError::Io(
                "cần --fonds, --unit, --handover hoặc --transfer / give --fonds, --unit, --handover or --transfer".into(),
            ));
        }
    };
    let (out, seconds) = (args.out.display(), started.elapsed().as_secs_f64());
    println!(
        "Đã xuất {out}: {rows} dòng trong {seconds:.2} giây / exported {out}: {rows} rows in {seconds:.2} s."
    );
    Ok(())
}

/// A transfer's E-ARK package, streamed to `--out`.
async fn package(args: &Args, id: &str, kind: PackageKind) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    data.require_store()?;
    let store = data.open_store(Durability::Full)?;
    let read = ReadModel::open(data.read_model())?;
    read.catch_up(&store).await?;
    let started = std::time::Instant::now();
    let key = id.to_owned();
    let created = chrono::Utc::now();
    let mut package = read
        .readers()
        .with(move |c| {
            transfer::package(
                c,
                &key,
                kind,
                created,
                &Filter::default(),
                &transfer::recorded_copies,
            )
        })
        .await
        .map_err(failed)?;
    if kind == PackageKind::Aip {
        let fixity = {
            let package = package.clone();
            read.readers()
                .with(move |c| transfer::fixity_checks(c, &package))
                .await
                .map_err(failed)?
        };
        transfer::add_preservation(&store, &mut package, id, &fixity)
            .await
            .map_err(failed)?;
    }
    let source = if package.files.iter().any(|f| !f.copies.is_empty()) {
        let blobs = super::fixity::open_blobs(args.blobs.as_deref(), &args.data_dir)?;
        let missing = missing_copies(&blobs, &package).await;
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|(file, copy)| format!("{file} ({})", copy.sha256))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CliError::Io(format!(
                "kho lưu thiếu {n} bản số hóa của gói: {list} (chạy bangiao fixity) / the blob store lacks {n} digital copies of the package: {list} (run bangiao fixity)",
                n = missing.len()
            )));
        }
        Some(BlobSource::new(blobs))
    } else {
        None
    };
    let out = create(&args.out)?;
    let (report, _) = tokio::task::spawn_blocking(move || match &source {
        Some(source) => eark::write(&package, source, out),
        None => eark::write(&package, &NoCopies, out),
    })
    .await
    .map_err(|e| CliError::Io(e.to_string()))?
    .map_err(failed)?;
    let (out, seconds) = (args.out.display(), started.elapsed().as_secs_f64());
    println!(
        "Đã xuất {out}: gói {} với {} hồ sơ, {} bản sao trong {seconds:.2} giây / exported {out}: package {} with {} files, {} copies in {seconds:.2} s.",
        report.root, report.files, report.copies, report.root, report.files, report.copies
    );
    Ok(())
}

fn create(path: &Path) -> Result<BufWriter<File>, CliError> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| CliError::Io(format!("{}: {e}", path.display())))
}

/// What an export was asked for, named in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A fonds' inventory list.
    FondsList,
    /// A unit's inventory list.
    UnitList,
    /// A handover's minutes or bag.
    Handover,
    /// A transfer's bag.
    Transfer,
}

impl Target {
    /// The target of a list of `scope`.
    fn of(scope: &Scope) -> Self {
        match scope {
            Scope::Fonds(_) => Self::FondsList,
            Scope::Unit(_) => Self::UnitList,
        }
    }

    fn vi(self) -> &'static str {
        match self {
            Self::FondsList => "mục lục hồ sơ của một phông",
            Self::UnitList => "mục lục hồ sơ của một đơn vị",
            Self::Handover => "biên bản giao nhận",
            Self::Transfer => "đợt nộp lưu",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Self::FondsList => "a fonds' inventory list",
            Self::UnitList => "a unit's inventory list",
            Self::Handover => "a handover",
            Self::Transfer => "a transfer",
        }
    }
}

/// The refusal of a format that does not apply to what was asked for.
fn unsupported(format: Format, target: Target) -> CliError {
    CliError::Io(format!(
        "định dạng {format} không áp dụng cho {} / format {format} does not apply to {}",
        target.vi(),
        target.en(),
        format = format.name()
    ))
}

/// A fonds' or a unit's list.
async fn list(
    read: &ReadModel,
    scope: Scope,
    format: Format,
    out: &Path,
    verification: Option<String>,
) -> Result<u64, CliError> {
    let applies = match format {
        Format::Csv | Format::Xlsx | Format::Html | Format::Pdf | Format::Ead3 => true,
        Format::Json | Format::Premis | Format::Bag => false,
    };
    if !applies {
        return Err(unsupported(format, Target::of(&scope)));
    }
    let mut file = create(out)?;
    read.readers()
        .with(move |c| -> Result<u64, ExportError> {
            let filter = Filter::default();
            let n = match format {
                Format::Csv => csv::write(&mut QueryRows::new(c, scope, filter), &mut file)?,
                Format::Ead3 => match &scope {
                    Scope::Fonds(code) => ead3::write(c, code, &Ead3Options::default(), &mut file)?,
                    Scope::Unit(code) => {
                        ead3::write_unit(c, code, &Ead3Options::default(), &mut file)?
                    }
                },
                _ => {
                    let heading = ListHeading {
                        verification,
                        ..ListHeading::load(c, &scope, &filter)?
                    };
                    let mut rows = QueryRows::new(c, scope, filter);
                    match format {
                        Format::Xlsx => xlsx::write(&heading, &mut rows, &mut file)?,
                        Format::Html => html::write_list(&heading, &mut rows, &mut file)?,
                        _ => {
                            let (bytes, n) = pdf::write_list(&heading, &mut rows)?;
                            file.write_all(&bytes)?;
                            n
                        }
                    }
                }
            };
            file.flush()?;
            Ok(n)
        })
        .await
        .map_err(failed)
}

/// A handover's minutes or bag.
async fn handover(
    store: &SqliteStore,
    read: &ReadModel,
    id: &str,
    format: Format,
    args: &Args,
) -> Result<u64, CliError> {
    match format {
        Format::Html | Format::Pdf => {
            let mut file = create(&args.out)?;
            let (key, base) = (id.to_owned(), args.base_url.clone());
            read.readers()
                .with(move |c| -> Result<u64, ExportError> {
                    let minutes = Minutes::load(c, &key, &base)?;
                    let mut rows = attached_rows(c, &minutes.handover)?;
                    let n = if format == Format::Html {
                        html::write_minutes(&minutes, &mut rows, &mut file)?
                    } else {
                        let (bytes, n) = pdf::write_minutes(&minutes, &mut rows)?;
                        file.write_all(&bytes)?;
                        n
                    };
                    file.flush()?;
                    Ok(n)
                })
                .await
                .map_err(failed)
        }
        Format::Bag => write_bag(store, read, BagSubject::Handover(id.to_owned()), args).await,
        other => Err(unsupported(other, Target::Handover)),
    }
}

/// The bag of `subject`: a zip when `--out` ends in `.zip`, else a directory; returns the
/// files on its list.
async fn write_bag(
    store: &SqliteStore,
    read: &ReadModel,
    subject: BagSubject,
    args: &Args,
) -> Result<u64, CliError> {
    let options = bag::BagOptions::today(args.base_url.clone());
    let zipped = args.out.extension().is_some_and(|e| e == "zip");
    let dir = if zipped {
        args.out.with_extension("bag-parts")
    } else {
        args.out.clone()
    };
    let report = bag::write_dir(store, read.readers(), &subject, &options, &dir)
        .await
        .map_err(failed)?;
    if zipped {
        bag::zip_dir(&dir, &subject.name(), create(&args.out)?).map_err(failed)?;
        std::fs::remove_dir_all(&dir)
            .map_err(|e| CliError::Io(format!("{}: {e}", dir.display())))?;
    }
    Ok(report.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowercase ASCII words of the Vietnamese half of a message ("vi / en").
    fn ascii_words_vi(message: &str) -> Vec<String> {
        let (vi, _) = message
            .split_once(" / ")
            .expect("a Vietnamese half and an English half");
        vi.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn a_format_refusal_reads_as_vietnamese_then_english() {
        let refusal = unsupported(Format::Bag, Target::UnitList).to_string();
        assert_eq!(
            refusal,
            "định dạng bag không áp dụng cho mục lục hồ sơ của một đơn vị / \
             format bag does not apply to a unit's inventory list"
        );
        for (format, target) in [
            (Format::Bag, Target::UnitList),
            (Format::Premis, Target::Handover),
            (Format::Csv, Target::Transfer),
            (Format::Csv, Target::Handover),
        ] {
            let text = unsupported(format, target).to_string();
            let english = [
                "this", "list", "a", "the", "does", "not", "apply", "to", "handover", "transfer",
            ];
            let found: Vec<String> = ascii_words_vi(&text)
                .into_iter()
                .filter(|w| english.contains(&w.as_str()))
                .collect();
            assert!(
                found.is_empty(),
                "English inside the Vietnamese of {text:?}: {found:?}"
            );
        }
    }
}

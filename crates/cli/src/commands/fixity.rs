//! `bangiao fixity`: re-reads the blob of every digital copy the log references (or a random
//! sample), records the verdicts as the events of a `fixity-{run id}` stream, names every
//! missing or altered blob with its fonds, file and copy, and fails when any is damaged. It
//! takes no lock: it reads the log and appends its own stream beside a running service, as
//! `token create` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bangiao_content::{Blobs, Digest, Fixity};
use bangiao_domain::fixity::{
    FixityChecked, FixityEvent, FixityResult, FixityRunCompleted, FixityVerdict, RESULTS_PER_EVENT,
};
use bangiao_domain::streams::StreamKind;
use bangiao_domain::{DomainEvent, FondsEvent};
use bangiao_store::{AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::CliError;
use crate::data_dir::DataDir;
use crate::store_spec::{StoreSpec, open_store};

/// Options of `bangiao fixity`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the embedded store.
    #[arg(long, env = "BANGIAO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Where the copies live, as for `serve --blobs` [default: blobs in the data directory].
    #[arg(long, env = "BANGIAO_BLOBS")]
    pub blobs: Option<String>,
    /// Check a random share of the copies, e.g. `10%` [default: every copy].
    #[arg(long, value_parser = parse_percent)]
    pub sample: Option<u32>,
    /// The event store, when not the data directory's own: sqlite:PATH, postgres://… or
    /// kurrentdb://…
    #[arg(long, env = "BANGIAO_STORE")]
    pub store: Option<StoreSpec>,
}

/// Parses `N%` (or `N`) with N from 1 to 100.
fn parse_percent(text: &str) -> Result<u32, String> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(format!(
            "cần một tỉ lệ từ 1% đến 100%, không phải {text:?} / expected a share from 1% to 100%, got {text:?}"
        )),
    }
}

/// Opens the blob store at `location`, or the data directory's `blobs` folder.
pub fn open_blobs(location: Option<&str>, data_dir: &Path) -> Result<Blobs, CliError> {
    let blobs = match location {
        Some(location) => Blobs::open(location),
        None => Blobs::local(data_dir.join("blobs")),
    };
    blobs.map_err(|e| CliError::Config(format!("--blobs: {e}")))
}

/// One copy the log references, with where it belongs.
#[derive(Debug, Clone)]
struct Referenced {
    fonds_code: String,
    file_code: String,
    sha256: String,
    size_bytes: u64,
}

/// The copies the log references and not deleted, by copy id, read from the fonds streams.
async fn referenced(store: &dyn EventStore) -> Result<BTreeMap<String, Referenced>, CliError> {
    let upcasters = bangiao_domain::events::upcasters();
    let mut copies = BTreeMap::new();
    let mut from = 1;
    loop {
        let batch = store.read_all(from, 1_000).await?;
        let Some(last) = batch.last() else {
            break;
        };
        from = last.position + 1;
        for event in &batch {
            let Some((StreamKind::Fonds, fonds)) = StreamKind::of(&event.stream) else {
                continue;
            };
            if !matches!(
                event.event_type.as_str(),
                "CopyAttached" | "DocumentRecorded" | "DestructionExecuted"
            ) {
                continue;
            }
            let decoded = bangiao_domain::events::decode::<FondsEvent>(
                &upcasters,
                &event.event_type,
                event.schema_version,
                &event.payload,
            )
            .map_err(|e| CliError::Verify(format!("vị trí / position {}: {e}", event.position)))?;
            let mut add = |copy_id: &str, file_code: &str, sha256: &str, size_bytes: u64| {
                copies.insert(
                    copy_id.to_owned(),
                    Referenced {
                        fonds_code: fonds.to_owned(),
                        file_code: file_code.to_owned(),
                        sha256: sha256.to_owned(),
                        size_bytes,
                    },
                );
            };
            match decoded {
                FondsEvent::CopyAttached(e) => {
                    add(&e.copy_id, &e.file_code, &e.sha256, e.size_bytes)
                }
                FondsEvent::DocumentRecorded(e) => {
                    add(&e.copy_id, &e.file_code, &e.sha256, e.size_bytes)
                }
                FondsEvent::DestructionExecuted(e) => {
                    for copy in &e.deleted_copies {
                        copies.remove(&copy.copy_id);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(copies)
}

/// Whether a copy is drawn into a run's sample of `percent` (a hash of the run and the copy, so
/// each run draws another sample and every copy is as likely as another).
fn drawn(run: Uuid, copy_id: &str, percent: u32) -> bool {
    let hash = Sha256::new()
        .chain_update(run.as_bytes())
        .chain_update(copy_id.as_bytes())
        .finalize();
    let draw = u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]) % 100;
    draw < percent
}

/// Runs `bangiao fixity`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let data = DataDir::new(&args.data_dir);
    let store = open_store(args.store.as_ref(), &data, true).await?;
    let blobs = open_blobs(args.blobs.as_deref(), &args.data_dir)?;
    let run_id = Uuid::now_v7();
    let started_at = chrono::Utc::now();
    let percent = args.sample.unwrap_or(100);
    let copies: Vec<(String, Referenced)> = referenced(store.as_ref())
        .await?
        .into_iter()
        .filter(|(id, _)| percent == 100 || drawn(run_id, id, percent))
        .collect();
    let bar = crate::progress::bar(copies.len() as u64, "kiểm tra / checking");
    let mut results = Vec::with_capacity(copies.len());
    let (mut bytes, mut intact, mut missing, mut altered) = (0u64, 0u64, 0u64, 0u64);
    for (copy_id, copy) in copies {
        let verdict = match copy.sha256.parse::<Digest>() {
            Ok(digest) => blobs
                .check(&digest, copy.size_bytes)
                .await
                .map_err(|e| CliError::Io(e.to_string()))?,
            Err(_) => Fixity::Missing,
        };
        let mut result = FixityResult {
            fonds_code: copy.fonds_code.clone(),
            file_code: copy.file_code.clone(),
            copy_id: copy_id.clone(),
            sha256: copy.sha256.clone(),
            verdict: FixityVerdict::Intact,
            actual_sha256: None,
            actual_size: None,
        };
        match verdict {
            Fixity::Intact => {
                intact += 1;
                bytes += copy.size_bytes;
            }
            Fixity::Missing => {
                missing += 1;
                result.verdict = FixityVerdict::Missing;
                bar.suspend(|| {
                    eprintln!(
                        "THIẾU / MISSING  phông / fonds {}  hồ sơ / file {}  bản / copy {}  sha256 {}",
                        copy.fonds_code, copy.file_code, copy_id, copy.sha256
                    )
                });
            }
            Fixity::Altered { actual, size } => {
                altered += 1;
                bytes += size;
                result.verdict = FixityVerdict::Altered;
                result.actual_sha256 = Some(actual.to_hex());
                result.actual_size = Some(size);
                bar.suspend(|| {
                    eprintln!(
                        "SAI LỆCH / ALTERED  phông / fonds {}  hồ sơ / file {}  bản / copy {}  sha256 {} → {}",
                        copy.fonds_code, copy.file_code, copy_id, copy.sha256, actual
                    )
                });
            }
        }
        results.push(result);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let checked = results.len() as u64;
    let completed = FixityRunCompleted {
        run_id: run_id.to_string(),
        started_at,
        finished_at: chrono::Utc::now(),
        sample_percent: percent,
        checked,
        bytes,
        intact,
        missing,
        altered,
    };
    record(store, run_id, results, completed).await?;
    println!(
        "Lượt kiểm tra / run {run_id}: {checked} bản / copies, {bytes} byte, nguyên vẹn / intact {intact}, thiếu / missing {missing}, sai lệch / altered {altered}"
    );
    if missing + altered > 0 {
        return Err(CliError::Fixity(format!(
            "{missing} bản thiếu, {altered} bản sai lệch / {missing} missing, {altered} altered"
        )));
    }
    Ok(())
}

/// Appends the run's events to its own stream, in one append.
async fn record(
    store: Arc<dyn EventStore>,
    run_id: Uuid,
    results: Vec<FixityResult>,
    completed: FixityRunCompleted,
) -> Result<(), CliError> {
    let mut metadata = EventMetadata::recorded_now();
    metadata.actor = Some(bangiao_store::ActorRef::new(
        "bangiao-fixity",
        "system",
        None,
    ));
    let mut events: Vec<FixityEvent> = results
        .chunks(RESULTS_PER_EVENT)
        .map(|chunk| {
            FixityChecked {
                run_id: run_id.to_string(),
                results: chunk.to_vec(),
            }
            .into()
        })
        .collect();
    events.push(completed.into());
    let events = events
        .iter()
        .map(|event| {
            NewEvent::new(
                Uuid::now_v7(),
                event.event_type(),
                event.schema_version(),
                event.to_payload(),
                &metadata,
            )
        })
        .collect();
    store
        .append(AppendRequest {
            stream: bangiao_domain::streams::fixity(run_id),
            expected: ExpectedState::NoStream,
            command_id: None,
            events,
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_whole_percents_from_one_to_a_hundred() {
        assert_eq!(parse_percent("10%"), Ok(10));
        assert_eq!(parse_percent("100"), Ok(100));
        assert!(parse_percent("0%").is_err());
        assert!(parse_percent("101%").is_err());
        assert!(parse_percent("x").is_err());
    }

    #[test]
    fn a_sample_draws_about_its_share() {
        let run = Uuid::from_u128(7);
        let drawn = (0..10_000)
            .filter(|i| drawn(run, &i.to_string(), 10))
            .count();
        assert!((800..1_200).contains(&drawn), "{drawn}");
    }
}

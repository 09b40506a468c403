//! Writes a realistic event log quickly: real domain events, appended in batches through the
//! real `SqliteStore` append API (durable commits), not through HTTP.
//!
//! The log: the province, the district and its ten communes (`UnitRegistered`), then fonds one
//! after another: `FondsOpened`, `files_per_fonds` × `FileRecorded`, and a handover of the first
//! 50 files (drafted, signed, received). The fonds of the inventory unit come first, so that it
//! holds exactly `inventory_files` files; the others go round the remaining units.

mod catalogue;
mod events;
mod plan;

use std::path::PathBuf;
use std::time::Instant;

use bangiao_domain::{DomainEvent, streams};
use bangiao_store::{
    ActorRef, AppendRequest, EventMetadata, EventStore, ExpectedState, NewEvent, SqliteConfig,
    SqliteStore,
};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::manifest::Manifest;
pub use plan::{Plan, PlanError};

/// Events per append (one transaction each).
pub const BATCH: usize = 1_000;

/// How many sample file codes the manifest lists for custody reads.
const SAMPLES: usize = 1_024;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory (`events.db`, `readmodel.db`, the manifest).
    pub data_dir: PathBuf,
    /// Total events in the log.
    pub events: u64,
    /// Files recorded in each full fonds.
    pub files_per_fonds: usize,
    /// The unit whose inventory list holds `inventory_files` files.
    pub inventory_unit: String,
    /// Files under the inventory unit (a multiple of `files_per_fonds`).
    pub inventory_files: usize,
}

/// What a generation took.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Seconds spent appending.
    pub append_seconds: f64,
}

/// The manifest of a planned log whose head is at `head`.
fn manifest_of(plan: &Plan, config: &Config, head: u64) -> Manifest {
    Manifest {
        events: head,
        fonds: plan.fonds.len() as u64,
        files: plan.fonds.iter().map(|f| f.files as u64).sum(),
        handovers: plan.fonds.iter().filter(|f| f.handover).count() as u64,
        inventory_unit: config.inventory_unit.clone(),
        inventory_files: config.inventory_files as u64,
        units: plan.units.iter().map(|(code, _, _)| code.clone()).collect(),
        sample_file_codes: plan.sample_file_codes(SAMPLES),
        read_model_built: false,
    }
}

/// Writes the log. A data directory that already holds a store is refused, unless `reuse` is
/// set and the store holds exactly the events asked for (the plan is deterministic, so its
/// manifest is the same): then nothing is written.
pub async fn generate(config: &Config, reuse: bool) -> Result<(Manifest, Timing), String> {
    let events_path = config.data_dir.join("events.db");
    let plan = Plan::new(config).map_err(|e| e.to_string())?;
    if events_path.exists() {
        if !reuse {
            return Err(format!(
                "{} already exists: give a fresh --data-dir, or --reuse it",
                events_path.display()
            ));
        }
        let store =
            SqliteStore::open(SqliteConfig::new(&events_path)).map_err(|e| e.to_string())?;
        let head = store.head_position();
        if head != config.events {
            return Err(format!(
                "{} holds {head} events, not {}",
                events_path.display(),
                config.events
            ));
        }
        let timing = Timing {
            append_seconds: 0.0,
        };
        return Ok((manifest_of(&plan, config, head), timing));
    }
    let store = SqliteStore::open(SqliteConfig::new(&events_path)).map_err(|e| e.to_string())?;
    let (tx, mut rx) = mpsc::channel::<AppendRequest>(8);
    let producer_plan = plan.clone();
    // Building and serialising events runs on its own thread, beside the writer thread.
    let producer = std::thread::Builder::new()
        .name("bench-data-producer".into())
        .spawn(move || produce(&producer_plan, &tx))
        .map_err(|e| format!("cannot start the producer thread: {e}"))?;
    let started = Instant::now();
    let mut appended = 0u64;
    let mut next_report = 1_000_000u64;
    while let Some(request) = rx.recv().await {
        appended += request.events.len() as u64;
        store.append(request).await.map_err(|e| e.to_string())?;
        if appended >= next_report {
            eprintln!(
                "  {appended} events, {:.0} events/s",
                appended as f64 / started.elapsed().as_secs_f64()
            );
            next_report += 1_000_000;
        }
    }
    let append_seconds = started.elapsed().as_secs_f64();
    producer
        .join()
        .map_err(|_| "the producer thread panicked".to_owned())?;
    let head = store.head_position();
    if head != config.events {
        return Err(format!("wrote {head} events, expected {}", config.events));
    }
    Ok((manifest_of(&plan, config, head), Timing { append_seconds }))
}

fn metadata(unit: &str, recorded_at: chrono::DateTime<chrono::Utc>) -> EventMetadata {
    let command = Uuid::now_v7();
    EventMetadata {
        effective_on: None,
        recorded_at,
        actor: Some(ActorRef::new(
            format!("vanthu.{unit}"),
            "clerk",
            Some(unit.to_owned()),
        )),
        command_id: Some(command),
        correlation_id: Some(command),
        causation_id: None,
        legal_basis: None,
        request_digest: None,
    }
}

fn new_event<E: DomainEvent>(event: &E, unit: &str) -> NewEvent {
    NewEvent::new(
        Uuid::now_v7(),
        event.event_type(),
        event.schema_version(),
        event.to_payload(),
        &metadata(unit, chrono::Utc::now()),
    )
}

/// Sends the log as append requests of at most [`BATCH`] events of one stream.
fn produce(plan: &Plan, tx: &mpsc::Sender<AppendRequest>) {
    let send = |stream: String, first_revision: u64, events: Vec<NewEvent>| {
        let request = AppendRequest {
            stream,
            expected: match first_revision {
                0 => ExpectedState::NoStream,
                r => ExpectedState::Revision(r - 1),
            },
            command_id: None,
            events,
        };
        tx.blocking_send(request).is_ok()
    };
    for (code, name, parent) in &plan.units {
        let event = events::unit_registered(code, name, parent.as_deref());
        if !send(
            format!("{}{code}", streams::UNIT_PREFIX),
            0,
            vec![new_event(&event, code)],
        ) {
            return;
        }
    }
    for fonds in &plan.fonds {
        let stream = streams::fonds(&fonds.code);
        let mut all = std::iter::once(fonds.opened())
            .chain((0..fonds.files).map(|n| fonds.file(n)))
            .chain(
                fonds
                    .handover
                    .then(|| fonds.handover(Uuid::now_v7()))
                    .into_iter()
                    .flatten(),
            )
            .peekable();
        let mut revision = 0u64;
        while all.peek().is_some() {
            let batch: Vec<NewEvent> = all
                .by_ref()
                .take(BATCH)
                .map(|e| new_event(&e, &fonds.unit))
                .collect();
            let count = batch.len() as u64;
            if !send(stream.clone(), revision, batch) {
                return;
            }
            revision += count;
        }
    }
}
